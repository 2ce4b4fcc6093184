"""What a user sees, in headless Chromium: slider moves on Explore against the floor page, first
paint, a page switch, and Compare opened cold with six scenarios — with 0 and 1,000 saved
scenarios in the store. Every figure is timed in the page by bench/probe.py."""
from __future__ import annotations

import re
import statistics
from collections import Counter
from urllib.parse import urlencode

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from store.library import PRESETS_DIR
from ui.state import CURRENT

from .appserver import chromium_path, launch_chromium, streamlit_server
from .paths import ROOT
from .probe import COUNT_JS, INIT_SCRIPT, LAST_CLICK_JS, LAST_KEY_JS, START, Rerun, settled, wait_rerun
from .seed import seeded_store

MOVES = 20
SWITCHES = 5
WARM_LOADS = 3
SAVED_COUNTS = (0, 1000)
SLIDER = "External-link unblocking"
IN_VIEW = "chart-waterfall"  # the chart scrolled to the top of the window for the moves watched on charts
FLOOR_SLIDER = "Level"
VIEWPORT = {"width": 1440, "height": 900}
# Plotly charts each page draws when it opens (a page that shows fewer is reported as timed out).
FLOOR_CHARTS, EXPLORE_CHARTS, COMPARE_CHARTS = 2, 3, 1
# A page that takes longer is reported as timed out (infinite time), not waited for.
TIMEOUT_MS = 60_000
TIMED_OUT = float("inf")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[round(share * (len(ordered) - 1))]


def _new_context(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT_SCRIPT)
    return context


# A page's charts: Streamlit's (the floor) or the dashboard's chart component, which draws a chart
# once it is on screen or near it (ui/chart_component.js): the DOM has settled when those are drawn.
CHARTS_JS = "(count) => document.querySelectorAll('.js-plotly-plot, .interconnect-chart').length >= count"


def _load(browser, url: str, charts: int, context=None, phases: list | None = None) -> tuple[object, float]:
    """Open `url` in a new session — in a new browser context (empty HTTP cache) unless `context` is
    given; ms from navigation start (page clock 0) until the rerun is over and painted with its
    `charts` Plotly charts drawn (a page drawing fewer is reported as timed out). Appends to `phases`
    when the first and the last message arrived."""
    page = (context or _new_context(browser)).new_page()
    page.goto(url)
    try:
        rerun = wait_rerun(page, START, timeout_ms=TIMEOUT_MS)
        end = rerun.end_ms
        if not page.evaluate(CHARTS_JS, charts):  # drawn after the rerun's quiet spell: wait until they are
            page.wait_for_function(CHARTS_JS, arg=charts, polling="raf", timeout=TIMEOUT_MS)
            end = settled(page, timeout_ms=TIMEOUT_MS)
    except PlaywrightTimeout:
        return page, TIMED_OUT
    if phases is not None:
        phases.append((rerun.first_message_ms, rerun.last_message_ms))
    return page, end


def _slider_moves(page, label: str | re.Pattern, moves: int = MOVES) -> list[tuple[float, Rerun, float]]:
    slider = page.get_by_role("slider", name=label)
    results = []
    for _ in range(moves):
        slider.focus()
        first = page.evaluate(COUNT_JS)
        page.keyboard.press("ArrowRight")
        rerun = wait_rerun(page, first)
        pressed = page.evaluate(LAST_KEY_JS)
        results.append((rerun.end_ms - pressed, rerun, pressed))
    return results


def _nav_click(page, title: str) -> float:
    first = page.evaluate(COUNT_JS)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
    try:
        rerun = wait_rerun(page, first, timeout_ms=TIMEOUT_MS)
    except PlaywrightTimeout:
        return TIMED_OUT
    return rerun.end_ms - page.evaluate(LAST_CLICK_JS)


def element_bytes(reruns: list[Rerun]) -> Counter:
    """Bytes per move by what was sent: element type for deltas, message type otherwise."""
    sizes: Counter = Counter()
    for rerun in reruns:
        for kind, size, message in rerun.decoded:
            if kind == "delta":
                delta = message.delta
                kind = delta.WhichOneof("type")
                if kind == "new_element":
                    kind = delta.new_element.WhichOneof("type")
            sizes[kind] += size / len(reruns)
    return sizes


def _moves_summary(results: list[tuple[float, Rerun, float]]) -> dict:
    latencies = [ms for ms, _, _ in results]
    reruns = [rerun for _, rerun, _ in results]
    return {"p50": statistics.median(latencies), "p95": percentile(latencies, 0.95),
            # where a move's time goes: to the first message, between first and last, to the paint (the
            # charts draw after the last message)
            "to_first_message": statistics.median(r.first_message_ms - p for _, r, p in results),
            "server_stream": statistics.median(r.last_message_ms - r.first_message_ms for r in reruns),
            "to_paint": statistics.median(r.end_ms - r.last_message_ms for r in reruns),
            "messages": statistics.median(r.messages for r in reruns),
            "kb": statistics.median(r.bytes for r in reruns) / 1024,
            "by_kind_kb": {k: v / 1024 for k, v in element_bytes(reruns).most_common()}}


def compare_url(base: str) -> str:
    presets = [p.stem for p in sorted(PRESETS_DIR.glob("*.yaml")) if p.stem != "status-quo"]
    return f"{base}/compare?" + urlencode({"page": "compare", "compare": ",".join(presets[:5] + [CURRENT])})


def measure_floor(browser) -> dict:
    with streamlit_server(ROOT / "bench" / "floor_app.py") as url:
        first_visit = _paint_time(browser, url, FLOOR_CHARTS)
        cached = _new_context(browser)
        _paint_time(browser, url, FLOOR_CHARTS, cached)
        first_paint_cached = statistics.median(_paint_time(browser, url, FLOOR_CHARTS, cached)
                                               for _ in range(WARM_LOADS))
        cached.close()
        phases: list[tuple[float, float]] = []
        page, first_paint = _load(browser, url, FLOOR_CHARTS, phases=phases)
        figures = _moves_summary(_slider_moves(page, FLOOR_SLIDER))
        page.context.close()
    return figures | {"first_visit": first_visit, "first_paint": first_paint, "first_paint_cached": first_paint_cached,
                      "first_paint_first_message": phases[0][0], "first_paint_last_message": phases[0][1]}


def _paint_time(browser, url: str, charts: int, context=None, phases: list | None = None) -> float:
    page, painted = _load(browser, url, charts, context, phases)
    (page if context else page.context).close()
    return painted


def measure_app(browser, saved: int) -> dict:
    with seeded_store(saved) as env, streamlit_server(env=env) as url:
        first_visit = _paint_time(browser, url, EXPLORE_CHARTS)  # the server's first session: imports, empty caches
        phases: list[tuple[float, float]] = []
        paints = [_paint_time(browser, url, EXPLORE_CHARTS, phases=phases) for _ in range(WARM_LOADS)]
        cold = _paint_time(browser, compare_url(url), COMPARE_CHARTS)  # five presets never computed on this server
        warm = [_paint_time(browser, compare_url(url), COMPARE_CHARTS)
                for _ in range(WARM_LOADS if cold < TIMED_OUT else 0)] or [TIMED_OUT]
        # The same pages from a browser that has the app's code in its HTTP cache (a returning user).
        cached = _new_context(browser)
        _paint_time(browser, url, EXPLORE_CHARTS, cached)
        cached_paint = statistics.median(_paint_time(browser, url, EXPLORE_CHARTS, cached) for _ in range(WARM_LOADS))
        cached_compare = _paint_time(browser, compare_url(url), COMPARE_CHARTS, cached) if cold < TIMED_OUT \
            else TIMED_OUT
        cached.close()
        page, _ = _load(browser, url, EXPLORE_CHARTS)
        figures = _moves_summary(_slider_moves(page, SLIDER))
        # The same moves watched from "Why did this change?", with the waterfall and the panel's
        # charts on screen: charts off screen are drawn only once they come near (ui/chart_component.js).
        page.evaluate(f"document.querySelector('.st-key-{IN_VIEW}').scrollIntoView({{block: 'start'}})")
        _slider_moves(page, SLIDER, 1)
        figures["in_view"] = _moves_summary(_slider_moves(page, SLIDER))
        switches = []
        for _ in range(SWITCHES):
            switches.append(_nav_click(page, "Compare"))
            if switches[-1] == TIMED_OUT or _nav_click(page, "Explore") == TIMED_OUT:
                break
        page.context.close()
    return figures | {"first_visit": first_visit, "first_paint": statistics.median(paints),
                      "page_switch": statistics.median(switches), "compare_cold": cold,
                      "compare_warm": statistics.median(warm), "first_paint_cached": cached_paint,
                      "first_paint_first_message": statistics.median(first for first, _ in phases),
                      "first_paint_last_message": statistics.median(last for _, last in phases),
                      "compare_cached": cached_compare}


def measure() -> dict | None:
    if chromium_path() is None:
        return None
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        figures = {"floor": measure_floor(browser)}
        for saved in SAVED_COUNTS:
            figures[f"app_{saved}"] = measure_app(browser, saved)
        browser.close()
    return figures
