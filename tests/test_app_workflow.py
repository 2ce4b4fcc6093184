"""AppTest of the scenario workflow: save, upload, compare, rename, delete to the trash and restore."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from model import engine
from model.data import default_data
from model.scenario import Scenario, load_scenario
from store import ScenarioLibrary
from store.library import database_url
from ui.i18n import amount

ROOT = Path(__file__).resolve().parent.parent
DATA = default_data()


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception
    return at


def shown(elements) -> list[str]:
    """Messages as a reader sees them: user text inside them is backslash-escaped Markdown."""
    return [re.sub(r"\\(.)", r"\1", element.value) for element in elements]


def library(tmp_path) -> ScenarioLibrary:
    return ScenarioLibrary(database_url(tmp_path / "saved"))


def saved_names(tmp_path) -> list[str]:
    return [entry.scenario.name for entry in library(tmp_path).saved()]


def save(at: AppTest, name: str, description: str = "") -> None:
    next(t for t in at.text_input if t.label == "Scenario name").input(name)
    if description:
        next(t for t in at.text_area if t.label == "Description").input(description)
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert not at.exception


def click(at: AppTest, key: str) -> None:
    next(b for b in at.button if b.key == key).click().run()
    assert not at.exception


def test_saved_scenario_appears_in_picker_and_compare(app, tmp_path):
    app.slider(key="lever.link_unblocking").set_value(60).run()
    save(app, "Links at sixty")
    assert library(tmp_path).get("links-at-sixty").scenario.levers["link_unblocking"] == 0.6
    assert "links-at-sixty" in app.selectbox(key="preset").options or \
        "Links at sixty" in app.selectbox(key="preset").options
    assert "Links at sixty" in app.multiselect(key="compare").options
    assert any("Saved “Links at sixty”" in s for s in shown(app.success))


def test_without_sign_in_the_page_says_the_library_is_shared(app):
    assert any("this library is shared" in i.value and "trash" in i.value for i in app.info)


def test_saving_a_taken_name_asks_first_and_keeps_the_old_version(app, tmp_path):
    save(app, "Mine")
    app.slider(key="lever.payment_interop").set_value(40).run()
    save(app, "MINE.")
    assert any("A saved scenario called “Mine” already exists" in w for w in shown(app.warning))
    assert library(tmp_path).get("mine").scenario.levers["payment_interop"] == 0.0
    click(app, "confirm_overwrite")
    assert library(tmp_path).get("mine").scenario.levers["payment_interop"] == 0.4
    history = library(tmp_path).history("mine")
    assert [v.version for v in history] == [2, 1] and "payment_interop: 0.0" in history[1].yaml_text


@pytest.mark.parametrize("name, why", [("Payment first", "reads as the preset"),
                                       ("Stаtus quo", "reads as the page's own label"),       # Cyrillic а (M5)
                                       ("现状", "reads as the page's own label"),
                                       ("Current levers (unsaved)", "reads as the page's own label")])
def test_names_that_impersonate_presets_or_labels_are_refused_with_the_reason(app, tmp_path, name, why):
    save(app, name)
    assert any(why in e for e in shown(app.error))
    assert saved_names(tmp_path) == []


def test_broken_upload_lists_every_problem_and_saves_nothing(app, tmp_path):
    broken = b"schema_version: 1\nname: Broken\nlevers:\n  payment_interop: 1.5\n  colour: red\n"
    app.file_uploader[0].set_value(("broken.yaml", broken, "application/x-yaml")).run()
    next(b for b in app.button if b.label == "Check and save upload").click().run()
    message = shown(app.error)[0]
    assert "levers.payment_interop" in message and "must be between 0 and 1, got 1.5" in message
    assert "levers.colour" in message and "is not a known field" in message
    assert saved_names(tmp_path) == []


def test_broken_upload_errors_in_chinese(app):
    app.radio(key="lang").set_value("zh").run()
    app.file_uploader[0].set_value(("b.yaml", b"schema_version: 1\nname: B\nlevers:\n  safeguards: 2\n",
                                    "application/x-yaml")).run()
    next(b for b in app.button if b.label == "检查并保存上传文件").click().run()
    assert "必须在 0 与 1 之间，实际为 2" in shown(app.error)[0]


def html_rows(body: str) -> list[list[str]]:
    """The cells of an HTML table, row by row, as the reader sees them."""
    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.rows[-1].append(self.cell.strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Rows()
    parser.feed(body)
    return [row for row in parser.rows if row]


def test_comparison_table_equals_the_model(app):
    app.multiselect(key="compare").set_value(["payment-first", "bilateral-opening"]).run()
    assert not app.exception
    body = next(h.proto.body for h in app.get("html") if "<table" in h.proto.body)
    header, *rows = html_rows(body)
    table = {row[0]: dict(zip(header[1:], row[1:])) for row in rows}
    for stem, column in (("payment-first", "Payment first"), ("bilateral-opening", "Bilateral Alibaba–Tencent opening")):
        final = engine.run(load_scenario(ROOT / "scenarios" / f"{stem}.yaml"), DATA).final
        for outcome in [o.id for o in DATA.outcomes.values() if o.headline]:
            cell = table[DATA.outcomes[outcome].label.en][column]
            shown = re.sub(r"^[▲▼] ", "", cell).split(" (")[0]
            assert shown == amount(final.loc[outcome, "value"], DATA.outcomes[outcome].unit, "en")


def test_rename_keeps_links_and_delete_asks_then_moves_to_the_trash(app, tmp_path):
    save(app, "Draft idea")
    app.session_state["rename_box.draft-idea"] = True  # open the expander
    app.run()
    next(t for t in app.text_input if t.key == "rename_text.draft-idea").input("Final idea")
    click(app, "rename.draft-idea")
    assert saved_names(tmp_path) == ["Final idea"]
    assert library(tmp_path).get("draft-idea").stem == "final-idea"       # the old slug still opens it
    click(app, "delete.final-idea")
    assert saved_names(tmp_path) == ["Final idea"]                         # nothing yet: a confirmation first
    assert any("Move “Final idea” to the trash?" in w for w in shown(app.warning))
    click(app, "confirm_delete.final-idea")
    assert saved_names(tmp_path) == []
    click(app, f"untrash.{library(tmp_path).saved(trash=True)[0].id}")
    assert saved_names(tmp_path) == ["Final idea"]
    assert not any(b.key == "delete.payment-first" for b in app.button)   # presets offer no delete


def test_a_scenario_deleted_by_someone_else_mid_run_breaks_nothing(app, tmp_path, monkeypatch):
    """M3: the page listed a scenario that another visitor deletes before the page acts on it: the
    Files tab and Compare render from the list in hand, and the delete answers in words."""
    save(app, "Shared one")
    app.multiselect(key="compare").set_value(["payment-first", "shared-one"]).run()
    listed = library(tmp_path).saved()
    library(tmp_path).delete("shared-one")
    original = ScenarioLibrary.saved
    monkeypatch.setattr(ScenarioLibrary, "saved", lambda self, trash=False: original(self, trash) if trash else listed)
    app.run()
    assert not app.exception and "shared-one" in app.multiselect(key="compare").value
    click(app, "delete.shared-one")
    click(app, "confirm_delete.shared-one")
    assert any("there is no scenario 'shared-one'" in e for e in shown(app.error))
    monkeypatch.setattr(ScenarioLibrary, "saved", original)
    app.run()
    assert not app.exception and "shared-one" not in app.multiselect(key="compare").value


def test_descriptions_are_shown_as_text_on_the_present_page(app, tmp_path):
    """M1: Markdown, images and colour directives in a description never reach Markdown on Present
    (the slide shows the name, escaped, and no description)."""
    hostile = "![](http://127.0.0.1:8802/beacon.png) :red[**URGENT**] [x](https://evil.example)"
    save(app, "Quarterly plan", description=hostile)
    app.multiselect(key="compare").set_value(["quarterly-plan"]).run()
    app.switch_page("app_pages/present.py").run()
    assert not app.exception
    assert not any(hostile in m.value or "beacon.png" in m.value for m in app.markdown)


def test_compare_costs_the_same_queries_with_5_or_40_saved_scenarios(tmp_path, monkeypatch):
    """M4: one listing per rerun, however many scenarios are saved (it was one folder scan per row)."""
    from sqlalchemy import event

    from store.library import engine_for

    counts = []
    for many in (5, 40):
        folder = tmp_path / str(many)
        monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(folder))
        store = ScenarioLibrary(database_url(folder))
        for i in range(many):
            store.save(Scenario(name=f"Saved number {i}", levers=dict(DATA.status_quo_levers)))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page("app_pages/compare.py").run()
        queries = []
        listener = lambda *args: queries.append(args[2])  # noqa: E731 - the statement
        event.listen(engine_for(database_url(folder)), "before_cursor_execute", listener)
        at.radio(key="lang").set_value("zh").run()
        event.remove(engine_for(database_url(folder)), "before_cursor_execute", listener)
        assert not at.exception
        counts.append(len(queries))
    assert counts[0] == counts[1] and 1 <= counts[0] <= 4, counts
