"""The track-record panel: the model calibrated through 2021 against the GMV shares reported for
2022–2024 (model.backtest), beside a naive random walk fitted on 2018–2021, with the words of
reports.track_record. Pages call `track_record_panel(lang)`."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model import backtest, history, trends
from model.data import default_data
from model.scores import INTERVAL_ALPHA
from reports import track_record

from .charts import _layout
from .i18n import label, text
from .widgets import chart_block

BENCHMARK_COLOR = "#6E6E6E"
COLUMNS = 2          # small multiples per row
GAP = 0.12           # between small multiples, as a fraction of the figure
Z_INTERVAL = 1.2816  # the normal quantile of P90: the reports' error bars span their own P10–P90


@st.cache_data(max_entries=1, show_spinner=False)
def _result() -> backtest.Backtest:
    return backtest.backtest(default_data())


def _rgba(color: str, alpha: float) -> str:
    red, green, blue = (int(color[k:k + 2], 16) for k in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def _band(x: list, low: list, high: list, color: str, axis: str, name: str, group: str, show: bool) -> list[dict]:
    """A filled P10–P90 band: the upper edge, then the lower edge filled up to it."""
    edge = {"type": "scatter", "x": x, "mode": "lines", "line": {"width": 0}, "xaxis": f"x{axis}",
            "yaxis": f"y{axis}", "legendgroup": group, "hoverinfo": "skip"}
    return [edge | {"y": high, "showlegend": False},
            edge | {"y": low, "fill": "tonexty", "fillcolor": _rgba(color, 0.25), "name": name, "showlegend": show}]


def track_record_chart(paths: pd.DataFrame, lang: str) -> dict:
    """One small multiple per platform reported in the last year: the model's P10–P90 band and
    median path (the platform's colour), the naive random walk's (grey, dashed), and the reported
    shares (diamonds) with error bars spanning their measurement error's P10–P90."""
    data = default_data()
    platforms = [p for p in data.platforms if p.id in set(paths["platform"])]
    rows = math.ceil(len(platforms) / COLUMNS)
    height = 260 * rows + 120
    layout = _layout(text("track.chart_title", lang), "", height=height, hovermode="closest")
    traces, notes = [], []
    years = sorted(int(y) for y in set(paths["year"]))
    top = float(paths["p90"].max())
    for k, platform in enumerate(platforms):
        row, column = divmod(k, COLUMNS)
        axis = "" if k == 0 else str(k + 1)
        width = (1.0 - GAP * (COLUMNS - 1)) / COLUMNS
        height_share = (1.0 - GAP * (rows - 1)) / rows
        x0, y1 = column * (width + GAP), 1.0 - row * (height_share + GAP)
        axis_style = {key: layout["xaxis"][key] for key in ("automargin", "tickfont", "gridcolor", "zerolinecolor")}
        layout[f"xaxis{axis}"] = axis_style | {"domain": [x0, x0 + width], "anchor": f"y{axis}", "showgrid": False,
                                               "tickvals": years, "ticktext": [str(y) for y in years]}
        layout[f"yaxis{axis}"] = axis_style | {"domain": [y1 - height_share, y1], "anchor": f"x{axis}",
                                               "range": [0, 100 * top * 1.08], "ticksuffix": "%"}
        notes.append({"xref": f"x{axis} domain", "yref": f"y{axis} domain", "x": 0, "y": 1.02, "xanchor": "left",
                      "yanchor": "bottom", "showarrow": False, "text": f"<b>{label(platform.short, lang)}</b>"})
        mine = paths[paths["platform"] == platform.id]
        for forecast, color, dash in (("benchmark", BENCHMARK_COLOR, "dash"), ("model", platform.color, "solid")):
            part = mine[mine["forecast"] == forecast].sort_values("year")
            name = text(f"track.legend_{forecast}", lang)
            group = forecast
            traces += _band(part["year"].tolist(), (100 * part["p10"]).tolist(), (100 * part["p90"]).tolist(),
                            color if forecast == "model" else BENCHMARK_COLOR, axis, name, group, k == 0)
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


def score_table(result: backtest.Backtest, lang: str) -> pd.DataFrame:
    """The summary scores, the model beside the naive random walk."""
    figures = backtest.summary(result.rows)
    rows = [(text("track.legend_model", lang), figures), (text("track.legend_benchmark", lang), figures["benchmark"])]
    return pd.DataFrame({
        text("track.col_forecast", lang): [name for name, _ in rows],
        text("track.col_crps", lang): [f"{values['crps']:.2f}" for _, values in rows],
        text("track.col_interval", lang): [f"{values['interval_score']:.1f}" for _, values in rows],
        text("track.col_coverage", lang, expected=f"{1 - INTERVAL_ALPHA:.0%}"): [f"{values['coverage']:.0%}"
                                                                              for _, values in rows]})


def _error_table(result: backtest.Backtest, lang: str) -> pd.DataFrame:
    data = default_data()
    short = {f"share.{p.id}": label(p.short, lang) for p in data.platforms}
    rows = result.rows
    return pd.DataFrame({
        text("track.col_year", lang): [r["year"] for r in rows],
        text("table.platform", lang): [short[r["outcome"]] for r in rows],
        text("track.col_reported", lang): [f"{r['reported']:.1%}" for r in rows],
        text("track.col_modelled", lang): [f"{r['modelled']:.1%}" for r in rows],
        text("track.col_band", lang): [f"{r['p10']:.1%}–{r['p90']:.1%}" for r in rows],
        text("track.col_inside", lang): [text("track.yes" if r["p10"] <= r["reported"] <= r["p90"] else "track.no", lang)
                                         for r in rows],
        text("track.col_model_crps", lang): [f"{r['crps']:.2f}" for r in rows],
        text("track.col_naive_band", lang): [f"{r['benchmark']['p10']:.1%}–{r['benchmark']['p90']:.1%}" for r in rows],
        text("track.col_naive_crps", lang): [f"{r['benchmark']['crps']:.2f}" for r in rows],
        text("table.source", lang): [r["source"] for r in rows]})


def track_record_panel(lang: str) -> None:
    """The Explore panel: the verdict against the benchmark, the scores, the paths with bands, every
    comparison with its source, and what the model got wrong and why."""
    result = _result()
    st.subheader(text("track.title", lang))
    st.caption(text("track.caption", lang, year=history.CALIBRATION_LAST_YEAR))
    (st.warning if track_record.model_is_worse(result) else st.success)(track_record.verdict(result, lang))
    st.dataframe(score_table(result, lang), hide_index=True)
    st.caption(track_record.summary_text(result, lang))
    chart_block(track_record_chart(result.paths, lang), lambda: result.paths, "track_record", lang)
    st.caption(text("track.chart_note", lang, filing=f"{trends.observation_sd('filing'):.0%}",
                    press=f"{trends.observation_sd('press_estimate'):.0%}"))
    st.dataframe(_error_table(result, lang), hide_index=True, width="stretch")
    st.markdown(f"**{text('track.wrong_title', lang)}**")
    for item in track_record.lessons(result, lang):
        st.markdown(f"- {item}")
