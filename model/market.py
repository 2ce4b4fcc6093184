"""The annual market simulation: logit platform choice with network effects, calibrated to 2021.

Shares solve s = softmax(δ + trend + policy + β·N_eff(s)) each year, where δ_j = ln s0_j − β·s0_j
makes the 2021 shares s0 an exact fixed point with no policy. Everything is batched over B
scenarios or parameter draws at once.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import mechanisms as mech
from .data import ModelData


@dataclass(frozen=True)
class LeverBatch:
    """Lever values for B runs. `open_all` is 1.0 for non-discriminatory opening, 0.0 for bilateral."""

    payment: np.ndarray
    links: np.ndarray
    data: np.ndarray
    open_all: np.ndarray
    safeguards: np.ndarray

    @classmethod
    def from_dicts(cls, levers: list[dict]) -> "LeverBatch":
        column = lambda key: np.array([float(item[key]) for item in levers])  # noqa: E731
        return cls(column("payment_interop"), column("link_unblocking"), column("data_sharing"),
                   np.array([1.0 if item["openness"] == "all" else 0.0 for item in levers]),
                   column("safeguards"))

    def __len__(self) -> int:
        return len(self.payment)


@dataclass(frozen=True)
class PlatformTable:
    """Fixed per-platform facts from baseline.yaml, as arrays over the J platforms."""

    ids: tuple[str, ...]
    wechat_access: np.ndarray
    conglomerate: np.ndarray
    unaccepted_wallets: np.ndarray
    is_private: np.ndarray
    in_bilateral: np.ndarray

    @classmethod
    def from_data(cls, data: ModelData) -> "PlatformTable":
        wallets = {w.id: w.share for w in data.baseline.wallets}
        total = sum(wallets.values())
        platforms = data.platforms
        return cls(
            ids=tuple(p.id for p in platforms),
            wechat_access=np.array([p.wechat_access for p in platforms]),
            conglomerate=np.array([p.conglomerate for p in platforms]),
            unaccepted_wallets=np.array([1.0 - sum(wallets[w] for w in p.wallets) / total for p in platforms]),
            is_private=np.array([float(p.id == data.baseline.private_domain_platform) for p in platforms]),
            in_bilateral=np.array([float(p.id in data.baseline.bilateral_platforms) for p in platforms]),
        )


def base_shares(params: dict[str, np.ndarray], data: ModelData) -> tuple[np.ndarray, np.ndarray]:
    """2021 GMV (RMB bn, (B, J)) and shares within the platform set."""
    batch = len(next(iter(params.values())))
    gmv = np.stack([np.full(batch, p.gmv_2021) if p.gmv_2021 is not None else params[p.gmv_parameter]
                    for p in data.platforms], axis=1)
    return gmv, gmv / gmv.sum(axis=1, keepdims=True)


def _softmax(v: np.ndarray) -> np.ndarray:
    e = np.exp(v - v.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def solve_shares(utility: np.ndarray, beta: np.ndarray, adjacency: np.ndarray, interop: np.ndarray,
                 start: np.ndarray, tolerance: float, max_iterations: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Solve s = softmax(u + β·N_eff(s)) by Newton steps on s − softmax(...), with a plain fixed-point
    step wherever Newton would leave the simplex. Returns shares, converged flags, iterations."""
    batch, count = utility.shape
    eye = np.eye(count)
    network_jacobian = eye[None] + interop[:, None, None] * adjacency
    shares = start.copy()
    converged = np.zeros(batch, dtype=bool)
    for iteration in range(1, max_iterations + 1):
        choice = _softmax(utility + beta[:, None] * mech.effective_network(shares, adjacency, interop))
        residual = shares - choice
        converged = np.abs(residual).max(axis=1) < tolerance
        if converged.all():
            return choice, converged, iteration
        softmax_jacobian = choice[:, :, None] * eye[None] - choice[:, :, None] * choice[:, None, :]
        jacobian = eye[None] - beta[:, None, None] * softmax_jacobian @ network_jacobian
        newton = shares - np.linalg.solve(jacobian, residual[..., None])[..., 0]
        inside = ((newton > 0) & (newton < 1)).all(axis=1)
        shares = np.where(inside[:, None], newton, choice)
        shares /= shares.sum(axis=1, keepdims=True)
    return shares, converged, max_iterations


@dataclass
class Simulation:
    """Yearly paths, (B, T) per outcome id, and the solver's report."""

    years: np.ndarray
    paths: dict[str, np.ndarray]
    converged: np.ndarray
    iterations: int
    unique: np.ndarray | None
    alternative_shares: np.ndarray | None


def simulate(levers: LeverBatch, params: dict[str, np.ndarray], data: ModelData, horizon: int,
             check_uniqueness: bool = False) -> Simulation:
    """Run B scenarios from the base year to `horizon`. `params` maps every parameter id to (B,)."""
    table = PlatformTable.from_data(data)
    sim, solver = data.baseline.simulation, data.baseline.solver
    years = np.arange(sim.base_year, horizon + 1)
    batch, count = len(levers), len(table.ids)
    p = params
    beta, alpha = p["network_effect"], p["price_sensitivity"]
    gmv0, s0 = base_shares(p, data)
    delta = np.log(s0) - beta[:, None] * s0
    take = np.stack([p[pl.take_rate_parameter] for pl in data.platforms], axis=1)
    trend = np.stack([p[pl.trend_parameter] for pl in data.platforms], axis=1)
    private = table.is_private[None, :]
    marketplace = 1.0 - private
    private_index = table.ids.index(data.baseline.private_domain_platform)
    status_quo_safeguards = float(data.levers["safeguards"].status_quo)

    # Who is connected to whom: bilateral = the Alibaba–Tencent pair; all = everyone [N5, N7].
    open_all = levers.open_all[:, None]
    covered = open_all + (1.0 - open_all) * table.in_bilateral[None, :]
    link_coverage = covered * marketplace
    pair = covered[:, :, None] * covered[:, None, :]
    adjacency = pair * (1.0 - np.eye(count))[None]

    links_years = mech.trust_delay(p["phase_in_links"], p["trust_lag"], levers.safeguards)
    data_years = mech.trust_delay(p["phase_in_data"], p["trust_lag"], levers.safeguards)
    consent = 1.0 - p["consent_drag"] * levers.safeguards
    after_safeguards = mech.safeguard_factor(levers.safeguards, p["safeguard_efficacy"], status_quo_safeguards)
    hhi_base = (s0**2).sum(axis=1) * 1e4

    names = [f"share.{pid}" for pid in table.ids] + [f"revenue.{pid}" for pid in table.ids] + [
        "concentration.hhi", "concentration.cr1", "concentration.cr2", "concentration.cr3",
        "sme.acquisition_cost", "sme.private_domain_share", "sme.margin", "sme.surplus",
        "consumer.welfare", "consumer.privacy_risk", "consumer.ux_clutter", "consumer.content_risk",
        "market.take_rate", "market.innovation", "market.collusion_risk", "market.gmv"]
    paths = {name: np.empty((batch, len(years))) for name in names}
    shares = s0.copy()
    all_converged = np.ones(batch, dtype=bool)
    max_iterations_used = 0
    for t, year in enumerate(years):
        n = int(year - sim.base_year)
        pay_eff = levers.payment * mech.phase_in(n, p["phase_in_payment"])
        link_eff = levers.links * mech.phase_in(n, links_years)
        data_eff = levers.data * mech.phase_in(n, data_years) * consent

        newly_linked = link_coverage * (1.0 - table.wechat_access)[None, :] * link_eff[:, None]
        flood_mass = (newly_linked * s0).sum(axis=1)
        take_eff = mech.price_comparison(take, covered, data_eff, p["transparency_take_cut"])
        utility = delta + mech.status_quo_trend(n, trend, p["trend_persistence"][:, None])
        utility = utility + mech.traffic_asymmetry(
            newly_linked, p["traffic_gain"], mech.latecomer_learning(n, p["latecomer_years"]))
        utility = utility + mech.payment_friction_removed(covered, table.unaccepted_wallets[None, :],
                                                          pay_eff, p["payment_friction"])
        utility = utility + alpha[:, None] * (take - take_eff)
        private_gain = mech.commission_arbitrage(newly_linked, s0, take, p["private_domain_take"],
                                                 p["arbitrage_strength"], alpha)
        private_gain = private_gain + mech.private_domain_flooding(flood_mass, p["flood_penalty"])
        utility = utility + private_gain[:, None] * private
        interop = p["data_interop_degree"] * data_eff

        shares, converged, iterations = solve_shares(utility, beta, adjacency, interop, shares,
                                                     solver.tolerance, solver.max_iterations)
        all_converged &= converged
        max_iterations_used = max(max_iterations_used, iterations)

        total_gmv = gmv0.sum(axis=1) * (1.0 + p["market_growth"]) ** n
        ordered = -np.sort(-shares, axis=1)
        hhi = (shares**2).sum(axis=1) * 1e4
        for j, pid in enumerate(table.ids):
            paths[f"share.{pid}"][:, t] = shares[:, j]
            paths[f"revenue.{pid}"][:, t] = take_eff[:, j] * shares[:, j] * total_gmv
        paths["concentration.hhi"][:, t] = hhi
        paths["concentration.cr1"][:, t] = ordered[:, 0]
        paths["concentration.cr2"][:, t] = ordered[:, :2].sum(axis=1)
        paths["concentration.cr3"][:, t] = ordered[:, :3].sum(axis=1)
        paths["market.take_rate"][:, t] = (take_eff * shares).sum(axis=1)
        paths["market.gmv"][:, t] = total_gmv

        # Small merchants: marketplaces' SME slice plus every independent WeChat store.
        private_share_gmv = shares[:, private_index]
        sme_sales_share = p["sme_marketplace_share"] * (1.0 - private_share_gmv) + private_share_gmv
        private_domain = private_share_gmv / sme_sales_share
        marketplace_take = (take * shares * marketplace).sum(axis=1) / (1.0 - private_share_gmv)
        public_cost = p["sme_public_cac_2021"] * mech.acquisition_cost_growth(n, p["cac_growth"],
                                                                             p["cac_growth_persistence"])
        cac = mech.acquisition_cost(public_cost, private_domain, flood_mass, p["public_cac_cut"],
                                    p["private_cac_ratio"], p["private_cac_rise"])
        margin = (p["sme_gross_margin"] - (1.0 - private_domain) * marketplace_take
                  - private_domain * p["private_domain_take"] - p["payment_fee"]
                  - cac / p["customer_value"] - p["compliance_cost"] * levers.safeguards)
        paths["sme.acquisition_cost"][:, t] = cac
        paths["sme.private_domain_share"][:, t] = private_domain
        paths["sme.margin"][:, t] = margin
        paths["sme.surplus"][:, t] = margin * sme_sales_share * total_gmv

        # Consumers: logit log-sum in RMB, less the clutter and privacy every shopper bears.
        open_in_wechat = (shares * (table.wechat_access[None, :] + newly_linked)).sum(axis=1)
        clutter = mech.link_clutter(open_in_wechat, p["clutter_sensitivity"])
        data_reach = (covered * shares).sum(axis=1)
        privacy = mech.privacy_exposure(p["privacy_base_exposure"], p["privacy_data_exposure"], data_eff,
                                        data_reach, after_safeguards)
        conglomerate_linked = (newly_linked * table.conglomerate[None, :] * shares).sum(axis=1)
        content = mech.content_liability(p["content_base_exposure"], p["content_link_exposure"],
                                         conglomerate_linked, after_safeguards)
        full_utility = utility + beta[:, None] * mech.effective_network(shares, adjacency, interop)
        top = full_utility.max(axis=1)
        log_sum = top + np.log(np.exp(full_utility - top[:, None]).sum(axis=1))
        paths["consumer.welfare"][:, t] = total_gmv / alpha * (
            log_sum - p["clutter_disutility"] * clutter / 100.0 - p["privacy_disutility"] * privacy / 100.0)
        paths["consumer.privacy_risk"][:, t] = privacy
        paths["consumer.ux_clutter"][:, t] = clutter
        paths["consumer.content_risk"][:, t] = content
        paths["market.innovation"][:, t] = mech.innovation_incentive(
            p["innovation_free_riding"], data_eff, data_reach, p["innovation_contestability"], hhi, hhi_base)
        cooperation = (pay_eff + link_eff + data_eff) / 3.0 * (
            1.0 - levers.open_all * (1.0 - p["collusion_open_factor"]))
        paths["market.collusion_risk"][:, t] = mech.collusion_risk(
            p["collusion_base"], p["collusion_cooperation"], cooperation, ordered[:, :3].sum(axis=1))

    unique = alternatives = None
    if check_uniqueness:
        unique, alternatives = _check_uniqueness(utility, beta, adjacency, interop, shares, solver)
    return Simulation(years, paths, all_converged, max_iterations_used, unique, alternatives)


def _check_uniqueness(utility, beta, adjacency, interop, shares, solver):
    """Re-solve the final year from starts where one platform holds most of the market; an answer
    away from the reported one is another equilibrium [Katz–Shapiro tipping]."""
    batch, count = shares.shape
    unique = np.ones(batch, dtype=bool)
    alternatives = np.full((batch, count), np.nan)
    rest = (1.0 - solver.tipped_start_share) / (count - 1)
    for j in range(count):
        start = np.full((batch, count), rest)
        start[:, j] = solver.tipped_start_share
        other, converged, _ = solve_shares(utility, beta, adjacency, interop, start,
                                           solver.tolerance, solver.max_iterations)
        differs = converged & (np.abs(other - shares).max(axis=1) > solver.same_equilibrium_gap)
        alternatives = np.where((differs & unique)[:, None], other, alternatives)
        unique &= ~differs
    return unique, alternatives
