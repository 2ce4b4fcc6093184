"""Spreadsheet-safe CSV (L2): text that Excel or LibreOffice would run as a formula is prefixed with "'",
in the app's CSV and the command line's, and numbers (negative ones too) stay numbers."""
import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from model.export import FORMULA_STARTS, neutralise, to_csv
from model.scenario import Scenario
from ui.report import paths_csv

ROOT = Path(__file__).resolve().parent.parent


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@given(st.text(max_size=30))
def test_no_text_cell_can_start_a_formula(value):
    frame = pd.DataFrame({value: [value, -1.5]}, index=[value, "x"])
    for cell in cells(to_csv(frame)):
        assert not cell.startswith(FORMULA_STARTS) or cell == "-1.5"


def test_numbers_stay_numbers_and_text_keeps_its_content():
    assert neutralise(-2.5) == -2.5 and neutralise("-SUM(A1,1)") == "'-SUM(A1,1)" and neutralise("ok") == "ok"


def test_the_app_paths_csv_neutralises_scenario_names(data):
    levers = dict(data.status_quo_levers)
    raw = paths_csv([Scenario(name="-2-3", levers=levers), Scenario(name="-SUM(A1,1)", levers=levers)], "en")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert {row["Scenario"] for row in rows} == {"'-2-3", "'-SUM(A1,1)"}
    assert all(not row["Value"].startswith("'") for row in rows)


def test_the_command_line_csv_neutralises_scenario_names(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("schema_version: 1\nname: '-HYPERLINK(1)'\n", encoding="utf-8")
    for args in (["run", str(path), "--format", "csv"], ["compare", str(path), "--format", "csv"]):
        done = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, cwd=ROOT,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        assert "'-HYPERLINK(1)" in cells(done.stdout) and "-HYPERLINK(1)" not in cells(done.stdout)
