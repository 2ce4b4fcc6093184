"""Scenario discovery: the PRIM box (the EMA Workbench's implementation) in which a finding fails, or,
for a finding that mostly fails, holds — the parameter ranges a reader would have to believe."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

MIN_CASES = 20           # fewer draws of interest than this: too few to describe a box
MIN_COVERAGE = 0.5       # the box reported is the densest on the peeling trajectory with at least this
MAX_DIMENSIONS = 3       # coverage and restricting at most this many parameters (readable)
DENSITY_TOLERANCE = 0.05  # a box this much less dense than the densest, with fewer parameters, is preferred
PRIM_FACTORS = 8         # PRIM searches the parameters with the largest total-order Sobol indices


def _prim():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")        # ema_workbench warns about optional parallel back-ends
        from ema_workbench.analysis import prim
    return prim


def prim_box(x: np.ndarray, names: list[str], target: np.ndarray, case: str, candidates: list[str] | None = None
             ) -> dict:
    """The box over columns of `x` (draws × parameters, named by `names`) in which `target` is true:
    PRIM's peeling trajectory; of its boxes with coverage ≥ MIN_COVERAGE and at most MAX_DIMENSIONS
    restricted parameters, the simplest within DENSITY_TOLERANCE of the densest. `candidates`
    limits the search to those columns (the first PRIM_FACTORS of them). Returns {"case", "limits":
    [{"parameter", "low", "high"}], "coverage", "density", "mass", "cases"}, or {"case", "limits":
    None, "reason"} when there is nothing to describe."""
    cases = int(target.sum())
    if cases < MIN_CASES:
        return {"case": case, "limits": None, "cases": cases, "reason": "too_few_cases"}
    columns = [names.index(n) for n in (candidates or names)[:PRIM_FACTORS]] if candidates else list(range(len(names)))
    frame = pd.DataFrame(x[:, columns], columns=[names[c] for c in columns])
    prim = _prim()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        box = prim.Prim(frame, target.astype(bool), threshold=0.5, peel_alpha=0.05).find_box()
    trajectory = box.peeling_trajectory
    eligible = trajectory[(trajectory["coverage"] >= MIN_COVERAGE) & (trajectory["res_dim"] <= MAX_DIMENSIONS)
                          & (trajectory["res_dim"] > 0)]
    if eligible.empty:
        return {"case": case, "limits": None, "cases": cases, "reason": "no_simple_box"}
    # Near the densest box, the simplest: the last peels add parameters for a point or two of density.
    near = eligible[eligible["density"] >= eligible["density"].max() - DENSITY_TOLERANCE]
    best = int(near.sort_values(["res_dim", "coverage"], ascending=[True, False], kind="stable").index[0])
    limits = box.box_lims[best]
    initial = box.box_lims[0]
    restricted = []
    for name in frame.columns:
        low, high = float(limits.loc[0, name]), float(limits.loc[1, name])
        if low > float(initial.loc[0, name]) or high < float(initial.loc[1, name]):
            restricted.append({"parameter": name,
                               "low": low if low > float(initial.loc[0, name]) else None,
                               "high": high if high < float(initial.loc[1, name]) else None})
    row = trajectory.loc[best]
    return {"case": case, "limits": restricted, "coverage": float(row["coverage"]), "density": float(row["density"]),
            "mass": float(row["mass"]), "cases": cases}
