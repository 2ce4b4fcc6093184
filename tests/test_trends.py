"""Trend uncertainty, entrant diffusion, observation error, the method test, the scores and the
benchmark: each number in data/ recomputed from the 2018–2021 history, hand-computed scores, and
calibration honesty (nothing after 2021 changes a parameter, a preset's output or a band)."""
import math
import shutil

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from model import benchmark, engine, history, mechanisms, scores, trends
from model.data import DATA_DIR

# ---- Scores ----


def test_crps_by_hand():
    # Two draws 0 and 1, outcome 0: E|X − y| = 0.5, ½ E|X − X′| = ½ × 0.5 = 0.25.
    assert scores.crps(np.array([0.0, 1.0]), 0.0) == pytest.approx(0.25)
    # One draw is a point forecast: the CRPS is the absolute error.
    assert scores.crps(np.array([0.3]), 0.1) == pytest.approx(0.2)
    # Draws 1, 2, 4 at y = 2: E|X − y| = 1, E|X − X′| = (1 + 3 + 2) × 2 / 9 = 4/3, so 1 − 2/3.
    assert scores.crps(np.array([4.0, 1.0, 2.0]), 2.0) == pytest.approx(1.0 / 3.0)


def test_crps_of_normal_draws_is_the_closed_form():
    draws = np.random.default_rng(1).normal(0.0, 2.0, 200_000)
    z = 0.5 / 2.0
    phi, cdf = math.exp(-z * z / 2) / math.sqrt(2 * math.pi), 0.5 * (1 + math.erf(z / math.sqrt(2)))
    expected = 2.0 * (z * (2 * cdf - 1) + 2 * phi - 1 / math.sqrt(math.pi))
    assert scores.crps(draws, 0.5) == pytest.approx(expected, rel=0.01)


def test_interval_score_by_hand():
    assert scores.interval_score(0.2, 0.4, 0.3) == pytest.approx(0.2)             # inside: the width
    assert scores.interval_score(0.2, 0.4, 0.5) == pytest.approx(0.2 + 10 * 0.1)  # 2/α = 10 per unit outside
    assert scores.interval_score(0.2, 0.4, 0.1) == pytest.approx(0.2 + 10 * 0.1)


@settings(max_examples=100, deadline=None)
@given(draws=st.lists(st.floats(-10, 10), min_size=1, max_size=40), outcome=st.floats(-10, 10))
def test_crps_is_non_negative_and_at_most_the_mean_absolute_error(draws, outcome):
    values = np.array(draws)
    score = scores.crps(values, outcome)
    assert -1e-9 <= score <= np.abs(values - outcome).mean() + 1e-9


# ---- Benchmark ----


def test_benchmark_log_share_by_hand():
    walk = benchmark.RandomWalk({"a": 0.5, "b": 0.5}, {"a": 0.1, "b": -0.1}, {"a": 4, "b": 1}, 0.2)
    mean, sd = walk.log_share("a", 2)
    assert mean == pytest.approx(math.log(0.5) + 0.2)
    assert sd == pytest.approx(0.2 * math.sqrt(2 + 4 / 4))
    assert walk.log_share("b", 3)[1] == pytest.approx(0.2 * math.sqrt(3 + 9))
    shares = walk.draws(["a", "b"], 2, 100_000, seed=3)
    ratio = np.log(shares[:, 0] / shares[:, 1])      # renormalising leaves the log ratio alone
    assert ratio.mean() == pytest.approx(0.4, abs=0.01)
    assert ratio.std() == pytest.approx(math.sqrt(0.2**2 * (3 + 6)), rel=0.02)


def test_benchmark_is_fitted_on_2018_to_2021_by_hand():
    walk = benchmark.fit()
    # Within-set shares from data/history.yaml: Alibaba 7,267.75 → 7,631.1 and so on.
    assert walk.drift["alibaba"] == pytest.approx((-0.07202 - 0.09375 - 0.12870) / 3, abs=1e-4)
    assert walk.drift["pdd"] == pytest.approx((0.53883 + 0.27976 + 0.20354) / 3, abs=1e-4)
    assert walk.changes == {"alibaba": 3, "jd": 3, "pdd": 3, "douyin": 1, "kuaishou": 1}
    assert walk.drift["kuaishou"] == pytest.approx(0.40246, abs=1e-4)   # its two launch changes left out
    assert walk.sd == pytest.approx(0.1044, abs=1e-4)
    assert walk.start["douyin"] == pytest.approx(800 / (7631.1 + 3290 + 2441 + 800 + 680.8))


# ---- Numbers in data/ recomputed from history ----


def test_trends_file_names_known_platforms_and_parameters(data):
    settings_ = trends.load_settings()
    assert trends.parameters_named() <= set(data.parameters)
    ids = {p.id for p in data.platforms}
    assert set(settings_.shock_sd_parameters) == ids
    assert {e.platform for e in settings_.entrants} <= ids and set(settings_.correlation) <= ids


def test_dispersion_and_correlation_are_recomputed(data):
    changes = trends.yearly_changes()
    own, pooled = trends.dispersion(changes)
    settings_ = trends.load_settings()
    for pid, parameter in settings_.shock_sd_parameters.items():
        expected = own.get(pid, pooled)
        assert data.parameters[parameter].central == pytest.approx(expected, abs=1e-4), pid
    estimated = trends.correlation(changes)
    for a, row in settings_.correlation.items():
        for b, value in row.items():
            assert value == pytest.approx(estimated[a][b], abs=1e-4)
    assert {pid for pid, row in estimated.items() if any(v and k != pid for k, v in row.items())} == set(
        settings_.correlation)


def test_trend_centrals_are_the_chosen_drift(data):
    changes = trends.yearly_changes()
    variant = trends.chosen_variant()
    for platform in data.platforms:
        if platform.trend_parameter and platform.id in changes:
            values = list(changes[platform.id].values())
            expected = values[-1] if variant.drift == "last" else float(np.mean(values))
            assert data.parameters[platform.trend_parameter].central == pytest.approx(expected, abs=5e-4)


def test_diffusion_parameters_are_the_fit(data):
    settings_ = trends.load_settings()
    kuaishou = next(e for e in settings_.entrants if e.platform == "kuaishou")
    rate, headroom = trends.fit_diffusion({y: trends.within_set_shares(y)["kuaishou"] for y in kuaishou.fit_years})
    assert data.parameters[kuaishou.rate_parameter].central == pytest.approx(rate, abs=1e-3)
    assert data.parameters[kuaishou.headroom_parameter].central == pytest.approx(headroom, abs=1e-3)
    douyin = next(e for e in settings_.entrants if e.platform == "douyin")
    assert trends.fit_diffusion({y: trends.within_set_shares(y)["douyin"] for y in douyin.fit_years}) is None
    change = trends.yearly_changes()["douyin"][2021]
    # Douyin's ceiling is the one that turns its one change into Kuaishou's rate.
    assert data.parameters[douyin.headroom_parameter].central == pytest.approx(trends.headroom_for(change, rate), abs=1e-3)
    assert data.parameters[douyin.rate_parameter].central == data.parameters[kuaishou.rate_parameter].central
    shares = {0: 1.0}
    headroom = trends.headroom_for(change, rate)
    shares[1] = math.exp(mechanisms.entrant_diffusion(np.array(1.0), rate, headroom * math.exp(change)))
    assert math.log(shares[1]) == pytest.approx(change)   # the logistic from 2020 makes that change


def test_diffusion_ranges_are_the_refits(data):
    for parameter, (low, _, high) in trends.diffusion_ranges().items():
        assert data.parameters[parameter].low == pytest.approx(low, abs=1e-3), parameter
        assert data.parameters[parameter].high == pytest.approx(high, abs=1e-3), parameter


def test_fit_diffusion_recovers_a_logistic():
    shares = {y: 0.2 / (1 + math.exp(-0.9 * (y - 2020))) for y in (2018, 2019, 2020, 2021)}
    rate, headroom = trends.fit_diffusion(shares)
    assert rate == pytest.approx(0.9, rel=0.01)
    assert headroom * shares[2021] == pytest.approx(0.2, rel=0.01)


def test_method_choice_is_recomputed_and_the_lowest_score():
    settings_ = trends.load_settings()
    measured = trends.method_scores()
    for variant, score in settings_.method.scores.items():
        assert measured[variant] == pytest.approx(score, abs=1e-3), variant
    assert settings_.method.chosen == min(measured, key=measured.get)
    assert settings_.method.scored_year <= history.CALIBRATION_LAST_YEAR


def test_every_confidence_flag_in_history_has_an_observation_error():
    declared = {e.confidence for e in trends.load_settings().observation_error}
    used = {o.confidence for o in history.load_history().observations()}
    assert used <= declared
    for entry in trends.load_settings().observation_error:
        assert 0 < entry.sd.low <= entry.sd.central <= entry.sd.high
    assert trends.observation_sd("press_estimate") > trends.observation_sd("filing")
    with pytest.raises(KeyError, match="confidence 'rumour'"):
        trends.observation_sd("rumour")


# ---- Mechanisms ----


def test_trend_without_shocks_is_the_decaying_drift():
    drift, persistence = np.array([[0.2, -0.1]]), np.array([0.6])
    path = mechanisms.status_quo_trend(drift, persistence, np.zeros((1, 5, 2)))
    n = np.arange(6)
    assert path[0, :, 0] == pytest.approx(0.2 * (1 - 0.6**n) / 0.4)
    shocked = mechanisms.status_quo_trend(drift, persistence, np.full((1, 5, 2), 0.01))
    assert shocked[0, :, 1] - path[0, :, 1] == pytest.approx(0.01 * n)   # a random walk: shocks accumulate


def test_diffusion_starts_at_zero_and_ends_at_its_ceiling():
    values = mechanisms.entrant_diffusion(np.array([0.0, 1.0, 50.0]), np.array([0.8]), np.array([3.0]))
    assert values[0] == pytest.approx(0.0)
    assert 0 < values[1] < values[2] == pytest.approx(math.log(3.0))


def test_shocks_have_their_own_substream_per_platform(data):
    one = trends.draw_shocks(data, 50, seed=5)
    again = trends.draw_shocks(data, 50, seed=5)
    assert all(np.array_equal(one[k], again[k]) for k in one)
    assert not np.array_equal(one[trends.shock_key("alibaba", 1)], one[trends.shock_key("jd", 1)])
    years = data.baseline.simulation.max_horizon - data.baseline.simulation.base_year
    assert len(one) == len(data.platforms) * years


def test_central_run_has_no_shocks_and_monte_carlo_does(data, presets):
    params = engine.parameter_batch(data, 1)
    assert not any(k.startswith("trend_shock.") for k in params)
    drawn = engine.draw_parameters(data, 20, seed=1)
    assert trends.shock_key("pdd", 3) in drawn


def test_bands_on_every_page_carry_the_trend_uncertainty(data, presets):
    """The challengers' share bands in 2030 are wide enough to tell Douyin from Kuaishou apart by
    draw: the relative-challenger uncertainty the comonotonic draws had at zero."""
    bands = engine.monte_carlo(presets["status-quo"], data, draws=200).bands
    final = bands[(bands.year == 2030) & (bands.which == "status_quo")].set_index("outcome")
    for pid in ("pdd", "douyin", "kuaishou"):
        assert final.loc[f"share.{pid}", "p90"] / final.loc[f"share.{pid}", "p10"] > 2.0


# ---- Calibration honesty ----


@pytest.fixture(scope="module")
def perturbed_history(tmp_path_factory):
    """data/history.yaml with every figure after 2021 changed (halved)."""
    raw = yaml.safe_load((DATA_DIR / "history.yaml").read_text(encoding="utf-8"))
    changed = 0
    for series in [raw["market"]] + raw["platforms"]:
        for record in series["records"]:
            if record["year"] > history.CALIBRATION_LAST_YEAR and record.get("value") is not None:
                record["value"] = record["value"] * 0.5
                changed += 1
    assert changed >= 10
    folder = tmp_path_factory.mktemp("history")
    path = folder / "history.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return history.load_history(path)


def test_no_calibration_number_reads_a_figure_after_2021(perturbed_history, data):
    real = history.load_history()
    assert perturbed_history.record("douyin", 2023).value != real.record("douyin", 2023).value
    assert trends.yearly_changes(history=perturbed_history) == trends.yearly_changes(history=real)
    assert trends.method_scores(history=perturbed_history) == trends.method_scores(history=real)
    assert benchmark.fit(perturbed_history) == benchmark.fit(real)
    assert trends.diffusion_ranges(history=perturbed_history) == trends.diffusion_ranges(history=real)
    for year in (2019, 2020, 2021):
        assert trends.within_set_shares(year, perturbed_history) == trends.within_set_shares(year, real)
    with pytest.raises(ValueError, match="nothing after 2021"):
        trends.within_set_shares(2022)


def test_no_preset_output_or_band_reads_a_figure_after_2021(perturbed_history, data, presets, monkeypatch):
    before = {name: engine.run(s, data).scenario_paths for name, s in presets.items()}
    bands = engine.monte_carlo(presets["full-interconnection"], data, draws=40).bands
    monkeypatch.setattr(history, "load_history", lambda *a, **k: perturbed_history)
    monkeypatch.setattr(trends, "load_history", lambda *a, **k: perturbed_history)
    monkeypatch.setattr(benchmark, "load_history", lambda *a, **k: perturbed_history)
    for name, scenario in presets.items():
        assert before[name].equals(engine.run(scenario, data).scenario_paths), name
    assert bands.equals(engine.monte_carlo(presets["full-interconnection"], data, draws=40).bands)


def test_a_trends_file_with_a_bad_field_names_it(tmp_path):
    path = tmp_path / "trends.yaml"
    shutil.copy(DATA_DIR / "trends.yaml", path)
    path.write_text(path.read_text(encoding="utf-8").replace("launch_share: 0.01", "launch_share: lots"),
                    encoding="utf-8")
    with pytest.raises(Exception, match="launch_share"):
        trends.load_settings(path)
