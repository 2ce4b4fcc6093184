"""Cached model calls. The page reruns on every slider move; the model runs once per distinct
scenario (its key, not its name), and the Monte Carlo only when asked for."""
from __future__ import annotations

import streamlit as st

from analysis import frontier
from model import engine
from model.claims import finding_share
from model.data import default_data
from model.scenario import Scenario

from .session import evaluation_cache
from .slides import central_effects

CACHE_ENTRIES = 128


def scenario_from_key(key: tuple, name: str = "") -> Scenario:
    levers, assumptions, horizon = key
    by_id = dict(levers)  # the key sorts them; the scenario keeps levers.yaml's order
    return Scenario(name=name, levers={lever: by_id[lever] for lever in default_data().levers}, assumptions=dict(assumptions),
                    horizon=horizon)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def run(key: tuple) -> engine.RunResult:
    """The run with its attribution, from one batched simulation: a slider move needs both, and one
    call costs less than two."""
    return engine.run(scenario_from_key(key), default_data(), attribute=True)


@st.cache_data(max_entries=16, show_spinner=False)
def monte_carlo(key: tuple):
    return engine.monte_carlo(scenario_from_key(key), default_data())


@st.cache_data(max_entries=32, show_spinner=False)
def tornado(key: tuple, outcome: str):
    return engine.tornado(scenario_from_key(key), outcome, default_data())


def claim_effects() -> dict[str, float]:
    return central_effects()


@st.cache_data(max_entries=64, show_spinner=False)
def claim_share(claim_id: str) -> float:
    """How often a claim holds across the Monte Carlo draws (computed once per claim and server)."""
    data = default_data()
    return finding_share(data.claims[claim_id], data)


class NotComputed(LookupError):
    """The full frontier grid is not in the cache yet (an exception, so that it is not cached)."""


@st.cache_data(max_entries=4, show_spinner=False)
def frontier_table(step: float):
    """The frontier's summary table of `step`'s grid and what it is, read from the analysis cache; the
    coarse grid is computed here when missing (seconds), the full one raises NotComputed."""
    found = frontier.frontier_table(default_data(), step, cache=evaluation_cache(),
                                    compute=step == frontier.COARSE_STEP)
    if found is None:
        raise NotComputed(step)
    return found


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def frontier_point(levers: tuple) -> dict[str, float]:
    """The mean changes and risks of the levers on screen ((lever, value) pairs), under the frontier's draws."""
    return frontier.point_changes(dict(levers), default_data(), cache=evaluation_cache())
