"""`python -m bench.prototype`: time a lever move answered in the browser (bench/prototype/index.html)
the way `make bench` times the dashboard — key press to the second animation frame after the repaint."""
from __future__ import annotations

import contextlib
import functools
import http.server
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from ui.plotly_js import PLOTLY_JS

from ..appserver import free_port, launch_chromium
from ..browser_speed import MOVES, VIEWPORT, percentile

HERE = Path(__file__).resolve().parent


class _Handler(http.server.SimpleHTTPRequestHandler):
    """index.html from this folder and the plotly.js the dashboard's server sends."""

    def translate_path(self, path: str) -> str:
        return str(PLOTLY_JS) if path.startswith("/plotly.min.js") else str(HERE / "index.html")

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def static_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), functools.partial(_Handler))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def measure() -> dict:
    with static_server() as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.goto(url)
        page.wait_for_function("() => window.__bench && window.__bench.painted.length >= 1")
        first_paint = page.evaluate("() => window.__bench.painted[0]")
        slider = page.get_by_role("slider", name="External-link unblocking")
        latencies = []
        for move in range(MOVES):
            slider.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function("(n) => window.__bench.painted.length >= n", arg=move + 2, polling=50)
            latencies.append(page.evaluate("() => window.__bench.painted.at(-1) - window.__bench.keys.at(-1)"))
        timings = page.evaluate("() => window.__bench")
        browser.close()
    return {"p50": statistics.median(latencies), "p95": percentile(latencies, 0.95), "first_paint": first_paint,
            "compute_ms": statistics.median(timings["computeMs"][1:]),
            "render_ms": statistics.median(timings["renderMs"][1:])}


def main() -> int:
    figures = measure()
    print(f"Prototype (lever move answered in the browser, {MOVES} moves): p50 {figures['p50']:.0f} ms, "
          f"p95 {figures['p95']:.0f} ms; of which model {figures['compute_ms']:.2f} ms and model + Plotly.react "
          f"{figures['render_ms']:.1f} ms; first paint {figures['first_paint']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
