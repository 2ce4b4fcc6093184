"""Evaluate the argument map: does the model move each claim's outcome the way the documents argue?"""
from __future__ import annotations

import numpy as np

from .data import Claim, ModelData, default_data
from .engine import draw_parameters, parameter_batch
from .market import LeverBatch, simulate


def _path_name(outcome: str) -> str:
    # Consumer surplus is a difference of welfare levels; the claim compares two runs directly.
    return "consumer.welfare" if outcome == "consumer.surplus" else outcome


def claim_effects(claim: Claim, params: dict[str, np.ndarray], data: ModelData) -> np.ndarray:
    """The claim's change in its outcome for each parameter draw in `params` (shape (B,))."""
    batch = len(next(iter(params.values())))
    horizon = max(claim.year, data.baseline.simulation.min_horizon)
    column = claim.year - data.baseline.simulation.base_year
    outcome = _path_name(claim.outcome)
    if claim.kind == "trend":
        sim = simulate(LeverBatch.from_dicts([data.status_quo_levers] * batch), params, data, horizon)
        return sim.paths[outcome][:, column] - sim.paths[outcome][:, 0]
    before = dict(data.status_quo_levers) | claim.context | {claim.lever: claim.from_value}
    after = dict(data.status_quo_levers) | claim.context | {claim.lever: claim.to_value}
    doubled = {k: np.concatenate([v, v]) for k, v in params.items()}
    sim = simulate(LeverBatch.from_dicts([before] * batch + [after] * batch), doubled, data, horizon)
    values = sim.paths[outcome][:, column]
    return values[batch:] - values[:batch]


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


def claims_behind(outcome: str, levers: list[str], data: ModelData | None = None) -> list[Claim]:
    """The claims that explain `outcome` moving with these levers, in the levers' order: first those
    naming both the lever and the outcome, then those naming the lever and an outcome of the same group."""
    data = data or default_data()
    group = data.outcomes[outcome].group
    found: list[Claim] = []
    for lever in levers:
        exact = [c for c in data.claims.values() if c.lever == lever and c.outcome == outcome]
        related = [c for c in data.claims.values()
                   if c.lever == lever and c.outcome != outcome and data.outcomes[c.outcome].group == group]
        found += [c for c in exact + related if c not in found]
    return found
