"""The back-test: its JSON contract, one row per reported figure, honest arithmetic, sources, and a
calibration that uses nothing after 2021."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model import backtest, engine, history
from model.scenario import load_scenario

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
    assert set(cli_json["summary"]) == {"mean_abs_error_pp", "coverage"}
    for row in cli_json["rows"]:
        assert set(row) == set(backtest.ROW_KEYS)


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


def test_summary_is_the_mean_error_and_the_share_inside(result):
    rows = result.rows
    summary = backtest.summary(rows)
    assert summary["mean_abs_error_pp"] == pytest.approx(sum(abs(r["error_pp"]) for r in rows) / len(rows))
    assert summary["coverage"] == sum(r["p10"] <= r["reported"] <= r["p90"] for r in rows) / len(rows)
    assert backtest.summary([]) == {"mean_abs_error_pp": None, "coverage": None}


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


def test_table_lists_shares_in_percent_with_sources(result):
    frame = backtest.table(result)
    assert len(frame) == len(result.rows)
    assert frame["source"].str.len().min() > 0
    assert frame["modelled %"].between(0, 100).all()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_methods_section_reports_the_2023_errors_and_coverage(result, lang):
    text = backtest.methods_section(lang, result)
    first = backtest.summary(result.rows)
    assert text.startswith("## ") and f"{first['mean_abs_error_pp']:.1f}" in text and f"{first['coverage']:.0%}" in text
    for row in (r for r in result.rows if r["year"] == 2023):
        assert f"{row['error_pp']:+.1f}" in text and f"{row['reported']:.1%}" in text
    assert all(item in text for item in backtest.lessons(result, lang))


def test_lessons_follow_the_numbers(result):
    items = backtest.lessons(result, "en")
    worst = max((r for r in result.rows if r["year"] == 2023), key=lambda r: abs(r["error_pp"]))
    assert f"{worst['error_pp']:+.1f} pp" in items[0]
    assert any("P10–P90" in item for item in items) == (backtest.summary(result.rows)["coverage"] < 0.8)
    assert len(backtest.lessons(result, "zh")) == len(items)


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
