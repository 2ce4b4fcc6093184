"""The self-contained HTML report and the CSV of all outcome paths for compared scenarios.

The report embeds plotly.js once, so it opens offline. It starts with the scenarios side by side,
then one section per scenario: its definition, headline outcomes against the status quo, key
charts, attribution, warnings, assumptions that differ from central values and the arguments
behind the levers it moves; the date and the model version. Everything is in the reader's
language and units, and every text that came from a file or a user is escaped.
"""
from __future__ import annotations

import datetime
import html
from functools import lru_cache

import pandas as pd
import plotly.io as pio

from model import MODEL_VERSION, backtest, engine
from model.claims import claims_behind
from model.data import default_data
from model.export import to_csv
from model.scenario import Scenario
from model.scores import INTERVAL_ALPHA
from reports import track_record

from . import charts
from .i18n import amount, display_scale, display_unit, label, lever_value_text, source_line, text, warning_text


def csv_bytes(frame: pd.DataFrame, index: bool = False) -> bytes:
    """A spreadsheet-safe CSV (no cell starts a formula) that spreadsheet programs open as UTF-8
    (with a byte-order mark), so Chinese survives."""
    return to_csv(frame, index=index).encode("utf-8-sig")


def paths_csv(scenarios: list[Scenario], lang: str) -> bytes:
    """Every outcome's yearly path for each scenario and its status quo, one row per year and
    outcome, with headers, names and units in the reader's language and values in the units shown
    on screen (shares in %, RMB bn as 亿元 in Chinese)."""
    data = default_data()
    frames = []
    for scenario in scenarios:
        result = engine.run(scenario, data)
        for which, paths in (("chart.scenario", result.scenario_paths), ("chart.status_quo", result.status_quo_paths)):
            long = paths.reset_index().melt(id_vars="year", var_name="outcome", value_name="value")
            long.insert(0, "series", text(which, lang))
            long.insert(0, "scenario", scenario.title(lang))
            frames.append(long)
    frame = pd.concat(frames, ignore_index=True)
    units = frame["outcome"].map(lambda o: data.outcomes[o].unit)
    frame["value"] = frame["value"] * units.map(lambda u: display_scale(u, lang))
    frame["unit"] = units.map(lambda u: display_unit(u, lang))
    frame.insert(frame.columns.get_loc("outcome"), "id", frame["outcome"])
    frame["outcome"] = frame["outcome"].map(lambda o: label(data.outcomes[o].label, lang))
    frame.columns = [text(f"csv.{column}", lang) for column in frame.columns]
    return csv_bytes(frame)


def html_table(frame: pd.DataFrame, index: bool = True) -> str:
    """A table as escaped HTML: its cells wrap instead of being cut off, and nothing in them is rendered."""
    return frame.to_html(border=0, classes="data", escape=True, index=index)


def _chart(figure: dict, include_js) -> str:
    return pio.to_html(figure, full_html=False, include_plotlyjs=include_js, config=charts.PLOTLY_CONFIG,
                       validate=False, default_width="100%")


def comparison_table(scenarios: list[Scenario], lang: str) -> pd.DataFrame:
    """Headline outcomes in the final year, the status quo then each scenario with its change."""
    data = default_data()
    headline = [o.id for o in data.outcomes.values() if o.headline]
    finals = [engine.run(s, data).final for s in scenarios]
    table = pd.DataFrame(index=[label(data.outcomes[o].label, lang) for o in headline])
    table[text("chart.status_quo", lang)] = [amount(finals[0].loc[o, "status_quo"], data.outcomes[o].unit, lang)
                                            for o in headline]
    for scenario, final in zip(scenarios, finals):
        table[scenario.title(lang)] = [
            f"{amount(final.loc[o, 'value'], data.outcomes[o].unit, lang)} "
            f"({amount(final.loc[o, 'change'], data.outcomes[o].unit, lang, signed=True)})" for o in headline]
    return table


def _definition(scenario: Scenario, lang: str) -> list[str]:
    data = default_data()
    parts = [f"<section><h2>{html.escape(scenario.title(lang))}</h2>"]
    if scenario.summary(lang):
        parts.append(f"<p>{html.escape(scenario.summary(lang))}</p>")
    levers = {label(data.levers[k].label, lang): lever_value_text(k, v, lang) for k, v in scenario.levers.items()}
    levers[text("sidebar.horizon", lang)] = str(scenario.horizon)
    return parts + [html_table(pd.DataFrame({text("report.setting", lang): levers}))]


def _headline(result: engine.RunResult, spread: pd.DataFrame, lang: str) -> str:
    """Headline outcomes: scenario, status quo, change and the change's P10–P90 over the parameters."""
    data = default_data()
    final, headline = result.final, [o.id for o in data.outcomes.values() if o.headline]

    def band(o: str) -> str:
        low, high = spread[o].quantile([0.1, 0.9])
        unit = data.outcomes[o].unit
        return text("report.band", lang, low=amount(low, unit, lang, signed=True), high=amount(high, unit, lang, signed=True))

    rows = pd.DataFrame({
        text("report.outcome", lang): [label(data.outcomes[o].label, lang) for o in headline],
        text("chart.scenario", lang): [amount(final.loc[o, "value"], data.outcomes[o].unit, lang) for o in headline],
        text("chart.status_quo", lang): [amount(final.loc[o, "status_quo"], data.outcomes[o].unit, lang) for o in headline],
        text("report.change", lang): [amount(final.loc[o, "change"], data.outcomes[o].unit, lang, signed=True)
                                     for o in headline],
        text("report.change_band", lang): [band(o) for o in headline]})
    return f"<h3>{html.escape(text('report.headline', lang, year=result.years[-1]))}</h3>" + html_table(rows, index=False)


def _warnings_and_assumptions(scenario: Scenario, result: engine.RunResult, lang: str) -> list[str]:
    data = default_data()
    esc, parts = html.escape, []
    found = engine.warnings(result, data)
    if found:
        parts.append(f"<h3>{esc(text('report.warnings', lang))}</h3><ul>")
        parts += [f"<li>{esc(warning_text(warning, lang))}</li>" for warning in found] + ["</ul>"]
    changed = {pid: v for pid, v in scenario.assumptions.items() if v != data.parameters[pid].central}
    if changed:
        table = pd.DataFrame({text("table.value", lang): [f"{v:g}" for v in changed.values()],
                              text("table.central", lang): [f"{data.parameters[p].central:g}" for p in changed],
                              text("table.unit", lang): [label(data.parameters[p].unit, lang) for p in changed]},
                             index=[label(data.parameters[p].label, lang) for p in changed])
        parts.append(f"<h3>{esc(text('report.assumptions', lang))}</h3>" + html_table(table))
    return parts


def _attribution(result: engine.RunResult, lang: str) -> str:
    data = default_data()
    shapley, headline = result.attribution.contributions, [o.id for o in data.outcomes.values() if o.headline]
    attribution = pd.DataFrame(
        {label(data.levers[lever].label, lang): [amount(shapley.loc[o, lever], data.outcomes[o].unit, lang, signed=True)
                                                 for o in headline] for lever in shapley.columns},
        index=[label(data.outcomes[o].label, lang) for o in headline])
    return f"<h3>{html.escape(text('report.attribution', lang))}</h3>" + html_table(attribution)


def _arguments(scenario: Scenario, lang: str) -> list[str]:
    """The arguments for levers this scenario moves, about the headline outcomes."""
    data = default_data()
    esc = html.escape
    movers = [lever for lever in data.levers if scenario.levers[lever] != data.status_quo_levers[lever]]
    quotes = []
    for outcome in (o.id for o in data.outcomes.values() if o.headline):
        quotes += [c for c in claims_behind(outcome, movers, data) if c.outcome == outcome and c not in quotes]
    if not quotes:
        return []
    parts = [f"<h3>{esc(text('report.sources', lang))}</h3>"]
    for claim in quotes[:3]:
        passage = data.passages[claim.passages[0]]
        english = "" if lang == "zh" else f"<p lang='en'><i>{esc(passage.en)}</i></p>"
        parts.append(f"<blockquote><p><b>{esc(label(claim.statement, lang))}</b></p><p lang='zh'>{esc(passage.zh)}</p>"
                     f"{english}<footer>{esc(source_line(passage, lang))} ({esc(', '.join(claim.arguments))})</footer>"
                     "</blockquote>")
    return parts


REPORT_STYLE = ("body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:1100px;margin:2em auto;"
                "padding:0 1em;color:#1a1a1a;line-height:1.5}table.data{border-collapse:collapse;margin:1em 0;"
                "max-width:100%}table.data td,table.data th{border-bottom:1px solid #ddd;padding:4px 10px;"
                "text-align:right}table.data th{text-align:left}"
                "blockquote{border-left:4px solid #1B3A5C;margin:1em 0;padding:0 1em;background:#F2F5F8}"
                ".meta{color:#555}.plotly-graph-div{max-width:100%}"
                "@media print{section{break-before:page}.modebar{display:none!important}}")


@lru_cache(maxsize=1)
def track_record_result() -> backtest.Backtest:
    """The back-test at the default draws: the same for every visitor, computed once per process."""
    return backtest.backtest(default_data())


def track_record_scores(result: backtest.Backtest, lang: str) -> pd.DataFrame:
    """The summary scores, the model beside the naive random walk."""
    figures = backtest.summary(result.rows)
    rows = [(text("track.row_model", lang), figures), (text("track.legend_benchmark", lang), figures["benchmark"])]
    return pd.DataFrame({
        text("track.col_forecast", lang): [name for name, _ in rows],
        text("track.col_crps", lang): [f"{values['crps']:.2f}" for _, values in rows],
        text("track.col_interval", lang): [f"{values['interval_score']:.1f}" for _, values in rows],
        text("track.col_coverage", lang, expected=f"{1 - INTERVAL_ALPHA:.0%}"): [f"{values['coverage']:.0%}"
                                                                              for _, values in rows]})


def _track_record_section(lang: str, include_js) -> str:
    """The model against what was reported since 2021, beside the naive random walk: the verdict,
    the scores, the paths with bands and what the model got wrong."""
    esc = html.escape
    result = track_record_result()
    parts = [f"<section><h2>{esc(text('track.title', lang))}</h2>",
             f"<p class='meta'>{esc(text('track.caption', lang, year=backtest.history.CALIBRATION_LAST_YEAR))}</p>",
             f"<p><b>{esc(track_record.verdict(result, lang))}</b></p>",
             html_table(track_record_scores(result, lang), index=False),
             f"<p>{esc(track_record.summary_text(result, lang))}</p>",
             _chart(charts.track_record_chart(result.paths, lang), include_js),
             f"<h3>{esc(text('track.wrong_title', lang))}</h3><ul>"]
    parts += [f"<li>{esc(item)}</li>" for item in track_record.lessons(result, lang)]
    return "\n".join(parts + ["</ul></section>"])


def html_report(scenarios: list[Scenario], lang: str, today: datetime.date | None = None) -> str:
    """The report: the scenarios side by side, then each one's definition, headline outcomes with
    their P10–P90, warnings, charts, attribution, changed assumptions and arguments."""
    data = default_data()
    esc = html.escape
    today = today or datetime.date.today()
    parts = [f"<h1>{esc(text('report.title', lang))}</h1>",
             f"<p class='meta'>{esc(text('report.meta', lang, date=today.isoformat(), version=MODEL_VERSION))}</p>",
             f"<h2>{esc(text('report.comparison', lang))}</h2>", html_table(comparison_table(scenarios, lang)),
             f"<p class='meta'>{esc(text('report.comparison_note', lang))}</p>"]
    include_js = "inline"
    for scenario in scenarios:
        result = engine.run(scenario, data, attribute=True)
        bands = engine.monte_carlo(scenario, data)
        parts += _definition(scenario, lang) + [_headline(result, bands.final_changes, lang)]
        parts.append(f"<p class='meta'>{esc(text('slide.source_draws', lang, draws=bands.draws, seed=bands.seed))}</p>")
        parts += _warnings_and_assumptions(scenario, result, lang)
        final = result.final
        for figure in (charts.shares_chart(final["value"], final["status_quo"], lang, result.years[-1]),
                       charts.path_chart("concentration.hhi", result.scenario_paths, result.status_quo_paths, lang,
                                         bands.bands),
                       charts.waterfall_chart(result.attribution.contributions.loc["concentration.hhi"],
                                              "concentration.hhi", lang)):
            parts.append(_chart(figure, include_js))
            include_js = False
        parts += [_attribution(result, lang), *_arguments(scenario, lang), "</section>"]
    parts.append(_track_record_section(lang, include_js))
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>{esc(text('report.title', lang))}</title><style>{REPORT_STYLE}</style></head><body>"
            + "\n".join(parts) + "</body></html>")
