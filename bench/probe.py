"""What the user sees, timed in the page: from an input (key press, click or navigation) to the
second animation frame after the later of the rerun's last websocket message and the last change to
the page's DOM (charts draw after the messages). A rerun is over when the server has sent
`script_finished` and then neither a message nor a DOM change has come for `QUIET_MS`.

The page side is bench/probe.js (an init script); this module holds the JavaScript the benches
evaluate and the decoding of the captured messages, shared by the sync and async benches."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

INIT_SCRIPT = (Path(__file__).with_name("probe.js")).read_text(encoding="utf-8")
QUIET_MS = 300
# Not part of any rerun: the server's answer to the client's periodic heartbeat.
IGNORED_TYPES = {"heartbeat_ack"}

# Where the rerun's record starts: [messages so far, DOM changes so far]. A page load starts at START.
COUNT_JS = "() => [window.__bench.messages.length, window.__bench.changes.length]"
START = (0, 0)
QUIET_JS = f"""([[first, firstChange], seen]) => {{
    const m = window.__bench.messages, c = window.__bench.changes.slice(firstChange);
    if (m.length <= seen) return false;
    const last = Math.max(m[m.length - 1].t, c.length ? c[c.length - 1].t : 0);
    return performance.now() - last >= {QUIET_MS} && m.slice(first).every((x) => x.frame2 !== null)
        && c.every((x) => x.frame2 !== null);
}}"""
CHANGES_JS = "(first) => window.__bench.changes.slice(first).map((c) => [c.t, c.frame2])"
# The captured messages since `first`, bytes as base64 (decoded in Python with Streamlit's protobuf).
MESSAGES_JS = """(first) => window.__bench.messages.slice(first).map((m) => {
    const bytes = new Uint8Array(m.data);
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return {t: m.t, frame2: m.frame2, bytes: m.bytes, data: btoa(text)};
})"""
LAST_KEY_JS = "() => window.__bench.keys.at(-1)"
LAST_CLICK_JS = "() => window.__bench.clicks.at(-1)"
FORGET_JS = "() => { for (const m of window.__bench.messages) m.data = null; }"


@dataclass
class Rerun:
    """One input's answer: when it was painted (page clock, ms) and what the server sent."""

    end_ms: float
    first_message_ms: float  # when the first message of the rerun arrived
    last_message_ms: float
    last_change_ms: float    # the rerun's last change to the page's DOM
    messages: int
    bytes: int
    finished: bool
    pending: bool  # a message arrived after the quiet check and has not been painted yet
    decoded: list[tuple[str, int, ForwardMsg]]  # (message type, bytes, message)


def decode(captured: list[dict], changes: list[list[float]] = ()) -> Rerun:
    decoded = []
    for item in captured:
        message = ForwardMsg.FromString(base64.b64decode(item["data"])) if item["data"] else ForwardMsg()
        decoded.append((message.WhichOneof("type") or "unknown", item["bytes"], message, item["frame2"], item["t"]))
    counted = [d for d in decoded if d[0] not in IGNORED_TYPES]
    pending = any(d[3] is None for d in decoded) or any(frame2 is None for _, frame2 in changes)
    end = max([d[3] for d in counted if d[3] is not None] + [frame2 for _, frame2 in changes if frame2 is not None],
              default=float("nan"))
    return Rerun(end_ms=end, first_message_ms=min((d[4] for d in counted), default=float("nan")),
                 last_message_ms=max((d[4] for d in counted), default=float("nan")),
                 last_change_ms=max((t for t, _ in changes), default=float("nan")),
                 messages=len(counted), bytes=sum(d[1] for d in counted),
                 finished=any(d[0] == "script_finished" for d in counted), pending=pending,
                 decoded=[d[:3] for d in counted])


SETTLED_JS = f"""() => {{
    const c = window.__bench.changes;
    return c.length > 0 && performance.now() - c[c.length - 1].t >= {QUIET_MS} && c.every((x) => x.frame2 !== null);
}}"""
LAST_FRAME_JS = "() => Math.max(...window.__bench.changes.map((c) => c.frame2))"


def settled(page, timeout_ms: float = 30_000) -> float:
    """Wait until the page's DOM has not changed for QUIET_MS; the second frame after its last change."""
    page.wait_for_function(SETTLED_JS, polling=50, timeout=timeout_ms)
    return page.evaluate(LAST_FRAME_JS)


def wait_rerun(page, first: tuple[int, int], timeout_ms: float = 30_000) -> Rerun:
    """Wait (sync Playwright) until the rerun that began at `first` (COUNT_JS before the input) is over."""
    seen = first[0]
    while True:
        page.wait_for_function(QUIET_JS, arg=[list(first), seen], polling=50, timeout=timeout_ms)
        captured = page.evaluate(MESSAGES_JS, first[0])
        rerun = decode(captured, page.evaluate(CHANGES_JS, first[1]))
        if rerun.finished and not rerun.pending:
            page.evaluate(FORGET_JS)
            return rerun
        if not rerun.finished:  # a pause of over QUIET_MS inside the rerun: wait for more
            seen = first[0] + len(captured)


async def wait_rerun_async(page, first: tuple[int, int], timeout_ms: float = 30_000) -> Rerun:
    """The same for async Playwright (the load bench)."""
    seen = first[0]
    while True:
        await page.wait_for_function(QUIET_JS, arg=[list(first), seen], polling=50, timeout=timeout_ms)
        captured = await page.evaluate(MESSAGES_JS, first[0])
        rerun = decode(captured, await page.evaluate(CHANGES_JS, first[1]))
        if rerun.finished and not rerun.pending:
            await page.evaluate(FORGET_JS)
            return rerun
        if not rerun.finished:
            seen = first[0] + len(captured)
