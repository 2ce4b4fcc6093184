"""The back-test: its JSON contract, one row per reported figure, honest arithmetic, sources, and a
calibration that uses nothing after 2021."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model import backtest, engine, history, scores, trends
from model.scenario import load_scenario
from reports import track_record

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def result(data):
    return backtest.backtest(data, draws=200)


@pytest.fixture(scope="module")
def cli_json():
    done = subprocess.run([sys.executable, "-m", "cli", "backtest", "--format", "json"], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_json_contract(cli_json):
    assert cli_json["calibrated_through"] == 2021
    assert {"calibrated_through", "rows", "summary"} <= set(cli_json)
    assert set(cli_json["summary"]) == {"mean_abs_error_pp", "crps", "interval_score", "coverage", "benchmark"}
    assert set(cli_json["summary"]["benchmark"]) == {"crps", "interval_score", "coverage"}
    for row in cli_json["rows"]:
        assert set(row) == set(backtest.ROW_KEYS)
        assert row["crps"] >= 0 and row["interval_score"] >= 100 * (row["p90"] - row["p10"]) - 1e-9


def test_a_row_per_year_and_platform_with_a_figure(result):
    expected = [(year, f"share.{pid}") for year in backtest.BACKTEST_YEARS for pid in history.reported_shares(year)]
    assert [(r["year"], r["outcome"]) for r in result.rows] == expected
    assert [(r["year"], r["outcome"]) for r in result.status_quo_rows] == expected
    assert {2022, 2023, 2024} == {r["year"] for r in result.rows}


def test_error_is_modelled_minus_reported_in_points(result):
    for row in result.rows + result.status_quo_rows:
        assert row["error_pp"] == pytest.approx(100 * (row["modelled"] - row["reported"]))
        assert row["reported"] == pytest.approx(history.reported_shares(row["year"])[row["outcome"][6:]])
        assert 0 <= row["p10"] <= row["p90"] <= 1


def test_shares_are_within_the_reported_set(result):
    for year in backtest.BACKTEST_YEARS:
        rows = [r for r in result.rows if r["year"] == year]
        assert sum(r["modelled"] for r in rows) == pytest.approx(1.0)
        assert sum(r["reported"] for r in rows) == pytest.approx(1.0)


def test_summary_is_the_mean_error_scores_and_the_share_inside(result):
    rows = result.rows
    summary = backtest.summary(rows)
    assert summary["mean_abs_error_pp"] == pytest.approx(sum(abs(r["error_pp"]) for r in rows) / len(rows))
    assert summary["coverage"] == sum(r["p10"] <= r["reported"] <= r["p90"] for r in rows) / len(rows)
    assert summary["crps"] == pytest.approx(np.mean([r["crps"] for r in rows]))
    assert summary["interval_score"] == pytest.approx(np.mean([r["interval_score"] for r in rows]))
    naive = summary["benchmark"]
    assert naive["coverage"] == sum(r["benchmark"]["p10"] <= r["reported"] <= r["benchmark"]["p90"] for r in rows) / len(rows)
    assert naive["interval_score"] == pytest.approx(np.mean([r["benchmark"]["interval_score"] for r in rows]))
    empty = backtest.summary([])
    assert empty["coverage"] is None and empty["benchmark"]["crps"] is None


def test_row_scores_are_the_scores_of_the_band(result):
    for row in result.rows:
        expected = 100 * scores.interval_score(row["p10"], row["p90"], row["reported"])
        assert row["interval_score"] == pytest.approx(expected)
        inside = row["p10"] <= row["reported"] <= row["p90"]
        assert inside == (row["interval_score"] == pytest.approx(100 * (row["p90"] - row["p10"])))


def test_measurement_error_follows_the_confidence_flag(result):
    for row in result.rows:
        flag = "press_estimate" if "press estimate" in row["source"] else None
        if flag:
            assert row["observation_sd"] == trends.observation_sd(flag)


def test_every_row_names_its_source(result):
    for row in result.rows:
        assert row["source"].strip()
        assert any(kind in row["source"] for kind in ("filing", "press estimate", "company statement", "derived"))


def test_what_happened_steps_match_the_dated_events(data):
    scenario = load_scenario(backtest.WHAT_HAPPENED, data)
    events = history.load_history().events
    for lever, value in scenario.levers.items():
        steps = [(e.year, e.value) for e in events if e.lever == lever]
        if isinstance(value, tuple):
            assert list(value) == steps, lever
        elif steps:
            assert [value] == [v for _, v in steps], lever
        else:
            assert value == data.levers[lever].status_quo, lever


def test_the_episode_runs_its_dated_steps_in_the_engine(data):
    """Payments open in steps (2022, 2024, 2025): Alibaba's share gains only once a step is in force."""
    scenario = load_scenario(backtest.WHAT_HAPPENED, data)
    assert isinstance(scenario.levers["payment_interop"], tuple)
    result = engine.run(scenario, data)
    assert result.scenario_paths.loc[2021, "share.alibaba"] == result.status_quo_paths.loc[2021, "share.alibaba"]
    assert result.scenario_paths.loc[2022, "share.alibaba"] != result.status_quo_paths.loc[2022, "share.alibaba"]


def test_calibration_uses_nothing_after_2021(monkeypatch, data):
    assert max(o.year for o in history.calibration_records()) <= backtest.history.CALIBRATION_LAST_YEAR
    real = history.load_history()
    later = real.observation("kuaishou", real.record("kuaishou", 2022))
    leaky = history.calibration_records() + [later]
    monkeypatch.setattr(history, "calibration_records", lambda *a, **k: history.check_calibration_inputs(leaky))
    with pytest.raises(ValueError, match="after 2021"):
        backtest.backtest(data, draws=20)


def test_table_lists_shares_in_percent_with_sources_beside_the_benchmark(result):
    frame = backtest.table(result)
    assert len(frame) == len(result.rows)
    assert frame["source"].str.len().min() > 0
    assert frame["model %"].between(0, 100).all() and frame["naive %"].between(0, 100).all()
    assert {"model CRPS", "naive CRPS", "model IS80", "naive IS80"} <= set(frame.columns)
    scores_ = backtest.score_table(result)
    assert list(scores_["forecast"]) == ["model", "naive random walk"] * 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_methods_section_reports_every_comparison_and_the_scores_beside_the_benchmark(result, lang):
    text = track_record.methods_section(lang, result)
    first = backtest.summary(result.rows)
    assert text.startswith("## ")
    for figure in (f"{first['mean_abs_error_pp']:.1f}", f"{first['coverage']:.0%}", f"{first['crps']:.2f}",
                   f"{first['interval_score']:.1f}", f"{first['benchmark']['interval_score']:.1f}",
                   f"{first['benchmark']['crps']:.2f}"):
        assert figure in text
    for row in result.rows:
        assert f"{row['reported']:.1%}" in text and f"{row['crps']:.2f}" in text
        assert f"{row['benchmark']['crps']:.2f}" in text
    assert all(item in text for item in track_record.lessons(result, lang))
    assert track_record.verdict(result, lang) in text


def test_lessons_follow_the_numbers(result):
    items = track_record.lessons(result, "en")
    worst = max(result.rows, key=lambda r: abs(r["error_pp"]))
    assert f"{worst['error_pp']:+.1f} points" in items[0]
    douyin = [r for r in result.rows if r["outcome"] == "share.douyin"][-1]
    assert any("Douyin's take-off" in item for item in items) == (douyin["reported"] > douyin["p90"])
    assert len(track_record.lessons(result, "zh")) == len(items)


def test_the_verdict_says_when_the_model_is_worse_than_the_benchmark(result):
    worse = track_record.model_is_worse(result)
    summary = backtest.summary(result.rows)
    assert worse == (summary["interval_score"] > summary["benchmark"]["interval_score"]
                     or summary["crps"] > summary["benchmark"]["crps"])
    assert ("still worse" in track_record.verdict(result, "en")) == worse


def test_track_record_frame_has_both_runs(result):
    frame = backtest.track_record_frame(result)
    assert set(frame["which"]) == {"what_happened", "status_quo"}
    assert len(frame) == len(result.rows) + len(result.status_quo_rows)
    assert (frame["inside"] == ((frame["p10"] <= frame["reported"]) & (frame["reported"] <= frame["p90"]))).all()


def test_per_draw_shares_are_monte_carlos_draws(data):
    scenario = load_scenario(backtest.WHAT_HAPPENED, data)
    shares, years = backtest._share_draws(scenario, data, 100, 7)
    bands = engine.monte_carlo(scenario, data, draws=100, seed=7).bands
    column = list(years).index(2023)
    for k, platform in enumerate(data.platforms):
        band = bands[(bands.outcome == f"share.{platform.id}") & (bands.which == "scenario") & (bands.year == 2023)]
        assert float(band.p10.iloc[0]) == pytest.approx(np.percentile(shares[:, column, k], 10))
        assert float(band.p90.iloc[0]) == pytest.approx(np.percentile(shares[:, column, k], 90))
