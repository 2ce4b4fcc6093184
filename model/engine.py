"""What callers use: run a scenario, attribute its effects to levers, measure uncertainty, and read
the welfare ledger.

Every function returns pandas DataFrames built from `market.simulate`; nothing here draws except
`draw_parameters`. A scenario always runs beside the status quo with the same parameters, so each
draw's changes are paired.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import trends
from .data import ModelData, default_data
from .market import LeverBatch, PlatformTable, calibrate, simulate
from .person import PersonRates, person_rates
from .scenario import Scenario, value_in_year

# Outcomes that are changes against the status quo, built from pairs of level paths.
CHANGE_OF = {"consumer.surplus": "consumer.welfare", "welfare.consumers": "consumer.welfare",
             "welfare.merchants": "merchants.profit", "welfare.platforms": "platforms.profit"}
PRESENT_VALUE_OF = {"consumer.surplus_pv": "consumer.surplus", "welfare.total_pv": "welfare.total"}


def parameter_batch(data: ModelData, batch: int, assumptions: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """Central values (or the scenario's assumptions) for every parameter, repeated B times."""
    assumptions = assumptions or {}
    return {pid: np.full(batch, float(assumptions.get(pid, p.central))) for pid, p in data.parameters.items()}


def present_value(changes: np.ndarray, years: np.ndarray, first_year: int, rate: np.ndarray) -> np.ndarray:
    """Running present value of yearly changes (B, T): Σ_{first_year ≤ u ≤ t} Δ_u / (1 + r)^(u − first_year)."""
    exponent = np.clip(years - first_year, 0, None)[None, :].astype(float)
    discounted = np.where(years[None, :] >= first_year, changes / (1.0 + rate[:, None]) ** exponent, 0.0)
    return np.cumsum(discounted, axis=1)


def with_changes(levels: dict[str, np.ndarray], reference: dict[str, np.ndarray], years: np.ndarray,
                 params: dict[str, np.ndarray], data: ModelData) -> dict[str, np.ndarray]:
    """Add the change outcomes (consumer gain, ledger, present values) to level paths, against
    `reference` level paths with the same parameters (B, T each; `reference_paths`)."""
    paths = dict(levels)
    for outcome, level in CHANGE_OF.items():
        paths[outcome] = levels[level] - reference[level]
    paths["welfare.total"] = paths["welfare.consumers"] + paths["welfare.merchants"] + paths["welfare.platforms"]
    first = data.baseline.simulation.first_policy_year
    for outcome, flow in PRESENT_VALUE_OF.items():
        paths[outcome] = present_value(paths[flow], years, first, params["discount_rate"])
    return paths


def reference_paths(paths: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    """The reference level paths `with_changes` reads, those of CHANGE_OF's levels: row `rows[i]`
    of `paths` for row i (each row's status quo, say). The other outcomes need no copy."""
    return {level: paths[level][rows] for level in set(CHANGE_OF.values())}


def _paired(levers: list[dict], params: dict[str, np.ndarray], data: ModelData, horizon: int,
            check_unique: bool = False):
    """Simulate the status quo and each lever set with the same parameters, stacked [sq; scenario];
    returns the simulation and the paths with changes for both halves. With `check_unique` every
    row's final-year equilibrium is also checked for uniqueness (costly)."""
    batch = len(levers)
    status_quo = [data.status_quo_levers] * batch
    doubled = {k: np.concatenate([v, v]) for k, v in params.items()}
    draw_of_row = np.tile(np.arange(batch), 2)
    sim = simulate(LeverBatch.from_dicts(status_quo + levers, data), params, data, horizon,
                   check_rows=2 * batch if check_unique else 0, draw_of_row=draw_of_row)
    reference = reference_paths(sim.paths, draw_of_row)
    return sim, with_changes(sim.paths, reference, sim.years, doubled, data), batch


@dataclass
class RunResult:
    """One scenario against the status quo, central parameters (or the scenario's assumptions)."""

    scenario: Scenario
    years: list[int]
    scenario_paths: pd.DataFrame      # index year, one column per outcome id
    status_quo_paths: pd.DataFrame
    equilibrium: dict
    final: pd.DataFrame               # final-year value, status quo, change and unit per outcome id
    price_coefficient: float
    attribution: Attribution | None = None   # with `run(..., attribute=True)`
    person: PersonRates | None = None         # a typical merchant's or shopper's rates (`model.person`)


def _frame(paths: dict[str, np.ndarray], row: int, years, data: ModelData) -> pd.DataFrame:
    outcomes = list(data.outcomes)
    return pd.DataFrame(np.stack([paths[o][row] for o in outcomes], axis=1), columns=outcomes,
                        index=pd.Index(years, name="year"))


def run(scenario: Scenario, data: ModelData | None = None, attribute: bool = False) -> RunResult:
    """The scenario and the status quo, year by year, with the solver's report. With `attribute`, also
    what `attribution` gives (final year), from the same batched simulation: the rows are [status quo,
    scenario, the attribution's rows], which saves a second call's overhead. Rows of the batch are
    solved independently, so the numbers are those of the two separate calls; the solver's report
    covers the status quo and the scenario only."""
    data = data or default_data()
    attribution_rows = AttributionBatch.from_scenario(scenario, data) if attribute else None
    levers = [data.status_quo_levers, scenario.levers] + (attribution_rows.levers if attribute else [])
    params = parameter_batch(data, len(levers), scenario.assumptions)
    sim = simulate(LeverBatch.from_dicts(levers, data), params, data, scenario.horizon, check_rows=2)
    pair = slice(0, 2)
    paths = with_changes(_rows(sim.paths, pair), _rows(sim.paths, [0, 0]), sim.years, _rows(params, pair), data)
    years = [int(y) for y in sim.years]
    equilibrium = {
        "converged": bool(sim.converged[pair].all()),
        "iterations": int(sim.iterations[pair].max()),
        "unique": bool(sim.unique.all()),
        "status_quo_unique": bool(sim.unique[0]),
        "scenario_unique": bool(sim.unique[1]),
        "alternative_shares": {pid: float(x) for pid, x in zip((p.id for p in data.platforms),
                                                                sim.alternative_shares[1])
                               if not math.isnan(x)},
    }
    scenario_paths, status_quo_paths = _frame(paths, 1, years, data), _frame(paths, 0, years, data)
    value, status_quo = scenario_paths.to_numpy()[-1], status_quo_paths.to_numpy()[-1]
    final = pd.DataFrame({"value": value, "status_quo": status_quo, "change": value - status_quo,
                          "unit": [data.outcomes[o].unit for o in scenario_paths.columns]},
                         index=scenario_paths.columns)
    rest = slice(2, None)
    attributed = (attribution_rows.attribute(_rows(sim.paths, rest), sim.years, _rows(params, rest), data)
                  if attribute else None)
    return RunResult(scenario, years, scenario_paths, status_quo_paths, equilibrium, final,
                     float(sim.price_coefficient[1]), attributed,
                     person_rates(sim.final_detail, sim.paths, [0], [1], data))


def _rows(arrays: dict[str, np.ndarray], rows: slice | list[int]) -> dict[str, np.ndarray]:
    """The same rows of every array in a dict of batched arrays (paths or parameters)."""
    return {k: v[rows] for k, v in arrays.items()}


def coalition_levers(scenario: Scenario, data: ModelData) -> tuple[list[tuple[str, ...]], list[dict]]:
    """All coalitions of the policy levers at the scenario's breadth of opening: levers in a coalition
    take the scenario's value, the others the status quo's."""
    coalitions, levers = [], []
    for mask in itertools.product([False, True], repeat=len(data.share_levers)):
        members = tuple(lever for lever, on in zip(data.share_levers, mask) if on)
        settings = dict(data.status_quo_levers) | {"openness": scenario.levers["openness"]}
        settings.update({lever: scenario.levers[lever] for lever in members})
        coalitions.append(members)
        levers.append(settings)
    return coalitions, levers


def _shapley_weights(coalitions: list[tuple[str, ...]], players: tuple[str, ...]) -> np.ndarray:
    """(players × coalitions) matrix W with φ = W @ v: the exact Shapley value [Shorrocks 2013]."""
    n = len(players)
    index = {frozenset(c): k for k, c in enumerate(coalitions)}
    weights = np.zeros((n, len(coalitions)))
    for i, lever in enumerate(players):
        for members in coalitions:
            if lever in members:
                continue
            w = math.factorial(len(members)) * math.factorial(n - len(members) - 1) / math.factorial(n)
            weights[i, index[frozenset(members) | {lever}]] += w
            weights[i, index[frozenset(members)]] -= w
    return weights


@dataclass
class Attribution:
    """Each outcome's change split over the policy levers at the chosen breadth (rows sum to the change),
    and what the chosen breadth adds over the other one with the same levers."""

    contributions: pd.DataFrame   # outcome × policy lever
    breadth_effect: pd.Series     # outcome → scenario minus the same levers at the other breadth
    other_breadth: str


@dataclass(frozen=True)
class AttributionBatch:
    """The lever sets an attribution simulates, in this order: every coalition of the policy levers at
    the scenario's breadth (`coalition_levers`: the first, no lever moved, is the reference; the last
    has them all), then the scenario at the other breadth of opening."""

    coalitions: list[tuple[str, ...]]
    levers: list[dict]
    other_breadth: str

    @classmethod
    def from_scenario(cls, scenario: Scenario, data: ModelData) -> "AttributionBatch":
        coalitions, levers = coalition_levers(scenario, data)
        choices = [c.id for c in data.levers["openness"].choices]
        other = next(c for c in choices if c != scenario.levers["openness"])
        return cls(coalitions, levers + [dict(scenario.levers) | {"openness": other}], other)

    def attribute(self, levels: dict[str, np.ndarray], years: np.ndarray, params: dict[str, np.ndarray],
                  data: ModelData, year: int | None = None) -> Attribution:
        """The attribution in `year` (default the final year) from the simulated level paths of these
        lever sets' rows, in order, and their parameters."""
        reference = reference_paths(levels, np.zeros(len(self.levers), dtype=int))
        paths = with_changes(levels, reference, years, params, data)
        column = -1 if year is None else int(year - years[0])
        values = np.stack([paths[o][:, column] for o in list(data.outcomes)], axis=1)
        contributions = _shapley_weights(self.coalitions, data.share_levers) @ values[:-1]
        index = pd.Index(list(data.outcomes), name="outcome")
        breadth = pd.Series(values[-2] - values[-1], index=index)
        return Attribution(pd.DataFrame(contributions.T, index=index, columns=list(data.share_levers)), breadth,
                           self.other_breadth)


def attribution(scenario: Scenario, data: ModelData | None = None, year: int | None = None) -> Attribution:
    """Exact Shapley contribution of each policy lever to each outcome's change in `year` (default the
    final year). Breadth of opening scopes the levers and does nothing alone, so it is not a player:
    its effect is reported separately. One batched simulation of every coalition plus one run;
    `run(..., attribute=True)` gives the same within the run's own simulation."""
    data = data or default_data()
    attribution_rows = AttributionBatch.from_scenario(scenario, data)
    params = parameter_batch(data, len(attribution_rows.levers), scenario.assumptions)
    sim = simulate(LeverBatch.from_dicts(attribution_rows.levers, data), params, data, scenario.horizon)
    return attribution_rows.attribute(sim.paths, sim.years, params, data, year)


def draw_parameters(data: ModelData, draws: int, seed: int, fixed: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """Triangular(low, central, high) draws per parameter; `fixed` ones held at their value. Parameters
    estimated from the same data share one uniform (baseline.yaml `correlated`). The trends' yearly
    shocks come with them, each platform's from its own substream (`trends.draw_shocks`). Quantities that
    depend on others are not drawn: α follows from the drawn fees, markup ratio and pass-through, and
    each trend is netted of the drawn network effect inside the model.

    Each parameter (and each correlated group) draws from its own random stream, keyed by the seed and
    its id, so adding, removing or reordering a parameter leaves every other parameter's draws as
    they were."""
    fixed = fixed or {}
    uniforms = {pid: (_stream(seed, pid).random(draws), 1) for pid in data.parameters}
    for group in data.baseline.uncertainty.correlated:
        shared = _stream(seed, f"correlated:{group.id}").random(draws)
        uniforms.update({pid: (shared, sign) for pid, sign in group.parameters.items()})
    out = {}
    for pid, p in data.parameters.items():
        if pid in fixed:
            out[pid] = np.full(draws, float(fixed[pid]))
        else:
            u, sign = uniforms[pid]
            out[pid] = _triangular_quantile(u if sign > 0 else 1.0 - u, p.low, p.central, p.high)
    return out | trends.draw_shocks(data, draws, seed)


def _stream(seed: int, key: str) -> np.random.Generator:
    """The random stream of one parameter or group (`trends.substream`, shared with the trends' shocks)."""
    return trends.substream(seed, key)


def _triangular_quantile(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """Inverse CDF of the triangular distribution, so grouped parameters can share one uniform."""
    split = (mode - low) / (high - low)
    return np.where(u < split, low + np.sqrt(u * (high - low) * (mode - low)),
                    high - np.sqrt((1.0 - u) * (high - low) * (high - mode)))


@dataclass
class UncertaintyBands:
    """Monte Carlo bands: long frame with year, outcome, which (scenario|status_quo|change), p10, p50, p90."""

    bands: pd.DataFrame
    draws: int
    seed: int
    final_changes: pd.DataFrame   # one row per draw, one column per outcome: final-year change
    integrity: dict               # draws, and the shares whose status quo and scenario converged / are unique
    person: PersonRates | None = None   # a typical merchant's or shopper's rates in every draw (`model.person`)


def monte_carlo(scenario: Scenario, data: ModelData | None = None, draws: int | None = None,
                seed: int | None = None, check_unique: bool = False) -> UncertaintyBands:
    """Scenario and status quo under the same `draws` parameter draws (the scenario's assumptions held
    fixed); the defaults come from baseline.yaml. `check_unique` re-solves every draw's final year
    from tipped starts (several times the cost) and checks every draw's marginal costs; without it
    the unique share is None."""
    data = data or default_data()
    draws = draws or data.baseline.uncertainty.draws
    seed = data.baseline.uncertainty.seed if seed is None else seed
    params = draw_parameters(data, draws, seed, scenario.assumptions)
    sim, paths, batch = _paired([scenario.levers] * draws, params, data, scenario.horizon, check_unique)
    both = lambda flags: float((flags[:batch] & flags[batch:]).mean())  # noqa: E731 - status quo and scenario
    integrity = {"draws": draws, "converged_share": both(sim.converged),
                 "unique_share": both(sim.unique) if check_unique else None}
    if check_unique:
        costs = calibrate(params, data, PlatformTable.from_data(data)).marginal_cost
        integrity["marginal_cost_nonnegative_share"] = float((costs >= 0).all(axis=1).mean())
    outcomes = list(data.outcomes)
    levels = np.stack([paths[o] for o in outcomes])                       # (O, 2B, T)
    blocks = np.stack([levels[:, :batch], levels[:, batch:], levels[:, batch:] - levels[:, :batch]])
    p10, p50, p90 = quantiles(blocks, (0.1, 0.5, 0.9), axis=2)            # each (3, O, T)
    which, outcome, year = np.meshgrid(["status_quo", "scenario", "change"], outcomes, sim.years, indexing="ij")
    bands = pd.DataFrame({"year": year.ravel(), "outcome": outcome.ravel(), "which": which.ravel(),
                          "p10": p10.ravel(), "p50": p50.ravel(), "p90": p90.ravel()})
    final = pd.DataFrame(blocks[2, :, :, -1].T, columns=outcomes)
    person = person_rates(sim.final_detail, sim.paths, slice(0, batch), slice(batch, None), data)
    return UncertaintyBands(bands, draws, seed, final, integrity, person)


def quantiles(values: np.ndarray, shares: tuple[float, ...], axis: int) -> list[np.ndarray]:
    """np.quantile's default (linear) estimate of each share along `axis`, from one sort: faster
    than np.quantile for several shares of a large array."""
    ordered = np.sort(values, axis=axis)
    count = values.shape[axis]
    out = []
    for share in shares:
        position = share * (count - 1)
        below = int(np.floor(position))
        above = min(below + 1, count - 1)
        low, high = np.take(ordered, below, axis=axis), np.take(ordered, above, axis=axis)
        out.append(low + (high - low) * (position - below))
    return out


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


def _pv(change: pd.Series, data: ModelData, rate: float) -> float:
    years = np.array(change.index)
    return float(present_value(change.to_numpy()[None, :], years, data.baseline.simulation.first_policy_year,
                               np.array([rate]))[0, -1])


def discount_rate(scenario: Scenario, data: ModelData) -> float:
    """The rate present values use: the scenario's assumption, else the central value."""
    return float(scenario.assumptions.get("discount_rate", data.parameters["discount_rate"].central))


HARMS = ("privacy", "fraud", "clutter")


def ledger(result: RunResult, data: ModelData | None = None) -> pd.DataFrame:
    """Who gains and who loses, RMB bn: the final-year change and its present value over the policy
    years, for consumers before the priced harms, each harm, the two kinds of merchants before
    compliance, the compliance cost they bear, offline retailers' margin on sales that moved online, each platform (Tencent included), the two-sided value
    with its counterpart, and the total. Fees and prices are transfers between these rows; the total
    nets them. Harm and compliance rows also give the people (m) or governed sales (RMB bn) they fall
    on and the RMB per person a year (or per RMB of governed sales), in the scenario's final year."""
    data = data or default_data()
    rate = discount_rate(result.scenario, data)
    change = result.scenario_paths - result.status_quo_paths
    private_compliance = change["compliance.cost.private_domain"]
    rows = {"consumers": change["consumer.surplus"] + change["consumer.harm"]}
    rows |= {f"harm.{harm}": -change[f"consumer.harm.{harm}"] for harm in HARMS}
    rows |= {
        "private_domain_merchants": change["sme.profit.private_domain"] + private_compliance,
        "marketplace_merchants": (change["merchants.profit"] - change["sme.profit.private_domain"]
                                  + change["compliance.cost"] - private_compliance + change["offline.margin_lost"]),
        "compliance": -change["compliance.cost"],
        "offline_retail": -change["offline.margin_lost"],
    }
    rows |= {p.id: change[f"profit.{p.id}"] for p in data.platforms} | {"tencent": change["profit.tencent"]}
    # Two-sided value moves money between the platforms and their other sides: both ends shown.
    rows |= {"two_sided_value": change["platforms.two_sided_value"],
             "platforms_other_sides": -change["platforms.two_sided_value"]}
    rows["total"] = change["welfare.total"]
    final = result.years[-1]
    level = result.scenario_paths.loc[final]
    governed = float(level["compliance.governed_sales"])
    touched = {f"harm.{harm}": (float(level[f"consumer.harm.{harm}.affected"]),
                                float(level[f"consumer.harm.{harm}.per_affected"]), "people_m") for harm in HARMS}
    touched["compliance"] = (governed, float(level["compliance.cost"]) / governed if governed > 0 else 0.0, "rmb_bn")
    return pd.DataFrame([(group, float(path.loc[final]), _pv(path, data, rate), *touched.get(group, (None, None, None)))
                         for group, path in rows.items()],
                        columns=["group", "change_rmb_bn", "present_value_rmb_bn", "affected", "per_affected",
                                 "affected_unit"])


def platform_costs(scenario: Scenario, data: ModelData | None = None) -> pd.DataFrame:
    """Each marketplace's costs per RMB of fee-paying sales at the scenario's parameters: the net cost
    its 2021 fee condition implies, the real marginal cost (never negative) and the two-sided value
    between them."""
    data = data or default_data()
    calibration = calibrate(parameter_batch(data, 1, scenario.assumptions), data, PlatformTable.from_data(data))
    return pd.DataFrame({"platform": [p.id for p in data.platforms],
                         "marginal_cost": calibration.marginal_cost[0],
                         "two_sided_value": calibration.two_sided[0],
                         "implied_net_cost": calibration.net_cost[0]})


CHANNELS = ("fees", "payment", "links", "prices", "quality", "expansion")


def consumer_breakdown(result: RunResult, data: ModelData | None = None) -> pd.DataFrame:
    """What the final-year consumer gain is made of, RMB bn: each channel's change at the shoppers'
    choices, each priced harm, and the reallocation between platforms (the remainder), with the
    bound each channel's mechanism cannot exceed, set from outside the channel's own value: the
    fees shoppers paid, the friction on its slice, merchants' margin on the comparable-goods slice,
    and the fastest data-driven quality growth the literature allows over the years in force."""
    data = data or default_data()
    final = result.final
    params = {pid: float(result.scenario.assumptions.get(pid, p.central)) for pid, p in data.parameters.items()}
    spending = float(final.loc["market.gmv", "status_quo"])   # the channels are measured on it
    status_quo_fees = float(final.loc["consumer.channel.fees", "status_quo"])
    refused_share = _refused_share(data)
    bounds = {
        "fees": -status_quo_fees,
        "payment": params["payment_friction"] * refused_share * spending,
        "links": params["link_friction"] * sum(params[pool] for pool in _pool_share_parameters(data)) * spending,
        "prices": params["comparable_goods_share"] * params["sme_gross_margin"] * spending,
        "quality": _quality_ceiling(result, data) * spending,
    }
    # New buyers' surplus: the triangle at the largest saving the other channels allow and the top of
    # the elasticity's range.
    largest_saving = sum(bounds[c] for c in ("payment", "links", "prices", "quality")) / spending
    bounds["expansion"] = 0.5 * data.parameters["online_spending_elasticity"].high * largest_saving ** 2 * spending
    rows = [(f"channel.{c}", float(final.loc[f"consumer.channel.{c}", "change"]), bounds[c]) for c in CHANNELS]
    rows += [(f"harm.{h}", -float(final.loc[f"consumer.harm.{h}", "change"]), math.nan)
             for h in ("privacy", "fraud", "clutter")]
    total = float(final.loc["consumer.surplus", "change"])
    rows.append(("reallocation", total - sum(value for _, value, _ in rows), math.nan))
    rows.append(("total", total, math.nan))
    return pd.DataFrame(rows, columns=["part", "change_rmb_bn", "bound_rmb_bn"])


def _quality_ceiling(result: RunResult, data: ModelData) -> float:
    """Cumulative quality change data sharing could bring by the final year, as a fraction of the
    goods' value: the top of the literature's range for data-driven quality growth (under 1 % a
    year, Dolfen et al. 2023) in every policy year."""
    years = result.years[-1] - data.baseline.simulation.first_policy_year + 1
    return data.parameters["innovation_quality_growth"].high * max(years, 0)


def _pool_share_parameters(data: ModelData) -> list[str]:
    """The parameters giving each traffic pool's share of purchases, WeChat first."""
    return ["wechat_origin_share", *(pool.origin_share_parameter for pool in data.baseline.traffic_pools)]


def _refused_share(data: ModelData) -> float:
    """Largest share of shoppers whose preferred wallet some platform refused in 2021."""
    total = sum(w.share for w in data.baseline.wallets)
    return max(w.share / total for w in data.baseline.wallets
               if any(w.id not in p.wallets for p in data.platforms))


def warnings(result: RunResult, data: ModelData | None = None) -> list[dict]:
    """Lines the scenario crosses in its final year, as {"id", ...values} for the interface to word:
    HHI above the US reference line, a platform past an AML share presumption (reference lines on
    within-set shares, not a defined relevant market), data with weak safeguards, and any equilibrium
    the solver could not certify."""
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
    final_year = result.years[-1]
    first = data.baseline.simulation.first_policy_year
    levers = {lever: value_in_year(result.scenario.levers[lever], final_year, float(data.levers[lever].status_quo), first)
              for lever in ("data_sharing", "safeguards")}
    if levers["data_sharing"] > weak.data_sharing_above and levers["safeguards"] < weak.safeguards_below:
        found.append({"id": "weak_safeguards", "data_sharing": levers["data_sharing"], "safeguards": levers["safeguards"]})
    if not result.equilibrium["converged"]:
        found.append({"id": "not_converged"})
    if not result.equilibrium["unique"]:
        found.append({"id": "multiple_equilibria", "alternative": result.equilibrium["alternative_shares"]})
    return found
