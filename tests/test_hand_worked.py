"""The model against arithmetic done by hand: two-platform markets (tests/fixtures/hand_worked.yaml)
through the solver and the fee conditions, and the money accounting of changes and present values."""
from pathlib import Path

import numpy as np
import pytest
import yaml

from model import engine
from model.market import YearMarket, solve_shares

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "hand_worked.yaml").read_text(encoding="utf-8"))


def two_platform_market(case: dict) -> YearMarket:
    odds = np.array(case["odds"], dtype=float)                       # (G, 2)
    groups = len(odds)
    one, two = np.ones(1), np.ones((1, 2))
    partners = (1.0 - np.eye(2))[None] if case.get("partners") else np.zeros((1, 2, 2))
    return YearMarket(base_utility=np.log(odds)[None], fee_scale=np.full((1, groups, 2), case.get("fee_in_price", 0.0)),
                      network=one * case.get("network", 0.0), net_cost=two * 0.02,
                      search_gain=two * case.get("search_gain", 0.0), coordination=one * case.get("coordination", 0.0),
                      partners=partners, private_fee=np.zeros(1), commissionable=two, is_private=np.zeros(2),
                      price_coefficient=one * 10.0, pass_through=one,
                      weights=np.array([case.get("weights", [1.0] * groups)], dtype=float))


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_two_platform_market_matches_the_hand_worked_answer(case):
    market = two_platform_market(case)
    shares, converged, _ = solve_shares(market, np.array([[0.5, 0.5]]), 1e-12, 200)
    assert converged.all()
    np.testing.assert_allclose(shares[0], case["shares"], rtol=1e-9)
    np.testing.assert_allclose(market.fees(shares)[0], case["fees"], rtol=1e-9)


def test_changes_and_the_ledger_on_hand_made_paths(data):
    """One draw over 2021-2023, RMB bn a year against the status quo: shoppers +2, +3, +3; merchants
    −1 each year; platforms +0.5, 0, 0. The total is +1.5, +2, +2. Present values count from the first
    policy year (2022) at 10 %: 0, 2, 2 + 2/1.1 for the total and 0, 3, 3 + 3/1.1 for shoppers."""
    years = np.array([2021, 2022, 2023])
    status_quo = {"consumer.welfare": np.array([[10.0, 10.0, 10.0]]), "merchants.profit": np.array([[5.0, 5.0, 5.0]]),
                  "platforms.profit": np.array([[3.0, 3.0, 3.0]])}
    scenario = {"consumer.welfare": np.array([[12.0, 13.0, 13.0]]), "merchants.profit": np.array([[4.0, 4.0, 4.0]]),
                "platforms.profit": np.array([[3.5, 3.0, 3.0]])}
    params = {"discount_rate": np.array([0.1])}
    paths = engine.with_changes(scenario, status_quo, years, params, data)
    np.testing.assert_allclose(paths["consumer.surplus"][0], [2.0, 3.0, 3.0])
    np.testing.assert_allclose(paths["welfare.total"][0], [1.5, 2.0, 2.0])
    assert data.baseline.simulation.first_policy_year == 2022
    np.testing.assert_allclose(paths["welfare.total_pv"][0], [0.0, 2.0, 2.0 + 2.0 / 1.1])
    np.testing.assert_allclose(paths["consumer.surplus_pv"][0], [0.0, 3.0, 3.0 + 3.0 / 1.1])
