"""Properties of the model for any valid scenario (Hypothesis)."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import engine
from model.data import default_data
from model.scenario import Scenario

DATA = default_data()
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
SHARES = [f"share.{p.id}" for p in DATA.platforms]
INDICES = [o for o, spec in DATA.outcomes.items() if spec.unit == "index"]


@st.composite
def scenarios(draw):
    levers = {lever.id: draw(unit) if lever.kind == "share" else draw(st.sampled_from([c.id for c in lever.choices]))
              for lever in DATA.levers.values()}
    names = draw(st.lists(st.sampled_from(sorted(DATA.parameters)), max_size=4, unique=True))
    assumptions = {}
    for pid in names:
        p = DATA.parameters[pid]
        assumptions[pid] = draw(st.floats(min_value=p.low, max_value=p.high, allow_nan=False))
    horizon = draw(st.integers(DATA.baseline.simulation.min_horizon, DATA.baseline.simulation.max_horizon))
    return Scenario("property", levers, assumptions=assumptions, horizon=horizon)


common = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(scenarios())
def test_shares_are_a_distribution_and_every_path_is_finite(scenario):
    paths = engine.run(scenario, DATA).scenario_paths
    shares = paths[SHARES].to_numpy()
    assert np.isfinite(paths.to_numpy()).all()
    assert (shares >= 0).all() and (shares <= 1).all()
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-9)


@common
@given(scenarios())
def test_indices_stay_on_their_scales(scenario):
    paths = engine.run(scenario, DATA).scenario_paths
    assert ((paths[INDICES] >= 0) & (paths[INDICES] <= 100)).all().all()
    assert ((paths["sme.private_domain_share"] >= 0) & (paths["sme.private_domain_share"] <= 1)).all()
    assert (paths["sme.acquisition_cost"] > 0).all()


@common
@given(scenarios())
def test_shapley_contributions_sum_to_the_total_change(scenario):
    final = engine.run(scenario, DATA).final
    contributions = engine.attribution(scenario, DATA).contributions
    np.testing.assert_allclose(contributions.sum(axis=1), final["change"], rtol=1e-7, atol=1e-6)


@common
@given(scenarios())
def test_a_lever_at_its_status_quo_value_gets_no_credit(scenario):
    levers = dict(scenario.levers, data_sharing=0.0)
    contributions = engine.attribution(Scenario("p", levers, assumptions=scenario.assumptions,
                                                horizon=scenario.horizon), DATA).contributions
    np.testing.assert_allclose(contributions["data_sharing"], 0.0, atol=1e-7)


@common
@given(scenarios())
def test_no_consumer_channel_exceeds_what_its_mechanism_can_deliver(scenario):
    table = engine.consumer_breakdown(engine.run(scenario, DATA), DATA).set_index("part")
    for channel in engine.CHANNELS:
        assert table.loc[f"channel.{channel}", "change_rmb_bn"] <= table.loc[f"channel.{channel}", "bound_rmb_bn"] + 1e-9

