"""The track-record panel: the model calibrated through 2021 against the GMV shares reported for
2022–2024 (model.backtest), beside a naive random walk fitted on 2018–2021, with the words of
reports.track_record. Pages call `track_record_panel(lang)`."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from model import backtest, history, trends
from model.data import default_data
from reports import track_record

from .charts import track_record_chart
from .i18n import label, text
from .report import track_record_result, track_record_scores
from .widgets import chart_block


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


def paths_table(paths: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The chart's numbers (backtest.band_paths) named in the reader's language, shares in %."""
    forecasts = {"model": "track.row_model", "benchmark": "track.legend_benchmark", "reported": "track.col_reported"}
    short = {p.id: label(p.short, lang) for p in default_data().platforms}
    return pd.DataFrame({
        text("track.col_year", lang): paths["year"].to_numpy(),
        text("table.platform", lang): paths["platform"].map(short).to_numpy(),
        **{quantile.upper(): paths[quantile].to_numpy() * 100 for quantile in ("p10", "p50", "p90")},
        # Only a report has a measurement error: a dash on the forecasts' rows, not an empty number.
        text("track.col_error_sd", lang): ["—" if pd.isna(sd) else f"{sd:.0%}" for sd in paths["observation_sd"]],
    }, index=pd.Index(paths["forecast"].map(lambda f: text(forecasts[f], lang)), name=text("track.col_forecast", lang)))


def track_record_panel(lang: str) -> None:
    """The Explore panel: the verdict against the benchmark, the scores, the paths with bands, every
    comparison with its source, and what the model got wrong and why."""
    result = track_record_result()
    st.subheader(text("track.title", lang))
    st.caption(text("track.caption", lang, year=history.CALIBRATION_LAST_YEAR))
    (st.warning if track_record.model_is_worse(result) else st.success)(track_record.verdict(result, lang))
    st.dataframe(track_record_scores(result, lang), hide_index=True)
    st.caption(track_record.summary_text(result, lang))
    chart_block(track_record_chart(result.paths, lang), lambda: paths_table(result.paths, lang), "track_record", lang,
                unit=text("unit.percent_gmv", lang))
    st.caption(text("track.chart_note", lang, filing=f"{trends.observation_sd('filing'):.0%}",
                    press=f"{trends.observation_sd('press_estimate'):.0%}"))
    st.dataframe(_error_table(result, lang), hide_index=True, width="stretch")
    st.markdown(f"**{text('track.wrong_title', lang)}**")
    for item in track_record.lessons(result, lang):
        st.markdown(f"- {item}")
