"""A typical merchant's and shopper's yearly change (model/person.py) as the pages and slides state
it: the central value from the run, the P10–P90 band from the Monte Carlo draws, a short breakdown."""
from __future__ import annotations

import html
from dataclasses import dataclass

from model import person
from model.data import default_data
from model.engine import quantiles
from model.person import PersonRates

from .i18n import label, number, rmb, text
from .urlstate import PersonView

# The breakdown a page shows: each line and the model's parts it adds up.
MERCHANT_LINES = {"fees": ("fees",), "traffic": ("traffic",), "prices": ("prices",), "compliance": ("compliance",),
                  "sales": ("sales",)}
SHOPPER_LINES = {"fees_prices": ("fees", "prices"), "frictions": ("payment", "links"), "choice": ("choice",),
                 "quality": ("quality", "expansion"), "harms": ("privacy", "fraud", "clutter")}


@dataclass(frozen=True)
class PersonChange:
    """One person's change, RMB a year: central, its P10–P90 over the draws, and the breakdown's lines."""

    central: float
    low: float | None
    high: float | None
    lines: dict[str, float]


def input_errors(view: PersonView) -> dict[str, str]:
    """What keeps the merchant or the shopper from being computed, as catalogue keys by person."""
    errors = {}
    if view.gmv <= 0:
        errors["merchant"] = "person.error_gmv"
    elif view.private_share < 1.0 and not view.marketplaces:
        errors["merchant"] = "person.error_markets"
    if sum(share for _, share in view.starts) > 1.0 + 1e-9:
        errors["shopper"] = "person.error_starts"
    return errors


def merchant_parts(rates: PersonRates, view: PersonView):
    return person.merchant_change(rates, view.gmv, view.private_share, list(view.marketplaces))


def shopper_parts(rates: PersonRates, view: PersonView):
    starts = dict(view.starts)
    origins = {"direct": max(1.0 - sum(starts.values()), 0.0), **starts}
    return person.shopper_change(rates, view.spending, view.wallet, origins, view.wechat_user)


def change_of(parts_of, lines: dict[str, tuple[str, ...]], view: PersonView, central: PersonRates,
              draws: PersonRates | None) -> PersonChange:
    """The central change and its lines from the run's rates, the band from the draws' (None: no band)."""
    parts = parts_of(central, view)
    low = high = None
    if draws is not None:
        low, high = (float(q) for q in quantiles(person.total(parts_of(draws, view)), (0.1, 0.9), axis=0))
    return PersonChange(float(person.total(parts)[0]), low, high,
                        {line: float(sum(parts[p][0] for p in members)) for line, members in lines.items()})


def changes(view: PersonView, central: PersonRates, draws: PersonRates | None) -> dict[str, PersonChange | str]:
    """The merchant's and the shopper's change, or the catalogue key of what is wrong with the inputs."""
    errors = input_errors(view)
    return {"merchant": errors.get("merchant") or change_of(merchant_parts, MERCHANT_LINES, view, central, draws),
            "shopper": errors.get("shopper") or change_of(shopper_parts, SHOPPER_LINES, view, central, draws)}


def headline(who: str, change: PersonChange, lang: str) -> str:
    return text(f"person.{who}_result", lang, change=rmb(change.central, lang, signed=True))


def band_text(change: PersonChange, lang: str) -> str | None:
    if change.low is None:
        return None
    return text("person.band", lang, low=rmb(change.low, lang, signed=True), high=rmb(change.high, lang, signed=True))


def describe(view: PersonView, lang: str) -> dict[str, str]:
    """The merchant and the shopper in one line each, for a slide."""
    data = default_data()
    names = {p.id: label(p.short, lang) for p in data.platforms}
    wallets = {w.id: label(w.label, lang) for w in data.baseline.wallets}
    joiner = text("person.join", lang)
    return {"merchant": text("person.slide_merchant", lang, gmv=rmb(view.gmv, lang),
                             share=f"{number(100 * view.private_share)}%",
                             markets=joiner.join(names[p] for p in view.marketplaces) or "–"),
            "shopper": text("person.slide_shopper", lang, spend=rmb(view.spending, lang), wallet=wallets[view.wallet],
                            wechat=f"{number(100 * dict(view.starts).get('wechat', 0.0))}%")}


def card_html(who: str, change: PersonChange | str, lang: str, caption: str = "") -> str:
    """One person's card as escaped HTML: the headline number, its band, the breakdown."""
    esc = html.escape
    if isinstance(change, str):
        return f"<div class='person-card person-{who}' lang='{lang}'><p class='person-error'>{esc(text(change, lang))}</p></div>"
    tone = "good" if change.central > 0.5 else "bad" if change.central < -0.5 else "flat"
    band = band_text(change, lang)
    rows = "".join(f"<tr><td>{esc(text(f'person.part.{line}', lang))}</td>"
                   f"<td class='num'>{esc(rmb(value, lang, signed=True))}</td></tr>" for line, value in change.lines.items())
    return (f"<div class='person-card person-{who}' lang='{lang}'>"
            + (f"<p class='person-who'>{esc(caption)}</p>" if caption else "")
            + f"<p class='person-total tone-{tone}'>{esc(headline(who, change, lang))}</p>"
            + (f"<p class='person-band'>{esc(band)}</p>" if band else "")
            + f"<table class='person-parts'>{rows}</table></div>")


PERSON_CSS = """
.person-card {border: 1px solid #ccc; border-radius: .5rem; padding: .5rem .8rem; margin: .2rem 0;}
.person-who {font-size: .95rem; color: #333; margin: 0 0 .2rem;}
.person-total {font-size: 1.35rem; font-weight: 700; margin: 0;}
.person-total.tone-good {color: #0B6E2E;} .person-total.tone-bad {color: #A3161B;} .person-total.tone-flat {color: #444;}
.person-band {font-size: .95rem; color: #333; margin: 0 0 .3rem;}
.person-error {color: #A3161B; font-weight: 600; margin: 0;}
.person-parts {border-collapse: collapse; width: 100%; font-size: .95rem;}
.person-parts td {padding: .1rem .3rem; border-top: 1px solid #eee;}
.person-parts td.num {text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;}
"""
