"""Assumptions & sources: every parameter (editable within its range for this session), the
argument map with its passages, and the baseline figures with their sources."""
import html

import pandas as pd
import streamlit as st

from model.data import default_data
from model.refs import place, reference_text
from model.engine import parameter_batch
from model.market import base_shares
from ui import state
from ui.findings import beliefs_panel
from ui.i18n import display_scale, label, source_line, text
from ui.report import csv_bytes
from ui.widgets import claim_role, passage_html

data = default_data()
lang = state.lang()
overrides = st.session_state["assumptions"]

st.title(text("assumptions.title", lang))
st.caption(text("assumptions.caption", lang))

def source_links(reference) -> str:
    """A parameter's sources, each a link to its full entry under References below."""
    parts = [(f"ref-{pid}", reference_text(data, (pid,), (), lang)) for pid in reference.passages]
    parts += [(f"ref-{lid}", reference_text(data, (), (lid,), lang)) for lid in reference.literature]
    return "; ".join(f"<a href='#{html.escape(anchor)}'>{html.escape(words)}</a>" for anchor, words in parts)


def full_reference(anchor: str, words: str) -> str:
    return f"<li id='{html.escape(anchor)}'>{words}</li>"


def references_html() -> str:
    """Every source a parameter cites, in full: title, author or publisher, date, and the URL or the
    document and its place; in Chinese where the source has a Chinese title."""
    esc = html.escape
    cited_passages = dict.fromkeys(pid for p in data.parameters.values() for pid in p.reference.passages)
    cited_literature = dict.fromkeys(lid for p in data.parameters.values() for lid in p.reference.literature)
    items = []
    for pid in cited_passages:
        passage = data.passages[pid]
        items.append(full_reference(f"ref-{pid}", f"<b>{esc(pid)}</b> {esc(source_line(passage, lang))}"))
    for lid in cited_literature:
        item = data.literature[lid]
        authors, title = ((item.authors_zh or item.authors, item.title_zh or item.title) if lang == "zh"
                          else (item.authors, item.title))
        link = f" <a href='{esc(item.link)}' rel='noopener' target='_blank'>{esc(item.link)}</a>" if item.link else ""
        items.append(full_reference(f"ref-{lid}", f"<b>{esc(authors)}</b> ({item.year}). {esc(title)}. "
                                                  f"{esc(item.venue)}.{link}"))
    return f"<ol class='references' lang='{lang}'>{''.join(items)}</ol>"


def parameters_html() -> str:
    """The parameters as a table whose cells wrap, Source second so that it is never off screen;
    a narrow screen scrolls the table inside its own frame with a visible scrollbar."""
    esc = html.escape
    heads = [text(key, lang) for key in ("table.parameter", "table.source", "table.value", "table.unit", "table.low",
                                         "table.central", "table.high", "table.range_note", "table.id")]
    rows = []
    for p in data.parameters.values():
        current = overrides.get(p.id, p.central)
        cells = [esc(label(p.label, lang)) + (" ✎" if p.id in overrides else ""), source_links(p.reference),
                 f"{current:g}", esc(label(p.unit, lang)), f"{p.low:g}", f"{p.central:g}", f"{p.high:g}",
                 esc(label(p.range_note, lang)), f"<code>{esc(p.id)}</code>"]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return (f"<div class='wide-table' tabindex='0' role='region' aria-label='{esc(text('assumptions.parameters', lang))}'>"
            f"<table class='data parameters'><thead><tr>{''.join(f'<th>{esc(h)}</th>' for h in heads)}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


st.header(text("assumptions.parameters", lang))
st.html(parameters_html())
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
st.download_button(text("widget.download_csv", lang), csv_bytes(pd.DataFrame(rows)),
                   file_name="parameters.csv", mime="text/csv", on_click="ignore")
with st.expander(text("assumptions.references", lang), expanded=True):
    st.html(references_html())


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

beliefs_panel(lang)

st.header(text("assumptions.claims", lang))
st.caption(text("assumptions.claims_caption", lang))
for claim in data.claims.values():
    with st.expander(f"{', '.join(claim.arguments)} — {label(claim.statement, lang)}"):
        lever = (label(data.levers[claim.lever].label, lang) if claim.lever
                 else text("claim.package" if claim.kind == "package" else "claim.trend", lang))
        st.markdown(text("assumptions.claim_detail", lang, lever=lever,
                         outcome=label(data.outcomes[claim.outcome].label, lang),
                         direction=text(f"direction.{claim.direction}", lang), year=claim.year,
                         mechanism=label(data.mechanisms[claim.mechanism].label, lang),
                         role=claim_role(claim, lang)))
        st.html("".join(passage_html(data.passages[pid], lang) for pid in claim.passages))

st.header(text("assumptions.passages", lang))
for document in data.documents.values():
    author = text("source.unnamed", lang) if document.author == "unnamed" else document.author
    with st.expander(f"{document.title} — {author}, {document.date}"):
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
                                 for p in data.platforms]}), hide_index=True, width="stretch",
    column_config={text("table.gmv", lang): st.column_config.NumberColumn(format="%,.0f"),
                   text("table.share", lang): st.column_config.NumberColumn(format="%.1f")})
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
