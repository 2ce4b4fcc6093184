"""`python -m cli findings` and `python -m cli sensitivity FILE --outcome ID` (or `python -m model …`): what you would have to
believe for each finding to flip, and the Sobol indices of any outcome, computed by the evaluator
(a Dask LocalCluster by default, a scheduler with --scheduler or INTERCONNECT_DASK_SCHEDULER, or this
process with --in-process) and cached in the scenario database."""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path

from analysis import findings as findings_analysis
from analysis.evaluator import connect
from analysis.sensitivity import outcome_sensitivity
from model.data import default_data
from model.scenario import load_scenario
from model.yamlio import InputError, parse_yaml
from store.evaluations import EvaluationCache

from . import fail

MAX_DRAWS = 1_000_000
CATALOGUE = Path(__file__).resolve().parent.parent / "ui" / "strings.yaml"


@lru_cache(maxsize=1)
def _catalogue() -> dict:
    return parse_yaml(CATALOGUE.read_bytes(), max_bytes=500_000)


def text(key: str, lang: str, **values) -> str:
    """The sentences' words from the dashboard's string catalogue (read as data: the command line
    does not import the interface), so both say the same."""
    return _catalogue()[key][lang].format(**values)


def _count(minimum: int, maximum: int):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {value!r}") from None
        if not minimum <= number <= maximum:
            raise argparse.ArgumentTypeError(f"must be between {minimum:,} and {maximum:,}, got {number}")
        return number
    return parse


def _power_of_two(value: str) -> int:
    number = _count(2, 65_536)(value)
    if number & (number - 1):
        raise argparse.ArgumentTypeError(f"must be a power of two (256, 512, 1024, ...), got {number}")
    return number


def _executor_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a Dask scheduler (tcp://host:8786); default INTERCONNECT_DASK_SCHEDULER, else a "
                            "LocalCluster on this machine")
    where.add_argument("--in-process", action="store_true", help="run every chunk in this process (no Dask)")
    parser.add_argument("--workers", type=_count(1, 256), metavar="N",
                        help="LocalCluster worker processes (default: one per core)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the analysis cache")
    parser.add_argument("--seed", type=_count(0, 2**63 - 1), metavar="S", help="default: the model's Monte Carlo seed")
    parser.add_argument("--format", choices=["json", "table"], default="table")


def add_findings_commands(commands) -> None:
    found = commands.add_parser("findings", help="every finding: share of draws, Sobol indices, PRIM box, break-evens")
    found.add_argument("--draws", type=_count(100, MAX_DRAWS), default=findings_analysis.DEFAULT_DRAWS, metavar="N",
                       help=f"Monte Carlo draws for the shares and PRIM (default {findings_analysis.DEFAULT_DRAWS})")
    found.add_argument("--sobol-base", type=_power_of_two, default=findings_analysis.DEFAULT_SOBOL_BASE, metavar="N",
                       help="Saltelli base sample, a power of two (default %(default)s)")
    _executor_options(found)
    sensitivity = commands.add_parser("sensitivity", help="Sobol indices of one outcome of a scenario")
    sensitivity.add_argument("file")
    sensitivity.add_argument("--outcome", required=True, metavar="ID")
    sensitivity.add_argument("--sobol-base", type=_power_of_two, default=512, metavar="N")
    _executor_options(sensitivity)


def _progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{stage}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def _executor(args):
    return nullcontext(None) if args.in_process else connect(args.scheduler, args.workers)


def run_findings_command(args) -> int:
    data = default_data()
    cache = None if args.no_cache else EvaluationCache()
    if args.command == "sensitivity":
        return _sensitivity(args, data, cache)
    with _executor(args) as client:
        analysis = findings_analysis.analyse(data, args.draws, args.seed, args.sobol_base, client=client, cache=cache,
                                             progress=_progress)
    summary = analysis.summary
    for finding in summary["findings"]:
        sentences = {lang: findings_analysis.explain(finding, data, lang, text) for lang in ("en", "zh")}
        finding["holds_unless"] = {lang: flip for lang, (flip, _) in sentences.items()}
        finding["where"] = {lang: where for lang, (_, where) in sentences.items()}
    if args.format == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(f"Findings: {summary['draws']:,} draws (seed {summary['seed']}), Sobol base {summary['sobol_base']} over "
          f"{summary['factors']} factors, model {summary['model_version']}")
    for finding in summary["findings"]:
        drivers = ", ".join(f"{i['parameter']} {i['total_order']:.2f}" for i in finding["sobol"][:3]) or "none"
        print(f"\n{finding['id']}: holds in {finding['share']:.1%} ± {finding['standard_error']:.1%}")
        print(f"  {finding['statement']['en']}")
        print(f"  drivers (total-order Sobol): {drivers}")
        print(f"  {finding['holds_unless']['en']}")
        print(f"  {finding['where']['en']}")
    return 0


def _sensitivity(args, data, cache) -> int:
    try:
        scenario = load_scenario(args.file, data)
    except InputError as error:
        return fail(error.lines())
    if args.outcome not in data.outcomes:
        return fail([f"--outcome: unknown outcome {args.outcome!r} (one of: {', '.join(data.outcomes)})"])
    with _executor(args) as client:
        result = outcome_sensitivity(scenario, args.outcome, data, args.sobol_base, args.seed, client=client,
                                     cache=cache, progress=lambda done, total: _progress("sensitivity", done, total))
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"{result['scenario']}: Sobol indices of the {result['year']} change in {result['outcome']} "
          f"({result['runs']:,} runs, seed {result['seed']}, model {result['model_version']})")
    print(f"{'factor':32} {'first order':>18} {'total order':>18}")
    for i in result["indices"]:
        if i["total_order_ci"][1] < 0.005:
            continue
        print(f"{i['factor']:32} {i['first_order']:6.3f} [{i['first_order_ci'][0]:6.3f},{i['first_order_ci'][1]:6.3f}]"
              f" {i['total_order']:6.3f} [{i['total_order_ci'][0]:6.3f},{i['total_order_ci'][1]:6.3f}]")
    return 0
