"""Presentation mode: the scenario on screen and the compared ones, one 16:9 slide each that fits a
1280×720 projector without scrolling; large type, no controls, ← → to step, Exit back to the view
you left. Printing the page gives a handout with every slide."""
import html

import streamlit as st

from model.claims import claims_behind
from model.data import default_data
from model.store import default_store
from ui import charts, compute, state
from ui.charts import PLOTLY_CONFIG
from ui.i18n import label, text
from ui.state import CURRENT
from ui.widgets import headline_metrics, passage_html

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stMainMenu"], [data-testid="stToolbar"] {display: none;}
.block-container {padding: 0.75rem 1.5rem 0.5rem !important; max-width: 100% !important;}
.block-container [data-testid="stVerticalBlock"] {gap: 0.5rem;}
h1 {font-size: 2.2rem !important; padding: 0 !important;}
[data-testid="stMetric"] {padding: 0.35rem 0.6rem !important;}
[data-testid="stMetricLabel"] p {font-size: 1.05rem !important; white-space: normal !important;}
[data-testid="stMetricValue"] {font-size: 1.9rem !important;}
[data-testid="stMetricValue"] > div {white-space: normal !important; overflow: visible !important;}
[data-testid="stMetricDelta"] {font-size: 1.05rem !important;}
.passage {font-size: 1.15rem; line-height: 1.45;}
.claim-statement {font-size: 1.25rem; font-weight: 600; margin: 0;}
.deck-position {font-size: 1.05rem; color: #444; margin: 0;}
@media print {
  .st-key-deck_controls, [data-testid="stPlotlyChart"] .modebar {display: none !important;}
  [data-testid="stMain"] {overflow: visible !important;}
}
</style>
"""
CHART_HEIGHT = 400  # with the title row, metrics and one quote: 720 px in all

data = default_data()
lang = state.lang()
entries = {entry.stem: entry for entry in default_store().entries()}
if st.session_state.get("last_page", "present") != "present":
    st.session_state["present_return"] = st.session_state["last_page"]

# The deck: the scenario on screen, then the compared ones (where the Compare page lists the
# current levers, they keep that place). Never the whole library.
compared = [stem for stem in st.session_state["compare"] if stem in entries or stem == CURRENT]
stems = compared if CURRENT in compared else [CURRENT, *compared]
current = state.scenario(text("compare.current", lang))
deck = [current if stem == CURRENT else entries[stem].scenario for stem in stems]
slide = min(max(int(st.session_state.get("slide", 0)), 0), len(deck) - 1)
st.session_state["slide"] = slide


def _step(by: int) -> None:
    st.session_state["slide"] = min(max(st.session_state["slide"] + by, 0), len(deck) - 1)


st.html(PRESENTATION_CSS)
scenario = deck[slide]
result = compute.run(scenario.key())
final = result.final
year = result.years[-1]

with st.container(horizontal=True, vertical_alignment="center"):
    st.html(f"<h1 lang='{lang}'>{html.escape(scenario.title(lang))}</h1>", width="stretch")
    with st.container(horizontal=True, key="deck_controls", width="content"):
        st.button(text("present.previous", lang), on_click=_step, args=(-1,), disabled=slide == 0,
                  shortcut="Left", key="previous_slide")
        st.button(text("present.next", lang), on_click=_step, args=(1,), disabled=slide == len(deck) - 1,
                  shortcut="Right", key="next_slide")
        if st.button(text("present.exit", lang), key="exit_presentation"):
            st.switch_page(f"app_pages/{st.session_state.get('present_return', 'explore')}.py")
st.html(f"<p class='deck-position'>{html.escape(text('present.position', lang, number=slide + 1, total=len(deck), year=year))}"
        f" · {html.escape(text('present.keys', lang))}</p>")

left, right = st.columns([3, 2])
with left:
    figure = charts.shares_chart(final["value"], final["status_quo"], lang, year)
    st.plotly_chart(charts.for_projection(figure, CHART_HEIGHT), config=PLOTLY_CONFIG | {"displayModeBar": False},
                    key="present_shares")
with right:
    headline_metrics(final, lang, columns=2, explain=False)

# One argument, about an outcome on the slide and a lever this scenario moves.
movers = [lever for lever in data.levers if scenario.levers[lever] != data.status_quo_levers[lever]]
quote = next((claim for outcome in data.outcomes.values() if outcome.headline
              for claim in claims_behind(outcome.id, movers, data) if claim.outcome == outcome.id), None)
if quote is not None:
    passage = data.passages[quote.passages[0]]
    st.html(f"<p class='claim-statement'>{html.escape(label(quote.statement, lang))}</p>"
            + passage_html(passage, lang, english=lang == "en"))
