"""Scenario files: the presets load, and each kind of broken file gets its own located message."""
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from model.data import default_data
from model.scenario import Scenario, load_scenario, parse_scenario, schedule_of, scenario_from_dict, value_in_year
from model.yamlio import InputError
from store.names import slug

BAD = Path(__file__).parent / "fixtures" / "bad_scenarios"
EXPECTED = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def test_every_broken_fixture_has_an_expectation():
    assert sorted(p.name for p in BAD.glob("*.yaml") if p.name != "expected.yaml") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gives_its_message(name, data):
    path = BAD / name
    with pytest.raises(InputError) as caught:
        load_scenario(path, data)
    assert f"{path}: {EXPECTED[name]}" in caught.value.lines()


def test_six_presets_with_descriptions_citing_arguments(presets):
    assert len(presets) >= 6
    for scenario in presets.values():
        assert scenario.description and any(tag in scenario.description for tag in ("Z", "N"))


def test_missing_levers_keep_their_status_quo(data):
    scenario = parse_scenario("schema_version: 1\nname: Only payments\nlevers:\n  payment_interop: 0.8\n", data)
    assert scenario.levers == dict(data.status_quo_levers, payment_interop=0.8)
    assert scenario.horizon == data.baseline.simulation.default_horizon


def test_all_problems_are_reported_at_once(data):
    text = "schema_version: 1\nname: Two faults\nlevers:\n  payment_interop: 2\n  safeguards: -1\n"
    with pytest.raises(InputError) as caught:
        parse_scenario(text, data)
    assert [p.field for p in caught.value.problems] == ["levers.payment_interop", "levers.safeguards"]


def test_size_cap(data):
    text = "schema_version: 1\nname: Big\ndescription: " + "x" * 70_000 + "\n"
    with pytest.raises(InputError, match="more than the 64,000 allowed"):
        parse_scenario(text, data)


def test_round_trip_through_the_file_format(presets, data):
    for scenario in presets.values():
        again = parse_scenario(yaml.safe_dump(scenario.to_file_dict(), allow_unicode=True), data)
        assert again == scenario


def test_integers_are_accepted_for_shares(data):
    scenario = parse_scenario("schema_version: 1\nname: Ints\nlevers:\n  payment_interop: 1\n", data)
    assert scenario.levers["payment_interop"] == 1


@pytest.mark.parametrize("name, expected", [("Payment first", "payment-first"), ("../../etc/passwd", "etc-passwd"),
                                            ("支付 优先", "支付-优先"), ("...", "scenario")])
def test_slug_is_safe(name, expected):
    assert slug(name) == expected


def test_scenario_key_ignores_the_name(data):
    a = Scenario("A", dict(data.status_quo_levers))
    b = Scenario("B", dict(data.status_quo_levers))
    assert a.key() == b.key()


def test_scalars_are_read_as_yaml_1_2(data):
    """No YAML 1.1 surprises: yes/on stay text, 1e-1 is a number, dates stay text, no octal or base 60."""
    scenario = parse_scenario("schema_version: 1\nname: yes\ndescription: 2021-08-21\nlevers:\n"
                              "  payment_interop: 1e-1\nhorizon: 02030\n", data)
    assert scenario.name == "yes" and scenario.description == "2021-08-21"
    assert scenario.levers["payment_interop"] == 0.1 and scenario.horizon == 2030


SCHEDULED = ("schema_version: 1\nname: Steps\nlevers:\n  payment_interop: {2022: 0.3, 2024: 1.0}\n"
             "  link_unblocking: 0.5\n")


def test_a_lever_may_be_a_dated_schedule(data):
    scenario = parse_scenario(SCHEDULED, data)
    assert scenario.levers["payment_interop"] == ((2022, 0.3), (2024, 1.0))
    assert scenario.levers["link_unblocking"] == 0.5
    assert hash(scenario.key()) == hash(parse_scenario(SCHEDULED, data).key())
    assert scenario.key() != parse_scenario(SCHEDULED.replace("1.0}", "0.9}"), data).key()


def test_a_schedule_survives_the_file_format(data):
    scenario = parse_scenario(SCHEDULED, data)
    again = scenario_from_dict(yaml.safe_load(yaml.safe_dump(scenario.to_file_dict(), allow_unicode=True)), data)
    assert again == scenario
    assert scenario.to_file_dict()["levers"]["payment_interop"] == {2022: 0.3, 2024: 1.0}


def test_schedule_of_and_the_value_in_force(data):
    first = data.baseline.simulation.first_policy_year
    assert schedule_of(0.4, first) == [(first, 0.4)]
    steps = ((2022, 0.3), (2024, 1.0))
    assert schedule_of(steps, first) == [(2022, 0.3), (2024, 1.0)]
    assert [value_in_year(steps, y, 0.0, first) for y in (2021, 2022, 2023, 2024, 2030)] == [0.0, 0.3, 0.3, 1.0, 1.0]
    assert value_in_year(((2024, 1.0),), 2023, 0.2, first) == 0.2  # before the first step: the status quo
    with pytest.raises(TypeError):
        schedule_of("all", first)


def test_every_schedule_problem_is_reported_at_once(data):
    text = ("schema_version: 1\nname: Faults\nlevers:\n  payment_interop: {2019: 0.3, 2024: 2}\n"
            "  data_sharing: {}\n")
    with pytest.raises(InputError) as caught:
        parse_scenario(text, data)
    assert [p.field for p in caught.value.problems] == [
        "levers.payment_interop.2019", "levers.payment_interop.2024", "levers.data_sharing"]


def test_lever_problems_survive_a_bad_name(data):
    with pytest.raises(InputError) as caught:
        parse_scenario("schema_version: 1\nname: ''\nlevers:\n  payment_interop: {2024: 3}\n", data)
    assert [p.field for p in caught.value.problems] == ["name", "levers.payment_interop.2024"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(2022, 2040), st.floats(0.0, 1.0)), min_size=1, max_size=6,
                unique_by=lambda step: step[0]).map(sorted))
def test_any_valid_schedule_is_accepted_as_written(steps):
    data = default_data()
    raw = {"schema_version": 1, "name": "Any", "levers": {"safeguards": dict(steps)}}
    assert scenario_from_dict(raw, data).levers["safeguards"] == tuple(steps)
