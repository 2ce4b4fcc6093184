"""Plotly figures as plain dicts of JSON types, drawn by ui.chart_component (no graph_objects
validation on every rerun; a test validates each builder). Each platform and lever keeps its colour
from data/ everywhere; every axis carries its unit in the reader's units."""
from __future__ import annotations

import math

import pandas as pd

from model.data import default_data

from .i18n import amount, display_scale, display_unit, label, lever_value_text, named_unit, number, text

STATUS_QUO_COLOR = "#8C8C8C"
SCENARIO_COLOR = "#1B3A5C"
THRESHOLD_COLOR = "#B22222"
FONT_SIZE = 15
PRESENT_FONT_SIZE = 20  # ticks readable from the back of a room
HEIGHT = 360
GAIN_COLOR, LOSS_COLOR = "#009E73", "#D55E00"  # Okabe–Ito green and vermillion
# Compared scenarios differ by dash and marker as well as colour (Okabe–Ito), so they survive
# colour blindness and greyscale printing.
SERIES_COLORS = ["#1B3A5C", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
SERIES_DASHES = ["solid", "dot", "dashdot", "longdash", "longdashdot", "solid"]
SERIES_MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "star"]
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
# The page's look (its theme's font and colours), so charts read as part of the page.
FONT_FAMILY = '"Source Sans", sans-serif'
TITLE_COLOR, TEXT_COLOR, GRID_COLOR = "#1A1A1A", "#5C5F6E", "#E6EAF1"


# Room the axis labels and the legend usually take: automargin still widens a margin when labels need
# more, but each widening costs the browser a second layout of the chart on every slider move.
MARGIN = {"l": 64, "r": 24, "t": 60, "b": 90}


def _layout(title: str, y_title: str, x_title: str = "", height: int = HEIGHT, margin: dict | None = None,
            **extra) -> dict:
    """Axis labels make room for themselves (automargin), so ticks are never clipped at any width;
    the legend sits under the plot, below the x-axis title."""
    axis = {"automargin": True, "title": {"standoff": 8, "font": {"size": FONT_SIZE - 1}}, "tickfont": {"size": FONT_SIZE - 3},
            "gridcolor": GRID_COLOR, "zerolinecolor": GRID_COLOR,
            # 2000, never "2k": an SI suffix reads as English on a Chinese page (years keep no separator).
            "exponentformat": "none"}
    return {"title": {"text": title, "font": {"size": FONT_SIZE + 3, "color": TITLE_COLOR, "weight": 600}, "x": 0,
                      "xanchor": "left",
                      "pad": {"l": 4}},
            "font": {"size": FONT_SIZE, "family": FONT_FAMILY, "color": TEXT_COLOR},
            "paper_bgcolor": "#FFFFFF", "plot_bgcolor": "#FFFFFF", "height": height,
            "margin": MARGIN | {"pad": 8} | (margin or {}),
            "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                       "font": {"size": FONT_SIZE - 2, "color": TITLE_COLOR}},
            "hoverlabel": {"bgcolor": "#FFFFFF", "bordercolor": "rgba(26, 26, 26, 0.2)"},
            "hovermode": "x unified", "separators": ".,",
            "xaxis": {**axis, "showgrid": False, "title": {**axis["title"], "text": x_title}},
            "yaxis": {**axis, "title": {**axis["title"], "text": y_title}}, **extra}


def _hline(y: float, annotation: str = "", color: str = THRESHOLD_COLOR, dash: str = "dot", width: float = 2):
    shape = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y,
             "line": {"color": color, "dash": dash, "width": width}}
    note = {"xref": "paper", "x": 0, "xanchor": "left", "yref": "y", "y": y, "yanchor": "bottom",
            "text": annotation, "showarrow": False}
    return shape, note if annotation else None


def _thresholds(outcomes, scale: float, lang: str, width: float = 2) -> tuple[list, list]:
    shapes, notes = [], []
    for threshold in default_data().baseline.thresholds:
        if threshold.outcome in outcomes:
            shape, note = _hline(threshold.value * scale, label(threshold.label, lang), width=width)
            shapes.append(shape)
            notes.append(note)
    return shapes, notes


def _unit(outcome: str) -> str:
    return default_data().outcomes[outcome].unit


def change_unit(outcome: str, lang: str) -> str:
    """The unit of a change in `outcome` as charts and tables show it: a share's in percentage points."""
    unit = _unit(outcome)
    return text("unit.pp_long", lang) if unit == "share" else display_unit(unit, lang)


def band_trace(years: list, low: list, high: list, color: str, name: str) -> dict:
    """A P10–P90 band: one filled outline, up along P90 and back along P10."""
    return {"type": "scatter", "mode": "lines", "x": years + years[::-1], "y": high + low[::-1], "fill": "toself",
            "fillcolor": color,
            "opacity": 0.25, "line": {"width": 0}, "hoverinfo": "skip", "name": name}


def path_chart(outcome: str, scenario: pd.DataFrame, status_quo: pd.DataFrame, lang: str,
               bands: pd.DataFrame | None = None, title: str | None = None) -> dict:
    """Status quo (grey, dashed) and scenario (dark) paths of one outcome, with the model's reference
    lines for it and, if given, the Monte Carlo P10–P90 band of each (hatched for the status quo)."""
    spec = default_data().outcomes[outcome]
    scale = display_scale(spec.unit, lang)
    names = {"status_quo": text("chart.status_quo", lang), "scenario": text("chart.scenario", lang)}
    colors = {"status_quo": STATUS_QUO_COLOR, "scenario": SCENARIO_COLOR}
    traces = []
    if bands is not None:
        for which in ("status_quo", "scenario"):
            band = bands[(bands.outcome == outcome) & (bands.which == which)]
            trace = band_trace(band.year.tolist(), (band.p10 * scale).tolist(), (band.p90 * scale).tolist(),
                               colors[which], text("chart.band", lang, series=names[which]))
            if which == "status_quo":
                trace |= {"opacity": 0.35, "fillpattern": {"shape": "/", "fgcolor": STATUS_QUO_COLOR}}
            traces.append(trace)
    traces.append({"type": "scatter", "x": status_quo.index.tolist(), "y": (status_quo[outcome] * scale).tolist(),
                   "name": names["status_quo"], "line": {"color": STATUS_QUO_COLOR, "dash": "dash", "width": 3}})
    traces.append({"type": "scatter", "x": scenario.index.tolist(), "y": (scenario[outcome] * scale).tolist(),
                   "name": names["scenario"], "line": {"color": SCENARIO_COLOR, "width": 3}})
    shapes, notes = _thresholds({outcome}, scale, lang)
    return {"data": traces, "layout": _layout(title or label(spec.label, lang), display_unit(spec.unit, lang),
                                              text("chart.year", lang), shapes=shapes, annotations=notes)}


def shares_chart(scenario_final: pd.Series, status_quo_final: pd.Series, lang: str, year: int) -> dict:
    """Platform shares in the final year, status quo (hatched) beside scenario, in each platform's
    colour; the bar labels sit inside the bars so close values never collide."""
    data = default_data()
    # Two-word names on two lines: at a projector's type size "Kuaishou" and "WeChat private" touch.
    names = [label(p.short, lang).replace(" ", "<br>") for p in data.platforms]
    colors = [p.color for p in data.platforms]
    sq = [status_quo_final[f"share.{p.id}"] * 100 for p in data.platforms]
    sc = [scenario_final[f"share.{p.id}"] * 100 for p in data.platforms]
    bar = {"type": "bar", "x": names, "textposition": "outside", "cliponaxis": False}
    traces = [{**bar, "y": sq, "name": text("chart.status_quo", lang), "text": [number(v, 1) for v in sq],
               "marker": {"color": colors, "opacity": 0.45, "pattern": {"shape": "/"}}},
              {**bar, "y": sc, "name": text("chart.scenario", lang), "text": [number(v, 1) for v in sc],
               "marker": {"color": colors}}]
    return {"data": traces, "layout": _layout(text("chart.shares_title", lang, year=year),
                                              text("unit.percent_gmv", lang), barmode="group",
                                              hovermode="closest", uniformtext={"mode": "hide", "minsize": 10})}


def waterfall_chart(contributions: pd.Series, outcome: str, lang: str) -> dict:
    """Shapley waterfall: each lever's contribution as a floating bar in the lever's colour, stacked
    from zero to the total change."""
    data = default_data()
    scale = display_scale(_unit(outcome), lang)
    levers = [data.levers[lever_id] for lever_id in contributions.index]
    values = [contributions[lever.id] * scale for lever in levers]
    noise = 1e-9 * max(1.0, max(abs(v) for v in values))
    values = [0.0 if abs(v) < noise else v for v in values]  # float residue of the 32-run sum
    bases, running = [], 0.0
    for value in values:
        bases.append(running)
        running += value
    names = [label(lever.label, lang) for lever in levers] + [text("chart.total_change", lang)]
    decimals = 1 if max(abs(v) for v in values + [running]) < 100 else 0
    trace = {"type": "bar", "x": names, "y": values + [running], "base": bases + [0.0],
             "marker": {"color": [lever.color for lever in levers] + [SCENARIO_COLOR]},
             "text": [number(v, decimals, signed=True) for v in values + [running]],
             "textposition": "outside", "cliponaxis": False}
    shape, _ = _hline(0, color="#666", dash="solid", width=1)
    layout = _layout(text("chart.waterfall_title", lang, outcome=label(data.outcomes[outcome].label, lang)),
                     change_unit(outcome, lang), hovermode="closest", showlegend=False, shapes=[shape],
                     margin={"r": 40, "b": 125 if lang == "en" else 80})  # English lever names slant under the bars
    layout["xaxis"]["tickfont"] = {"size": FONT_SIZE - 2}
    return {"data": [trace], "layout": layout}


def tornado_chart(frame: pd.DataFrame, outcome: str, lang: str, rows: int = 10) -> dict:
    """One-at-a-time sensitivity: the final-year change at each parameter's low and high value."""
    data = default_data()
    scale = display_scale(_unit(outcome), lang)
    top = frame.head(rows).iloc[::-1]
    names = [label(data.parameters[p].label, lang) for p in top.parameter]
    central = float(frame["central_change"].iloc[0]) * scale
    bar = {"type": "bar", "y": names, "base": central, "orientation": "h"}
    traces = [{**bar, "x": (top.change_at_low * scale - central).tolist(), "name": text("chart.at_low", lang),
               "marker": {"color": "#56B4E9"}},
              {**bar, "x": (top.change_at_high * scale - central).tolist(), "name": text("chart.at_high", lang),
               "marker": {"color": "#E69F00"}}]
    central_line = {"type": "line", "xref": "x", "x0": central, "x1": central, "yref": "paper", "y0": 0, "y1": 1,
                    "line": {"color": SCENARIO_COLOR, "width": 2}}
    # The "central" label sits above the plot area, not over the top bar.
    note = {"xref": "x", "x": central, "yref": "paper", "y": 1, "yanchor": "bottom", "showarrow": False,
            "text": text("chart.central", lang)}
    return {"data": traces, "layout": _layout(
        text("chart.tornado_title", lang, outcome=label(data.outcomes[outcome].label, lang)),
        "", text("chart.change_in", lang, unit=change_unit(outcome, lang)), height=HEIGHT + 80,
        barmode="overlay", hovermode="closest", shapes=[central_line], annotations=[note])}


def group_name(group: str, lang: str) -> str:
    """A ledger row's name: a platform's short name or one of the ledger's own groups."""
    platform = next((p for p in default_data().platforms if p.id == group), None)
    return label(platform.short, lang) if platform else text(f"group.{group}", lang)


def gains_chart(frame: pd.DataFrame, lang: str, column: str = "change_rmb_bn") -> dict:
    """Who gains and who loses (the ledger's rows, the total last)."""
    names = {g: group_name(g, lang) for g in frame.group}
    scale = display_scale("rmb_bn", lang)
    values = [v * scale for v in frame[column]]
    trace = {"type": "bar", "x": [names[g] for g in frame.group], "y": values,
             "marker": {"color": [GAIN_COLOR if v >= 0 else LOSS_COLOR for v in values]},
             "text": [number(v, 0, signed=True) for v in values], "textposition": "outside", "cliponaxis": False}
    return {"data": [trace], "layout": _layout(text("chart.gains_title", lang), display_unit("rmb_bn", lang),
                                               hovermode="closest")}


def compare_paths_chart(outcome: str, paths: dict[str, pd.DataFrame], lang: str) -> dict:
    """One outcome's path in each compared scenario; the status quo (first) dashed grey, the others
    told apart by colour, dash and marker."""
    spec = default_data().outcomes[outcome]
    scale = display_scale(spec.unit, lang)
    traces = []
    for k, (name, frame) in enumerate(paths.items()):
        style = ({"line": {"color": STATUS_QUO_COLOR, "dash": "dash", "width": 3}, "mode": "lines"} if k == 0 else
                 {"line": {"color": SERIES_COLORS[(k - 1) % 6], "dash": SERIES_DASHES[(k - 1) % 6], "width": 3},
                  "mode": "lines+markers", "marker": {"symbol": SERIES_MARKERS[(k - 1) % 6], "size": 8}})
        traces.append({"type": "scatter", "x": frame.index.tolist(), "y": (frame[outcome] * scale).tolist(), "name": name,
                       **style})
    return {"data": traces, "layout": _layout(label(spec.label, lang), display_unit(spec.unit, lang),
                                              text("chart.year", lang), height=HEIGHT + 40)}


def compare_shares_chart(finals: dict[str, pd.Series], lang: str) -> dict:
    """Final-year platform shares per scenario as stacked bars in the platforms' colours."""
    data = default_data()
    names = list(finals)
    traces = [{"type": "bar", "y": names, "x": [finals[n][f"share.{p.id}"] * 100 for n in names],
               "orientation": "h", "name": label(p.short, lang), "marker": {"color": p.color},
               "text": [number(finals[n][f"share.{p.id}"] * 100) for n in names], "textposition": "inside"}
              for p in data.platforms]
    layout = _layout(text("compare.shares_title", lang), "", text("unit.percent_gmv", lang),
                     height=max(HEIGHT, 60 * len(names) + 160), barmode="stack", hovermode="closest",
                     uniformtext={"mode": "hide", "minsize": 10})
    layout["yaxis"]["autorange"] = "reversed"
    return {"data": traces, "layout": layout}


def compare_attribution_chart(contributions: dict[str, pd.Series], outcome: str, lang: str) -> dict:
    """Each scenario's Shapley contributions for one outcome, stacked by lever in the levers' colours
    (and patterns, so neighbouring levers stay apart without colour); horizontal, so the scenario
    names read in full."""
    data = default_data()
    scale = display_scale(_unit(outcome), lang)
    names = list(contributions)
    patterns = ["", "/", ".", "x", "-"]
    traces = [{"type": "bar", "y": names, "x": [contributions[n][lever.id] * scale for n in names],
               "orientation": "h", "name": label(lever.label, lang),
               "marker": {"color": lever.color, "pattern": {"shape": patterns[k % len(patterns)]}}}
              for k, lever in enumerate(data.levers[i] for i in data.share_levers)]
    layout = _layout(text("chart.waterfall_title", lang, outcome=label(data.outcomes[outcome].label, lang)), "",
                     change_unit(outcome, lang), height=max(HEIGHT, 60 * len(names) + 160),
                     barmode="relative", hovermode="closest")
    layout["yaxis"]["autorange"] = "reversed"
    return {"data": traces, "layout": layout}


def ratios_chart(scenario: pd.DataFrame, status_quo: pd.DataFrame, lang: str) -> dict:
    """CR1, CR2 and CR3 paths, status quo dashed, with the Anti-Monopoly Law's presumption lines."""
    data = default_data()
    widths = {"concentration.cr1": 3, "concentration.cr2": 2, "concentration.cr3": 1.5}
    traces = []
    for outcome, width in widths.items():
        name = label(data.outcomes[outcome].label, lang)
        traces.append({"type": "scatter", "x": status_quo.index.tolist(), "y": (status_quo[outcome] * 100).tolist(),
                       "showlegend": False, "name": f"{name} · {text('chart.status_quo', lang)}",
                       "line": {"color": STATUS_QUO_COLOR, "dash": "dash", "width": width}})
        traces.append({"type": "scatter", "x": scenario.index.tolist(), "y": (scenario[outcome] * 100).tolist(),
                       "name": name, "line": {"color": SCENARIO_COLOR, "width": width}})
    shapes, notes = _thresholds(set(widths), 100, lang, width=1.5)
    return {"data": traces, "layout": _layout(text("chart.ratios_title", lang), text("unit.percent_gmv", lang),
                                              text("chart.year", lang), shapes=shapes, annotations=notes)}


def for_projection(figure: dict, height: int, size: int = PRESENT_FONT_SIZE) -> dict:
    """The figure with type large enough for a projector (ticks and labels at `size`; a chart a
    quarter of the slide wide takes a smaller one)."""
    base = figure["layout"]

    def sized(font: dict, points: int) -> dict:
        return {**font, "size": points}

    layout = dict(base, font=sized(base["font"], size), height=height,
                  title={**base["title"], "font": sized(base["title"]["font"], size + 4)},
                  legend={**base["legend"], "font": sized(base["legend"]["font"], size - 2)})
    for axis in (key for key in base if key.startswith(("xaxis", "yaxis"))):
        layout[axis] = {**base[axis], "tickfont": sized(base[axis].get("tickfont", {}), size)}
        if "title" in base[axis]:
            layout[axis]["title"] = {**base[axis]["title"], "font": sized(base[axis]["title"]["font"], size - 2)}
    return {"data": figure["data"], "layout": layout}


# ---- Track record ----

BENCHMARK_COLOR = "#6E6E6E"
COLUMNS = 2          # small multiples per row
GAP = 0.12           # between small multiples, as a fraction of the figure
Z_INTERVAL = 1.2816  # the normal quantile of P90: the reports' error bars span their own P10–P90


def track_record_chart(paths: pd.DataFrame, lang: str, columns: int = COLUMNS) -> dict:
    """One small multiple per platform reported in the last year (`columns` to a row): the model's
    P10–P90 band and median path (the platform's colour), the naive random walk's (grey, dashed), and
    the reported shares (diamonds) with error bars spanning their measurement error's P10–P90."""
    data = default_data()
    platforms = [p for p in data.platforms if p.id in set(paths["platform"])]
    rows = math.ceil(len(platforms) / columns)
    height = 260 * rows + 120
    layout = _layout(text("track.chart_title", lang), "", height=height, hovermode="closest")
    traces, notes = [], []
    years = sorted(int(y) for y in set(paths["year"]))
    for k, platform in enumerate(platforms):
        row, column = divmod(k, columns)
        axis = "" if k == 0 else str(k + 1)
        width = (1.0 - GAP * (columns - 1)) / columns
        height_share = (1.0 - GAP * (rows - 1)) / rows
        x0, y1 = column * (width + GAP), 1.0 - row * (height_share + GAP)
        y0 = max(round(y1 - height_share, 9), 0.0)   # rounding must not leave [0, 1]
        axis_style = {key: layout["xaxis"][key] for key in ("automargin", "tickfont", "gridcolor", "zerolinecolor",
                                                                 "exponentformat")}
        layout[f"xaxis{axis}"] = axis_style | {"domain": [x0, min(x0 + width, 1.0)], "anchor": f"y{axis}", "showgrid": False,
                                               "tickvals": years, "ticktext": [str(y) for y in years]}
        top = float(paths.loc[paths["platform"] == platform.id, "p90"].max())   # each panel its own scale
        layout[f"yaxis{axis}"] = axis_style | {"domain": [y0, y1], "anchor": f"x{axis}",
                                               "range": [0, 100 * top * 1.15], "ticksuffix": "%"}
        notes.append({"xref": f"x{axis} domain", "yref": f"y{axis} domain", "x": 0, "y": 1.02, "xanchor": "left",
                      "yanchor": "bottom", "showarrow": False, "text": f"<b>{label(platform.short, lang)}</b>"})
        mine = paths[paths["platform"] == platform.id]
        for forecast, color, dash in (("benchmark", BENCHMARK_COLOR, "dash"), ("model", platform.color, "solid")):
            part = mine[mine["forecast"] == forecast].sort_values("year")
            name = text(f"track.legend_{forecast}", lang)
            group = forecast
            traces.append(band_trace(part["year"].tolist(), (100 * part["p10"]).tolist(), (100 * part["p90"]).tolist(),
                                     color, name) | {"xaxis": f"x{axis}", "yaxis": f"y{axis}", "legendgroup": group,
                                                     "showlegend": k == 0})
            traces.append({"type": "scatter", "x": part["year"].tolist(), "y": (100 * part["p50"]).tolist(),
                           "mode": "lines", "line": {"color": color, "dash": dash, "width": 2.5}, "xaxis": f"x{axis}",
                           "yaxis": f"y{axis}", "legendgroup": group, "showlegend": False,
                           "name": f"{label(platform.short, lang)}: {name} P50"})
        reported = mine[mine["forecast"] == "reported"].sort_values("year")
        value, spread = 100 * reported["p50"], Z_INTERVAL * reported["observation_sd"]
        traces.append({"type": "scatter", "x": reported["year"].tolist(), "y": value.tolist(), "mode": "markers",
                       "xaxis": f"x{axis}", "yaxis": f"y{axis}", "legendgroup": "reported", "showlegend": k == 0,
                       "name": text("track.legend_reported", lang),
                       "marker": {"color": "#1A1A1A", "size": 11, "symbol": "diamond"},
                       "error_y": {"type": "data", "symmetric": False, "color": "#1A1A1A", "width": 4,
                                   "array": (value * (spread.map(math.exp) - 1)).tolist(),
                                   "arrayminus": (value * (1 - (-spread).map(math.exp))).tolist()}})
    layout["annotations"] = notes
    layout["margin"] = layout["margin"] | {"t": 70}
    return {"data": traces, "layout": layout}


FRONTIER_COLORSCALE = "Viridis"   # perceptually uniform, readable in greyscale and by the colour-blind
HERE_COLOR = "#D55E00"


def _objective_axis(objective, lang: str) -> tuple[str, float]:
    """An objective's axis title (its label, unit and which way is better) and display scale."""
    outcome = default_data().outcomes[objective.id]
    better = text(f"frontier.better_{objective.direction}", lang)
    unit = text("unit.pp_long", lang) if outcome.unit == "share" else named_unit(outcome.unit, lang)
    return (text("frontier.axis_title", lang, label=label(outcome.label, lang), unit=unit, better=better),
            display_scale(outcome.unit, lang))


def frontier_chart(table: pd.DataFrame, points: pd.DataFrame, x, y, colour, here: dict | None, lang: str,
                   hover: list | None = None) -> dict:
    """The frontier's settings on two objectives (changes against the status quo), a third as
    colour, every objective and the levers in the hover; `here` (the levers on screen, their values)
    as a star. Each point carries its row of `table` (customdata) for a click to load it."""
    data = default_data()
    x_title, x_scale = _objective_axis(x, lang)
    y_title, y_scale = _objective_axis(y, lang)
    shown = hover or [o for o in (x, y, colour) if o is not None]
    # Built column by column (each lever has a handful of values): a row loop costs 0.3 s at 1,000 points.
    columns = []
    for lever in data.levers:
        name = label(data.levers[lever].label, lang)
        shown_values = {v: f"{name}: {lever_value_text(lever, v, lang)}" for v in points[f"lever.{lever}"].unique()}
        columns.append(points[f"lever.{lever}"].map(shown_values).tolist())
    for objective in shown:
        name, unit = label(data.outcomes[objective.id].label, lang), _unit(objective.id)
        columns.append([f"{name}: {amount(v, unit, lang, signed=True)}" for v in points[objective.id].tolist()])
    columns.append([text("frontier.hover_risks", lang, consumers=f"{c:.0%}", welfare=f"{w:.0%}", regret=f"{r:.2f}")
                    for c, w, r in zip(points["consumers_lose"].tolist(), points["welfare_falls"].tolist(),
                                       points["robust_score"].tolist())])
    lines = ["<br>".join(parts) for parts in zip(*columns)]
    marker = {"size": 9, "line": {"width": 0.5, "color": "#FFFFFF"}, "color": SCENARIO_COLOR}
    if colour is not None:
        colour_title, colour_scale = _objective_axis(colour, lang)
        marker |= {"color": [float(v) * colour_scale for v in points[colour.id]], "colorscale": FRONTIER_COLORSCALE,
                   "reversescale": colour.direction == "min", "showscale": True,
                   "colorbar": {"title": {"text": colour_title, "side": "right", "font": {"size": FONT_SIZE - 3}},
                                "thickness": 14, "tickfont": {"size": FONT_SIZE - 4}}}
    traces = [{"type": "scatter", "mode": "markers", "name": text("frontier.points", lang),
               "x": [float(v) * x_scale for v in points[x.id]], "y": [float(v) * y_scale for v in points[y.id]],
               "customdata": [int(i) for i in points.index], "text": lines, "hoverinfo": "text",
               "marker": marker}]
    annotations = []
    if here is not None:
        traces.append({"type": "scatter", "mode": "markers", "name": text("frontier.here_legend", lang),
                       "x": [here[x.id] * x_scale], "y": [here[y.id] * y_scale], "hoverinfo": "name",
                       "marker": {"symbol": "star", "size": 20, "color": HERE_COLOR,
                                  "line": {"width": 1, "color": "#FFFFFF"}}})
        annotations.append({"x": here[x.id] * x_scale, "y": here[y.id] * y_scale, "text": text("frontier.here", lang),
                            "showarrow": True, "arrowhead": 2, "ax": 40, "ay": -36,
                            "font": {"color": HERE_COLOR, "size": FONT_SIZE - 1}})
    title = text("frontier.chart_title", lang, count=number(len(points)), total=number(len(table)))
    return {"data": traces, "layout": _layout(title, y_title, x_title, height=520, hovermode="closest",
                                              annotations=annotations, showlegend=here is not None,
                                              margin={"r": 40})}


def drivers_chart(indices: list[dict], lang: str, rows: int = 6) -> dict:
    """What drives a finding's effect: the total-order and first-order Sobol indices of its main
    parameters (largest at the top), with their 95 % confidence intervals."""
    data = default_data()
    top = indices[:rows][::-1]
    names = [label(data.parameters[i["parameter"]].label, lang) for i in top]

    def bars(order: str, color: str) -> dict:
        values = [i[order] for i in top]
        return {"type": "bar", "orientation": "h", "y": names, "x": values, "name": text(f"chart.sobol_{order}", lang),
                "marker": {"color": color},
                "error_x": {"type": "data", "symmetric": False, "color": TEXT_COLOR, "thickness": 1,
                            "array": [hi - v for v, (_, hi) in zip(values, (i[f"{order}_ci"] for i in top))],
                            "arrayminus": [v - lo for v, (lo, _) in zip(values, (i[f"{order}_ci"] for i in top))]}}

    layout = _layout(text("chart.drivers_title", lang), "", text("chart.sobol_axis", lang),
                     height=110 + 40 * max(1, len(top)), barmode="group", hovermode="closest",
                     margin={"l": 12, "r": 12, "t": 44, "b": 96})
    layout["xaxis"]["rangemode"] = "tozero"
    return {"data": [bars("first_order", "#56B4E9"), bars("total_order", SCENARIO_COLOR)], "layout": layout}


LABELLED_POINTS = 12  # a workshop chart names its points up to this many; more would overlap (hover names all)


def proposals_chart(points: dict[str, tuple[float, float]], outcomes: tuple[str, str], lang: str) -> dict:
    """A workshop's proposals as points: the change in one outcome against the change in another
    (final year, against the status quo, at the origin). Names are labels and hover text, never markup:
    they hold no angle brackets (store.names)."""
    data = default_data()
    x_scale, y_scale = (display_scale(_unit(outcome), lang) for outcome in outcomes)
    names = list(points)
    traces = [{"type": "scatter", "mode": "markers", "x": [0], "y": [0], "name": text("chart.status_quo", lang),
               "marker": {"color": STATUS_QUO_COLOR, "size": 12, "symbol": "x"}},
              {"type": "scatter", "mode": "markers+text" if len(names) <= LABELLED_POINTS else "markers",
               "textposition": "top center", "cliponaxis": False, "name": text("room.proposals_legend", lang),
               "x": [points[n][0] * x_scale for n in names], "y": [points[n][1] * y_scale for n in names],
               "text": names, "hovertemplate": "%{text}<br>%{x:,.1f} · %{y:,.1f}<extra></extra>",
               "marker": {"color": SCENARIO_COLOR, "size": 11, "opacity": 0.8}}]
    title = text("room.chart_title", lang, x=label(data.outcomes[outcomes[0]].label, lang),
                 y=label(data.outcomes[outcomes[1]].label, lang))
    return {"data": traces, "layout": _layout(title, change_unit(outcomes[1], lang), change_unit(outcomes[0], lang),
                                              hovermode="closest")}
