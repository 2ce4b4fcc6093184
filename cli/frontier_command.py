"""`frontier`: the settings no other beats on the chosen objectives, under constraints, with their risks
(analysis/frontier.py). The grid is searched once and cached in the scenario database; later calls
with the same draws, data and model read it."""
from __future__ import annotations

import json
import sys

import pandas as pd

from analysis import frontier
from analysis.evaluator import connect
from model.data import default_data
from model.export import to_csv
from store.evaluations import EvaluationCache

from . import fail
from .model_commands import _draws


def add_frontier_command(commands) -> None:
    parser = commands.add_parser("frontier", help="the policy frontier: the best lever settings for the chosen "
                                                  "objectives under constraints, and how sure they are")
    parser.add_argument("--objective", action="append", metavar="ID", default=[],
                        help="an outcome of data/outcomes.yaml, optionally ID:max or ID:min (repeat; default: "
                             + ", ".join(frontier.DEFAULT_OBJECTIVES) + ")")
    parser.add_argument("--constraint", action="append", metavar="'ID<=X'", default=[],
                        help="keep only settings with an outcome's mean change (or a risk: "
                             + ", ".join(frontier.RISKS) + ", as 0.1 or 10%%) within a bound (repeat)")
    parser.add_argument("--draws", type=_draws, default=frontier.DEFAULT_DRAWS, metavar="N",
                        help=f"parameter draws every setting is evaluated under (default {frontier.DEFAULT_DRAWS})")
    parser.add_argument("--step", type=float, default=frontier.FINE_STEP, choices=[frontier.FINE_STEP, 0.2, 0.25,
                                                                                   frontier.COARSE_STEP],
                        help=f"grid step of the share levers (default {frontier.FINE_STEP})")
    parser.add_argument("--seed", type=int, default=None, help="seed of the draws (default: data/baseline.yaml's)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="a dask scheduler (tcp://host:8786) to compute on; default INTERCONNECT_DASK_SCHEDULER "
                             "or a local cluster")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="local cluster size (default one per core; 0 computes in this process)")
    parser.add_argument("--format", choices=["json", "csv", "table"], default="table")


def _parse(args) -> tuple[list, list, list[str]]:
    data = default_data()
    objectives, constraints, errors = [], [], []
    for spec in args.objective or list(frontier.DEFAULT_OBJECTIVES):
        try:
            objectives.append(frontier.parse_objective(spec, data))
        except ValueError as error:
            errors.append(f"frontier: --{error}")
    for spec in args.constraint:
        try:
            constraints.append(frontier.parse_constraint(spec, data))
        except ValueError as error:
            errors.append(f"frontier: --{error}")
    if len({o.id for o in objectives}) != len(objectives):
        errors.append("frontier: --objective: each outcome once")
    if len(objectives) < 2 and not errors:
        errors.append("frontier: --objective: a frontier needs at least two objectives")
    return objectives, constraints, errors


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\rfrontier: {done:,} of {total:,} chunks", end="" if done < total else "\n", file=sys.stderr)


def point_json(row: pd.Series, objectives: list, robust: bool = True) -> dict:
    """A setting as the JSON contract holds it."""
    out = {"levers": frontier.levers_of(row),
           "objectives": {o.id: float(row[o.id]) for o in objectives},
           "risks": {**{risk: float(row[risk]) for risk in frontier.RISKS},
                     "p10": {o.id: float(row[f"{o.id}.p10"]) for o in objectives},
                     "max_regret": float(row["robust_score"])}}
    if not robust:
        out["risks"].pop("max_regret")
    return out


def frontier_json(table: pd.DataFrame, meta: dict, objectives: list, constraints: list) -> dict:
    data = default_data()
    points = frontier.frontier(table, objectives, constraints)
    robust = frontier.most_robust(table, objectives, constraints)
    return {
        "year": meta["year"], "step": meta["step"], "draws": meta["draws"], "seed": meta["seed"],
        "settings": meta["settings"], "model_version": meta["model_version"], "data_hash": meta["data_hash"],
        "objectives": [{"id": o.id, "direction": o.direction, "unit": data.outcomes[o.id].unit} for o in objectives],
        "constraints": [{"id": c.id, "bound": c.bound, "value": c.value} for c in constraints],
        "feasible": int(frontier.feasible(table, constraints).sum()),
        "points": [point_json(row, objectives) for _, row in points.iterrows()],
        "robust_choice": point_json(robust.iloc[0], objectives) | {"on_frontier": bool(robust.index[0] in points.index)}
        if len(robust) else None,
    }


def _flat(payload: dict) -> pd.DataFrame:
    rows = []
    for point in payload["points"]:
        risks = point["risks"]
        rows.append({**point["levers"], **point["objectives"], **{r: risks[r] for r in frontier.RISKS},
                     **{f"{k}.p10": v for k, v in risks["p10"].items()}, "max_regret": risks["max_regret"]})
    return pd.DataFrame(rows)


def run_frontier_command(args) -> int:
    objectives, constraints, errors = _parse(args)
    if errors:
        return fail(errors)
    cache = EvaluationCache()
    options = dict(step=args.step, draws=args.draws, seed=args.seed, objectives=objectives, constraints=constraints,
                   cache=cache)
    found = frontier.frontier_table(default_data(), compute=False, **options)
    if found is None:
        if args.workers == 0 and not args.scheduler:
            found = frontier.frontier_table(default_data(), progress=_progress, **options)
        else:
            with connect(args.scheduler, args.workers) as client:
                found = frontier.frontier_table(default_data(), client=client, progress=_progress, **options)
    table, meta = found
    payload = frontier_json(table, meta, objectives, constraints)
    if args.format == "json":
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(to_csv(_flat(payload), index=False), end="")
    else:
        print(f"{len(payload['points'])} settings on the frontier of {payload['feasible']:,} feasible of "
              f"{meta['settings']:,} ({meta['draws']} draws, step {meta['step']:g}, changes against the status quo "
              f"in {meta['year']}; most robust first)")
        if payload["points"]:
            print(_flat(payload).to_string(index=False, float_format=lambda x: f"{x:,.3g}"))
    return 0
