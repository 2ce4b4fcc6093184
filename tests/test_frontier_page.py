"""AppTest of the Frontier page on a toy model (the same evaluator, cache and page code; the model
replaced so that the page's contracts are tested in seconds): it loads in both languages with the
coarse picture, constraint sliders filter at once, "you are here" is said, and a chosen setting opens
in Explore with its levers."""
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis import evaluator
from ui.i18n import text

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FORMULAS = {  # each default objective a different function of the levers, so that they conflict
    "consumer.surplus_pv": lambda r: 100 * (r["payment_interop"] + r["link_unblocking"] + r["data_sharing"]),
    "sme.profit.private_domain": lambda r: 10 * (r["link_unblocking"] - r["data_sharing"]),
    "sme.profit.marketplace": lambda r: -10 * r["link_unblocking"] + 5 * r["safeguards"],
    "welfare.total_pv": lambda r: 50 * r["payment_interop"] - 80 * r["data_sharing"] * (1 - r["safeguards"]),
    "concentration.hhi": lambda r: 200 * r["link_unblocking"] + (50 if r["openness"] == "bilateral" else 0) * r["data_sharing"],
}


def toy_chunk(data, levers, parameters, measures, horizon, model_version=evaluator.MODEL_VERSION):
    noise = np.asarray(parameters["discount_rate"], dtype=float)[None, :] - 0.05
    values = np.zeros((len(levers), len(noise[0]), len(measures)))
    for k, (outcome, _) in enumerate(measures):
        values[:, :, k] = np.array([FORMULAS[outcome](row) for row in levers])[:, None] + 100 * noise
    return values


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    monkeypatch.setattr(evaluator, "evaluate_chunk", toy_chunk)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/frontier.py").run()
    assert not at.exception, at.exception
    yield at
    st.cache_data.clear()   # the toy's tables must not outlive the test


def caption_count(at, lang="en") -> tuple[int, int]:
    """(feasible, on the frontier) from the page's caption."""
    line = next(c.value for c in at.caption if "meet the constraints" in c.value)
    numbers = [int(part.replace(",", "")) for part in line.replace(";", " ").split() if part.replace(",", "").isdigit()]
    return numbers[0], numbers[2]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_loads_in_both_languages_with_the_coarse_picture(page, lang):
    page.radio(key="lang").set_value(lang).run()
    assert not page.exception, page.exception
    assert page.title[0].value == text("frontier.title", lang)
    assert any(text("frontier.compute_full", lang) == b.label for b in page.button)
    assert any(text("frontier.robust_title", lang) == h.value for h in page.subheader)


def test_a_constraint_slider_filters_at_once(page):
    feasible, on_frontier = caption_count(page)
    assert feasible == 163 and on_frontier >= 1
    page.slider(key="frontier.bound.concentration.hhi").set_value(50.0).run()
    assert not page.exception, page.exception
    tighter, _ = caption_count(page)
    assert 0 < tighter < feasible
    page.slider(key="frontier.risk.consumers_lose").set_value(0).run()
    assert not page.exception


def test_you_are_here_is_said(page):
    here = [i.value for i in page.info if i.value.startswith("You are here")]
    assert len(here) == 1


def test_a_chosen_setting_opens_in_explore(page, data):
    table = page.dataframe[0].value
    page.session_state["frontier.robust_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    page.run()
    assert not page.exception, page.exception
    open_button = next(b for b in page.button if b.label == text("frontier.open", "en"))
    open_button.click().run()
    assert not page.exception, page.exception
    assert page.title[0].value == text("explore.title", "en")
    first = table.iloc[0]
    for lever in data.share_levers:
        expected = first[getattr(data.levers[lever].label, "en")]
        assert f"{page.slider(key=f'lever.{lever}').value}%" == expected


def choose_first_row(at) -> dict:
    """Choose the robust table's first row; its shown levers, by lever label."""
    row = at.dataframe[0].value.iloc[0]
    at.session_state["frontier.robust_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    return row


def test_a_chosen_setting_is_saved_with_its_own_levers_not_those_on_screen(page, data, tmp_path):
    from store.library import ScenarioLibrary, database_url

    row = choose_first_row(page)
    page.session_state["frontier.chosen.save"] = True   # open the expander
    page.run()
    next(t for t in page.text_input if t.label == text("manage.name", "en")).input("Frontier pick")
    next(b for b in page.button if b.label == text("manage.save_button", "en")).click().run()
    assert not page.exception, page.exception
    saved = ScenarioLibrary(database_url(tmp_path / "saved")).get("frontier-pick").scenario
    for lever in data.share_levers:
        assert f"{saved.levers[lever]:.0%}" == row[getattr(data.levers[lever].label, "en")]


@pytest.mark.parametrize("action, opened, compared", [("frontier.compare", "compare", True),
                                                       ("frontier.present", "present", False)])
def test_a_chosen_setting_can_be_compared_or_presented(page, data, action, opened, compared):
    row = choose_first_row(page)
    next(b for b in page.button if b.label == text(action, "en")).click().run()
    assert not page.exception, page.exception
    assert page.session_state["last_page"] == opened
    assert ("__current__" in page.session_state["compare"]) == compared
    for lever in data.share_levers:   # the chosen levers are the ones on screen (the deck's first slide)
        assert f"{page.session_state[f'kept.lever.{lever}']}%" == row[getattr(data.levers[lever].label, "en")]


def test_the_robust_tables_settings_stay_in_view_and_units_are_in_tooltips(page, data):
    """Fourteen columns do not fit 1280 px: the levers are pinned while the reader scrolls sideways to
    the objectives, whose headers are their names alone (the unit is the tooltip)."""
    import json

    table = page.dataframe[0]
    config = json.loads(table.proto.columns)
    levers = [getattr(data.levers[lever].label, "en") for lever in data.levers]
    assert list(table.value.columns[:len(levers)]) == levers
    assert all(config[name]["pinned"] for name in levers)
    assert not any("RMB" in name for name in table.value.columns)
    assert any(entry.get("help") == "RMB bn" for entry in config.values())
