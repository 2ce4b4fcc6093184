"""Load: ten concurrent headless browser sessions moving the Explore slider on one server.

Each move is timed like the single-user bench (bench/probe.py), once all sessions have opened the
page. Errors are exceptions shown on the page, console errors, sessions that failed and moves whose
rerun did not end within MOVE_TIMEOUT_MS; memory is the server's resident set."""
from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from playwright.async_api import async_playwright

from .appserver import CHROMIUM_ARGS, chromium_path, streamlit_server
from .browser_speed import SLIDER, VIEWPORT, percentile
from .probe import COUNT_JS, INIT_SCRIPT, LAST_KEY_JS, START, wait_rerun_async

SESSIONS = 10
DURATION_S = 45.0
PAUSE_MS = 200  # between one move's paint and the next key press, as a user reading the result
MOVE_TIMEOUT_MS = 30_000


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _session(browser, url: str, started: asyncio.Barrier, duration: float, latencies: list,
                   errors: list) -> None:
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(INIT_SCRIPT)
    page = await context.new_page()
    page.on("console", lambda m: errors.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: errors.append(f"page: {e}"))
    try:
        await page.goto(url)
        await wait_rerun_async(page, START, timeout_ms=120_000)
    except Exception as error:  # counted, and the other sessions still start together
        errors.append(f"page did not open: {error}"[:200])
        await started.wait()
        return await context.close()
    await started.wait()  # all sessions open: the moves run concurrently for `duration`
    deadline = time.monotonic() + duration
    slider = page.get_by_role("slider", name=SLIDER)
    key = "ArrowRight"
    while time.monotonic() < deadline:
        await slider.focus()
        first = await page.evaluate(COUNT_JS)
        await page.keyboard.press(key)
        try:
            rerun = await wait_rerun_async(page, first, timeout_ms=MOVE_TIMEOUT_MS)
            latencies.append(rerun.end_ms - await page.evaluate(LAST_KEY_JS))
        except Exception as error:  # a rerun that never ended is an error to count, not a crash of the bench
            errors.append(f"timeout: {error}"[:200])
        if await page.locator('[data-testid="stException"]').count():
            errors.append("exception shown on the page")
        value = await slider.get_attribute("aria-valuenow")
        key = "ArrowLeft" if value == "100" else "ArrowRight" if value == "0" else key
        await page.wait_for_timeout(PAUSE_MS)
    await context.close()


async def _run(url: str, pid: int, sessions: int, duration: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    idle = rss_mb(pid)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        started = asyncio.Barrier(sessions + 1)
        tasks = [asyncio.create_task(_session(browser, url, started, duration, latencies, errors))
                 for _ in range(sessions)]
        await started.wait()
        await asyncio.sleep(duration / 2)
        loaded = rss_mb(pid)
        results = await asyncio.gather(*tasks, return_exceptions=True)
        errors += [f"session failed: {result}"[:200] for result in results if isinstance(result, BaseException)]
        await browser.close()
    return {"sessions": sessions, "duration_s": duration, "moves": len(latencies), "errors": errors,
            "p50": statistics.median(latencies) if latencies else float("nan"),
            "p95": percentile(latencies, 0.95) if latencies else float("nan"),
            "idle_rss_mb": idle, "loaded_rss_mb": loaded, "per_session_mb": (loaded - idle) / sessions}


def measure(sessions: int = SESSIONS, duration: float = DURATION_S) -> dict | None:
    if chromium_path() is None:
        return None
    with streamlit_server() as server:
        return asyncio.run(_run(server, server.pid, sessions, duration))
