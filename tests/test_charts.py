"""Every chart the pages draw is a valid Plotly figure made of plain JSON types. The pages send the
dicts as they are (ui.chart_component, no plotly validation on a rerun), so this is where a misspelt
property or a value the browser could not read is caught."""
import json

import plotly.graph_objects as go
import pytest

from model import engine
from model.data import default_data
from model.scenario import Scenario
from model import backtest
from ui import charts
from ui.timeline import schedule_figure
from ui.charts import track_record_chart

DATA = default_data()
SCENARIO = Scenario(name="A", levers=dict(DATA.status_quo_levers, payment_interop=0.7, links=0.6, data_sharing=0.4),
                    horizon=2030)


@pytest.fixture(scope="module")
def computed():
    result = engine.run(SCENARIO, DATA)
    attribution = engine.attribution(SCENARIO, DATA)
    bands = engine.monte_carlo(SCENARIO, DATA, draws=40, seed=3).bands
    tornado = engine.tornado(SCENARIO, "concentration.hhi", DATA)
    return result, attribution, bands, tornado


def figures(computed, lang: str) -> dict[str, dict]:
    result, attribution, bands, tornado = computed
    final, year = result.final, result.years[-1]
    paths = {"A": result.scenario_paths, "B": result.status_quo_paths}
    contributions = attribution.contributions.loc["consumer.surplus"]
    shares = charts.shares_chart(final["value"], final["status_quo"], lang, year)
    return {
        "path": charts.path_chart("concentration.hhi", result.scenario_paths, result.status_quo_paths, lang),
        "path with bands": charts.path_chart("consumer.surplus", result.scenario_paths, result.status_quo_paths,
                                             lang, bands),
        "shares": shares,
        "waterfall": charts.waterfall_chart(contributions, "consumer.surplus", lang),
        "tornado": charts.tornado_chart(tornado, "concentration.hhi", lang),
        "gains": charts.gains_chart(engine.ledger(result, DATA), lang),
        "ratios": charts.ratios_chart(result.scenario_paths, result.status_quo_paths, lang),
        "compare paths": charts.compare_paths_chart("share.alibaba", paths, lang),
        "compare shares": charts.compare_shares_chart({"A": final["value"], "B": final["status_quo"]}, lang),
        "compare attribution": charts.compare_attribution_chart({"A": contributions, "B": contributions * 2},
                                                                "consumer.surplus", lang),
        "projection": charts.for_projection(shares, 520),
        "track record": track_record_chart(backtest.backtest(DATA, draws=20).paths, lang),
        "timeline": schedule_figure("payment_interop", ((2022, 0.1), (2025, 0.6)), lang, 2030),
        "drivers": charts.drivers_chart([{"parameter": pid, "first_order": 0.3 - k / 10, "total_order": 0.4 - k / 10,
                                          "first_order_ci": [0.2 - k / 10, 0.4 - k / 10],
                                          "total_order_ci": [0.3 - k / 10, 0.5 - k / 10]}
                                         for k, pid in enumerate(["value_of_time", "discount_rate"])], lang),
        "workshop proposals": charts.proposals_chart({"Plan A (Ana)": (0.4, 12.0), "方案 (王伟)": (-1.2, 3.5)},
                                                     ("consumer.surplus", "concentration.hhi"), lang),
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_passes_plotly_validation(computed, lang):
    built = figures(computed, lang)
    for name, figure in built.items():
        try:
            go.Figure(figure)  # validates every property; raises ValueError on a wrong one
        except ValueError as error:
            pytest.fail(f"{name} ({lang}): {error}")


def test_validation_would_catch_a_misspelt_property(computed):
    figure = figures(computed, "en")["shares"]
    broken = {**figure, "layout": {**figure["layout"], "titel": "typo"}}
    with pytest.raises(ValueError, match="titel"):
        go.Figure(broken)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_is_plain_json_with_finite_numbers(computed, lang):
    """What the chart component sends: numpy integers or NaN would not reach the browser."""
    for name, figure in figures(computed, lang).items():
        try:
            json.loads(json.dumps(figure, allow_nan=False))
        except (TypeError, ValueError) as error:
            pytest.fail(f"{name} ({lang}): {error}")


def test_projection_keeps_the_page_font_and_enlarges_the_type(computed):
    shares = figures(computed, "en")["shares"]
    projected = charts.for_projection(shares, 520)["layout"]
    assert projected["font"]["family"] == shares["layout"]["font"]["family"] == charts.FONT_FAMILY
    assert projected["xaxis"]["tickfont"]["size"] == charts.PRESENT_FONT_SIZE > shares["layout"]["xaxis"]["tickfont"]["size"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_frontier_axis_names_its_unit_once(lang):
    """"Consumer gain, present value, RMB bn, present value" said it twice."""
    from analysis.frontier import default_objectives
    for objective in default_objectives(default_data()):
        title, _ = charts._objective_axis(objective, lang)
        assert title.count("present value") <= 1 and title.count("现值") <= 1, title
        assert title.count("HHI") <= 1, title  # "集中度（HHI），HHI（0–10000）" said it twice too
        if lang == "zh":  # Chinese punctuation in a Chinese title
            assert ", " not in title and " (" not in title, title


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_axes_write_thousands_as_the_cards_do_never_with_an_si_suffix(computed, lang):
    """A frontier axis in 亿元 read "2k, 4k": an English abbreviation on a Chinese page."""
    for name, figure in figures(computed, lang).items():
        layout = figure["layout"]
        for axis in (key for key in layout if key.startswith(("xaxis", "yaxis"))):
            if layout[axis].get("visible", True) and "tickvals" not in layout[axis]:  # ticks given: no format
                assert layout[axis].get("exponentformat") == "none", (name, axis)
