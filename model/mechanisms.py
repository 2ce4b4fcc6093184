"""The model's mechanisms: one public function per id in data/mechanisms.yaml, named after it.

Every function works on numpy arrays batched over scenarios or Monte Carlo draws: parameters and
lever values have shape (B,); per-platform arrays (B, J); per-segment arrays (B, G, J). Money is in
fractions of the goods' value unless a name says RMB; a friction worth 1 % of the goods enters
utility as α·0.01, so its money value does not depend on the price coefficient α. The ids in
brackets are the arguments in data/claims.yaml.
"""
from __future__ import annotations

import functools

import numpy as np


def _last_sum(v: np.ndarray) -> np.ndarray:
    """Sum over the platform axis. numpy's reductions over a short last axis are several times slower
    than einsum's, and these run in the solver's inner loop."""
    return np.einsum("...j->...", v)


def _last_max(v: np.ndarray) -> np.ndarray:
    """Maximum over the platform axis, one platform at a time (faster than a reduction, as above)."""
    return functools.reduce(np.maximum, (v[..., j] for j in range(v.shape[-1])))


def _softmax(v: np.ndarray) -> np.ndarray:
    e = v - _last_max(v)[..., None]
    np.exp(e, out=e)   # in place: these arrays are the solver's largest
    e /= _last_sum(e)[..., None]
    return e


def _log_sum(v: np.ndarray) -> np.ndarray:
    top = _last_max(v)
    e = v - top[..., None]
    np.exp(e, out=e)
    return top + np.log(_last_sum(e))


def platform_choice(segment_utility: np.ndarray, segment_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shoppers in each segment (by wallet and by where a purchase starts) choose a platform by a
    logit rule; market shares are the segment-weighted average [Z1, Z2, Z14; Berry 1994].
    `segment_weights` is (B, G). Returns (shares (B, J), per-segment choice probabilities (B, G, J))."""
    choice = _softmax(segment_utility)
    return np.einsum("bg,bgj->bj", segment_weights, choice), choice


def status_quo_trend(first_year_drift: np.ndarray, persistence: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """Cumulative log-share drift (B, 1 + N, J) from the base year (column 0 is 0): the 2020→2021
    drift decaying geometrically, T(n) = T(n−1) + g φ^{n−1} + e_n, plus a shock each year, so the
    trend is a random walk around the fading drift [Z13, N10]. `first_year_drift` (B, J),
    `persistence` (B,), `shocks` (B, N, J); with zero shocks T(n) = g (1 − φⁿ) / (1 − φ)."""
    batch, years, count = shocks.shape
    decay = persistence[:, None] ** np.arange(years)[None, :]                     # (B, N)
    steps = first_year_drift[:, None, :] * decay[:, :, None] + shocks
    return np.concatenate([np.zeros((batch, 1, count)), np.cumsum(steps, axis=1)], axis=1)


def entrant_diffusion(years_since_base: np.ndarray, rate: np.ndarray, headroom: np.ndarray) -> np.ndarray:
    """Cumulative log-share change of an entrant on a logistic diffusion, ln S(n)/S(0) with
    S(n) = K / (1 + (K/S(0) − 1) e^{−r n}): fast while its share is far below the ceiling K =
    headroom × S(0), slowing as it nears it [Bass 1969; N10]."""
    return np.log(headroom / (1.0 + (headroom - 1.0) * np.exp(-rate * years_since_base)))


def trust_phase_in(years_in_force: np.ndarray, phase_in_years: np.ndarray, trust_lag: np.ndarray,
                   safeguards: np.ndarray) -> np.ndarray:
    """Share of a step's level in force after `years_in_force` (1 in the step's first year): a linear
    ramp over the phase-in time, longer without the safeguards that build trust [Z11, N1, Z12]."""
    return np.clip(years_in_force / (phase_in_years * (1.0 + trust_lag * (1.0 - safeguards))), 0.0, 1.0)


def fee_setting(net_cost: np.ndarray, shares: np.ndarray, price_coefficient: np.ndarray,
                pass_through: np.ndarray, search_gain: np.ndarray, coordination: np.ndarray,
                partners: np.ndarray) -> np.ndarray:
    """Bertrand–logit fees: τ_j = c_j + 1 / (α ρ (1 + z_j) (1 − s_j − λ Σ_k C_jk s_k)), α per draw (B,)
    or per platform (B, J) where only part of a platform's sales carries the fee. Cheaper
    search between connected platforms (z) cuts markups [N6]; coordination (λ, the weight a platform
    puts on its partners' profit) raises them [N16; Katz & Shapiro 1986]."""
    price_coefficient = price_coefficient if price_coefficient.ndim == 2 else price_coefficient[:, None]
    return net_cost + 1.0 / (price_coefficient * pass_through[:, None] * (1.0 + search_gain)
                             * _open_demand(shares, coordination, partners))


def _open_demand(shares: np.ndarray, coordination: np.ndarray, partners: np.ndarray) -> np.ndarray:
    """1 − s_j − λ Σ_k C_jk s_k: the demand a platform's fee can still lose to non-partners."""
    return 1.0 - shares - coordination[:, None] * np.einsum("bjk,bk->bj", partners, shares)


def two_sided_value(marginal_cost: np.ndarray, net_cost: np.ndarray) -> np.ndarray:
    """What an order is worth to a platform beyond its merchant fee, per RMB of fee-paying sales: the
    real marginal cost less the net cost its fee condition implies [Rochet & Tirole 2003; Armstrong
    2006]. Positive where a platform charges merchants less than its one-sided markup because the
    buyer brings revenue from its other sides (advertising sold off the take rate, payment and credit
    business); negative where it spends on them (buyer subsidies, creator incentives). It moves money
    between a platform and its other sides, so the welfare total leaves it out and reallocating sales
    between platforms creates no welfare from it."""
    return marginal_cost - net_cost


def link_friction(segment_pool: np.ndarray, access: np.ndarray, friction: np.ndarray) -> np.ndarray:
    """Money lost on an order that starts in a traffic pool (a WeChat chat, a Douyin or Kuaishou
    video) and must reach a platform whose links the pool blocks through a copy-and-paste token
    (Z3's "火星文"); it falls on the pool-originated slices only. `segment_pool` (G, P) marks each
    segment's pool, `access` (B, P, J) how far each platform's links open in each pool
    [Z3, Z10, N4, N5, Z5]. Returns (B, G, J) costs as fractions of the goods' value."""
    return segment_pool @ (friction[:, None, None] * (1.0 - access))   # scaled before the (G, P) product widens it


def latecomer_disadvantage(years_open: np.ndarray, latecomer_years: np.ndarray) -> np.ndarray:
    """A newly admitted platform learns WeChat's rules slowly, counted from when its links open; JD and
    PDD's years inside WeChat limit what it gains meanwhile [Z9]."""
    return np.where(years_open > 0, 1.0 - np.exp(-np.maximum(years_open, 0.0) / latecomer_years), 0.0)


def payment_friction(refused: np.ndarray, accepted_now: np.ndarray, friction: np.ndarray) -> np.ndarray:
    """Money lost by a shopper whose preferred wallet a checkout refuses; `refused` (G, J) is 2021's
    refusals and `accepted_now` (B, J) the share of them interoperability has removed [Z12, Z7, N13].
    Shoppers already select into platforms that take their wallet, so the friction bites only where
    they would otherwise have bought."""
    return friction[:, None, None] * refused[None] * (1.0 - accepted_now)[:, None, :]


def commission_arbitrage(newly_linked: np.ndarray, base_shares: np.ndarray, fees: np.ndarray,
                         private_fee: np.ndarray, pass_through: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """Merchants steer buyers who reach them through WeChat links from a newly linked high-fee
    marketplace store to their own low-fee WeChat store [Z8]. Prices already carry ρ of each channel's
    fee, so the merchant keeps (1 − ρ) of the fee gap on a steered order and passes the share
    `strength` of that on as a further price cut on those orders; the rest is its gain, so steering,
    being voluntary, pays it. Returns the price cut on a steered order as a fraction of the goods'
    value (B,)."""
    gap = (1.0 - pass_through)[:, None] * np.clip(fees - private_fee[:, None], 0.0, None)
    return strength * (newly_linked * base_shares * gap).sum(axis=1)


def private_domain_flooding(flood_mass: np.ndarray, traffic_cost: np.ndarray, rise: np.ndarray) -> np.ndarray:
    """Private-domain traffic cost once marketplaces' merchants pour into WeChat's private traffic;
    `flood_mass` is the marketplace GMV share newly linked into WeChat [N11, N12]."""
    return traffic_cost * (1.0 + rise * flood_mass)


def organic_traffic(newly_linked: np.ndarray, organic_share: np.ndarray, ad_share: np.ndarray) -> np.ndarray:
    """Share of its fee a merchant no longer pays on WeChat-originated orders it brings to its
    marketplace store itself: advertising it need not buy, which the platform no longer earns
    [N8, Z3]. Returns (B, J)."""
    return (organic_share * ad_share)[:, None] * newly_linked


def price_comparison(data_in_force: np.ndarray, coverage: np.ndarray, compression: np.ndarray,
                     fee_competition: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Open search across connected platforms lets shoppers compare merchants' prices [N6]: merchants'
    prices fall (a transfer from merchants to buyers) and platforms face more elastic demand.
    Returns (merchant price cut, search gain z) per platform (B, J)."""
    depth = data_in_force[:, None] * coverage
    return compression[:, None] * depth, fee_competition[:, None] * depth


def acquisition_cost(ad_rate: np.ndarray, customer_value: np.ndarray) -> np.ndarray:
    """What a merchant pays for traffic per new customer: advertising (or private traffic) spend per
    RMB of sales times first-year sales per customer [N8, N9]. Advertising is counted once, as the
    platforms' revenue."""
    return ad_rate * customer_value


def sme_margin(gross_margin: np.ndarray, fees: np.ndarray, average_fee: np.ndarray, pass_through: np.ndarray,
               price_cut: np.ndarray, payment_fee: np.ndarray, compliance: np.ndarray) -> np.ndarray:
    """A merchant's operating margin: gross margin (at 2021's average fee) less platform or traffic
    fees, payment fees and compliance; a platform's prices carry ρ of its fee, the same share shoppers
    pay in the choice rule, and a price cut is the merchant's loss [N10, N11]."""
    return gross_margin - fees + pass_through * (fees - average_fee) - price_cut - payment_fee - compliance


def governed_flows(data_moved: np.ndarray, linked_orders: np.ndarray, routed_payments: np.ndarray) -> np.ndarray:
    """Share of a platform's sales (B, J) whose data the opened flows move, in units of a shopper's
    data moved by portability: shoppers' data moved, and the order's own data for orders arriving
    through newly opened links and payments through a newly accepted wallet; a sale touched twice is
    governed once [N2, N15]."""
    return 1.0 - (1.0 - data_moved) * (1.0 - linked_orders) * (1.0 - routed_payments)


def safeguard_compliance(rate: np.ndarray, safeguards: np.ndarray, governed: np.ndarray) -> np.ndarray:
    """Compliance cost of safeguards as a fraction of a platform's sales: consent flows, security
    reviews and record-keeping scale with the activity the rules govern, so safeguards over nothing
    opened cost nothing beyond the PIPL baseline already in 2021's margins [N2; GDPR evidence]."""
    return rate * safeguards * governed


def privacy_exposure(base: np.ndarray, data_in_force: np.ndarray, reach: np.ndarray,
                     after_safeguards: np.ndarray) -> np.ndarray:
    """Shoppers' privacy and leak exposure, full data sharing across the market = 1 at 2021's
    safeguards: every connected party holding a copy is one more place to leak from, with liability
    unclear [N15, N2]."""
    return (base + data_in_force * reach) * after_safeguards


def content_liability(base: np.ndarray, conglomerate_linked: np.ndarray, after_safeguards: np.ndarray) -> np.ndarray:
    """WeChat users' fraud and banned-content exposure through links, every conglomerate with its own
    social, finance and entertainment arms fully linked = 1 at 2021's safeguards: the physical
    indicator behind the content-risk index [Z4, N14]."""
    return (base + conglomerate_linked) * after_safeguards


def commerce_link_clicks(orders: np.ndarray, access: np.ndarray, token_ratio: np.ndarray,
                         clicks_per_order: np.ndarray) -> np.ndarray:
    """Clicks on commerce links shared in WeChat chats (bn): each WeChat-originated order (bn) comes
    with `clicks_per_order` clicks on links into its platform where links open, and `token_ratio` as
    many where blocking makes them copy-paste tokens (Z3's "火星文"), which were shared anyway
    [Z3, N13]. Returns clicks per platform, same shape as `orders`."""
    return orders * clicks_per_order * (access + (1.0 - access) * token_ratio)


def link_clutter(clicks: np.ndarray, views_per_click: np.ndarray, seconds_per_view: np.ndarray) -> np.ndarray:
    """Hours (bn) WeChat users spend past commerce links in their chats: every click on a link is
    one of `views_per_click` views, most by people who were not shopping [N13, N14]."""
    return clicks * views_per_click * seconds_per_view / 3600.0


def link_fraud(conglomerate_clicks: np.ndarray, loss_per_click: np.ndarray, after_safeguards: np.ndarray) -> np.ndarray:
    """Fraud losses (RMB bn) of users who click through commerce links into conglomerates' apps,
    where they can be re-diverted to social, finance and entertainment arms; cut by safeguards
    [Z4, N14]."""
    return conglomerate_clicks * loss_per_click * after_safeguards


def users_reached(clicks_bn: np.ndarray, users_m: float) -> np.ndarray:
    """Distinct users (m) among `users_m` who make at least one of `clicks_bn` clicks, clicks falling
    at random: the people a per-click harm touches."""
    return users_m * (1.0 - np.exp(-clicks_bn * 1e3 / users_m))


def innovation_quality(data_in_force: np.ndarray, reach: np.ndarray, leader_share: np.ndarray,
                       quality_growth: np.ndarray, free_riding: np.ndarray, entry: np.ndarray) -> np.ndarray:
    """This year's change in platforms' quality growth, as a fraction of the goods' value: rivals
    free-ride on the leader's shared data [N15] while data access helps smaller platforms and entrants
    [Babina et al.]; which wins is a finding, not an assumption."""
    return quality_growth * data_in_force * reach * (entry * (1.0 - leader_share) - free_riding * leader_share)


def coordinated_conduct(cooperation: np.ndarray, partner_count: np.ndarray, coordination_max: np.ndarray) -> np.ndarray:
    """Weight λ a cooperating platform puts on its partners' profit when setting fees. Cooperation in
    links and data is what the giants could coordinate on; the more firms a deal binds, the harder
    coordination is to sustain [N16, N7; Ivaldi et al. 2003]."""
    return coordination_max * cooperation * np.where(partner_count > 1, 1.0 / np.maximum(partner_count - 1, 1), 0.0)


def market_expansion(base_spending: np.ndarray, gain_rate: np.ndarray, elasticity: np.ndarray) -> np.ndarray:
    """Online spending once the policy makes buying online cheaper by `gain_rate` per RMB: shoppers
    move purchases from offline retail (or from not buying) at the elasticity of online spending to
    its money price [Einav et al. 2014; Baugh et al. 2018]."""
    return base_spending * (1.0 + gain_rate) ** elasticity


def new_buyers_surplus(new_spending: np.ndarray, gain_rate: np.ndarray) -> np.ndarray:
    """Surplus of the purchases the policy brings online, RMB bn: half the saving on each (the
    marginal one was worth nothing more online, the first nearly the whole saving)."""
    return 0.5 * new_spending * gain_rate


def consumer_surplus(segment_utility: np.ndarray, segment_weights: np.ndarray, price_coefficient: np.ndarray,
                     spending: np.ndarray, quality: np.ndarray, harm_rmb_bn: np.ndarray) -> np.ndarray:
    """Consumer surplus in RMB bn (a level: only differences mean anything): spending × (log-sum / α
    + quality) less harms priced per affected user [Small & Rosen 1981]."""
    log_sum = np.einsum("bg,bg->b", segment_weights, _log_sum(segment_utility))
    return spending * (log_sum / price_coefficient + quality) - harm_rmb_bn


