"""The share link: the whole view (levers, horizon, assumptions, language, page, compared scenarios)
as URL query parameters, and back. Parsing never raises: a bad parameter falls back to its default
with a Problem naming it."""
from __future__ import annotations

import math
from collections.abc import Container, Mapping
from dataclasses import dataclass, field, replace

from model.data import ModelData, default_data
from model.person import average_monthly_spending
from model.scenario import check_assumptions, check_horizon, check_lever
from model.yamlio import Problem

PAGES = ("explore", "frontier", "compare", "findings", "assumptions", "method", "present")
LANGS = ("en", "zh")
MAX_COMPARED = 6
MAX_PARAMETER_LENGTH = 2_000
MAX_SLIDE = 999
PANELS = ("concentration", "ratios", "sme", "consumers", "gains", "person", "track", "sensitivity")
COMPARE_VIEWS = ("paths", "shares", "attribution")  # the chart Compare shows
EXTRA_SLIDES = ("paths", "ledger", "track")  # Present's optional slides, in the deck's order (ui/slides.py)
PERSON_KEYS = ("gmv", "private", "markets", "spend", "wallet", "starts", "wechat_user")  # the typical person's inputs
KEYS = (*default_data().levers, "horizon", "a", "lang", "page", "compare", "slide", "ref", "chart", "why", "panel", "view",
        "bands", "more", *PERSON_KEYS)
MAX_GMV = 1e12         # RMB a year: above any single merchant
MAX_SPENDING = 1e6     # RMB a month


@dataclass(frozen=True)
class PersonView:
    """The typical merchant and shopper Explore's "Typical merchant, typical shopper" panel shows."""

    gmv: float                      # merchant's annual GMV, RMB
    private_share: float            # share of it sold in the private domain (its own WeChat store)
    marketplaces: tuple[str, ...]   # where the rest sells, in the platforms' order
    spending: float                 # shopper's online spending, RMB a month
    wallet: str
    starts: tuple[tuple[str, float], ...]   # share of purchases starting in each traffic pool; direct the rest
    wechat_user: bool = True


def traffic_pools(data: ModelData) -> dict[str, str]:
    """Each traffic pool (WeChat first) and the parameter giving its share of purchases."""
    return {"wechat": "wechat_origin_share"} | {pool.id: pool.origin_share_parameter
                                                for pool in data.baseline.traffic_pools}


def marketplaces(data: ModelData) -> tuple[str, ...]:
    return tuple(p.id for p in data.platforms if p.id != data.baseline.private_domain_platform)


def default_person(data: ModelData) -> PersonView:
    """A shop on the largest marketplace with RMB 1m GMV; a shopper with the average online spending
    (NBS online physical retail per CNNIC online shopper, 2021), the more common wallet, and the
    model's central shares of purchases starting in each traffic pool."""
    gmv = {p.id: p.gmv_2021 or 0.0 for p in data.platforms}
    largest = max(marketplaces(data), key=gmv.get)
    wallet = max(data.baseline.wallets, key=lambda w: w.share).id
    return PersonView(gmv=1e6, private_share=0.0, marketplaces=(largest,),
                      spending=float(round(average_monthly_spending(data))), wallet=wallet,
                      starts=tuple((pool, data.parameters[pid].central) for pool, pid in traffic_pools(data).items()))


@dataclass(frozen=True)
class ViewState:
    """Everything a share link restores."""

    levers: dict[str, float | str]
    horizon: int
    assumptions: dict[str, float] = field(default_factory=dict)
    lang: str = "en"
    page: str = "explore"
    compare: tuple[str, ...] = ()
    slide: int = 0
    reference: str = ""  # a compared scenario's stem; empty means the status quo
    chart: str = ""  # the outcome charted on Compare; empty means the default
    why: str = ""  # the outcome Explore's "Why did this change?" explains; empty: the one it picks
    panel: str = ""  # Explore's detail panel; empty means the first
    view: str = ""  # Compare's chart; empty means the first
    uncertainty: bool = False
    extras: tuple[str, ...] = ()  # Present's optional slides (EXTRA_SLIDES)
    person: PersonView = field(default_factory=lambda: default_person(default_data()))


def default_state(data: ModelData) -> ViewState:
    return ViewState(levers=dict(data.status_quo_levers), horizon=data.baseline.simulation.default_horizon)


def _number(value: float) -> str:
    """The shortest text that reads back as the same float: '0.35', not '0.34999999999999998'."""
    return repr(float(value))


def to_query(state: ViewState, data: ModelData) -> dict[str, str]:
    """Only what differs from the default view, so links stay short. A link carries plain lever
    values only: a dated schedule (from a scenario file) stays in that file and is left out."""
    base = default_state(data)
    query: dict[str, str] = {}
    for lever in data.levers:
        value = state.levers[lever]
        if value != base.levers[lever] and not isinstance(value, tuple):
            query[lever] = value if isinstance(value, str) else _number(value)
    if state.horizon != base.horizon:
        query["horizon"] = str(state.horizon)
    if state.assumptions:
        query["a"] = ",".join(f"{pid}:{_number(v)}" for pid, v in sorted(state.assumptions.items()))
    for key, name in (("lang", "lang"), ("page", "page"), ("slide", "slide"), ("reference", "ref"),
                      ("chart", "chart"), ("why", "why"), ("panel", "panel"), ("view", "view")):
        if getattr(state, key) != getattr(base, key):
            query[name] = str(getattr(state, key))
    if state.uncertainty:
        query["bands"] = "1"
    if state.extras:
        query["more"] = ",".join(state.extras)
    if state.compare:
        query["compare"] = ",".join(state.compare)
    return query | _person_query(state.person, base.person)


def _person_fields(person: PersonView) -> dict[str, str]:
    """The typical person's inputs as link parameters."""
    return {"gmv": _number(person.gmv), "private": _number(person.private_share),
            "markets": ",".join(person.marketplaces), "spend": _number(person.spending), "wallet": person.wallet,
            "starts": ",".join(f"{pool}:{_number(share)}" for pool, share in person.starts),
            "wechat_user": "1" if person.wechat_user else "0"}


def _person_query(person: PersonView, base: PersonView) -> dict[str, str]:
    """The typical person's inputs that differ from the default's."""
    default = _person_fields(base)
    return {key: value for key, value in _person_fields(person).items() if value != default[key]}


def _finite(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _last(raw: str | list[str]):
    """A parameter's value: the last one when it is repeated."""
    return raw[-1] if isinstance(raw, (list, tuple)) and raw else raw


def named_scenarios(params: Mapping[str, str | list[str]]) -> set[str]:
    """Every identifier a link's `compare` and `ref` name, for looking up just those scenarios
    before from_query checks them (it may ask about fewer, never about others)."""
    named = set()
    for key in ("compare", "ref"):
        value = _last(params.get(key, ""))
        if isinstance(value, str) and len(value) <= MAX_PARAMETER_LENGTH:
            named.update(filter(None, value.split(",") if key == "compare" else [value]))
    return named


def _known_values(params: Mapping[str, str | list[str]], problems: list[Problem]) -> dict[str, str]:
    """The link's parameters that are known, text and not too long; a Problem for each other one."""
    values: dict[str, str] = {}
    for key, raw in params.items():
        value = _last(raw)
        key = str(key)
        if key not in KEYS:
            problems.append(Problem(key[:40] or "(empty name)", "is not a known link parameter", "unknown_key"))
        elif not isinstance(value, str):
            problems.append(Problem(key, "must be text", "wrong_type"))
        elif len(value) > MAX_PARAMETER_LENGTH:
            problems.append(Problem(key, f"is longer than {MAX_PARAMETER_LENGTH} characters", "too_long"))
        else:
            values[key] = value
    return values


def _levers(values: dict[str, str], data: ModelData, problems: list[Problem]) -> dict:
    levers = dict(default_state(data).levers)
    shares = data.share_levers
    for lever in (lever for lever in data.levers if lever in values):
        value: object = values[lever]
        if lever in shares:
            value = _finite(values[lever])
            if value is None:
                problems.append(Problem(lever, f"is not a number: {values[lever][:40]!r}", "not_number"))
                continue
        else:
            value = values[lever][:40]
        checked, found = check_lever(lever, value, data, where=lever, schedules=False)
        problems += found
        if not found:
            levers[lever] = checked
    return levers


def _horizon(values: dict[str, str], data: ModelData, problems: list[Problem]) -> int:
    base = default_state(data).horizon
    text = values.get("horizon")
    if text is None:
        return base
    if not text.isascii() or not text.isdigit():
        problems.append(Problem("horizon", f"is not a year: {text[:40]!r}", "not_number"))
        return base
    found = check_horizon(int(text), data)
    problems += found
    return base if found else int(text)


def _assumptions(values: dict[str, str], data: ModelData, problems: list[Problem]) -> dict[str, float]:
    assumptions: dict[str, float] = {}
    for item in filter(None, values.get("a", "").split(",")):
        pid, _, text = item.partition(":")
        number = _finite(text)
        if number is None:
            problems.append(Problem(f"a.{pid[:40]}", f"is not a number: {text[:40]!r}", "not_number"))
            continue
        found = check_assumptions({pid: number}, data, prefix="a")
        if found:
            problems += found
        else:
            assumptions[pid] = number
    return assumptions


def _compared(values: dict[str, str], known_stems: Container[str], problems: list[Problem]) -> tuple[str, ...]:
    compare: list[str] = []
    for stem in filter(None, values.get("compare", "").split(",")):
        if stem not in known_stems:
            problems.append(Problem(f"compare.{stem[:40]}", f"unknown scenario {stem[:40]!r}", "not_found"))
        elif stem not in compare:
            compare.append(stem)
    if len(compare) > MAX_COMPARED:
        problems.append(Problem("compare", f"at most {MAX_COMPARED} scenarios, got {len(compare)}", "too_many"))
    return tuple(compare[:MAX_COMPARED])


def _extras(values: dict[str, str], problems: list[Problem]) -> tuple[str, ...]:
    """Present's optional slides: each must be one of EXTRA_SLIDES; they come in that order, once."""
    asked = [item for item in values.get("more", "").split(",") if item]
    for item in asked:
        if item not in EXTRA_SLIDES:
            problems.append(Problem("more", f"must be among {', '.join(EXTRA_SLIDES)}, got {item[:40]!r}",
                                    "not_allowed"))
    return tuple(extra for extra in EXTRA_SLIDES if extra in asked)


def _slide(values: dict[str, str], problems: list[Problem]) -> int:
    text = values.get("slide")
    if text is None:
        return 0
    if text.isascii() and text.isdigit() and int(text) <= MAX_SLIDE:
        return int(text)
    problems.append(Problem("slide", f"is not a slide number: {text[:40]!r}", "not_number"))
    return 0


def _choices(values: dict[str, str], table: tuple, problems: list[Problem]) -> dict[str, str]:
    """The parameters that name one of a set of values, from a table of (link key, view field,
    allowed values, what they are). A value outside its set is left out (the default view's stays),
    with a Problem naming it; an empty scenario or outcome means the default."""
    chosen = {}
    for key, name, allowed, kind in table:
        value = values.get(key)
        if value is None or (value == "" and kind):
            continue
        if value in allowed:
            chosen[name] = value
        elif kind == "scenario":
            problems.append(Problem(key, f"unknown scenario {value[:40]!r}", "not_found"))
        elif kind == "outcome":
            problems.append(Problem(key, f"is not a known outcome: {value[:40]!r}", "not_allowed"))
        else:
            problems.append(Problem(key, f"must be one of {', '.join(allowed)}, got {value[:40]!r}", "not_allowed"))
    return chosen


def _bounded(values: dict[str, str], key: str, low: float, high: float, problems: list[Problem],
             above_low: bool = False) -> float | None:
    """A number within [low, high] (above `low` when `above_low`), or None with a Problem naming `key`."""
    text = values.get(key)
    if text is None:
        return None
    number = _finite(text)
    if number is None:
        problems.append(Problem(key, f"is not a number: {text[:40]!r}", "not_number"))
        return None
    if number < low or number > high or (above_low and number == low):
        bounds = f"above {low:,.0f} and at most {high:,.0f}" if above_low else f"between {low:,.0f} and {high:,.0f}"
        problems.append(Problem(key, f"must be {bounds}, got {text[:40]}", "out_of_range",
                                {"low": f"{low:,.0f}", "high": f"{high:,.0f}", "value": text[:40]}))
        return None
    return number


def _starts(text: str, data: ModelData, problems: list[Problem]) -> tuple[tuple[str, float], ...] | None:
    """Shares of purchases starting in each traffic pool ("wechat:0.3,douyin:0.1"; a pool left out
    is 0), each in [0, 1] and at most 1 together; None with a Problem naming the field."""
    pools, shares = traffic_pools(data), {}
    for item in filter(None, text.split(",")):
        pool, _, value = item.partition(":")
        share = _finite(value)
        if pool not in pools:
            problems.append(Problem("starts", f"unknown traffic pool {pool[:40]!r}; expected {', '.join(pools)}",
                                    "not_allowed", {"allowed": ", ".join(pools), "value": pool[:40]}))
            return None
        if share is None or not 0.0 <= share <= 1.0:
            problems.append(Problem(f"starts.{pool}", f"must be a share between 0 and 1, got {value[:40]!r}",
                                    "out_of_range", {"low": "0", "high": "1", "value": value[:40]}))
            return None
        shares[pool] = share
    if sum(shares.values()) > 1.0 + 1e-9:
        problems.append(Problem("starts", f"the shares add up to more than 1: {sum(shares.values()):g}", "out_of_range"))
        return None
    return tuple((pool, shares.get(pool, 0.0)) for pool in pools)


def _markets(text: str, data: ModelData, problems: list[Problem]) -> tuple[str, ...] | None:
    allowed = marketplaces(data)
    named = [item for item in text.split(",") if item]
    unknown = [item[:40] for item in named if item not in allowed]
    if unknown:
        problems.append(Problem("markets", f"not a marketplace: {', '.join(unknown)}; expected some of "
                                f"{', '.join(allowed)}", "not_allowed", {"allowed": ", ".join(allowed),
                                                                         "value": ", ".join(unknown)}))
        return None
    return tuple(pid for pid in allowed if pid in named)


def _person(values: dict[str, str], data: ModelData, problems: list[Problem]) -> PersonView:
    """The typical person's inputs: each valid one replaces the default's, a bad one is left out
    with a Problem naming it."""
    found = {"gmv": _bounded(values, "gmv", 0.0, MAX_GMV, problems, above_low=True),
             "private_share": _bounded(values, "private", 0.0, 1.0, problems),
             "spending": _bounded(values, "spend", 0.0, MAX_SPENDING, problems),
             "marketplaces": _markets(values["markets"], data, problems) if "markets" in values else None,
             "starts": _starts(values["starts"], data, problems) if "starts" in values else None}
    found |= _choices(values, (("wallet", "wallet", tuple(w.id for w in data.baseline.wallets), None),
                               ("wechat_user", "wechat_user", ("0", "1"), None)), problems)
    if "wechat_user" in found:
        found["wechat_user"] = found["wechat_user"] == "1"
    return replace(default_person(data), **{key: value for key, value in found.items() if value is not None})


def from_query(params: Mapping[str, str | list[str]], data: ModelData,
               known_stems: Container[str]) -> tuple[ViewState, list[Problem]]:
    """The view a link describes, and a Problem for everything in it that was ignored."""
    problems: list[Problem] = []
    values = _known_values(params, problems)
    levers, horizon = _levers(values, data, problems), _horizon(values, data, problems)
    assumptions = _assumptions(values, data, problems)
    language_and_page = _choices(values, (("lang", "lang", LANGS, None), ("page", "page", PAGES, None)), problems)
    compare, slide = _compared(values, known_stems, problems), _slide(values, problems)
    chosen = _choices(values, (("ref", "reference", known_stems, "scenario"), ("chart", "chart", data.outcomes, "outcome"),
                               ("why", "why", data.outcomes, "outcome"), ("panel", "panel", PANELS, None),
                               ("view", "view", COMPARE_VIEWS, None), ("bands", "uncertainty", ("0", "1"), None)),
                      problems)
    chosen["uncertainty"] = chosen.get("uncertainty") == "1"
    return ViewState(levers=levers, horizon=horizon, assumptions=assumptions, compare=compare, slide=slide,
                     extras=_extras(values, problems), **language_and_page, **chosen,
                     person=_person(values, data, problems)), problems
