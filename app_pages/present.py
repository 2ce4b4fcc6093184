"""Presentation mode: no controls, large type, one scenario per slide, arrow keys to step."""
import streamlit as st

from model.claims import claims_behind
from model.data import default_data
from ui import charts, compute, state
from ui.charts import PLOTLY_CONFIG
from ui.library import library
from ui.i18n import text
from ui.widgets import claim_card, headline_metrics

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1rem; max-width: 94vw;}
h1 {font-size: 3rem !important;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] blockquote {font-size: 1.25rem;}
[data-testid="stMetricLabel"] p {font-size: 1.15rem;}
[data-testid="stMetricValue"] p {font-size: 2.8rem;}
</style>
"""

data = default_data()
lang = state.lang()
entries = {entry.stem: entry for entry in library().entries()}
# Without a chosen list, the presets only: visitors' saved scenarios are not put on anyone's screen.
stems = [stem for stem in st.session_state["compare"] if stem in entries] or [
    stem for stem, entry in entries.items() if entry.protected]
st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
slide = min(max(int(st.session_state.get("slide", 0)), 0), len(stems) - 1)
st.session_state["slide"] = slide


def _step(by: int) -> None:
    st.session_state["slide"] = min(max(st.session_state["slide"] + by, 0), len(stems) - 1)


scenario = entries[stems[slide]].scenario
result = compute.run(scenario.key())
final = result.final

top = st.columns([5, 2, 2, 1], vertical_alignment="center")
top[0].title(scenario.name)
top[1].button(text("present.previous", lang), on_click=_step, args=(-1,), disabled=slide == 0,
              shortcut="Left", key="previous_slide", width="stretch")
top[2].button(text("present.next", lang), on_click=_step, args=(1,), disabled=slide == len(stems) - 1,
              shortcut="Right", key="next_slide", width="stretch")
if top[3].button(text("present.exit", lang), key="exit_presentation", width="stretch"):
    st.switch_page("app_pages/explore.py")
st.caption(text("present.position", lang, number=slide + 1, total=len(stems), year=result.years[-1]))
if scenario.description:
    st.text(scenario.description)  # visitors' text: shown as typed, never as Markdown (M1)
headline_metrics(final, lang)
left, right = st.columns([3, 2])
with left:
    figure = charts.shares_chart(final["value"], final["status_quo"], lang, result.years[-1])
    st.plotly_chart(figure.update_layout(font={"size": 20}, height=560), config=PLOTLY_CONFIG, key="present_shares")
with right:
    contributions = compute.attribution(scenario.key()).loc["concentration.hhi"]
    movers = [lv for lv in contributions.abs().sort_values(ascending=False).index if abs(contributions[lv]) > 1e-9]
    quotes = claims_behind("concentration.hhi", movers, data)[:1] or claims_behind(
        "sme.private_domain_share", list(data.levers), data)[:1]
    for claim in quotes:
        claim_card(claim, lang)
st.caption(text("present.keys", lang) + " · " + " → ".join(entries[s].scenario.name for s in stems))
