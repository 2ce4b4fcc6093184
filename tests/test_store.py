"""Saved scenarios: names, atomic writes, locking across threads and processes, protected presets."""
import multiprocessing
import os
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from model.scenario import Scenario, parse_scenario
from model.store import ScenarioStore, check_name, default_store
from model.yamlio import InputError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path, data):
    presets = tmp_path / "presets"
    presets.mkdir()
    for path in (ROOT / "scenarios").glob("*.yaml"):
        shutil.copy(path, presets)
    return ScenarioStore(presets, tmp_path / "saved", data)


def scenario(data, name, payment=0.5):
    return Scenario(name=name, levers=dict(data.status_quo_levers, payment_interop=payment))


@pytest.mark.parametrize("name, code", [("", "name_empty"), ("   ", "name_empty"), ("../x", "name_characters"),
                                        ("a/b", "name_characters"), ("x" * 81, "name_too_long"),
                                        ("a..b", "name_dots"), (".hidden", "name_dots"),
                                        ("back\\slash", "name_characters"), ("tab\there", "name_characters"),
                                        ("bell\x07", "name_characters"), ("rtl\u202eevil", "name_characters"),
                                        ("semi;colon", "name_characters")])
def test_bad_names_are_refused(name, code):
    assert code in [p.code for p in check_name(name)]
    assert all(p.field == "name" for p in check_name(name))


def test_refused_characters_are_named():
    [problem] = check_name("a/b:c")
    assert "'/'" in problem.params["characters"] and "':'" in problem.params["characters"]


@pytest.mark.parametrize("name", ["Payment first 2", "支付 优先", "SME_case-3", "Bilateral (variant), v2",
                                  "Alibaba–Tencent & co.", "x" * 80, "  padded  "])
def test_good_names_pass(name):
    assert check_name(name) == []


def test_save_then_listed_and_loaded(store, data):
    path = store.save(scenario(data, "支付 优先"))
    assert path.name == "支付-优先.yaml" and path.parent == store.saved_dir
    entry = next(e for e in store.entries() if e.stem == "支付-优先")
    assert not entry.protected and entry.scenario.levers["payment_interop"] == 0.5
    assert store.entries()[0].stem == "status-quo"


@pytest.mark.parametrize("name", ["Payment first", "PAYMENT FIRST", "status-quo", "Status  Quo"])
def test_presets_names_are_refused(store, data, name):
    with pytest.raises(InputError) as caught:
        store.save(scenario(data, name))
    assert [(p.field, p.code) for p in caught.value.problems] == [("name", "name_taken_by_preset")]
    assert not list(store.saved_dir.glob("*.yaml"))


def test_presets_are_protected(store, data):
    before = {p.name: p.read_bytes() for p in store.presets_dir.iterdir()}
    for action in (lambda: store.delete("payment-first"), lambda: store.rename("payment-first", "Other")):
        with pytest.raises(InputError) as caught:
            action()
        assert caught.value.problems[0].code == "protected"
    store.save(scenario(data, "Draft"))
    with pytest.raises(InputError) as caught:
        store.rename("draft", "Payment first")
    assert caught.value.problems[0].code == "name_taken_by_preset"
    assert {p.name: p.read_bytes() for p in store.presets_dir.iterdir()} == before
    assert store.read_text("payment-first") == before["payment-first.yaml"].decode("utf-8")


def test_unknown_scenarios_are_reported(store):
    for action in (store.delete, store.load, store.read_text, lambda stem: store.rename(stem, "New")):
        with pytest.raises(InputError) as caught:
            action("nothing-here")
        assert caught.value.problems[0].code == "not_found"


def test_overwrite_needs_consent(store, data):
    store.save(scenario(data, "Mine", 0.1))
    with pytest.raises(InputError) as caught:
        store.save(scenario(data, "Mine", 0.9))
    assert str(caught.value.problems[0]) == "name: a saved scenario called 'Mine' already exists"
    assert caught.value.problems[0].code == "exists"
    assert store.load("mine").levers["payment_interop"] == 0.1
    store.save(scenario(data, "Mine", 0.9), overwrite=True)
    assert store.load("mine").levers["payment_interop"] == 0.9


def test_rename_and_delete_own(store, data):
    store.save(scenario(data, "Draft"))
    store.rename("draft", "Final version")
    stems = [e.stem for e in store.entries()]
    assert "final-version" in stems and "draft" not in stems
    assert store.load("final-version").name == "Final version"
    store.delete("final-version")
    assert "final-version" not in [e.stem for e in store.entries()]


def test_names_sharing_a_file_name_need_consent(store, data):
    store.save(scenario(data, "A & B"))
    with pytest.raises(InputError) as caught:
        store.save(scenario(data, "A, B"))
    assert str(caught.value.problems[0]) == "name: a saved scenario called 'A & B' already exists"


def test_rename_refuses_another_saved_name(store, data):
    store.save(scenario(data, "One"))
    store.save(scenario(data, "Two"))
    with pytest.raises(InputError) as caught:
        store.rename("one", "two")
    assert caught.value.problems[0].code == "exists"
    store.rename("one", "ONE")  # the same file name: only the name inside changes
    assert store.load("one").name == "ONE"


def test_invalid_saved_files_are_skipped_and_listed(store, data):
    store.save(scenario(data, "Good"))
    (store.saved_dir / "broken.yaml").write_text("schema_version: 1\nname: Broken\nhorizon: 1999\n")
    stems = [e.stem for e in store.entries()]
    assert "good" in stems and "broken" not in stems
    [(path, error)] = store.invalid
    assert path.name == "broken.yaml" and error.problems[0].field == "horizon"


def test_saved_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "elsewhere"))
    assert default_store().saved_dir == tmp_path / "elsewhere"


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_interrupted_write_leaves_the_old_file_whole(store, data, monkeypatch, step):
    path = store.save(scenario(data, "Kept", 0.2))
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, step, crash)
    with pytest.raises(OSError):
        store.save(scenario(data, "Kept", 0.8), overwrite=True)
    assert path.read_bytes() == before
    assert [p.name for p in store.saved_dir.iterdir() if p.name != ".lock"] == ["kept.yaml"]


def test_concurrent_saves_from_threads(store, data):
    errors = []

    def worker(k):
        try:
            for i in range(10):
                store.save(scenario(data, f"Thread {k} scenario {i}", i / 10))
        except Exception as error:  # collected so that the test reports it
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    saved = {e.scenario.name: e.scenario for e in store.entries() if not e.protected}
    assert store.invalid == [] and len(list(store.saved_dir.glob("*.yaml"))) == 80
    assert {name: s.levers["payment_interop"] for name, s in saved.items()} == {
        f"Thread {k} scenario {i}": i / 10 for k in range(8) for i in range(10)}
    assert not list(store.saved_dir.glob(".saving-*"))


def _process_saves(presets, saved, worker):
    store = ScenarioStore(Path(presets), Path(saved))
    levers = dict(store.data.status_quo_levers)
    for i in range(15):
        store.save(Scenario(name=f"Process {worker} number {i}", levers=levers))
        store.save(Scenario(name="Shared", levers=dict(levers, payment_interop=worker / 10)), overwrite=True)


def run_in_processes(target, store, count=4):
    """Run `target(presets, saved, worker)` in `count` fresh processes at once; all must succeed."""
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=target, args=(str(store.presets_dir), str(store.saved_dir), w))
               for w in range(count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0


def test_concurrent_saves_from_processes(store, data):
    run_in_processes(_process_saves, store)
    files = sorted(store.saved_dir.glob("*.yaml"))
    assert len(files) == 4 * 15 + 1
    for path in files:
        parse_scenario(path.read_bytes(), data)
    assert not list(store.saved_dir.glob(".saving-*"))


def test_invalid_upload_is_refused_and_nothing_written(store):
    with pytest.raises(InputError) as caught:
        store.save_upload(b"schema_version: 1\nname: Bad\nlevers:\n  payment_interop: 2\n  openness: some\n")
    assert [p.field for p in caught.value.problems] == ["levers.payment_interop", "levers.openness"]
    assert not store.saved_dir.exists()


def test_refused_upload_also_lists_the_name_problem(store):
    with pytest.raises(InputError) as caught:
        store.save_upload(b"schema_version: 1\nname: Q3/Q4 plan\nlevers:\n  payment_interop: 2\n")
    assert [p.code for p in caught.value.problems] == ["out_of_range", "name_characters"]
    assert not store.saved_dir.exists()


def test_upload_with_a_bad_name_writes_nothing(store):
    with pytest.raises(InputError) as caught:
        store.save_upload(b"schema_version: 1\nname: ../../etc/passwd\n")
    assert [p.code for p in caught.value.problems] == ["name_characters", "name_dots"]
    assert not store.saved_dir.exists()


def test_valid_upload_is_saved(store, data):
    text = yaml.safe_dump(scenario(data, "Uploaded one").to_file_dict())
    path = store.save_upload(text.encode())
    assert store.load(path.stem).name == "Uploaded one"


def _process_churn(presets, saved, worker):
    store = ScenarioStore(Path(presets), Path(saved))
    levers = dict(store.data.status_quo_levers)
    for i in range(10):
        store.save(Scenario(name=f"Churn {worker} {i}", levers=levers))
        store.rename(f"churn-{worker}-{i}", f"Renamed {worker} {i}")
        if i % 2:
            store.delete(f"renamed-{worker}-{i}")


def test_saves_renames_and_deletes_from_processes_lose_nothing(store, data):
    run_in_processes(_process_churn, store)
    expected = {f"renamed-{w}-{i}" for w in range(4) for i in range(0, 10, 2)}
    assert {p.stem for p in store.saved_dir.glob("*.yaml")} == expected
    listed = {e.stem for e in store.entries() if not e.protected}
    assert listed == expected and store.invalid == []
    assert not list(store.saved_dir.glob(".saving-*"))
