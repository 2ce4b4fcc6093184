"""The numbers behind the charts (ui/welfare.py, ui/widgets.chart_block): the chart's numbers in the
chart's units, rows and columns named in the reader's language."""
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import engine
from model.data import default_data
from model.scenario import Scenario
from ui.i18n import with_unit
from ui.welfare import breakdown_frame, ledger_frame, path_table, share_table
from ui.widgets import places, readable

DATA = default_data()


@pytest.fixture(scope="module")
def result():
    return engine.run(Scenario(name="", levers=dict(DATA.status_quo_levers, payment_interop=1.0, link_unblocking=0.5)),
                      DATA)


def test_ledger_headings_carry_their_unit_in_the_languages_brackets_and_a_present_value_is_a_sum(result):
    """"现值 (亿元/年)": English brackets in Chinese, and a present value called a flow per year."""
    headings = [*ledger_frame(engine.ledger(result, DATA), 2030, "zh").columns, *breakdown_frame(result, "zh").columns]
    assert headings == ["2030年（亿元/年）", "现值（亿元）", "贡献（亿元/年）", "上限（亿元/年）"]
    assert list(ledger_frame(engine.ledger(result, DATA), 2030, "en").columns) == ["2030 (RMB bn per year)",
                                                                                   "Present value (RMB bn)"]


@pytest.mark.parametrize("lang, year", [("en", "Year"), ("zh", "年份")])
def test_a_path_table_is_the_charts_numbers_by_year_in_display_units(result, lang, year):
    """The concentration ratios' table showed shares as 0–1 under the raw id "concentration.cr1"
    while the chart showed %, and the year column was headed "year" on a Chinese page."""
    table = path_table({"a": result.status_quo_paths, "b": result.scenario_paths}, "concentration.cr1", lang)
    assert table.index.name == year and list(table.index) == list(result.years)
    assert table["b"].tolist() == pytest.approx((result.scenario_paths["concentration.cr1"] * 100).tolist())
    money = path_table({"b": result.scenario_paths}, "consumer.surplus", lang)["b"]
    per_bn = 10 if lang == "zh" else 1   # 亿元 in Chinese
    assert money.tolist() == pytest.approx((result.scenario_paths["consumer.surplus"] * per_bn).tolist())


@pytest.mark.parametrize("lang, platform", [("en", "Platform"), ("zh", "平台")])
def test_a_share_table_is_each_platforms_share_in_percent(result, lang, platform):
    table = share_table({"now": result.final["status_quo"], "then": result.final["value"]}, lang)
    assert table.index.name == platform and len(table) == len(DATA.platforms)
    assert table.sum().tolist() == pytest.approx([100.0, 100.0], abs=0.01)
    assert table["then"].iloc[0] == pytest.approx(result.final.loc[f"share.{DATA.platforms[0].id}", "value"] * 100)


@pytest.mark.parametrize("largest, expected", [(3283.02, 0), (999.4, 1), (111.2, 1), (44.2, 1), (5.0, 2), (0.42, 3),
                                               (0.0004, 3), (0.0, 1), (1e-12, 1), (float("nan"), 1)])
def test_a_table_shows_its_largest_number_to_three_significant_figures_and_below_1000_a_decimal(largest, expected):
    assert places(largest) == expected


@given(st.floats(min_value=1e-6, max_value=1e9))
def test_places_are_between_none_and_three_and_fall_as_numbers_grow(largest):
    assert 0 <= places(largest) <= 3 and places(largest * 10) <= places(largest)


def test_a_shown_table_rounds_to_those_places_and_never_shows_minus_zero():
    """Compare's "what each lever adds" showed "-0.0" for a lever that adds nothing."""
    frame = pd.DataFrame({"a": [19.54, -1e-12, -3.26], "b": [0.08, 0.5, 0.125], "name": ["x", "y", "z"]})
    shown, digits = readable(frame)
    assert digits == {"a": 1, "b": 1} and shown["a"].tolist() == [19.5, 0.0, -3.3] and str(shown["a"][1]) == "0.0"
    assert shown["b"].tolist() == [0.1, 0.5, 0.1]   # neighbouring columns to the same places
    assert shown["name"].tolist() == ["x", "y", "z"] and frame["a"][1] == -1e-12   # the CSV keeps every digit
    years = pd.DataFrame({"year": [2021, 2022], "share": [44.21, 21.4]})   # a year is not "2,021" nor counted
    assert readable(years)[1] == {"share": 1} and readable(years)[0]["year"].tolist() == [2021, 2022]
    # Parameter values, each in its own unit, are shown as given: 0.003 beside 250 would read 0.
    values = pd.DataFrame({"low": [0.003, 250.0], "change": [14.84, 111.2]})
    shown, digits = readable(values, as_given=("low",))
    assert digits == {"change": 1} and shown["low"].tolist() == [0.003, 250.0]


@pytest.mark.parametrize("lang, gmv, share", [("en", "GMV 2021 (RMB bn)", "Share (%)"), ("zh", "2021年成交额（亿元）", "份额（%）")])
def test_the_baseline_table_shows_gmv_in_whole_numbers_with_separators_and_shares_to_a_decimal(lang, gmv, share):
    """It showed "76311" and "50.0633"."""
    import json

    from streamlit.testing.v1 import AppTest
    from conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.switch_page("app_pages/assumptions.py")
    at.run()
    assert not at.exception
    configs = [json.loads(frame.proto.columns) for frame in at.dataframe]
    baseline = next(config for config in configs if gmv in config)
    assert baseline[gmv]["type_config"]["format"] == "%,.0f" and baseline[share]["type_config"]["format"] == "%.1f"


def test_a_unit_goes_in_the_languages_brackets_and_never_in_brackets_within_brackets():
    assert with_unit("Swing", "RMB bn per year", "en") == "Swing (RMB bn per year)"
    assert with_unit("摆幅", "亿元/年", "zh") == "摆幅（亿元/年）"
    assert with_unit("Swing", "HHI (0–10,000)", "en") == "Swing, HHI (0–10,000)"
    assert with_unit("摆幅", "HHI（0–10000）", "zh") == "摆幅，HHI（0–10000）"
