"""Which plotly.js the browser gets, and at which address: always the release the installed plotly
package is built for. Its "basic" bundle (scatter and bar, all the dashboard's charts use; 1.2 MB,
which the browser evaluates in a fifth of the time of the full 4.8 MB) when `make setup` could fetch
it from npm into vendor/, else the full bundle that ships with the plotly package. server.py serves
it; ui.chart_component draws with it. Kept apart so the server imports nothing else of the app."""
from __future__ import annotations

from pathlib import Path

import plotly
import plotly.offline

PLOTLY_JS_VERSION = plotly.offline.get_plotlyjs_version()
VENDOR = Path(__file__).resolve().parent.parent / "vendor"


def plotly_js(vendor: Path = VENDOR) -> tuple[Path, str]:
    """The plotly.js file to serve and the name it is served under: the basic bundle of this release
    if it was fetched, else the full one. The name says which and the release, so a browser may keep
    what it fetched for good."""
    basic = vendor / f"plotly-basic-{PLOTLY_JS_VERSION}.min.js"
    if basic.is_file():
        return basic, basic.name
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js", f"plotly-{PLOTLY_JS_VERSION}.min.js"


PLOTLY_JS, _served_as = plotly_js()
PLOTLY_JS_URL = f"/vendor/{_served_as}"
