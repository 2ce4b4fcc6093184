"""AppTest of the scenario workflow: save, upload, compare."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from model import engine
from model.data import default_data
from model.scenario import load_scenario
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


def save(at: AppTest, name: str) -> None:
    next(t for t in at.text_input if t.label == "Scenario name").input(name)
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert not at.exception


def test_saved_scenario_appears_in_picker_and_compare(app, tmp_path):
    app.slider(key="lever.link_unblocking").set_value(60).run()
    save(app, "Links at sixty")
    assert (tmp_path / "saved" / "links-at-sixty.yaml").exists()
    assert "links-at-sixty" in app.selectbox(key="preset").options or \
        "Links at sixty" in app.selectbox(key="preset").options
    assert "Links at sixty" in app.multiselect(key="compare").options
    assert any("Saved “Links at sixty”" in s.value for s in app.success)


def test_saving_a_taken_name_asks_first(app, tmp_path):
    save(app, "Mine")
    app.slider(key="lever.payment_interop").set_value(40).run()
    save(app, "Mine")
    assert any("already saved a scenario called “Mine”" in w.value for w in app.warning)
    assert load_scenario(tmp_path / "saved" / "mine.yaml").levers["payment_interop"] == 0.0
    next(b for b in app.button if b.label == "Replace it").click().run()
    assert load_scenario(tmp_path / "saved" / "mine.yaml").levers["payment_interop"] == 0.4


def test_saving_a_preset_name_is_refused(app, tmp_path):
    save(app, "Payment first")
    assert any("is the name of a preset" in e.value for e in app.error)
    assert not list((tmp_path / "saved").glob("*.yaml"))


def test_broken_upload_lists_every_problem_and_saves_nothing(app, tmp_path):
    broken = b"schema_version: 1\nname: Broken\nlevers:\n  payment_interop: 1.5\n  colour: red\n"
    app.file_uploader[0].set_value(("broken.yaml", broken, "application/x-yaml")).run()
    next(b for b in app.button if b.label == "Check and save upload").click().run()
    message = next(e.value for e in app.error)
    assert "levers.payment_interop" in message and "must be between 0 and 1, got 1.5" in message
    assert "levers.colour" in message and "is not a known field" in message
    assert not (tmp_path / "saved").exists() or not list((tmp_path / "saved").glob("*.yaml"))


def test_broken_upload_errors_in_chinese(app):
    app.radio(key="lang").set_value("zh").run()
    app.file_uploader[0].set_value(("b.yaml", b"schema_version: 1\nname: B\nlevers:\n  safeguards: 2\n",
                                    "application/x-yaml")).run()
    next(b for b in app.button if b.label == "检查并保存上传文件").click().run()
    assert "必须在 0 与 1 之间，实际为 2" in next(e.value for e in app.error)


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


def test_rename_and_delete_own_scenario_from_the_page(app, tmp_path):
    save(app, "Draft idea")
    next(t for t in app.text_input if t.key == "rename_text.draft-idea").input("Final idea")
    next(b for b in app.button if b.key == "rename.draft-idea").click().run()
    assert not app.exception
    assert [p.name for p in (tmp_path / "saved").glob("*.yaml")] == ["final-idea.yaml"]
    next(b for b in app.button if b.key == "delete.final-idea").click().run()
    assert not app.exception
    assert not list((tmp_path / "saved").glob("*.yaml"))
    assert not any(b.key == "delete.payment-first" for b in app.button)   # presets offer no delete
