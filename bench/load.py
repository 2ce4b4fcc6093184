"""Load: concurrent headless browser sessions moving sliders on one server for a fixed time.

Reports errors (exceptions shown on the page, console errors, moves that never painted), slider
latency under load, and the server's resident memory per session."""
from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from playwright.async_api import async_playwright

from .appserver import CHROMIUM_ARGS, chromium_path, streamlit_server

SESSIONS = 10
DURATION_S = 45.0
SLIDER = "External-link unblocking"
METRIC = "Concentration (HHI)"
VALUE_JS = """(label) => {
    const card = [...document.querySelectorAll('[data-testid="stMetric"]')].find(m => m.innerText.includes(label));
    const value = card && card.querySelector('[data-testid="stMetricValue"]');
    return value ? value.innerText : null;
}"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _session(browser, url: str, deadline: float, latencies: list, errors: list) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    page.on("console", lambda m: errors.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: errors.append(f"page: {e}"))
    await page.goto(url)
    await page.wait_for_function(VALUE_JS, arg=METRIC, timeout=60_000)
    slider = page.get_by_role("slider", name=SLIDER)
    key = "ArrowRight"
    while time.monotonic() < deadline:
        before = await page.evaluate(VALUE_JS, METRIC)
        await slider.focus()
        start = time.perf_counter()
        await page.keyboard.press(key)
        try:
            await page.wait_for_function(f"(b) => ({VALUE_JS})({METRIC!r}) !== b", arg=before, timeout=10_000)
            latencies.append((time.perf_counter() - start) * 1000)
        except Exception as error:  # a move that never painted is an error, not a crash of the bench
            errors.append(f"timeout: {error}"[:200])
        if await page.locator('[data-testid="stException"]').count():
            errors.append("exception shown on the page")
        key = "ArrowLeft" if key == "ArrowRight" and await slider.input_value() == "100" else (
            "ArrowRight" if await slider.input_value() == "0" else key)
        await page.wait_for_timeout(200)
    await context.close()


async def _run(url: str, pid: int, sessions: int, duration: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    idle = rss_mb(pid)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        deadline = time.monotonic() + duration
        tasks = [asyncio.create_task(_session(browser, url, deadline, latencies, errors)) for _ in range(sessions)]
        await asyncio.sleep(min(20.0, duration / 2))
        loaded = rss_mb(pid)
        await asyncio.gather(*tasks)
        await browser.close()
    latencies.sort()
    return {"sessions": sessions, "duration_s": duration, "moves": len(latencies), "errors": errors,
            "median_ms": statistics.median(latencies) if latencies else float("nan"),
            "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
            "idle_rss_mb": idle, "loaded_rss_mb": loaded, "per_session_mb": (loaded - idle) / sessions}


def measure(sessions: int = SESSIONS, duration: float = DURATION_S) -> dict | None:
    if chromium_path() is None:
        return None
    with streamlit_server() as server:
        return asyncio.run(_run(server, server.pid, sessions, duration))


def report(figures) -> list[str]:
    if figures is None:
        return ["Load: chromium not found, not measured"]
    return [f"Load ({figures['sessions']} concurrent browser sessions moving sliders for {figures['duration_s']:.0f} s):",
            f"  moves {figures['moves']}, errors {len(figures['errors'])}"
            + (f" (first: {figures['errors'][0]})" if figures["errors"] else ""),
            f"  slider latency under load: median {figures['median_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms",
            f"  server memory: idle {figures['idle_rss_mb']:.0f} MB, with sessions {figures['loaded_rss_mb']:.0f} MB,"
            f" {figures['per_session_mb']:.1f} MB per session"]
