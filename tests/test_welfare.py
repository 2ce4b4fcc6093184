"""The welfare ledger creates no value from bookkeeping: real costs are non-negative, transfers net to
zero, and a friction's removal is worth what it removes plus what shoppers gain by moving."""
import numpy as np
import pytest

from model import engine
from model.market import PlatformTable, calibrate
from model.scenario import Scenario

HARMS_OFF = {"privacy_harm_per_user": 0.0, "fraud_loss_per_click": 0.0, "seconds_per_link_view": 0.0, "engagement_loss": 0.0,
             "compliance_cost": 0.0}


def _run(data, assumptions=None, **levers):
    scenario = Scenario("test", dict(data.status_quo_levers) | levers, assumptions=assumptions or {})
    result = engine.run(scenario, data)
    return result, engine.consumer_breakdown(result, data).set_index("part")["change_rmb_bn"]


def _off(data, values):
    return {k: v for k, v in values.items() if k in data.parameters}


def test_marginal_costs_are_non_negative_at_central_values_and_in_the_draws(data, presets):
    costs = engine.platform_costs(presets["full-interconnection"], data).set_index("platform")
    assert (costs["marginal_cost"] >= 0).all()
    np.testing.assert_allclose(costs["two_sided_value"], costs["marginal_cost"] - costs["implied_net_cost"])
    params = engine.draw_parameters(data, 1000, seed=data.baseline.uncertainty.seed)
    drawn = calibrate(params, data, PlatformTable.from_data(data))
    assert (drawn.marginal_cost >= 0).all(axis=1).mean() >= 0.95


def test_payment_interoperability_is_worth_the_friction_removed_plus_what_shoppers_gain_by_moving(data):
    result, parts = _run(data, _off(data, HARMS_OFF), payment_interop=1.0, openness="all")
    total = result.final.loc["welfare.total", "change"]
    assert total == pytest.approx(parts["channel.payment"] + parts["reallocation"], abs=0.5)


def test_a_merchant_price_cut_alone_is_a_pure_transfer(data):
    real_off = HARMS_OFF | {"innovation_quality_growth": 0.0, "fee_competition": 0.0, "coordination_max": 0.0,
                            "online_spending_elasticity": 0.0}
    result, parts = _run(data, _off(data, real_off), data_sharing=1.0, openness="all")
    final = result.final["change"]
    assert parts["channel.prices"] > 1.0
    assert abs(final["welfare.total"]) < 0.1
    assert final["welfare.consumers"] == pytest.approx(-final["welfare.merchants"], abs=0.1)


def test_two_sided_value_is_its_own_ledger_line_outside_the_total(data, presets):
    result = engine.run(presets["full-interconnection"], data)
    table = engine.ledger(result, data).set_index("group")["change_rmb_bn"]
    moved = result.final.loc["platforms.two_sided_value", "change"]
    assert table["two_sided_value"] == pytest.approx(moved) and abs(moved) > 0.1
    assert table["platforms_other_sides"] == pytest.approx(-moved)
    final = result.final["change"]
    assert final["welfare.total"] == pytest.approx(
        final["welfare.consumers"] + final["welfare.merchants"] + final["welfare.platforms"])


def test_safeguards_with_nothing_opened_cost_nothing(data):
    result, _ = _run(data, safeguards=1.0)
    final = result.final["change"]
    assert final["compliance.cost"] == pytest.approx(0.0, abs=1e-9)
    assert final["compliance.governed_sales"] == pytest.approx(0.0, abs=1e-9)
    assert final["welfare.merchants"] == pytest.approx(0.0, abs=1e-6)


def test_compliance_scales_with_the_flows_governed_and_is_its_own_ledger_line(data):
    half, _ = _run(data, data_sharing=0.5, openness="all", safeguards=1.0)
    full, _ = _run(data, data_sharing=1.0, openness="all", safeguards=1.0)
    loose, _ = _run(data, data_sharing=1.0, openness="all", safeguards=0.5)
    cost = {name: r.final.loc["compliance.cost", "value"] for name, r in (("half", half), ("full", full), ("loose", loose))}
    governed = {name: r.final.loc["compliance.governed_sales", "value"] for name, r in (("half", half), ("full", full), ("loose", loose))}
    rate = data.parameters["compliance_cost"].central
    assert cost["full"] == pytest.approx(rate * governed["full"], rel=1e-9)
    assert cost["loose"] == pytest.approx(0.5 * rate * governed["loose"], rel=1e-9)
    assert governed["half"] < governed["full"]
    table = engine.ledger(full, data).set_index("group")["change_rmb_bn"]
    assert table["compliance"] == pytest.approx(-full.final.loc["compliance.cost", "change"])


HARMS = ("privacy", "fraud", "clutter")


def test_each_harm_is_its_people_times_its_rmb_per_person(data, presets):
    final = engine.run(presets["full-interconnection"], data).final
    for harm in HARMS:
        for column in ("value", "status_quo"):
            people = final.loc[f"consumer.harm.{harm}.affected", column]
            per_person = final.loc[f"consumer.harm.{harm}.per_affected", column]
            assert people * per_person / 1e3 == pytest.approx(final.loc[f"consumer.harm.{harm}", column], rel=1e-9)
    assert final.loc["consumer.harm.privacy.affected", "value"] <= data.figure("online_shoppers_2021")
    assert final.loc["consumer.harm.fraud.affected", "value"] <= data.figure("wechat_users_2021")


def _link_change(data, outcome, **assumptions):
    result, _ = _run(data, assumptions, link_unblocking=1.0, openness="all")
    return result.final.loc[outcome, "change"]


def test_clutter_and_fraud_follow_the_links_shared_not_the_users(data):
    origin = data.parameters["wechat_origin_share"].central
    for harm in ("consumer.harm.clutter", "consumer.harm.fraud"):
        base = _link_change(data, harm)
        assert base > 0
        assert _link_change(data, harm, wechat_origin_share=origin / 2) == pytest.approx(base / 2, rel=0.05)


def test_clutter_counts_only_links_beyond_the_tokens_blocking_already_produced(data):
    changes = [_link_change(data, "consumer.harm.clutter", token_link_ratio=r) for r in (0.2, 0.5, 0.9)]
    assert changes[0] > changes[1] > changes[2] > 0
    assert changes[2] < 0.2 * changes[0]


def test_harms_depend_on_exposure_times_loss_not_on_how_it_is_split(data):
    """A7: twice the views at half the seconds, or twice the clicks at half the loss per click, leave
    the harm unchanged."""
    central = {k: p.central for k, p in data.parameters.items()}
    clutter = _link_change(data, "consumer.harm.clutter")
    assert _link_change(data, "consumer.harm.clutter", views_per_click=2 * central["views_per_click"],
                        seconds_per_link_view=central["seconds_per_link_view"] / 2) == pytest.approx(clutter, rel=1e-9)
    fraud = _link_change(data, "consumer.harm.fraud")
    assert _link_change(data, "consumer.harm.fraud", clicks_per_order=2 * central["clicks_per_order"],
                        fraud_loss_per_click=central["fraud_loss_per_click"] / 2) == pytest.approx(fraud, rel=1e-9)


def test_the_link_gain_is_bounded_by_friction_times_the_slices_it_falls_on(data):
    """A7 for the link channel: its bound is the friction on the pool-originated slices, whatever the
    split; the gain itself is not invariant, because a larger friction drives more of a slice away
    from blocked platforms beforehand (selection), so fewer shoppers bear it."""
    central = {k: p.central for k, p in data.parameters.items()}
    pools = ("wechat_origin_share", "douyin_origin_share", "kuaishou_origin_share")
    halved = {pool: central[pool] / 2 for pool in pools}
    for assumptions in ({}, {"link_friction": 2 * central["link_friction"]} | halved):
        values = central | assumptions
        result, _ = _run(data, assumptions, link_unblocking=1.0, openness="all")
        table = engine.consumer_breakdown(result, data).set_index("part")
        bound = values["link_friction"] * sum(values[pool] for pool in pools) * result.final.loc["market.gmv", "status_quo"]
        assert table.loc["channel.links", "bound_rmb_bn"] == pytest.approx(bound, rel=1e-9)
        assert 0 < table.loc["channel.links", "change_rmb_bn"] <= bound


def test_opening_to_all_opens_every_traffic_pool_and_a_bilateral_deal_only_wechat(data):
    table = PlatformTable.from_data(data)
    assert table.pools == ("wechat", "douyin", "kuaishou")
    douyin = table.pools.index("douyin")
    assert table.pool_access[douyin, table.ids.index("alibaba")] == 0.0     # Douyin's 2020 link ban [N5]
    assert table.pool_access[douyin, table.ids.index("douyin")] == 1.0      # its own commerce
    only_wechat = {pool: 0.0 for pool in ("douyin_origin_share", "kuaishou_origin_share")}
    links_all = _link_change(data, "consumer.channel.links")
    links_wechat_only = _link_change(data, "consumer.channel.links", **only_wechat)
    assert links_all > links_wechat_only > 0
    # a bilateral deal leaves the other pools shut: their size does not change what it is worth
    friction = data.parameters["link_friction"].central
    bilateral = [_run(data, {"douyin_origin_share": share, "kuaishou_origin_share": share},
                      link_unblocking=1.0, openness="bilateral")[0].final.loc["consumer.channel.links", "change"]
                 for share in (0.02, 0.05)]
    wechat_slice = friction * data.parameters["wechat_origin_share"].central * _run(data)[0].final.loc["market.gmv", "value"]
    assert 0 < bilateral[0] < wechat_slice and 0 < bilateral[1] < wechat_slice


def test_cheaper_online_buying_grows_online_spending_at_the_cited_elasticity(data, presets):
    result = engine.run(presets["full-interconnection"], data)
    final = result.final
    grown = final.loc["market.gmv", "change"]
    assert grown > 0 and final.loc["consumer.channel.expansion", "change"] > 0
    assert final.loc["offline.margin_lost", "change"] == pytest.approx(data.parameters["sme_gross_margin"].central * grown)
    fixed, _ = _run(data, {"online_spending_elasticity": 0.0}, **presets["full-interconnection"].levers)
    assert fixed.final.loc["market.gmv", "change"] == pytest.approx(0.0, abs=1e-9)
    steep, _ = _run(data, {"online_spending_elasticity": 2.5}, **presets["full-interconnection"].levers)
    assert steep.final.loc["market.gmv", "change"] > grown
    status_quo = engine.run(presets["status-quo"], data).final
    assert status_quo.loc["market.gmv", "change"] == pytest.approx(0.0, abs=1e-9)
