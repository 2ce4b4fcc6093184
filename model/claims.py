"""Evaluate the argument map: does the model move each claim's outcome the way the documents argue,
and in what share of parameter draws?

Mechanism checks hold by construction of the parameter ranges; findings are where opposing
mechanisms compete, and their holding share is a result the model reports, not a target.
"""
from __future__ import annotations

import numpy as np

from .data import Claim, ModelData, default_data
from .engine import draw_parameters, parameter_batch, reference_paths, with_changes
from .market import LeverBatch, simulate

LATE_YEAR = 2030    # `builds` claims compare the claim's year with this one


def _changes(before: dict, after: dict, params: dict[str, np.ndarray], data: ModelData, horizon: int) -> dict:
    """Paths of every outcome for `after`, with changes measured against `before`, per draw."""
    batch = len(next(iter(params.values())))
    draw_of_row = np.tile(np.arange(batch), 2)
    doubled = {k: v[draw_of_row] for k, v in params.items()}
    sim = simulate(LeverBatch.from_dicts([before] * batch + [after] * batch, data), params, data, horizon,
                   draw_of_row=draw_of_row)
    reference = reference_paths(sim.paths, draw_of_row)
    paths = with_changes(sim.paths, reference, sim.years, doubled, data)
    return {k: (v[:batch], v[batch:]) for k, v in paths.items()}


def claim_levers(claim: Claim, data: ModelData) -> tuple[dict, dict]:
    """The two lever settings a lever, phase-in, builds or package claim compares: (before, after)."""
    if claim.kind == "package":   # every lever in `context` moves together from the status quo
        before, after = dict(data.status_quo_levers), dict(data.status_quo_levers) | claim.context
    else:
        before = dict(data.status_quo_levers) | claim.context | {claim.lever: claim.from_value}
        after = dict(data.status_quo_levers) | claim.context | {claim.lever: claim.to_value}
    return before, after


def claim_effects(claim: Claim, params: dict[str, np.ndarray], data: ModelData) -> np.ndarray:
    """The claim's change in its outcome for each parameter draw in `params` (shape (B,))."""
    base = data.baseline.simulation.base_year
    column = claim.year - base
    if claim.kind == "trend":
        status_quo = dict(data.status_quo_levers)
        before, _ = _changes(status_quo, status_quo, params, data, max(claim.year, data.baseline.simulation.min_horizon))[claim.outcome]
        return before[:, column] - before[:, 0]
    before, after = claim_levers(claim, data)
    horizon = max(claim.year, LATE_YEAR if claim.kind == "builds" else 0, data.baseline.simulation.min_horizon)
    low, high = _changes(before, after, params, data, horizon)[claim.outcome]
    effect = high - low
    if claim.kind == "builds":
        return effect[:, LATE_YEAR - base] - effect[:, column]
    return effect[:, column]


def holds(claim: Claim, effects: np.ndarray) -> np.ndarray:
    """Whether each effect has the claimed sign (a change below 1e-9 in size holds in no direction)."""
    return effects > 1e-9 if claim.direction == "increase" else effects < -1e-9


def central_effect(claim: Claim, data: ModelData | None = None) -> float:
    data = data or default_data()
    return float(claim_effects(claim, parameter_batch(data, 1, claim.assumptions), data)[0])


def share_holding(claim: Claim, data: ModelData | None = None, draws: int | None = None) -> float:
    """Share of Monte Carlo draws (the claim's assumptions held fixed) in which the claim holds."""
    data = data or default_data()
    params = draw_parameters(data, draws or data.baseline.uncertainty.draws, data.baseline.uncertainty.seed,
                             claim.assumptions)
    return float(holds(claim, claim_effects(claim, params, data)).mean())


FINDING_DRAWS = 500   # enough to state a share to a few points; the seed is the Monte Carlo's


def finding_share(claim: Claim, data: ModelData | None = None) -> float:
    """The share of draws in which a claim holds, as METHODS and the dashboard report it."""
    return share_holding(claim, data, draws=FINDING_DRAWS)


def claims_behind(outcome: str, levers: list[str], data: ModelData | None = None) -> list[Claim]:
    """The claims about `outcome` that involve these levers, in the levers' order. Only claims about
    the outcome itself: a claim about another outcome does not explain this one."""
    data = data or default_data()
    found: list[Claim] = []
    for lever in levers:
        found += [c for c in data.claims.values() if c.lever == lever and c.outcome == outcome and c not in found]
    return found
