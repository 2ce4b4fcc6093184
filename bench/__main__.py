"""`make bench`: the model's speed, what a user sees in the browser against the floor page, and
ten concurrent sessions — one table with each figure, the floor from the same run and the target."""
from __future__ import annotations

import os
import platform
import sys

from . import browser_speed, load, model_speed


def _ms(value: float) -> str:
    if value == browser_speed.TIMED_OUT:
        return f"timed out (> {browser_speed.TIMEOUT_MS / 1000:.0f} s)"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.2f} ms"


def rows(model: dict, browser: dict | None, loaded: dict | None) -> list[tuple[str, str, str, str, bool | None]]:
    """(figure, value, floor, target, met) — `met` is None for figures without a target."""
    out = [(f"model: {name}", _ms(value), "", f"< {_ms(model_speed.TARGETS_MS[name])}",
            value < model_speed.TARGETS_MS[name]) for name, value in model.items()]
    if browser is None:
        return out + [("browser figures", "chromium not found", "", "", False)]
    floor = browser["floor"]
    for saved in browser_speed.SAVED_COUNTS:
        app = browser[f"app_{saved}"]
        where = f"{saved:,} saved"
        ratio = app["p50"] / floor["p50"]
        out += [
            (f"slider move p50 ({where})", f"{_ms(app['p50'])} = {ratio:.2f}x floor", _ms(floor["p50"]),
             "<= 1.3x floor", ratio <= 1.3),
            (f"slider move p95 ({where})", _ms(app["p95"]), _ms(floor["p95"]), "<= 400 ms", app["p95"] <= 400),
            (f"  slider move p50 / p95, charts in view ({where})",
             f"{_ms(app['in_view']['p50'])} = {app['in_view']['p50'] / floor['p50']:.2f}x floor / {_ms(app['in_view']['p95'])}",
             f"{_ms(floor['p50'])} / {_ms(floor['p95'])}", "(reported, no target)", None),
            (f"  per move: messages, KB ({where})", f"{app['messages']:.0f}, {app['kb']:.1f} KB",
             f"{floor['messages']:.0f}, {floor['kb']:.1f} KB", "", None),
            ("  per move: to 1st message / stream / paint", " / ".join(_ms(app[k]) for k in
             ("to_first_message", "server_stream", "to_paint")),
             " / ".join(_ms(floor[k]) for k in ("to_first_message", "server_stream", "to_paint")), "", None),
            (f"first paint, new session ({where})", _ms(app["first_paint"]), _ms(floor["first_paint"]), "<= 4 s",
             app["first_paint"] <= 4000),
            ("  first paint: first / last message at", " / ".join(_ms(app[k]) for k in
             ("first_paint_first_message", "first_paint_last_message")),
             " / ".join(_ms(floor[k]) for k in ("first_paint_first_message", "first_paint_last_message")), "", None),
            (f"first paint, new session, code in browser cache ({where})", _ms(app["first_paint_cached"]),
             _ms(floor["first_paint_cached"]), "<= 4 s", app["first_paint_cached"] <= 4000),
            (f"first paint, server's first session ({where})", _ms(app["first_visit"]), _ms(floor["first_visit"]),
             "<= 4 s", app["first_visit"] <= 4000),
            (f"page switch Explore -> Compare ({where})", _ms(app["page_switch"]), "", "<= 1 s",
             app["page_switch"] <= 1000),
            (f"Compare cold, six scenarios, empty browser cache ({where})", _ms(app["compare_cold"]), "", "<= 2 s",
             app["compare_cold"] <= 2000),
            (f"Compare again, six scenarios ({where})", _ms(app["compare_warm"]), "", "", None),
            (f"Compare, code in browser cache ({where})", _ms(app["compare_cached"]), "", "", None),
        ]
    if loaded is not None:
        out += [
            (f"load: {loaded['sessions']} sessions, p50", _ms(loaded["p50"]), "", "<= 1 s", loaded["p50"] <= 1000),
            (f"load: errors in {loaded['moves']} moves", str(len(loaded["errors"]))
             + (f" (first: {loaded['errors'][0][:60]})" if loaded["errors"] else ""), "", "0", not loaded["errors"]),
            ("load: p95", _ms(loaded["p95"]), "", "", None),
            ("load: server memory idle / loaded", f"{loaded['idle_rss_mb']:.0f} / {loaded['loaded_rss_mb']:.0f} MB"
             f" ({loaded['per_session_mb']:.1f} MB per session)", "", "", None),
        ]
    return out


def table(lines: list[tuple[str, str, str, str, bool | None]]) -> list[str]:
    widths = [max(len(line[k]) for line in lines) for k in range(4)]
    header = ("figure", "value", "floor (same run)", "target")
    widths = [max(w, len(h)) for w, h in zip(widths, header)]

    def render(cells, verdict):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)) + f"  {verdict}"

    out = [render(header, "met"), render(tuple("-" * w for w in widths), "----")]
    out += [render(line[:4], {True: "yes", False: "NO", None: ""}[line[4]]) for line in lines]
    judged = [line[4] for line in lines if line[4] is not None]
    out.append(f"targets met: {sum(judged)} of {len(judged)}")
    return out


def main() -> int:
    print(f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}; "
          "times in headless Chromium from the input (page clock) to the second animation frame after the "
          "later of the rerun's last websocket message and its last change to the page (rerun over: "
          "script_finished, then 300 ms without a message or a change)", flush=True)
    # The machine may be shared: the load average says how much of it the figures had.
    before = os.getloadavg()[0]
    model = model_speed.measure()
    browser = browser_speed.measure()
    loaded = load.measure()
    print(f"load average (1 min) before {before:.1f}, after {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for line in table(rows(model, browser, loaded)):
        print(line)
    if browser is not None:
        app = browser["app_0"]
        print("Explore slider move, KB sent by kind: " + ", ".join(f"{k} {v:.1f}" for k, v in app["by_kind_kb"].items()))
    return 0


sys.exit(main())
