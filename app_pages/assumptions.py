"""Assumptions & sources: every parameter (editable within its range for this session), the
argument map with its passages, and the baseline figures with their sources."""
import pandas as pd
import streamlit as st

from model.data import default_data
from model.refs import place, reference_text
from model.engine import parameter_batch
from model.market import base_shares
from ui import state
from ui.i18n import display_scale, label, text
from ui.report import csv_bytes
from ui.widgets import claim_role, passage_html

data = default_data()
lang = state.lang()
overrides = st.session_state["assumptions"]

st.title(text("assumptions.title", lang))
st.caption(text("assumptions.caption", lang))

st.header(text("assumptions.parameters", lang))
rows = []
for p in data.parameters.values():
    current = overrides.get(p.id, p.central)
    rows.append({text("table.modified", lang): "✎" if p.id in overrides else "",
                 text("table.parameter", lang): label(p.label, lang), text("table.id", lang): p.id,
                 text("table.value", lang): current, text("table.unit", lang): label(p.unit, lang),
                 text("table.low", lang): p.low, text("table.central", lang): p.central,
                 text("table.high", lang): p.high,
                 text("table.source", lang): reference_text(data, p.reference.passages, p.reference.literature, lang),
                 text("table.range_note", lang): label(p.range_note, lang)})
table = pd.DataFrame(rows)
st.dataframe(table, hide_index=True, width="stretch", height=420)
st.download_button(text("widget.download_csv", lang), csv_bytes(table),
                   file_name="parameters.csv", mime="text/csv", on_click="ignore")


def _set_override(pid: str) -> None:
    value = st.session_state[f"param.{pid}"]
    if value == data.parameters[pid].central:
        overrides.pop(pid, None)
    else:
        overrides[pid] = float(value)


def _reset_overrides() -> None:
    overrides.clear()


with st.container(border=True):
    st.subheader(text("assumptions.edit", lang))
    chosen = st.selectbox(text("assumptions.choose", lang), list(data.parameters), key="edit_parameter",
                          format_func=lambda pid: label(data.parameters[pid].label, lang)
                          + (" ✎" if pid in overrides else ""))
    parameter = data.parameters[chosen]
    st.session_state[f"param.{chosen}"] = overrides.get(chosen, parameter.central)
    st.number_input(text("assumptions.value_label", lang, unit=label(parameter.unit, lang), low=parameter.low,
                         high=parameter.high), min_value=parameter.low, max_value=parameter.high,
                    key=f"param.{chosen}", on_change=_set_override, args=(chosen,), format="%g",
                    step=(parameter.high - parameter.low) / 20)
    st.caption(label(parameter.description, lang))
    if chosen in overrides:
        st.markdown(text("assumptions.modified", lang, central=f"{parameter.central:g}"))
    st.button(text("assumptions.reset", lang, count=len(overrides)), on_click=_reset_overrides,
              disabled=not overrides)

st.header(text("assumptions.claims", lang))
st.caption(text("assumptions.claims_caption", lang))
for claim in data.claims.values():
    with st.expander(f"{', '.join(claim.arguments)} — {label(claim.statement, lang)}"):
        lever = label(data.levers[claim.lever].label, lang) if claim.lever else text("claim.trend", lang)
        st.markdown(text("assumptions.claim_detail", lang, lever=lever,
                         outcome=label(data.outcomes[claim.outcome].label, lang),
                         direction=text(f"direction.{claim.direction}", lang), year=claim.year,
                         mechanism=label(data.mechanisms[claim.mechanism].label, lang),
                         role=claim_role(claim, lang)))
        st.html("".join(passage_html(data.passages[pid], lang) for pid in claim.passages))

st.header(text("assumptions.passages", lang))
for document in data.documents.values():
    with st.expander(f"{document.title} — {document.author}, {document.date}"):
        st.caption(document.title_en + " · " + document.location_rule)
        passages = [p for p in data.passages.values() if p.document == document.id]
        st.dataframe(pd.DataFrame({text("table.location", lang): [place(p.location, lang) for p in passages],
                                   text("table.arguments", lang): [", ".join(p.arguments) for p in passages],
                                   text("table.original", lang): [p.zh for p in passages],
                                   text("table.english", lang): [p.en for p in passages]}),
                     hide_index=True, width="stretch")

st.header(text("assumptions.baseline", lang))
gmv, shares = base_shares(parameter_batch(data, 1, overrides), data)
st.dataframe(pd.DataFrame({
    text("table.platform", lang): [label(p.label, lang) for p in data.platforms],
    text("table.gmv", lang): gmv[0] * display_scale("rmb_bn", lang), text("table.share", lang): shares[0] * 100,
    text("table.wechat_access", lang): [p.wechat_access for p in data.platforms],
    text("table.note", lang): [label(p.gmv_note, lang) for p in data.platforms],
    text("table.source", lang): [reference_text(data, p.gmv_reference.passages, p.gmv_reference.literature, lang)
                                 for p in data.platforms]}), hide_index=True, width="stretch")
st.subheader(text("assumptions.figures", lang))
st.dataframe(pd.DataFrame({
    text("table.raw", lang): [f.raw for f in data.figures.values()],
    text("table.value", lang): [f.value for f in data.figures.values()],
    text("table.unit", lang): [label(f.unit, lang) for f in data.figures.values()],
    text("table.confidence", lang): [text(f"confidence.{f.confidence}", lang) for f in data.figures.values()],
    text("table.reading", lang): [label(f.reading, lang) for f in data.figures.values()],
    text("table.location", lang): [place(data.passages[f.passage].location, lang) for f in data.figures.values()]}),
    hide_index=True, width="stretch")
st.subheader(text("assumptions.context", lang))
st.dataframe(pd.DataFrame({
    text("table.parameter", lang): [label(f.label, lang) for f in data.baseline.figures],
    text("table.value", lang): [f.value for f in data.baseline.figures],
    text("table.unit", lang): [label(f.unit, lang) for f in data.baseline.figures],
    text("table.source", lang): [reference_text(data, f.reference.passages, f.reference.literature, lang)
                                 for f in data.baseline.figures]}), hide_index=True, width="stretch")
