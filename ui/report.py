"""The self-contained HTML report and the CSV of all outcome paths for compared scenarios.

The report embeds plotly.js once, so it opens offline; it holds the scenario definitions, headline
outcomes against the status quo, key charts, attribution, warnings, assumptions that differ from
central values, the quoted sources, the date and the model version.
"""
from __future__ import annotations

import datetime
import html

import pandas as pd

from model import MODEL_VERSION, engine
from model.claims import claims_behind
from model.data import default_data
from model.export import to_csv
from model.scenario import Scenario

from . import charts
from .i18n import amount, label, lever_value_text, source_line, text, warning_text


def paths_csv(scenarios: list[Scenario]) -> str:
    """Every outcome's yearly path for each scenario and its status quo, one row per year and outcome."""
    data = default_data()
    frames = []
    for scenario in scenarios:
        result = engine.run(scenario, data)
        for which, paths in (("scenario", result.scenario_paths), ("status_quo", result.status_quo_paths)):
            long = paths.reset_index().melt(id_vars="year", var_name="outcome", value_name="value")
            long.insert(0, "series", which)
            long.insert(0, "scenario", scenario.name)
            frames.append(long)
    frame = pd.concat(frames, ignore_index=True)
    frame["unit"] = frame["outcome"].map(lambda o: data.outcomes[o].unit)
    return to_csv(frame, index=False)


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(border=0, classes="data", escape=True)


def html_report(scenarios: list[Scenario], lang: str, today: datetime.date | None = None) -> str:
    data = default_data()
    today = today or datetime.date.today()
    esc = html.escape
    parts = [f"<h1>{esc(text('report.title', lang))}</h1>",
             f"<p class='meta'>{esc(text('report.meta', lang, date=today.isoformat(), version=MODEL_VERSION))}</p>"]
    include_js = "inline"
    headline = [o.id for o in data.outcomes.values() if o.headline]
    for scenario in scenarios:
        result = engine.run(scenario, data)
        final = result.final
        shapley = engine.attribution(scenario, data)
        parts.append(f"<h2>{esc(scenario.name)}</h2>")
        if scenario.description:
            parts.append(f"<p>{esc(scenario.description)}</p>")
        levers = {label(data.levers[k].label, lang): lever_value_text(k, v, lang) for k, v in scenario.levers.items()}
        levers[text("sidebar.horizon", lang)] = str(scenario.horizon)
        parts.append(_table(pd.DataFrame({text("report.setting", lang): levers})))
        rows = pd.DataFrame({
            text("report.outcome", lang): [label(data.outcomes[o].label, lang) for o in headline],
            text("chart.scenario", lang): [amount(final.loc[o, "value"], data.outcomes[o].unit, lang) for o in headline],
            text("chart.status_quo", lang): [amount(final.loc[o, "status_quo"], data.outcomes[o].unit, lang)
                                            for o in headline],
            text("report.change", lang): [amount(final.loc[o, "change"], data.outcomes[o].unit, lang, signed=True)
                                         for o in headline]})
        parts.append(f"<h3>{esc(text('report.headline', lang, year=result.years[-1]))}</h3>"
                     + rows.to_html(index=False, border=0, classes="data"))
        found = engine.warnings(result, data)
        if found:
            parts.append(f"<h3>{esc(text('report.warnings', lang))}</h3><ul>")
            parts += [f"<li>{esc(warning_text(warning, lang))}</li>" for warning in found]
            parts.append("</ul>")
        for fig in (charts.shares_chart(final["value"], final["status_quo"], lang, result.years[-1]),
                    charts.path_chart("concentration.hhi", result.scenario_paths, result.status_quo_paths, lang),
                    charts.waterfall_chart(shapley.loc["concentration.hhi"], "concentration.hhi", lang)):
            parts.append(fig.to_html(full_html=False, include_plotlyjs=include_js, config=charts.PLOTLY_CONFIG))
            include_js = False
        attribution = shapley.loc[headline].copy()
        attribution.index = [label(data.outcomes[o].label, lang) for o in headline]
        attribution.columns = [label(data.levers[c].label, lang) for c in attribution.columns]
        parts.append(f"<h3>{esc(text('report.attribution', lang))}</h3>" + _table(attribution.round(4)))
        changed = {pid: v for pid, v in scenario.assumptions.items() if v != data.parameters[pid].central}
        if changed:
            table = pd.DataFrame({text("table.value", lang): changed,
                                  text("table.central", lang): {p: data.parameters[p].central for p in changed}})
            table.index = [label(data.parameters[p].label, lang) for p in changed]
            parts.append(f"<h3>{esc(text('report.assumptions', lang))}</h3>" + _table(table))
        movers = list(shapley.loc["concentration.hhi"].abs().sort_values(ascending=False).index)
        quotes = claims_behind("concentration.hhi", movers, data)[:3]
        if quotes:
            parts.append(f"<h3>{esc(text('report.sources', lang))}</h3>")
            for claim in quotes:
                for pid in claim.passages[:1]:
                    passage = data.passages[pid]
                    parts.append(f"<blockquote><p><b>{esc(label(claim.statement, lang))}</b></p>"
                                 f"<p lang='zh'>{esc(passage.zh)}</p><p><i>{esc(passage.en)}</i></p>"
                                 f"<footer>{esc(source_line(passage, lang))} "
                                 f"({esc(', '.join(claim.arguments))})</footer></blockquote>")
    style = ("body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:1100px;margin:2em auto;"
             "color:#1a1a1a;line-height:1.5}table.data{border-collapse:collapse;margin:1em 0}"
             "table.data td,table.data th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}"
             "blockquote{border-left:4px solid #1B3A5C;margin:1em 0;padding:0 1em;background:#F2F5F8}"
             ".meta{color:#555}")
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<title>{esc(text('report.title', lang))}</title><style>{style}</style></head><body>"
            + "\n".join(parts) + "</body></html>")
