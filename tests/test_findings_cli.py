"""`python -m model findings` and `sensitivity`: the JSON contract, the cache, clear errors, and a findings
job through a real Dask scheduler with two worker processes on loopback."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import findings
from cli.main import main
from store.evaluations import EvaluationCache

ROOT = Path(__file__).resolve().parent.parent
SMALL = ["--draws", "120", "--sobol-base", "4"]       # a few thousand runs: the contract, not the numbers
STARTUP_SECONDS = 120


def run_cli(capsys, *args) -> tuple[int, str, str]:
    try:
        code = main([*map(str, args)])
    except SystemExit as exit_:                       # argparse refuses bad options this way
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def without_timing(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k != "seconds"}


def test_findings_json_has_every_finding_with_its_analysis(capsys, data):
    code, out, err = run_cli(capsys, "findings", *SMALL, "--in-process", "--no-cache", "--format", "json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["draws"] == 120 and summary["seed"] == data.baseline.uncertainty.seed
    assert summary["model_version"] and summary["sobol_base"] == 4
    assert [f["id"] for f in summary["findings"]] == [c.id for c in findings.findings(data)]
    for finding in summary["findings"]:
        assert 0 <= finding["share"] <= 1 and finding["standard_error"] >= 0
        assert set(finding["statement"]) == set(finding["holds_unless"]) == set(finding["where"]) == {"en", "zh"}
        for entry in finding["sobol"]:
            assert entry["first_order_ci"][0] <= entry["first_order"] <= entry["first_order_ci"][1]
            assert entry["total_order_ci"][0] <= entry["total_order"] <= entry["total_order_ci"][1]
            assert entry["parameter"] in data.parameters
        totals = [entry["total_order"] for entry in finding["sobol"]]
        assert totals == sorted(totals, reverse=True)
        assert finding["box"]["case"] == ("fails" if finding["share"] >= 0.5 else "holds")
        assert len(finding["break_evens"]) == min(2, len(finding["sobol"]))
        for entry in finding["break_evens"]:
            for side in ("above", "below"):
                flip = entry[f"flips_{side}"]
                assert flip is None or entry["low"] <= flip <= entry["high"]
                assert flip is None or (flip < entry["central"]) == (side == "below")


def test_findings_table_names_each_finding(capsys, data):
    code, out, _ = run_cli(capsys, "findings", *SMALL, "--in-process", "--no-cache")
    assert code == 0
    assert all(f"{c.id}: holds in" in out for c in findings.findings(data))
    assert "seed" in out and "model" in out


def test_the_second_run_is_served_from_the_cache(data, tmp_path):
    cache = EvaluationCache(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    first = findings.analyse(data, 120, 3, 4, cache=cache)
    started = time.perf_counter()
    again = findings.analyse(data, 120, 3, 4, cache=cache)
    assert time.perf_counter() - started < first.summary["seconds"]
    assert again.summary == first.summary and (again.holds == first.holds).all()
    assert findings.cached(data, 120, 4, 4, cache) is None       # another seed is another analysis


@pytest.mark.parametrize("args, message", [
    (["findings", "--sobol-base", "500"], "must be a power of two"),
    (["findings", "--draws", "5"], "must be between 100"),
    (["findings", "--in-process", "--scheduler", "tcp://127.0.0.1:1"], "not allowed with argument"),
    (["sensitivity", "scenarios/payment-first.yaml", "--outcome", "no.such"], "--outcome: unknown outcome 'no.such'"),
    (["sensitivity", "tests/fixtures/no-such-file.yaml", "--outcome", "consumer.surplus"], "no-such-file.yaml"),
])
def test_bad_arguments_exit_2_with_one_clear_line(capsys, args, message, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and message in err and not out


def test_sensitivity_gives_indices_for_any_outcome(capsys, data, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run_cli(capsys, "sensitivity", "scenarios/payment-first.yaml", "--outcome", "share.alibaba",
                             "--sobol-base", "8", "--in-process", "--no-cache", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["outcome"] == "share.alibaba" and result["runs"] == 8 * (result["factors"] + 2)
    assert len(result["indices"]) == result["factors"]
    assert result["seed"] == data.baseline.uncertainty.seed and result["model_version"]


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dask", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=open(log, "w"))


@pytest.mark.slow
def test_a_findings_job_runs_on_a_real_scheduler_and_two_workers(data, tmp_path, capsys, monkeypatch):
    """`dask scheduler` and two `dask worker` processes on loopback, as on a cluster: the job's chunks
    run on both workers and the results equal the in-process ones, through the API and through
    INTERCONNECT_DASK_SCHEDULER on the command line."""
    from distributed import Client, get_task_stream

    env = os.environ | {"PYTHONPATH": str(ROOT)}
    scheduler_file = tmp_path / "scheduler.json"
    processes = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
                         str(scheduler_file)], env, tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        processes += [_start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
                              "--name", f"worker-{k}"], env, tmp_path / f"worker-{k}.log") for k in range(2)]
        with Client(address, timeout=STARTUP_SECONDS) as client:
            client.wait_for_workers(2, timeout=STARTUP_SECONDS)
            with get_task_stream(client) as stream:
                distributed = findings.analyse(data, 120, 7, 4, client=client)
            assert len({task["worker"] for task in stream.data}) == 2
        local = findings.analyse(data, 120, 7, 4)
        assert without_timing(distributed.summary) == without_timing(local.summary)
        monkeypatch.setenv("INTERCONNECT_DASK_SCHEDULER", address)
        code, out, err = run_cli(capsys, "findings", *SMALL, "--seed", "7", "--no-cache", "--format", "json")
        assert code == 0, err
        assert [f["share"] for f in json.loads(out)["findings"]] == [f["share"] for f in local.summary["findings"]]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
