"""The naive forecast the model must beat: a random walk with drift on each platform's log share
within the platform set, fitted on 2018–2021 only.

Each platform's drift is the mean of its yearly changes in log share (launch changes left out, as
for the trends: `trends.yearly_changes`), with one pooled standard deviation σ of the changes about
each platform's mean (`trends.dispersion`). h years after 2021 the log share is normal with mean
ln s₂₀₂₁ + h·d and variance h·σ² + h²·σ²/n (the yearly shocks plus the drift's estimation error from
n changes); shares are taken within the platforms reported that year, per draw. It sees no
measurement error of its own: it is fitted on reported figures, whose error is in its σ.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .calibration import BASE_YEAR
from .data import ModelData, default_data
from .history import History, load_history
from .trends import dispersion, substream, within_set_shares, yearly_changes


@dataclass(frozen=True)
class RandomWalk:
    start: dict[str, float]      # within-set share in the base year
    drift: dict[str, float]      # mean yearly change in log share
    changes: dict[str, int]      # how many changes the drift is the mean of
    sd: float                    # pooled standard deviation of a yearly change

    def log_share(self, pid: str, steps: int) -> tuple[float, float]:
        """Mean and standard deviation of the log share `steps` years after the base year."""
        mean = math.log(self.start[pid]) + steps * self.drift[pid]
        return mean, self.sd * math.sqrt(steps + steps**2 / self.changes[pid])

    def draws(self, platforms: list[str], steps: int, draws: int, seed: int) -> np.ndarray:
        """(draws, K) shares within `platforms` `steps` years ahead: one path per draw (the drift's
        error fixed along it, a shock each year), its own substream."""
        rng = substream(seed, "benchmark")
        error = rng.standard_normal((draws, len(platforms)))
        shocks = rng.standard_normal((steps, draws, len(platforms))).sum(axis=0)
        logs = np.stack([math.log(self.start[p]) + steps * self.drift[p] for p in platforms])[None, :]
        counts = np.array([self.changes[p] for p in platforms], dtype=float)[None, :]
        logs = logs + self.sd * (steps * error / np.sqrt(counts) + shocks)
        shares = np.exp(logs - logs.max(axis=1, keepdims=True))
        return shares / shares.sum(axis=1, keepdims=True)


def fit(history: History | None = None, data: ModelData | None = None) -> RandomWalk:
    """The random walk from the changes through 2021 (nothing later is read)."""
    history, data = history or load_history(), data or default_data()
    changes = yearly_changes(BASE_YEAR, history, data)
    _, pooled = dispersion(changes)
    start = within_set_shares(BASE_YEAR, history, data)
    return RandomWalk({pid: start[pid] for pid in changes},
                      {pid: float(np.mean(list(c.values()))) for pid, c in changes.items()},
                      {pid: len(c) for pid, c in changes.items()}, pooled)
