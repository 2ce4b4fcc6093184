"""The annual market simulation, as named stages over batched arrays.

Shoppers in four segments (preferred wallet × whether a purchase starts in a WeChat chat) choose a
platform by a logit rule with network effects; marketplaces set merchant fees by Bertrand–logit
first-order conditions, which also pins down the price coefficient α from observed take rates.
The 2021 shares and fees are an exact equilibrium with no policy. Everything is batched over B
scenarios or parameter draws; `simulate` reads as its stages:

    calibrate → for each year: policy in force → segment utilities → solve shares and fees
              → report shares, fees, merchants, consumers, platforms
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, fields, is_dataclass, replace

import numpy as np

from . import mechanisms as mech
from . import trends
from .data import ModelData

ORIGINS = ("direct", "wechat")     # where a purchase starts
RMB_BN_PER_MILLION_RMB = 1e-3


@dataclass(frozen=True)
class LeverBatch:
    """Each share lever as (B, S) step schedules: `starts` (year each step takes effect) and `levels`
    (the lever's value from that year on); `open_all` is 1.0 for non-discriminatory opening."""

    starts: dict[str, np.ndarray]
    levels: dict[str, np.ndarray]
    open_all: np.ndarray

    @classmethod
    def from_dicts(cls, levers: list[dict], data: ModelData) -> "LeverBatch":
        from .scenario import schedule_of
        first = data.baseline.simulation.first_policy_year
        starts, levels = {}, {}
        for lever_id in data.share_levers:
            values = [item[lever_id] for item in levers]
            distinct = {value: schedule_of(value, first) for value in dict.fromkeys(values)}  # batches repeat few
            width = max(len(s) for s in distinct.values())
            padded = [s + [s[-1]] * (width - len(s)) for s in distinct.values()]  # repeating a step is a no-op
            position = {value: k for k, value in enumerate(distinct)}
            row = np.array([position[value] for value in values])
            starts[lever_id] = np.array([[year for year, _ in s] for s in padded], dtype=float)[row]
            levels[lever_id] = np.array([[value for _, value in s] for s in padded], dtype=float)[row]
        open_all = np.array([1.0 if item["openness"] == "all" else 0.0 for item in levers])
        return cls(starts, levels, open_all)

    def __len__(self) -> int:
        return len(self.open_all)

    def tile(self, times: int) -> "LeverBatch":
        """The batch repeated `times` times along the first axis (one block per year)."""
        return LeverBatch({k: np.tile(v, (times, 1)) for k, v in self.starts.items()},
                          {k: np.tile(v, (times, 1)) for k, v in self.levels.items()}, np.tile(self.open_all, times))

    def level(self, lever_id: str, year: np.ndarray, status_quo: float) -> np.ndarray:
        """The lever's set value in each row's `year` before phase-in (the status quo before its first
        step), (B,)."""
        starts, levels = self.starts[lever_id], self.levels[lever_id]
        active = starts <= year[:, None]
        last = np.maximum(active.sum(axis=1) - 1, 0)
        return np.where(active.any(axis=1), levels[np.arange(len(levels)), last], status_quo)


@dataclass(frozen=True)
class PlatformTable:
    """Fixed per-platform facts from baseline.yaml, as arrays over the J platforms, and the segments:
    preferred wallet × where a purchase starts (directly, or in one of the P traffic pools, WeChat
    first)."""

    ids: tuple[str, ...]
    wechat_access: np.ndarray
    conglomerate: np.ndarray
    is_private: np.ndarray
    in_bilateral: np.ndarray
    refused: np.ndarray          # (G, J): 1 where a segment's preferred wallet was refused in 2021
    segment_wallet: tuple[str, ...]
    segment_origin: np.ndarray   # (G,): 1 for purchases that start in a WeChat chat
    pools: tuple[str, ...]
    pool_access: np.ndarray      # (P, J): how far each platform's links opened in each pool in 2021
    segment_pool: np.ndarray     # (G, P): 1 where a segment's purchases start in that pool

    @classmethod
    def from_data(cls, data: ModelData) -> "PlatformTable":
        platforms = data.platforms
        wallets = [w.id for w in data.baseline.wallets]
        others = data.baseline.traffic_pools
        pools = ("wechat", *(pool.id for pool in others))
        origins = ("direct", *pools)
        segment_wallet = tuple(w for _ in origins for w in wallets)
        segment_pool = np.array([[float(o == pool) for pool in pools] for o in origins for _ in wallets])
        wechat_access = np.array([p.wechat_access for p in platforms])
        access = np.array([wechat_access] + [[pool.access.get(p.id, 0.0) for p in platforms] for pool in others])
        return cls(
            ids=tuple(p.id for p in platforms),
            wechat_access=wechat_access,
            conglomerate=np.array([p.conglomerate for p in platforms]),
            is_private=np.array([float(p.id == data.baseline.private_domain_platform) for p in platforms]),
            in_bilateral=np.array([float(p.id in data.baseline.bilateral_platforms) for p in platforms]),
            refused=np.array([[float(w not in p.wallets) for p in platforms] for w in segment_wallet]),
            segment_wallet=segment_wallet,
            segment_origin=segment_pool[:, 0],
            pools=pools,
            pool_access=access,
            segment_pool=segment_pool,
        )

    def segment_weights(self, data: ModelData, params: dict[str, np.ndarray]) -> np.ndarray:
        """(B, G): wallet preference from the two wallets' payment shares × where purchases start."""
        wallet_share = {w.id: w.share for w in data.baseline.wallets}
        total = sum(wallet_share.values())
        pool_share = np.stack([params["wechat_origin_share"]]
                              + [params[pool.origin_share_parameter] for pool in data.baseline.traffic_pools], axis=1)
        origin = pool_share @ self.segment_pool.T + (1.0 - pool_share.sum(axis=1))[:, None] * (
            1.0 - self.segment_pool.sum(axis=1))[None, :]
        return origin * np.array([wallet_share[w] / total for w in self.segment_wallet])[None, :]


def base_shares(params: dict[str, np.ndarray], data: ModelData) -> tuple[np.ndarray, np.ndarray]:
    """2021 GMV (RMB bn, (B, J)) and shares within the platform set."""
    batch = len(next(iter(params.values())))
    gmv = np.stack([np.full(batch, p.gmv_2021) if p.gmv_2021 is not None else params[p.gmv_parameter]
                    for p in data.platforms], axis=1)
    return gmv, gmv / gmv.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Calibration:
    """What the 2021 equilibrium pins down, per draw: α from the largest marketplace's fee condition,
    each marketplace's net marginal cost from its own, and δ so that 2021 is an exact fixed point."""

    shares: np.ndarray           # s0 (B, J)
    fees: np.ndarray             # τ0 (B, J): marketplaces' observed take rates, the private domain's costs
    net_cost: np.ndarray         # c − v (B, J): what the fee condition implies
    marginal_cost: np.ndarray    # c (B, J): real cost of serving a fee-paying order, ≥ 0
    two_sided: np.ndarray        # v (B, J): value of an order to the platform beyond its fee (< 0: spent on other sides)
    price_coefficient: np.ndarray
    delta: np.ndarray
    trend: np.ndarray            # cumulative drift of attractiveness net of network effects (B, 1 + N, J);
                                 # stacked by year, each row's own year (rows, J)
    commissionable: np.ndarray   # share of each platform's GMV that pays merchant fees (B, J)
    weights: np.ndarray          # segment weights (B, G)


def calibrate(params: dict[str, np.ndarray], data: ModelData, table: PlatformTable, periods: int = 1) -> Calibration:
    """The 2021 equilibrium; the trend path covers `periods` years from the base year (1: the base year only)."""
    _, s0 = base_shares(params, data)
    batch, count = s0.shape
    private = table.is_private[None, :] > 0
    rho = params["fee_pass_through"]
    fees = np.stack([params[p.take_rate_parameter] for p in data.platforms], axis=1)
    fees = np.where(private, (params["private_domain_take"] + params["private_traffic_cost"])[:, None], fees)
    largest = np.where(private, -1.0, s0).argmax(axis=1)
    rows = np.arange(batch)
    commissionable = np.stack([params[p.commissionable_parameter] if p.commissionable_parameter
                               else np.ones(batch) for p in data.platforms], axis=1)
    alpha = 1.0 / (rho * params["fee_markup_share"] * (commissionable * fees)[rows, largest] * (1.0 - s0[rows, largest]))
    net_cost = np.where(private, 0.0, fees - 1.0 / (alpha[:, None] * rho[:, None] * commissionable * (1.0 - s0)))
    marginal_cost = np.where(private, 0.0, params["platform_marginal_cost"][:, None])
    weights = table.segment_weights(data, params)
    friction = (_payment_cost(params, table, np.zeros((batch, count)))
                + _link_cost(params, table, np.broadcast_to(table.pool_access, (batch, *table.pool_access.shape))))
    fixed = params["network_effect"][:, None] * s0 - alpha[:, None] * rho[:, None] * commissionable * fees
    segment_fixed = fixed[:, None, :] - alpha[:, None, None] * friction
    delta = np.log(s0)
    for _ in range(data.baseline.solver.max_iterations):   # Berry's contraction [Berry 1994]
        shares, _ = mech.platform_choice(delta[:, None, :] + segment_fixed, weights)
        step = np.log(s0) - np.log(shares)
        delta = delta + step
        if np.abs(step).max() < data.baseline.solver.tolerance:
            break
    return Calibration(s0, fees, net_cost, marginal_cost, mech.two_sided_value(marginal_cost, net_cost),
                       alpha, delta, trends.trend_path(params, s0, data, periods), commissionable, weights)


def _payment_cost(params, table: PlatformTable, accepted_now: np.ndarray) -> np.ndarray:
    return mech.payment_friction(table.refused, accepted_now, params["payment_friction"])


def _link_cost(params, table: PlatformTable, access: np.ndarray) -> np.ndarray:
    return mech.link_friction(table.segment_pool, access, params["link_friction"])


@dataclass(frozen=True)
class PolicyInForce:
    """Lever strengths in force in one year (B,), after phase-in, trust and consent."""

    payment: np.ndarray
    links: np.ndarray
    data: np.ndarray
    safeguards: np.ndarray
    links_open_years: np.ndarray   # years since the first link step took effect (0 before)

    # The field each phased-in lever of levers.yaml acts through; a lever without one is refused
    # rather than run as a no-op.
    FIELD_OF_LEVER = {"payment_interop": "payment", "link_unblocking": "links", "data_sharing": "data"}


def policy_in_force(levers: LeverBatch, year: np.ndarray, params: dict[str, np.ndarray], data: ModelData) -> PolicyInForce:
    """Each share lever's steps ramp in from their start year [Z11, N1, Z12]; data flow is cut by
    consent requirements under strong safeguards. `year` holds each row's year."""
    safeguards = levers.level("safeguards", year, float(data.levers["safeguards"].status_quo))
    strength = {}
    for lever in (lever for lever in data.levers.values() if lever.phase_in_parameter):
        lever_id = lever.id
        starts, levels = levers.starts[lever_id], levers.levels[lever_id]
        steps = np.diff(levels, axis=1, prepend=float(lever.status_quo))
        trust_lag = params["trust_lag"] if lever.trust_delayed else np.zeros_like(safeguards)
        ramp = mech.trust_phase_in(year[:, None] - starts + 1.0, params[lever.phase_in_parameter][:, None],
                                   trust_lag[:, None], safeguards[:, None])
        strength[lever_id] = float(lever.status_quo) + (steps * ramp).sum(axis=1)
    link_starts = np.where(levers.levels["link_unblocking"] > 0, levers.starts["link_unblocking"], np.inf)
    links_open_years = np.clip(year - link_starts.min(axis=1) + 1.0, 0.0, None)
    links_open_years = np.where(np.isfinite(links_open_years), links_open_years, 0.0)
    unread = sorted(set(strength) ^ set(PolicyInForce.FIELD_OF_LEVER))
    if unread:
        raise ValueError(f"levers.yaml and PolicyInForce.FIELD_OF_LEVER (model/market.py) disagree on {unread}: "
                         "a phased-in lever needs a field in PolicyInForce that a mechanism reads")
    fields = {PolicyInForce.FIELD_OF_LEVER[lever_id]: value for lever_id, value in strength.items()}
    fields["data"] = fields["data"] * (1.0 - params["consent_drag"] * safeguards)
    return PolicyInForce(**fields, safeguards=safeguards, links_open_years=links_open_years)


@dataclass(frozen=True)
class YearMarket:
    """One year's share-independent inputs to the equilibrium: segment utilities without the network
    and fee terms, and what the fee conditions need."""

    base_utility: np.ndarray      # (B, G, J)
    fee_scale: np.ndarray         # (B, G, J): 1 less the share of a segment's fee merchants avoid
    network: np.ndarray           # β (B,)
    net_cost: np.ndarray          # (B, J)
    search_gain: np.ndarray       # z (B, J)
    coordination: np.ndarray      # λ (B,)
    partners: np.ndarray          # (B, J, J)
    private_fee: np.ndarray       # (B,)
    commissionable: np.ndarray    # (B, J) share of a platform's sales that carries its merchant fee
    is_private: np.ndarray        # (J,)
    price_coefficient: np.ndarray
    pass_through: np.ndarray
    weights: np.ndarray

    SHARED = frozenset({"is_private"})   # per platform, not per row

    def rows(self, selection: slice | np.ndarray) -> "YearMarket":
        """The same market for some rows (a slice or a mask): one year of a stacked batch, or the rows
        still iterating."""
        return YearMarket(**{name: value if name in self.SHARED else value[selection]
                             for name, value in vars(self).items()})

    def fees(self, shares: np.ndarray) -> np.ndarray:
        marketplace = mech.fee_setting(self.net_cost, shares, self.price_coefficient[:, None] * self.commissionable,
                                       self.pass_through, self.search_gain, self.coordination, self.partners)
        return np.where(self.is_private[None, :] > 0, self.private_fee[:, None], marketplace)

    def utility(self, shares: np.ndarray) -> np.ndarray:
        """Each segment's utility (B, G, J) at these shares. Per-platform factors are multiplied
        before they meet the per-segment arrays, the solver's costliest operands."""
        fee_price = (self.price_coefficient * self.pass_through)[:, None] * self.commissionable * self.fees(shares)
        utility = self.base_utility + (self.network[:, None] * shares)[:, None, :]
        utility -= self.fee_scale * fee_price[:, None, :]
        return utility


@dataclass(frozen=True)
class YearPolicy:
    """What the policy does in one year, per platform: the inputs of the reporters."""

    newly_linked: np.ndarray      # (B, J) share of 2021's blocked link access in WeChat now open, after learning
    pool_newly_linked: np.ndarray  # (B, P, J) the same in every traffic pool, WeChat first
    accepted_now: np.ndarray      # (B, J) share of refused wallets now accepted
    coverage: np.ndarray          # (B, J) 1 where a platform is inside the opening
    price_cut: np.ndarray         # (B, G, J) merchants' price cut: comparison everywhere; arbitrage on the
                                  # private domain's WeChat-originated (steered) orders
    avoided_fee_share: np.ndarray  # (B, J) share of the fee merchants avoid on WeChat-originated orders
    private_traffic_cost: np.ndarray
    coordination: np.ndarray
    flood_mass: np.ndarray
    payment_cost: np.ndarray      # (B, G, J) wallet friction still in place
    link_cost: np.ndarray         # (B, G, J) blocked-link friction still in place
    policy: PolicyInForce


def year_market(calibration: Calibration, policy: PolicyInForce, n: np.ndarray, params, table: PlatformTable,
                levers: LeverBatch) -> tuple[YearMarket, YearPolicy]:
    """Assemble one year's utilities from the mechanisms; shares are solved next."""
    batch, count = calibration.shares.shape
    private = table.is_private[None, :]
    marketplace = 1.0 - private
    open_all = levers.open_all[:, None]
    coverage = open_all + (1.0 - open_all) * table.in_bilateral[None, :]
    learning = mech.latecomer_disadvantage(policy.links_open_years, params["latecomer_years"])
    # WeChat opens to the platforms the opening covers; the other pools open only to all [N5, N7].
    pool_coverage = np.concatenate([coverage[:, None, :],
                                    np.repeat(open_all[:, None, :] * np.ones((1, 1, count)), len(table.pools) - 1, axis=1)],
                                   axis=1)
    pool_newly_linked = pool_coverage * (1.0 - table.pool_access)[None] * (policy.links * learning)[:, None, None]
    newly_linked = pool_newly_linked[:, 0, :]
    accepted_now = policy.payment[:, None] * coverage
    flood_mass = (newly_linked * calibration.shares).sum(axis=1)
    compression, search_gain = mech.price_comparison(policy.data, coverage, params["price_compression"],
                                                     params["fee_competition"])
    arbitrage = mech.commission_arbitrage(newly_linked, calibration.shares, calibration.fees,
                                          calibration.fees[:, table.ids.index("wechat_private")],
                                          params["fee_pass_through"], params["arbitrage_strength"]) if "wechat_private" in table.ids else 0.0
    # Merchants steer buyers who reach them through WeChat links: the cut is on those orders only [Z8].
    steered = table.segment_origin[None, :, None] * private[:, None, :]
    price_cut = np.asarray(arbitrage).reshape(-1, 1, 1) * steered
    price_cut += compression[:, None, :]   # in place, as below: (B, G, J) arrays over every year are large
    traffic_cost = mech.private_domain_flooding(flood_mass, params["private_traffic_cost"], params["private_cac_rise"])
    ad_fees = params["ad_share_of_fees"][:, None] * calibration.fees * marketplace
    avoided = mech.organic_traffic(newly_linked, params["organic_traffic_share"], params["ad_share_of_fees"])
    partners = coverage[:, :, None] * coverage[:, None, :] * (1.0 - np.eye(count))[None]
    coordination = mech.coordinated_conduct((policy.links + policy.data) / 2.0, coverage.sum(axis=1),
                                            params["coordination_max"])
    cost_growth = _cost_growth(n, params["ad_cost_growth"], params["ad_cost_growth_persistence"])
    net_cost = calibration.net_cost + (cost_growth - 1.0)[:, None] * ad_fees

    access = table.pool_access[None] + pool_newly_linked
    payment_cost, link_cost = _payment_cost(params, table, accepted_now), _link_cost(params, table, access)
    friction = payment_cost + link_cost
    alpha, rho = calibration.price_coefficient, params["fee_pass_through"]
    attractiveness = calibration.delta + calibration.trend
    base_utility = price_cut - friction
    base_utility *= alpha[:, None, None]
    base_utility += attractiveness[:, None, :]
    fee_scale = table.segment_origin[None, :, None] * avoided[:, None, :]
    np.subtract(1.0, fee_scale, out=fee_scale)
    private_fee = params["private_domain_take"] + traffic_cost
    market = YearMarket(base_utility, fee_scale, params["network_effect"], net_cost, search_gain * marketplace,
                        coordination, partners, private_fee, calibration.commissionable, table.is_private, alpha, rho,
                        calibration.weights)
    return market, YearPolicy(newly_linked, pool_newly_linked, accepted_now, coverage, price_cut, avoided, traffic_cost,
                              coordination, flood_mass, payment_cost, link_cost, policy)


def _cost_growth(years_since_base: np.ndarray, first_year_growth: np.ndarray, persistence: np.ndarray) -> np.ndarray:
    """Status-quo rise of traffic-acquisition cost, decaying each year: the traffic dividend is gone [N9]."""
    factor = np.ones_like(first_year_growth)
    for year in range(1, int(years_since_base.max(initial=0)) + 1):
        factor = factor * np.where(year <= years_since_base, 1.0 + first_year_growth * persistence ** (year - 1), 1.0)
    return factor


SOLVE_CHUNK_ROWS = 4096  # rows per Newton solve: large batches (Monte Carlo × years) run faster in cache-sized blocks


def solve_shares(market: YearMarket, start: np.ndarray, tolerance: float,
                 max_iterations: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Solve s = Σ_g w_g softmax(V_g(s)) jointly with the fee conditions by Newton steps, with a plain
    fixed-point step wherever Newton would leave the simplex. Each row is solved on its own (rows
    leave the iteration as they converge), so a row's answer does not depend on the others in the
    batch. Returns shares, converged flags and the iterations each row needed."""
    blocks = [_solve_rows(market.rows(slice(first, first + SOLVE_CHUNK_ROWS)),
                          start[first:first + SOLVE_CHUNK_ROWS], tolerance, max_iterations)
              for first in range(0, len(start), SOLVE_CHUNK_ROWS)]
    return (np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks]),
            np.concatenate([b[2] for b in blocks]))


def _solve_rows(market: YearMarket, start: np.ndarray, tolerance: float,
                max_iterations: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One block of `solve_shares`; rows leave the iteration as they converge, and rows caught in a
    cycle (see below) as soon as it repeats."""
    batch, count = start.shape
    eye = np.eye(count)
    shares = start.copy()   # written for each row as it leaves
    converged = np.zeros(batch, dtype=bool)
    iterations = np.full(batch, max_iterations)
    active, rows, current = np.arange(batch), market, start
    two_back = np.full_like(start, np.nan)   # each active row's shares two steps before the new ones
    for iteration in range(1, max_iterations + 1):
        choice_shares, choice = mech.platform_choice(rows.utility(current), rows.weights)
        done = mech._last_max(np.abs(current - choice_shares)) < tolerance
        if done.any():
            shares[active[done]] = choice_shares[done]
            converged[active[done]] = True
            iterations[active[done]] = iteration
            if done.all():
                return shares, converged, iterations
            left = ~done
            active, rows, two_back = active[left], rows.rows(left), two_back[left]
            current, choice_shares, choice = current[left], choice_shares[left], choice[left]
        jacobian = eye[None] - _choice_jacobian(rows, current, choice_shares, choice)
        newton = current - np.linalg.solve(jacobian, (current - choice_shares)[..., None])[..., 0]
        inside = ((newton > 0) & (newton < 1)).all(axis=1)
        stepped = np.where(inside[:, None], newton, choice_shares)
        stepped = stepped / mech._last_sum(stepped)[:, None]
        # A step depends on the shares alone, so a row back exactly where it was two steps ago
        # alternates between its last two states until max_iterations: it leaves now, holding the
        # state it would end on, unconverged. (Extreme draws do this: Newton and the fixed-point
        # step tip the market back and forth.)
        cycling = (stepped == two_back).all(axis=1)
        if cycling.any():
            ends_on_current = (max_iterations - iteration) % 2 == 1
            shares[active[cycling]] = current[cycling] if ends_on_current else stepped[cycling]
            if cycling.all():
                return shares, converged, iterations
            active, rows = active[~cycling], rows.rows(~cycling)
            current, stepped = current[~cycling], stepped[~cycling]
        two_back, current = current, stepped
    shares[active] = current
    return shares, converged, iterations


def _choice_jacobian(market: YearMarket, shares: np.ndarray, choice_shares: np.ndarray,
                     choice: np.ndarray) -> np.ndarray:
    """d(Σ_g w_g softmax(V_g)) / ds: network effects raise a platform's pull with its share, its fee
    (and so its price) rises with its share and its partners'."""
    eye = np.eye(shares.shape[1])
    open_demand = mech._open_demand(shares, market.coordination, market.partners)
    fee_slope = ((eye[None] + market.coordination[:, None, None] * market.partners)
                 * ((1.0 - market.is_private) / ((1.0 + market.search_gain) * open_demand**2))[:, :, None])
    # Σ_g w_g S_g (β I − diag(fee_scale_g) F), with S_g the softmax Jacobian diag(p_g) − p_g p_gᵀ, is
    # β diag(s) − diag(Σ_g w_g fee_scale_g p_g) F − Σ_g w_g p_g (β p_g − F ᵀ(fee_scale_g p_g))ᵀ: the last
    # sum is one batched product over segments, two in all instead of three.
    scaled = choice * market.fee_scale
    fee_weight = np.einsum("bg,bgj->bj", market.weights, scaled)
    inner = market.network[:, None, None] * choice - scaled @ fee_slope
    weighted = (market.weights[:, :, None] * choice).transpose(0, 2, 1)
    return ((market.network[:, None] * choice_shares)[:, :, None] * eye - fee_weight[:, :, None] * fee_slope
            - weighted @ inner)


def _solve_years(market: YearMarket, base_year_start: np.ndarray, base_shares: np.ndarray, batch: int,
                 periods: int, solver) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every year's equilibrium shares (year-major rows), whether each row converged in every year,
    and the most Newton iterations any year needed. The years' equilibria do not depend on each
    other; only the start of the solve differs."""
    if batch * periods <= SOLVE_CHUNK_ROWS:
        # A small batch (one run, the Shapley coalitions): every year at once, each started from the
        # base year's equilibrium, since per-call overhead is what costs here.
        shares, converged, iterations = solve_shares(market, base_year_start, solver.tolerance, solver.max_iterations)
        return shares, converged.reshape(periods, batch).all(axis=0), iterations.reshape(periods, batch).max(axis=0)
    # A large batch (Monte Carlo): year by year, each started from the straight-line extrapolation of
    # the two years before, which saves Newton steps on every row.
    shares = np.empty_like(base_year_start)
    previous = before = base_shares
    all_converged, most_iterations = np.ones(batch, dtype=bool), np.zeros(batch, dtype=int)
    for t in range(periods):
        block = slice(t * batch, (t + 1) * batch)
        guess = np.clip(2.0 * previous - before, 1e-9, None)
        before = previous
        previous, converged, iterations = solve_shares(market.rows(block), guess / guess.sum(axis=1, keepdims=True),
                                                       solver.tolerance, solver.max_iterations)
        shares[block] = previous
        all_converged &= converged
        most_iterations = np.maximum(most_iterations, iterations)
    return shares, all_converged, most_iterations


def _segment_gain_rate(market: YearMarket, year_policy: YearPolicy, choice: np.ndarray, quality: np.ndarray,
                       params: dict, table: PlatformTable) -> np.ndarray:
    """What the policy saves each segment's shoppers per RMB of online goods at their choices (B, G):
    wallet and link frictions removed against 2021's, merchants' price cuts and quality; 0 in the
    status quo. The market's rate is its segment-weighted average."""
    # Products of two or three operands: a longer einsum loops over every index at once, several times slower.
    payment = params["payment_friction"][:, None] * np.einsum("bgj,gj,bj->bg", choice, table.refused,
                                                              year_policy.accepted_now)
    links = params["link_friction"][:, None] * np.einsum("bgj,bgj->bg", choice,
                                                         table.segment_pool @ year_policy.pool_newly_linked)
    return payment + links + np.einsum("bgj,bgj->bg", choice, year_policy.price_cut) + quality[:, None]


def _cumulative_quality(policy: PolicyInForce, year_policy: YearPolicy, shares: np.ndarray, params: dict,
                        batch: int, periods: int) -> np.ndarray:
    """Quality change from innovation, summed over the years so far (year-major rows)."""
    reach = (year_policy.coverage * shares).sum(axis=1)
    yearly = mech.innovation_quality(policy.data, reach, shares.max(axis=1), params["innovation_quality_growth"],
                                     params["innovation_free_riding"], params["innovation_entry"])
    return np.cumsum(yearly.reshape(periods, batch), axis=0).ravel()


@dataclass
class SimulationResult:
    """Yearly paths, (B, T) per outcome id, and the solver's report: per row, whether every year
    converged and the most Newton iterations any year needed; for the checked leading rows, whether
    the final year's equilibrium is unique and another one where it is not (NaN where it is)."""

    years: np.ndarray
    paths: dict[str, np.ndarray]
    converged: np.ndarray             # (B,)
    iterations: np.ndarray            # (B,)
    unique: np.ndarray | None         # (check_rows,), None when no row is checked
    alternative_shares: np.ndarray | None   # (check_rows, J)
    price_coefficient: np.ndarray
    final_detail: dict[str, np.ndarray]     # `person_detail` in the final year, (B, G) or (B, J) each


def simulate(levers: LeverBatch, params: dict[str, np.ndarray], data: ModelData, horizon: int,
             check_rows: int = 0, draw_of_row: np.ndarray | None = None) -> SimulationResult:
    """Run B scenarios from the base year to `horizon`. `params` maps every parameter id to (B,), or,
    where rows share parameters (each scenario beside its status quo), to (D,) distinct draws with
    `draw_of_row` (B,) naming each row's: each draw is then calibrated once.
    Every year's inputs are built at once on a stacked batch (year-major rows), the shares are solved
    year by year (each warm-started from the year before), and the reporters run once on all rows.
    The final-year equilibrium of the first `check_rows` rows is checked for uniqueness (a costly
    re-solve from tipped starts, so only for the rows a caller reports on).
    Returns level paths; the engine pairs them with the status quo for changes and welfare."""
    table = PlatformTable.from_data(data)
    settings, solver = data.baseline.simulation, data.baseline.solver
    years = np.arange(settings.base_year, horizon + 1)
    batch, periods = len(levers), len(years)
    calibration = calibrate(params, data, table, periods)
    if draw_of_row is not None:
        params = {k: v[draw_of_row] for k, v in params.items()}
        calibration = Calibration(**{k: v[draw_of_row] for k, v in vars(calibration).items()})
    # The trends' yearly shocks reach the years through the calibration's trend path: only the
    # parameters proper are repeated for every year (the shocks outnumber them).
    stacked_params = {k: np.tile(v, periods) for k, v in params.items() if k in data.parameters}
    # Year-major rows; the trend path (B, periods, J) becomes each row's own year (periods × B, J).
    stacked = Calibration(**{k: v.transpose(1, 0, 2).reshape(periods * batch, -1) if k == "trend"
                             else np.tile(v, (periods,) + (1,) * (v.ndim - 1)) for k, v in vars(calibration).items()})
    row_year = np.repeat(years, batch).astype(float)
    since_base = row_year - settings.base_year
    stacked_levers = levers.tile(periods)
    policy = policy_in_force(stacked_levers, row_year, stacked_params, data)
    market, year_policy = year_market(stacked, policy, since_base, stacked_params, table, stacked_levers)

    shares, all_converged, most_iterations = _solve_years(market, stacked.shares, calibration.shares, batch,
                                                          periods, solver)
    base_spending = (data.figure("online_physical_retail_2021") * stacked_params["market_coverage"]
                     * (1.0 + stacked_params["market_growth"]) ** since_base)
    quality = _cumulative_quality(policy, year_policy, shares, stacked_params, batch, periods)
    _, choice = mech.platform_choice(market.utility(shares), market.weights)
    segment_gain = _segment_gain_rate(market, year_policy, choice, quality, stacked_params, table)
    gain = np.einsum("bg,bg->b", market.weights, segment_gain)
    spending = mech.market_expansion(base_spending, gain, stacked_params["online_spending_elasticity"])
    state = YearState(market, year_policy, shares, choice, market.fees(shares), spending, base_spending, gain,
                      segment_gain, quality, stacked, stacked_params, table, data)
    paths = {outcome: values.reshape(periods, batch).T for reporter in REPORTERS
             for outcome, values in reporter(state).items()}
    final_detail = person_detail(state.rows(slice((periods - 1) * batch, None)))
    unique = alternatives = None
    if check_rows:
        checked = slice((periods - 1) * batch, (periods - 1) * batch + check_rows)
        unique, alternatives = check_unique(market.rows(checked), shares[checked], solver)
    return SimulationResult(years, paths, all_converged, most_iterations, unique, alternatives,
                            calibration.price_coefficient, final_detail)


# ---- Reporters: one per outcome group, each {outcome id: (B,) values} from one solved year ----

@dataclass(frozen=True)
class YearState:
    """One solved year: what every reporter reads."""

    market: YearMarket
    policy: YearPolicy
    shares: np.ndarray
    choice: np.ndarray            # (B, G, J) per-segment choice probabilities
    fees: np.ndarray
    spending: np.ndarray          # online spending this year, RMB bn (B,), grown by what the policy saves shoppers
    base_spending: np.ndarray     # the same without the policy's market expansion
    gain_rate: np.ndarray         # what the policy saves shoppers per RMB (B,)
    segment_gain: np.ndarray      # the same per segment (B, G)
    quality: np.ndarray           # cumulative quality change from innovation, fraction of goods' value
    calibration: Calibration
    params: dict
    table: PlatformTable
    data: ModelData

    def rows(self, selection: slice) -> "YearState":
        """The same state for some rows (the final year's, say)."""
        def cut(item):   # every field of a per-row dataclass (cached properties are left to recompute)
            return type(item)(**{f.name: cut(value) if is_dataclass(value) else value[selection]
                                 for f in fields(item) for value in [getattr(item, f.name)]})
        arrays = {f.name: getattr(self, f.name)[selection] for f in fields(self)
                  if isinstance(getattr(self, f.name), np.ndarray)}
        return replace(self, **arrays, market=self.market.rows(selection), policy=cut(self.policy),
                       calibration=cut(self.calibration), params={k: v[selection] for k, v in self.params.items()})

    @property
    def sales(self) -> np.ndarray:
        """Sales per platform, RMB bn (B, J)."""
        return self.shares * self.spending[:, None]

    @property
    def fee_paying_sales(self) -> np.ndarray:
        """Sales on which merchants pay platform or traffic fees (JD's own retail pays none), RMB bn (B, J)."""
        return self.sales * self.calibration.commissionable

    @functools.cached_property   # three reporters read it, each pass over the choices is costly
    def avoided_fees(self) -> np.ndarray:
        """Fees merchants avoid on WeChat-originated orders they bring themselves, RMB bn (B, J)."""
        origin = self.market.weights * self.table.segment_origin[None, :]
        wechat_share = np.einsum("bg,bgj->bj", origin, self.choice)
        return self.policy.avoided_fee_share * self.fees * wechat_share * self.spending[:, None] * self.calibration.commissionable

    def platform_average(self, by_segment: np.ndarray) -> np.ndarray:
        """A per-segment quantity (B, G, J) averaged over each platform's buyers (B, J)."""
        return (np.einsum("bg,bgj,bgj->bj", self.market.weights, self.choice, by_segment)
                / np.maximum(self.shares, 1e-12))

    @property
    def private(self) -> np.ndarray:
        return self.table.is_private > 0


def report_market(state: YearState) -> dict[str, np.ndarray]:
    """Shares, concentration, fees, platforms' merchant revenue, coordination and innovation."""
    shares, table = state.shares, state.table
    revenue = state.fees * state.fee_paying_sales - state.avoided_fees
    revenue[:, state.private] = state.params["private_domain_take"][:, None] * state.fee_paying_sales[:, state.private]
    ordered = -np.sort(-shares, axis=1)
    marketplace = 1.0 - table.is_private
    inside = (state.policy.coverage * shares).sum(axis=1)
    return {f"share.{pid}": shares[:, j] for j, pid in enumerate(table.ids)} | {
        f"revenue.{pid}": revenue[:, j] for j, pid in enumerate(table.ids)} | {
        "concentration.hhi": (shares**2).sum(axis=1) * 1e4,
        "concentration.cr1": ordered[:, 0],
        "concentration.cr2": ordered[:, :2].sum(axis=1),
        "concentration.cr3": ordered[:, :3].sum(axis=1),
        "market.take_rate": (state.fees * shares * marketplace).sum(axis=1) / (shares * marketplace).sum(axis=1),
        "market.gmv": state.spending,
        "market.collusion_risk": 100.0 * state.policy.coordination * inside,
        "market.innovation": state.quality,
    }


@dataclass(frozen=True)
class MerchantTerms:
    """What a merchant's sales on each platform earn and pay, per RMB of sales (B, J) [N8–N11]."""

    effective_fee: np.ndarray    # platform or traffic fees paid, net of the advertising avoided on organic orders
    price_cut: np.ndarray        # price cut to the platform's buyers (comparison, arbitrage)
    compliance: np.ndarray       # safeguards' compliance cost
    governed: np.ndarray         # share of sales the policy's flows touch
    margin: np.ndarray           # operating margin (`mechanisms.sme_margin`)


def merchant_terms(state: YearState) -> MerchantTerms:
    """Each platform's merchant fee, price cut, compliance and operating margin per RMB of its sales."""
    params, sales = state.params, state.sales
    effective_fee = (state.fees * state.fee_paying_sales - state.avoided_fees) / np.maximum(sales, 1e-12)
    governed = _governed_share(state)
    compliance = mech.safeguard_compliance(params["compliance_cost"][:, None],
                                           state.policy.policy.safeguards[:, None], governed)
    price_cut = state.platform_average(state.policy.price_cut)
    margin = mech.sme_margin(params["sme_gross_margin"][:, None], effective_fee,
                             _average_base_fee(state.calibration)[:, None], params["fee_pass_through"][:, None],
                             price_cut, params["payment_fee"][:, None], compliance)
    return MerchantTerms(effective_fee, price_cut, compliance, governed, margin)


def report_merchants(state: YearState) -> dict[str, np.ndarray]:
    """Merchants on marketplaces and in the private domain: margins, profits, acquisition cost [N8–N11]."""
    params, private = state.params, state.private
    sales = state.sales
    terms = merchant_terms(state)
    effective_fee, governed, compliance, margins = terms.effective_fee, terms.governed, terms.compliance, terms.margin
    marketplace_sales = sales[:, ~private].sum(axis=1)
    marketplace_profit = (margins * sales)[:, ~private].sum(axis=1)
    private_sales = sales[:, private].sum(axis=1)
    private_margin = margins[:, private].sum(axis=1)
    private_profit = private_margin * private_sales
    sme_share = params["sme_marketplace_share"]
    sme_sales = sme_share * marketplace_sales + private_sales
    ad_rate = (params["ad_share_of_fees"][:, None] * effective_fee * sales)[:, ~private].sum(axis=1) / marketplace_sales
    marketplace_cac = mech.acquisition_cost(ad_rate, params["customer_value"])
    private_cac = mech.acquisition_cost(state.policy.private_traffic_cost, params["customer_value"])
    private_weight = private_sales / sme_sales
    # New online sales are diverted from offline retail, whose merchants lose their margin on them.
    offline = params["sme_gross_margin"] * (state.spending - state.base_spending)
    return {
        "compliance.cost": (compliance * sales).sum(axis=1),
        "compliance.cost.private_domain": (compliance * sales)[:, private].sum(axis=1),
        "compliance.governed_sales": (governed * sales).sum(axis=1),
        "sme.margin.marketplace": marketplace_profit / marketplace_sales,
        "sme.margin.private_domain": private_margin,
        "sme.margin": (sme_share * marketplace_profit + private_profit) / sme_sales,
        "sme.margin.constant_composition": _constant_composition(margins, state),
        "sme.profit.marketplace": sme_share * marketplace_profit,
        "sme.profit.private_domain": private_profit,
        "sme.surplus": sme_share * marketplace_profit + private_profit,
        "sme.private_domain_share": private_weight,
        "sme.acquisition_cost.marketplace": marketplace_cac,
        "sme.acquisition_cost.private_domain": private_cac,
        "sme.acquisition_cost": (1.0 - private_weight) * marketplace_cac + private_weight * private_cac,
        "merchants.profit": marketplace_profit + private_profit - offline,
        "offline.margin_lost": offline,
    }


def _constant_composition(margins: np.ndarray, state: YearState) -> np.ndarray:
    """Small merchants' margin with their sales spread over the platforms as in 2021 (B,): the same
    merchants before and after, so its change is the within-merchant effect and the difference from
    the sales-weighted margin's change is the composition effect [N8]."""
    weights = state.calibration.shares * np.where(state.private, 1.0, state.params["sme_marketplace_share"][:, None])
    return (weights * margins).sum(axis=1) / weights.sum(axis=1)


def _governed_share(state: YearState) -> np.ndarray:
    """Share of each platform's sales (B, J) that the policy's flows touch: data moved, orders through
    newly opened links, payments routed through a wallet the checkout used to refuse."""
    policy, choice, shares = state.policy, state.choice, np.maximum(state.shares, 1e-12)
    weighted = state.market.weights[:, :, None] * choice
    from_pool = state.table.segment_pool.T @ weighted / shares[:, None, :]
    refused = np.einsum("bgj,gj->bj", weighted, state.table.refused) / shares
    order_data = state.params["order_flow_data_share"][:, None]
    linked = (policy.pool_newly_linked * from_pool).sum(axis=1)
    return mech.governed_flows(policy.policy.data[:, None] * policy.coverage,
                               order_data * linked, order_data * policy.accepted_now * refused)


def _average_base_fee(calibration: Calibration) -> np.ndarray:
    """2021's sales-weighted fee across the platforms (B,): the fee level merchants' gross margin is
    measured at, so a platform's prices carry ρ of its own fee and no sale moved between platforms
    leaves a pass-through term no one receives."""
    return (calibration.shares * calibration.fees * calibration.commissionable).sum(axis=1)


def report_consumers(state: YearState) -> dict[str, np.ndarray]:
    """Consumer surplus in money, net of priced harms; each harm with the people it touches and its
    RMB per person, and the harms' indices [N2, N13–N15, Z4]."""
    params, policy, shares, data = state.params, state.policy, state.shares, state.data
    efficacy = params["safeguard_efficacy"]
    status_quo_safeguards = float(data.levers["safeguards"].status_quo)
    after_safeguards = (1.0 - efficacy * policy.policy.safeguards) / (1.0 - efficacy * status_quo_safeguards)
    reach = (policy.coverage * shares).sum(axis=1)
    privacy = mech.privacy_exposure(params["privacy_base_exposure"], policy.policy.data, reach, after_safeguards)
    conglomerate_linked = (policy.newly_linked * state.table.conglomerate[None, :] * shares).sum(axis=1)
    content = mech.content_liability(params["content_base_exposure"], conglomerate_linked, after_safeguards)
    figures = {f.id: f.value for f in data.baseline.figures}
    shoppers, wechat_users = figures["online_shoppers_2021"], figures["wechat_users_2021"]
    clicks, hours = _link_traffic(state)
    fraud_clicks = (clicks * state.table.conglomerate[None, :]).sum(axis=1)
    harms = {   # (people touched, m; RMB bn)
        "privacy": (shoppers * np.minimum(privacy / after_safeguards, 1.0),
                    shoppers * params["privacy_harm_per_user"] * privacy * RMB_BN_PER_MILLION_RMB),
        "fraud": (mech.users_reached(fraud_clicks, wechat_users),
                  mech.link_fraud(fraud_clicks, params["fraud_loss_per_click"], after_safeguards)),
        "clutter": (np.full_like(hours, wechat_users), hours * params["value_of_time"]),
    }
    outcomes = {}
    for harm, (affected, total) in harms.items():
        outcomes[f"consumer.harm.{harm}"] = total
        outcomes[f"consumer.harm.{harm}.affected"] = affected
        outcomes[f"consumer.harm.{harm}.per_affected"] = total / np.maximum(affected, 1e-12) / RMB_BN_PER_MILLION_RMB
    total_harm = sum(outcomes[f"consumer.harm.{harm}"] for harm in harms)
    open_in_wechat = (shares * (state.table.wechat_access[None, :] + policy.newly_linked)).sum(axis=1)
    new_buyers = mech.new_buyers_surplus(state.spending - state.base_spending, state.gain_rate)
    surplus = mech.consumer_surplus(state.market.utility(shares), state.market.weights,
                                    state.market.price_coefficient, state.base_spending, state.quality,
                                    total_harm) + new_buyers
    return outcomes | _consumer_channels(state) | {
        "consumer.channel.expansion": new_buyers,
        "consumer.welfare": surplus,
        "consumer.harm": total_harm,
        "consumer.privacy_risk": 100.0 * (1.0 - np.exp(-privacy)),
        "consumer.content_risk": 100.0 * (1.0 - np.exp(-content)),
        "consumer.ux_clutter": 100.0 * (1.0 - np.exp(-params["clutter_sensitivity"] * open_in_wechat)),
    }


def _link_traffic(state: YearState) -> tuple[np.ndarray, np.ndarray]:
    """Commerce links in WeChat chats from this year's WeChat-originated orders: clicks per platform
    (bn, (B, J)) and the hours users spend past the links they see (bn, (B,)); a blocked platform's
    orders travel as copy-paste tokens, shared less often than cards [Z3, N13]."""
    params = state.params
    origin = state.market.weights * state.table.segment_origin[None, :]
    wechat_sales = np.einsum("bg,bgj->bj", origin, state.choice) * state.spending[:, None]
    access = state.table.wechat_access[None, :] + state.policy.newly_linked
    clicks = mech.commerce_link_clicks(wechat_sales / params["average_order_value"][:, None], access,
                                       params["token_link_ratio"][:, None], params["clicks_per_order"][:, None])
    hours = mech.link_clutter(clicks.sum(axis=1), params["views_per_click"], params["seconds_per_link_view"])
    return clicks, hours


def segment_channels(state: YearState) -> dict[str, np.ndarray]:
    """What a segment's shoppers pay or save through each channel per RMB of their spending at this
    year's choices (levels, (B, G)): fees passed into prices, wallet and link frictions, merchants'
    price cuts."""
    fee_paid = (state.params["fee_pass_through"][:, None, None] * state.market.fee_scale
                * (state.fees * state.calibration.commissionable)[:, None, :])
    choice = state.choice
    return {"fees": -np.einsum("bgj,bgj->bg", choice, fee_paid),
            "payment": -np.einsum("bgj,bgj->bg", choice, state.policy.payment_cost),
            "links": -np.einsum("bgj,bgj->bg", choice, state.policy.link_cost),
            "prices": np.einsum("bgj,bgj->bg", choice, state.policy.price_cut)}


def _consumer_channels(state: YearState) -> dict[str, np.ndarray]:
    """What shoppers pay or save through each channel at this year's choices, RMB bn (levels): the
    first-order breakdown of the consumer gain; what reallocation between platforms adds is the rest."""
    weighted = state.market.weights * state.base_spending[:, None]
    return {f"consumer.channel.{channel}": np.einsum("bg,bg->b", weighted, per_rmb)
            for channel, per_rmb in segment_channels(state).items()} | {
        "consumer.channel.quality": state.quality * state.base_spending}


def person_detail(state: YearState) -> dict[str, np.ndarray]:
    """The levels a person's yearly change is read from (`model.person`): per segment (B, G), the
    consumer surplus per RMB of spending before harms (log-sum / α, quality, and the new purchases
    the policy brings online valued at the segment's own saving, so that the segments add up to
    `mechanisms.new_buyers_surplus`) and its channels; per platform (B, J), the sales and what a
    merchant earns and pays on each RMB of them: the fee and the part of it that buys traffic, each
    net of the share ρ prices pass on to buyers (what the merchant bears of it, as in its margin)."""
    params, private = state.params, state.private[None, :]
    kept = 1.0 - params["fee_pass_through"][:, None]
    expansion = 0.5 * (state.spending / state.base_spending - 1.0)[:, None] * state.segment_gain
    log_sum = mech._log_sum(state.market.utility(state.shares)) / state.market.price_coefficient[:, None]
    terms = merchant_terms(state)
    traffic = np.where(private, state.policy.private_traffic_cost[:, None],
                       params["ad_share_of_fees"][:, None] * terms.effective_fee)
    return {f"segment.{name}": value for name, value in segment_channels(state).items()} | {
        "segment.surplus": log_sum + state.quality[:, None] + expansion,
        "segment.quality": np.repeat(state.quality[:, None], expansion.shape[1], axis=1),
        "segment.expansion": expansion,
        "platform.sales": state.sales,
        "platform.margin": terms.margin,
        "platform.fee": kept * (terms.effective_fee - traffic),
        "platform.traffic": kept * traffic,
        "platform.price_cut": terms.price_cut,
        "platform.compliance": terms.compliance,
    }


def report_platforms(state: YearState) -> dict[str, np.ndarray]:
    """Each platform's margin on the modelled sales at its real marginal cost, with Tencent's WeChat
    advertising, the WeChat Pay and Alipay margins that payment interoperability moves, and the
    engagement WeChat loses to clutter [Z4, Z6, N13]; apart, the two-sided value of those sales, a
    transfer with the platforms' other sides that the welfare total leaves out."""
    params, table, private = state.params, state.table, state.private
    sales = state.fee_paying_sales
    two_sided = state.calibration.two_sided * sales
    variable = (state.fees - state.market.net_cost) * sales - two_sided - state.avoided_fees
    switched = (state.market.weights * state.spending[:, None]
                * np.einsum("bgj,gj,bj->bg", state.choice, table.refused, state.policy.accepted_now))
    by_wallet = {w: switched[:, [k for k, x in enumerate(table.segment_wallet) if x == w]].sum(axis=1)
                 for w in set(table.segment_wallet)}
    payment_shift = params["payment_margin"] * (by_wallet["wechat_pay"] - by_wallet["alipay"])
    newly_open = (state.policy.newly_linked * state.shares).sum(axis=1)
    engagement = params["wechat_ad_revenue_2021"] * params["engagement_loss"] * newly_open
    profit = {f"profit.{pid}": variable[:, j] for j, pid in enumerate(table.ids)}
    profit[f"profit.{table.ids[int(np.argmax(private))]}"] = (
        params["private_domain_take"] * sales[:, private].sum(axis=1))
    profit["profit.alibaba"] = profit["profit.alibaba"] - payment_shift
    profit["profit.tencent"] = (state.policy.private_traffic_cost * sales[:, private].sum(axis=1)
                                + payment_shift - engagement)
    return profit | {"platforms.profit": sum(profit.values()), "platforms.two_sided_value": two_sided.sum(axis=1)}


REPORTERS = (report_market, report_merchants, report_consumers, report_platforms)


def check_unique(market: YearMarket, shares: np.ndarray, solver) -> tuple[np.ndarray, np.ndarray]:
    """Re-solve the final year from starts where one platform holds most of the market; an answer away
    from the reported one is another equilibrium [Katz–Shapiro tipping]."""
    batch, count = shares.shape
    rest = (1.0 - solver.tipped_start_share) / (count - 1)
    starts = np.full((count, batch, count), rest)
    starts[np.arange(count), :, np.arange(count)] = solver.tipped_start_share
    tiled = YearMarket(**{name: value if name in market.SHARED else np.tile(value, (count,) + (1,) * (value.ndim - 1))
                          for name, value in vars(market).items()})
    other, converged, _ = solve_shares(tiled, starts.reshape(count * batch, count), solver.tolerance, solver.max_iterations)
    other, converged = other.reshape(count, batch, count), converged.reshape(count, batch)
    differs = converged & (np.abs(other - shares[None]).max(axis=2) > solver.same_equilibrium_gap)
    first = np.argmax(differs, axis=0)
    alternatives = np.where(differs.any(axis=0)[:, None], other[first, np.arange(batch)], np.nan)
    return ~differs.any(axis=0), alternatives
