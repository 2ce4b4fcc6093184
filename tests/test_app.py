"""AppTest: every page loads in both languages; the controls move the right numbers."""
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from model.data import default_data
from ui.chart_component import COMPONENT_NAME as CHART_COMPONENT
from ui.i18n import text
from ui.widgets import MAX_LINK_NOTICES
from model.scenario import load_scenario
from conftest import picker

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["app_pages/explore.py", "app_pages/frontier.py", "app_pages/compare.py", "app_pages/findings.py",
         "app_pages/assumptions.py", "app_pages/method.py", "app_pages/present.py"]
DATA = default_data()
TIMEOUT = 60


def unescaped(elements) -> list[str]:
    """Messages as a reader sees them: link text inside them is backslash-escaped Markdown, and word
    joiners (invisible) keep bare addresses from becoming links."""
    return [re.sub(r"\\(.)", r"\1", element.value).replace("\u2060", "") for element in elements]


def unescaped_marks(markdown: str) -> list[str]:
    """Markdown's active characters (links, images, emphasis, directives, LaTeX) not escaped by a backslash."""
    marks, position = [], 0
    while position < len(markdown):
        if markdown[position] == "\\":
            position += 2
            continue
        if markdown[position] in "[]!$*_`<":
            marks.append(markdown[position])
        position += 1
    return marks


def metric(at: AppTest, outcome: str, lang: str = "en") -> float:
    """The headline metric's number for an outcome, read from the page."""
    wanted = getattr(DATA.outcomes[outcome].label, lang)
    value = next(m.value for m in at.metric if m.label == wanted)
    return float(re.sub(r"[^0-9.\-]", "", value.replace("−", "-")))


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_loads_in_both_languages(app, page, lang):
    app.radio(key="lang").set_value(lang).run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    if page.endswith("explore.py"):
        assert app.title[0].value == ("What interconnection does" if lang == "en" else "互联互通的影响")


def test_the_frontier_bounds_read_as_numbers_of_their_step(app):
    """A bound's end, floored to its step, showed on its slider as -18.900000000000002."""
    app.switch_page("app_pages/frontier.py").run()
    bounds = [s for s in app.slider if s.key.startswith("frontier.bound.")]
    assert bounds
    for slider in bounds:
        for end in (slider.min, slider.max, slider.value):
            assert float(f"{end:.10g}") == end, (slider.key, end)


def set_lever(at: AppTest, lever: str, percent: int) -> None:
    at.slider(key=f"lever.{lever}").set_value(percent).run()
    assert not at.exception


@pytest.mark.parametrize("lever, outcome, direction, context", [
    ("link_unblocking", "concentration.hhi", +1, {}),                      # N11
    ("link_unblocking", "sme.private_domain_share", -1, {}),               # N11 over Z8, as the model finds
    ("payment_interop", "consumer.surplus", +1, {}),                       # Z12
    ("data_sharing", "concentration.hhi", +1, {}),                         # N7: a bilateral data deal favours the pair
    ("safeguards", "sme.margin", -1, {"data_sharing": 100}),               # compliance on the data that flow
    ("safeguards", "consumer.surplus", +1, {"data_sharing": 100}),         # N15, N2
])
def test_moving_a_lever_moves_the_right_metric(app, lever, outcome, direction, context):
    for other, value in context.items():
        set_lever(app, other, value)
    before = metric(app, outcome)
    set_lever(app, lever, 100)
    after = metric(app, outcome)
    assert (after - before) * direction > 0, (before, after)


def test_opening_to_all_lowers_concentration(app):
    for lever in ("payment_interop", "link_unblocking", "data_sharing"):
        set_lever(app, lever, 100)
    bilateral = metric(app, "concentration.hhi")
    app.segmented_control(key="lever.openness").set_value("all").run()
    assert metric(app, "concentration.hhi") < bilateral


@pytest.mark.parametrize("preset", sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml")))
def test_loading_a_preset_sets_the_levers(app, preset):
    scenario = load_scenario(ROOT / "scenarios" / f"{preset}.yaml", DATA)
    picker(app).set_value(preset).run()
    assert not app.exception
    for lever in DATA.share_levers:
        value = scenario.levers[lever]
        steps = value if isinstance(value, tuple) else None
        assert app.slider(key=f"lever.{lever}").value == round((steps[-1][1] if steps else value) * 100)
        if steps:  # a dated schedule stays a schedule, drawn as a timeline, until the slider moves
            caption = text("timeline.caption", "en", lever=DATA.levers[lever].label.en)
            assert caption in [c.value for c in app.sidebar.caption]
    assert app.segmented_control(key="lever.openness").value == scenario.levers["openness"]
    assert app.slider(key="horizon").value == scenario.horizon


def test_reset_restores_the_status_quo(app):
    start = metric(app, "concentration.hhi")
    picker(app).set_value("full-interconnection").run()
    assert metric(app, "concentration.hhi") != start
    next(b for b in app.button if b.label == "Reset to status quo").click().run()
    assert metric(app, "concentration.hhi") == start
    assert app.slider(key="lever.safeguards").value == round(DATA.status_quo_levers["safeguards"] * 100)


def test_editing_an_assumption_changes_results_and_reset_restores_them(app):
    set_lever(app, "link_unblocking", 100)
    before = metric(app, "concentration.hhi")
    app.switch_page("app_pages/assumptions.py").run()
    app.selectbox(key="edit_parameter").set_value("link_friction").run()
    app.number_input(key="param.link_friction").set_value(0.04).run()
    assert app.session_state["assumptions"] == {"link_friction": 0.04}
    assert any("Modified" in m.value for m in app.markdown)
    app.switch_page("app_pages/explore.py").run()
    assert metric(app, "concentration.hhi") > before
    app.switch_page("app_pages/assumptions.py").run()
    next(b for b in app.button if b.label.startswith("Reset all assumptions")).click().run()
    app.switch_page("app_pages/explore.py").run()
    assert metric(app, "concentration.hhi") == before


def passages(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if "class='passage'" in h.proto.body]


def test_why_section_shows_claims_with_quotes(app):
    set_lever(app, "link_unblocking", 100)
    quotes = passages(app)
    assert quotes and any(re.search(r"<p lang='zh'>[^<]*[\u4e00-\u9fff]", q) for q in quotes)


@pytest.mark.parametrize("lever", DATA.share_levers)
def test_the_first_lever_moved_is_always_explained(app, lever):
    set_lever(app, lever, 100 if DATA.status_quo_levers[lever] < 0.5 else 0)
    outcome = next(box for box in app.selectbox if box.label == "Outcome to explain").value
    assert passages(app), outcome
    assert all(c.outcome == outcome for c in DATA.claims.values()
               if any(c.statement.en in h.proto.body for h in app.get("html")))


def test_the_picker_names_what_is_loaded_and_reloads(app):
    assert picker(app).value == "status-quo"
    picker(app).set_value("payment-first").run()
    assert picker(app).value == "payment-first"
    set_lever(app, "link_unblocking", 50)
    assert picker(app).value is None  # "custom"
    picker(app).set_value("payment-first").run()
    assert app.slider(key="lever.link_unblocking").value == 0


def test_levers_just_saved_are_named_by_the_picker_at_once(app):
    app.switch_page("app_pages/compare.py").run()
    set_lever(app, "payment_interop", 30)
    assert picker(app).value is None  # "custom"
    app.text_input[0].input("Walk pay first")
    next(b for b in app.button if b.label == text("manage.save_button", "en")).click().run()
    assert not app.exception and app.success
    assert picker(app).value == "walk-pay-first"


def slide_title(at: AppTest) -> str:
    return next(re.sub(r"<[^>]+>", "", h.proto.body) for h in at.get("html") if h.proto.body.startswith("<h1"))


def test_levers_on_screen_that_are_a_compared_scenario_present_under_its_name(app):
    """Saved, then compared with the levers still on screen: one slide, under the saved name, never
    "Current levers (unsaved)" with the named one dropped as its duplicate."""
    picker(app).set_value("payment-first").run()
    app.switch_page("app_pages/compare.py").run()
    app.multiselect(key="compare").set_value(["__current__", "payment-first"]).run()
    app.switch_page("app_pages/present.py").run()
    assert not app.exception
    assert slide_title(app) == "Payment first"
    next(b for b in app.button if b.key == "next_slide").click().run()   # its typical merchant and shopper
    assert slide_title(app) == "Payment first"
    assert next(b for b in app.button if b.key == "next_slide").disabled


def test_present_shows_the_levers_on_screen_then_the_compared_ones_and_exits_to_the_same_view(app):
    set_lever(app, "payment_interop", 60)
    app.switch_page("app_pages/compare.py").run()
    app.multiselect(key="compare").set_value(["payment-first", "bilateral-opening"]).run()
    before = dict(app.query_params)
    app.switch_page("app_pages/present.py").run()
    assert not app.exception
    assert slide_title(app) == "Current levers (unsaved)"
    next(b for b in app.button if b.key == "next_slide").click().run()
    assert slide_title(app) == "Current levers (unsaved)"   # its typical merchant and shopper
    assert any("person-slide" in h.proto.body for h in app.get("html"))
    next(b for b in app.button if b.key == "next_slide").click().run()
    assert slide_title(app) == "Payment first"
    next(b for b in app.button if b.key == "exit_presentation").click().run()
    assert not app.exception
    assert dict(app.query_params) == before
    assert app.slider(key="lever.payment_interop").value == 60


def test_uncertainty_toggle_adds_bands_and_sensitivity(app):
    set_lever(app, "link_unblocking", 100)
    app.toggle(key="uncertainty").set_value(True).run()
    assert not app.exception
    assert any("P10–P90" in c.value for c in app.caption)
    assert "Sensitivity" in app.segmented_control(key="panel").options
    app.segmented_control(key="panel").set_value("sensitivity").run()
    assert not app.exception
    assert app.selectbox(key="tornado_outcome").value == "concentration.hhi"


@pytest.mark.parametrize("panel", ["concentration", "ratios", "sme", "consumers", "gains", "person"])
def test_every_panel_renders(app, panel):
    set_lever(app, "link_unblocking", 100)
    app.segmented_control(key="panel").set_value(panel).run()
    assert not app.exception


def test_the_url_follows_the_controls(app):
    set_lever(app, "link_unblocking", 60)
    app.radio(key="lang").set_value("zh").run()
    assert app.query_params["link_unblocking"] == "0.6"
    assert app.query_params["lang"] == "zh"


def test_a_link_restores_the_view_and_names_what_it_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"link_unblocking": "0.6", "openness": "all", "horizon": "2035", "lang": "zh",
                            "payment_interop": "7", "a": "link_friction:0.03"})
    at.run()
    assert not at.exception
    assert at.slider(key="lever.link_unblocking").value == 60
    assert at.segmented_control(key="lever.openness").value == "all"
    assert at.slider(key="horizon").value == 2035 and at.session_state["assumptions"] == {"link_friction": 0.03}
    assert at.title[0].value == "互联互通的影响"
    assert any("payment_interop" in w and "实际为 7" in w for w in unescaped(at.warning))
    assert at.slider(key="lever.payment_interop").value == 0


def test_hundreds_of_unknown_link_keys_give_a_few_notices_and_a_count(tmp_path, monkeypatch):
    """L5: 600 unknown keys gave 603 notices."""
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({f"junk{number}": "1" for number in range(600)})
    at.run()
    notices = [n for n in unescaped(at.warning) if n.startswith(("Link parameter ignored", "… and"))]
    assert len(notices) == MAX_LINK_NOTICES + 1 and notices[-1] == "… and 595 more link parameters ignored."


def test_link_notices_are_in_the_page_language(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"lang": "zh", "payment_interop": "7", "colour": "red"})
    at.run()
    notices = unescaped(at.warning)
    assert any("payment_interop" in n and "必须在 0 与 1 之间，实际为 7" in n for n in notices)
    assert any("colour" in n and "不是已知的链接参数" in n for n in notices)


def test_present_shows_a_links_notices_over_the_slide_once_not_above_it(tmp_path, monkeypatch):
    """A banner above a slide pushed it past the screen: on Present the notices are toasts, shown once
    per session, naming the field as typed."""
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"colour": "**red**"})
    at.switch_page("app_pages/present.py").run()
    assert not at.exception
    assert not [w for w in at.warning if w.value.startswith("Link parameter ignored")]
    toasts = [t.value for t in at.toast]
    assert len(toasts) == 1 and toasts[0].startswith("Link parameter ignored")
    assert "colour" in toasts[0] and unescaped_marks(toasts[0]) == []
    at.run()                                                   # the next slide, or any rerun
    assert not at.toast


@pytest.mark.parametrize("query, typed", [({"page": "![](http://127.0.0.1:8802/value.png)"}, "![](http://127.0.0.1:8802"),
                                          ({"[Sign in again](https://ev.il/login)": "1"}, "[Sign in again](https://ev.il"),
                                          ({"page": ":red[**BIG RED TEXT**] :material/warning:"}, ":red[**BIG RED"),
                                          ({"lang": "$\\color{red}{\\Huge\\text{HACKED}}$"}, "{red}{"),
                                          ({"compare": "![](http://127.0.0.1:8802/cmp.png)"}, "![](http://127.0.0.1")])
def test_link_notices_show_link_text_as_typed_never_as_markdown(tmp_path, monkeypatch, query, typed):
    """L1: images, links, colour directives and LaTeX in a link reach the notice only escaped."""
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    raw = [w.value for w in at.warning if w.value.startswith("Link parameter ignored")]
    assert raw and all(unescaped_marks(notice) == [] for notice in raw)
    assert any(typed in notice for notice in unescaped(at.warning))


def test_a_link_restores_the_reference_the_charted_outcome_the_panel_and_the_uncertainty(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    link = {"compare": "payment-first,bilateral-opening", "ref": "payment-first", "chart": "consumer.surplus",
            "panel": "gains", "bands": "1"}
    at.query_params.update(link)
    at.run()
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception
    assert at.selectbox(key="compare_reference").value == "payment-first"
    assert at.selectbox(key="compare_outcome").value == "consumer.surplus"
    at.switch_page("app_pages/explore.py").run()
    assert at.toggle(key="uncertainty").value is True
    assert at.segmented_control(key="panel").value == "gains"
    assert {key: at.query_params[key] for key in link} == link


def charts_drawn(at: AppTest) -> dict[str, dict]:
    """The page's charts (ui.chart_component), by key: the figure each was sent."""
    return {chart.key: json.loads(chart.proto.json)["figure"] for chart in at.get("bidi_component")
            if chart.proto.component_name == CHART_COMPONENT}


def chart_keys(at: AppTest) -> list[str]:
    return list(charts_drawn(at))


def test_compare_draws_the_chosen_chart_only_and_a_link_keeps_the_choice(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"compare": "payment-first,bilateral-opening", "view": "attribution"})
    at.run()
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception
    assert len(chart_keys(at)) == 1 and "compare_attribution" in chart_keys(at)[0]
    at.segmented_control(key="compare_view").set_value("shares").run()
    assert len(chart_keys(at)) == 1 and "compare_shares" in chart_keys(at)[0]
    assert not [box for box in at.selectbox if box.key == "compare_outcome"]  # shares are every platform's
    assert at.query_params["view"] == "shares"
    at.segmented_control(key="compare_view").set_value("paths").run()
    assert "compare_paths" in chart_keys(at)[0] and "view" not in at.query_params


def test_chinese_page_names_presets_in_chinese(app):
    app.radio(key="lang").set_value("zh").run()
    box = picker(app)
    assert {"支付先行", "现状", "阿里与腾讯双边开放"} <= set(box.options)
    assert box.value == "status-quo"


def test_link_text_in_a_notice_is_shown_as_typed(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"**loud**": "1", "horizon": "[x](http://example.com)"})
    at.run()
    notices = [w.value for w in at.warning]
    assert any("\\*\\*loud\\*\\*" in n for n in notices)
    assert any("\\[x\\]\\(http" in n for n in notices)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summary_gives_each_acquisition_cost_with_its_unit_and_the_privacy_index_its_scale(app, lang):
    from model import engine
    from model.scenario import Scenario
    app.radio(key="lang").set_value(lang).run()
    set_lever(app, "link_unblocking", 100)
    final = engine.run(Scenario(name="", levers=dict(DATA.status_quo_levers, link_unblocking=1.0))).final
    summary = next(i.value for i in app.info if "HHI" in i.value)
    private = final.loc["sme.acquisition_cost.private_domain"]
    percent = f"+{100 * private['change'] / private['status_quo']:.0f}%"
    assert percent != "+0%" and percent in summary  # the private domain's rise, not a blended 0
    assert ("RMB/customer" if lang == "en" else "元/顾客") in summary
    assert ("0–100 index" if lang == "en" else "0—100 指数") in summary
