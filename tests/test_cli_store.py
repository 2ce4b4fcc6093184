"""`python -m cli store …`: the administrator's view of the saved-scenario library. Exit 2 and one
line per problem on bad input, never a traceback."""
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from cli.main import main

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "bad_scenarios"


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def store(tmp_path, monkeypatch, capsys):
    """`python -m cli store ARGS`, in this process (its start-up cost paid once); the exit-code test
    below runs the real command."""
    monkeypatch.delenv("INTERCONNECT_DATABASE_URL", raising=False)
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))

    def run(*args):
        code = main(["store", *map(str, args)])
        out = capsys.readouterr()
        return Done(code, out.out, out.err)
    return run


def scenario_file(folder: Path, name: str, payment: float = 0.5) -> Path:
    path = folder / f"{name.replace(' ', '_')}.yaml"
    path.write_text(yaml.safe_dump({"schema_version": 1, "name": name, "levers": {"payment_interop": payment}}),
                    encoding="utf-8")
    return path


def test_import_list_delete_trash_restore_history_export(store, tmp_path):
    done = store("import", scenario_file(tmp_path, "My plan"), scenario_file(tmp_path, "Other plan", 0.2))
    assert done.returncode == 0 and done.stdout.count("imported as") == 2, done.stderr
    listed = json.loads(store("list", "--format", "json").stdout)
    assert [row["slug"] for row in listed] == ["my-plan", "other-plan"] and listed[0]["version"] == 1
    assert store("delete", "my-plan").returncode == 0
    assert [row["slug"] for row in json.loads(store("trash", "--format", "json").stdout)] == ["my-plan"]
    assert [row["slug"] for row in json.loads(store("list", "--format", "json").stdout)] == ["other-plan"]
    assert store("restore", "my-plan").returncode == 0
    history = json.loads(store("history", "my-plan", "--format", "json").stdout)
    assert [(row["version"], row["action"]) for row in history] == [(3, "restore"), (2, "delete"), (1, "create")]
    done = store("export", tmp_path / "out")
    assert done.returncode == 0
    exported = yaml.safe_load((tmp_path / "out" / "other-plan.yaml").read_text(encoding="utf-8"))
    assert exported["name"] == "Other plan" and exported["levers"]["payment_interop"] == 0.2


def test_bad_input_exits_2_with_one_line_per_problem(store, tmp_path):
    done = store("import", BAD / "int_tag.yaml", BAD / "lever_out_of_range.yaml", ROOT / "scenarios" / "payment-first.yaml",
                 scenario_file(tmp_path, "Fine one"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 3 and "int value 'abc' cannot be read" in lines[0]
    assert "must be between 0 and 1, got 1.5" in lines[1] and "reads as the preset 'Payment first'" in lines[2]
    assert "imported as fine-one" in done.stdout      # the good file is not held back by the bad ones
    for args in (("delete", "no-such"), ("restore", "no-such"), ("history", "no-such"), ("delete", "payment-first")):
        done = store(*args)
        assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr


def test_the_real_command_exits_2_without_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "INTERCONNECT_DATABASE_URL"}
    env["INTERCONNECT_SAVED_DIR"] = str(tmp_path / "saved")
    done = subprocess.run([sys.executable, "-m", "cli", "store", "import", str(BAD / "bigint.yaml")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)
    assert done.returncode == 2 and done.stderr.splitlines() == [
        f"{BAD / 'bigint.yaml'}: line 3, column 10: not valid YAML: a whole number may have at most 30 digits, got 5,000"]
