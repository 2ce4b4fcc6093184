"""Explore: one scenario against the status quo — headline effects, why, who gains, how sure.
Everything below the title is the page's lever view (ui.sidebar.lever_view): a lever move reruns it
alone."""
import pandas as pd
import streamlit as st

from model import engine
from model.claims import claims_behind
from model.data import default_data
from ui import charts, compute, sidebar, state, welfare
from ui.person_panel import person_panel
from ui.track_record import track_record_panel
from ui.i18n import amount, display_scale, display_unit, label, number, text, warning_text, with_unit
from ui.urlstate import PANELS
from ui.slides import model_agrees
from ui.widgets import chart_block, claim_card, headline_metrics

PATH_PANELS = {  # the two kinds of merchant side by side (N8 against N11), and consumers' gain beside its harms
    "sme": ["sme.profit.marketplace", "sme.profit.private_domain", "sme.margin.marketplace", "sme.margin.private_domain"],
    "consumers": ["consumer.surplus", "consumer.harm", "market.take_rate", "consumer.surplus_pv"],
}

data = default_data()
lang = state.lang()
st.title(text("explore.title", lang))


def explained_outcome(final: pd.DataFrame, changed: list[str]) -> str | None:
    """Until the reader picks an outcome, explain one that the first lever moved has an argument
    about (headline outcomes first), so the first move always gets an explanation."""
    ordered = sorted(data.outcomes.values(), key=lambda o: not o.headline)
    moved = set(final.index[final["change"].abs() > 1e-9])
    return next((o.id for lever in changed for o in ordered
                 if o.id in moved and any(c.outcome == o.id for c in claims_behind(o.id, [lever], data))), None)


def headline(key: tuple, result: engine.RunResult):
    """Warnings, the headline numbers (with their P10–P90 spread on demand) and a summary; returns the
    Monte Carlo result when it is asked for."""
    final, year = result.final, result.years[-1]
    st.caption(text("explore.caption", lang, year=year))
    for warning in engine.warnings(result, data):
        st.warning(warning_text(warning, lang), icon="⚠️")
    show_uncertainty = st.toggle(text("explore.uncertainty_toggle", lang), **state.bound("uncertainty"),
                                 help=text("explore.uncertainty_help", lang))
    uncertainty = compute.monte_carlo(key) if show_uncertainty else None
    headline_metrics(final, lang, spread=uncertainty.final_changes if uncertainty else None)
    made_of = st.expander(text("explore.made_of", lang), key="made_of", on_change="rerun")
    if made_of.open:  # built only when open, as the numbers under each chart are
        made_of.caption(text("explore.made_of_caption", lang, year=year))
        made_of.dataframe(welfare.breakdown_frame(result, lang), width="stretch")

    def change(outcome: str) -> str:
        return amount(final.loc[outcome, "change"], data.outcomes[outcome].unit, lang, signed=True)

    def cost_change(outcome: str) -> str:
        """A cost per customer with its unit and its change in per cent (a blended average would hide
        a 20 % rise in the private domain behind a fall on marketplaces)."""
        row = final.loc[outcome]
        percent = number(100 * row["change"] / row["status_quo"], 0, signed=True) + "%" if row["status_quo"] else "–"
        return text("explore.cac_change", lang, change=change(outcome), percent=percent)

    st.info(text("explore.summary", lang, year=year, hhi=change("concentration.hhi"),
                 cac_market=cost_change("sme.acquisition_cost.marketplace"),
                 cac_private=cost_change("sme.acquisition_cost.private_domain"),
                 private=change("sme.private_domain_share"), surplus=change("consumer.surplus"),
                 privacy=change("consumer.privacy_risk"),
                 privacy_base=amount(final.loc["consumer.privacy_risk", "status_quo"], "index", lang)))
    return uncertainty


def why(result: engine.RunResult, changed: list[str]) -> str:
    """The Shapley waterfall of the chosen outcome beside the arguments behind it; returns the outcome."""
    st.header(text("explore.why_title", lang))
    # Every headline card's outcome first, in the cards' order, then the rest.
    options = sorted(data.outcomes, key=lambda o: not data.outcomes[o].headline)
    chosen = st.session_state.get(state.WHY, "")
    if chosen:  # the reader's choice, kept across pages and in the link
        st.session_state.setdefault("why_outcome", chosen)
        outcome = st.selectbox(text("explore.why_outcome", lang), options, key="why_outcome",
                               format_func=lambda o: label(data.outcomes[o].label, lang),
                               on_change=lambda: st.session_state.update({state.WHY: st.session_state["why_outcome"]}))
    else:
        # Until the reader chooses, the page's pick is the default of a widget of its own (never a value
        # the script writes, which a run interrupted by the next lever move could echo back as a choice).
        picked = explained_outcome(result.final, changed) or "concentration.hhi"
        outcome = st.selectbox(text("explore.why_outcome", lang), options, index=options.index(picked),
                               key=f"why_auto.{picked}", format_func=lambda o: label(data.outcomes[o].label, lang))
        if outcome != picked:
            st.session_state[state.WHY] = outcome
    attributed = result.attribution
    contributions = attributed.contributions.loc[outcome]
    left, right = st.columns([3, 2])
    with left:
        def numbers() -> pd.DataFrame:
            frame = (contributions * display_scale(data.outcomes[outcome].unit, lang)).rename(
                text("explore.contribution", lang)).to_frame()
            frame.index = pd.Index([label(data.levers[lever].label, lang) for lever in frame.index],
                                   name=text("compare.col_lever", lang))
            return frame

        chart_block(charts.waterfall_chart(contributions, outcome, lang), numbers, "waterfall", lang,
                    unit=charts.change_unit(outcome, lang))
        breadth = attributed.breadth_effect.loc[outcome]
        if abs(breadth) > 1e-9:
            other = next(c for c in data.levers["openness"].choices if c.id == attributed.other_breadth)
            st.caption(text("explore.breadth_effect", lang, choice=label(other.label, lang),
                            value=amount(-breadth, data.outcomes[outcome].unit, lang, signed=True)))
    with right:
        movers = [lever for lever in contributions.abs().sort_values(ascending=False).index
                  if abs(contributions[lever]) > 1e-9]
        # Only arguments about this very outcome: the check below says whether the model agrees.
        # The ones the model reproduces first (sorted() keeps the levers' order within each group).
        effects = compute.claim_effects()
        cards = sorted((c for c in claims_behind(outcome, movers, data) if c.outcome == outcome),
                       key=lambda c: not model_agrees(c, effects[c.id]))[:3]
        if not movers:
            st.write(text("explore.why_nothing", lang))
        elif not cards:
            st.write(text("explore.why_no_claim", lang))
        for claim in cards:
            claim_card(claim, lang, effects[claim.id])
    return outcome


def path_block(result: engine.RunResult, outcome: str, block_key: str, bands) -> None:
    def numbers() -> pd.DataFrame:
        return welfare.path_table({text("chart.status_quo", lang): result.status_quo_paths,
                                   text("chart.scenario", lang): result.scenario_paths}, outcome, lang)

    chart_block(charts.path_chart(outcome, result.scenario_paths, result.status_quo_paths, lang, bands),
                numbers, block_key, lang, unit=display_unit(data.outcomes[outcome].unit, lang))


def details(key: tuple, result: engine.RunResult, uncertainty, why_outcome: str) -> None:
    """One panel at a time: only the chosen one is built and sent."""
    st.header(text("explore.details_title", lang))
    final, year = result.final, result.years[-1]
    bands = uncertainty.bands if uncertainty else None
    panels = [p for p in PANELS if p != "sensitivity" or uncertainty]
    if st.session_state["panel"] not in panels:
        state.set_value("panel", PANELS[0])
    panel = st.segmented_control(text("explore.panel", lang), panels, **state.bound("panel"), required=True,
                                 format_func=lambda name: text(f"tab.{name}", lang))
    if panel == "concentration":
        left, right = st.columns(2)

        def shares() -> pd.DataFrame:
            return welfare.share_table({text("chart.status_quo", lang): final["status_quo"],
                                        text("chart.scenario", lang): final["value"]}, lang)

        with left:
            chart_block(charts.shares_chart(final["value"], final["status_quo"], lang, year), shares, "shares", lang,
                        unit=text("unit.percent_gmv", lang))
        with right:
            path_block(result, "concentration.hhi", "hhi", bands)
    elif panel == "ratios":
        ratios_block(result)
    elif panel in PATH_PANELS:
        columns = st.columns(2)
        for k, outcome in enumerate(PATH_PANELS[panel]):
            with columns[k % 2]:
                path_block(result, outcome, outcome.replace(".", "_"), bands)
    elif panel == "gains":
        ledger = engine.ledger(result, data)
        chart_block(charts.gains_chart(ledger, lang), lambda: welfare.ledger_frame(ledger, year, lang), "gains", lang)
        st.caption(text("explore.gains_note", lang, year=year, rate=f"{engine.discount_rate(result.scenario, data):.0%}"))
    elif panel == "person":
        person_panel(key, year, lang)
    elif panel == "track":
        track_record_panel(lang)
    else:
        sensitivity_block(key, uncertainty, why_outcome)


def ratios_block(result: engine.RunResult) -> None:
    ratio_ids = ["concentration.cr1", "concentration.cr2", "concentration.cr3"]

    def ratios() -> pd.DataFrame:
        """A column per ratio and path: "Largest platform's share (CR1): Status quo" and so on."""
        named = (("chart.status_quo", result.status_quo_paths), ("chart.scenario", result.scenario_paths))
        return pd.concat([welfare.path_table({f"{label(data.outcomes[ratio].label, lang)}: {text(name, lang)}": paths
                                              for name, paths in named}, ratio, lang) for ratio in ratio_ids], axis=1)

    chart_block(charts.ratios_chart(result.scenario_paths, result.status_quo_paths, lang), ratios, "ratios", lang,
                unit=text("unit.percent_gmv", lang))


def sensitivity_block(key: tuple, uncertainty, why_outcome: str) -> None:
    """The tornado of any outcome, opening on the one explained above."""
    outcome_ids = list(data.outcomes)
    st.caption(text("explore.sensitivity_note", lang, draws=uncertainty.draws, seed=uncertainty.seed))
    tornado_outcome = st.selectbox(text("explore.tornado_outcome", lang), outcome_ids,
                                   index=outcome_ids.index(why_outcome), key="tornado_outcome",
                                   format_func=lambda o: label(data.outcomes[o].label, lang))
    table = compute.tornado(key, tornado_outcome)

    def numbers() -> pd.DataFrame:
        scale = display_scale(data.outcomes[tornado_outcome].unit, lang)
        change = charts.change_unit(tornado_outcome, lang)
        return pd.DataFrame({
            text("table.parameter", lang): [label(data.parameters[p].label, lang) for p in table.parameter],
            text("table.low", lang): table.low_value, text("table.high", lang): table.high_value,
            text("table.unit", lang): [label(data.parameters[p].unit, lang) for p in table.parameter],
            with_unit(text("tornado.change_at_low", lang), change, lang): table.change_at_low * scale,
            with_unit(text("tornado.change_at_high", lang), change, lang): table.change_at_high * scale,
            with_unit(text("tornado.swing", lang), change, lang): table.swing * scale,
        }).set_index(text("table.parameter", lang))

    chart_block(charts.tornado_chart(table, tornado_outcome, lang), numbers, "tornado", lang,
                as_given=(text("table.low", lang), text("table.high", lang)))


def lever_driven() -> None:
    scenario = state.scenario(text("chart.scenario", lang))
    key = scenario.key()
    result = compute.run(key)
    uncertainty = headline(key, result)
    changed = [lever for lever in data.levers if scenario.levers[lever] != data.status_quo_levers[lever]]
    why_outcome = why(result, changed)
    details(key, result, uncertainty, why_outcome)


sidebar.lever_view("explore", lever_driven)
