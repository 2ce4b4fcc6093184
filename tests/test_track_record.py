"""The track-record panel and the schedule timeline render in both languages without errors."""
import pytest
from streamlit.testing.v1 import AppTest

from model import backtest
from reports import track_record
from ui.timeline import schedule_figure
from ui.charts import track_record_chart


def _panel(lang):
    from ui.track_record import track_record_panel
    track_record_panel(lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_panel_shows_the_verdict_the_scores_every_row_and_the_lessons(lang):
    at = AppTest.from_function(_panel, args=(lang,), default_timeout=120)
    at.run()
    assert not at.exception
    result = backtest.backtest()
    verdict = track_record.verdict(result, lang)
    shown_boxes = [box.value for box in (at.warning if track_record.model_is_worse(result) else at.success)]
    assert verdict in shown_boxes
    scores = at.dataframe[0].value
    summary = backtest.summary(result.rows)
    assert list(scores.iloc[:, 1]) == [f"{summary['crps']:.2f}", f"{summary['benchmark']['crps']:.2f}"]
    assert list(scores.iloc[:, 2]) == [f"{summary['interval_score']:.1f}",
                                       f"{summary['benchmark']['interval_score']:.1f}"]
    assert len(at.dataframe[1].value) == len(result.rows)
    shown = "\n".join(m.value for m in at.markdown)
    assert all(item in shown for item in track_record.lessons(result, lang))


def test_chart_has_bands_and_medians_for_model_and_benchmark_and_the_reports(data):
    result = backtest.backtest(data, draws=50)
    figure = track_record_chart(result.paths, "en")
    platforms = set(result.paths["platform"])
    # per platform: a band and a median for each forecast, and one series of reports
    assert len(figure["data"]) == len(platforms) * (2 * 2 + 1)
    reported = [t for t in figure["data"] if t.get("marker", {}).get("symbol") == "diamond"]
    expected = result.paths[result.paths["forecast"] == "reported"]
    assert sorted(round(y, 6) for t in reported for y in t["y"]) == sorted(round(100 * v, 6) for v in expected["p50"])
    for trace in reported:
        assert all(up > 0 and down > 0 for up, down in zip(trace["error_y"]["array"], trace["error_y"]["arrayminus"]))
    filled = [t for t in figure["data"] if t.get("fill") == "toself"]
    assert len(filled) == 2 * len(platforms)


def test_paths_share_one_set_and_start_at_the_calibration_year(data):
    paths = backtest.backtest(data, draws=50).paths
    for _, part in paths[paths["forecast"] == "reported"].groupby("year"):
        assert part["p50"].sum() == pytest.approx(1.0)
    assert (paths["p10"] <= paths["p50"]).all() and (paths["p50"] <= paths["p90"]).all()
    start = paths[paths["year"] == 2021]
    assert (start["p10"] - start["p90"]).abs().max() < 1e-9        # everyone starts from the 2021 shares
    assert set(paths["platform"]) == set(backtest.history.reported_shares(2024))


def test_timeline_steps_from_the_status_quo(data):
    figure = schedule_figure("payment_interop", ((2022, 0.05), (2024, 0.2), (2025, 0.7)), "zh", 2024)
    line, steps = figure["data"]
    assert line["x"] == [2021, 2022, 2024, 2025, 2025]
    assert line["y"][0] == 100 * data.levers["payment_interop"].status_quo
    assert steps["text"] == ["5%", "20%", "70%"]


def test_lever_values_read_as_text_in_both_languages():
    from ui.i18n import lever_value_text
    assert lever_value_text("payment_interop", 0.3, "en") == "30%"
    assert lever_value_text("payment_interop", ((2022, 0.05), (2024, 0.2)), "en") == "5% from 2022, 20% from 2024"
    assert lever_value_text("payment_interop", ((2022, 0.05), (2024, 0.2)), "zh") == "2022年起 5%，2024年起 20%"
    assert lever_value_text("openness", "all", "en") != "all"  # the choice's label, not its id


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_numbers_behind_the_chart_are_named_in_the_readers_language_in_percent(data, lang):
    """The table under the chart showed the back-test's raw frame: "benchmark", "alibaba", 0.44."""
    from ui.track_record import paths_table
    result = backtest.backtest(data, draws=50)
    table = paths_table(result.paths, lang)
    assert len(table) == len(result.paths)
    assert set(table.index) == ({"Model", "Naive random walk", "Reported"} if lang == "en" else {"模型", "朴素随机游走", "公布"})
    assert not {"alibaba", "model", "benchmark", "p50"} & {*table.index, *table.columns, *table.iloc[:, 1]}
    assert table["P50"].tolist() == pytest.approx((result.paths["p50"] * 100).tolist())
    errors = table.iloc[:, -1]
    assert set(errors[table.index != table.index[-1]]) == {"—"} and all(e.endswith("%") for e in errors[table.index == table.index[-1]])
