"""Plotly charts on the pages, drawn by a small Streamlit component (ui/chart_component.js) that
keeps each chart mounted and applies a new figure with Plotly.react. Streamlit's own chart element
remounts on every new figure and draws it twice, which was most of a slider move's time on Explore
(docs/PERFORMANCE.md). The browser loads plotly.js from the installed plotly package, which
server.py serves at PLOTLY_JS_URL, so the library always matches the figures' schema."""
from __future__ import annotations

from pathlib import Path

import plotly
import plotly.offline
import streamlit as st

from .charts import PLOTLY_CONFIG
from .i18n import text

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_JS_URL = f"/vendor/plotly-{plotly.offline.get_plotlyjs_version()}.min.js"

COMPONENT_NAME = "interconnect_chart"
_chart = st.components.v2.component(COMPONENT_NAME, js=Path(__file__).with_suffix(".js").read_text("utf-8"),
                                    isolate_styles=False)


def plotly_chart(figure: dict, key: str, lang: str, config: dict | None = None) -> None:
    """Draw a figure built by ui.charts (plain JSON types only), named by its title for screen readers."""
    title = figure["layout"].get("title", {}).get("text", "")
    _chart(key=key, data={"src": PLOTLY_JS_URL, "figure": figure, "config": PLOTLY_CONFIG | (config or {}),
                          "label": title, "unavailable": text("chart.unavailable", lang)})
