"""Plotly charts on the pages, drawn by a small Streamlit component (ui/chart_component.js) that
keeps each chart mounted and applies a new figure with Plotly.react. Streamlit's own chart element
remounts on every new figure and draws it twice, which was most of a slider move's time on Explore
(docs/PERFORMANCE.md). The browser loads plotly.js from server.py or static/ (ui.plotly_js says which)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import streamlit as st

from model import MODEL_VERSION

from .charts import PLOTLY_CONFIG
from .i18n import text
from .plotly_js import plotly_js_url

SCRIPT_ID = "interconnect-plotly"
COMPONENT_NAME = "interconnect_chart"
_chart = st.components.v2.component(COMPONENT_NAME, js=Path(__file__).with_suffix(".js").read_text("utf-8"),
                                    isolate_styles=False)


def plotly_chart(figure: dict, key: str, lang: str, config: dict | None = None, clickable: bool = False):
    """Draw a figure built by ui.charts (plain JSON types only), named by its title for screen readers.
    Its mode bar's camera downloads a PNG with the title and the source line (image_text_js) under
    the chart (laid out only when the button is pressed). A `clickable` chart returns the customdata
    of the point clicked in this run (else None)."""
    title = figure["layout"].get("title", {}).get("text", "")
    callbacks = {"on_clicked_change": lambda: None} if clickable else {}
    result = _chart(key=key, data={"src": plotly_js_url(), "figure": figure, "config": PLOTLY_CONFIG | (config or {}),
                                   "scriptId": SCRIPT_ID, "label": title, "unavailable": text("chart.unavailable", lang),
                                   "clickable": clickable, "filename": re.sub(r"[^A-Za-z0-9_-]+", "-", key)},
                    **callbacks)
    return getattr(result, "clicked", None) if clickable else None


IMAGE_JS = Path(__file__).with_name("chart_image.js").read_text("utf-8")


def image_text_js(lang: str) -> str:
    """For the page's opening script: the PNG download (ui/chart_image.js) with the source line a chart
    image carries under its title and the camera button's name; defined once per page, not sent with
    every chart on every rerun. No "<" or "&" reaches the page's script tag (st.html does not pass
    them through), hence the escapes here and in the file."""
    words = {"source": text("chart.footnote_source", lang, version=MODEL_VERSION),
             "download": text("chart.download_png", lang)}
    escaped = json.dumps(words).replace("<", "\\u003c").replace("&", "\\u0026")
    return f"{IMAGE_JS}Object.assign(window.interconnectChartImage, {escaped});"


def load_plotly_js() -> str:
    """For the page's opening script (ui.widgets.page_script): start loading plotly.js while the page's
    elements arrive, since evaluating it takes the browser a while, rather than once a chart is mounted."""
    return (f"if (!window.Plotly && !document.getElementById({json.dumps(SCRIPT_ID)})) {{"
            f"const script = Object.assign(document.createElement('script'), {{id: {json.dumps(SCRIPT_ID)}, "
            f"src: {json.dumps(plotly_js_url())}, async: true}});"
            "script.addEventListener('error', () => { script.dataset.failed = ''; });"
            "document.head.appendChild(script);}")
