"""Status-quo trends from history: each platform's 2020→2021 change in log GMV share within the
platforms that report both years. Only figures for 2021 and before enter (data/history.yaml);
the central values of the `trend_*` parameters are these numbers, and a test recomputes them.
"""
from __future__ import annotations

import math

from .data import ModelData, default_data
from .history import History, load_history

BASE_YEAR = 2021


def log_share_changes(history: History | None = None, data: ModelData | None = None,
                      year: int = BASE_YEAR) -> dict[str, float]:
    """{platform: ln(s_year / s_year−1)} within the platforms with a reported figure in both years."""
    if year > BASE_YEAR:
        raise ValueError(f"calibration uses nothing after {BASE_YEAR}, asked for {year}")
    history = history or load_history()
    data = data or default_data()
    values = {}
    for platform in data.platforms:
        try:
            pair = [history.record(platform.id, y).value for y in (year - 1, year)]
        except (KeyError, LookupError, StopIteration):
            continue
        if all(v is not None and v > 0 for v in pair):
            values[platform.id] = pair
    before = sum(v[0] for v in values.values())
    after = sum(v[1] for v in values.values())
    return {pid: math.log((v[1] / after) / (v[0] / before)) for pid, v in values.items()}
