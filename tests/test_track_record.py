"""The track-record panel and the schedule timeline render in both languages without errors."""
import pytest
from streamlit.testing.v1 import AppTest

from model import backtest
from ui.timeline import schedule_figure
from ui.track_record import track_record_chart


def _panel(lang):
    from ui.track_record import track_record_panel
    track_record_panel(lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_panel_shows_every_row_and_the_lessons(lang):
    at = AppTest.from_function(_panel, args=(lang,), default_timeout=120)
    at.run()
    assert not at.exception
    result = backtest.backtest()
    assert len(at.dataframe[0].value) == len(result.rows)
    shown = "\n".join(m.value for m in at.markdown)
    assert all(item in shown for item in backtest.lessons(result, lang))


def test_chart_has_a_modelled_and_a_reported_series_per_platform(data):
    result = backtest.backtest(data, draws=50)
    figure = track_record_chart(backtest.track_record_frame(result), "en")
    platforms = {r["outcome"] for r in result.rows}
    assert len(figure["data"]) == 2 * len(platforms)
    reported = [t for t in figure["data"] if t["marker"].get("symbol") == "diamond-open"]
    assert sorted(round(y, 6) for t in reported for y in t["y"]) == sorted(round(100 * r["reported"], 6) for r in result.rows)


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
