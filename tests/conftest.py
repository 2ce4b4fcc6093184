from pathlib import Path

import pytest

from model.data import default_data
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
PRESETS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="session")
def data():
    return default_data()


@pytest.fixture(scope="session")
def presets(data):
    return {path.stem: load_scenario(path, data) for path in PRESETS}


@pytest.fixture(scope="session")
def postgres():
    from pgserver import postgres_server

    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A fresh, empty library database: an SQLite file, and a database on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'library.sqlite3'}"
    from pgserver import fresh_database

    return fresh_database(request.getfixturevalue("postgres"))


def open_tab(at, label: str) -> None:
    """Open one of the scenario library's tabs (only the open one is drawn) and rerun."""
    at.session_state["library_tab"] = label
    at.run()
    assert not at.exception


def picker(at):
    """The sidebar's scenario picker (its key changes with the levers on screen: ui.sidebar._picker)."""
    from ui.sidebar import PICKER

    return next(box for box in at.selectbox if box.key.startswith(PICKER))
