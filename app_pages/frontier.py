"""Frontier: the settings no other beats on the objectives the reader picks, under constraints set with
sliders that filter the cached table at once; the levers on screen marked against it; the most robust
settings; any setting opened in Explore, compared, presented or saved (analysis/frontier.py)."""
import math

import pandas as pd
import streamlit as st

from analysis import frontier
from model.data import default_data
from model.scenario import Scenario
from ui import compute, state
from ui.chart_component import plotly_chart
from ui.charts import frontier_chart
from ui.i18n import amount, display_scale, label, lever_value_text, named_unit, number, text
from ui.library import save_form
from ui.session import evaluation_cache
from ui.state import CURRENT
from ui.urlstate import MAX_COMPARED

HERE_ICON = ":material/my_location:"   # an icon, not text (Material Symbols ship with Streamlit)
data = default_data()
lang = state.lang()
st.title(text("frontier.title", lang))

try:
    table, meta = compute.frontier_table(frontier.FINE_STEP)
except compute.NotComputed:
    with st.spinner():
        table, meta = compute.frontier_table(frontier.COARSE_STEP)
    st.info(text("frontier.coarse_note", lang, settings=number(meta["settings"]),
                 full=number(len(frontier.grid(data, frontier.FINE_STEP)))))
    if st.button(text("frontier.compute_full", lang), key="frontier.compute"):
        bar = st.progress(0.0)
        frontier.frontier_table(data, frontier.FINE_STEP, cache=evaluation_cache(), progress=lambda done, total:
                                bar.progress(done / total, text("frontier.computing", lang, done=number(done),
                                                                total=number(total))))
        st.rerun()
# One line above the controls, the method in an expander: at 1280×720 "you are here" and the chart
# start on the first screen.
st.caption(text("frontier.lede", lang, settings=number(meta["settings"]), draws=number(meta["draws"]),
                year=meta["year"]))
with st.expander(text("frontier.how", lang)):
    st.caption(text("frontier.caption", lang, step=f"{meta['step']:g}", settings=number(meta["settings"]),
                    draws=number(meta["draws"]), year=meta["year"]))

available = frontier.summarised(frontier.default_objectives(data), data)
by_id = {o.id: o for o in available}


def outcome_name(outcome_id: str) -> str:
    return label(data.outcomes[outcome_id].label, lang)


def levers_text(levers: dict) -> str:
    return " · ".join(f"{label(data.levers[lever].label, lang)} {lever_value_text(lever, value, lang)}"
                      for lever, value in levers.items())


def scenario_of(levers: dict) -> Scenario:
    return Scenario(name="", levers=levers, assumptions=dict(st.session_state["assumptions"]), horizon=meta["year"])


def go(page: str, levers: dict) -> None:
    """Put `levers` on screen and open `page` with them (Compare adds them to the comparison)."""
    state.load(scenario_of(levers))
    if page == "compare" and CURRENT not in st.session_state["compare"]:
        state.set_value("compare", [*st.session_state["compare"], CURRENT])
    st.switch_page(f"app_pages/{page}.py", query_params=state.address_query(page))


def constraint_sliders(objectives: list) -> list:
    """One slider per objective, on its bad side (at least for one to maximise, at most for one to
    minimise), and one per risk; a slider at its loose end constrains nothing."""
    constraints = []
    columns = st.columns(min(len(objectives) + len(frontier.RISKS), 4))
    for k, objective in enumerate(objectives):
        unit = data.outcomes[objective.id].unit
        scale = display_scale(unit, lang)
        low, high = float(table[objective.id].min() * scale), float(table[objective.id].max() * scale)
        if high - low < 1e-9:
            continue
        digits = -math.floor(math.log10((high - low) / 50))
        step = 10.0 ** -digits   # some 50–500 positions
        # Rounded to the step: a bound of -18.900000000000002 would show as such on the slider.
        low, high = round(step * (low // step), max(digits, 0)), round(step * -(-high // step), max(digits, 0))
        loose = low if objective.direction == "max" else high
        key = f"frontier.bound.{objective.id}"
        name = outcome_name(objective.id)
        value = columns[k % len(columns)].slider(
            text("frontier.at_least" if objective.direction == "max" else "frontier.at_most", lang, name=name),
            low, high, value=loose, step=step, key=key, format="%g")
        if value != loose:
            constraints.append(frontier.Constraint(objective.id, ">=" if objective.direction == "max" else "<=",
                                                   value / scale))
    for k, risk in enumerate(frontier.RISKS, start=len(objectives)):
        value = columns[k % len(columns)].slider(text(f"frontier.risk.{risk}", lang), 0, 100, value=100, step=5,
                                                 format="%d%%", key=f"frontier.risk.{risk}")
        if value < 100:
            constraints.append(frontier.Constraint(risk, "<=", value / 100))
    return constraints


def chosen_actions(levers: dict, key: str) -> None:
    st.write(text("frontier.chosen", lang, levers=levers_text(levers)))
    with st.container(horizontal=True):
        if st.button(text("frontier.open", lang), key=f"{key}.open", type="primary"):
            go("explore", levers)
        compare_full = CURRENT not in st.session_state["compare"] and len(st.session_state["compare"]) >= MAX_COMPARED
        if st.button(text("frontier.compare", lang), key=f"{key}.compare", disabled=compare_full,
                     help=text("frontier.compare_full", lang, limit=MAX_COMPARED) if compare_full else None):
            go("compare", levers)
        if st.button(text("frontier.present", lang), key=f"{key}.present"):
            go("present", levers)
    box = st.expander(text("frontier.save_title", lang), key=f"{key}.save", on_change="rerun")
    if box.open:  # the form is built only when asked for
        with box:
            save_form(lang, levers, meta["year"])


def robust_table(objectives: list, constraints: list, points: pd.DataFrame) -> None:
    """The most robust feasible settings; a chosen row can be opened, compared, presented or saved."""
    st.subheader(text("frontier.robust_title", lang))
    st.caption(text("frontier.robust_caption", lang))
    robust = frontier.most_robust(table, objectives, constraints)
    shown = pd.DataFrame({label(data.levers[lever].label, lang): [lever_value_text(lever, v, lang)
                                                                    for v in robust[f"lever.{lever}"]]
                          for lever in data.levers})
    # The setting's columns stay in view while the reader scrolls sideways to the objectives (14
    # columns do not fit 1280 px); an objective's unit is in its header's tooltip, not its width.
    # (Narrow, or the grid stops pinning them: wider pinned columns leave too little to scroll.)
    config = {name: st.column_config.TextColumn(pinned=True, width="small") for name in shown.columns}
    for objective in objectives:
        unit = data.outcomes[objective.id].unit
        name = outcome_name(objective.id)
        shown[name] = (robust[objective.id] * display_scale(unit, lang)).round(1).to_numpy()
        config[name] = st.column_config.NumberColumn(name, help=named_unit(unit, lang))
    shown[text("frontier.col.consumers_lose", lang)] = (robust["consumers_lose"] * 100).round(0).to_numpy()
    shown[text("frontier.col.welfare_falls", lang)] = (robust["welfare_falls"] * 100).round(0).to_numpy()
    shown[text("frontier.col.regret", lang)] = robust["robust_score"].round(3).to_numpy()
    shown[text("frontier.col.on_frontier", lang)] = robust.index.isin(points.index)
    config |= {text(f"frontier.col.{risk}", lang): st.column_config.NumberColumn(format="%d%%") for risk in frontier.RISKS}
    event = st.dataframe(shown, hide_index=True, on_select="rerun", selection_mode="single-row",
                         key="frontier.robust_table", width="stretch", column_config=config)
    rows = event.selection.rows
    if rows:
        chosen_actions(frontier.levers_of(robust.iloc[rows[0]]), "frontier.chosen")


@st.fragment
def explorer() -> None:
    """Axes and the chart, then objectives and constraints, then the robust table: a slider reruns
    only this, from the cached table. The chart comes first on screen (at 1280×720 "you are here"
    is on the first screen) though the objectives are read first."""
    axes, chart = st.container(), st.container()
    st.header(text("frontier.constraints", lang))  # h2 under the page's h1
    picked = st.multiselect(text("frontier.objectives", lang), [o.id for o in available],
                            default=[o.id for o in available], key="frontier.objectives", format_func=outcome_name,
                            help=text("frontier.objectives_help", lang))
    if len(picked) < 2:
        chart.info(text("frontier.need_two", lang))
        return
    objectives = [by_id[o] for o in picked]
    left, middle, right = axes.columns(3)
    x_id = left.selectbox(text("frontier.x", lang), picked, index=0, key="frontier.x", format_func=outcome_name)
    y_id = middle.selectbox(text("frontier.y", lang), picked, index=len(picked) - 1 if picked[-1] != x_id else 0,
                            key="frontier.y", format_func=outcome_name)
    others = [None] + [o for o in picked if o not in (x_id, y_id)]
    colour_id = right.selectbox(text("frontier.colour", lang), others, index=min(1, len(others) - 1),
                                key="frontier.colour",
                                format_func=lambda o: text("frontier.colour_none", lang) if o is None else outcome_name(o))
    constraints = constraint_sliders(objectives)
    points = frontier.frontier(table, objectives, constraints)
    feasible = int(frontier.feasible(table, constraints).sum())
    if not feasible:
        chart.warning(text("frontier.none_feasible", lang))
        return
    x, y = by_id[x_id], by_id[y_id]
    here = compute.frontier_point(tuple(sorted(state.levers().items())))
    gap = frontier.gap_below(table, x, y, here, constraints)
    with chart:
        if gap > 0:
            st.info(text("frontier.gap", lang, gap=amount(gap, data.outcomes[y.id].unit, lang),
                         x=outcome_name(x.id), y=outcome_name(y.id)), icon=HERE_ICON)
        else:
            st.info(text("frontier.on_frontier", lang, x=outcome_name(x.id), y=outcome_name(y.id)), icon=HERE_ICON)
        figure = frontier_chart(table, points, x, y, by_id.get(colour_id), here, lang, hover=objectives)
        clicked = plotly_chart(figure, "chart.frontier", lang, clickable=True)
        st.caption(text("frontier.feasible", lang, feasible=number(feasible), total=number(len(table)),
                        count=number(len(points))) + " " + text("frontier.click_hint", lang))
    if clicked is not None and int(clicked) in table.index:
        go("explore", frontier.levers_of(table.loc[int(clicked)]))

    robust_table(objectives, constraints, points)


explorer()
