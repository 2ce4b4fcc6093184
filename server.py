"""The web server: the dashboard (app.py) and the plotly.js its charts draw with, served from the
installed plotly package so that the browser's library is the one the figures are built for.
`make run` starts it with `streamlit run server.py`."""
import gzip
from functools import lru_cache

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ui.chart_component import PLOTLY_JS, PLOTLY_JS_URL

# The URL names the version, so a browser may keep the file for good.
CACHE = {"Cache-Control": "public, max-age=31536000, immutable"}


@lru_cache(maxsize=1)
def _compressed() -> bytes:
    """Compressed once per process, not on every request (4.8 MB to 1.5 MB)."""
    return gzip.compress(PLOTLY_JS.read_bytes(), compresslevel=6)


async def plotly_js(request: Request) -> Response:
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(_compressed(), media_type="text/javascript",
                        headers=CACHE | {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(PLOTLY_JS.read_bytes(), media_type="text/javascript", headers=CACHE | {"Vary": "Accept-Encoding"})


app = st.App("app.py", routes=[Route(PLOTLY_JS_URL, plotly_js)])
