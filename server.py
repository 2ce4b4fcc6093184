"""The web server: the dashboard (app.py) and the plotly.js its charts draw with (ui.plotly_js says
which), so that the browser's library is the one the figures are built for, and the defences a page on
the open internet needs: security headers on every answer, Streamlit's metrics kept from visitors, and
uploads bounded (a session keeps at most MAX_UPLOADS_KEPT files; each client address may upload
UPLOADS_PER_MINUTE). `make run` starts it with `streamlit run server.py`."""
import asyncio
import contextlib
import gzip
from functools import lru_cache

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ui import plotly_js as plotly_js_file
from ui.limits import SlidingWindow

# The URL names the file and its release, so a browser may keep it for good.
CACHE = {"Cache-Control": "public, max-age=31536000, immutable"}
SECURITY_HEADERS = [
    # No other site may frame the page (clickjacking); the page's own components may.
    (b"content-security-policy", b"frame-ancestors 'self'; base-uri 'self'; object-src 'none'"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
HIDDEN_PATHS = ("/_stcore/metrics",)  # Streamlit's internals: sessions, memory; not for visitors
UPLOAD_PATH = "/_stcore/upload_file/"
MAX_UPLOADS_KEPT = 2      # files a session's uploader holds (Streamlit would keep every one until the session ends)
UPLOADS_PER_MINUTE = 20   # per client address
uploads = SlidingWindow(UPLOADS_PER_MINUTE, 60)


@lru_cache(maxsize=1)
def _compressed() -> bytes:
    """Compressed once per process (to about a third), not on every request."""
    return gzip.compress(plotly_js_file.PLOTLY_JS.read_bytes(), compresslevel=6)


async def plotly_js(request: Request) -> Response:
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(_compressed(), media_type="text/javascript",
                        headers=CACHE | {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(plotly_js_file.PLOTLY_JS.read_bytes(), media_type="text/javascript", headers=CACHE | {"Vary": "Accept-Encoding"})


class Defences:
    """ASGI middleware: the security headers on every HTTP answer, 404 for Streamlit's metrics, and
    uploads rate-limited per client address and trimmed per session once stored."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith(HIDDEN_PATHS):
            await _with_headers(PlainTextResponse("Not found", status_code=404), scope, receive, send)
            return
        upload = path.startswith(UPLOAD_PATH) and scope["method"] == "PUT"
        if upload and not uploads.allow((scope.get("client") or ("?",))[0]):
            await _with_headers(PlainTextResponse("Too many uploads: wait a minute", status_code=429),
                                scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                message["headers"] = headers + [h for h in SECURITY_HEADERS if h[0] not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)
        if upload:
            trim_uploads(path[len(UPLOAD_PATH):].split("/")[0])


async def _with_headers(response: Response, scope, receive, send) -> None:
    response.raw_headers.extend(SECURITY_HEADERS)
    await response(scope, receive, send)


def trim_uploads(session_id: str) -> None:
    """Keep only the newest MAX_UPLOADS_KEPT files of a session: a script could otherwise put 1 MB after
    1 MB into memory until the session ends (M6). The page reads a file as soon as it is chosen."""
    from streamlit.runtime import Runtime

    manager = Runtime.instance().uploaded_file_mgr
    with manager._lock:  # Streamlit's own lock around its storage
        stored = manager.file_storage.get(session_id, {})
        for file_id in list(stored)[:-MAX_UPLOADS_KEPT]:
            del stored[file_id]


def _warm_up() -> None:
    """What the first visitor would otherwise wait for (about a second): the pages' modules, data/
    read and checked, a first run of the model, plotly.js compressed."""
    import ui.sidebar  # noqa: F401 -- the pages' shared code, which imports the rest of ui/
    from model import engine
    from model.data import default_data
    from model.scenario import Scenario

    data = default_data()
    engine.run(Scenario(name="", levers=dict(data.status_quo_levers)), data, attribute=True)
    _compressed()


@contextlib.asynccontextmanager
async def warmed_up(_app):
    await asyncio.to_thread(_warm_up)
    yield


plotly_js_file.served_by_server()
app = st.App("app.py", routes=[Route(plotly_js_file.PLOTLY_JS_URL, plotly_js)], lifespan=warmed_up,
             middleware=[Middleware(Defences)])
