"""The Findings page and "Your own beliefs" on Assumptions, in AppTest, over a small stored analysis: a
card per finding in both languages; narrowing a range updates every share by reweighting, with
the effective sample size and a warning when it is too small; a driver links to its parameter."""
import html

import pytest
from streamlit.testing.v1 import AppTest

from analysis import findings
from store.evaluations import EvaluationCache
from store.library import database_url
from test_app import APP, TIMEOUT
from ui import findings as ui_findings
from ui.i18n import text

PID = "value_of_time"   # the parameter the tests narrow


@pytest.fixture(scope="module")
def folder(tmp_path_factory, data):
    """A library folder holding a small analysis of every finding (the page shows the newest)."""
    path = tmp_path_factory.mktemp("saved")
    findings.analyse(data, draws=400, seed=5, sobol_base=4, cache=EvaluationCache(database_url(path)))
    return path


@pytest.fixture
def app(folder, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(folder))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    return at


def page_text(at: AppTest) -> str:
    """The HTML blocks the page sent (cards, quotes), as one string."""
    return " ".join(element.proto.body for element in at.get("html"))


def cards(at: AppTest) -> int:
    return sum("class='finding-card'" in element.proto.body for element in at.get("html"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_finding_is_a_card_with_its_share_and_sentences(app, data, lang):
    app.radio(key="lang").set_value(lang).run()
    app.switch_page("app_pages/findings.py").run()
    assert not app.exception, app.exception
    assert app.title[0].value == text("findings.title", lang)
    summary = findings.cached(data, 400, 5, 4, EvaluationCache()).summary
    shown = ""
    for group in ui_findings.FINDING_GROUPS:                  # the reader goes through every group
        app.segmented_control(key="findings_group").set_value(group).run()
        shown += page_text(app)
    for finding in summary["findings"]:
        claim = data.claims[finding["id"]]
        flip, where = findings.explain(finding, data, lang, text)
        assert html.escape(getattr(claim.statement, lang)) in shown
        assert html.escape(flip) in shown and html.escape(where) in shown
        share = text("findings.share", lang, share=f"{finding['share']:.0%}", error=f"{finding['standard_error']:.1%}")
        assert html.escape(share) in shown


def test_the_page_opens_on_the_consumers_findings_and_shows_all_on_request(app, data):
    """One group at a time keeps the first paint light; every finding is in exactly one group, and
    "All" shows every card."""
    app.switch_page("app_pages/findings.py").run()
    summary = findings.cached(data, 400, 5, 4, EvaluationCache()).summary
    groups = [ui_findings.finding_group(f) for f in summary["findings"]]
    picker = app.segmented_control(key="findings_group")
    assert picker.value == "consumers"
    assert cards(app) == groups.count("consumers")
    assert {ui_findings.finding_group(f) for f in summary["findings"]} == set(ui_findings.FINDING_GROUPS)
    picker.set_value(ui_findings.ALL).run()
    assert cards(app) == len(summary["findings"])


def _narrow(app, pid: str, low: float, high: float) -> None:
    app.switch_page("app_pages/assumptions.py").run()
    app.selectbox(key="belief_parameter").set_value(pid).run()
    app.slider(key=f"belief.{pid}").set_value((low, high)).run()
    assert not app.exception, app.exception


def test_narrowing_a_range_reweights_every_share_at_once(app, data):
    p = data.parameters[PID]
    _narrow(app, PID, p.low, (p.central + p.high) / 2)
    table = next(d.value for d in app.dataframe if text("beliefs.finding", "en") in d.value.columns)
    assert len(table) == len(findings.findings(data))
    model, yours = table[text("beliefs.model_share", "en")], table[text("beliefs.your_share", "en")]
    assert (model != yours).any() and yours.between(0, 100).all()
    assert any("Effective sample size" in caption.value for caption in app.caption)
    app.switch_page("app_pages/findings.py").run()
    assert any(text("findings.beliefs_on", "en", count=1) == info.value for info in app.info)
    assert "with your beliefs" in page_text(app)


def test_a_range_far_from_the_models_warns_that_the_sample_is_too_small(app, data):
    p = data.parameters[PID]
    _narrow(app, PID, p.high - (p.high - p.low) / 50, p.high)
    assert any(text("beliefs.too_few", "en", minimum=200) == warning.value for warning in app.warning)


def test_a_driver_opens_its_parameter_on_assumptions(app, data):
    app.switch_page("app_pages/findings.py").run()
    assert not [b for b in app.button if b.key and b.key.startswith("goto.")]   # built only when opened
    summary = findings.cached(data, 400, 5, 4, EvaluationCache()).summary
    first = next(f["id"] for f in summary["findings"] if f["sobol"])
    app.session_state[f"drivers.{first}"] = True                                 # the reader opens its drivers
    app.run()
    button = next(b for b in app.button if b.key and b.key.startswith("goto."))
    pid = button.key.rsplit(".", 1)[1]
    button.click().run()
    assert not app.exception, app.exception
    assert app.selectbox(key="edit_parameter").value == pid
    assert app.selectbox(key="belief_parameter").value == pid
