"""Every chart the pages draw is a valid Plotly figure. The pages send them without plotly's
validation (ui.charts.unvalidated, for speed), so this is where a misspelt property is caught."""
import plotly.graph_objects as go
import pytest

from model import engine
from model.data import default_data
from model.scenario import Scenario
from ui import charts

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


def test_the_unvalidated_figure_carries_the_same_chart(computed):
    figure = figures(computed, "en")["waterfall"]
    assert charts.unvalidated(figure).to_dict() == go.Figure(figure).to_dict()
