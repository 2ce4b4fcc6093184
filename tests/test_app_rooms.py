"""AppTest of the workshop pages: a refused name says why (as text), a closed room says so, a wrong
presenter key runs nothing, and the presenter's table shows a participant's text as typed."""
import pytest
from streamlit.testing.v1 import AppTest

from store.library import database_url
from store.rooms import RoomStore
from test_app import APP, TIMEOUT


@pytest.fixture
def rooms(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    return RoomStore(database_url(tmp_path / "saved"), write_interval=0)


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception
    return at


def shown_text(at: AppTest) -> str:
    return "\n".join(element.value for kind in ("text", "error", "warning", "info", "success")
                     for element in getattr(at, kind))


def test_a_refused_display_name_says_why_and_joins_nothing(rooms):
    room, _ = rooms.open_room()
    at = page("join", room=room.code)
    at.text_input[0].input("[me](https://evil.example)")
    at.button[0].click().run()
    assert "name: may hold letters" in shown_text(at)
    assert rooms.room(room.code).participants == 0


def test_a_closed_room_says_so(rooms):
    room, key = rooms.open_room()
    rooms.close(room.code, key)
    at = page("join", room=room.code, lang="zh")
    assert "主持人已关闭此房间" in shown_text(at)
    assert not at.text_input


def test_a_wrong_presenter_key_runs_nothing(rooms):
    room, _ = rooms.open_room()
    at = page("room", room=room.code, key="guessed")
    assert "does not let you run the room" in shown_text(at)
    assert not at.button


def test_the_presenter_sees_participant_text_as_typed(rooms, data):
    room, key = rooms.open_room()
    _, token = rooms.join(room.code, "Eve & (co)")
    rooms.propose(room.code, token, "_plan_ :red(x) https://evil.example", dict(data.status_quo_levers))
    at = page("room", room=room.code, key=key)
    tables = "".join(element.proto.body for element in at.get("html"))
    assert "Eve &amp; (co)" in tables and "_plan_ :red(x) https://evil.example" in tables
    assert "<a " not in tables


def test_the_exports_hold_every_proposal(rooms, data):
    import io
    import zipfile

    from model.scenario import parse_scenario
    from ui.rooms import export_csv, export_scenarios

    room, key = rooms.open_room()
    for name, plan in (("Ana", "=HYPERLINK(\"http://evil\")"), ("Bo", "Plan"), ("Cy", "Plan")):
        _, token = rooms.join(room.code, name)
        rooms.propose(room.code, token, plan, dict(data.status_quo_levers, payment_interop=0.5), guess=2.0)
    rooms.hide(room.code, key, rooms.proposals(room.code)[2].id)
    proposals = rooms.proposals(room.code)
    lines = export_csv(proposals, rooms.room(room.code)).decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[1].split(",")[2].startswith("\"'=HYPERLINK")   # spreadsheet-safe
    assert lines[3].split(",")[-2] == "True"                                        # the hidden one, marked
    with zipfile.ZipFile(io.BytesIO(export_scenarios(proposals))) as archive:
        files = sorted(archive.namelist())
        scenarios = [parse_scenario(archive.read(name), data) for name in files]
    assert files == ["001-hyperlink-http-evil.yaml", "002-plan.yaml", "003-plan.yaml"]
    assert [s.levers["payment_interop"] for s in scenarios] == [0.5] * 3

