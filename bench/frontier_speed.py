"""The policy frontier's timings (issue 24), from an empty cache in a throwaway database: the first
coarse frontier (in process, as the page computes it), the full 0.1-step grid with 200 draws on a
local Dask cluster of two workers, each read again from the cache, and what a constraint change
costs the page's server from the cached table (the frontier, the robust table and the chart).

`python -m bench.frontier_speed [DATABASE_URL]` runs it alone (keep the database to serve the
cached frontier to a page: INTERCONNECT_DATABASE_URL=DATABASE_URL)."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from analysis import frontier
from analysis.evaluator import connect
from model.data import default_data
from store.evaluations import EvaluationCache

TARGETS_S = {"coarse": 10.0, "full": 600.0, "constraint_change": 0.3}
WORKERS = 2


def _timed(function):
    start = time.perf_counter()
    out = function()
    return out, time.perf_counter() - start


def constraint_change_seconds(table, data, repeats: int = 20) -> float:
    """Median server time of a constraint change on the Frontier page: the feasible frontier, the most
    robust settings and the figure, from the cached table."""
    from ui.charts import frontier_chart

    objectives = frontier.default_objectives(data)
    times = []
    for k in range(repeats):
        bound = float(table["concentration.hhi"].quantile(0.3 + 0.6 * k / repeats))
        constraints = [frontier.Constraint("concentration.hhi", "<=", bound),
                       frontier.Constraint("consumers_lose", "<=", 0.1)]
        start = time.perf_counter()
        points = frontier.frontier(table, objectives, constraints)
        frontier.most_robust(table, objectives, constraints)
        frontier.gap_below(table, objectives[0], objectives[-1], table.iloc[0], constraints)
        frontier_chart(table, points, objectives[0], objectives[-1], objectives[3], None, "en", hover=objectives)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(url: str | None = None) -> dict:
    data = default_data()
    folder = None if url else tempfile.TemporaryDirectory()
    cache = EvaluationCache(url or f"sqlite:///{Path(folder.name) / 'frontier.sqlite3'}")
    draws = frontier.DEFAULT_DRAWS
    (coarse, coarse_meta), coarse_s = _timed(lambda: frontier.frontier_table(data, frontier.COARSE_STEP, draws,
                                                                              cache=cache))
    _, coarse_warm_s = _timed(lambda: frontier.frontier_table(data, frontier.COARSE_STEP, draws, cache=cache))
    with connect(workers=WORKERS) as client:
        (table, meta), full_s = _timed(lambda: frontier.frontier_table(data, frontier.FINE_STEP, draws, cache=cache,
                                                                        client=client))
    _, full_warm_s = _timed(lambda: frontier.frontier_table(data, frontier.FINE_STEP, draws, cache=cache))
    out = {"coarse": coarse_s, "coarse_settings": coarse_meta["settings"], "coarse_warm": coarse_warm_s,
           "full": full_s, "full_settings": meta["settings"], "full_chunks_computed": meta["computed"],
           "full_warm": full_warm_s, "draws": draws, "workers": WORKERS,
           "constraint_change": constraint_change_seconds(table, data)}
    out["coarse_rows_per_s"] = coarse_meta["settings"] * draws / coarse_s
    out["full_rows_per_s"] = meta["settings"] * draws / full_s
    if folder:
        folder.cleanup()
    return out


def rows(found: dict) -> list[tuple[str, str, str, str, bool | None]]:
    """(figure, value, floor, target, met) lines for bench's table."""
    return [
        (f"frontier: first coarse frontier, {found['coarse_settings']} settings x {found['draws']} draws, cold",
         f"{found['coarse']:.1f} s ({found['coarse_rows_per_s']:,.0f} rows/s, in process)", "", "<= 10 s",
         found["coarse"] <= TARGETS_S["coarse"]),
        (f"frontier: full 0.1 grid, {found['full_settings']:,} settings x {found['draws']} draws, cold",
         f"{found['full']:.0f} s ({found['full_rows_per_s']:,.0f} rows/s, {found['workers']} Dask workers)", "",
         "<= 600 s", found["full"] <= TARGETS_S["full"]),
        ("frontier: coarse / full again, from the cache", f"{found['coarse_warm']:.2f} / {found['full_warm']:.2f} s",
         "", "", None),
        ("frontier: a constraint change, server side from the cache", f"{found['constraint_change'] * 1000:.0f} ms", "",
         "<= 300 ms", found["constraint_change"] <= TARGETS_S["constraint_change"]),
    ]


if __name__ == "__main__":
    result = measure(sys.argv[1] if len(sys.argv) > 1 else None)
    for line in rows(result):
        print("  ".join(line[:4]), {True: "yes", False: "NO", None: ""}[line[4]])
