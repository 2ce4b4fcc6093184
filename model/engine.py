"""What callers use: run a scenario, attribute its effects to levers, and measure uncertainty.

Every function returns pandas DataFrames built from `market.simulate`; nothing here draws.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import LEVER_IDS, ModelData, default_data
from .market import LeverBatch, simulate
from .scenario import Scenario


def outcome_ids(data: ModelData) -> list[str]:
    return list(data.outcomes)


def parameter_batch(data: ModelData, batch: int, assumptions: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """Central values (or the scenario's assumptions) for every parameter, repeated B times."""
    assumptions = assumptions or {}
    return {pid: np.full(batch, float(assumptions.get(pid, p.central))) for pid, p in data.parameters.items()}


def _finish(sim, reference_welfare: np.ndarray) -> dict[str, np.ndarray]:
    """Consumer surplus is measured against the status quo with the same parameters."""
    paths = dict(sim.paths)
    paths["consumer.surplus"] = paths.pop("consumer.welfare") - reference_welfare
    return paths


def _paired(levers: list[dict], params: dict[str, np.ndarray], data: ModelData, horizon: int,
            check_uniqueness: bool = False):
    """Simulate the status quo and each lever set with the same parameters, stacked [sq; scenario]."""
    batch = len(levers)
    status_quo = [data.status_quo_levers] * batch
    doubled = {k: np.concatenate([v, v]) for k, v in params.items()}
    sim = simulate(LeverBatch.from_dicts(status_quo + levers), doubled, data, horizon, check_uniqueness)
    welfare = sim.paths["consumer.welfare"]
    reference = np.concatenate([welfare[:batch], welfare[:batch]])
    return sim, _finish(sim, reference), batch


@dataclass
class RunResult:
    """One scenario against the status quo, central parameters (or the scenario's assumptions)."""

    scenario: Scenario
    years: list[int]
    scenario_paths: pd.DataFrame      # index year, one column per outcome id
    status_quo_paths: pd.DataFrame
    equilibrium: dict
    final: pd.DataFrame               # final-year value, status quo, change and unit per outcome id


def _frame(paths: dict[str, np.ndarray], row: int, years, data: ModelData) -> pd.DataFrame:
    frame = pd.DataFrame({k: v[row] for k, v in paths.items()}, index=pd.Index(years, name="year"))
    return frame[outcome_ids(data)]


def run(scenario: Scenario, data: ModelData | None = None) -> RunResult:
    """The scenario and the status quo, year by year, with the solver's report."""
    data = data or default_data()
    params = parameter_batch(data, 1, scenario.assumptions)
    sim, paths, _ = _paired([scenario.levers], params, data, scenario.horizon, check_uniqueness=True)
    years = [int(y) for y in sim.years]
    equilibrium = {
        "converged": bool(sim.converged.all()),
        "iterations": int(sim.iterations),
        "unique": bool(sim.unique.all()),
        "status_quo_unique": bool(sim.unique[0]),
        "scenario_unique": bool(sim.unique[1]),
        "alternative_shares": {pid: float(x) for pid, x in zip((p.id for p in data.platforms),
                                                                sim.alternative_shares[1])
                               if not math.isnan(x)},
    }
    scenario_paths, status_quo_paths = _frame(paths, 1, years, data), _frame(paths, 0, years, data)
    final = pd.DataFrame({"value": scenario_paths.loc[years[-1]], "status_quo": status_quo_paths.loc[years[-1]]})
    final["change"] = final["value"] - final["status_quo"]
    final["unit"] = [data.outcomes[o].unit for o in final.index]
    return RunResult(scenario, years, scenario_paths, status_quo_paths, equilibrium, final)


def coalition_levers(scenario: Scenario, data: ModelData) -> tuple[list[tuple[str, ...]], list[dict]]:
    """All 2^5 lever coalitions: levers in a coalition take the scenario's value, the rest the status quo."""
    coalitions, levers = [], []
    for mask in itertools.product([False, True], repeat=len(LEVER_IDS)):
        members = tuple(lever for lever, on in zip(LEVER_IDS, mask) if on)
        settings = dict(data.status_quo_levers)
        settings.update({lever: scenario.levers[lever] for lever in members})
        coalitions.append(members)
        levers.append(settings)
    return coalitions, levers


def _shapley_weights(coalitions: list[tuple[str, ...]]) -> np.ndarray:
    """(levers × coalitions) matrix W with φ = W @ v: the exact Shapley value [Shorrocks 2013]."""
    n = len(LEVER_IDS)
    index = {frozenset(c): k for k, c in enumerate(coalitions)}
    weights = np.zeros((n, len(coalitions)))
    for i, lever in enumerate(LEVER_IDS):
        for members in coalitions:
            if lever in members:
                continue
            w = math.factorial(len(members)) * math.factorial(n - len(members) - 1) / math.factorial(n)
            weights[i, index[frozenset(members) | {lever}]] += w
            weights[i, index[frozenset(members)]] -= w
    return weights


def attribution(scenario: Scenario, data: ModelData | None = None, year: int | None = None) -> pd.DataFrame:
    """Exact Shapley contribution of each lever to each outcome's change in `year` (default final).

    One batched simulation of the 32 coalitions; rows are outcome ids, columns lever ids, and each
    row sums to the scenario's change against the status quo.
    """
    data = data or default_data()
    coalitions, levers = coalition_levers(scenario, data)
    params = parameter_batch(data, len(levers), scenario.assumptions)
    sim = simulate(LeverBatch.from_dicts(levers), params, data, scenario.horizon)
    column = -1 if year is None else int(year - sim.years[0])
    paths = _finish(sim, sim.paths["consumer.welfare"][0])
    values = np.stack([paths[o][:, column] for o in outcome_ids(data)], axis=1)
    contributions = _shapley_weights(coalitions) @ values
    return pd.DataFrame(contributions.T, index=pd.Index(outcome_ids(data), name="outcome"),
                        columns=list(LEVER_IDS))


def draw_parameters(data: ModelData, draws: int, seed: int, fixed: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """Independent triangular(low, central, high) draws per parameter; `fixed` ones held at their value."""
    rng = np.random.default_rng(seed)
    fixed = fixed or {}
    out = {}
    for pid, p in data.parameters.items():
        sample = rng.triangular(p.low, p.central, p.high, size=draws)
        out[pid] = np.full(draws, float(fixed[pid])) if pid in fixed else sample
    return out


@dataclass
class Uncertainty:
    """Monte Carlo bands: long frame with year, outcome, which (scenario|status_quo|change), p10, p50, p90."""

    bands: pd.DataFrame
    draws: int
    seed: int
    final_changes: pd.DataFrame   # one row per draw, one column per outcome: final-year change


def monte_carlo(scenario: Scenario, data: ModelData | None = None, draws: int | None = None,
                seed: int | None = None) -> Uncertainty:
    """Scenario and status quo under `draws` parameter draws (the scenario's assumptions held fixed);
    the defaults come from baseline.yaml."""
    data = data or default_data()
    draws = draws or data.baseline.uncertainty.draws
    seed = data.baseline.uncertainty.seed if seed is None else seed
    params = draw_parameters(data, draws, seed, scenario.assumptions)
    sim, paths, batch = _paired([scenario.levers] * draws, params, data, scenario.horizon)
    rows = []
    for outcome in outcome_ids(data):
        values = paths[outcome]
        for which, block in (("status_quo", values[:batch]), ("scenario", values[batch:]),
                             ("change", values[batch:] - values[:batch])):
            p10, p50, p90 = np.percentile(block, [10, 50, 90], axis=0)
            rows.append(pd.DataFrame({"year": sim.years, "outcome": outcome, "which": which,
                                      "p10": p10, "p50": p50, "p90": p90}))
    final = pd.DataFrame({o: paths[o][batch:, -1] - paths[o][:batch, -1] for o in outcome_ids(data)})
    return Uncertainty(pd.concat(rows, ignore_index=True), draws, seed, final)


def tornado(scenario: Scenario, outcome: str, data: ModelData | None = None) -> pd.DataFrame:
    """One-at-a-time sensitivity of the final-year change in `outcome`: each parameter at its low and
    high value, the others central. Sorted by swing, largest first."""
    data = data or default_data()
    ids = [pid for pid in data.parameters if pid not in scenario.assumptions]
    params = parameter_batch(data, 2 * len(ids) + 1, scenario.assumptions)
    for k, pid in enumerate(ids):
        params[pid][2 * k] = data.parameters[pid].low
        params[pid][2 * k + 1] = data.parameters[pid].high
    _, paths, batch = _paired([scenario.levers] * (2 * len(ids) + 1), params, data, scenario.horizon)
    change = paths[outcome][batch:, -1] - paths[outcome][:batch, -1]
    central = change[-1]
    frame = pd.DataFrame({
        "parameter": ids,
        "low_value": [data.parameters[pid].low for pid in ids],
        "high_value": [data.parameters[pid].high for pid in ids],
        "change_at_low": change[0:-1:2], "change_at_high": change[1:-1:2]})
    frame["central_change"] = central
    frame["swing"] = (frame["change_at_high"] - frame["change_at_low"]).abs()
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def who_gains(result: RunResult, data: ModelData | None = None) -> pd.DataFrame:
    """Final-year gain or loss (RMB bn/yr) for small merchants, consumers and each platform."""
    data = data or default_data()
    final = result.final
    rows = [("smes", final.loc["sme.surplus", "change"]), ("consumers", final.loc["consumer.surplus", "change"])]
    rows += [(p.id, final.loc[f"revenue.{p.id}", "change"]) for p in data.platforms]
    return pd.DataFrame(rows, columns=["group", "change_rmb_bn"])


def warnings(result: RunResult, data: ModelData | None = None) -> list[dict]:
    """Lines the scenario crosses in its final year, as {"id", ...values} for the interface to word:
    HHI above the US threshold, a platform past an AML presumption, data with weak safeguards, and
    any equilibrium the solver could not certify."""
    data = data or default_data()
    final = result.final
    found = []
    for threshold in data.baseline.thresholds:
        value = float(final.loc[threshold.outcome, "value"])
        if value > threshold.value:
            entry = {"id": threshold.id, "value": value, "threshold": threshold.value,
                     "status_quo": float(final.loc[threshold.outcome, "status_quo"])}
            if threshold.outcome == "concentration.cr1":
                shares = {p.id: float(final.loc[f"share.{p.id}", "value"]) for p in data.platforms}
                entry["platform"] = max(shares, key=shares.get)
            found.append(entry)
    weak = data.baseline.weak_safeguards
    levers = result.scenario.levers
    if levers["data_sharing"] > weak.data_sharing_above and levers["safeguards"] < weak.safeguards_below:
        found.append({"id": "weak_safeguards", "data_sharing": float(levers["data_sharing"]),
                      "safeguards": float(levers["safeguards"])})
    if not result.equilibrium["converged"]:
        found.append({"id": "not_converged"})
    if not result.equilibrium["unique"]:
        found.append({"id": "multiple_equilibria", "alternative": result.equilibrium["alternative_shares"]})
    return found
