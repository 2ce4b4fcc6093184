"""The web server: the dashboard (app.py) and the plotly.js its charts draw with (ui.plotly_js says
which), so that the browser's library is the one the figures are built for. `make run` starts it
with `streamlit run server.py`."""
import asyncio
import contextlib
import gzip
from functools import lru_cache

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ui.plotly_js import PLOTLY_JS, PLOTLY_JS_URL

# The URL names the file and its release, so a browser may keep it for good.
CACHE = {"Cache-Control": "public, max-age=31536000, immutable"}


@lru_cache(maxsize=1)
def _compressed() -> bytes:
    """Compressed once per process (to about a third), not on every request."""
    return gzip.compress(PLOTLY_JS.read_bytes(), compresslevel=6)


async def plotly_js(request: Request) -> Response:
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(_compressed(), media_type="text/javascript",
                        headers=CACHE | {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(PLOTLY_JS.read_bytes(), media_type="text/javascript", headers=CACHE | {"Vary": "Accept-Encoding"})


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


app = st.App("app.py", routes=[Route(PLOTLY_JS_URL, plotly_js)], lifespan=warmed_up)
