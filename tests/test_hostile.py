"""Hostile input through every entrance: the loader, `python -m cli validate`, the upload widget and
the share-link parser. Each case gets a located message, never a traceback, and nothing is written."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from conftest import open_tab

from model.data import default_data
from model.scenario import parse_scenario, scenario_from_dict
from store import ScenarioLibrary
from model.yamlio import InputError
from ui.limits import SlidingWindow
from ui.urlstate import from_query

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "bad_scenarios"
EXPECTED = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
DATA = default_data()


def test_the_corpus_is_large_enough():
    assert len(EXPECTED) >= 40


def test_cli_refuses_every_case_with_located_lines(tmp_path):
    paths = [BAD / name for name in sorted(EXPECTED)]
    before = sorted(p.name for p in BAD.iterdir())
    done = subprocess.run([sys.executable, "-m", "cli", "validate", *map(str, paths)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    for path in paths:
        assert f"{path}: {EXPECTED[path.name]}" in lines
    assert all(any(line.startswith(f"{p}: ") for p in paths) for line in lines)
    assert sorted(p.name for p in BAD.iterdir()) == before


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return ScenarioLibrary(f"sqlite:///{tmp_path_factory.mktemp('library') / 'library.sqlite3'}", data=DATA)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_store_upload_refuses_and_writes_nothing(store, name):
    with pytest.raises(InputError) as caught:
        store.save_upload((BAD / name).read_bytes())
    assert EXPECTED[name] in [str(p) for p in caught.value.problems]
    assert store.saved() == [] and store.saved(trash=True) == []


@pytest.mark.slow
def test_upload_widget_shows_every_case_and_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    monkeypatch.setattr("ui.library.PER_SESSION", SlidingWindow(1_000, 60))  # one session uploads every case
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/compare.py").run()
    open_tab(at, "Upload")
    for name in sorted(EXPECTED):
        at.file_uploader[0].set_value((name, (BAD / name).read_bytes(), "application/x-yaml")).run()
        next(b for b in at.button if b.label == "Check and save upload").click().run()
        assert not at.exception, name
        field, _, message = EXPECTED[name].partition(": ")
        shown = re.sub(r"\\(.)", r"\1", "\n".join(e.value for e in at.error))  # user text is escaped
        assert f"`{field}`" in shown and message in shown, (name, shown)
    assert ScenarioLibrary(f"sqlite:///{tmp_path / 'saved' / 'library.sqlite3'}").saved() == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_share_link_parser_survives_every_case(name):
    text = (BAD / name).read_bytes().decode("utf-8", errors="replace")
    params = {"payment_interop": text, "a": text, "compare": text, "horizon": text, "lang": text}
    state, problems = from_query(params, DATA, ["payment-first"])
    assert state.levers["payment_interop"] == DATA.status_quo_levers["payment_interop"] or text.strip() == "0"
    assert problems and all(p.field and p.message for p in problems)


fuzz = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fuzz
@given(st.binary(max_size=400))
def test_random_bytes_only_ever_give_input_errors(raw):
    try:
        parse_scenario(raw, DATA)
    except InputError as error:
        assert error.problems


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)
scenario_like = st.fixed_dictionaries(
    {}, optional={"schema_version": yaml_values | st.just(1), "name": yaml_values | st.text(max_size=90),
                  "description": yaml_values, "horizon": yaml_values | st.integers(2000, 2050),
                  "assumptions": yaml_values | st.dictionaries(st.sampled_from(sorted(DATA.parameters)), st.floats()),
                  "levers": yaml_values | st.dictionaries(st.sampled_from(["payment_interop", "openness", "x"]),
                                                          yaml_values)})


@pytest.mark.slow
@fuzz
@given(scenario_like)
def test_random_structures_only_ever_give_input_errors(document):
    try:
        scenario_from_dict(document, DATA)
    except InputError as error:
        assert error.problems and all(p.message for p in error.problems)


@pytest.mark.slow
@fuzz
@given(scenario_like)
def test_random_structures_as_yaml_text(document):
    try:
        text = yaml.safe_dump(document, allow_unicode=True)
    except yaml.YAMLError:
        return
    try:
        parse_scenario(text, DATA)
    except InputError as error:
        assert error.problems


core_tags = st.sampled_from(["!!int", "!!float", "!!bool", "!!timestamp", "!!null", "!!str", "!!binary", "!!set",
                             "!!omap", "!!pairs", "!!seq", "!!map", "!!merge", "!!value", "!!python/none"])
tag_values = st.text(max_size=12) | st.integers().map(str) | st.just("1" * 5000) | st.sampled_from(
    ["abc", "0x7EE", "maybe", "1e999", "{a}", "[1, 2]", "2030-13-45", "", "~", "-", ".inf"])


@fuzz
@given(core_tags, tag_values, st.sampled_from(["horizon: {}", "name: {}", "levers: {{payment_interop: {}}}",
                                               "? {}\n: 1", "assumptions: {}", "- {}"]))
def test_explicit_tags_with_any_value_only_ever_give_located_input_errors(tag, value, where):
    """Every constructor path PyYAML has, fed any value: a located InputError or a scenario, never a crash."""
    text = "schema_version: 1\nname: x\n" + where.format(f"{tag} {yaml.safe_dump(value).strip()}"
                                                       if value and value.isprintable() else tag)
    try:
        parse_scenario(text, DATA)
    except InputError as error:
        assert error.problems and all(str(p) for p in error.problems)
