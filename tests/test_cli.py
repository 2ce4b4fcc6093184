"""The command line contract: JSON shape, CSV paths, exit codes and error lines."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from model.data import default_data
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
PRESETS = sorted((ROOT / "scenarios").glob("*.yaml"))
BAD = ROOT / "tests" / "fixtures" / "bad_scenarios"
REQUIRED = ["concentration.hhi", "concentration.cr1", "share.alibaba", "share.jd", "share.pdd", "share.douyin",
            "share.kuaishou", "share.wechat_private", "sme.acquisition_cost", "sme.private_domain_share",
            "sme.margin", "consumer.surplus", "consumer.privacy_risk", "consumer.ux_clutter", "consumer.harm",
            "sme.profit.private_domain", "sme.profit.marketplace", "welfare.consumers", "welfare.merchants",
            "welfare.platforms", "welfare.total", "consumer.surplus_pv", "welfare.total_pv"]
SHARE_LEVERS = list(default_data().share_levers)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.mark.parametrize("path", PRESETS, ids=[p.stem for p in PRESETS])
def test_run_json_contract(path):
    done = cli("run", path, "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert isinstance(out["scenario"], str)
    assert out["final_year"] == load_scenario(path).horizon
    for outcome in REQUIRED:
        entry = out["outcomes"][outcome]
        assert set(entry) == {"value", "status_quo", "unit"}
        assert sorted(out["attribution"][outcome]) == sorted(SHARE_LEVERS)
        total = sum(out["attribution"][outcome].values())
        assert total == pytest.approx(entry["value"] - entry["status_quo"], abs=1e-6)
        assert outcome in out["breadth_effect"]["outcomes"]
    assert 0 <= out["outcomes"]["concentration.hhi"]["value"] <= 10_000
    assert out["outcomes"]["sme.acquisition_cost"]["unit"] == "rmb_per_customer"
    welfare = {k: out["outcomes"][f"welfare.{k}"]["value"] for k in ("consumers", "merchants", "platforms", "total")}
    assert welfare["total"] == pytest.approx(welfare["consumers"] + welfare["merchants"] + welfare["platforms"])
    assert welfare["consumers"] == pytest.approx(out["outcomes"]["consumer.surplus"]["value"])
    assert {row["group"] for row in out["ledger"]} >= {"consumers", "tencent", "total"}


def test_run_with_uncertainty_adds_paired_percentiles():
    done = cli("run", ROOT / "scenarios" / "payment-first.yaml", "--format", "json", "--uncertainty", "40")
    assert done.returncode == 0, done.stderr
    outcomes = json.loads(done.stdout)["outcomes"]
    for outcome, entry in outcomes.items():
        assert entry["p10"] <= entry["p50"] + 1e-9 <= entry["p90"] + 2e-9, outcome
    again = json.loads(cli("run", ROOT / "scenarios" / "payment-first.yaml", "--format", "json",
                           "--uncertainty", "40").stdout)["outcomes"]
    assert again == outcomes


@pytest.mark.parametrize("value", ["0", "-5", "abc", "9999999"])
def test_run_refuses_a_bad_number_of_draws(value):
    done = cli("run", ROOT / "scenarios" / "payment-first.yaml", "--format", "json", "--uncertainty", value)
    assert done.returncode == 2 and "--uncertainty" in done.stderr and "Traceback" not in done.stderr


def test_run_csv_prints_yearly_paths():
    done = cli("run", ROOT / "scenarios" / "payment-first.yaml", "--format", "csv")
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and lines[0] == "scenario,year,outcome,value,status_quo,unit"
    years = {line.split(",")[1] for line in lines[1:]}
    horizon = load_scenario(ROOT / "scenarios" / "payment-first.yaml").horizon
    assert years == {str(y) for y in range(default_data().baseline.simulation.base_year, horizon + 1)}


def test_validate_ok_and_errors():
    ok = cli("validate", *PRESETS)
    assert ok.returncode == 0 and ok.stderr == ""
    bad = cli("validate", PRESETS[0], BAD / "lever_out_of_range.yaml", BAD / "unknown_key.yaml")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.splitlines() == [
        f"{BAD / 'lever_out_of_range.yaml'}: levers.payment_interop: must be between 0 and 1, got 1.5",
        f"{BAD / 'unknown_key.yaml'}: colour: is not a known field"]


def test_the_old_entry_point_still_runs_the_command_line():
    """`python -m model …` (in old scripts) is the same command line as `python -m cli …`."""
    done = subprocess.run([sys.executable, "-m", "model", "validate", PRESETS[0]], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert (done.returncode, done.stdout) == (0, cli("validate", PRESETS[0]).stdout)


def test_run_refuses_an_invalid_file_the_same_way():
    done = cli("run", BAD / "python_tag.yaml", "--format", "json")
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{BAD / 'python_tag.yaml'}: line 2, column 7: not valid YAML")


def test_missing_file_is_a_clean_error(tmp_path):
    done = cli("validate", tmp_path / "nope.yaml")
    assert done.returncode == 2 and done.stderr.strip() == f"{tmp_path / 'nope.yaml'}: file: cannot be read (No such file or directory)"


def test_compare_side_by_side():
    done = cli("compare", ROOT / "scenarios" / "payment-first.yaml", ROOT / "scenarios" / "bilateral-opening.yaml",
               "--format", "json")
    out = json.loads(done.stdout)
    assert done.returncode == 0
    assert out["scenarios"] == ["Payment first", "Bilateral Alibaba–Tencent opening"]
    row = out["outcomes"]["concentration.hhi"]
    assert set(row) == {"unit", "status_quo", "Payment first", "Bilateral Alibaba–Tencent opening"}


def test_compare_keeps_scenarios_that_share_a_name():
    path = ROOT / "scenarios" / "payment-first.yaml"
    done = cli("compare", path, path, "--format", "csv")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "outcome,unit,status_quo,Payment first,Payment first (2)"
