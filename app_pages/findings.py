"""Findings: for every finding of the argument map, the share of parameter draws in which it holds and
what you would have to believe for it to flip (analysis/findings.py), served from the analysis
cache; under the reader's own beliefs (ranges narrowed on the Assumptions page) the shares are the
stored draws reweighted."""
import streamlit as st

from ui import findings, state
from ui.i18n import number, text

lang = state.lang()
st.title(text("findings.title", lang))
analysis = findings.stored()
if analysis is None:
    st.info(text("findings.not_computed", lang))
    if st.button(text("findings.compute", lang), type="primary"):
        findings.compute(lang)
        st.rerun()
    st.stop()

summary = analysis.summary
st.caption(text("findings.caption", lang, draws=number(summary["draws"]), seed=summary["seed"],
                base=summary["sobol_base"], factors=summary["factors"], runs=number(summary["sobol_runs"]),
                version=summary["model_version"]))
shares = findings.reweighted(analysis)
if shares is not None:
    st.info(text("findings.beliefs_on", lang, count=len(findings.beliefs())), icon="✏️")
    findings.effective_sample_note(shares[1], summary["draws"], lang)
else:
    st.caption(text("findings.beliefs_off", lang))
st.page_link("app_pages/assumptions.py", label=text("findings.edit_beliefs", lang), icon="✏️")
for k in findings.chosen_findings(summary, lang):
    findings.finding_card(summary["findings"][k], None if shares is None else float(shares[0][k]), lang)
