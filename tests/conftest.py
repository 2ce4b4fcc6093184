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
