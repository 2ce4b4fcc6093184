"""Model timings: one full run, the Shapley attribution, 1,000 Monte Carlo draws."""
from __future__ import annotations

import statistics
import time

from model import engine
from model.data import default_data
from model.scenario import load_scenario

from .paths import ROOT

TARGETS_MS = {"run": 5.0, "shapley": 50.0, "monte_carlo_1000": 200.0}


def _median_ms(function, repeats: int) -> float:
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure() -> dict[str, float]:
    data = default_data()
    scenario = load_scenario(ROOT / "scenarios" / "full-interconnection.yaml", data)
    return {
        "run": _median_ms(lambda: engine.run(scenario, data), 50),
        "shapley": _median_ms(lambda: engine.attribution(scenario, data), 30),
        "monte_carlo_1000": _median_ms(lambda: engine.monte_carlo(scenario, data, draws=1000), 10),
    }
