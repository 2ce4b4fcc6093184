"""The model's commands: run, validate, compare and backtest scenario files."""
from __future__ import annotations

import argparse
import dataclasses
import json
import math

import pandas as pd

from model import engine
from model.data import default_data
from model.export import to_csv
from model.scenario import load_scenario
from model.yamlio import InputError

from . import fail


def _load_all(paths: list[str]):
    scenarios, errors = [], []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except InputError as error:
            errors += error.lines()
    return scenarios, errors


def run_json(scenario, uncertainty: int | None = None) -> dict:
    """The JSON contract of `run`: final-year outcomes against the status quo (with P10/P50/P90 from
    `uncertainty` paired draws when asked), the attribution over the policy levers and the breadth
    effect, the welfare ledger and what the consumer gain is made of."""
    data = default_data()
    result = engine.run(scenario, data, attribute=True)
    final = result.final
    shapley = result.attribution
    outcomes = {o: {"value": float(row.value), "status_quo": float(row.status_quo), "unit": row.unit}
                for o, row in final.iterrows()}
    extra = {}
    if uncertainty:
        bands = engine.monte_carlo(scenario, data, draws=uncertainty, check_unique=True)
        last = bands.bands[(bands.bands["year"] == result.years[-1]) & (bands.bands["which"] == "scenario")]
        last = last.set_index("outcome")
        for o, entry in outcomes.items():
            entry.update({q: float(last.loc[o, q]) for q in ("p10", "p50", "p90")})
        extra["monte_carlo"] = bands.integrity
    costs = engine.platform_costs(scenario, data).set_index("platform")
    return _strict({
        **extra,
        "scenario": scenario.name,
        "description": scenario.description,
        "levers": scenario.levers,
        "assumptions": scenario.assumptions,
        "final_year": result.years[-1],
        "equilibrium": result.equilibrium,
        "price_coefficient": result.price_coefficient,
        "outcomes": outcomes,
        "attribution": {o: {lever: float(v) for lever, v in row.items()}
                        for o, row in shapley.contributions.iterrows()},
        "breadth_effect": {"against": shapley.other_breadth,
                           "outcomes": {o: float(v) for o, v in shapley.breadth_effect.items()}},
        "ledger": engine.ledger(result, data).to_dict(orient="records"),
        "consumer_breakdown": engine.consumer_breakdown(result, data).to_dict(orient="records"),
        "consumer": {"surplus": float(final.loc["consumer.surplus", "change"])},
        "welfare": {"net_of_transfers": float(final.loc["welfare.total", "change"])},
        "market": {"gmv": float(final.loc["market.gmv", "value"]),
                   "gmv_status_quo": float(final.loc["market.gmv", "status_quo"])},
        "platform_costs": costs["marginal_cost"].to_dict(),
        "two_sided_value": costs["two_sided_value"].to_dict(),
    })


def _strict(value):
    """The JSON contract is strict JSON: a number that does not apply (NaN) is written as null."""
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def long_paths(result) -> pd.DataFrame:
    """Yearly paths as rows of year, outcome, scenario value, status-quo value, unit."""
    data = default_data()
    scenario = result.scenario_paths.reset_index().melt(id_vars="year", var_name="outcome", value_name="value")
    baseline = result.status_quo_paths.reset_index().melt(id_vars="year", var_name="outcome", value_name="status_quo")
    frame = scenario.merge(baseline, on=["year", "outcome"])
    frame["unit"] = frame["outcome"].map(lambda o: data.outcomes[o].unit)
    frame.insert(0, "scenario", result.scenario.name)
    return frame


def comparison_frame(scenarios) -> pd.DataFrame:
    """Final-year outcomes side by side: one row per outcome, the status quo then one column per scenario."""
    data = default_data()
    columns = {}
    for scenario in scenarios:
        final = engine.run(scenario, data).final
        columns.setdefault("status_quo", final["status_quo"])
        name, copy = scenario.name, 1
        while name in columns:  # two files may share a name; keep both columns
            copy += 1
            name = f"{scenario.name} ({copy})"
        columns[name] = final["value"]
    frame = pd.DataFrame(columns)
    frame.insert(0, "unit", [data.outcomes[o].unit for o in frame.index])
    frame.index.name = "outcome"
    return frame


MAX_DRAWS = 100_000


def _draws(text: str) -> int:
    """A number of Monte Carlo draws: a whole number from 10 to MAX_DRAWS."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of draws, got {text!r}") from None
    if not 10 <= value <= MAX_DRAWS:
        raise argparse.ArgumentTypeError(f"must be between 10 and {MAX_DRAWS:,} draws, got {value}")
    return value


def _backtest(fmt: str) -> int:
    from model import backtest  # only this command needs it

    try:
        result = backtest.backtest()
    except InputError as error:
        return fail(error.lines())
    out = result.to_json()
    if fmt == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    summary = out["summary"]
    print(f"{result.scenario.name}: modelled within-set GMV shares from the model calibrated through "
          f"{out['calibrated_through']}, against the reported ones")
    frame = backtest.table(result)
    sources = list(dict.fromkeys(frame["source"]))
    frame["source"] = [f"[{sources.index(s) + 1}]" for s in frame["source"]]
    print(frame.to_string(index=False))
    print(f"mean absolute error {summary['mean_abs_error_pp']:.1f} pp; status quo: "
          f"{out['status_quo']['summary']['mean_abs_error_pp']:.1f} pp")
    print(backtest.score_table(result).to_string(index=False))
    print("sources:")
    for number, source in enumerate(sources, 1):
        print(f"  [{number}] {source}")
    return 0


def add_model_commands(commands) -> None:
    run_parser = commands.add_parser("run", help="run one scenario file against the status quo")
    run_parser.add_argument("file")
    run_parser.add_argument("--format", choices=["json", "csv", "table"], default="table")
    run_parser.add_argument("--uncertainty", type=_draws, metavar="N",
                            help="add P10/P50/P90 of every outcome from N paired parameter draws")
    run_parser.add_argument("--assume", action="append", default=[], metavar="PARAMETER=VALUE",
                            help="hold a parameter at VALUE for analysis, inside or outside its documented range "
                                 "(e.g. a harm switched off); repeatable, over the file's assumptions")
    validate_parser = commands.add_parser("validate", help="check scenario files")
    validate_parser.add_argument("files", nargs="+")
    compare_parser = commands.add_parser("compare", help="final-year outcomes of several scenarios side by side")
    compare_parser.add_argument("files", nargs="+")
    compare_parser.add_argument("--format", choices=["json", "csv", "table"], default="table")
    backtest_parser = commands.add_parser("backtest", help="what happened 2022–2024 against the 2021-calibrated model")
    backtest_parser.add_argument("--format", choices=["json", "table"], default="table")


def run_model_command(args) -> int:
    if args.command == "backtest":
        return _backtest(args.format)
    if args.command == "validate":
        scenarios, errors = _load_all(args.files)
        if errors:
            return fail(errors)
        for path, scenario in zip(args.files, scenarios):
            print(f"{path}: ok ({scenario.name})")
        return 0
    if args.command == "run":
        return _run(args)
    return _compare(args)


def _run(args) -> int:
    scenarios, errors = _load_all([args.file])
    if errors:
        return fail(errors)
    scenario, errors = _with_assumed(scenarios[0], args.assume)
    if errors:
        return fail(errors)
    if args.format == "json":
        print(json.dumps(run_json(scenario, args.uncertainty), ensure_ascii=False, indent=2, allow_nan=False))
    elif args.format == "csv":
        print(to_csv(long_paths(engine.run(scenario)), index=False), end="")
    else:
        result = engine.run(scenario)
        print(f"{scenario.name}: final year {result.years[-1]}")
        print(result.final.to_string(float_format=lambda x: f"{x:,.4g}"))
    return 0


def _with_assumed(scenario, assumed: list[str]):
    """The scenario with `--assume PARAMETER=VALUE` settings over its assumptions, or error lines
    naming each bad one."""
    known, values, errors = default_data().parameters, {}, []
    for item in assumed:
        name, _, text = item.partition("=")
        try:
            value = float(text)
        except ValueError:
            value = None
        if name not in known:
            errors.append(f"--assume {item}: unknown parameter {name!r}")
        elif value is None or not math.isfinite(value):
            errors.append(f"--assume {item}: {name} needs a number, got {text!r}")
        else:
            values[name] = value
    return dataclasses.replace(scenario, assumptions=scenario.assumptions | values), errors


def _compare(args) -> int:
    scenarios, errors = _load_all(args.files)
    if errors:
        return fail(errors)
    frame = comparison_frame(scenarios)
    if args.format == "json":
        print(json.dumps({"scenarios": [s.name for s in scenarios],
                          "outcomes": json.loads(frame.to_json(orient="index"))}, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(to_csv(frame), end="")
    else:
        print(frame.to_string(float_format=lambda x: f"{x:,.4g}"))
    return 0
