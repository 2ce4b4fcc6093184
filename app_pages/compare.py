"""Compare: two to six scenarios side by side against a chosen reference, with export, and the
scenario library. The comparison is the page's lever view (ui.sidebar.lever_view): a lever move
reruns it alone."""
import pandas as pd
import streamlit as st

from model.data import default_data
from model.scenario import Scenario
from ui import charts, compute, report, rooms, sidebar, state, welfare
from ui.state import CURRENT
from ui.urlstate import COMPARE_VIEWS, MAX_COMPARED
from ui.i18n import amount, display_scale, display_unit, escape_markdown, label, lever_value_text, text
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
if not st.session_state["compare"] and not st.session_state.get("compare_opened"):
    # A first visit compares the levers on screen with the status quo (the table's first column).
    state.set_value("compare", [CURRENT])
st.session_state["compare_opened"] = True

st.title(text("compare.title", lang))
st.caption(text("compare.caption", lang, limit=MAX_COMPARED))
rooms.open_room_button(lang)

options = [CURRENT] + list(entries)


def scenario_name(stem: str) -> str:
    return text("compare.current", lang) if stem == CURRENT else entries[stem].scenario.title(lang)


chosen = st.multiselect(text("compare.pick", lang), options, **state.bound("compare"), max_selections=MAX_COMPARED,
                        format_func=scenario_name,
                        help=text("compare.pick_help", lang, count=RECENT, tab=text("manage.files", lang),
                                  add=text("library.compare_add", lang)),
                        placeholder=text("compare.pick_placeholder", lang))


def compared_scenarios() -> dict[str, Scenario]:
    """The chosen scenarios, without any that is the status quo: the table's first column and every
    chart already show it, once."""
    current = state.scenario(text("compare.current", lang))
    status_quo = Scenario(name="", levers=dict(data.status_quo_levers), assumptions=dict(current.assumptions),
                          horizon=current.horizon).key()
    scenarios = {stem: current if stem == CURRENT else entries[stem].scenario for stem in chosen}
    return {stem: s for stem, s in scenarios.items() if s.key() != status_quo}


def column_names(stems) -> dict[str, str]:
    """Column and legend names: each scenario's title, told apart from the model's status quo and
    from each other even when two read the same."""
    baseline, names = text("compare.baseline", lang), {}
    for stem in stems:
        name = scenario_name(stem)
        while name in names.values() or name == baseline:
            name += " ′"
        names[stem] = name
    return names


def best_and_worst(values: pd.DataFrame, rows: list[str]) -> dict[str, tuple[str, str]]:
    """Per outcome with a better direction: the scenario with the best and the one with the worst value."""
    marks = {}
    for o in rows:
        better = data.outcomes[o].better
        series = values.loc[o]
        if better != "none" and series.max() - series.min() > 1e-9:
            best, worst = (series.idxmax(), series.idxmin()) if better == "higher" else (series.idxmin(), series.idxmax())
            marks[o] = (best, worst)
    return marks


def outcome_table(finals: dict, first: pd.DataFrame, reference_values: pd.Series, names: dict[str, str]) -> None:
    """Every outcome (or the headline ones): the status quo, then each scenario with its difference."""
    baseline = text("compare.baseline", lang)
    headline = [o.id for o in data.outcomes.values() if o.headline]
    rows = list(data.outcomes) if st.toggle(text("compare.all_outcomes", lang), key="compare_all_outcomes") else headline
    values = pd.DataFrame({stem: f["value"] for stem, f in finals.items()}).loc[rows]
    shown = pd.DataFrame(index=[label(data.outcomes[o].label, lang) for o in rows])
    shown[baseline] = [amount(first.loc[o, "status_quo"], data.outcomes[o].unit, lang) for o in rows]
    marks = best_and_worst(values, rows)
    for stem in finals:
        column = []
        for o in rows:
            unit = data.outcomes[o].unit
            cell = text("compare.value_change", lang, value=amount(values.loc[o, stem], unit, lang),
                        change=amount(values.loc[o, stem] - reference_values[o], unit, lang, signed=True))
            mark = {0: "▲ ", 1: "▼ "}.get(marks[o].index(stem) if o in marks and stem in marks[o] else -1, "")
            column.append(mark + cell)
        shown[names[stem]] = column
    shown.columns.name = text("compare.col_outcome", lang)  # the corner cell names the rows (no empty header)
    st.html(report.html_table(shown))


def one_chart(results: dict, names: dict[str, str]) -> None:
    """One chart at a time, as Explore's panels: only the chosen one is built and sent. The outcome
    charted is kept while the chart type changes (the shares chart draws no outcome picker)."""
    baseline = text("compare.baseline", lang)
    view = st.segmented_control(text("compare.view", lang), COMPARE_VIEWS, **state.bound("compare_view"),
                                required=True, format_func=lambda name: text(f"compare.view.{name}", lang))
    first = next(iter(results.values()))
    if view == "shares":
        share_finals = {baseline: first.final["status_quo"]} | {names[stem]: r.final["value"] for stem, r in results.items()}

        chart_block(charts.compare_shares_chart(share_finals, lang), lambda: welfare.share_table(share_finals, lang),
                    "compare_shares", lang, unit=text("unit.percent_gmv", lang))
        return
    state.keep_drawn("compare_outcome")
    outcome = st.selectbox(text("compare.outcome", lang), list(data.outcomes), **state.bound("compare_outcome"),
                           format_func=lambda o: label(data.outcomes[o].label, lang))
    if view == "paths":
        paths = {baseline: first.status_quo_paths} | {names[stem]: r.scenario_paths for stem, r in results.items()}
        chart_block(charts.compare_paths_chart(outcome, paths, lang), lambda: welfare.path_table(paths, outcome, lang),
                    "compare_paths", lang, unit=display_unit(data.outcomes[outcome].unit, lang))
        return
    contributions = {names[stem]: r.attribution.contributions.loc[outcome] for stem, r in results.items()}

    def by_lever() -> pd.DataFrame:
        frame = pd.DataFrame(contributions) * display_scale(data.outcomes[outcome].unit, lang)
        frame.index = pd.Index([label(data.levers[lever].label, lang) for lever in frame.index],
                               name=text("compare.col_lever", lang))
        return frame

    chart_block(charts.compare_attribution_chart(contributions, outcome, lang), by_lever, "compare_attribution", lang,
                unit=charts.change_unit(outcome, lang))


def lever_settings(scenarios: dict[str, Scenario], names: dict[str, str]) -> None:
    st.header(text("compare.levers", lang))  # h2 under the page's h1: headings go down one level at a time
    levers = pd.DataFrame({names[stem]: [lever_value_text(lv, s.levers[lv], lang) for lv in data.levers]
                           + [str(s.horizon), str(len(s.assumptions))] for stem, s in scenarios.items()},
                          index=[label(lv.label, lang) for lv in data.levers.values()]
                          + [text("sidebar.horizon", lang), text("compare.assumptions_changed", lang)])
    levers.columns.name = text("compare.col_lever", lang)
    st.html(report.html_table(levers))


def exports(scenarios: dict[str, Scenario]) -> None:
    st.header(text("compare.export", lang))
    left, right = st.columns(2)
    with left:
        st.download_button(text("compare.download_report", lang),
                           lambda: report.html_report(list(scenarios.values()), lang).encode("utf-8"),
                           file_name="interconnection-report.html", mime="text/html", on_click="ignore",
                           key="download_report", help=text("compare.report_help", lang))
    with right:
        st.download_button(text("compare.download_paths", lang), lambda: report.paths_csv(list(scenarios.values()), lang),
                           file_name="interconnection-paths.csv", mime="text/csv", on_click="ignore",
                           key="download_paths")


def comparison() -> None:
    """The table, one chart and the exports: the page's lever view (the current levers may be compared)."""
    scenarios = compared_scenarios()
    if not scenarios:
        st.info(text("compare.need_one", lang))
        return
    names = column_names(scenarios)
    if st.session_state["compare_reference"] not in ("", *scenarios):
        state.set_value("compare_reference", "")
    reference = st.selectbox(text("compare.reference", lang), ["", *scenarios], **state.bound("compare_reference"),
                             format_func=lambda stem: names.get(stem, text("compare.baseline", lang)))
    results = {stem: compute.run(s.key()) for stem, s in scenarios.items()}
    finals = {stem: r.final for stem, r in results.items()}
    first = next(iter(finals.values()))
    outcome_table(finals, first, first["status_quo"] if not reference else finals[reference]["value"], names)
    st.caption(text("compare.table_note", lang, reference=escape_markdown(names.get(reference, text("compare.baseline", lang)))))
    one_chart(results, names)
    lever_settings(scenarios, names)
    exports(scenarios)


sidebar.lever_view("compare", comparison)
manage_scenarios(lang)
