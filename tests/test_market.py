"""Model units: calibration, fees, money-metric welfare, trends, the solver's report, determinism."""
import copy

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from model import engine, mechanisms
from model.data import CorrelatedGroup, Text
from model.market import LeverBatch, YearMarket, base_shares, simulate, solve_shares
from model.scenario import Scenario, status_quo
from test_properties import scenarios


def _levers(data, **changes):
    return dict(data.status_quo_levers) | changes


def test_status_quo_reproduces_2021_shares_and_fees_exactly(data):
    params = engine.draw_parameters(data, 50, seed=1)
    sim = simulate(LeverBatch.from_dicts([data.status_quo_levers] * 50, data), params, data, 2023)
    gmv, s0 = base_shares(params, data)
    spending = data.figure("online_physical_retail_2021") * params["market_coverage"]
    for j, platform in enumerate(data.platforms):
        np.testing.assert_allclose(sim.paths[f"share.{platform.id}"][:, 0], s0[:, j], atol=1e-9)
    for platform in data.platforms:
        if platform.id == data.baseline.private_domain_platform:
            continue
        j = [p.id for p in data.platforms].index(platform.id)
        fee_paying = params[platform.commissionable_parameter] if platform.commissionable_parameter else 1.0
        expected = params[platform.take_rate_parameter] * fee_paying * s0[:, j] * spending
        np.testing.assert_allclose(sim.paths[f"revenue.{platform.id}"][:, 0], expected, rtol=1e-9)


def test_price_coefficient_follows_the_largest_marketplace_fee_condition(data):
    params = engine.parameter_batch(data, 1)
    result = engine.run(status_quo(data), data)
    _, s0 = base_shares(params, data)
    largest = int(np.argmax(s0[0, :-1]))
    take = params[data.platforms[largest].take_rate_parameter][0]
    expected = 1.0 / (params["fee_pass_through"][0] * params["fee_markup_share"][0] * take * (1.0 - s0[0, largest]))
    assert result.price_coefficient == pytest.approx(expected)


@settings(max_examples=200, deadline=None)
@given(alpha=st.floats(5.0, 500.0), money=st.floats(-0.05, 0.05), spending=st.floats(1.0, 1e5))
def test_a_friction_worth_x_percent_is_worth_x_percent_whatever_alpha(alpha, money, spending):
    utility = np.array([[[0.3, -0.2, 0.1]]])
    weights = np.array([[1.0]])
    a, m = np.array([alpha]), np.array([spending])
    before = mechanisms.consumer_surplus(utility, weights, a, m, np.zeros(1), np.zeros(1))
    after = mechanisms.consumer_surplus(utility + alpha * money, weights, a, m, np.zeros(1), np.zeros(1))
    assert after[0] - before[0] == pytest.approx(spending * money, rel=1e-6, abs=1e-6)


def test_first_party_sales_pay_no_fee_and_advertising_is_counted_once(data):
    final = engine.run(status_quo(data), data).status_quo_paths.loc[2021]
    params = {k: p.central for k, p in data.parameters.items()}
    spending = final["market.gmv"]
    jd_sales = final["share.jd"] * spending
    assert final["revenue.jd"] == pytest.approx(params["take_rate_jd"] * params["jd_third_party_share"] * jd_sales)
    marketplaces = [p for p in data.platforms if p.id != data.baseline.private_domain_platform]
    fees_paid = sum(final[f"revenue.{p.id}"] for p in marketplaces)
    sales = sum(final[f"share.{p.id}"] for p in marketplaces) * spending
    ad_rate = params["ad_share_of_fees"] * fees_paid / sales
    assert final["sme.acquisition_cost.marketplace"] == pytest.approx(ad_rate * params["customer_value"])


def test_adding_or_removing_a_parameter_leaves_every_other_draw_unchanged(data):
    """Each parameter draws from its own stream: a new parameter (here first in the file) or a removed
    one (an independent one and one of a correlated group) moves no other parameter's draws."""
    seed = data.baseline.uncertainty.seed
    # The shipped data correlate no parameters since the trends take yearly shocks: add a group here.
    group = CorrelatedGroup(id="a_group", parameters={"fee_pass_through": 1, "fee_markup_share": -1},
                            reason=Text(en="test", zh="测试"))
    data = copy.copy(data)
    data.baseline = data.baseline.model_copy(
        update={"uncertainty": data.baseline.uncertainty.model_copy(update={"correlated": (group,)})})
    before = engine.draw_parameters(data, 200, seed)
    template = next(iter(data.parameters.values()))
    grouped = next(iter(data.baseline.uncertainty.correlated[0].parameters))
    independent = next(pid for pid in data.parameters
                       if all(pid not in g.parameters for g in data.baseline.uncertainty.correlated))
    added, removed = copy.copy(data), copy.copy(data)
    added.parameters = {"a_new_parameter": template.model_copy(update={"id": "a_new_parameter"}), **data.parameters}
    removed.parameters = {pid: p for pid, p in data.parameters.items() if pid not in (grouped, independent)}
    for changed in (added, removed):
        after = engine.draw_parameters(changed, 200, seed)
        for pid in set(before) & set(after):
            np.testing.assert_array_equal(after[pid], before[pid], err_msg=pid)
    assert not np.array_equal(engine.draw_parameters(added, 200, seed)["a_new_parameter"], before[template.id])


def test_status_quo_merchant_margins_are_positive_in_every_draw(data):
    params = engine.draw_parameters(data, 1000, seed=data.baseline.uncertainty.seed)
    sim = simulate(LeverBatch.from_dicts([data.status_quo_levers] * 1000, data), params, data, 2023)
    for outcome in ("sme.margin", "sme.margin.marketplace", "sme.margin.private_domain"):
        assert (sim.paths[outcome][:, 0] > 0).all(), outcome


def test_status_quo_path_is_bounded_and_follows_documented_trends(data):
    paths = engine.run(status_quo(data, horizon=2040), data).status_quo_paths
    late_change = (paths.loc[2040] - paths.loc[2035]).abs()
    early_change = (paths.loc[2027] - paths.loc[2022]).abs()
    for platform in data.platforms:
        column = f"share.{platform.id}"
        assert late_change[column] < early_change[column] + 1e-12
    assert paths.loc[2030, "share.alibaba"] < paths.loc[2021, "share.alibaba"]  # Z13
    assert paths.loc[2030, "share.pdd"] > paths.loc[2021, "share.pdd"]          # Z13


def test_solver_reports_a_unique_converged_equilibrium(presets, data):
    for scenario in presets.values():
        eq = engine.run(scenario, data).equilibrium
        assert eq["converged"] and eq["unique"] and eq["alternative_shares"] == {}


def test_solver_finds_a_second_equilibrium_when_network_effects_tip():
    zeros = np.zeros((1, 3))
    market = YearMarket(base_utility=np.zeros((1, 1, 3)), fee_scale=np.zeros((1, 1, 3)), network=np.array([8.0]),
                        net_cost=zeros, search_gain=zeros, coordination=np.zeros(1), partners=np.zeros((1, 3, 3)),
                        private_fee=np.zeros(1), commissionable=np.ones((1, 3)), is_private=np.ones(3),
                        price_coefficient=np.ones(1), pass_through=np.ones(1), weights=np.ones((1, 1)))
    even, _, _ = solve_shares(market, np.full((1, 3), 1 / 3), 1e-12, 500)
    tipped, converged, _ = solve_shares(market, np.array([[0.9, 0.05, 0.05]]), 1e-12, 500)
    assert converged.all() and tipped[0, 0] > 0.9 and abs(even[0, 0] - 1 / 3) < 1e-9


def test_a_row_caught_in_a_cycle_ends_where_the_full_iteration_would():
    """Strong network effects against fees that rise with share: Newton and the fixed-point step tip
    this market back and forth for good. The solver lets such a row go once a state repeats, but
    answers with the state the iteration would be in after max_iterations steps, unconverged."""
    zeros = np.zeros((1, 3))
    market = YearMarket(base_utility=np.array([[[-2.4, 2.2, 4.9]]]), fee_scale=np.ones((1, 1, 3)),
                        network=np.array([6.1]), net_cost=zeros, search_gain=zeros, coordination=np.zeros(1),
                        partners=np.zeros((1, 3, 3)), private_fee=np.zeros(1), commissionable=np.ones((1, 3)),
                        is_private=np.zeros(3), price_coefficient=np.array([33.0]), pass_through=np.ones(1),
                        weights=np.ones((1, 1)))
    start = np.full((1, 3), 1 / 3)
    plain = [start]   # the iteration one step at a time, where nothing can be cut short
    for _ in range(40):
        plain.append(solve_shares(market, plain[-1], 1e-12, 1)[0])
    repeat = next(k for k in range(2, 41) if np.array_equal(plain[k], plain[k - 2]))
    phases = (plain[repeat - 2], plain[repeat - 1])
    assert not np.array_equal(*phases)
    for max_iterations in (400, 401, 500):
        shares, converged, iterations = solve_shares(market, start, 1e-12, max_iterations)
        assert np.array_equal(shares, phases[(max_iterations - repeat) % 2])
        assert not converged[0] and iterations[0] == max_iterations


def test_same_input_same_output(presets, data):
    scenario = presets["bilateral-opening"]
    first, second = engine.run(scenario, data), engine.run(scenario, data)
    assert first.scenario_paths.equals(second.scenario_paths)
    a = engine.monte_carlo(scenario, data, draws=50, seed=7).bands
    b = engine.monte_carlo(scenario, data, draws=50, seed=7).bands
    assert a.equals(b)


def test_phase_in_is_fastest_for_payments_and_slower_without_trust(data):
    central = {k: p.central for k, p in data.parameters.items()}
    assert central["phase_in_payment"] < central["phase_in_links"] <= central["phase_in_data"]
    one = np.array([1.0])
    assert mechanisms.trust_phase_in(one, np.array([central["phase_in_payment"]]), np.zeros(1), one)[0] == 1.0
    slow = mechanisms.trust_phase_in(one, np.array([2.0]), one, np.zeros(1))
    fast = mechanisms.trust_phase_in(one, np.array([2.0]), one, one)
    assert slow[0] == 0.25 and fast[0] == 0.5


def test_a_schedule_takes_effect_from_its_first_step(data):
    late = Scenario("late", _levers(data, payment_interop=((2025, 1.0),)), horizon=2030)
    paths = engine.run(late, data).scenario_paths
    status = engine.run(status_quo(data), data).status_quo_paths
    assert paths.loc[2024, "share.alibaba"] == pytest.approx(status.loc[2024, "share.alibaba"])
    assert paths.loc[2026, "share.alibaba"] > status.loc[2026, "share.alibaba"]


def test_link_gains_reach_only_newly_linked_platforms(data):
    final = engine.run(Scenario("links", _levers(data, link_unblocking=1.0)), data).final
    assert final.loc["share.alibaba", "change"] > 0      # newly reachable from WeChat (Z10)
    assert final.loc["consumer.channel.links", "change"] > 0


def test_final_frame_has_every_outcome_with_its_unit(data):
    final = engine.run(status_quo(data), data).final
    assert list(final.index) == list(data.outcomes)
    assert (final["change"].abs() < 1e-9).all()
    assert final.loc["concentration.hhi", "unit"] == "hhi"


def test_ledger_nets_transfers_and_sums_to_total(presets, data):
    for name, scenario in presets.items():
        result = engine.run(scenario, data)
        table = engine.ledger(result, data).set_index("group")
        parts = table.drop(index="total")
        assert parts["change_rmb_bn"].sum() == pytest.approx(table.loc["total", "change_rmb_bn"], abs=1e-6), name
        assert parts["present_value_rmb_bn"].sum() == pytest.approx(table.loc["total", "present_value_rmb_bn"], abs=1e-6)
        assert "tencent" in table.index


def test_each_consumer_channel_of_every_preset_stays_within_its_bound(presets, data):
    for name, scenario in presets.items():
        result = engine.run(scenario, data)
        table = engine.consumer_breakdown(result, data).set_index("part")
        for channel in engine.CHANNELS:
            row = table.loc[f"channel.{channel}"]
            assert row["change_rmb_bn"] <= row["bound_rmb_bn"] + 1e-9, (name, channel)
            if abs(row["change_rmb_bn"]) > 1e-6:   # a bound set from outside the value, never the value itself
                assert row["bound_rmb_bn"] != pytest.approx(row["change_rmb_bn"]), (name, channel)


def test_attribution_splits_the_change_over_share_levers_and_reports_breadth_apart(presets, data):
    scenario = presets["full-interconnection"]
    shares = engine.attribution(scenario, data)
    change = engine.run(scenario, data).final["change"]
    np.testing.assert_allclose(shares.contributions.sum(axis=1), change.loc[shares.contributions.index], atol=1e-6)
    assert list(shares.contributions.columns) == list(data.share_levers)
    assert shares.other_breadth == "bilateral"
    breadth_alone = Scenario("breadth", _levers(data, openness="all"))
    assert engine.run(breadth_alone, data).final["change"].abs().max() < 1e-9


def _assert_run_carries_the_same_attribution(scenario, data):
    """`run(..., attribute=True)` simulates the run's and the attribution's rows in one batch; rows are
    solved independently, so every number must be exactly that of the separate calls."""
    alone, together = engine.run(scenario, data), engine.run(scenario, data, attribute=True)
    assert alone.attribution is None
    assert together.scenario_paths.equals(alone.scenario_paths)
    assert together.status_quo_paths.equals(alone.status_quo_paths)
    assert together.final.equals(alone.final)
    assert together.equilibrium == alone.equilibrium
    assert together.price_coefficient == alone.price_coefficient
    separate = engine.attribution(scenario, data)
    assert together.attribution.contributions.equals(separate.contributions)
    assert together.attribution.breadth_effect.equals(separate.breadth_effect)
    assert together.attribution.other_breadth == separate.other_breadth


def test_a_run_with_its_attribution_gives_every_preset_exactly_the_separate_numbers(presets, data):
    for scenario in presets.values():
        _assert_run_carries_the_same_attribution(scenario, data)


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_a_run_with_its_attribution_gives_any_scenario_exactly_the_separate_numbers(data, scenario):
    _assert_run_carries_the_same_attribution(scenario, data)


def test_tornado_ranks_parameters_by_swing(presets, data):
    table = engine.tornado(presets["bilateral-opening"], "share.wechat_private", data)
    assert len(table) == len(data.parameters)
    assert table["swing"].is_monotonic_decreasing
    assert table["swing"].iloc[0] > 0


def test_monte_carlo_bands_are_ordered(presets, data):
    bands = engine.monte_carlo(presets["full-interconnection"], data, draws=200).bands
    assert (bands["p10"] <= bands["p50"] + 1e-12).all() and (bands["p50"] <= bands["p90"] + 1e-12).all()
    hhi = bands[(bands.outcome == "concentration.hhi") & (bands.which == "scenario")]
    assert (hhi["p90"] - hhi["p10"]).iloc[-1] > 0


@settings(max_examples=60, deadline=None)
@given(values=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 40), st.integers(1, 3)),
                     elements=st.floats(-1e6, 1e6)),
       shares=st.lists(st.floats(0, 1), min_size=1, max_size=4))
def test_quantiles_match_numpy(values, shares):
    ours = engine.quantiles(values, tuple(shares), axis=1)
    numpy = np.quantile(values, shares, axis=1)
    assert all(np.allclose(a, b, rtol=1e-12, atol=1e-9) for a, b in zip(ours, numpy))
