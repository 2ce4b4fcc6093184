"""AppTest of the scenario workflow: save, upload, compare, rename, delete to the trash and restore; and with
1,000 saved scenarios: what the pickers offer, the Library tab's pages and search, links, the cost of a rerun."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.seed import seed
from model import engine
from model.data import default_data
from model.scenario import Scenario, load_scenario
from store import ScenarioLibrary
from store.library import database_url
from ui.i18n import amount, label
from conftest import open_tab, picker
from ui.library import PAGE_SIZE, RECENT
from ui.state import CURRENT

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
    assert "links-at-sixty" in picker(app).options or \
        "Links at sixty" in picker(app).options
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
    open_tab(app, "Upload")
    app.file_uploader[0].set_value(("broken.yaml", broken, "application/x-yaml")).run()
    next(b for b in app.button if b.label == "Check and save upload").click().run()
    message = shown(app.error)[0]
    assert "levers.payment_interop" in message and "must be between 0 and 1, got 1.5" in message
    assert "levers.colour" in message and "is not a known field" in message
    assert saved_names(tmp_path) == []


def test_broken_upload_errors_in_chinese(app):
    app.radio(key="lang").set_value("zh").run()
    open_tab(app, "上传")
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_comparison_table_equals_the_model(app, lang):
    app.radio(key="lang").set_value(lang).run()
    app.multiselect(key="compare").set_value(["payment-first", "bilateral-opening"]).run()
    assert not app.exception
    body = next(h.proto.body for h in app.get("html") if "<table" in h.proto.body)
    header, *rows = html_rows(body)
    table = {row[0]: dict(zip(header[1:], row[1:])) for row in rows}
    for stem in ("payment-first", "bilateral-opening"):
        scenario = load_scenario(ROOT / "scenarios" / f"{stem}.yaml")
        final = engine.run(scenario, DATA).final
        for outcome in [o.id for o in DATA.outcomes.values() if o.headline]:
            cell = table[label(DATA.outcomes[outcome].label, lang)][scenario.title(lang)]
            shown = re.sub(r"^[▲▼] ", "", cell).split(" (" if lang == "en" else "（")[0]   # the change in the language's brackets
            assert shown == amount(final.loc[outcome, "value"], DATA.outcomes[outcome].unit, lang)


def test_rename_keeps_links_and_delete_asks_then_moves_to_the_trash(app, tmp_path):
    save(app, "Draft idea")
    app.session_state["rename_box.draft-idea"] = True  # open the expander
    open_tab(app, "Library")
    next(t for t in app.text_input if t.key == "rename_text.draft-idea").input("Final idea")
    click(app, "rename.draft-idea")
    assert saved_names(tmp_path) == ["Final idea"]
    assert library(tmp_path).get("draft-idea").stem == "final-idea"       # the old slug still opens it
    click(app, "delete.final-idea")
    assert saved_names(tmp_path) == ["Final idea"]                         # nothing yet: a confirmation first
    assert any("Move “Final idea” to the trash?" in w for w in shown(app.warning))
    click(app, "confirm_delete.final-idea")
    assert saved_names(tmp_path) == []
    open_tab(app, "Trash")
    click(app, f"untrash.{library(tmp_path).saved(trash=True)[0].id}")
    assert saved_names(tmp_path) == ["Final idea"]
    open_tab(app, "Library")
    assert any(b.key == "delete.final-idea" for b in app.button)
    assert not any(b.key == "delete.payment-first" for b in app.button)   # presets offer no delete


def test_a_scenario_deleted_by_someone_else_mid_run_breaks_nothing(app, tmp_path, monkeypatch):
    """M3: the Library tab listed a scenario that another visitor deletes before the page acts on it:
    the row renders from the page in hand and its delete answers in words (N8: that it is gone, nothing
    done); Compare, which fetches the
    compared scenarios on every run, drops it."""
    save(app, "Shared one")
    app.multiselect(key="compare").set_value(["payment-first", "shared-one"]).run()
    listed = library(tmp_path).saved_page()
    library(tmp_path).delete("shared-one")
    original = ScenarioLibrary.saved_page
    monkeypatch.setattr(ScenarioLibrary, "saved_page",
                        lambda self, *args, trash=False: original(self, *args, trash=trash) if trash else listed)
    open_tab(app, "Library")
    assert app.multiselect(key="compare").value == ["payment-first"]
    click(app, "delete.shared-one")
    click(app, "confirm_delete.shared-one")
    assert any("no longer in the library: someone else moved it to the trash" in w for w in shown(app.warning))
    monkeypatch.setattr(ScenarioLibrary, "saved_page", original)
    app.run()
    assert not app.exception and not any(b.key == "delete.shared-one" for b in app.button)


def test_descriptions_are_shown_as_text_on_the_present_page(app, tmp_path):
    """M1: Markdown, images and colour directives in a description never reach Markdown on Present
    (the slide shows the name, escaped, and no description)."""
    hostile = "![](http://127.0.0.1:8802/beacon.png) :red[**URGENT**] [x](https://evil.example)"
    save(app, "Quarterly plan", description=hostile)
    app.multiselect(key="compare").set_value(["quarterly-plan"]).run()
    app.switch_page("app_pages/present.py").run()
    assert not app.exception
    assert not any(hostile in m.value or "beacon.png" in m.value for m in app.markdown)


# ----- a library of 1,000 saved scenarios: nothing per rerun grows with it -----

@pytest.fixture(scope="module")
def thousand(tmp_path_factory):
    """A folder whose library holds 1,000 saved scenarios, "Bench scenario 0000" to "… 0999" (saved in
    that order), shared by the tests below, which only read it."""
    folder = tmp_path_factory.mktemp("thousand")
    seed(ScenarioLibrary(database_url(folder / "saved"), quota=1_000), 1_000)
    return folder


def open_app(monkeypatch, folder, query: dict | None = None, page: str = "app_pages/compare.py") -> AppTest:
    """The app on `folder`'s library, opened on `page` (after a link's `query`, if any)."""
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(folder / "saved"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def bench_stem(number: int) -> str:
    return f"bench-scenario-{number:04d}"


def test_the_pickers_offer_the_presets_and_the_scenarios_saved_last(thousand, monkeypatch):
    at = open_app(monkeypatch, thousand)
    presets = [p.stem for p in library(thousand).presets()]
    newest = [bench_stem(n) for n in range(999, 999 - RECENT, -1)]
    assert picker(at).options == [library(thousand).get(stem).scenario.title("en")
                                                  for stem in presets + newest]
    assert at.multiselect(key="compare").options[1 + len(presets):] == [f"Bench scenario {n:04d}"
                                                                        for n in range(999, 999 - RECENT, -1)]
    assert "Compare → Library" in picker(at).help


def test_the_scenario_picked_last_stays_in_the_picker_after_newer_ones_push_it_off(tmp_path, monkeypatch):
    store = library(tmp_path)
    store.save(Scenario(name="Early idea", levers=dict(DATA.status_quo_levers, payment_interop=0.37)))
    at = open_app(monkeypatch, tmp_path, page="app_pages/explore.py")
    picker(at).set_value("early-idea").run()
    seed(store, RECENT)
    at.run()
    assert not at.exception and picker(at).value == "early-idea"
    assert len(picker(at).options) == len(store.presets()) + RECENT + 1
    at.slider(key="lever.payment_interop").set_value(50).run()
    assert picker(at).value is None                                  # "custom"
    picker(at).set_value("early-idea").run()                         # reloads it
    assert at.slider(key="lever.payment_interop").value == 37


def showing(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Showing"))


def rows(at: AppTest) -> list[str]:
    """The Library tab's rows, by the key of their YAML download."""
    return [b.key.removeprefix("yaml.") for b in at.get("download_button") if b.key.startswith("yaml.")]


def search(at: AppTest, words: str) -> None:
    next(t for t in at.text_input if t.key == "library.search").input(words).run()
    assert not at.exception


def test_the_library_tab_pages_and_searches_every_saved_scenario(thousand, monkeypatch):
    at = open_app(monkeypatch, thousand)
    open_tab(at, "Library")
    presets = [p.stem for p in library(thousand).presets()]
    total = 1_000 + len(presets)
    assert showing(at) == f"Showing 1–20 of {total:,}"
    assert rows(at) == presets + [bench_stem(n) for n in range(20 - len(presets))]
    click(at, "library.bottom.next")
    assert showing(at) == f"Showing 21–40 of {total:,}"
    assert rows(at) == [bench_stem(n) for n in range(20 - len(presets), 40 - len(presets))]
    assert f"Page 2 of {-(-total // 20)}" in [t.value for t in at.text]
    search(at, "SCENARIO 05")                                     # a new search starts on page 1
    assert showing(at) == "Showing 1–20 of 100" and rows(at) == [bench_stem(n) for n in range(500, 520)]
    search(at, "payment")
    assert rows(at) == ["payment-first"]                           # presets are searched too
    search(at, "no such name")
    assert rows(at) == [] and any("No scenario’s name contains “no such name”" in c.value for c in at.caption)


def test_any_saved_scenario_can_be_added_to_the_comparison_from_the_library(thousand, monkeypatch):
    at = open_app(monkeypatch, thousand)
    open_tab(at, "Library")
    search(at, "0500")
    click(at, f"compare_add.{bench_stem(500)}")
    added = next(b for b in at.button if b.key == f"compare_add.{bench_stem(500)}")
    assert added.disabled and added.label == "✓ In the comparison"
    search(at, "")
    click(at, "compare_add.payment-first")
    # Compare opens with the levers on screen (CURRENT); what the Library adds comes after them
    assert at.multiselect(key="compare").value == [CURRENT, bench_stem(500), "payment-first"]
    assert at.query_params["compare"] == f"{CURRENT},{bench_stem(500)},payment-first"
    table = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    assert "Bench scenario 0500" in table and "Payment first" in table
    assert not any("The comparison holds" in c.value for c in at.caption)
    at.multiselect(key="compare").set_value([bench_stem(500), "payment-first", "status-quo", "bilateral-opening",
                                             "full-interconnection", "strong-safeguards"]).run()
    search(at, "0501")
    assert next(b for b in at.button if b.key == f"compare_add.{bench_stem(501)}").disabled
    assert any("The comparison holds 6 scenarios, the most it can" in c.value for c in at.caption)


def test_a_link_to_a_scenario_saved_long_ago_opens_it_in_compare(thousand, monkeypatch):
    at = open_app(monkeypatch, thousand, {"compare": f"{bench_stem(0)},{bench_stem(1)}", "ref": bench_stem(1),
                                          "page": "compare"})
    assert at.multiselect(key="compare").value == [bench_stem(0), bench_stem(1)]
    assert at.selectbox(key="compare_reference").value == bench_stem(1)
    assert not at.warning


def test_a_link_with_a_renamed_scenarios_old_slug_or_its_id_opens_it_under_its_new_name(tmp_path, monkeypatch):
    store = library(tmp_path)
    # not the status quo's levers: Compare shows the status quo once, as its first column
    store.save(Scenario(name="Draft idea", levers=dict(DATA.status_quo_levers, safeguards=0.5)))
    first = store.save(Scenario(name="Other idea", levers=dict(DATA.status_quo_levers, safeguards=0.9)))
    store.rename("draft-idea", "Final idea")
    at = open_app(monkeypatch, tmp_path, {"compare": f"draft-idea,{first.id},final-idea", "ref": "draft-idea"})
    assert at.multiselect(key="compare").value == ["final-idea", "other-idea"]
    assert at.selectbox(key="compare_reference").value == "final-idea"
    assert at.query_params["compare"] == "final-idea,other-idea" and not at.warning


def rerun_cost(at: AppTest, folder, rerun) -> tuple[int, int]:
    """The database queries and the saved scenarios read by one rerun."""
    from sqlalchemy import event

    from store.library import engine_for

    queries, read = [], []
    original = ScenarioLibrary._entry
    listener = lambda *args: queries.append(args[2])  # noqa: E731 - the statement
    event.listen(engine_for(database_url(folder / "saved")), "before_cursor_execute", listener)
    ScenarioLibrary._entry = lambda self, row: read.append(row.slug) or original(self, row)
    try:
        rerun(at)
    finally:
        ScenarioLibrary._entry = original
        event.remove(engine_for(database_url(folder / "saved")), "before_cursor_execute", listener)
    assert not at.exception
    return len(queries), len(read)


def test_a_rerun_costs_the_same_with_60_or_1000_saved_scenarios(thousand, tmp_path, monkeypatch):
    """M4 and issue 13: a lever move on Explore and a rerun of Compare read as many scenarios and send
    as many queries with 60 saved as with 1,000 (the whole library was read on every rerun)."""
    sixty = tmp_path / "sixty"
    seed(library(sixty), 60)
    costs = {}
    for folder in (sixty, thousand):
        at = open_app(monkeypatch, folder, page="app_pages/explore.py")
        explore = rerun_cost(at, folder, lambda at: at.slider(key="lever.payment_interop").set_value(40).run())
        at.switch_page("app_pages/compare.py").run()
        compare = rerun_cost(at, folder, lambda at: at.radio(key="lang").set_value("zh").run())
        costs[folder.name] = explore, compare, len(at.button)
    assert costs["sixty"] == costs[thousand.name], costs
    (explore_queries, explore_read), (compare_queries, compare_read), _ = costs["sixty"]
    assert explore_queries <= 2 and explore_read <= RECENT
    assert compare_queries <= 6 and compare_read <= 2 * RECENT + PAGE_SIZE


def test_the_history_pages_ten_versions_at_a_time_and_says_what_each_changed(app, tmp_path):
    """N3: a history of 500 versions drew 499 Restore buttons at once. Issue 25: each version says what changed."""
    store = library(tmp_path)
    for step in range(25):
        store.save(Scenario(name="Busy plan", levers=dict(DATA.status_quo_levers, payment_interop=step / 100)),
                   overwrite=step > 0)
    app.session_state["history_box.busy-plan"] = True
    open_tab(app, "Library")
    restores = [b for b in app.button if (b.key or "").startswith("restore.busy-plan.")]
    assert len(restores) == 9 and restores[0].key == "restore.busy-plan.24"     # v25 (current) to v16 shown
    texts = [t.value for t in app.text]
    assert "Payment interoperability 23% → 24%" in texts and "Showing 1–10 of 25" in [c.value for c in app.caption]
    click(app, "history.busy-plan.top.next")
    assert [b.key for b in app.button if (b.key or "").startswith("restore.busy-plan.")][0] == "restore.busy-plan.15"


def test_a_locked_database_says_on_the_page_that_the_scenario_was_not_saved(app, tmp_path):
    """N5: with the SQLite file locked, Save hung 31 s and then showed a bare error id."""
    import sqlite3
    import time

    holder = sqlite3.connect(tmp_path / "saved" / "library.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        save(app, "During the lock")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    errors = shown(app.error)
    assert any("NOT saved: nothing was written, because the database did not answer (database is locked)" in e
               for e in errors), errors
    assert waited < 5 + 3   # the wait for the lock (3 s) and the page's own rerun on a shared machine
    assert saved_names(tmp_path) == []


def test_saves_are_rate_limited_per_session_with_a_clear_message(app, tmp_path):
    for number in range(10):
        save(app, f"Quick {number}")
    save(app, "One too many")
    assert any("Too many saves and uploads in a minute" in e for e in shown(app.error))
    assert "One too many" not in saved_names(tmp_path) and len(saved_names(tmp_path)) == 10


def test_a_delete_someone_else_did_first_is_said_not_lost_in_silence(app, tmp_path):
    """N8: two visitors confirming one delete at once: one page said "Moved to the trash", the other nothing."""
    save(app, "Raced")
    open_tab(app, "Library")
    click(app, "delete.raced")
    library(tmp_path).delete("raced")                   # the other visitor confirms first
    app.run()
    assert any("no longer in the library: someone else moved it to the trash" in w for w in shown(app.warning))
    assert not any(b.key == "confirm_delete.raced" for b in app.button)
