"""The server settings the deployment relies on."""
import tomllib
from pathlib import Path

from model.scenario import SCENARIO_FILE_LIMIT

CONFIG = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())


def test_upload_cap_is_sized_for_scenario_files():
    assert CONFIG["server"]["maxUploadSize"] == 1            # MB, Streamlit's smallest setting
    assert SCENARIO_FILE_LIMIT <= CONFIG["server"]["maxUploadSize"] * 1_000_000


def test_xsrf_protection_on_usage_statistics_off_headless():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["server"]["headless"] is True
    assert CONFIG["server"]["runOnSave"] is False


def test_visitors_never_see_tracebacks():
    assert CONFIG["client"]["showErrorDetails"] == "none"  # L3: the page shows an error id instead


def test_no_forced_garbage_collection_after_each_rerun():
    assert CONFIG["runner"]["postScriptGC"] is False  # issue 13: it held the GIL for half of each move
