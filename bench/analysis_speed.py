"""The findings' analysis (analysis/findings.py) as a user waits for it: the full analysis of every
finding from a cold cache on two local Dask workers; the same job on 1–4 workers (the scaling curve
and, from it, what 16 would take); reweighting under narrowed ranges; and, in headless Chromium, a
belief slider move on Assumptions and the Findings page's first paint from a warm cache against
Explore's, on one server."""
from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

from analysis import findings
from analysis.evaluator import Job, connect, evaluate
from analysis.sampling import Factors, saltelli
from model.data import default_data
from store.evaluations import EvaluationCache
from store.library import SAVED_DIR_VARIABLE, database_url

SCALING_WORKERS = (1, 2, 3, 4)
SCALING_BASE = 512           # the Saltelli job of the findings at its default base: most of the full analysis
REWEIGHT_REPEATS = 50
BELIEF_MOVES = 10
CLUSTER = 16                 # the cluster size the estimate is for


def _timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def cold_analysis(folder: Path, workers: int = 2) -> dict:
    """Every finding at the default settings, empty cache, on `workers` LocalCluster workers."""
    cache = EvaluationCache(database_url(folder))
    started = time.perf_counter()
    with connect(workers=workers) as client:
        cluster_up = time.perf_counter() - started
        seconds, analysis = _timed(lambda: findings.analyse(default_data(), client=client, cache=cache))
    warm, _ = _timed(lambda: findings.analyse(default_data(), cache=cache))
    summary = analysis.summary
    return {"seconds": seconds, "cluster_up": cluster_up, "warm": warm, "draws": summary["draws"],
            "sobol_base": summary["sobol_base"], "runs": summary["sobol_runs"] + summary["monte_carlo_runs"],
            "analysis": analysis}


def scaling() -> dict:
    """The same job (no cache) on 1, 2, 3, 4 workers; T(n) = S + P/n fitted to 1 and 2 workers gives
    the serial part S (sampling, scheduling, gathering on the client) and the parallel part P."""
    data = default_data()
    rows = findings.Rows.of(findings.findings(data), data)
    factors = Factors.of(data)
    unit = saltelli(factors, SCALING_BASE, seed=1)
    job = Job("bench.scaling", rows.levers, factors.parameters(data, unit), rows.measures, seed=1)
    times = {}
    for workers in SCALING_WORKERS:
        with connect(workers=workers) as client:
            evaluate(Job("bench.warm", rows.levers[:1], {k: v[:8] for k, v in job.parameters.items()}, rows.measures),
                     data, client=client)     # workers import the model and receive the data first
            times[workers], _ = _timed(lambda: evaluate(job, data, client=client))
    parallel = 2 * (times[1] - times[2])
    serial = max(times[1] - parallel, 0.0)
    return {"times": times, "runs": len(unit) * len(rows.levers), "serial": serial, "parallel": parallel,
            "estimate": serial + parallel / CLUSTER}


def reweighting(analysis: findings.FindingsAnalysis) -> float:
    """ms to reweight every finding's share under three narrowed ranges (median of repeats)."""
    data = default_data()
    drivers = [f["sobol"][0]["parameter"] for f in analysis.summary["findings"] if f["sobol"]]
    ranges = {}
    for pid in dict.fromkeys(drivers):
        if pid in analysis.parameter_ids and len(ranges) < 3:
            p = data.parameters[pid]
            ranges[pid] = (p.low, (p.central + p.high) / 2)
    times = [_timed(lambda: findings.reweighted(analysis, ranges, data))[0] * 1000 for _ in range(REWEIGHT_REPEATS)]
    return statistics.median(times)


def browser(folder: Path) -> dict | None:
    """Belief slider moves on Assumptions (to the painted table), and first paints of Findings and
    Explore from a warm cache on one server."""
    from playwright.sync_api import sync_playwright

    from .appserver import chromium_path, launch_chromium, streamlit_server
    from .browser_speed import EXPLORE_CHARTS, WARM_LOADS, _load, _paint_time, _slider_moves

    if chromium_path() is None:
        return None
    with sync_playwright() as playwright, streamlit_server(env={SAVED_DIR_VARIABLE: str(folder)}) as url:
        chromium = launch_chromium(playwright)
        _paint_time(chromium, url, EXPLORE_CHARTS)                       # the server's first session
        _paint_time(chromium, f"{url}/findings", 0)     # no chart until a card is opened: its text is the paint
        explore = statistics.median(_paint_time(chromium, url, EXPLORE_CHARTS) for _ in range(WARM_LOADS))
        found = statistics.median(_paint_time(chromium, f"{url}/findings", 0) for _ in range(WARM_LOADS))
        page, _ = _load(chromium, f"{url}/assumptions", 0)
        page.get_by_text("Your own beliefs", exact=True).scroll_into_view_if_needed()
        # The range slider has two thumbs: move the lower one.
        moves = [ms for ms, _, _ in _slider_moves(page, re.compile("^Range you believe.* — start"), BELIEF_MOVES)]
        page.context.close()
        chromium.close()
    return {"explore": explore, "findings": found, "belief_move": statistics.median(moves)}


def measure() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-findings-") as folder:
        cold = cold_analysis(Path(folder))
        print(f"findings, cold: {cold['seconds']:.0f} s", flush=True)     # each stage as it ends: a long run
        scaled = scaling()
        print(f"findings, scaling: {scaled['times']}", flush=True)
        figures = {"cold": cold, "scaling": scaled, "reweight_ms": reweighting(cold.pop("analysis")),
                   "browser": browser(Path(folder))}
    return figures


def rows(figures: dict) -> list[tuple[str, str, str, str, bool | None]]:
    """(figure, value, floor, target, met) rows for bench/__main__.py's table."""
    cold, scale = figures["cold"], figures["scaling"]
    times = scale["times"]
    speedup = times[1] / times[2]
    out = [
        (f"findings: full analysis, cold cache, 2 workers ({cold['runs']:,} runs, {cold['draws']:,} draws, "
         f"Sobol base {cold['sobol_base']})", f"{cold['seconds']:.0f} s", "", "<= 120 s", cold["seconds"] <= 120),
        ("  findings: LocalCluster start / from the warm cache", f"{cold['cluster_up']:.1f} s / {cold['warm']:.2f} s",
         "", "", None),
        (f"findings: 2 workers vs 1 on the same job ({scale['runs']:,} runs)", f"{speedup:.2f}x", "", ">= 1.6x",
         speedup >= 1.6),
        ("  scaling curve, workers: seconds", ", ".join(f"{n}: {t:.1f}" for n, t in times.items()), "", "", None),
        (f"  {CLUSTER} workers (estimate: serial {scale['serial']:.1f} s + parallel {scale['parallel']:.1f} s / "
         f"{CLUSTER})", f"{scale['estimate']:.1f} s", "", "", None),
        ("findings: reweighting every share, 3 ranges narrowed", f"{figures['reweight_ms']:.1f} ms", "", "<= 300 ms",
         figures["reweight_ms"] <= 300),
    ]
    seen = figures["browser"]
    if seen is None:
        return out + [("findings: browser figures", "chromium not found", "", "", False)]
    ratio = seen["findings"] / seen["explore"]
    return out + [
        ("findings: belief slider move on Assumptions, p50", f"{seen['belief_move']:.0f} ms", "", "<= 300 ms",
         seen["belief_move"] <= 300),
        ("findings: Findings page first paint, warm cache", f"{seen['findings']:.0f} ms = {ratio:.2f}x Explore",
         f"{seen['explore']:.0f} ms (Explore)", "<= 1.1x Explore", ratio <= 1.1),
    ]


if __name__ == "__main__":     # python -m bench.analysis_speed: these figures alone
    measured = measure()
    for line in rows(measured):
        print("  ".join(str(cell) for cell in line[:4]), {True: "yes", False: "NO", None: ""}[line[4]])
