"""A presentation's slides as data, built once from the model's numbers and drawn three ways: in
Present and the printable handout (HTML), in the PowerPoint deck and in the PDF handout (ui/exports.py).

Every sentence on a slide is chosen from the numbers it states: a verb is picked by the sign of the
change it describes, so the takeaway can never say "rises" beside a number that falls."""
from __future__ import annotations

import html
import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from model import MODEL_VERSION, backtest, engine, history
from model.claims import central_effect
from model.data import Claim, default_data
from model.scenario import Scenario
from model.scores import INTERVAL_ALPHA
from reports import track_record

from .charts import (
    BENCHMARK_COLOR,
    GAIN_COLOR,
    LOSS_COLOR,
    SCENARIO_COLOR,
    STATUS_QUO_COLOR,
    gains_chart,
    group_name,
    path_chart,
    track_record_chart,
)
from .report import track_record_result
from .i18n import amount, display_scale, display_unit, label, lever_value_text, named_unit, number, original_words, source_line, text
from .person import PERSON_CSS, PersonChange, band_text, card_html, changes, describe, headline
from .urlstate import PersonView

HEADLINE_TAKEAWAY = ("consumer.surplus", "sme.profit", "concentration.hhi", "welfare.total")
SME_PROFIT = ("sme.profit.marketplace", "sme.profit.private_domain")  # summed as "small merchants' profit"


def unchanged(change: float, status_quo: float, unit: str, lang: str) -> bool:
    """Too small to state: below 0.05 % of the level, or zero once written out in the reader's units."""
    shown = amount(change, unit, lang, signed=True)
    return abs(change) < 5e-4 * max(1.0, abs(status_quo)) or not any(ch in "123456789" for ch in shown)


@dataclass(frozen=True)
class Metric:
    outcome: str
    label: str
    value: str
    change: str          # "+19" or "unchanged"
    band: str | None     # "P10–P90 −3 to +40", from the Monte Carlo draws of the change
    tone: str            # good, bad, flat (unchanged) or none (no better direction)
    arrow: str           # ↑, ↓ or ""


@dataclass(frozen=True)
class Quote:
    statement: str
    words: str           # the passage in the reader's language
    source: str          # "— title (author, date), place"
    arguments: str
    verdict: str         # what the model says about the claim in this scenario
    agrees: bool


@dataclass
class Slide:
    """One policy slide: what the policy is, what it does, how sure, what the texts say."""

    title: str
    lang: str
    year: int
    policy: list[tuple[str, str]]          # (lever, setting), every lever and the horizon
    takeaway: str
    metrics: list[Metric]
    quote: Quote | None
    source: str
    notes: str
    shares: dict[str, list[float]] = field(default_factory=dict)  # platform → [status quo, scenario] in %
    claim_id: str | None = None


def policy_items(scenario: Scenario, lang: str) -> list[tuple[str, str]]:
    data = default_data()
    items = [(label(lever.label, lang), lever_value_text(lever.id, scenario.levers[lever.id], lang))
             for lever in data.levers.values()]
    items.append((text("sidebar.horizon", lang), str(scenario.horizon)))
    if scenario.assumptions:
        items.append((text("compare.assumptions_changed", lang), str(len(scenario.assumptions))))
    return items


def _change(final: pd.DataFrame, outcomes: tuple[str, ...]) -> tuple[float, float]:
    return (float(sum(final.loc[o, "change"] for o in outcomes)),
            float(sum(final.loc[o, "status_quo"] for o in outcomes)))


def takeaway(title: str, final: pd.DataFrame, year: int, lang: str) -> str:
    """One sentence from the numbers: each clause's verb by the sign of the change it states."""
    data = default_data()
    clauses = []
    for key in HEADLINE_TAKEAWAY:
        outcomes = SME_PROFIT if key == "sme.profit" else (key,)
        change, status_quo = _change(final, outcomes)
        unit = data.outcomes[outcomes[0]].unit
        direction = ("flat" if unchanged(change, status_quo, unit, lang) else "up" if change > 0 else "down")
        clauses.append(text(f"takeaway.{key}.{direction}", lang, amount=amount(abs(change), unit, lang)))
    return text("takeaway.sentence", lang, name=title, year=year, clauses=text("takeaway.join", lang).join(clauses))


def metrics(final: pd.DataFrame, lang: str, spread: pd.DataFrame | None) -> list[Metric]:
    data = default_data()
    out = []
    for spec in (o for o in data.outcomes.values() if o.headline):
        row = final.loc[spec.id]
        flat = unchanged(row["change"], row["status_quo"], spec.unit, lang)
        good = (row["change"] > 0) == (spec.better == "higher")
        band = None
        if spread is not None:
            low, high = spread[spec.id].quantile([0.1, 0.9])
            band = text("slide.band", lang, low=amount(low, spec.unit, lang, signed=True),
                        high=amount(high, spec.unit, lang, signed=True))
        out.append(Metric(spec.id, label(spec.label, lang), amount(row["value"], spec.unit, lang),
                          text("metric.unchanged", lang) if flat else amount(row["change"], spec.unit, lang, signed=True),
                          band, "flat" if flat else "none" if spec.better == "none" else "good" if good else "bad",
                          "" if flat else "↑" if row["change"] > 0 else "↓"))
    return out


def model_agrees(claim: Claim, central_effect: float) -> bool:
    """Whether the model, with central parameters, moves the claim's outcome the way it argues."""
    return (central_effect > 0) == (claim.direction == "increase")


def expected_sign(claim: Claim, scenario: Scenario) -> float:
    """The sign the claim argues for this scenario's move of its lever: its direction, reversed when
    the scenario moves the lever the other way from the claim's from → to."""
    data = default_data()
    sign = 1.0 if claim.direction == "increase" else -1.0
    moved, base = scenario.levers[claim.lever], data.status_quo_levers[claim.lever]
    if isinstance(base, str):
        return sign if moved == claim.to_value else -sign
    moved = float(moved[-1][1]) if isinstance(moved, tuple) else float(moved)
    return sign if (moved - float(base)) * (float(claim.to_value) - float(claim.from_value)) > 0 else -sign


def choose_quote(scenario: Scenario, attribution, central_effects: dict[str, float],
                 used: set[str]) -> tuple[Claim, bool] | None:
    """The argument the slide quotes: about a headline outcome, for the lever that moved it most
    (by its share of the change), one the model agrees with — under central parameters and in this
    scenario — when there is one, and not one an earlier slide quoted when another will do.
    Returns the claim and whether the model agrees."""
    data = default_data()
    candidates = []
    for outcome in (o for o in data.outcomes.values() if o.headline):
        contributions = attribution.contributions.loc[outcome.id]
        total = float(contributions.abs().sum())
        if total < 1e-9:
            continue
        for claim in data.claims.values():
            if claim.outcome != outcome.id or claim.kind != "lever" or claim.lever not in contributions.index:
                continue
            part = float(contributions[claim.lever])
            if abs(part) < 1e-9 * max(1.0, total):
                continue
            agrees = model_agrees(claim, central_effects[claim.id]) and part * expected_sign(claim, scenario) > 0
            candidates.append((not agrees, claim.id in used, -abs(part) / total, claim.id, claim, agrees))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: c[:4])
    return best[4], best[5]


def quote_of(claim: Claim, agrees: bool, lang: str) -> Quote:
    data = default_data()
    passage = data.passages[claim.passages[0]]
    return Quote(label(claim.statement, lang), original_words(passage) if lang == "zh" else passage.en,
                 source_line(passage, lang),
                 ", ".join(claim.arguments), text("slide.quote_agrees" if agrees else "slide.quote_disagrees", lang),
                 agrees)


def source_text(lang: str, draws: int | None) -> str:
    data = default_data()
    uncertainty = (text("slide.source_draws", lang, draws=draws, seed=data.baseline.uncertainty.seed)
                   if draws else text("slide.source_central", lang))
    return text("slide.source", lang, version=MODEL_VERSION, uncertainty=uncertainty)


def speaker_notes(slide_title: str, result: engine.RunResult, policy: list[tuple[str, str]], sentence: str,
                  quote: Quote | None, lang: str) -> str:
    """What the presenter says: the policy in words, the takeaway, the lines crossed, the quote's source."""
    from .i18n import warning_text
    data = default_data()
    lines = [text("notes.policy", lang, name=slide_title,
                  policy=text("takeaway.join", lang).join(f"{name} {value}" for name, value in policy)), sentence]
    lines += [warning_text(w, lang) for w in engine.warnings(result, data)]
    lines.append(text("notes.bands", lang))
    if quote is not None:
        lines.append(text("notes.quote", lang, arguments=quote.arguments, verdict=quote.verdict, source=quote.source))
    return "\n".join(lines)


def policy_slide(scenario: Scenario, result: engine.RunResult, spread: pd.DataFrame | None, draws: int | None,
                 central_effects: dict[str, float], lang: str, used: set[str] | None = None) -> Slide:
    """The slide of one scenario. `result` must carry its attribution; `spread` is the Monte Carlo's
    final-year changes (None: central values only); `used` the claims earlier slides quoted."""
    data = default_data()
    final, year = result.final, result.years[-1]
    title = scenario.title(lang)
    policy = policy_items(scenario, lang)
    sentence = takeaway(title, final, year, lang)
    chosen = choose_quote(scenario, result.attribution, central_effects, used or set())
    quote = quote_of(*chosen, lang) if chosen else None
    shares = {label(p.short, lang): [final.loc[f"share.{p.id}", "status_quo"] * 100, final.loc[f"share.{p.id}", "value"] * 100]
              for p in data.platforms}
    return Slide(title, lang, year, policy, sentence, metrics(final, lang, spread), quote, source_text(lang, draws),
                 speaker_notes(title, result, policy, sentence, quote, lang), shares, chosen[0].id if chosen else None)


@dataclass
class PersonSlide:
    """A scenario's typical merchant and shopper: who they are, each one's yearly change with its band
    and breakdown, or what is wrong with the inputs (a catalogue key)."""

    title: str
    lang: str
    year: int
    policy: list[tuple[str, str]]
    who: dict[str, str]                        # merchant, shopper → one line describing them
    changes: dict[str, PersonChange | str]
    source: str
    notes: str


def person_notes(slide_title: str, who: dict[str, str], found: dict[str, PersonChange | str], lang: str) -> str:
    """What the presenter says: each person, their change and band, the largest part of it, and what a
    typical person is."""
    lines = []
    for person, change in found.items():
        if isinstance(change, str):
            lines.append(f"{who[person]}: {text(change, lang)}")
            continue
        largest = max(change.lines, key=lambda line: abs(change.lines[line]))
        lines.append(text("notes.person", lang, who=who[person], change=headline(person, change, lang),
                          band=band_text(change, lang) or text("slide.source_central", lang),
                          part=text(f"person.part.{largest}", lang)))
    lines.append(text("notes.person_typical", lang))
    return text("notes.person_title", lang, name=slide_title) + "\n" + "\n".join(lines)


def person_slide(scenario: Scenario, result: engine.RunResult, bands: engine.UncertaintyBands | None,
                 view: PersonView, lang: str) -> PersonSlide:
    """The scenario's typical merchant and shopper (`view`), from its run and its Monte Carlo draws."""
    title = scenario.title(lang)
    who = describe(view, lang)
    found = changes(view, result.person, bands.person if bands else None)
    return PersonSlide(title, lang, result.years[-1], policy_items(scenario, lang), who, found,
                       source_text(lang, bands.draws if bands else None), person_notes(title, who, found, lang))


def person_html(slide: PersonSlide) -> str:
    """The person slide's body as escaped HTML: the policy card, the two persons side by side, what a
    typical person is."""
    esc = html.escape
    lang = slide.lang
    cards = "".join(card_html(who, slide.changes[who], lang, caption=slide.who[who]) for who in ("merchant", "shopper"))
    return (policy_html(slide.policy, lang) + f"<p class='takeaway' lang='{lang}'>{esc(text('person.slide_title', lang))}</p>"
            f"<div class='person-slide' lang='{lang}'>{cards}</div>"
            f"<p class='person-note' lang='{lang}'>{esc(text('notes.person_typical', lang))}</p>")


@lru_cache(maxsize=1)
def central_effects() -> dict[str, float]:
    """Each claim's effect under central parameters: its sign is the model's verdict on the claim."""
    data = default_data()
    return {cid: central_effect(claim, data) for cid, claim in data.claims.items()}


def deck_order(scenarios: int, extras: tuple[str, ...], person: bool = False) -> list[tuple[str, int]]:
    """The deck's slides as (kind, scenario number): each scenario's policy slide, its typical merchant
    and shopper (`person`), the optional slides of it that `extras` asks for, then the track record
    (not a scenario's: -1)."""
    order = []
    for which in range(scenarios):
        order.append(("policy", which))
        order += [("person", which)] if person else []
        order += [(extra, which) for extra in extras if extra != "track"]
    return order + ([("track", -1)] if "track" in extras else [])


def deck_slides(deck: list[Scenario], lang: str, uncertainty: bool = True, extras: tuple[str, ...] = (),
                path_bands: bool = True, person: PersonView | None = None) -> list[Slide | PersonSlide | ChartSlide]:
    """Every slide of deck_order, outside the app (exports): each policy slide quoting a different
    argument when it can; with `person` each followed by its typical merchant and shopper; the paths
    slides with their bands when `path_bands` (as on screen, where they follow the uncertainty toggle)."""
    data = default_data()
    effects = central_effects()
    used: set[str] = set()
    slides: list[Slide | PersonSlide | ChartSlide] = []
    runs = {}
    for kind, which in deck_order(len(deck), extras, person is not None):
        if kind == "track":
            slides.append(track_record_slide(track_record_result(), lang))
            continue
        scenario = deck[which]
        if which not in runs:
            runs[which] = (engine.run(scenario, data, attribute=True),
                           engine.monte_carlo(scenario, data) if uncertainty else None)
        result, bands = runs[which]
        if kind == "policy":
            slide = policy_slide(scenario, result, bands.final_changes if bands else None,
                                 bands.draws if bands else None, effects, lang, used)
            used.add(slide.claim_id or "")
            slides.append(slide)
        elif kind == "person":
            slides.append(person_slide(scenario, result, bands, person, lang))
        else:
            slides.append(extra_slide(kind, scenario, result, bands if path_bands else None, lang))
    return slides


def extra_slide(kind: str, scenario: Scenario, result: engine.RunResult, bands, lang: str) -> ChartSlide:
    """One scenario's optional slide: its paths (with the Monte Carlo `bands`, engine.monte_carlo's
    result, when given) or its ledger."""
    if kind == "paths":
        return paths_slide(scenario, result, bands.bands if bands else None, bands.draws if bands else None, lang)
    return ledger_slide(scenario, result, lang)


# ---- Optional slides (Present's "More slides"): the paths over time, the ledger, the track record ----

PATH_OUTCOMES = ("consumer.surplus", "sme.profit.marketplace", "sme.profit.private_domain", "concentration.hhi")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]   # None: no figure that year (a gap)
    color: str                   # "#RRGGBB"
    dashed: bool = False
    markers_only: bool = False   # reported figures: points, not a line


@dataclass(frozen=True)
class ChartData:
    """One chart's numbers, in the reader's units, for the exports' own charts (PowerPoint's native,
    editable ones and the PDF's drawn ones): lines or bars over categories (years or groups)."""

    title: str
    unit: str
    kind: str                    # "line" or "bar"
    categories: list[str]
    series: list[Series]
    bar_colors: list[str] | None = None  # a bar chart's bars, each its own colour


@dataclass
class ChartSlide:
    """An optional slide: a policy card, a takeaway from the numbers, charts (Plotly figures for the
    page and the HTML handout, ChartData for PowerPoint and the PDF), the source line and notes."""

    kind: str                    # one of EXTRA_SLIDES
    title: str
    lang: str
    year: int
    policy: list[tuple[str, str]]
    takeaway: str
    figures: list[dict]
    charts: list[ChartData]
    source: str
    notes: str
    caption: str = ""            # what the lines and shading are, where the charts carry no legend


def _chart_notes(title: str, policy: list[tuple[str, str]], lines: list[str], lang: str) -> str:
    return "\n".join([text("notes.policy", lang, name=title,
                            policy=text("takeaway.join", lang).join(f"{name} {value}" for name, value in policy)),
                       *lines])


def half_way_year(change: pd.Series) -> int:
    """The first year a path's gap from the status quo reaches half its final size, on the final side."""
    final = float(change.iloc[-1])
    return int(next(year for year, value in change.items() if value * final > 0 and abs(value) >= abs(final) / 2))


def paths_takeaway(title: str, result: engine.RunResult, lang: str) -> str:
    """Each charted outcome's final-year change as a signed number and the year half of it was
    reached: read off the paths, so it cannot disagree with them."""
    data = default_data()
    clauses = []
    for outcome in PATH_OUTCOMES:
        spec = data.outcomes[outcome]
        change = result.scenario_paths[outcome] - result.status_quo_paths[outcome]
        final, status_quo = float(change.iloc[-1]), float(result.status_quo_paths[outcome].iloc[-1])
        if unchanged(final, status_quo, spec.unit, lang):
            clauses.append(text("takeaway.path.flat", lang, outcome=label(spec.label, lang)))
        else:
            clauses.append(text("takeaway.path.moved", lang, outcome=label(spec.label, lang),
                                change=amount(final, spec.unit, lang, signed=True), half=half_way_year(change)))
    return text("takeaway.paths", lang, name=title, year=result.years[-1],
                clauses=text("takeaway.join", lang).join(clauses))


def paths_slide(scenario: Scenario, result: engine.RunResult, bands: pd.DataFrame | None, draws: int | None,
                lang: str) -> ChartSlide:
    """The headline outcomes year by year against the status quo, with the Monte Carlo P10–P90 band
    of each when `bands` (engine.monte_carlo's) is given."""
    data = default_data()
    title = scenario.title(lang)
    policy = policy_items(scenario, lang)
    sentence = paths_takeaway(title, result, lang)
    years = [str(y) for y in result.years]
    figures, charts = [], []
    for outcome in PATH_OUTCOMES:
        spec = data.outcomes[outcome]
        scale = display_scale(spec.unit, lang)
        figures.append(path_chart(outcome, result.scenario_paths, result.status_quo_paths, lang, bands))
        series = [Series(text("chart.status_quo", lang), (result.status_quo_paths[outcome] * scale).tolist(),
                         STATUS_QUO_COLOR, dashed=True),
                  Series(text("chart.scenario", lang), (result.scenario_paths[outcome] * scale).tolist(), SCENARIO_COLOR)]
        if bands is not None:
            mine = bands[(bands.outcome == outcome) & (bands.which == "scenario")].sort_values("year")
            series += [Series(f"{text('chart.scenario', lang)} {q.upper()}", (mine[q] * scale).tolist(), "#7A8FA6",
                              dashed=True) for q in ("p10", "p90")]
        charts.append(ChartData(label(spec.label, lang), named_unit(spec.unit, lang), "line", years, series))
    caption = text("notes.paths_bands" if bands is not None else "notes.paths_central", lang)
    return ChartSlide("paths", text("slide.paths_title", lang, name=title), lang, result.years[-1], policy, sentence,
                      figures, charts, source_text(lang, draws if bands is not None else None),
                      _chart_notes(title, policy, [sentence, caption], lang), caption)


def ledger_takeaway(title: str, ledger: pd.DataFrame, year: int, lang: str) -> str:
    """Who gains most and who loses most (the ledger's rows, the total apart) and the total, each
    with its signed number; "nobody" when no row moves by a shown amount."""
    rows = ledger[ledger.group != "total"].set_index("group")["change_rmb_bn"]
    parts = []
    for side, row in (("gain", rows.idxmax()), ("loss", rows.idxmin())):
        value = float(rows[row])
        moved = not unchanged(value, 1.0, "rmb_bn", lang) and (value > 0) == (side == "gain")
        parts.append(text(f"takeaway.ledger.{side}", lang, group=group_name(row, lang),
                          amount=amount(value, "rmb_bn", lang, signed=True)) if moved
                     else text(f"takeaway.ledger.no_{side}", lang))
    total = float(ledger.set_index("group").loc["total", "change_rmb_bn"])
    direction = "flat" if unchanged(total, 1.0, "rmb_bn", lang) else "up" if total > 0 else "down"
    parts.append(text(f"takeaway.welfare.total.{direction}", lang, amount=amount(abs(total), "rmb_bn", lang)))
    return text("takeaway.sentence", lang, name=title, year=year, clauses=text("takeaway.join", lang).join(parts))


def ledger_slide(scenario: Scenario, result: engine.RunResult, lang: str) -> ChartSlide:
    """Who gains and who loses in the final year (engine.ledger, central parameters)."""
    data = default_data()
    title, year = scenario.title(lang), result.years[-1]
    ledger = engine.ledger(result, data)
    policy = policy_items(scenario, lang)
    sentence = ledger_takeaway(title, ledger, year, lang)
    scale = display_scale("rmb_bn", lang)
    values = (ledger["change_rmb_bn"] * scale).tolist()
    chart = ChartData(text("chart.gains_title", lang), display_unit("rmb_bn", lang), "bar",
                      [group_name(g, lang) for g in ledger.group],
                      [Series(text("slide.ledger_series", lang, year=year), values, GAIN_COLOR)],
                      [GAIN_COLOR if v >= 0 else LOSS_COLOR for v in values])
    rate = f"{engine.discount_rate(result.scenario, data):.0%}"
    return ChartSlide("ledger", text("slide.ledger_title", lang, name=title), lang, year, policy, sentence,
                      [gains_chart(ledger, lang)], [chart], source_text(lang, None),
                      _chart_notes(title, policy, [sentence, text("explore.gains_note", lang, year=year, rate=rate)],
                                   lang))


def track_record_slide(result: backtest.Backtest, lang: str) -> ChartSlide:
    """The back-test (model.backtest.Backtest): the model calibrated through 2021 against the shares
    reported since, beside a naive random walk; its policy is the steps that happened."""
    data = default_data()
    scores = backtest.summary(result.rows)
    sentence = text("takeaway.track", lang, year=history.CALIBRATION_LAST_YEAR,
                    first=min(backtest.BACKTEST_YEARS), last=max(backtest.BACKTEST_YEARS), rows=len(result.rows),
                    coverage=f"{scores['coverage']:.0%}", expected=f"{1 - INTERVAL_ALPHA:.0%}",
                    naive=f"{scores['benchmark']['coverage']:.0%}",
                    error=number(scores["mean_abs_error_pp"], 1))
    paths = result.paths
    years = sorted(int(y) for y in set(paths["year"]))
    charts = []
    for platform in (p for p in data.platforms if p.id in set(paths["platform"])):
        mine = paths[paths["platform"] == platform.id]

        def column(forecast: str, quantile: str) -> list[float | None]:
            part = mine[mine["forecast"] == forecast].set_index("year")[quantile]
            return [round(100 * float(part[y]), 1) if y in part.index else None for y in years]

        charts.append(ChartData(label(platform.short, lang), text("unit.percent_gmv", lang), "line",
                                [str(y) for y in years], [
            Series(text("track.row_model", lang) + " P50", column("model", "p50"), platform.color),
            Series(text("track.row_model", lang) + " P10", column("model", "p10"), platform.color, dashed=True),
            Series(text("track.row_model", lang) + " P90", column("model", "p90"), platform.color, dashed=True),
            Series(text("track.legend_benchmark", lang), column("benchmark", "p50"), BENCHMARK_COLOR, dashed=True),
            Series(text("track.col_reported", lang), column("reported", "p50"), "#1A1A1A", markers_only=True)]))
    policy = policy_items(result.scenario, lang)
    title = text("track.title", lang)
    source = text("slide.source_track", lang, version=MODEL_VERSION, year=history.CALIBRATION_LAST_YEAR,
                  draws=data.baseline.uncertainty.draws, seed=data.baseline.uncertainty.seed)
    lines = [sentence, track_record.verdict(result, lang), track_record.summary_text(result, lang),
             *track_record.lessons(result, lang, data)]
    return ChartSlide("track", title, lang, max(years), policy, sentence, [track_record_chart(paths, lang, columns=4)],
                      charts, source, _chart_notes(result.scenario.title(lang), policy, lines, lang))


def slide_position(slide: ChartSlide, number: int, total: int) -> str:
    """"Slide 2 of 5 · effects in 2030 against the status quo"; the track record, which is no
    scenario's effect, gets the position alone."""
    if slide.kind == "track":
        return text("present.position_only", slide.lang, number=number, total=total)
    return text("present.position", slide.lang, number=number, total=total, year=slide.year)


def chart_slide_html(slide: ChartSlide) -> str:
    """An optional slide's text as escaped HTML (its charts are drawn under it): policy card, takeaway
    and what the charts' lines are."""
    caption = f"<p class='chart-caption' lang='{slide.lang}'>{html.escape(slide.caption)}</p>" if slide.caption else ""
    return (policy_html(slide.policy, slide.lang)
            + f"<p class='takeaway' lang='{slide.lang}'>{html.escape(slide.takeaway)}</p>" + caption)


def policy_html(policy: list[tuple[str, str]], lang: str) -> str:
    """The policy card: every lever's setting and the horizon, as escaped HTML."""
    esc = html.escape
    items = "".join(f"<span class='policy-item'><span class='policy-lever'>{esc(name)}</span> "
                    f"<span class='policy-value'>{esc(value)}</span></span>" for name, value in policy)
    return (f"<div class='policy-card' lang='{lang}' aria-label='{esc(text('slide.policy', lang))}'>"
            f"<span class='policy-head'>{esc(text('slide.policy', lang))}</span>{items}</div>")


# At 1280×720: the text column's width and, per text, its type size and the gap between policy items
# (px, as SLIDE_CSS sets them), and the mean advance of a Latin character in the page's sans-serif
# (ems; a CJK character takes one em).
SLIDE_TEXT_WIDTH = 1205
POLICY_FONT, POLICY_GAP, TAKEAWAY_FONT, LATIN_EM = 15.2, 14.4, 18.4, 0.44


def text_width(text_: str, font_px: float) -> float:
    """The estimated width of a line of `text_` in a sans-serif of `font_px` (px, or pt for pt)."""
    return font_px * sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else LATIN_EM for ch in text_)


def extra_lines(slide: Slide) -> int:
    """How many lines the policy card and the takeaway take at 1280×720 beyond one and two: an
    estimate from their characters (the slide keeps a line to spare for its error)."""
    policy = text_width(text("slide.policy", slide.lang) + "".join(f"{n} {v}" for n, v in slide.policy),
                         POLICY_FONT) + POLICY_GAP * len(slide.policy)
    return (max(0, math.ceil(policy / SLIDE_TEXT_WIDTH) - 1)
            + max(0, math.ceil(text_width(slide.takeaway, TAKEAWAY_FONT) / SLIDE_TEXT_WIDTH) - 2))


def body_html(slide: Slide) -> str:
    """The slide's text as escaped HTML (the chart is drawn beside it): the policy card, the takeaway,
    the numbers with their bands, the quote and the source line."""
    esc = html.escape
    lang = slide.lang
    cards = "".join(
        f"<div class='slide-metric tone-{m.tone}'><div class='m-label'>{esc(m.label)}</div>"
        f"<div class='m-value'>{esc(m.value)} <span class='m-change'>{esc(m.arrow)} {esc(m.change)}</span></div>"
        + (f"<div class='m-band'>{esc(m.band)}</div>" if m.band else "") + "</div>" for m in slide.metrics)
    return (policy_html(slide.policy, lang) + f"<p class='takeaway' lang='{lang}'>{esc(slide.takeaway)}</p>"
            f"<div class='slide-metrics' lang='{lang}'>{cards}</div>")


def quote_html(slide: Slide) -> str:
    esc = html.escape
    quote = slide.quote
    if quote is None:
        return ""
    return (f"<div class='slide-quote' lang='{slide.lang}'>"
            f"<p class='verdict {'agrees' if quote.agrees else 'disagrees'}'>{esc(quote.verdict)}</p>"
            f"<p class='claim-statement'>{esc(quote.statement)}</p>"
            f"<blockquote class='passage'><p>{esc(quote.words)}</p><footer>{esc(quote.source)} · "
            f"{esc(quote.arguments)}</footer></blockquote></div>")


def source_html(slide: Slide) -> str:
    return f"<p class='slide-source' lang='{slide.lang}'>{html.escape(slide.source)}</p>"


SLIDE_CSS = """
.policy-card {display: flex; flex-wrap: wrap; gap: .15rem .9rem; align-items: baseline; font-size: .95rem;
  background: #F2F5F8; border-left: 4px solid #1B3A5C; padding: .2rem .6rem; margin: 0;}
.policy-head {font-weight: 700; color: #1B3A5C;}
.policy-lever {color: #333;}
.policy-value {font-weight: 700;}
.takeaway {font-size: 1.15rem; font-weight: 600; line-height: 1.3; margin: .2rem 0;}
.slide-metrics {display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: .3rem;}
.slide-metric {border: 1px solid #ccc; border-radius: .4rem; padding: .15rem .5rem; line-height: 1.25;}
.m-label {font-size: .9rem; color: #333;}
.m-value {font-size: 1.3rem; font-weight: 600;}
.m-change {font-size: .95rem; font-weight: 600;}
.tone-good .m-change {color: #0B6E2E;} .tone-bad .m-change {color: #A3161B;}
.tone-flat .m-change, .tone-none .m-change {color: #555;}
.m-band {font-size: .8rem; color: #444;}
.slide-quote .verdict {font-size: .9rem; margin: 0 0 .2rem; font-weight: 600;}
.slide-quote .verdict.agrees {color: #0B6E2E;} .slide-quote .verdict.disagrees {color: #A3161B;}
.slide-quote .claim-statement {font-size: 1.05rem; font-weight: 600; margin: 0 0 .2rem;}
.slide-quote .passage {font-size: .92rem; line-height: 1.35; margin: 0;}
.slide-source {font-size: .75rem; color: #555; margin: 0;}
.chart-caption {font-size: .85rem; color: #444; margin: 0;}
.person-slide {display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: .8rem;}
.person-note {font-size: .85rem; color: #444; margin: .2rem 0;}
""" + PERSON_CSS + """
.person-slide .person-card .person-total {font-size: 1.8rem;}
.person-slide .person-card .person-who, .person-slide .person-card .person-band {font-size: 1.1rem;}
.person-slide .person-card .person-parts {font-size: 1.15rem;}
"""
