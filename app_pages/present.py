"""Presentation mode: the scenario on screen and the compared ones, one 16:9 slide each that fits a
1280×720 projector without scrolling; large type, no controls, ← → to step, Exit back to the view
you left. Printing the page gives a handout with every slide."""
import html
import json
from urllib.parse import urlencode

import streamlit as st

from model.data import default_data
from model.scenario import Scenario
from ui import charts, compute, exports, rooms, slides, state
from ui.chart_component import plotly_chart
from ui.i18n import text
from ui.session import library
from ui.state import CURRENT
from ui.report import track_record_result
from ui.urlstate import EXTRA_SLIDES

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stMainMenu"], [data-testid="stToolbar"] {display: none;}
.block-container, [data-testid="stMainBlockContainer"] {padding: 0.5rem 1.5rem 0.25rem !important; max-width: 100% !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.4rem;}
h1.deck-title {font-size: 2.1rem; line-height: 1.2; margin: 0; padding: 0; overflow-wrap: anywhere;}
h1.deck-title.long {font-size: 1.5rem;}
.deck-position {font-size: 1.05rem; color: #444; margin: 0;}
/* A 1920×1080 screen gets larger type and the taller chart; a 1280×720 one the shorter. */
[class*="st-key-chart_large"] {display: none;}
@media (min-width: 1700px) and (min-height: 1000px) {
  [class*="st-key-chart_small"] {display: none;}
  [class*="st-key-chart_large"] {display: block;}
  h1.deck-title {font-size: 2.8rem;}
  h1.deck-title.long {font-size: 2rem;}
  .policy-card {font-size: 1.25rem;} .takeaway {font-size: 1.55rem;}
  .m-label {font-size: 1.2rem;} .m-value {font-size: 1.9rem;} .m-change {font-size: 1.3rem;} .m-band {font-size: 1.05rem;}
  .slide-quote .claim-statement {font-size: 1.4rem;} .slide-quote .passage, .slide-quote .passage p {font-size: 1.25rem;}
  .slide-quote .verdict {font-size: 1.15rem;} .slide-source {font-size: .95rem;} .chart-caption {font-size: 1.05rem;}
  .deck-position {font-size: 1.3rem;}
  .person-slide .person-card .person-total {font-size: 2.6rem;}
  .person-slide .person-card .person-band, .person-slide .person-card .person-who {font-size: 1.5rem;}
  .person-slide .person-card .person-parts {font-size: 1.6rem;} .person-note {font-size: 1.2rem;}
}
/* A tall portrait screen (a tablet held upright): the quote goes under the chart, which takes the width. */
@media (orientation: portrait) and (min-height: 1100px) {
  [data-testid="stHorizontalBlock"]:has(.st-key-chart_small) {flex-direction: column;}
  [data-testid="stHorizontalBlock"]:has(.st-key-chart_small) > [data-testid="stColumn"] {width: 100% !important; flex: 1 1 auto !important;}
  /* The four paths two by two. */
  [data-testid="stHorizontalBlock"]:has([class*="st-key-chart_small_paths"]) {flex-wrap: wrap;}
  [data-testid="stHorizontalBlock"]:has([class*="st-key-chart_small_paths"]) > [data-testid="stColumn"] {width: calc(50% - 1rem) !important; flex: 1 1 calc(50% - 1rem) !important;}
}
@media print {
  .st-key-deck_controls, .modebar {display: none !important;}
  [data-testid="stMain"] {overflow: visible !important;}
}
</style>
"""
# With the title row, the policy card, the takeaway, two rows of numbers and the source line:
# 720 px, and 1080 px in all. The small chart leaves room for one line more than a one-line policy card
# and a two-line takeaway, since those line counts are only estimated (slides.extra_lines).
CHART_HEIGHTS = {"chart_small": 322, "chart_large": 520}
LONG_TITLE_LINE = 45
# An optional slide has no numbers: its charts take that room. Per size: height and type size (the
# four paths side by side need smaller type than one chart across the slide).
EXTRA_CHARTS = {"paths": {"chart_small": (360, 14), "chart_large": (640, 19)},
                "ledger": {"chart_small": (460, 16), "chart_large": (760, 20)},
                "track": {"chart_small": (470, 15), "chart_large": (700, 19)}}
TEXT_LINE = 27  # a line of the policy card or the takeaway at 1280×720

data = default_data()
lang = state.lang()
found = library().find(stem for stem in st.session_state["compare"] if stem != CURRENT)
if st.session_state.get("last_page", "present") != "present":
    st.session_state["present_return"] = st.session_state["last_page"]


def deck_of(stems: list[str]) -> list[Scenario]:
    """The scenario on screen, then the compared ones (where the Compare page lists the current levers,
    they keep that place); never the whole library. The status quo, and a scenario identical to one
    before it, get no slide of their own: every slide is already against the status quo."""
    compared = [stem for stem in stems if stem in found or stem == CURRENT]
    ordered = compared if CURRENT in compared else [CURRENT, *compared]
    status_quo = Scenario(name="", levers=dict(data.status_quo_levers), horizon=state.scenario().horizon,
                          assumptions=dict(st.session_state["assumptions"])).key()
    # The levers on screen that are a compared saved scenario take its slide, under its name.
    named = {found[stem].scenario.key() for stem in compared if stem != CURRENT}
    deck, seen = [], set()
    for stem in ordered:
        scenario = state.scenario(text("compare.current", lang)) if stem == CURRENT else found[stem].scenario
        if (scenario.key() in seen or (scenario.key() == status_quo and len(ordered) > 1)
                or (stem == CURRENT and scenario.key() in named)):
            continue
        seen.add(scenario.key())
        deck.append(scenario)
    return deck or [state.scenario(text("compare.current", lang))]


def slide_of(number: int) -> slides.Slide:
    """Scenario `number`'s policy slide, quoting an argument no earlier slide quoted when another applies."""
    used: set[str] = set()
    effects = compute.claim_effects()
    for earlier in deck[:number]:
        chosen = slides.choose_quote(earlier, compute.run(earlier.key()).attribution, effects, used)
        used.add(chosen[0].id if chosen else "")
    scenario = deck[number]
    bands = compute.monte_carlo(scenario.key())
    return slides.policy_slide(scenario, compute.run(scenario.key()), bands.final_changes, bands.draws, effects,
                               lang, used)


def extra_slide_of(kind: str, number: int) -> slides.ChartSlide:
    """An optional slide: scenario `number`'s paths (their bands when uncertainty is on) or ledger, or
    the track record."""
    if kind == "track":
        return slides.track_record_slide(track_record_result(), lang)
    scenario = deck[number]
    bands = compute.monte_carlo(scenario.key()) if st.session_state["uncertainty"] else None
    return slides.extra_slide(kind, scenario, compute.run(scenario.key()), bands, lang)


def more_slides_control() -> None:
    """The presenter's choice of optional slides, kept in the link (`more`)."""
    with st.popover(text("present.more_slides", lang), key="more_slides"):
        st.pills(text("present.more_slides_label", lang), EXTRA_SLIDES, selection_mode="multi",
                 format_func=lambda kind: text(f"present.extra.{kind}", lang), **state.bound("present_extras"))


def draw_extra_charts(shown: slides.ChartSlide) -> None:
    """The optional slide's charts across the slide, each at the size that fits the screen (CSS
    shows one); the four paths carry no legend of their own (the caption says what the lines are)."""
    columns = st.columns(len(shown.figures)) if len(shown.figures) > 1 else [st.container()]
    for k, (column, figure) in enumerate(zip(columns, shown.figures)):
        with column:
            for size, (height, font) in EXTRA_CHARTS[shown.kind].items():
                with st.container(key=f"{size}_{shown.kind}_{k}"):
                    projected = charts.for_projection(figure, height - chart_cut[size], font)
                    if shown.kind == "paths":
                        projected["layout"] |= {"showlegend": False,
                                                "margin": projected["layout"]["margin"] | {"b": 50, "l": 56}}
                    plotly_chart(projected, f"present_{shown.kind}_{size}_{k}", lang, config={"displayModeBar": False})


deck = deck_of(st.session_state["compare"])
# Each scenario's policy slide, then its typical merchant and shopper, then the optional slides asked for.
order = slides.deck_order(len(deck), tuple(st.session_state["present_extras"]), person=True)
slide = min(max(int(st.session_state.get("slide", 0)), 0), len(order) - 1)
st.session_state["slide"] = slide


def _step(by: int) -> None:
    st.session_state["slide"] = min(max(st.session_state["slide"] + by, 0), len(order) - 1)


# The slides' own sizes first, so that the larger type of a 1920×1080 screen (equal specificity) wins.
st.html("<style>" + slides.SLIDE_CSS + "</style>" + PRESENTATION_CSS)
target = st.session_state.get("present_return", "explore")
kind, which = order[slide]
if kind == "person":
    scenario = deck[which]
    shown = slides.person_slide(scenario, compute.run(scenario.key()), compute.monte_carlo(scenario.key()),
                                state.person(), lang)
else:
    shown = slide_of(which) if kind == "policy" else extra_slide_of(kind, which)
year = shown.year
title_size = "long" if len(shown.title) > 40 else "short"

with st.container(horizontal=True, vertical_alignment="center"):
    st.html(f"<h1 class='deck-title {title_size}' lang='{lang}'>{html.escape(shown.title)}</h1>", width="stretch")
    with st.container(horizontal=True, key="deck_controls", width="content"):
        st.button(text("present.previous", lang), on_click=_step, args=(-1,), disabled=slide == 0,
                  shortcut="Left", key="previous_slide")
        st.button(text("present.next", lang), on_click=_step, args=(1,), disabled=slide == len(order) - 1,
                  shortcut="Right", key="next_slide")
        more_slides_control()
        exports.export_menu(deck, lang, state.person(), tuple(st.session_state["present_extras"]),
                            bool(st.session_state["uncertainty"]))
        rooms.open_room_button(lang, on_slide=True)
        if st.button(text("present.exit", lang), key="exit_presentation"):
            st.switch_page(f"app_pages/{target}.py", query_params=state.address_query(target))
position = (text("present.position", lang, number=slide + 1, total=len(order), year=year) if kind != "track"
            else slides.slide_position(shown, slide + 1, len(order)))
st.html(f"<p class='deck-position'>{html.escape(position)}"
        f" · {html.escape(text('present.keys', lang))}</p>")
# A long name takes a second title line beside the controls, and a long policy or takeaway more lines
# at 1280 px: the chart gives up that height.
chart_cut = {size: (LONG_TITLE_LINE if title_size == "long" else 0)
             + (TEXT_LINE * slides.extra_lines(shown) if size == "chart_small" and kind != "person" else 0)
             for size in CHART_HEIGHTS}
if kind == "person":
    st.html(slides.person_html(shown))
elif kind == "policy":
    st.html(slides.body_html(shown))
    left, right = st.columns([3, 2])
    with left:
        final = compute.run(deck[which].key()).final
        figure = charts.shares_chart(final["value"], final["status_quo"], lang, year)
        for size, height in CHART_HEIGHTS.items():  # CSS shows the one that fits the screen
            with st.container(key=size):
                plotly_chart(charts.for_projection(figure, height - chart_cut[size]), f"present_{size}", lang,
                             config={"displayModeBar": False})
    if shown.quote is not None:
        right.html(slides.quote_html(shown))
else:
    st.html(slides.chart_slide_html(shown))
    draw_extra_charts(shown)
st.html(slides.source_html(shown))
# Browser Back leaves the deck the way Exit does, once Streamlit has handled the history step; the
# address is set first so that it reads as the view returned to.
exit_address = ("./" + ("" if target == "explore" else target) + "?" + urlencode(state.address_query(target)))
st.html(f"<script>window.deckExitAddress = {json.dumps(exit_address)};"
        "if (!window.deckBackHandler) { window.deckBackHandler = true; window.addEventListener('popstate', () => "
        "setTimeout(() => { const exit = document.querySelector('.st-key-exit_presentation button'); "
        "if (exit) { window.history.replaceState({}, '', window.deckExitAddress); exit.click(); } }, 400)); }</script>",
        unsafe_allow_javascript=True)
