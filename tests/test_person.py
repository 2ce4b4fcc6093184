"""A typical merchant's or shopper's yearly change (model/person.py): identities with the ledger,
units, bands and properties."""
import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import engine, person
from model.market import PlatformTable
from test_properties import scenarios

# The persons' changes add up to the ledger's rows up to floating-point rounding: the same arrays,
# summed in another order.
RECONCILE_RELATIVE = 1e-9
PRESETS_MOVED = ("full-interconnection", "payment-first", "bilateral-opening", "data-without-safeguards")


@pytest.fixture(scope="module")
def runs(data, presets):
    return {name: engine.run(presets[name], data) for name in PRESETS_MOVED}


def _ledger(result, data) -> dict[str, float]:
    return engine.ledger(result, data).set_index("group")["change_rmb_bn"].to_dict()


def _population_consumers(result, data) -> tuple[float, dict[str, float]]:
    """RMB bn: every online shopper (her wallet's segments in the model's weights, the model's
    spending per shopper) before harms, and each harm over the shoppers and the WeChat users who do
    not shop online (every shopper is taken to use WeChat)."""
    rates = result.person
    params = engine.parameter_batch(data, 1, result.scenario.assumptions)
    weights = PlatformTable.from_data(data).segment_weights(data, params)[0]
    shoppers = data.figure("online_shoppers_2021") * 1e6
    non_shoppers = data.figure("wechat_users_2021") * 1e6 - shoppers
    spending = float(rates.spending_per_shopper[0]) / 12.0
    before_harms, harms = 0.0, {"privacy": 0.0, "fraud": 0.0, "clutter": 0.0}
    for wallet in dict.fromkeys(rates.wallets):
        in_wallet = [g for g, w in enumerate(rates.wallets) if w == wallet]
        share = weights[in_wallet].sum()
        mix = {rates.origins[g]: weights[g] / share for g in in_wallet}
        parts = person.shopper_change(rates, spending, wallet, mix, wechat_user=True)
        before_harms += shoppers * share * sum(float(parts[c][0]) for c in (*person.SHOPPER_CHANNELS, "choice"))
        for harm in harms:
            harms[harm] += shoppers * share * float(parts[harm][0])
    idle = person.shopper_change(rates, 0.0, rates.wallets[0], {"direct": 1.0}, wechat_user=True)
    for harm in person.WECHAT_HARMS:
        harms[harm] += non_shoppers * float(idle[harm][0])
    return before_harms / 1e9, {harm: value / 1e9 for harm, value in harms.items()}


@pytest.mark.parametrize("name", PRESETS_MOVED)
def test_shoppers_summed_over_the_population_are_the_ledgers_consumer_rows(runs, data, name):
    result = runs[name]
    ledger = _ledger(result, data)
    before_harms, harms = _population_consumers(result, data)
    assert before_harms == pytest.approx(ledger["consumers"], rel=RECONCILE_RELATIVE, abs=1e-9)
    for harm, value in harms.items():
        assert value == pytest.approx(ledger[f"harm.{harm}"], rel=RECONCILE_RELATIVE, abs=1e-9)
    assert before_harms + sum(harms.values()) == pytest.approx(
        float(result.final.loc["consumer.surplus", "change"]), rel=RECONCILE_RELATIVE, abs=1e-9)


@pytest.mark.parametrize("name", PRESETS_MOVED)
def test_merchants_summed_over_the_platforms_sales_are_the_ledgers_merchant_rows(runs, data, name):
    """A merchant per platform with that platform's whole status-quo sales: together the ledger's
    marketplace and private-domain merchants, net of the compliance they bear."""
    result = runs[name]
    rates, ledger = result.person, _ledger(result, data)
    summed = 0.0
    for j, platform in enumerate(rates.platforms):
        gmv = float(rates.status_quo_sales[0, j]) * 1e9
        private = platform == rates.private_platform
        summed += float(person.total(person.merchant_change(rates, gmv, 1.0 if private else 0.0,
                                                            [] if private else [platform]))[0])
    expected = ledger["marketplace_merchants"] + ledger["private_domain_merchants"] + ledger["compliance"]
    assert summed / 1e9 == pytest.approx(expected, rel=RECONCILE_RELATIVE, abs=1e-9)


def test_the_status_quo_changes_nobody(data, presets):
    rates = engine.run(presets["status-quo"], data).person
    shopper = person.shopper_change(rates, 2000.0, "alipay", {"wechat": 0.5, "direct": 0.5})
    merchant = person.merchant_change(rates, 1e6, 0.3, ["alibaba", "pdd"])
    assert all(abs(float(v[0])) < 1e-9 for v in (*shopper.values(), *merchant.values()))


def test_a_merchant_on_a_platform_whose_fee_does_not_change_gets_nothing_from_fees(runs):
    rates = runs["full-interconnection"].person
    j = rates.platforms.index("pdd")
    fees = {name: value.copy() for name, value in rates.merchant.items()}
    fees["fees"][:, j] = 0.0
    fixed = dataclasses.replace(rates, merchant=fees)
    parts = person.merchant_change(fixed, 1e6, 0.0, ["pdd"])
    assert float(parts["fees"][0]) == 0.0
    assert float(person.merchant_change(rates, 1e6, 0.0, ["pdd"])["fees"][0]) != 0.0


def test_a_merchants_parts_are_its_platforms_rates_times_its_sales(runs):
    rates = runs["bilateral-opening"].person
    parts = person.merchant_change(rates, 2e6, 0.25, ["alibaba"])
    j, k = rates.platforms.index("alibaba"), rates.platforms.index(rates.private_platform)
    for name, rate in rates.merchant.items():
        assert float(parts[name][0]) == pytest.approx(1.5e6 * rate[0, j] + 0.5e6 * rate[0, k])


def test_a_shoppers_change_before_harms_is_linear_in_spending(runs):
    rates = runs["full-interconnection"].person

    def before_harms(spending):
        parts = person.shopper_change(rates, spending, "wechat_pay", {"wechat": 0.3, "douyin": 0.2, "direct": 0.5})
        return sum(float(parts[c][0]) for c in (*person.SHOPPER_CHANNELS, "choice"))
    assert before_harms(3000.0) == pytest.approx(3 * before_harms(1000.0))
    assert before_harms(0.0) == 0.0


@pytest.mark.parametrize("name", PRESETS_MOVED)
def test_each_channel_summed_over_the_segments_is_the_runs_channel(runs, data, name):
    """The shoppers' parts add up, channel by channel, to the consumer gain's breakdown, so a
    person's parts have the signs of her segment's and the whole market's are the run's."""
    result = runs[name]
    rates = result.person
    params = engine.parameter_batch(data, 1, result.scenario.assumptions)
    weights = PlatformTable.from_data(data).segment_weights(data, params)[0]
    spending = float(result.final.loc["market.gmv", "status_quo"])
    for channel in person.SHOPPER_CHANNELS:
        summed = float(weights @ rates.shopper[channel][0]) * spending
        assert summed == pytest.approx(float(result.final.loc[f"consumer.channel.{channel}", "change"]),
                                       rel=RECONCILE_RELATIVE, abs=1e-9)


def test_the_band_contains_the_central_value_for_the_default_persons(data, presets):
    for name in ("full-interconnection", "bilateral-opening"):
        scenario = presets[name]
        central = engine.run(scenario, data).person
        bands = engine.monte_carlo(scenario, data, draws=200)
        for change in (lambda r: person.merchant_change(r, 1e6, 0.0, ["alibaba"]),
                       lambda r: person.shopper_change(r, person.average_monthly_spending(data), "wechat_pay",
                                                       {"wechat": 0.5, "direct": 0.5})):
            value = float(person.total(change(central))[0])
            p10, p90 = engine.quantiles(person.total(change(bands.person)), (0.1, 0.9), axis=0)
            assert p10 <= value <= p90, (name, value, p10, p90)


def test_bad_inputs_are_refused_naming_the_field(runs):
    rates = runs["payment-first"].person
    with pytest.raises(ValueError, match="wallet"):
        person.shopper_change(rates, 100.0, "cash", {"direct": 1.0})
    with pytest.raises(ValueError, match="origins"):
        person.shopper_change(rates, 100.0, "alipay", {"direct": 0.5})
    with pytest.raises(ValueError, match="marketplaces"):
        person.merchant_change(rates, 1e6, 0.5, [])
    with pytest.raises(ValueError, match="marketplaces"):
        person.merchant_change(rates, 1e6, 0.0, ["wechat_private"])
    with pytest.raises(ValueError, match="private_share"):
        person.merchant_change(rates, 1e6, 1.5, ["alibaba"])


def test_the_default_shopper_spends_nbs_retail_per_cnnic_shopper(data):
    assert person.average_monthly_spending(data) == pytest.approx(10804.2e9 / 842e6 / 12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.lists(st.floats(0.0, 1e8), min_size=3, max_size=6),
       st.lists(st.floats(1.0, 1e5), min_size=3, max_size=6), st.floats(0.0, 1.0))
def test_a_persons_change_is_monotone_in_gmv_and_in_spending(scenario, gmvs, spendings, private_share):
    rates = engine.run(scenario).person
    merchant = [float(person.total(person.merchant_change(rates, g, private_share, ["alibaba", "jd"]))[0])
                for g in sorted(gmvs)]
    shopper = [float(person.total(person.shopper_change(rates, s, "alipay", {"wechat": 0.4, "direct": 0.6}))[0])
               for s in sorted(spendings)]
    for values in (merchant, shopper):
        steps = np.diff(values)
        tolerance = 1e-9 * max(1.0, max(abs(v) for v in values))
        assert (steps >= -tolerance).all() or (steps <= tolerance).all()
