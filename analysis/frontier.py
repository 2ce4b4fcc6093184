"""The policy frontier: every setting of the share levers on a grid, at both breadths of opening,
under the same Monte Carlo draws (through analysis.evaluator and its cache); the settings no other
beats on every objective a user picks, under the user's constraints; and the robust choice.

    found = search(data, step=0.1, draws=200, client=client, cache=EvaluationCache())
    table = summarise(found, objectives)          # one row per setting: means, risks, worst deciles, regret
    frontier(table, objectives, constraints)      # the non-dominated feasible rows, most robust first

A setting's objective value is the mean over the draws of its change against the status quo in the
final year (present values over the policy years for the *_pv outcomes), each draw's status quo
simulated with that draw's parameters. Risks: the share of draws in which consumers lose
(consumer.surplus_pv < 0) and in which total welfare falls (welfare.total_pv < 0); each objective's
worst decile (the 10th percentile of an objective to maximise, the 90th of one to minimise: 90 % of
draws do at least as well); and its maximum regret across draws (below). Objectives and outcomes
are ids of data/outcomes.yaml, their direction its `better`.

The robust choice is the feasible setting with the least maximum regret: in each draw, a setting's
regret on an objective is how far it falls short of the best setting of the whole grid in that
draw, as a share of that draw's range over the grid (0 best, 1 worst), so objectives in RMB bn and
in HHI points weigh alike without weights; a setting's score is its largest regret over the draws
and the chosen objectives (Savage's minimax regret, as in Robust Decision Making). Regret, unlike
the worst decile, compares settings within the same draw: a draw in which every setting does badly
(a world, not a policy) costs no setting anything.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pymoo.util.nds.non_dominated_sorting import find_non_dominated

from model.data import ModelData, default_data
from model.engine import draw_parameters, quantiles
from model.scenario import lever_choices
from store.evaluations import EvaluationCache, Provenance

from .evaluator import Job, Progress, evaluate, plan

DEFAULT_OBJECTIVES = ("consumer.surplus_pv", "sme.profit.private_domain", "sme.profit.marketplace",
                      "welfare.total_pv", "concentration.hhi")
RISKS = {"consumers_lose": "consumer.surplus_pv", "welfare_falls": "welfare.total_pv"}  # P(outcome < 0)
COARSE_STEP, FINE_STEP = 0.5, 0.1
DEFAULT_DRAWS = 200
DIRECTIONS = {"higher": "max", "lower": "min"}
SUMMARY_VERSION = "1"   # bump when summarise() changes what it stores
BOUNDS = ("<=", ">=")


@dataclass(frozen=True)
class Objective:
    id: str
    direction: str   # "max" or "min"

    @property
    def sign(self) -> float:
        """+1 for an objective to maximise, −1 for one to minimise: sign × value is 'more is better'."""
        return 1.0 if self.direction == "max" else -1.0


def parse_objective(spec: str, data: ModelData | None = None) -> Objective:
    """`ID` (its direction from outcomes.yaml's `better`) or `ID:max` / `ID:min`; a ValueError names
    what is wrong."""
    data = data or default_data()
    outcome, _, direction = spec.strip().partition(":")
    if outcome not in data.outcomes:
        raise ValueError(f"objective {spec!r}: unknown outcome {outcome!r} (see data/outcomes.yaml; "
                         f"e.g. {', '.join(DEFAULT_OBJECTIVES)})")
    if direction:
        if direction not in ("max", "min"):
            raise ValueError(f"objective {spec!r}: direction must be max or min, got {direction!r}")
        return Objective(outcome, direction)
    better = data.outcomes[outcome].better
    if better not in DIRECTIONS:
        raise ValueError(f"objective {spec!r}: {outcome} is neither better higher nor lower; "
                         f"write {outcome}:max or {outcome}:min")
    return Objective(outcome, DIRECTIONS[better])


def default_objectives(data: ModelData | None = None) -> list[Objective]:
    return [parse_objective(outcome, data) for outcome in DEFAULT_OBJECTIVES]


@dataclass(frozen=True)
class Constraint:
    id: str        # an outcome id (its mean change) or a risk id (a probability, 0–1)
    bound: str     # "<=" or ">="
    value: float

    def holds(self, table: pd.DataFrame) -> np.ndarray:
        column = table[self.id].to_numpy()
        return column <= self.value if self.bound == "<=" else column >= self.value

    def text(self) -> str:
        return f"{self.id}{self.bound}{self.value:g}"


_CONSTRAINT = re.compile(r"^\s*([A-Za-z0-9_.]+)\s*(<=|>=)\s*(\S+?)\s*(%?)\s*$")


def parse_constraint(spec: str, data: ModelData | None = None) -> Constraint:
    """`ID<=X` or `ID>=X`: ID an outcome (its mean change, in its unit) or a risk (consumers_lose,
    welfare_falls: a probability, 0.1 or 10%)."""
    data = data or default_data()
    match = _CONSTRAINT.match(spec)
    if not match:
        raise ValueError(f"constraint {spec!r}: expected ID<=X or ID>=X, e.g. concentration.hhi<=100 or "
                         "consumers_lose<=10%")
    name, bound, number, percent = match.groups()
    if name not in data.outcomes and name not in RISKS:
        raise ValueError(f"constraint {spec!r}: unknown id {name!r} (an outcome of data/outcomes.yaml or "
                         f"one of {', '.join(RISKS)})")
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"constraint {spec!r}: {number!r} is not a number") from None
    if not np.isfinite(value):
        raise ValueError(f"constraint {spec!r}: {number!r} is not a finite number")
    if percent:
        if name not in RISKS:
            raise ValueError(f"constraint {spec!r}: a per cent bound is for a risk ({', '.join(RISKS)}), "
                             f"not for {name}")
        value /= 100
    if name in RISKS and not 0 <= value <= 1:
        raise ValueError(f"constraint {spec!r}: {name} is a probability: the bound must be between 0 and 1 "
                         "(or 0% and 100%)")
    return Constraint(name, bound, value)


def grid(data: ModelData, step: float) -> list[dict]:
    """Every share lever at every multiple of `step` in [0, 1], at every breadth of opening, as a
    scenario file holds levers."""
    count = int(round(1 / step))
    if not np.isclose(count * step, 1):
        raise ValueError(f"step {step:g} must divide 1 (0.5, 0.25, 0.2, 0.1, …)")
    values = [round(k / count, 6) for k in range(count + 1)]
    shares = data.share_levers
    rows = []
    for openness in lever_choices(data, "openness"):
        for combination in itertools.product(values, repeat=len(shares)):
            rows.append(dict(zip(shares, combination)) | {"openness": openness})
    return [{lever: row[lever] for lever in data.levers} for row in rows]


def settings(data: ModelData, step: float) -> list[dict]:
    """The settings a search evaluates: the coarse grid's first (with the status quo, which is off the
    coarse grid), then the rest of `step`'s grid: the coarse settings are the fine search's first
    chunks."""
    first = grid(data, COARSE_STEP) + [dict(data.status_quo_levers)]
    first = list({json.dumps(row, sort_keys=True): row for row in first}.values())
    if step == COARSE_STEP:
        return first
    seen = {json.dumps(row, sort_keys=True) for row in first}
    return first + [row for row in grid(data, step) if json.dumps(row, sort_keys=True) not in seen]


def measured(objectives: list[Objective], constraints: list[Constraint] = ()) -> list[str]:
    """The outcomes a search keeps: the default objectives, the risks' outcomes, and any other
    objective or constrained outcome, in one order, so that every choice among the defaults reads
    the same cached search."""
    wanted = set(DEFAULT_OBJECTIVES) | {o.id for o in objectives} | set(RISKS.values())
    return sorted(wanted | {c.id for c in constraints if c.id not in RISKS})


def summarised(objectives: list[Objective], data: ModelData) -> list[Objective]:
    """The objectives a summary gives worst deciles and regret for: the defaults, then any other
    chosen (a default chosen with the other direction replaces it)."""
    chosen = {o.id: o for o in objectives}
    return [chosen.pop(o.id, o) for o in default_objectives(data)] + list(chosen.values())


@dataclass
class Search:
    """Changes against the status quo of every setting under every draw: changes[s, d, k] is outcome k."""

    levers: list[dict]
    outcomes: list[str]
    changes: np.ndarray
    year: int
    step: float
    provenance: Provenance
    chunks: int = 0
    computed: int = 0
    seconds: float = 0.0


def job(data: ModelData, name: str, levers: list[dict], draws: int, seed: int | None, outcomes: list[str]) -> Job:
    """The evaluator's job: `levers` under the frontier's draws (the model's seed unless `seed`),
    each outcome in the default horizon's final year."""
    seed = data.baseline.uncertainty.seed if seed is None else seed
    year = data.baseline.simulation.default_horizon
    return Job(name, levers, draw_parameters(data, draws, seed), [(outcome, year) for outcome in outcomes],
               seed=seed, horizon=year)


def job_key(frontier_job: Job, data: ModelData) -> str:
    digest = hashlib.sha256()
    for chunk in plan(frontier_job, data):
        digest.update(chunk.key.encode())
    return digest.hexdigest()


def search(data: ModelData | None = None, step: float = FINE_STEP, draws: int = DEFAULT_DRAWS,
           seed: int | None = None, outcomes: list[str] | None = None, client=None,
           cache: EvaluationCache | None = None, progress: Progress | None = None) -> Search:
    """Evaluate every setting of `step`'s grid under the same `draws` draws (the model's seed unless
    `seed`), on the Dask `client` or in this process, reading and filling `cache`."""
    data = data or default_data()
    outcomes = outcomes or measured(default_objectives(data))
    frontier_job = job(data, f"frontier.{step:g}", settings(data, step), draws, seed, outcomes)
    result = evaluate(frontier_job, data, client=client, cache=cache, progress=progress)
    values = result.values
    status_quo = frontier_job.levers.index(dict(data.status_quo_levers))
    changes = values - values[status_quo]   # level outcomes (HHI, profits) become changes; changes stay
    return Search(frontier_job.levers, list(outcomes), changes, frontier_job.measures[0][1], step,
                  result.provenance, result.chunks, result.computed, result.seconds)


def lever_column(lever: str) -> str:
    return f"lever.{lever}"


def summarise(found: Search, objectives: list[Objective]) -> pd.DataFrame:
    """One row per setting: its levers (lever.<id>), the mean change of every measured outcome
    (<outcome>), each risk's probability, and for each objective its worst decile (<id>.p10) and
    maximum regret (<id>.regret)."""
    changes = found.changes
    columns: dict[str, np.ndarray] = {}
    for lever in found.levers[0]:
        columns[lever_column(lever)] = np.array([row[lever] for row in found.levers])
    for k, outcome in enumerate(found.outcomes):
        columns[outcome] = changes[:, :, k].mean(axis=1)
    for risk, outcome in RISKS.items():
        columns[risk] = (changes[:, :, found.outcomes.index(outcome)] < 0).mean(axis=1)
    for objective in objectives:
        signed = objective.sign * changes[:, :, found.outcomes.index(objective.id)]   # (settings, draws), more is better
        columns[f"{objective.id}.p10"] = objective.sign * quantiles(signed, (0.1,), axis=1)[0]
        best, worst = signed.max(axis=0), signed.min(axis=0)
        spread = np.where(best - worst > 0, best - worst, 1.0)
        columns[f"{objective.id}.regret"] = ((best - signed) / spread).max(axis=1)
    return pd.DataFrame(columns)


def levers_of(row: pd.Series) -> dict:
    """A table row's levers as a scenario file holds them."""
    return {name.removeprefix("lever."): (value if isinstance(value, str) else float(value))
            for name, value in row.items() if name.startswith("lever.")}


def feasible(table: pd.DataFrame, constraints: list[Constraint]) -> np.ndarray:
    keep = np.ones(len(table), dtype=bool)
    for constraint in constraints:
        keep &= constraint.holds(table)
    return keep


def robust_score(table: pd.DataFrame, objectives: list[Objective]) -> np.ndarray:
    """Each setting's maximum regret over the draws and the chosen objectives (0–1, lower is better)."""
    return table[[f"{o.id}.regret" for o in objectives]].to_numpy().max(axis=1)


def non_dominated(values: np.ndarray) -> np.ndarray:
    """Indices of the rows of `values` (rows × objectives, more is better) that no other row
    dominates (at least as good on every objective, better on one). Identical rows are all kept."""
    if len(values) == 0:
        return np.array([], dtype=int)
    return np.sort(find_non_dominated(-values))


def frontier(table: pd.DataFrame, objectives: list[Objective], constraints: list[Constraint] = ()) -> pd.DataFrame:
    """The feasible settings that no other feasible setting dominates on the objectives' means, with
    their robust score, most robust first."""
    rows = np.flatnonzero(feasible(table, list(constraints)))
    signed = table.iloc[rows][[o.id for o in objectives]].to_numpy() * np.array([o.sign for o in objectives])
    chosen = table.iloc[rows[non_dominated(signed)]].copy()
    chosen["robust_score"] = robust_score(chosen, objectives)
    return chosen.sort_values("robust_score", kind="stable")


def most_robust(table: pd.DataFrame, objectives: list[Objective], constraints: list[Constraint] = (),
                top: int = 10) -> pd.DataFrame:
    """The `top` feasible settings with the least maximum regret (on the frontier or not)."""
    chosen = table[feasible(table, list(constraints))].copy()
    chosen["robust_score"] = robust_score(chosen, objectives)
    return chosen.sort_values("robust_score", kind="stable").head(top)


def gap_below(table: pd.DataFrame, x: Objective, y: Objective, here: dict[str, float],
              constraints: list[Constraint] = ()) -> float:
    """How much more of `y` a feasible setting gives that is at least as good as `here` on `x`
    (in y's unit; 0 when none gives more: `here` is on the frontier of the two)."""
    rows = table[feasible(table, list(constraints))]
    good_enough = x.sign * rows[x.id].to_numpy() >= x.sign * here[x.id] - 1e-12
    if not good_enough.any():
        return 0.0
    return max(0.0, float((y.sign * rows[y.id].to_numpy()[good_enough]).max() - y.sign * here[y.id]))


def summary_key(search_key: str, objectives: list[Objective]) -> str:
    text = json.dumps({"search": search_key, "objectives": [(o.id, o.direction) for o in objectives],
                       "version": SUMMARY_VERSION})
    return "frontier-summary-" + hashlib.sha256(text.encode()).hexdigest()


def frontier_table(data: ModelData | None = None, step: float = FINE_STEP, draws: int = DEFAULT_DRAWS,
                   seed: int | None = None, objectives: list[Objective] | None = None,
                   constraints: list[Constraint] = (), cache: EvaluationCache | None = None, client=None,
                   progress: Progress | None = None, compute: bool = True) -> tuple[pd.DataFrame, dict] | None:
    """The summary table of `step`'s grid and what it is (year, step, draws, seed, settings, model
    version, data hash, chunks computed now, seconds): from `cache` when summarised before, else
    searched (reading and filling the cache chunk by chunk) and summarised, or None when not
    `compute`."""
    data = data or default_data()
    objectives = objectives or default_objectives(data)
    frontier_job = job(data, f"frontier.{step:g}", settings(data, step), draws, seed,
                       measured(objectives, list(constraints)))
    objectives = summarised(objectives, data)
    key = summary_key(job_key(frontier_job, data), objectives)
    stored = cache.result(key) if cache else None
    if stored is not None:
        meta, arrays = stored
        table = pd.DataFrame({c: arrays[f"c{k}"] for k, c in enumerate(meta["columns"])})
        return table, meta | {"computed": 0, "seconds": 0.0}
    if not compute:
        return None
    found = search(data, step, draws, seed, [outcome for outcome, _ in frontier_job.measures], client, cache, progress)
    table = summarise(found, objectives)
    meta = {"columns": list(table.columns), "year": found.year, "step": step, "draws": draws,
            "seed": frontier_job.seed, "settings": len(found.levers), "model_version": found.provenance.model_version,
            "data_hash": found.provenance.data_hash, "chunks": found.chunks}
    if cache:
        # text columns (the breadth of opening) as fixed-width strings: the cache never pickles
        arrays = {f"c{k}": np.asarray(table[c], dtype=None if pd.api.types.is_numeric_dtype(table[c]) else str)
                  for k, c in enumerate(table.columns)}
        cache.put_result(key, meta, arrays, found.provenance)
    return table, meta | {"computed": found.computed, "seconds": found.seconds}


def point_changes(levers: dict, data: ModelData | None = None, draws: int = DEFAULT_DRAWS, seed: int | None = None,
                  outcomes: list[str] | None = None, cache: EvaluationCache | None = None) -> dict[str, float]:
    """One setting's mean changes (and risks) under the frontier's draws: where it stands against the
    frontier. Schedules allowed (a setting off the grid is evaluated here)."""
    data = data or default_data()
    outcomes = outcomes or measured(default_objectives(data))
    point_job = job(data, "frontier.point", [dict(data.status_quo_levers), dict(levers)], draws, seed, outcomes)
    values = evaluate(point_job, data, cache=cache).values
    changes = values[1] - values[0]
    out = {outcome: float(changes[:, k].mean()) for k, outcome in enumerate(outcomes)}
    return out | {risk: float((changes[:, outcomes.index(outcome)] < 0).mean()) for risk, outcome in RISKS.items()}
