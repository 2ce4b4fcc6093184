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


def slide_quote(scenario: Scenario):
    """The one argument a slide quotes: about a headline outcome and a lever the scenario moves."""
    data = default_data()
    movers = [lever for lever in data.levers if scenario.levers[lever] != data.status_quo_levers[lever]]
    return next((claim for outcome in data.outcomes.values() if outcome.headline
                 for claim in claims_behind(outcome.id, movers, data) if claim.outcome == outcome.id), None)


def handout_html(deck: list[Scenario], lang: str) -> str:
    """The presentation's slides as one printable page each (landscape): title, headline numbers,
    the shares chart and the quoted argument with its source."""
    data = default_data()
    esc = html.escape
    pages = []
    include_js = "inline"
    for number, scenario in enumerate(deck, start=1):
        result = engine.run(scenario, data)
        final = result.final
        year = result.years[-1]
        cells = "".join(
            f"<div class='metric'><div class='label'>{esc(label(o.label, lang))}</div>"
            f"<div class='value'>{esc(amount(final.loc[o.id, 'value'], o.unit, lang))}</div>"
            f"<div class='change'>{esc(amount(final.loc[o.id, 'change'], o.unit, lang, signed=True))}</div></div>"
            for o in data.outcomes.values() if o.headline)
        figure = charts.for_projection(charts.shares_chart(final["value"], final["status_quo"], lang, year), 330)
        quote = slide_quote(scenario)
        quoted = ""
        if quote is not None:
            passage = data.passages[quote.passages[0]]
            words = passage.zh if lang == "zh" else passage.en
            quoted = (f"<p class='claim'>{esc(label(quote.statement, lang))}</p>"
                      f"<blockquote lang='{'zh' if lang == 'zh' else 'en'}'>{esc(words)}"
                      f"<footer>{esc(source_line(passage, lang))}</footer></blockquote>")
        pages.append(f"<section class='slide'><h1>{esc(scenario.title(lang))}</h1><p class='meta'>"
                     f"{esc(text('present.position', lang, number=number, total=len(deck), year=year))}</p>"
                     f"<div class='metrics'>{cells}</div><div class='body'><div class='chart'>"
                     f"{_chart(figure, include_js)}</div><div class='quote'>{quoted}</div></div></section>")
        include_js = False
    style = ("@page{size:A4 landscape;margin:10mm}body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;"
             "margin:0;color:#1a1a1a}.slide{break-after:page;padding:12px 20px;max-width:1280px;margin:auto}"
             "h1{font-size:28px;margin:0}.meta{color:#555;margin:2px 0 8px}"
             ".metrics{display:grid;grid-template-columns:repeat(4,1fr);gap:6px}"
             ".metric{border:1px solid #ccc;border-radius:6px;padding:4px 8px}.label{font-size:14px}"
             ".value{font-size:22px}.change{font-size:14px;color:#444}.body{display:flex;gap:16px;margin-top:8px}"
             ".chart{flex:3;min-width:0}.quote{flex:2}.claim{font-weight:600}"
             "blockquote{border-left:4px solid #1B3A5C;margin:0;padding:4px 12px;background:#F2F5F8}"
             "footer{color:#555;font-size:13px;margin-top:4px}.modebar{display:none!important}")
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<title>{esc(text('present.handout_title', lang))}</title><style>{style}</style></head><body>"
            + "\n".join(pages) + "</body></html>")


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
    data = default_data()
    today = today or datetime.date.today()
    esc = html.escape
    parts = [f"<h1>{esc(text('report.title', lang))}</h1>",
             f"<p class='meta'>{esc(text('report.meta', lang, date=today.isoformat(), version=MODEL_VERSION))}</p>",
             f"<h2>{esc(text('report.comparison', lang))}</h2>", html_table(comparison_table(scenarios, lang)),
             f"<p class='meta'>{esc(text('report.comparison_note', lang))}</p>"]
    include_js = "inline"
    headline = [o.id for o in data.outcomes.values() if o.headline]
    for scenario in scenarios:
        result = engine.run(scenario, data, attribute=True)
        final = result.final
        shapley = result.attribution.contributions
        parts.append(f"<section><h2>{esc(scenario.title(lang))}</h2>")
        if scenario.summary(lang):
            parts.append(f"<p>{esc(scenario.summary(lang))}</p>")
        levers = {label(data.levers[k].label, lang): lever_value_text(k, v, lang) for k, v in scenario.levers.items()}
        levers[text("sidebar.horizon", lang)] = str(scenario.horizon)
        parts.append(html_table(pd.DataFrame({text("report.setting", lang): levers})))
        rows = pd.DataFrame({
            text("report.outcome", lang): [label(data.outcomes[o].label, lang) for o in headline],
            text("chart.scenario", lang): [amount(final.loc[o, "value"], data.outcomes[o].unit, lang) for o in headline],
            text("chart.status_quo", lang): [amount(final.loc[o, "status_quo"], data.outcomes[o].unit, lang)
                                            for o in headline],
            text("report.change", lang): [amount(final.loc[o, "change"], data.outcomes[o].unit, lang, signed=True)
                                         for o in headline]})
        parts.append(f"<h3>{esc(text('report.headline', lang, year=result.years[-1]))}</h3>" + html_table(rows, index=False))
        found = engine.warnings(result, data)
        if found:
            parts.append(f"<h3>{esc(text('report.warnings', lang))}</h3><ul>")
            parts += [f"<li>{esc(warning_text(warning, lang))}</li>" for warning in found]
            parts.append("</ul>")
        for figure in (charts.shares_chart(final["value"], final["status_quo"], lang, result.years[-1]),
                       charts.path_chart("concentration.hhi", result.scenario_paths, result.status_quo_paths, lang),
                       charts.waterfall_chart(shapley.loc["concentration.hhi"], "concentration.hhi", lang)):
            parts.append(_chart(figure, include_js))
            include_js = False
        attribution = pd.DataFrame(
            {label(data.levers[lever].label, lang): [amount(shapley.loc[o, lever], data.outcomes[o].unit, lang,
                                                            signed=True) for o in headline]
             for lever in shapley.columns}, index=[label(data.outcomes[o].label, lang) for o in headline])
        parts.append(f"<h3>{esc(text('report.attribution', lang))}</h3>" + html_table(attribution))
        changed = {pid: v for pid, v in scenario.assumptions.items() if v != data.parameters[pid].central}
        if changed:
            table = pd.DataFrame({text("table.value", lang): [f"{v:g}" for v in changed.values()],
                                  text("table.central", lang): [f"{data.parameters[p].central:g}" for p in changed],
                                  text("table.unit", lang): [label(data.parameters[p].unit, lang) for p in changed]},
                                 index=[label(data.parameters[p].label, lang) for p in changed])
            parts.append(f"<h3>{esc(text('report.assumptions', lang))}</h3>" + html_table(table))
        # Arguments only for levers this scenario moves, about the outcomes in the table above.
        movers = [lever for lever in data.levers if scenario.levers[lever] != data.status_quo_levers[lever]]
        quotes = []
        for outcome in headline:
            quotes += [c for c in claims_behind(outcome, movers, data) if c.outcome == outcome and c not in quotes]
        if quotes:
            parts.append(f"<h3>{esc(text('report.sources', lang))}</h3>")
            for claim in quotes[:3]:
                passage = data.passages[claim.passages[0]]
                english = "" if lang == "zh" else f"<p lang='en'><i>{esc(passage.en)}</i></p>"
                parts.append(f"<blockquote><p><b>{esc(label(claim.statement, lang))}</b></p>"
                             f"<p lang='zh'>{esc(passage.zh)}</p>{english}"
                             f"<footer>{esc(source_line(passage, lang))} "
                             f"({esc(', '.join(claim.arguments))})</footer></blockquote>")
        parts.append("</section>")
    parts.append(_track_record_section(lang, include_js))
    style = ("body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:1100px;margin:2em auto;"
             "padding:0 1em;color:#1a1a1a;line-height:1.5}table.data{border-collapse:collapse;margin:1em 0;"
             "max-width:100%}table.data td,table.data th{border-bottom:1px solid #ddd;padding:4px 10px;"
             "text-align:right}table.data th{text-align:left}"
             "blockquote{border-left:4px solid #1B3A5C;margin:1em 0;padding:0 1em;background:#F2F5F8}"
             ".meta{color:#555}.plotly-graph-div{max-width:100%}"
             "@media print{section{break-before:page}.modebar{display:none!important}}")
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>{esc(text('report.title', lang))}</title><style>{style}</style></head><body>"
            + "\n".join(parts) + "</body></html>")
