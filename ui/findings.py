"""The findings' analysis on the pages (analysis/findings.py): read from the analysis cache, computed
with a progress bar when it is missing, and reweighted under the reader's own beliefs — parameter
ranges narrowed on the Assumptions page, kept in the session — without running the model again."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import streamlit as st

from analysis import findings as analysis_findings
from analysis.evaluator import connect, data_hash
from model import MODEL_VERSION
from model.data import default_data
from store.evaluations import EvaluationCache
from store.library import database_url

from .i18n import label, number, text

BELIEFS = "beliefs"               # session key: parameter id → [low, high], the reader's narrowed ranges
MIN_EFFECTIVE_SAMPLE = 200        # below this the reweighted shares are too noisy to read (SE up to 3.5 pp)
# Whom a finding is about, by its outcome's group in data/outcomes.yaml: the Findings page shows one
# of these at a time (every card at once made it the slowest page to paint), or all on request.
FINDING_GROUPS = {"consumers": ("consumer", "harms"), "merchants": ("sme",),
                  "platforms": ("shares", "revenue", "concentration"), "markets": ("market", "ledger", "breakdown")}
ALL = "all"
_LOADED: dict[tuple, analysis_findings.FindingsAnalysis] = {}   # per server: the stored analysis, read once


def stored() -> analysis_findings.FindingsAnalysis | None:
    """The newest stored analysis for this model version and data, or None."""
    data = default_data()
    key = (database_url(), MODEL_VERSION, data_hash(data))
    if key not in _LOADED:
        found = EvaluationCache().latest_result("findings", MODEL_VERSION, data_hash(data))
        if found is None:
            return None
        _LOADED[key] = analysis_findings.FindingsAnalysis.from_arrays(*found)
    return _LOADED[key]


def compute(lang: str) -> None:
    """Run the analysis on the evaluator (the Dask scheduler INTERCONNECT_DASK_SCHEDULER names, else a
    LocalCluster on this machine) with a progress bar; chunks already cached are not recomputed."""
    bar = st.progress(0.0, text=text("findings.starting", lang))

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0,
                     text=text("findings.progress", lang, stage=text(f"findings.stage_{stage}", lang), done=done,
                               total=total))

    with connect() as client:
        analysis_findings.analyse(default_data(), client=client, cache=EvaluationCache(), progress=progress)
    bar.empty()


def beliefs() -> dict[str, list[float]]:
    return st.session_state.setdefault(BELIEFS, {})


def reweighted(analysis: analysis_findings.FindingsAnalysis) -> tuple[np.ndarray, float] | None:
    """Every finding's share under the reader's narrowed ranges, and the effective sample size; None
    without any."""
    narrowed = {pid: tuple(r) for pid, r in beliefs().items() if pid in analysis.parameter_ids}
    return analysis_findings.reweighted(analysis, narrowed) if narrowed else None


def effective_sample_note(effective: float, draws: int, lang: str) -> None:
    st.caption(text("beliefs.effective", lang, effective=number(effective), draws=number(draws)))
    if effective < MIN_EFFECTIVE_SAMPLE:
        st.warning(text("beliefs.too_few", lang, minimum=MIN_EFFECTIVE_SAMPLE), icon="⚠️")


def _store_belief(pid: str) -> None:
    low, high = st.session_state[f"belief.{pid}"]
    p = default_data().parameters[pid]
    if low <= p.low and high >= p.high:
        beliefs().pop(pid, None)
    elif high > low:
        beliefs()[pid] = [float(low), float(high)]


def _clear_beliefs() -> None:
    beliefs().clear()


@st.fragment
def beliefs_panel(lang: str) -> None:
    """"Your own beliefs" on the Assumptions page: narrow any drawn parameter's range and see every
    finding's share move at once (the stored sample reweighted, no model run); a fragment, so a
    slider move reruns this panel only."""
    data = default_data()
    with st.container(border=True, key="beliefs_panel"):
        st.subheader(text("beliefs.title", lang))
        st.caption(text("beliefs.caption", lang))
        analysis = stored()
        if analysis is None:
            st.info(text("beliefs.not_computed", lang))
            st.page_link("app_pages/findings.py", label=text("page.findings", lang), icon="➡️")
            return
        narrowed = beliefs()
        chosen = st.selectbox(text("assumptions.choose", lang), analysis.parameter_ids, key="belief_parameter",
                              format_func=lambda pid: label(data.parameters[pid].label, lang)
                              + (" ✎" if pid in narrowed else ""))
        p = data.parameters[chosen]
        st.session_state[f"belief.{chosen}"] = tuple(narrowed.get(chosen, (p.low, p.high)))
        st.slider(text("beliefs.range", lang, unit=label(p.unit, lang), central=f"{p.central:g}"),
                  min_value=float(p.low), max_value=float(p.high), step=(p.high - p.low) / 100, format="%g",
                  key=f"belief.{chosen}", on_change=_store_belief, args=(chosen,))
        if narrowed:
            st.caption(text("beliefs.narrowed", lang, ranges="; ".join(
                f"{label(data.parameters[pid].label, lang)} {low:g}–{high:g}" for pid, (low, high) in narrowed.items())))
            st.button(text("beliefs.clear", lang), on_click=_clear_beliefs)
        shares = reweighted(analysis)
        summary = analysis.summary
        frame = pd.DataFrame({
            text("beliefs.finding", lang): [f"{', '.join(f['arguments'])} — {f['statement'][lang]}"
                                            for f in summary["findings"]],
            text("beliefs.model_share", lang): [round(100 * f["share"]) for f in summary["findings"]]})
        if shares is not None:
            frame[text("beliefs.your_share", lang)] = np.round(100 * shares[0])
            effective_sample_note(shares[1], summary["draws"], lang)
        st.dataframe(frame, hide_index=True, width="stretch", height=320,
                     column_config={c: st.column_config.NumberColumn(format="%d%%") for c in frame.columns[1:]})


def finding_group(finding: dict) -> str:
    """The FINDING_GROUPS entry of a finding's outcome."""
    group = default_data().outcomes[default_data().claims[finding["id"]].outcome].group
    return next(name for name, outcome_groups in FINDING_GROUPS.items() if group in outcome_groups)


def chosen_findings(summary: dict, lang: str) -> list[int]:
    """The picker of whom the findings are about (each choice with its count), and the positions in
    summary["findings"] of the chosen group's findings."""
    groups = [finding_group(f) for f in summary["findings"]]
    counts = {name: groups.count(name) for name in FINDING_GROUPS} | {ALL: len(groups)}
    chosen = st.segmented_control(
        text("findings.about", lang), [name for name, count in counts.items() if count], required=True,
        default=next(name for name, count in counts.items() if count), key="findings_group",
        format_func=lambda name: text("findings.group", lang, group=text(f"findings.group_{name}", lang),
                                      count=counts[name]))
    return [k for k, group in enumerate(groups) if chosen in (ALL, group)]


def finding_card(finding: dict, your_share: float | None, lang: str) -> None:
    """One finding: its statement, the share of draws in which it holds (and under your beliefs),
    the plain sentences, the quoted arguments of each document, and what drives it: a chart whose
    parameters link to their rows on the Assumptions page, built only while its expander is open
    (a chart and links on every card would make this page the slowest to paint)."""
    from .widgets import passage_html

    data = default_data()
    esc = html.escape
    flip, where = analysis_findings.explain(finding, data, lang, text)
    share = text("findings.share", lang, share=f"{finding['share']:.0%}", error=f"{finding['standard_error']:.1%}")
    if your_share is not None and np.isfinite(your_share):
        share += " · " + text("findings.your_share", lang, share=f"{your_share:.0%}")
    claim = data.claims[finding["id"]]
    with st.container(border=True, key=f"finding_{finding['id']}"):
        st.html(f"<div class='finding-card' lang='{lang}'>"
                f"<p class='claim-statement'><b>{esc(label(claim.statement, lang))}</b></p>"
                f"<p class='finding-share'>{esc(share)}</p>"
                f"<p>{esc(flip)}</p><p>{esc(where)}</p>"
                f"<p class='claim-meta'>{esc(', '.join(claim.arguments))}</p></div>")
        # The passages behind the claim, each with its document and place (both texts' sides).
        st.html("".join(passage_html(data.passages[pid], lang, both=False) for pid in claim.passages))
        if finding["sobol"]:
            drivers = st.expander(text("findings.drivers", lang), key=f"drivers.{finding['id']}", on_change="rerun")
            if drivers.open:
                with drivers:
                    _drivers(finding, lang)


def _drivers(finding: dict, lang: str) -> None:
    """What drives the finding's size (Sobol indices), each of the top three a link to its parameter."""
    from .charts import drivers_chart
    from .chart_component import plotly_chart

    data = default_data()
    plotly_chart(drivers_chart(finding["sobol"], lang), f"drivers_chart.{finding['id']}", lang)
    links = st.container(horizontal=True, gap="small")
    for entry in finding["sobol"][:3]:
        links.button(text("findings.see_parameter", lang,
                          parameter=label(data.parameters[entry["parameter"]].label, lang)),
                     key=f"goto.{finding['id']}.{entry['parameter']}", on_click=_show_parameter,
                     args=(entry["parameter"],), type="tertiary")


def _show_parameter(pid: str) -> None:
    """Open the Assumptions page with this parameter chosen in the editor and in "Your own beliefs"."""
    st.session_state["edit_parameter"] = pid
    st.session_state["belief_parameter"] = pid
    st.session_state["requested_page"] = "assumptions"
