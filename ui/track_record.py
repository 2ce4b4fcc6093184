"""The track-record panel: the model calibrated through 2021 against the GMV shares reported for
2022–2024 (model.backtest). Pages call `track_record_panel(lang)`."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from model import backtest
from model.data import default_data

from .charts import _layout
from .i18n import label, text
from .widgets import chart_block

OFFSET = 0.09  # years between two platforms' markers in the same year, so the whiskers do not overlap


@st.cache_data(max_entries=1, show_spinner=False)
def _result() -> backtest.Backtest:
    return backtest.backtest(default_data())


def track_record_chart(frame: pd.DataFrame, lang: str) -> dict:
    """Per year and platform: the modelled within-set share with its P10–P90 whisker (filled
    circle) and the reported share (open diamond), in the platform's colour."""
    data = default_data()
    shown = frame[frame["which"] == "what_happened"]
    platforms = [p for p in data.platforms if p.id in set(shown["platform"])]
    traces = []
    for k, platform in enumerate(platforms):
        rows = shown[shown["platform"] == platform.id]
        x = (rows["year"] + (k - (len(platforms) - 1) / 2) * OFFSET).tolist()
        name = label(platform.short, lang)
        traces.append({
            "type": "scatter", "x": x, "y": (rows["modelled"] * 100).tolist(), "mode": "markers",
            "legendgroup": platform.id, "name": text("track.modelled", lang, platform=name),
            "marker": {"color": platform.color, "size": 11},
            "error_y": {"type": "data", "symmetric": False, "array": ((rows["p90"] - rows["modelled"]) * 100).tolist(),
                        "arrayminus": ((rows["modelled"] - rows["p10"]) * 100).tolist(), "color": platform.color,
                        "width": 5}})
        traces.append({
            "type": "scatter", "x": x, "y": (rows["reported"] * 100).tolist(), "mode": "markers",
            "legendgroup": platform.id, "name": text("track.reported", lang, platform=name),
            "marker": {"color": platform.color, "size": 14, "symbol": "diamond-open", "line": {"width": 3}}})
    years = sorted(int(year) for year in set(shown["year"]))
    layout = _layout(text("track.chart_title", lang), text("track.y_title", lang), text("chart.year", lang),
                     height=440, hovermode="closest")
    layout["xaxis"] |= {"tickvals": years, "ticktext": [str(y) for y in years]}
    layout["yaxis"] |= {"range": [0, 100 * float(max(shown["p90"].max(), shown["reported"].max())) + 6]}
    return {"data": traces, "layout": layout}


def _error_table(result: backtest.Backtest, lang: str) -> pd.DataFrame:
    data = default_data()
    short = {f"share.{p.id}": label(p.short, lang) for p in data.platforms}
    return pd.DataFrame({
        text("track.col_year", lang): [r["year"] for r in result.rows],
        text("table.platform", lang): [short[r["outcome"]] for r in result.rows],
        text("track.col_modelled", lang): [f"{r['modelled']:.1%}" for r in result.rows],
        text("track.col_reported", lang): [f"{r['reported']:.1%}" for r in result.rows],
        text("track.col_error", lang): [f"{r['error_pp']:+.1f}" for r in result.rows],
        text("track.col_band", lang): [f"{r['p10']:.1%}–{r['p90']:.1%}" for r in result.rows],
        text("track.col_inside", lang): [text("track.yes" if r["p10"] <= r["reported"] <= r["p90"] else "track.no", lang)
                                         for r in result.rows],
        text("table.source", lang): [r["source"] for r in result.rows]})


def track_record_panel(lang: str) -> None:
    """The Explore panel: chart, error table with sources, and what the model gets wrong and why."""
    result = _result()
    first = backtest.summary(result.rows)
    inside = sum(r["p10"] <= r["reported"] <= r["p90"] for r in result.rows)
    st.subheader(text("track.title", lang))
    st.caption(text("track.caption", lang, year=backtest.history.CALIBRATION_LAST_YEAR))
    st.info(text("track.summary", lang, mae=f"{first['mean_abs_error_pp']:.1f}", inside=inside,
                 rows=len(result.rows), coverage=f"{first['coverage']:.0%}"))
    frame = backtest.track_record_frame(result)
    chart_block(track_record_chart(frame, lang), lambda: frame, "track_record", lang)
    st.dataframe(_error_table(result, lang), hide_index=True, width="stretch")
    st.markdown(f"**{text('track.wrong_title', lang)}**")
    for item in backtest.lessons(result, lang):
        st.markdown(f"- {item}")
