"""Shared page pieces: a chart with its numbers and CSV beneath, claim cards, headline metrics.
(Saving and managing scenarios is in ui/library.py.)"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from model.data import Claim, default_data
from model.export import to_csv

from .charts import PLOTLY_CONFIG
from .i18n import amount, label, source_line, text


def chart_block(fig, frame: pd.DataFrame, key: str, lang: str) -> None:
    """The chart, then the numbers behind it in an expander with a CSV download. The table is built
    only while the expander is open: hidden elements still cost every slider move their rendering."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=f"chart.{key}")
    numbers = st.expander(text("widget.numbers_behind", lang), key=f"numbers.{key}", on_change="rerun")
    if numbers.open:
        numbers.dataframe(frame, width="stretch")
        numbers.download_button(text("widget.download_csv", lang), lambda: to_csv(frame).encode("utf-8"),
                                file_name=f"{key}.csv", mime="text/csv", key=f"csv.{key}", on_click="ignore")


def claim_card(claim: Claim, lang: str, central_effect: float | None = None) -> None:
    """A claim with its quoted passages: Chinese original, English rendering, document and place."""
    data = default_data()
    with st.container(border=True):
        st.markdown(f"**{label(claim.statement, lang)}**")
        st.caption(text("claim.meta", lang, arguments=", ".join(claim.arguments),
                        mechanism=label(data.mechanisms[claim.mechanism].label, lang),
                        robust=text("claim.robust" if claim.robust else "claim.contested", lang)))
        for pid in claim.passages[:2]:
            passage = data.passages[pid]
            st.markdown(f"> {passage.zh}\n>\n> *{passage.en}*")
            st.caption(source_line(passage, lang))
        if central_effect is not None:
            holds = (central_effect > 0) == (claim.direction == "increase")
            st.caption(text("claim.model_agrees" if holds else "claim.model_disagrees", lang))


def headline_metrics(final: pd.DataFrame, lang: str, spread: pd.DataFrame | None = None, columns: int = 4) -> None:
    """The headline outcomes, final year, with the change against the status quo."""
    data = default_data()
    ids = [o.id for o in data.outcomes.values() if o.headline]
    for start in range(0, len(ids), columns):
        for column, outcome in zip(st.columns(columns), ids[start:start + columns]):
            spec = data.outcomes[outcome]
            row = final.loc[outcome]
            delta = amount(row.change, spec.unit, lang, signed=True)
            help_text = label(spec.description, lang)
            if spread is not None:
                low, high = spread[outcome].quantile([0.1, 0.9])
                help_text += "\n\n" + text("metric.spread", lang, low=amount(low, spec.unit, lang, signed=True),
                                           high=amount(high, spec.unit, lang, signed=True))
            with column:
                unchanged = abs(row.change) < 5e-4 * max(1.0, abs(row.status_quo))
                st.metric(label(spec.label, lang), amount(row.value, spec.unit, lang),
                          delta=text("metric.unchanged", lang) if unchanged else delta,
                          delta_color="off" if unchanged else {"higher": "normal", "lower": "inverse"}.get(spec.better, "off"),
                          delta_arrow="off" if unchanged else "auto", help=help_text, border=True)
                if spread is not None:
                    st.caption(text("metric.spread", lang, low=amount(low, spec.unit, lang, signed=True),
                                    high=amount(high, spec.unit, lang, signed=True)))
