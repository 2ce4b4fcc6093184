"""Where the server's time goes: `python -m bench.profile [SAVED] [compare]` attaches py-spy to the
dashboard while headless Chromium makes 50 moves on Explore (or opens Compare with six scenarios
ten times), then prints the share of the script thread's samples by project line and by function,
and what each move sent over the websocket.

Not part of `make bench` (py-spy needs ptrace and slows the server a little)."""
from __future__ import annotations

import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import sync_playwright

from .appserver import launch_chromium, streamlit_server
from .browser_speed import (COMPARE_CHARTS, EXPLORE_CHARTS, SLIDER, _load, _moves_summary, _paint_time,
                            _slider_moves, compare_url)
from .seed import seeded_store

MOVES = 50
RATE_HZ = 250
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^:()]+)(?::(?P<line>\d+))?\)$")


@contextlib.contextmanager
def py_spy(pid: int, out: Path):
    """Sample the running server (attached, so the first page load is not in the profile)."""
    command = [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid), "--format", "raw",
               "--rate", str(RATE_HZ), "--threads", "--output", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(2)  # attached and sampling
    if process.poll() is not None:
        raise RuntimeError(f"py-spy could not attach: {process.stderr.read().decode()[-500:]}")
    try:
        yield
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


def _stacks(path: Path) -> list[tuple[list[str], int]]:
    """py-spy's raw (collapsed) stacks of the script-runner thread, outermost frame first."""
    stacks = []
    for row in path.read_text(encoding="utf-8").splitlines():
        frames, _, count = row.rpartition(" ")
        frames = frames.split(";")
        if any("_run_script" in frame for frame in frames):
            stacks.append((frames, int(count)))
    return stacks


def _project_line(frame: str) -> str | None:
    match = FRAME.match(frame)
    if not match:
        return None
    file = match["file"]
    for folder in ("app_pages/", "ui/", "model/"):
        if folder in file:
            return f"{file[file.index(folder):]}:{match['line']} {match['function']}"
    return f"app.py:{match['line']} {match['function']}" if file.endswith("/app.py") else None


def summarise(stacks: list[tuple[list[str], int]], top: int = 25, per: int = MOVES, unit: str = "move") -> list[str]:
    total = sum(count for _, count in stacks)
    by_line: Counter = Counter()
    by_function: Counter = Counter()
    for frames, count in stacks:
        lines = [line for line in map(_project_line, frames) if line]
        for line in set(lines):
            by_line[line] += count
        for function in {FRAME.match(f)["function"] + " · " + Path(FRAME.match(f)["file"]).name
                         for f in frames if FRAME.match(f)}:
            by_function[function] += count
    out = [f"script thread: {total} samples at {RATE_HZ} Hz ({total / RATE_HZ / per * 1000:.0f} ms per {unit})",
           "", "inclusive share by project line:"]
    out += [f"  {count / total:6.1%}  {line}" for line, count in by_line.most_common(top)]
    out += ["", "inclusive share by function (any library):"]
    out += [f"  {count / total:6.1%}  {name}" for name, count in by_function.most_common(top + 15)]
    return out


def _compare_loads(browser, url: str, loads: int = 10) -> list[str]:
    times = [_paint_time(browser, compare_url(url), COMPARE_CHARTS) for _ in range(loads)]
    return [f"{loads} loads of Compare with six scenarios under py-spy: median {statistics.median(times):.0f} ms"]


def main(saved: int = 0, what: str = "moves") -> int:
    with tempfile.TemporaryDirectory() as folder, seeded_store(saved) as env, \
            streamlit_server(env=env) as server, sync_playwright() as playwright:
        out = Path(os.environ.get("PROFILE_OUT") or Path(folder) / "profile.txt")
        browser = launch_chromium(playwright)
        page, _ = _load(browser, server, EXPLORE_CHARTS)
        _slider_moves(page, SLIDER, 3)
        if what == "compare":
            _paint_time(browser, compare_url(server), COMPARE_CHARTS)
            with py_spy(server.pid, out):
                lines = _compare_loads(browser, server)
            browser.close()
            for line in lines + summarise(_stacks(out), per=10, unit="load"):
                print(line)
            return 0
        with py_spy(server.pid, out):
            moves = _moves_summary(_slider_moves(page, SLIDER, MOVES))
        browser.close()
        print(f"{MOVES} moves of {SLIDER!r} with {saved} saved scenarios, under py-spy: p50 {moves['p50']:.0f} ms, "
              f"p95 {moves['p95']:.0f} ms; per move {moves['messages']:.0f} messages, {moves['kb']:.1f} KB; "
              f"to first message {moves['to_first_message']:.0f} ms, stream {moves['server_stream']:.0f} ms, "
              f"to paint {moves['to_paint']:.0f} ms")
        print("KB per move by kind: " + ", ".join(f"{k} {v:.1f}" for k, v in moves["by_kind_kb"].items()))
        for line in summarise(_stacks(out)):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(*([int(sys.argv[1])] if len(sys.argv) > 1 else []), *sys.argv[2:3]))
