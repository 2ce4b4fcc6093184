"""Browser latency: time from a slider key press in headless Chromium to the page having painted
the new result, for the dashboard and for a minimal two-chart page (the floor)."""
from __future__ import annotations

import statistics
import time

from playwright.sync_api import sync_playwright

from .appserver import chromium_path, launch_chromium, streamlit_server
from .paths import ROOT

MOVES = 20
METRIC_SELECTOR = '[data-testid="stMetric"]'


def _metric_text(page, label: str) -> str:
    return page.locator(METRIC_SELECTOR).filter(has_text=label).first.locator(
        '[data-testid="stMetricValue"]').inner_text()


def _measure_page(url: str, slider_label: str, metric_label: str) -> dict[str, float]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(url)
        page.locator(METRIC_SELECTOR).filter(has_text=metric_label).first.wait_for()
        first_paint = (time.perf_counter() - start) * 1000
        slider = page.get_by_role("slider", name=slider_label)
        latencies = []
        for _ in range(MOVES):
            before = _metric_text(page, metric_label)
            slider.focus()
            start = time.perf_counter()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                """([selector, label, before]) => {
                    const card = [...document.querySelectorAll(selector)].find(m => m.innerText.includes(label));
                    const value = card && card.querySelector('[data-testid="stMetricValue"]');
                    return value && value.innerText !== before;
                }""", arg=[METRIC_SELECTOR, metric_label, before], polling="raf")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            latencies.append((time.perf_counter() - start) * 1000)
            page.wait_for_timeout(150)
        browser.close()
    latencies.sort()
    return {"first_paint": first_paint, "median": statistics.median(latencies),
            "p95": latencies[int(round(0.95 * (len(latencies) - 1)))]}


def measure() -> dict[str, dict[str, float]] | None:
    if chromium_path() is None:
        return None
    with streamlit_server(ROOT / "bench" / "floor_app.py") as url:
        floor = _measure_page(url, "Level", "Value")
    with streamlit_server() as url:
        app = _measure_page(url, "External-link unblocking", "Concentration (HHI)")
    return {"floor": floor, "dashboard": app}


def report(figures) -> list[str]:
    if figures is None:
        return ["Browser: chromium not found, not measured"]
    floor, app = figures["floor"], figures["dashboard"]
    ratio = app["median"] / floor["median"]
    return [f"Browser (slider key press to painted result, {MOVES} moves, headless Chromium):",
            f"  floor (slider + 2 Plotly charts)   median {floor['median']:7.1f} ms   p95 {floor['p95']:7.1f} ms   first paint {floor['first_paint']:7.0f} ms",
            f"  dashboard (Explore page)           median {app['median']:7.1f} ms   p95 {app['p95']:7.1f} ms   first paint {app['first_paint']:7.0f} ms",
            f"  dashboard / floor median: {ratio:.2f}x (target <= 1.3x); p95 target < 400 ms; first paint target < 4000 ms"]
