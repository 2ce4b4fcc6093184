"""Session state: the levers, horizon, assumption overrides, language and compared scenarios,
kept in step with the URL's query parameters so that a link restores the view."""
from __future__ import annotations

import dataclasses

import streamlit as st

from model.data import default_data
from model.scenario import LEVER_IDS, Scenario, share_levers

from .urlstate import ViewState, default_state, from_query, to_query

CURRENT = "__current__"  # the Compare page's entry for the levers as they are now, unsaved


def lever_key(lever: str) -> str:
    return f"lever.{lever}"


def _apply(view: ViewState) -> None:
    ss = st.session_state
    for lever in share_levers(default_data()):
        ss[lever_key(lever)] = int(round(float(view.levers[lever]) * 100))
    ss[lever_key("openness")] = view.levers["openness"]
    ss["horizon"] = view.horizon
    ss["assumptions"] = dict(view.assumptions)
    ss["lang"] = view.lang
    ss["compare"] = list(view.compare)
    ss["slide"] = view.slide


def init() -> None:
    """On a session's first run, restore the view from the URL and keep notices of what was ignored."""
    ss = st.session_state
    if ss.get("initialised"):
        return
    data = default_data()
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    from .library import known_stems, library  # the library panel imports this module

    targets = known_stems(library().entries()) | {CURRENT: CURRENT}
    view, problems = from_query(params, data, targets)
    # a renamed scenario's old slug (or its id) opens it under its current slug
    _apply(dataclasses.replace(view, compare=tuple(dict.fromkeys(targets[stem] for stem in view.compare))))
    ss["url_notices"] = problems
    ss["requested_page"] = view.page
    ss["initialised"] = True


def lang() -> str:
    return st.session_state.get("lang", "en")


def levers() -> dict:
    ss = st.session_state
    out = {lever: ss[lever_key(lever)] / 100.0 for lever in share_levers(default_data())}
    out["openness"] = ss[lever_key("openness")]
    return {lever: out[lever] for lever in LEVER_IDS}


def view(page: str) -> ViewState:
    ss = st.session_state
    return ViewState(levers=levers(), horizon=int(ss["horizon"]), assumptions=dict(ss["assumptions"]),
                     lang=lang(), page=page, compare=tuple(ss["compare"]), slide=int(ss.get("slide", 0)))


def scenario(name: str = "") -> Scenario:
    ss = st.session_state
    return Scenario(name=name, levers=levers(), assumptions=dict(ss["assumptions"]), horizon=int(ss["horizon"]))


def load(scenario_to_load: Scenario) -> None:
    """Put a scenario's levers, horizon and assumptions into the controls."""
    current = view("explore")
    _apply(ViewState(levers=dict(scenario_to_load.levers), horizon=scenario_to_load.horizon,
                     assumptions=dict(scenario_to_load.assumptions), lang=current.lang, page=current.page,
                     compare=current.compare, slide=current.slide))


def reset_levers() -> None:
    data = default_data()
    base = default_state(data)
    load(Scenario(name="", levers=dict(base.levers), assumptions=dict(st.session_state["assumptions"]),
                  horizon=base.horizon))


def sync_url(page: str) -> None:
    """Write the current view into the query parameters when it changed."""
    wanted = to_query(view(page), default_data())
    current = {key: st.query_params.get(key) for key in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)
