"""Model units: calibration, trends, the solver's report, determinism, the named mechanisms."""
import numpy as np

from model import engine, mechanisms
from model.market import base_shares
from model.scenario import Scenario, status_quo


def test_status_quo_reproduces_2021_shares_within_a_tenth_of_a_point(data):
    result = engine.run(status_quo(data), data)
    _, s0 = base_shares(engine.parameter_batch(data, 1), data)
    first = result.status_quo_paths.loc[2021]
    for j, platform in enumerate(data.platforms):
        assert abs(first[f"share.{platform.id}"] - s0[0, j]) < 0.001


def test_calibration_holds_for_every_drawn_private_domain_size(data):
    params = engine.draw_parameters(data, 50, seed=1)
    from model.market import LeverBatch, simulate
    sim = simulate(LeverBatch.from_dicts([data.status_quo_levers] * 50), params, data, 2023)
    _, s0 = base_shares(params, data)
    for j, platform in enumerate(data.platforms):
        np.testing.assert_allclose(sim.paths[f"share.{platform.id}"][:, 0], s0[:, j], atol=1e-9)


def test_status_quo_path_is_bounded_and_follows_documented_trends(data):
    paths = engine.run(status_quo(data, horizon=2040), data).status_quo_paths
    late_change = (paths.loc[2040] - paths.loc[2035]).abs()
    early_change = (paths.loc[2027] - paths.loc[2022]).abs()
    for platform in data.platforms:
        column = f"share.{platform.id}"
        assert late_change[column] < early_change[column] + 1e-12
    assert paths.loc[2030, "share.alibaba"] < paths.loc[2021, "share.alibaba"]  # Z13
    assert paths.loc[2030, "share.douyin"] > paths.loc[2021, "share.douyin"]   # N10


def test_solver_reports_a_unique_converged_equilibrium(presets, data):
    for scenario in presets.values():
        eq = engine.run(scenario, data).equilibrium
        assert eq["converged"] and eq["unique"] and eq["alternative_shares"] == {}


def test_solver_flags_a_second_equilibrium_when_network_effects_tip():
    from model.data import default_data
    from model.market import solve_shares
    # With beta far above the tipping threshold, a platform given 90 % keeps it.
    data = default_data()
    utility = np.zeros((1, 3))
    beta = np.array([8.0])
    adjacency = np.zeros((1, 3, 3))
    even, _, _ = solve_shares(utility, beta, adjacency, np.zeros(1), np.full((1, 3), 1 / 3), 1e-12, 500)
    tipped, converged, _ = solve_shares(utility, beta, adjacency, np.zeros(1), np.array([[0.9, 0.05, 0.05]]),
                                        1e-12, 500)
    assert converged.all() and tipped[0, 0] > 0.9 and abs(even[0, 0] - 1 / 3) < 1e-9
    assert data.baseline.solver.same_equilibrium_gap < abs(tipped[0, 0] - even[0, 0])


def test_same_input_same_output(presets, data):
    scenario = presets["bilateral-opening"]
    first, second = engine.run(scenario, data), engine.run(scenario, data)
    assert first.scenario_paths.equals(second.scenario_paths)
    a = engine.monte_carlo(scenario, data, draws=50, seed=7).bands
    b = engine.monte_carlo(scenario, data, draws=50, seed=7).bands
    assert a.equals(b)


def test_phase_in_is_fastest_for_payments(data):
    central = {k: p.central for k, p in data.parameters.items()}
    assert central["phase_in_payment"] < central["phase_in_links"] <= central["phase_in_data"]
    assert mechanisms.phase_in(1, np.array([central["phase_in_payment"]]))[0] == 1.0
    assert mechanisms.phase_in(1, np.array([central["phase_in_links"]]))[0] < 1.0


def test_trust_delay_shrinks_with_safeguards():
    slow = mechanisms.trust_delay(np.array([2.0]), np.array([1.0]), np.array([0.0]))
    fast = mechanisms.trust_delay(np.array([2.0]), np.array([1.0]), np.array([1.0]))
    assert slow[0] == 4.0 and fast[0] == 2.0


def test_traffic_only_reaches_platforms_newly_linked(data):
    result = engine.run(Scenario("links", dict(data.status_quo_levers, link_unblocking=1.0)), data)
    final = result.final
    assert final.loc["share.alibaba", "change"] > 0      # newly reachable from WeChat (Z10)
    assert final.loc["share.jd", "change"] < 0           # already inside WeChat (Z9)


def test_final_frame_has_every_outcome_with_its_unit(data):
    final = engine.run(status_quo(data), data).final
    assert list(final.index) == list(data.outcomes)
    assert (final["change"].abs() < 1e-9).all()
    assert final.loc["concentration.hhi", "unit"] == "hhi"


def test_who_gains_covers_smes_consumers_and_every_platform(presets, data):
    table = engine.who_gains(engine.run(presets["bilateral-opening"], data), data)
    assert list(table["group"]) == ["smes", "consumers"] + [p.id for p in data.platforms]
    assert table.set_index("group").loc["alibaba", "change_rmb_bn"] > 0


def test_tornado_ranks_parameters_by_swing(presets, data):
    table = engine.tornado(presets["bilateral-opening"], "share.wechat_private", data)
    assert len(table) == len(data.parameters)
    assert table["swing"].is_monotonic_decreasing
    top = set(table["parameter"].head(5))
    assert top & {"flood_penalty", "arbitrage_strength", "traffic_gain", "gmv_2021_wechat_private"}


def test_monte_carlo_bands_are_ordered(presets, data):
    bands = engine.monte_carlo(presets["full-interconnection"], data, draws=200).bands
    assert (bands["p10"] <= bands["p50"] + 1e-12).all() and (bands["p50"] <= bands["p90"] + 1e-12).all()
    hhi = bands[(bands.outcome == "concentration.hhi") & (bands.which == "scenario")]
    assert (hhi["p90"] - hhi["p10"]).iloc[-1] > 0
