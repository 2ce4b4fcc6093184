"""Which plotly.js the browser gets, and at which address: always the release the installed plotly
package is built for. Its "basic" bundle (scatter and bar, all the dashboard's charts use; 1.2 MB,
which the browser evaluates in a fifth of the time of the full 4.8 MB) when `make setup` could fetch
it from npm into static/, else the full bundle that ships with the plotly package (which `make setup`
copies there). server.py serves it compressed and cached for good (`make run`); started with
`streamlit run app.py`, Streamlit's static file serving sends it from static/. ui.chart_component
draws with it. Kept apart so the server imports nothing else of the app."""
from __future__ import annotations

from pathlib import Path

import plotly
import plotly.offline

PLOTLY_JS_VERSION = plotly.offline.get_plotlyjs_version()
STATIC = Path(__file__).resolve().parent.parent / "static"


def plotly_js(static: Path = STATIC) -> tuple[Path, str]:
    """The plotly.js file to serve and the name it is served under: the basic bundle of this release
    if it was fetched, else the full one. The name says which and the release, so a browser may keep
    what it fetched for good."""
    basic = static / f"plotly-basic-{PLOTLY_JS_VERSION}.min.js"
    if basic.is_file():
        return basic, basic.name
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js", f"plotly-{PLOTLY_JS_VERSION}.min.js"


PLOTLY_JS, _served_as = plotly_js()
PLOTLY_JS_URL = f"/vendor/{_served_as}"      # server.py's route
STATIC_URL = f"app/static/{_served_as}"      # Streamlit's static file serving (server.enableStaticServing)
_server_route = False


def served_by_server() -> None:
    """server.py registers its route for plotly.js: the pages then load it from there."""
    global _server_route
    _server_route = True


def plotly_js_url() -> str:
    """Where this process's pages load plotly.js from: server.py's route, else static/ (`streamlit run app.py`)."""
    return PLOTLY_JS_URL if _server_route else STATIC_URL
