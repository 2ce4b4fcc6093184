"""Scenario discovery: the PRIM box (the EMA Workbench's implementation) in which a finding fails, or,
for a finding that mostly fails, holds — the parameter ranges a reader would have to believe."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

MIN_CASES = 20           # fewer draws of interest than this: too few to describe a box
MAX_DIMENSIONS = 3       # a box restricts at most this many parameters (readable)
PRUNE_TOLERANCE = 0.02   # a restriction that adds less density than this is dropped
PRIM_FACTORS = 8         # PRIM searches the parameters with the largest total-order Sobol indices


def _prim():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")        # ema_workbench warns about optional parallel back-ends
        from ema_workbench.analysis import prim
    return prim


def prim_box(x: np.ndarray, names: list[str], target: np.ndarray, case: str, candidates: list[str] | None = None
             ) -> dict:
    """The box over columns of `x` (draws × parameters, named by `names`) in which `target` is true.
    PRIM peels (Friedman & Fisher 1999); the box on its trajectory with the best balance of coverage
    and density (their harmonic mean) is then pruned: restrictions that add less than
    PRUNE_TOLERANCE of density are dropped, least useful first, and at most MAX_DIMENSIONS are kept.
    `candidates` limits the search to those columns (the first PRIM_FACTORS of them). Returns
    {"case", "limits": [{"parameter", "low", "high"}], "coverage", "density", "base_rate", "cases"},
    or {"case", "limits": None, "reason", "cases"} when there is nothing to describe."""
    cases = int(target.sum())
    if cases < MIN_CASES:
        return {"case": case, "limits": None, "cases": cases, "reason": "too_few_cases"}
    columns = [names.index(n) for n in (candidates or names)[:PRIM_FACTORS]] if candidates else list(range(len(names)))
    frame = pd.DataFrame(x[:, columns], columns=[names[c] for c in columns])
    prim = _prim()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # In binary mode PRIM counts a case where y ≥ threshold: 0.5 separates the 0/1 target.
        box = prim.Prim(frame, target.astype(bool), threshold=0.5, peel_alpha=0.05).find_box()
    trajectory = box.peeling_trajectory
    balance = 2 * trajectory["coverage"] * trajectory["density"] / (trajectory["coverage"] + trajectory["density"])
    limits, initial = box.box_lims[int(balance.idxmax())], box.box_lims[0]
    restricted = {}
    for name in frame.columns:
        low, high = float(limits.loc[0, name]), float(limits.loc[1, name])
        if low > float(initial.loc[0, name]) or high < float(initial.loc[1, name]):
            restricted[name] = (low if low > float(initial.loc[0, name]) else None,
                                high if high < float(initial.loc[1, name]) else None)

    def inside(kept: dict) -> np.ndarray:
        mask = np.ones(len(frame), bool)
        for name, (low, high) in kept.items():
            values = frame[name].to_numpy()
            mask &= (values >= low if low is not None else True) & (values <= high if high is not None else True)
        return mask

    def density(kept: dict) -> float:
        mask = inside(kept)
        return float(target[mask].mean()) if mask.any() else 0.0

    while restricted:
        loss = {name: density(restricted) - density({k: v for k, v in restricted.items() if k != name})
                for name in restricted}
        weakest = min(loss, key=loss.get)
        if loss[weakest] >= PRUNE_TOLERANCE and len(restricted) <= MAX_DIMENSIONS:
            break
        del restricted[weakest]
    if not restricted:
        return {"case": case, "limits": None, "cases": cases, "reason": "no_simple_box"}
    mask = inside(restricted)
    return {"case": case, "limits": [{"parameter": name, "low": low, "high": high}
                                     for name, (low, high) in restricted.items()],
            "coverage": float(target[mask].sum() / cases), "density": float(target[mask].mean()),
            "base_rate": float(target.mean()), "cases": cases}
