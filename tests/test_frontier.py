"""The policy frontier's method and contracts: on a toy model with a known Pareto set the search
returns exactly it; nothing returned is dominated; constraints, worst deciles and regret as defined;
the command line's JSON, CSV and error lines; every point loads as a scenario."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import evaluator, frontier
from analysis.frontier import Constraint, Objective
from model.scenario import scenario_from_dict
from store.evaluations import EvaluationCache

ROOT = Path(__file__).resolve().parent.parent


def toy_chunk(data, levers, parameters, measures, horizon, model_version=evaluator.MODEL_VERSION):
    """A toy model in place of the real one: consumer PV = payment + links, ΔHHI = payment, total
    welfare PV = −data sharing, the other outcomes 0; plus the same draw noise for every setting."""
    draws = len(next(iter(parameters.values())))
    noise = np.asarray(parameters["discount_rate"], dtype=float)[None, :]
    formulas = {"consumer.surplus_pv": lambda row: row["payment_interop"] + row["link_unblocking"],
                "concentration.hhi": lambda row: row["payment_interop"],
                "welfare.total_pv": lambda row: -row["data_sharing"]}
    values = np.zeros((len(levers), draws, len(measures)))
    for k, (outcome, _) in enumerate(measures):
        if outcome in formulas:
            values[:, :, k] = np.array([formulas[outcome](row) for row in levers])[:, None] + noise
    return values


TOY_OBJECTIVES = [Objective("consumer.surplus_pv", "max"), Objective("concentration.hhi", "min"),
                  Objective("welfare.total_pv", "max")]


def _levers(table: pd.DataFrame) -> list[dict]:
    return sorted((frontier.levers_of(row) for _, row in table.iterrows()), key=lambda r: json.dumps(r, sort_keys=True))


def test_on_a_toy_model_the_search_returns_exactly_its_pareto_set(data, monkeypatch, tmp_path):
    """Links raise the consumer objective at no cost and data sharing lowers welfare: the frontier is
    every setting with links fully open and no data sharing, whatever payment, breadth and safeguards."""
    monkeypatch.setattr(evaluator, "evaluate_chunk", toy_chunk)
    cache = EvaluationCache(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    found = frontier.search(data, step=0.5, draws=12, cache=cache)
    assert len(found.levers) == 3 ** 4 * 2 + 1          # the coarse grid at both breadths, and the status quo
    table = frontier.summarise(found, TOY_OBJECTIVES)
    expected = [row for row in found.levers if row["link_unblocking"] == 1.0 and row["data_sharing"] == 0.0]
    assert _levers(frontier.frontier(table, TOY_OBJECTIVES)) == sorted(expected, key=lambda r: json.dumps(r, sort_keys=True))
    bounded = [Constraint("concentration.hhi", "<=", 0.5)]
    assert _levers(frontier.frontier(table, TOY_OBJECTIVES, bounded)) == sorted(
        (row for row in expected if row["payment_interop"] <= 0.5), key=lambda r: json.dumps(r, sort_keys=True))
    # the values are changes against the status quo (its row is 0), the same for every draw's noise
    status_quo = found.levers.index(dict(data.status_quo_levers))
    assert np.all(found.changes[status_quo] == 0)
    assert table.loc[found.levers.index(expected[-1]), "consumer.surplus_pv"] == pytest.approx(
        expected[-1]["payment_interop"] + 1.0)
    again = frontier.search(data, step=0.5, draws=12, cache=cache)
    assert again.computed == 0 and np.array_equal(again.changes, found.changes)


def test_the_fine_grid_has_every_setting_once_and_starts_with_the_coarse_one(data):
    fine = frontier.settings(data, 0.1)
    assert len(fine) == 11 ** 4 * 2
    assert len({json.dumps(row, sort_keys=True) for row in fine}) == len(fine)
    coarse = frontier.settings(data, 0.5)
    assert fine[:len(coarse)] == coarse                  # the coarse settings are computed first
    for row in fine[:50] + fine[-50:]:
        scenario_from_dict({"schema_version": 1, "name": "point", "levers": row}, data)


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 40))
    objectives = draw(st.integers(2, 4))
    values = draw(st.lists(st.lists(st.integers(-3, 3), min_size=objectives, max_size=objectives),
                           min_size=rows, max_size=rows))
    directions = draw(st.lists(st.sampled_from(["max", "min"]), min_size=objectives, max_size=objectives))
    ids = [f"o{k}" for k in range(objectives)]
    table = pd.DataFrame(np.array(values, dtype=float), columns=ids)
    table["risk"] = draw(st.lists(st.floats(0, 1), min_size=rows, max_size=rows))
    for k in ids:
        table[f"{k}.regret"] = 0.0
    bound = draw(st.none() | st.floats(0, 1))
    constraints = [] if bound is None else [Constraint("risk", "<=", bound)]
    return table, [Objective(i, d) for i, d in zip(ids, directions)], constraints


def _dominates(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.all(a >= b) and np.any(a > b))


@settings(max_examples=200, deadline=None)
@given(tables())
def test_no_returned_setting_is_dominated_and_every_other_feasible_one_is(case):
    table, objectives, constraints = case
    chosen = frontier.frontier(table, objectives, constraints)
    keep = frontier.feasible(table, constraints)
    signed = table[[o.id for o in objectives]].to_numpy() * np.array([o.sign for o in objectives])
    feasible_rows = np.flatnonzero(keep)
    assert set(chosen.index) <= set(feasible_rows)
    for row in chosen.index:
        assert not any(_dominates(signed[other], signed[row]) for other in feasible_rows)
    for row in set(feasible_rows) - set(chosen.index):
        assert any(_dominates(signed[other], signed[row]) for other in chosen.index)


def test_worst_decile_and_regret_as_defined(data):
    """Two settings, ten draws: regret is each draw's shortfall from the better setting over that
    draw's range, the largest over the draws; the worst decile is the 10th percentile of an objective
    to maximise and the 90th of one to minimise."""
    draws = np.arange(10, dtype=float)
    better = np.stack([draws + 1, draws], axis=1)            # setting 0: outcome a = d + 1, b = d
    worse = np.stack([draws, draws + (draws == 9) * 5], axis=1)   # setting 1: a = d, b = d (+5 in the last draw)
    found = frontier.Search([{"payment_interop": 0.0}, {"payment_interop": 1.0}], ["a", "b", "consumer.surplus_pv",
                            "welfare.total_pv"], np.concatenate([np.stack([better, worse]),
                                                                 np.stack([better, worse]) - 4.5], axis=2),
                            2030, 0.5, None)
    table = frontier.summarise(found, [Objective("a", "max"), Objective("b", "min")])
    assert table["a.regret"].tolist() == [0.0, 1.0]
    assert table["b.regret"].tolist() == [0.0, 1.0]          # only the last draw separates them on b
    assert table["a.p10"].tolist() == pytest.approx([np.quantile(draws + 1, 0.1), np.quantile(draws, 0.1)])
    assert table["b.p10"].tolist() == pytest.approx([np.quantile(draws, 0.9), np.quantile(draws + (draws == 9) * 5, 0.9)])
    assert table["consumers_lose"].tolist() == pytest.approx([0.4, 0.5])   # a − 4.5 < 0 in 4 and 5 draws


@pytest.mark.parametrize("spec, message", [
    ("no.such", "objective 'no.such': unknown outcome 'no.such'"),
    ("share.alibaba", "objective 'share.alibaba': share.alibaba is neither better higher nor lower; write "
                      "share.alibaba:max or share.alibaba:min"),
    ("concentration.hhi:lowest", "objective 'concentration.hhi:lowest': direction must be max or min, got 'lowest'"),
])
def test_bad_objectives_are_named(data, spec, message):
    with pytest.raises(ValueError) as error:
        frontier.parse_objective(spec, data)
    assert str(error.value).startswith(message)


def test_objectives_take_their_direction_from_the_outcomes(data):
    assert [(o.id, o.direction) for o in frontier.default_objectives(data)] == [
        (o, {"higher": "max", "lower": "min"}[data.outcomes[o].better]) for o in frontier.DEFAULT_OBJECTIVES]
    assert frontier.parse_objective("share.alibaba:min", data) == Objective("share.alibaba", "min")


@pytest.mark.parametrize("spec, parsed", [
    ("concentration.hhi<=100", Constraint("concentration.hhi", "<=", 100.0)),
    (" consumers_lose <= 10% ", Constraint("consumers_lose", "<=", 0.1)),
    ("welfare_falls<=0.25", Constraint("welfare_falls", "<=", 0.25)),
    ("sme.profit.private_domain>=-5", Constraint("sme.profit.private_domain", ">=", -5.0)),
])
def test_constraints_parse(data, spec, parsed):
    assert frontier.parse_constraint(spec, data) == parsed


@pytest.mark.parametrize("spec, message", [
    ("concentration.hhi<100", "expected ID<=X or ID>=X"),
    ("hhi<=100", "unknown id 'hhi'"),
    ("concentration.hhi<=lots", "'lots' is not a number"),
    ("concentration.hhi<=nan", "'nan' is not a finite number"),
    ("concentration.hhi<=10%", "a per cent bound is for a risk"),
    ("consumers_lose<=1.5", "consumers_lose is a probability"),
])
def test_bad_constraints_are_named(data, spec, message):
    with pytest.raises(ValueError) as error:
        frontier.parse_constraint(spec, data)
    assert str(error.value).startswith(f"constraint {spec!r}: {message}")


def cli(*args, saved: Path):
    env = os.environ | {"INTERCONNECT_SAVED_DIR": str(saved)}
    env.pop("INTERCONNECT_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "model", "frontier", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600, env=env)


@pytest.fixture(scope="module")
def coarse_json(tmp_path_factory):
    saved = tmp_path_factory.mktemp("saved")
    done = cli("--step", 0.5, "--draws", 20, "--workers", 0, "--format", "json",
               "--constraint", "concentration.hhi<=150", "--constraint", "consumers_lose<=10%", saved=saved)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), saved


def test_cli_json_contract(coarse_json, data):
    out, _ = coarse_json
    assert [(o["id"], o["direction"]) for o in out["objectives"]] == [
        (o.id, o.direction) for o in frontier.default_objectives(data)]
    assert out["constraints"] == [{"id": "concentration.hhi", "bound": "<=", "value": 150.0},
                                  {"id": "consumers_lose", "bound": "<=", "value": 0.1}]
    assert (out["draws"], out["step"], out["settings"], out["year"]) == (20, 0.5, 163, 2030)
    assert out["points"] and len(out["points"]) <= out["feasible"] <= out["settings"]
    ids = [o["id"] for o in out["objectives"]]
    for point in out["points"]:
        assert list(point["objectives"]) == ids
        assert point["objectives"]["concentration.hhi"] <= 150 and point["risks"]["consumers_lose"] <= 0.1
        assert set(point["risks"]) == {"consumers_lose", "welfare_falls", "p10", "max_regret"}
        assert list(point["risks"]["p10"]) == ids
    regrets = [p["risks"]["max_regret"] for p in out["points"]]
    assert regrets == sorted(regrets)                     # most robust first
    assert out["robust_choice"]["risks"]["max_regret"] <= regrets[0]


def test_every_frontier_point_loads_as_a_valid_scenario(coarse_json, data):
    out, _ = coarse_json
    for k, point in enumerate(out["points"]):
        scenario = scenario_from_dict({"schema_version": 1, "name": f"Frontier point {k + 1}",
                                       "levers": point["levers"]}, data)
        assert scenario.levers == point["levers"]


def test_cli_reads_the_cache_and_prints_csv_and_a_table(coarse_json):
    _, saved = coarse_json
    csv = cli("--step", 0.5, "--draws", 20, "--format", "csv", "--objective", "consumer.surplus_pv",
              "--objective", "concentration.hhi", saved=saved)
    assert csv.returncode == 0, csv.stderr
    header = csv.stdout.splitlines()[0].split(",")
    assert header == ["payment_interop", "link_unblocking", "data_sharing", "openness", "safeguards",
                      "consumer.surplus_pv", "concentration.hhi", "consumers_lose", "welfare_falls",
                      "consumer.surplus_pv.p10", "concentration.hhi.p10", "max_regret"]
    table = cli("--step", 0.5, "--draws", 20, "--format", "table", saved=saved)
    assert table.returncode == 0 and "settings on the frontier of 163 feasible of 163" in table.stdout


@pytest.mark.parametrize("args, line", [
    (["--objective", "no.such", "--objective", "concentration.hhi"],
     "frontier: --objective 'no.such': unknown outcome 'no.such'"),
    (["--constraint", "hhi<=100"], "frontier: --constraint 'hhi<=100': unknown id 'hhi'"),
    (["--constraint", "consumers_lose<=200%"], "frontier: --constraint 'consumers_lose<=200%': consumers_lose is a "
                                                "probability"),
    (["--objective", "concentration.hhi"], "frontier: --objective: a frontier needs at least two objectives"),
])
def test_cli_errors_are_one_line_and_exit_2(args, line, tmp_path):
    done = cli(*args, saved=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(line)
    assert done.stdout == ""


def test_the_gap_below_the_frontier_is_what_a_setting_as_good_on_x_adds_on_y():
    table = pd.DataFrame({"a": [1.0, 2.0, 3.0], "h": [10.0, 30.0, 5.0], "consumers_lose": [0.0, 0.5, 0.0]})
    x, y = Objective("a", "max"), Objective("h", "min")
    assert frontier.gap_below(table, x, y, {"a": 1.0, "h": 12.0}) == pytest.approx(7.0)    # row 2: a 3 ≥ 1, h 5
    assert frontier.gap_below(table, x, y, {"a": 3.0, "h": 5.0}) == 0.0                     # on the frontier
    assert frontier.gap_below(table, y, x, {"a": 1.0, "h": 30.0}) == pytest.approx(2.0)    # h ≤ 30: best a is 3
    assert frontier.gap_below(table, x, y, {"a": 2.5, "h": 40.0},
                              [Constraint("consumers_lose", "<=", 0.1)]) == pytest.approx(35.0)
