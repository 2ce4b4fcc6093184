"""The model's mechanisms, one named function each, with the argument or source it comes from.

Every function works on numpy arrays batched over scenarios or Monte Carlo draws: parameters
and lever values have shape (B,) or (B, 1); per-platform arrays have shape (B, J). The ids in
brackets are the arguments in data/claims.yaml and data/mechanisms.yaml.
"""
from __future__ import annotations

import numpy as np


def phase_in(years_since_base: float, phase_in_years: np.ndarray) -> np.ndarray:
    """Share of a lever's set level in force: a linear ramp from the base year [N1, Z12]."""
    return np.clip(years_since_base / phase_in_years, 0.0, 1.0)


def trust_delay(phase_in_years: np.ndarray, trust_lag: np.ndarray, safeguards: np.ndarray) -> np.ndarray:
    """Links and data take longer to open without trust-building rules [Z11, N1, N2]."""
    return phase_in_years * (1.0 + trust_lag * (1.0 - safeguards))


def status_quo_trend(years_since_base: float, first_year_drift: np.ndarray, persistence: np.ndarray) -> np.ndarray:
    """Cumulative log-odds drift with geometric decay, bounded by drift / (1 − persistence) [Z13, N9, N10]."""
    return first_year_drift * (1.0 - persistence**years_since_base) / (1.0 - persistence)


def latecomer_learning(years_since_base: float, latecomer_years: np.ndarray) -> np.ndarray:
    """A newly admitted platform learns WeChat's rules slowly; incumbents keep a head start [Z9]."""
    return 1.0 - np.exp(-years_since_base / latecomer_years)


def traffic_asymmetry(newly_linked: np.ndarray, traffic_gain: np.ndarray, learning: np.ndarray) -> np.ndarray:
    """Utility a marketplace gains from WeChat's superset of users once its links open; one way only,
    WeChat's side gains nothing from the marketplace's users [Z10, N4, Z5]."""
    return traffic_gain[:, None] * learning[:, None] * newly_linked


def commission_arbitrage(newly_linked: np.ndarray, base_shares: np.ndarray, take_rates: np.ndarray,
                         private_take: np.ndarray, arbitrage_strength: np.ndarray,
                         price_sensitivity: np.ndarray) -> np.ndarray:
    """Merchants steer buyers from a newly linked high-commission store to their low-commission WeChat
    store; the captured commission gap is passed to buyers as a lower price [Z8]."""
    gap = np.clip(take_rates - private_take[:, None], 0.0, None)
    return price_sensitivity * arbitrage_strength * (newly_linked * base_shares * gap).sum(axis=1)


def private_domain_flooding(flood_mass: np.ndarray, flood_penalty: np.ndarray) -> np.ndarray:
    """Utility independent WeChat stores lose when marketplaces' merchants flood private-domain
    traffic; `flood_mass` is the marketplace GMV share newly plugged into WeChat [N11, N12]."""
    return -flood_penalty * flood_mass


def payment_friction_removed(payment_coverage: np.ndarray, unaccepted_wallet_share: np.ndarray,
                             payment_effective: np.ndarray, payment_friction: np.ndarray) -> np.ndarray:
    """Shoppers whose wallet a checkout refused stop losing `payment_friction` [Z12, Z7, N13]."""
    return (payment_friction * payment_effective)[:, None] * payment_coverage * unaccepted_wallet_share


def price_comparison(take_rates: np.ndarray, data_coverage: np.ndarray, data_effective: np.ndarray,
                     take_cut: np.ndarray) -> np.ndarray:
    """Open search across connected platforms lets shoppers compare prices; commissions fall and the
    cut reaches prices [N6]. Returns the effective commission rates."""
    return take_rates * (1.0 - (take_cut * data_effective)[:, None] * data_coverage)


def effective_network(shares: np.ndarray, adjacency: np.ndarray, interop: np.ndarray) -> np.ndarray:
    """A platform's network plus the interconnected part of its rivals' networks [Katz–Shapiro 1985;
    Z1, Z2, N5]. `adjacency` is (B, J, J), `interop` (B,)."""
    return shares + interop[:, None] * np.einsum("bjk,bk->bj", adjacency, shares)


def link_clutter(open_in_wechat_share: np.ndarray, sensitivity: np.ndarray) -> np.ndarray:
    """0–100 index of commerce links crowding chats: 100·(1 − e^(−c·X)) [N13, N14]."""
    return 100.0 * (1.0 - np.exp(-sensitivity * open_in_wechat_share))


def safeguard_factor(safeguards: np.ndarray, efficacy: np.ndarray, status_quo_safeguards: float) -> np.ndarray:
    """Exposure left after safeguards, relative to the status quo's safeguards [N15, N2, Z4]."""
    return (1.0 - efficacy * safeguards) / (1.0 - efficacy * status_quo_safeguards)


def privacy_exposure(base: np.ndarray, per_data: np.ndarray, data_effective: np.ndarray,
                     data_reach: np.ndarray, after_safeguards: np.ndarray) -> np.ndarray:
    """0–100 privacy and leak risk index: 100·(1 − e^(−exposure)) [N15, N2]."""
    return 100.0 * (1.0 - np.exp(-(base + per_data * data_effective * data_reach) * after_safeguards))


def content_liability(base: np.ndarray, per_link: np.ndarray, conglomerate_linked: np.ndarray,
                      after_safeguards: np.ndarray) -> np.ndarray:
    """0–100 index of fraud and banned content reached through links into conglomerates with
    their own social, finance and entertainment arms [Z4, N14]."""
    return 100.0 * (1.0 - np.exp(-(base + per_link * conglomerate_linked) * after_safeguards))


def innovation_incentive(free_riding: np.ndarray, data_effective: np.ndarray, data_reach: np.ndarray,
                         contestability: np.ndarray, hhi: np.ndarray, hhi_base: np.ndarray) -> np.ndarray:
    """0–100 index, 50 in 2021: shared data lets rivals free-ride on innovation [N15]; a less
    concentrated market is more contestable [Aridor, Che & Salz 2023]."""
    log_odds = -free_riding * data_effective * data_reach + contestability * (hhi_base - hhi) / hhi_base
    return 100.0 / (1.0 + np.exp(-log_odds))


def collusion_risk(base: np.ndarray, per_cooperation: np.ndarray, cooperation: np.ndarray,
                   cr3: np.ndarray) -> np.ndarray:
    """0–100 index: cooperation between the largest platforms, scaled by their joint share [N16, N7]."""
    return 100.0 * (1.0 - np.exp(-(base + per_cooperation * cooperation * cr3)))


def acquisition_cost(public_cost: np.ndarray, private_share: np.ndarray, flood_mass: np.ndarray,
                     public_cut: np.ndarray, private_ratio: np.ndarray, private_rise: np.ndarray) -> np.ndarray:
    """Blended cost of a new customer for a small merchant: unblocking cuts public-domain traffic cost
    [N8, Z3] while big merchants entering private traffic raise its cost [N11]."""
    public = public_cost * (1.0 - public_cut * flood_mass)
    private = public_cost * private_ratio * (1.0 + private_rise * flood_mass)
    return (1.0 - private_share) * public + private_share * private


def acquisition_cost_growth(years_since_base: int, first_year_growth: np.ndarray,
                            persistence: np.ndarray) -> np.ndarray:
    """Status-quo rise of public-domain acquisition cost, decaying each year: the traffic dividend
    is gone [N9]."""
    factor = np.ones_like(first_year_growth)
    for year in range(1, years_since_base + 1):
        factor = factor * (1.0 + first_year_growth * persistence ** (year - 1))
    return factor
