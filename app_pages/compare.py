"""Compare: two to six scenarios side by side against a chosen reference, with export, and the
scenario library. The comparison is the page's lever view (ui.sidebar.lever_view): a lever move
reruns it alone."""
import pandas as pd
import streamlit as st

from model.data import default_data
from ui import charts, compute, report, sidebar, state
from ui.state import CURRENT
from ui.urlstate import COMPARE_VIEWS, MAX_COMPARED
from ui.i18n import amount, display_scale, label, lever_value_text, text
from ui.library import RECENT, manage_scenarios, offered
from ui.session import library
from ui.widgets import chart_block

data = default_data()
lang = state.lang()
# Only the compared scenarios are fetched (under their current slugs; one deleted meanwhile drops
# out), and offered beside the presets and the scenarios saved last: never the whole library.
compared = library().find(stem for stem in st.session_state["compare"] if stem != CURRENT)
state.set_value("compare", list(dict.fromkeys(stem if stem == CURRENT else compared[stem].stem
                                              for stem in st.session_state["compare"]
                                              if stem == CURRENT or stem in compared)))
entries = offered(*compared.values())

st.title(text("compare.title", lang))
st.caption(text("compare.caption", lang, limit=MAX_COMPARED))

options = [CURRENT] + list(entries)


def scenario_name(stem: str) -> str:
    return text("compare.current", lang) if stem == CURRENT else entries[stem].scenario.title(lang)


chosen = st.multiselect(text("compare.pick", lang), options, **state.bound("compare"), max_selections=MAX_COMPARED,
                        format_func=scenario_name,
                        help=text("compare.pick_help", lang, count=RECENT, tab=text("manage.files", lang),
                                  add=text("library.compare_add", lang)),
                        placeholder=text("compare.pick_placeholder", lang))


def comparison() -> None:
    """The table, one chart and the exports: the page's lever view (the current levers may be compared)."""
    if len(chosen) < 2:
        st.info(text("compare.need_two", lang))
        return
    scenarios = {stem: state.scenario(text("compare.current", lang)) if stem == CURRENT else entries[stem].scenario
                 for stem in chosen}
    # Column and legend names: each scenario's title, told apart from the model's status quo and
    # from each other even when two read the same.
    baseline = text("compare.baseline", lang)
    names: dict[str, str] = {}
    for stem in chosen:
        name = scenario_name(stem)
        while name in names.values() or name == baseline:
            name += " ′"
        names[stem] = name
    if st.session_state["compare_reference"] not in ("", *chosen):
        state.set_value("compare_reference", "")
    reference = st.selectbox(text("compare.reference", lang), ["", *chosen], **state.bound("compare_reference"),
                             format_func=lambda stem: names.get(stem, baseline))
    results = {stem: compute.run(s.key()) for stem, s in scenarios.items()}
    finals = {stem: r.final for stem, r in results.items()}
    first = next(iter(finals.values()))
    reference_values = first["status_quo"] if not reference else finals[reference]["value"]

    headline = [o.id for o in data.outcomes.values() if o.headline]
    all_outcomes = st.toggle(text("compare.all_outcomes", lang), key="compare_all_outcomes")
    rows = list(data.outcomes) if all_outcomes else headline
    values = pd.DataFrame({stem: f["value"] for stem, f in finals.items()}).loc[rows]
    shown = pd.DataFrame(index=[label(data.outcomes[o].label, lang) for o in rows])
    shown[baseline] = [amount(first.loc[o, "status_quo"], data.outcomes[o].unit, lang) for o in rows]
    marks = {}
    for o in rows:
        better = data.outcomes[o].better
        if better == "none":
            continue
        series = values.loc[o]
        best = series.idxmax() if better == "higher" else series.idxmin()
        worst = series.idxmin() if better == "higher" else series.idxmax()
        if series.max() - series.min() > 1e-9:
            marks[o] = (best, worst)
    for stem in scenarios:
        column = []
        for o in rows:
            unit = data.outcomes[o].unit
            cell = f"{amount(values.loc[o, stem], unit, lang)} ({amount(values.loc[o, stem] - reference_values[o], unit, lang, signed=True)})"
            if o in marks and marks[o][0] == stem:
                cell = "▲ " + cell
            elif o in marks and marks[o][1] == stem:
                cell = "▼ " + cell
            column.append(cell)
        shown[names[stem]] = column
    st.html(report.html_table(shown))
    st.caption(text("compare.table_note", lang, reference=names.get(reference, baseline)))

    # One chart at a time, as Explore's panels: only the chosen one is built and sent.
    view = st.segmented_control(text("compare.view", lang), COMPARE_VIEWS, **state.bound("compare_view"),
                                required=True, format_func=lambda name: text(f"compare.view.{name}", lang))
    if view == "shares":
        share_finals = {baseline: first["status_quo"]} | {names[stem]: f["value"] for stem, f in finals.items()}

        def shares() -> pd.DataFrame:
            frame = pd.DataFrame({n: s[[f"share.{p.id}" for p in data.platforms]] * 100
                                  for n, s in share_finals.items()})
            frame.index = [label(p.short, lang) for p in data.platforms]
            return frame

        chart_block(charts.compare_shares_chart(share_finals, lang), shares, "compare_shares", lang)
    else:
        outcome = st.selectbox(text("compare.outcome", lang), list(data.outcomes), **state.bound("compare_outcome"),
                               format_func=lambda o: label(data.outcomes[o].label, lang))
        scale = display_scale(data.outcomes[outcome].unit, lang)
        if view == "paths":
            paths = {baseline: next(iter(results.values())).status_quo_paths}
            paths |= {names[stem]: r.scenario_paths for stem, r in results.items()}
            chart_block(charts.compare_paths_chart(outcome, paths, lang),
                        lambda: pd.DataFrame({name: p[outcome] * scale for name, p in paths.items()}),
                        "compare_paths", lang)
        else:
            contributions = {names[stem]: r.attribution.contributions.loc[outcome] for stem, r in results.items()}

            def by_lever() -> pd.DataFrame:
                frame = pd.DataFrame(contributions) * scale
                frame.index = [label(data.levers[lever].label, lang) for lever in frame.index]
                return frame

            chart_block(charts.compare_attribution_chart(contributions, outcome, lang), by_lever,
                        "compare_attribution", lang)

    st.subheader(text("compare.levers", lang))
    levers = pd.DataFrame({names[stem]: [lever_value_text(lv, s.levers[lv], lang) for lv in data.levers]
                           + [str(s.horizon), str(len(s.assumptions))] for stem, s in scenarios.items()},
        index=[label(lv.label, lang) for lv in data.levers.values()] + [text("sidebar.horizon", lang),
                                                                        text("compare.assumptions_changed", lang)])
    st.html(report.html_table(levers))

    st.subheader(text("compare.export", lang))
    left, right = st.columns(2)
    with left:
        st.download_button(text("compare.download_report", lang),
                           lambda: report.html_report(list(scenarios.values()), lang).encode("utf-8"),
                           file_name="interconnection-report.html", mime="text/html", on_click="ignore",
                           key="download_report", help=text("compare.report_help", lang))
    with right:
        st.download_button(text("compare.download_paths", lang),
                           lambda: report.paths_csv(list(scenarios.values()), lang),
                           file_name="interconnection-paths.csv", mime="text/csv", on_click="ignore",
                           key="download_paths")


sidebar.lever_view("compare", comparison)
manage_scenarios(lang)
