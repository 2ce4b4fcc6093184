"""Proper scores of a forecast given as Monte Carlo draws [Gneiting & Raftery 2007]: lower is better.

`crps` is the continuous ranked probability score, E|X − y| − ½ E|X − X′|, in the units of the
forecast; `interval_score` the score of a central (1 − α) interval: its width plus 2/α times how far
the outcome falls outside it.
"""
from __future__ import annotations

import numpy as np

INTERVAL_ALPHA = 0.2   # the 80 % interval (P10–P90) the bands show


def crps(draws: np.ndarray, outcome: float) -> float:
    """CRPS of the empirical distribution of `draws` at `outcome`, from the sorted draws:
    ½ E|X − X′| = Σ_i (2i − n − 1) x_(i) / n² (i = 1..n)."""
    ordered = np.sort(np.asarray(draws, dtype=float))
    count = len(ordered)
    spread = float(((2.0 * np.arange(1, count + 1) - count - 1.0) * ordered).sum() / count**2)
    return float(np.abs(ordered - outcome).mean()) - spread


def interval_score(low: float, high: float, outcome: float, alpha: float = INTERVAL_ALPHA) -> float:
    """(high − low) + 2/α (low − y)⁺ + 2/α (y − high)⁺."""
    return float((high - low) + 2.0 / alpha * max(low - outcome, 0.0) + 2.0 / alpha * max(outcome - high, 0.0))
