"""A lever's dated schedule drawn as a compact step timeline, for the sidebar beside (or instead of)
its slider. Plain values keep their slider; only schedules from a scenario file come here."""
from __future__ import annotations

import streamlit as st

from model.data import default_data
from model.scenario import Schedule, schedule_of

from .chart_component import plotly_chart
from .charts import FONT_FAMILY, TEXT_COLOR
from .i18n import label, text

HEIGHT = 120


def schedule_figure(lever: str, steps: Schedule, lang: str, horizon: int) -> dict:
    """The lever's level year by year (a step line from the status quo), each step labelled in %."""
    data = default_data()
    spec, first = data.levers[lever], data.baseline.simulation.first_policy_year
    points = schedule_of(steps, first)
    x = [first - 1] + [year for year, _ in points] + [max(horizon, points[-1][0])]
    y = [float(spec.status_quo)] + [value for _, value in points] + [points[-1][1]]
    traces = [{"type": "scatter", "x": x, "y": [v * 100 for v in y], "mode": "lines",
               "line": {"shape": "hv", "color": spec.color, "width": 3}, "hoverinfo": "skip", "showlegend": False},
              {"type": "scatter", "x": [year for year, _ in points], "y": [v * 100 for _, v in points],
               "mode": "markers+text", "marker": {"color": spec.color, "size": 9},
               "text": [f"{v:.0%}" for _, v in points], "textposition": "top center",
               "hovertemplate": text("timeline.hover", lang, lever=label(spec.label, lang)) + "<extra></extra>",
               "showlegend": False, "cliponaxis": False}]
    layout = {"height": HEIGHT, "margin": {"l": 4, "r": 4, "t": 22, "b": 4},
              "font": {"size": 12, "family": FONT_FAMILY, "color": TEXT_COLOR}, "hovermode": "closest",
              "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
              "xaxis": {"tickvals": sorted({x[0], *(year for year, _ in points)}), "showgrid": False, "fixedrange": True},
              "yaxis": {"range": [-5, 118], "visible": False, "fixedrange": True}}
    return {"data": traces, "layout": layout}


def schedule_timeline(lever: str, steps: Schedule, lang: str, horizon: int, key: str | None = None) -> None:
    """Draw the schedule with a caption saying it comes from the scenario file."""
    spec = default_data().levers[lever]
    st.caption(text("timeline.caption", lang, lever=label(spec.label, lang)))
    plotly_chart(schedule_figure(lever, steps, lang, horizon), key or f"timeline.{lever}", lang,
                 config={"displayModeBar": False})
