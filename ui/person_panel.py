"""Explore's "Typical merchant & shopper" panel: the inputs of one merchant and one shopper, kept in
the share link, and what each gains or loses a year, with its band (ui/person.py)."""
from __future__ import annotations

import streamlit as st

from model.data import default_data

from . import compute, state
from .i18n import label, number, text
from .person import PERSON_CSS, card_html, changes
from .urlstate import MAX_GMV, MAX_SPENDING, marketplaces, traffic_pools


def merchant_inputs(lang: str) -> None:
    data = default_data()
    names = {p.id: label(p.label, lang) for p in data.platforms}
    for key in ("person.gmv", "person.private", "person.markets"):
        state.keep_drawn(key)
    st.number_input(text("person.gmv", lang), min_value=0.0, max_value=MAX_GMV, step=100_000.0, format="%.0f",
                    help=text("person.gmv_help", lang), **state.bound("person.gmv"))
    st.slider(text("person.private", lang), 0.0, 100.0, step=5.0, format="%.0f%%", **state.bound("person.private"))
    st.multiselect(text("person.markets", lang), marketplaces(data), format_func=names.get,
                   help=text("person.markets_help", lang), **state.bound("person.markets"))


def shopper_inputs(lang: str) -> None:
    data = default_data()
    pools = {pool.id: label(pool.label, lang) for pool in data.baseline.traffic_pools}
    wallets = {w.id: label(w.label, lang) for w in data.baseline.wallets}
    for key in ("person.spend", "person.wallet", *(f"person.start.{pool}" for pool in traffic_pools(data)),
                "person.wechat_user"):
        state.keep_drawn(key)
    st.number_input(text("person.spend", lang), min_value=0.0, max_value=MAX_SPENDING, step=100.0, format="%.0f",
                    help=text("person.spend_help", lang, retail=number(data.figure("online_physical_retail_2021"), 1),
                              shoppers=number(data.figure("online_shoppers_2021"))),
                    **state.bound("person.spend"))
    st.radio(text("person.wallet", lang), list(wallets), format_func=wallets.get, horizontal=True,
             **state.bound("person.wallet"))
    st.caption(text("person.starts", lang), help=text("person.starts_default", lang))
    for pool in traffic_pools(data):
        name = text("person.start_wechat", lang) if pool == "wechat" else text("person.start_pool", lang, pool=pools[pool])
        st.slider(name, 0.0, 100.0, step=0.5, format="%.1f%%", **state.bound(f"person.start.{pool}"))
    direct = 100.0 - sum(st.session_state[f"person.start.{pool}"] for pool in traffic_pools(data))
    st.caption(text("person.direct", lang, share=f"{number(max(direct, 0.0), 1)}%"))
    st.checkbox(text("person.wechat_user", lang), **state.bound("person.wechat_user"))


def person_panel(key: tuple, year: int, lang: str) -> None:
    """The merchant beside the shopper: each one's change (from the run on screen and its Monte Carlo
    draws, cached with the headline bands) above the inputs that define them."""
    central = compute.run(key).person
    draws = compute.monte_carlo(key)
    st.caption(text("person.caption", lang, year=year, draws=number(draws.draws)))
    st.html(f"<style>{PERSON_CSS}</style>")
    found = changes(state.person(), central, draws.person)
    merchant, shopper = st.columns(2, gap="large")
    with merchant:
        st.subheader(text("person.merchant", lang))
        st.html(card_html("merchant", found["merchant"], lang))
        merchant_inputs(lang)
    with shopper:
        st.subheader(text("person.shopper", lang))
        st.html(card_html("shopper", found["shopper"], lang))
        shopper_inputs(lang)
