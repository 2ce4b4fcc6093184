"""Presentation mode: the scenario on screen and the compared ones, one 16:9 slide each that fits a
1280×720 projector without scrolling; large type, no controls, ← → to step, Exit back to the view
you left. Printing the page gives a handout with every slide."""
import html
import json
from urllib.parse import urlencode

import streamlit as st

from model.data import default_data
from ui import charts, compute, report, state
from ui.chart_component import plotly_chart
from ui.i18n import label, text
from ui.session import library
from ui.state import CURRENT
from ui.widgets import headline_metrics, passage_html

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stMainMenu"], [data-testid="stToolbar"] {display: none;}
.block-container, [data-testid="stMainBlockContainer"] {padding: 0.5rem 1.5rem 0.25rem !important; max-width: 100% !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.4rem;}
h1.deck-title {font-size: 2.1rem; line-height: 1.2; margin: 0; padding: 0;}
[data-testid="stMetric"] {padding: 0.3rem 0.7rem !important;}
[data-testid="stMetricLabel"] p {font-size: 1.05rem !important;}
[data-testid="stMetricValue"] {font-size: 1.6rem !important; line-height: 1.2;}
[data-testid="stMetric"] label {margin-bottom: 0 !important; min-height: 0 !important;}
[data-testid="stMetricDelta"] {font-size: 1rem !important;}
.passage {font-size: 1rem; line-height: 1.4;}
.passage p {font-size: inherit !important;}
.claim-statement {font-size: 1.2rem; font-weight: 600; margin: 0;}
.deck-position {font-size: 1.05rem; color: #444; margin: 0;}
/* A 1920×1080 screen gets larger type and the taller chart; a 1280×720 one the shorter. */
.st-key-chart_large {display: none;}
@media (min-width: 1700px) and (min-height: 1000px) {
  .st-key-chart_small {display: none;}
  .st-key-chart_large {display: block;}
  h1.deck-title {font-size: 2.8rem;}
  .deck-position {font-size: 1.3rem;}
  [data-testid="stMetricLabel"] p {font-size: 1.4rem !important;}
  [data-testid="stMetricValue"] {font-size: 2.4rem !important;}
  [data-testid="stMetricDelta"] {font-size: 1.3rem !important;}
  .passage {font-size: 1.45rem;}
  .claim-statement {font-size: 1.6rem;}
}
/* A tall portrait screen (a tablet held upright): the quote goes under the chart, which takes the width. */
@media (orientation: portrait) and (min-height: 1100px) {
  [data-testid="stHorizontalBlock"]:has(.st-key-chart_small) {flex-direction: column;}
  [data-testid="stHorizontalBlock"]:has(.st-key-chart_small) > [data-testid="stColumn"] {width: 100% !important; flex: 1 1 auto !important;}
}
@media print {
  .st-key-deck_controls, .modebar {display: none !important;}
  [data-testid="stMain"] {overflow: visible !important;}
}
</style>
"""
# With the title row, two rows of metrics and the quote beside it: 720 px, and 1080 px in all.
CHART_HEIGHTS = {"chart_small": 300, "chart_large": 520}

data = default_data()
lang = state.lang()
found = library().find(stem for stem in st.session_state["compare"] if stem != CURRENT)
if st.session_state.get("last_page", "present") != "present":
    st.session_state["present_return"] = st.session_state["last_page"]

# The deck: the scenario on screen, then the compared ones (where the Compare page lists the
# current levers, they keep that place). Never the whole library.
compared = [stem for stem in st.session_state["compare"] if stem in found or stem == CURRENT]
stems = compared if CURRENT in compared else [CURRENT, *compared]
current = state.scenario(text("compare.current", lang))
deck = [current if stem == CURRENT else found[stem].scenario for stem in stems]
slide = min(max(int(st.session_state.get("slide", 0)), 0), len(deck) - 1)
st.session_state["slide"] = slide


def _step(by: int) -> None:
    st.session_state["slide"] = min(max(st.session_state["slide"] + by, 0), len(deck) - 1)


st.html(PRESENTATION_CSS)
target = st.session_state.get("present_return", "explore")
scenario = deck[slide]
result = compute.run(scenario.key())
final = result.final
year = result.years[-1]

with st.container(horizontal=True, vertical_alignment="center"):
    st.html(f"<h1 class='deck-title' lang='{lang}'>{html.escape(scenario.title(lang))}</h1>", width="stretch")
    with st.container(horizontal=True, key="deck_controls", width="content"):
        st.button(text("present.previous", lang), on_click=_step, args=(-1,), disabled=slide == 0,
                  shortcut="Left", key="previous_slide")
        st.button(text("present.next", lang), on_click=_step, args=(1,), disabled=slide == len(deck) - 1,
                  shortcut="Right", key="next_slide")
        st.download_button(text("present.handout", lang), lambda: report.handout_html(deck, lang).encode("utf-8"),
                           file_name="interconnection-slides.html", mime="text/html", on_click="ignore",
                           key="handout")
        if st.button(text("present.exit", lang), key="exit_presentation"):
            st.switch_page(f"app_pages/{target}.py", query_params=state.address_query(target))
st.html(f"<p class='deck-position'>{html.escape(text('present.position', lang, number=slide + 1, total=len(deck), year=year))}"
        f" · {html.escape(text('present.keys', lang))}</p>")
headline_metrics(final, lang, explain=False)

quote = report.slide_quote(scenario)
left, right = st.columns([3, 2])
with left:
    figure = charts.shares_chart(final["value"], final["status_quo"], lang, year)
    for size, height in CHART_HEIGHTS.items():  # CSS shows the one that fits the screen
        with st.container(key=size):
            plotly_chart(charts.for_projection(figure, height), f"present_{size}", lang, config={"displayModeBar": False})
if quote is not None:
    passage = data.passages[quote.passages[0]]
    right.html(f"<p class='claim-statement'>{html.escape(label(quote.statement, lang))}</p>"
               + passage_html(passage, lang, both=False))
# Browser Back leaves the deck the way Exit does, once Streamlit has handled the history step; the
# address is set first so that it reads as the view returned to.
exit_address = ("./" + ("" if target == "explore" else target) + "?" + urlencode(state.address_query(target)))
st.html(f"<script>window.deckExitAddress = {json.dumps(exit_address)};"
        "if (!window.deckBackHandler) { window.deckBackHandler = true; window.addEventListener('popstate', () => "
        "setTimeout(() => { const exit = document.querySelector('.st-key-exit_presentation button'); "
        "if (exit) { window.history.replaceState({}, '', window.deckExitAddress); exit.click(); } }, 400)); }</script>",
        unsafe_allow_javascript=True)
