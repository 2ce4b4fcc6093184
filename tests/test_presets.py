"""Each preset's description says what the model shows: every direction it states is checked here,
at central values, so a model change that contradicts a description fails until the text is fixed."""
import pytest

from model import engine
from model.scenario import Scenario

# preset -> (outcome, expected sign of the final-year change) for each statement in its description
STATEMENTS = {
    "payment-first": [("consumer.surplus", +1), ("share.alibaba", +1), ("share.wechat_private", +1)],
    "bilateral-opening": [("share.alibaba", +1), ("concentration.hhi", +1), ("sme.private_domain_share", -1),
                          ("sme.acquisition_cost.private_domain", +1), ("consumer.harm", +1)],
    "full-interconnection": [("consumer.surplus", +1), ("market.take_rate", -1), ("welfare.merchants", -1),
                             ("welfare.platforms", -1), ("consumer.harm", +1)],
    "strong-safeguards": [("consumer.surplus", +1), ("welfare.merchants", -1)],
    "data-without-safeguards": [("consumer.surplus", +1), ("market.take_rate", -1), ("consumer.harm", +1)],
}


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_description_matches_the_model(name, presets, data):
    change = engine.run(presets[name], data).final["change"]
    for outcome, sign in STATEMENTS[name]:
        assert change[outcome] * sign > 0, f"{name}: description says {outcome} {'rises' if sign > 0 else 'falls'}"


def test_full_interconnection_moves_total_welfare_little(presets, data):
    final = engine.run(presets["full-interconnection"], data).final
    assert abs(final.loc["welfare.total", "change"]) < 0.002 * final.loc["market.gmv", "value"]


def test_harms_take_about_a_third_of_the_bilateral_gain(presets, data):
    table = engine.consumer_breakdown(engine.run(presets["bilateral-opening"], data), data).set_index("part")
    harms = -table.loc[["harm.privacy", "harm.fraud", "harm.clutter"], "change_rmb_bn"].sum()
    gross = table.loc["total", "change_rmb_bn"] + harms
    assert 0.25 < harms / gross < 0.45


def test_data_harms_take_about_a_quarter_of_the_gain_without_safeguards(presets, data):
    table = engine.consumer_breakdown(engine.run(presets["data-without-safeguards"], data), data).set_index("part")
    harms = -table.loc[["harm.privacy", "harm.fraud", "harm.clutter"], "change_rmb_bn"].sum()
    gross = table.loc["total", "change_rmb_bn"] + harms
    assert 0.15 < harms / gross < 0.35


def test_strong_safeguards_beat_the_same_levers_with_moderate_ones_for_consumers(presets, data):
    strong = presets["strong-safeguards"]
    moderate = Scenario("moderate", dict(strong.levers, safeguards=presets["full-interconnection"].levers["safeguards"]))
    assert (engine.run(strong, data).final.loc["consumer.surplus_pv", "value"]
            > engine.run(moderate, data).final.loc["consumer.surplus_pv", "value"])


def test_same_data_flows_with_safeguards_are_worth_more_to_shoppers(presets, data):
    bare = presets["data-without-safeguards"]
    guarded = Scenario("guarded", dict(bare.levers, safeguards=1.0))
    assert (engine.run(guarded, data).final.loc["consumer.surplus_pv", "value"]
            > engine.run(bare, data).final.loc["consumer.surplus_pv", "value"])
