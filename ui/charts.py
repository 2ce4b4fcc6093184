"""Plotly figures. Each platform and lever keeps its colour from data/ everywhere; every axis
carries its unit; type is large enough for a projector."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from model.data import default_data

from .i18n import label, text

STATUS_QUO_COLOR = "#8C8C8C"
SCENARIO_COLOR = "#1B3A5C"
FONT_SIZE = 15
HEIGHT = 360
GAIN_COLOR, LOSS_COLOR = "#009E73", "#D55E00"  # Okabe–Ito green and vermillion
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def _layout(fig: go.Figure, title: str, y_title: str, x_title: str = "", height: int = HEIGHT) -> go.Figure:
    fig.update_layout(title={"text": title, "font": {"size": FONT_SIZE + 3}}, font={"size": FONT_SIZE},
                      height=height, margin={"l": 10, "r": 10, "t": 60, "b": 10},
                      legend={"orientation": "h", "y": -0.18}, hovermode="x unified")
    fig.update_yaxes(title_text=y_title)
    fig.update_xaxes(title_text=x_title)
    return fig


def unit_title(outcome: str, lang: str) -> str:
    data = default_data()
    return label(data.units[data.outcomes[outcome].unit], lang)


def _scale(outcome: str) -> float:
    return 100.0 if default_data().outcomes[outcome].unit == "share" else 1.0


def path_chart(outcome: str, scenario: pd.DataFrame, status_quo: pd.DataFrame, lang: str,
               bands: pd.DataFrame | None = None, title: str | None = None) -> go.Figure:
    """Status quo (grey, dashed) and scenario (dark) paths of one outcome, with the model's reference
    lines for it and, if given, the Monte Carlo P10–P90 band of each."""
    data = default_data()
    spec = data.outcomes[outcome]
    scale = _scale(outcome)
    fig = go.Figure()
    names = {"status_quo": text("chart.status_quo", lang), "scenario": text("chart.scenario", lang)}
    colors = {"status_quo": STATUS_QUO_COLOR, "scenario": SCENARIO_COLOR}
    if bands is not None:
        for which in ("status_quo", "scenario"):
            band = bands[(bands.outcome == outcome) & (bands.which == which)]
            fig.add_trace(go.Scatter(x=list(band.year) + list(band.year[::-1]),
                                     y=list(band.p90 * scale) + list(band.p10[::-1] * scale), fill="toself",
                                     fillcolor=colors[which], opacity=0.18, line={"width": 0}, hoverinfo="skip",
                                     name=text("chart.band", lang, series=names[which])))
    fig.add_trace(go.Scatter(x=status_quo.index, y=status_quo[outcome] * scale, name=names["status_quo"],
                             line={"color": STATUS_QUO_COLOR, "dash": "dash", "width": 3}))
    fig.add_trace(go.Scatter(x=scenario.index, y=scenario[outcome] * scale, name=names["scenario"],
                             line={"color": SCENARIO_COLOR, "width": 3}))
    for threshold in data.baseline.thresholds:
        if threshold.outcome == outcome:
            fig.add_hline(y=threshold.value * scale, line={"color": "#B22222", "dash": "dot", "width": 2},
                          annotation_text=label(threshold.label, lang), annotation_position="top left")
    y_title = text("unit.percent", lang) if spec.unit == "share" else unit_title(outcome, lang)
    return _layout(fig, title or label(spec.label, lang), y_title, text("chart.year", lang))


def shares_chart(scenario_final: pd.Series, status_quo_final: pd.Series, lang: str, year: int) -> go.Figure:
    """Platform shares in the final year, status quo beside scenario, in each platform's colour."""
    data = default_data()
    names = [label(p.short, lang) for p in data.platforms]
    colors = [p.color for p in data.platforms]
    sq = [status_quo_final[f"share.{p.id}"] * 100 for p in data.platforms]
    sc = [scenario_final[f"share.{p.id}"] * 100 for p in data.platforms]
    fig = go.Figure([
        go.Bar(x=names, y=sq, name=text("chart.status_quo", lang), marker={"color": colors, "opacity": 0.4,
                                                                            "pattern": {"shape": "/"}},
               text=[f"{v:.1f}" for v in sq], textposition="outside"),
        go.Bar(x=names, y=sc, name=text("chart.scenario", lang), marker={"color": colors},
               text=[f"{v:.1f}" for v in sc], textposition="outside")])
    fig.update_layout(barmode="group", hovermode="closest")
    return _layout(fig, text("chart.shares_title", lang, year=year), text("unit.percent_gmv", lang))


def waterfall_chart(contributions: pd.Series, outcome: str, lang: str) -> go.Figure:
    """Shapley waterfall: each lever's contribution as a floating bar in the lever's colour, stacked
    from zero to the total change."""
    data = default_data()
    scale = _scale(outcome)
    levers = list(data.levers.values())
    values = [contributions[lever.id] * scale for lever in levers]
    noise = 1e-9 * max(1.0, max(abs(v) for v in values))
    values = [0.0 if abs(v) < noise else v for v in values]  # float residue of the 32-run sum
    bases, running = [], 0.0
    for value in values:
        bases.append(running)
        running += value
    names = [label(lever.label, lang) for lever in levers] + [text("chart.total_change", lang)]
    fig = go.Figure(go.Bar(
        x=names, y=values + [running], base=bases + [0.0],
        marker={"color": [lever.color for lever in levers] + [SCENARIO_COLOR]},
        text=[f"{v:+,.3g}" for v in values] + [f"{running:+,.3g}"], textposition="outside"))
    fig.add_hline(y=0, line={"color": "#666", "width": 1})
    fig.update_layout(hovermode="closest", showlegend=False)
    fig.update_xaxes(tickfont={"size": FONT_SIZE - 2})
    unit = text("unit.pp_long", lang) if data.outcomes[outcome].unit == "share" else unit_title(outcome, lang)
    return _layout(fig, text("chart.waterfall_title", lang, outcome=label(data.outcomes[outcome].label, lang)),
                   unit)


def tornado_chart(frame: pd.DataFrame, outcome: str, lang: str, rows: int = 10) -> go.Figure:
    """One-at-a-time sensitivity: the final-year change at each parameter's low and high value."""
    data = default_data()
    scale = _scale(outcome)
    top = frame.head(rows).iloc[::-1]
    names = [label(data.parameters[p].label, lang) for p in top.parameter]
    central = float(frame["central_change"].iloc[0]) * scale
    fig = go.Figure([
        go.Bar(y=names, x=(top.change_at_low * scale - central), base=central, orientation="h",
               name=text("chart.at_low", lang), marker={"color": "#56B4E9"}),
        go.Bar(y=names, x=(top.change_at_high * scale - central), base=central, orientation="h",
               name=text("chart.at_high", lang), marker={"color": "#E69F00"})])
    fig.add_vline(x=central, line={"color": SCENARIO_COLOR, "width": 2},
                  annotation_text=text("chart.central", lang))
    fig.update_layout(barmode="overlay", hovermode="closest")
    unit = text("unit.pp_long", lang) if data.outcomes[outcome].unit == "share" else unit_title(outcome, lang)
    return _layout(fig, text("chart.tornado_title", lang, outcome=label(data.outcomes[outcome].label, lang)),
                   text("chart.change_in", lang, unit=unit), height=HEIGHT + 80)


def gains_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Who gains and who loses in the final year (RMB bn per year)."""
    data = default_data()
    names = {p.id: label(p.short, lang) for p in data.platforms}
    names |= {"smes": text("group.smes", lang), "consumers": text("group.consumers", lang)}
    values = list(frame.change_rmb_bn)
    fig = go.Figure(go.Bar(x=[names[g] for g in frame.group], y=values,
                           marker={"color": [GAIN_COLOR if v >= 0 else LOSS_COLOR for v in values]},
                           text=[f"{v:+,.0f}" for v in values], textposition="outside"))
    fig.update_layout(hovermode="closest")
    return _layout(fig, text("chart.gains_title", lang), label(data.units["rmb_bn"], lang))


def compare_paths_chart(outcome: str, paths: dict[str, pd.DataFrame], lang: str) -> go.Figure:
    """One outcome's path in each compared scenario; the status quo dashed grey."""
    data = default_data()
    scale = _scale(outcome)
    fig = go.Figure()
    palette = ["#1B3A5C", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#882255"]
    for k, (name, frame) in enumerate(paths.items()):
        is_reference = k == 0
        fig.add_trace(go.Scatter(x=frame.index, y=frame[outcome] * scale, name=name,
                                 line={"color": STATUS_QUO_COLOR if is_reference else palette[(k - 1) % len(palette)],
                                       "dash": "dash" if is_reference else "solid", "width": 3}))
    spec = data.outcomes[outcome]
    y_title = text("unit.percent", lang) if spec.unit == "share" else unit_title(outcome, lang)
    return _layout(fig, label(spec.label, lang), y_title, text("chart.year", lang))


def compare_shares_chart(finals: dict[str, pd.Series], lang: str) -> go.Figure:
    """Final-year platform shares per scenario as stacked bars in the platforms' colours."""
    data = default_data()
    names = list(finals)
    fig = go.Figure([go.Bar(y=names, x=[finals[n][f"share.{p.id}"] * 100 for n in names], orientation="h",
                            name=label(p.short, lang), marker={"color": p.color},
                            text=[f"{finals[n][f'share.{p.id}'] * 100:.0f}" for n in names], textposition="inside")
                     for p in data.platforms])
    fig.update_layout(barmode="stack", hovermode="closest")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, text("compare.shares_title", lang), "", text("unit.percent_gmv", lang),
                   height=max(HEIGHT, 90 * len(names) + 120))


def compare_attribution_chart(contributions: dict[str, pd.Series], outcome: str, lang: str) -> go.Figure:
    """Each scenario's Shapley contributions for one outcome, stacked by lever in the levers' colours."""
    data = default_data()
    scale = _scale(outcome)
    names = list(contributions)
    fig = go.Figure([go.Bar(x=names, y=[contributions[n][lever.id] * scale for n in names],
                            name=label(lever.label, lang), marker={"color": lever.color})
                     for lever in data.levers.values()])
    fig.update_layout(barmode="relative", hovermode="closest")
    unit = text("unit.pp_long", lang) if data.outcomes[outcome].unit == "share" else unit_title(outcome, lang)
    return _layout(fig, text("chart.waterfall_title", lang, outcome=label(data.outcomes[outcome].label, lang)),
                   unit)


def ratios_chart(scenario: pd.DataFrame, status_quo: pd.DataFrame, lang: str) -> go.Figure:
    """CR1, CR2 and CR3 paths, status quo dashed, with the Anti-Monopoly Law's presumption lines."""
    data = default_data()
    fig = go.Figure()
    widths = {"concentration.cr1": 3, "concentration.cr2": 2, "concentration.cr3": 1.5}
    for outcome, width in widths.items():
        name = label(data.outcomes[outcome].label, lang)
        fig.add_trace(go.Scatter(x=status_quo.index, y=status_quo[outcome] * 100, showlegend=False,
                                 name=f"{name} · {text('chart.status_quo', lang)}",
                                 line={"color": STATUS_QUO_COLOR, "dash": "dash", "width": width}))
        fig.add_trace(go.Scatter(x=scenario.index, y=scenario[outcome] * 100, name=name,
                                 line={"color": SCENARIO_COLOR, "width": width}))
    for threshold in data.baseline.thresholds:
        if threshold.outcome in widths:
            fig.add_hline(y=threshold.value * 100, line={"color": "#B22222", "dash": "dot", "width": 1.5},
                          annotation_text=label(threshold.label, lang), annotation_position="top left")
    return _layout(fig, text("chart.ratios_title", lang), text("unit.percent_gmv", lang), text("chart.year", lang))
