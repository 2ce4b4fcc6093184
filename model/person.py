"""A typical merchant's or shopper's yearly change, read from the same run as the welfare ledger.

A person is a marginal member of the groups the model simulates, too small to move the market:
each RMB a shopper spends in a segment (preferred wallet × where a purchase starts) gains what an
RMB of that segment's spending gains, and each RMB a merchant sells on a platform earns what the
platform's average merchant earns on it, its sales growing or shrinking with the platform's. The
priced harms fall per person as the model prices them: privacy on every online shopper, link fraud
and clutter on every WeChat user. RMB a year, in the scenario's final year, against the status quo
with the same parameters; money-metric, net of the harms. Summed over a population shaped like the
model's (its segments, its platforms' sales, WeChat users who do not shop online), the persons'
changes are the ledger's rows (tests/test_person.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import ModelData
from .market import PlatformTable

RMB_PER_BN = 1e9
PEOPLE_PER_M = 1e6
SHOPPER_CHANNELS = ("fees", "payment", "links", "prices", "quality", "expansion")
MERCHANT_PARTS = ("fees", "traffic", "prices", "compliance", "sales")
WECHAT_HARMS = ("fraud", "clutter")


@dataclass(frozen=True)
class PersonRates:
    """Final-year changes (scenario − status quo) per draw, the first axis: per RMB of a segment's
    spending (B, G), per RMB of a platform's sales (B, J), and the harms per person (B,)."""

    wallets: tuple[str, ...]           # each segment's preferred wallet (G,)
    origins: tuple[str, ...]           # where each segment's purchases start: direct or a traffic pool (G,)
    shopper: dict[str, np.ndarray]     # SHOPPER_CHANNELS and "choice" (switching platforms), (B, G) each
    privacy_per_shopper: np.ndarray    # RMB a year, a loss when positive (B,)
    harm_per_wechat_user: dict[str, np.ndarray]   # fraud and clutter, RMB a year, a loss when positive (B,)
    platforms: tuple[str, ...]
    private_platform: str
    merchant: dict[str, np.ndarray]    # MERCHANT_PARTS, (B, J) each
    status_quo_sales: np.ndarray       # RMB bn (B, J): how a merchant's marketplace sales are split
    spending_per_shopper: np.ndarray   # status-quo online spending per online shopper, RMB a year (B,)


def segment_origins(table: PlatformTable) -> tuple[str, ...]:
    """Where each segment's purchases start: the traffic pool it is marked with, else direct."""
    return tuple(table.pools[int(np.argmax(row))] if row.any() else "direct" for row in table.segment_pool)


def shopper_rates(detail: dict[str, np.ndarray], status_quo, scenario) -> dict[str, np.ndarray]:
    """Each segment's change per RMB of spending, by channel (B, G): the first-order channels at the
    shoppers' choices, and "choice", what moving between platforms adds (the rest of the log-sum's
    change, as in `engine.consumer_breakdown`)."""
    change = {name: detail[f"segment.{name}"][scenario] - detail[f"segment.{name}"][status_quo]
              for name in (*SHOPPER_CHANNELS, "surplus")}
    change["choice"] = change.pop("surplus") - sum(change[name] for name in SHOPPER_CHANNELS)
    return change


def merchant_rates(detail: dict[str, np.ndarray], status_quo, scenario) -> dict[str, np.ndarray]:
    """Each platform's merchant profit change per RMB of a merchant's status-quo sales on it (B, J):
    margin m and sales S with m′S′/S − m = (m′ − m) + m′(S′/S − 1); the margin's change is the fees
    and traffic costs merchants keep (net of what prices pass on), price cuts and compliance, and
    the second term is the sales the merchant gains or loses with its platform."""
    def change(name):
        return detail[f"platform.{name}"][scenario] - detail[f"platform.{name}"][status_quo]
    growth = detail["platform.sales"][scenario] / np.maximum(detail["platform.sales"][status_quo], 1e-12) - 1.0
    return {"fees": -change("fee"), "traffic": -change("traffic"), "prices": -change("price_cut"),
            "compliance": -change("compliance"), "sales": detail["platform.margin"][scenario] * growth}


def person_rates(detail: dict[str, np.ndarray], paths: dict[str, np.ndarray], status_quo, scenario,
                 data: ModelData) -> PersonRates:
    """The rates of a person's change from a simulation's `final_detail` and level paths, pairing the
    `status_quo` rows with the `scenario` rows (slices or index lists of equal length)."""
    table = PlatformTable.from_data(data)
    shoppers = data.figure("online_shoppers_2021") * PEOPLE_PER_M
    wechat_users = data.figure("wechat_users_2021") * PEOPLE_PER_M

    def harm_per(harm: str, people: float) -> np.ndarray:
        level = paths[f"consumer.harm.{harm}"][:, -1]
        return (level[scenario] - level[status_quo]) * RMB_PER_BN / people
    sales = detail["platform.sales"][status_quo]
    return PersonRates(
        wallets=table.segment_wallet, origins=segment_origins(table),
        shopper=shopper_rates(detail, status_quo, scenario),
        privacy_per_shopper=harm_per("privacy", shoppers),
        harm_per_wechat_user={harm: harm_per(harm, wechat_users) for harm in WECHAT_HARMS},
        platforms=table.ids, private_platform=data.baseline.private_domain_platform,
        merchant=merchant_rates(detail, status_quo, scenario), status_quo_sales=sales,
        spending_per_shopper=sales.sum(axis=1) * RMB_PER_BN / shoppers)


def average_monthly_spending(data: ModelData) -> float:
    """Online physical-goods retail per online shopper in 2021 (NBS retail / CNNIC shoppers), RMB a
    month: the default shopper."""
    return data.figure("online_physical_retail_2021") * RMB_PER_BN / (
        data.figure("online_shoppers_2021") * PEOPLE_PER_M) / 12.0


def shopper_change(rates: PersonRates, monthly_spending: float, wallet: str, origins: dict[str, float],
                   wechat_user: bool = True) -> dict[str, np.ndarray]:
    """A shopper's yearly change in RMB, by part (B,): her spending (12 × `monthly_spending`, at
    status-quo prices) spread over her wallet's segments by `origins` (where her purchases start,
    shares summing to 1), each RMB gaining its segment's rate; the privacy harm if she shops online,
    fraud and clutter if she uses WeChat. Linear in spending."""
    if wallet not in rates.wallets:
        raise ValueError(f"wallet: unknown wallet {wallet!r}; expected one of {sorted(set(rates.wallets))}")
    unknown = sorted(set(origins) - set(rates.origins))
    if unknown or abs(sum(origins.values()) - 1.0) > 1e-6 or min(origins.values(), default=0.0) < 0:
        raise ValueError(f"origins: shares of {sorted(set(rates.origins))} that sum to 1, got {origins}")
    mix = np.array([origins.get(o, 0.0) * (w == wallet) for w, o in zip(rates.wallets, rates.origins)])
    yearly = 12.0 * monthly_spending
    parts = {name: yearly * rate @ mix for name, rate in rates.shopper.items()}
    parts["privacy"] = -rates.privacy_per_shopper * float(yearly > 0)
    for harm, per_user in rates.harm_per_wechat_user.items():
        parts[harm] = -per_user * float(wechat_user)
    return parts


def merchant_sales(rates: PersonRates, gmv: float, private_share: float, marketplaces: list[str]) -> np.ndarray:
    """A merchant's status-quo sales on each platform, RMB a year (B, J): the private-domain share in
    its own store, the rest over the chosen marketplaces in proportion to their sales."""
    if not 0.0 <= private_share <= 1.0:
        raise ValueError(f"private_share: must be between 0 and 1, got {private_share}")
    unknown = sorted(set(marketplaces) - set(rates.platforms) | ({rates.private_platform} & set(marketplaces)))
    if unknown:
        raise ValueError(f"marketplaces: not marketplaces of the model: {unknown}")
    if private_share < 1.0 and not marketplaces:
        raise ValueError("marketplaces: choose at least one marketplace, or sell everything in the private domain")
    chosen = np.array([float(p in marketplaces) for p in rates.platforms])
    weight = rates.status_quo_sales * chosen
    split = weight / np.maximum(weight.sum(axis=1, keepdims=True), 1e-12) * (1.0 - private_share)
    private = np.array([float(p == rates.private_platform) for p in rates.platforms]) * private_share
    return gmv * (split + private[None, :])


def merchant_change(rates: PersonRates, gmv: float, private_share: float, marketplaces: list[str]) -> dict[str, np.ndarray]:
    """A merchant's yearly profit change in RMB, by part (B,): `gmv` (RMB a year, at status-quo
    sales) split as `merchant_sales` says, each RMB on a platform earning the platform's rate."""
    sales = merchant_sales(rates, gmv, private_share, marketplaces)
    return {name: (sales * rate).sum(axis=1) for name, rate in rates.merchant.items()}


def total(parts: dict[str, np.ndarray]) -> np.ndarray:
    """A person's change, the parts summed (B,)."""
    return sum(parts.values())
