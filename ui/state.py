"""Session state: the levers, horizon, assumption overrides, language and compared scenarios,
kept in step with the URL's query parameters so that a link restores the view."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from model.data import default_data
from model.scenario import Scenario

from .session import library
from .urlstate import (COMPARE_VIEWS, PANELS, PersonView, ViewState, default_state, from_query, named_scenarios,
                       to_query, traffic_pools)

CURRENT = "__current__"  # the Compare page's entry for the levers as they are now, unsaved
WHY = "kept.why_outcome"  # the outcome the reader chose to explain on Explore; empty: the page picks one
DEFAULT_CHART = "concentration.hhi"


def lever_key(lever: str) -> str:
    return f"lever.{lever}"


# Widget keys that carry the view. Streamlit drops or resets a widget's state on a run where the
# widget is not drawn (another page, or a page that stopped early), so the view lives under plain
# "kept." keys: every run copies them into the widget keys before any widget is drawn, and each
# widget copies its new value back in its on_change (see `bound`).
# The typical person's inputs (Explore's person panel): shares in per cent, as the sliders show them.
PERSON_WIDGETS = ("person.gmv", "person.private", "person.markets", "person.spend", "person.wallet",
                  *(f"person.start.{pool}" for pool in traffic_pools(default_data())), "person.wechat_user")
VIEW_KEYS = (*(lever_key(lever) for lever in default_data().levers), "horizon", "lang", "compare", "compare_reference",
             "compare_outcome", "compare_view", "panel", "uncertainty", "present_extras", *PERSON_WIDGETS)


def _kept(key: str) -> str:
    return f"kept.{key}"


def set_value(key: str, value) -> None:
    """Set a view widget's value (before it is drawn) and keep it."""
    st.session_state[key] = value
    st.session_state[_kept(key)] = value


def _remember(key: str) -> None:
    st.session_state[_kept(key)] = st.session_state[key]


def keep_drawn(key: str) -> None:
    """Before drawing a view widget that the runs before may not have drawn (Streamlit drops such a
    widget's value, and it would come back at its first option): its kept value."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state[_kept(key)]


def bound(key: str) -> dict:
    """The keyword arguments that tie a view widget to its kept value."""
    return {"key": key, "on_change": _remember, "args": (key,)}


def _set_levers(levers: dict, horizon: int, assumptions: dict) -> None:
    for lever in default_data().share_levers:
        value = levers[lever]
        # A dated schedule (from a file) keeps its steps while the slider shows the last one.
        st.session_state[f"schedule.{lever}"] = value if isinstance(value, tuple) else None
        set_value(lever_key(lever), int(round(float(value[-1][1] if isinstance(value, tuple) else value) * 100)))
    set_value(lever_key("openness"), levers["openness"])
    set_value("horizon", horizon)
    st.session_state["assumptions"] = dict(assumptions)


def _apply(view: ViewState) -> None:
    _set_levers(view.levers, view.horizon, view.assumptions)
    set_value("lang", view.lang)
    set_value("compare", list(view.compare))
    set_value("compare_reference", view.reference)
    set_value("compare_outcome", view.chart or DEFAULT_CHART)
    set_value("panel", view.panel or PANELS[0])
    set_value("compare_view", view.view or COMPARE_VIEWS[0])
    set_value("uncertainty", view.uncertainty)
    set_value("present_extras", list(view.extras))
    st.session_state["slide"] = view.slide
    st.session_state[WHY] = view.why
    _set_person(view.person)


def _percent(share: float) -> float:
    """A share as the per cent its slider shows (rounded off float noise: 0.06 is 6.0, not 6.000000000000001)."""
    return round(share * 100, 6)


def _share(percent: float) -> float:
    return round(percent / 100, 8)


def _set_person(person: PersonView) -> None:
    set_value("person.gmv", float(person.gmv))
    set_value("person.private", _percent(person.private_share))
    set_value("person.markets", list(person.marketplaces))
    set_value("person.spend", float(person.spending))
    set_value("person.wallet", person.wallet)
    for pool, share in person.starts:
        set_value(f"person.start.{pool}", _percent(share))
    set_value("person.wechat_user", person.wechat_user)


def person() -> PersonView:
    """The typical merchant and shopper on screen."""
    kept = {key: st.session_state[_kept(key)] for key in PERSON_WIDGETS}
    markets = [p.id for p in default_data().platforms if p.id in kept["person.markets"]]
    return PersonView(gmv=float(kept["person.gmv"]), private_share=_share(kept["person.private"]),
                      marketplaces=tuple(markets), spending=float(kept["person.spend"]),
                      wallet=kept["person.wallet"],
                      starts=tuple((pool, _share(kept[f"person.start.{pool}"])) for pool in traffic_pools(default_data())),
                      wechat_user=bool(kept["person.wechat_user"]))


def _restore() -> None:
    ss = st.session_state
    for key in VIEW_KEYS:
        ss[key] = ss[_kept(key)]


def init() -> None:
    """On a session's first run, restore the view from the URL and keep notices of what was ignored."""
    ss = st.session_state
    if ss.get("initialised"):
        _restore()
        return
    data = default_data()
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    # Only the scenarios the link names are looked up, however many are saved.
    found = library().find(named_scenarios(params))
    targets = {stem: entry.stem for stem, entry in found.items()} | {CURRENT: CURRENT}
    view, problems = from_query(params, data, targets)
    # a renamed scenario's old slug (or its id) opens it under its current slug
    _apply(replace(view, compare=tuple(dict.fromkeys(targets[stem] for stem in view.compare)),
                   reference=targets.get(view.reference, "")))
    ss["url_notices"] = problems
    ss["requested_page"] = view.page
    ss["initialised"] = True


def lang() -> str:
    return st.session_state.get(_kept("lang"), "en")


def _lever_value(lever: str, slider: int):
    """The slider's value, or the file's dated schedule while the slider still shows its last step."""
    schedule = st.session_state.get(f"schedule.{lever}")
    if schedule and int(round(schedule[-1][1] * 100)) == slider:
        return schedule
    return slider / 100.0


def schedule(lever: str):
    """The dated schedule in force for a lever, if the levers on screen came from one."""
    value = levers()[lever]
    return value if isinstance(value, tuple) else None


def levers() -> dict:
    ss = st.session_state
    out = {lever: _lever_value(lever, ss[_kept(lever_key(lever))]) for lever in default_data().share_levers}
    out["openness"] = ss[_kept(lever_key("openness"))]
    return {lever: out[lever] for lever in default_data().levers}


def view(page: str) -> ViewState:
    """The view as a link would restore it."""
    ss = st.session_state
    kept = {key: ss[_kept(key)] for key in VIEW_KEYS}
    return ViewState(levers=levers(), horizon=int(kept["horizon"]), assumptions=dict(ss["assumptions"]),
                     lang=lang(), page=page, compare=tuple(kept["compare"]), slide=int(ss.get("slide", 0)),
                     reference=kept["compare_reference"] or "",
                     chart="" if kept["compare_outcome"] == DEFAULT_CHART else kept["compare_outcome"],
                     why=ss.get(WHY, ""),
                     panel="" if kept["panel"] == PANELS[0] else kept["panel"],
                     view="" if kept["compare_view"] == COMPARE_VIEWS[0] else kept["compare_view"], uncertainty=bool(kept["uncertainty"]),
                     extras=tuple(kept["present_extras"]), person=person())



def scenario(name: str = "") -> Scenario:
    ss = st.session_state
    return Scenario(name=name, levers=levers(), assumptions=dict(ss["assumptions"]), horizon=int(ss[_kept("horizon")]))


def load(scenario_to_load: Scenario) -> None:
    """Put a scenario's levers, horizon and assumptions into the controls."""
    _set_levers(scenario_to_load.levers, scenario_to_load.horizon, scenario_to_load.assumptions)


def reset_levers() -> None:
    data = default_data()
    base = default_state(data)
    load(Scenario(name="", levers=dict(base.levers), assumptions=dict(st.session_state["assumptions"]),
                  horizon=base.horizon))


def address_query(page: str) -> dict[str, str]:
    """The query the address bar shows on `page`. The path already names the page, and the slide is
    left out: Streamlit adds a browser-history entry for every change of the query, and Back from a
    deck must leave the deck, not step back through its slides."""
    return to_query(replace(view(page), page=default_state(default_data()).page, slide=0), default_data())


def sync_url(page: str) -> None:
    """Remember the page, and write the view into the query parameters when it changed."""
    st.session_state["last_page"] = page
    wanted = address_query(page)
    current = {key: st.query_params.get(key) for key in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)
