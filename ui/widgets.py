"""Shared page pieces: a chart with its numbers and CSV beneath, claim cards, headline metrics."""
from __future__ import annotations

import html
import json

import pandas as pd
import streamlit as st

from model.data import Claim, default_data
from model.scenario import Scenario
from model.yamlio import InputError

from . import state
from .charts import PLOTLY_CONFIG
from .i18n import amount, label, problem_text, source_line, text
from .report import csv_bytes


def chart_block(fig, frame: pd.DataFrame, key: str, lang: str) -> None:
    """The chart, then the numbers behind it in an expander with a CSV download. The table is built
    only while the expander is open: hidden elements still cost every slider move their rendering."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=f"chart.{key}")
    numbers = st.expander(text("widget.numbers_behind", lang), key=f"numbers.{key}", on_change="rerun")
    if numbers.open:
        numbers.dataframe(frame, width="stretch")
        numbers.download_button(text("widget.download_csv", lang), lambda: csv_bytes(frame, index=True),
                                file_name=f"{key}.csv", mime="text/csv", key=f"csv.{key}", on_click="ignore")


def language_attributes(lang: str) -> None:
    """Tell the browser (and screen readers) the page's language, and put Streamlit's own skip
    link into it."""
    skip = json.dumps(text("a11y.skip_to_content", lang))
    st.html(f"<script>document.documentElement.lang = {json.dumps(lang)};"
            f"document.querySelectorAll('[data-testid=stSkipToContent]').forEach(a => a.textContent = {skip});"
            "</script>", unsafe_allow_javascript=True)


def passage_html(passage, lang: str, both: bool = True) -> str:
    """A quoted passage as escaped text (never Markdown or HTML): the Chinese original and the
    English rendering (or, unless `both`, only the one in the reader's language), and its source
    line; each part marked with its language."""
    esc = html.escape
    parts = []
    if both or lang == "zh":
        parts.append(f"<p lang='zh'>{esc(passage.zh)}</p>")
    if both or lang == "en":
        parts.append(f"<p lang='en'><i>{esc(passage.en)}</i></p>")
    parts.append(f"<footer lang='{lang}'>{esc(source_line(passage, lang))}</footer>")
    return f"<blockquote class='passage'>{''.join(parts)}</blockquote>"


def claim_card(claim: Claim, lang: str, central_effect: float | None = None) -> None:
    """A claim with its quoted passages: Chinese original, English rendering, document and place."""
    data = default_data()
    with st.container(border=True):
        st.html(f"<p><b>{html.escape(label(claim.statement, lang))}</b></p>")
        st.caption(text("claim.meta", lang, arguments=", ".join(claim.arguments),
                        mechanism=label(data.mechanisms[claim.mechanism].label, lang),
                        robust=text("claim.robust" if claim.robust else "claim.contested", lang)))
        st.html("".join(passage_html(data.passages[pid], lang, both=lang == "en") for pid in claim.passages[:2]))
        if central_effect is not None:
            holds = (central_effect > 0) == (claim.direction == "increase")
            st.caption(text("claim.model_agrees" if holds else "claim.model_disagrees", lang))


def headline_metrics(final: pd.DataFrame, lang: str, spread: pd.DataFrame | None = None, columns: int = 4,
                     explain: bool = True) -> None:
    """The headline outcomes, final year, with the change against the status quo; `explain` adds
    each outcome's description as a help icon."""
    data = default_data()
    ids = [o.id for o in data.outcomes.values() if o.headline]
    board = st.container(key="headline_metrics")  # app.css wraps its rows to two columns when narrow
    for start in range(0, len(ids), columns):
        for column, outcome in zip(board.columns(columns), ids[start:start + columns]):
            spec = data.outcomes[outcome]
            row = final.loc[outcome]
            delta = amount(row.change, spec.unit, lang, signed=True)
            help_text = label(spec.description, lang)
            if spread is not None:
                low, high = spread[outcome].quantile([0.1, 0.9])
                help_text += "\n\n" + text("metric.spread", lang, low=amount(low, spec.unit, lang, signed=True),
                                           high=amount(high, spec.unit, lang, signed=True))
            with column:
                unchanged = abs(row.change) < 5e-4 * max(1.0, abs(row.status_quo))
                # Arrow and colour from the number, not the text: the true minus sign is not "-".
                good = (row.change > 0) == (spec.better == "higher")
                st.metric(label(spec.label, lang), amount(row.value, spec.unit, lang),
                          delta=text("metric.unchanged", lang) if unchanged else delta,
                          delta_color="gray" if unchanged or spec.better == "none" else "green" if good else "red",
                          delta_arrow="off" if unchanged else "up" if row.change > 0 else "down",
                          help=help_text if explain else None, border=True)
                if spread is not None:
                    st.caption(text("metric.spread", lang, low=amount(low, spec.unit, lang, signed=True),
                                    high=amount(high, spec.unit, lang, signed=True)))


def problem_lines(error, lang: str) -> list[str]:
    """An InputError's problems as lines in the page's language."""
    return [f"`{problem.field}`: {problem_text(problem, lang)}" for problem in error.problems]


def _save(store, scenario: Scenario, overwrite: bool, lang: str) -> None:
    """Save; when the name is taken by one of the user's own scenarios, ask before replacing it."""
    try:
        store.save(scenario, overwrite=overwrite)
    except InputError as error:
        if any(p.code == "exists" for p in error.problems):
            st.session_state["pending_overwrite"] = scenario
            return
        st.error("\n\n".join(problem_lines(error, lang)))
    else:
        st.session_state.pop("pending_overwrite", None)
        st.session_state["flash"] = text("manage.saved", lang, name=scenario.name)
        st.rerun()


def manage_scenarios(store, entries: dict, lang: str) -> None:
    """Save the current levers as a scenario, upload one, and rename, delete or download scenarios."""
    st.header(text("manage.title", lang))
    if "flash" in st.session_state:
        st.success(st.session_state.pop("flash"))
    save_tab, upload_tab, files_tab = st.tabs([text("manage.save", lang), text("manage.upload", lang),
                                               text("manage.files", lang)])
    with save_tab:
        with st.form("save_scenario"):
            name = st.text_input(text("manage.name", lang), max_chars=80, help=text("manage.name_help", lang))
            description = st.text_area(text("manage.description", lang), max_chars=2000)
            submitted = st.form_submit_button(text("manage.save_button", lang), type="primary")
        if submitted:
            current = state.scenario(name.strip())
            pending = Scenario(name=name.strip(), levers=current.levers, description=description.strip(),
                               assumptions=current.assumptions, horizon=current.horizon)
            _save(store, pending, overwrite=False, lang=lang)
        pending = st.session_state.get("pending_overwrite")
        if pending is not None:
            st.warning(text("manage.confirm_overwrite", lang, name=pending.name))
            if st.button(text("manage.overwrite_button", lang), key="confirm_overwrite"):
                st.session_state.pop("pending_overwrite")
                _save(store, pending, overwrite=True, lang=lang)
    with upload_tab:
        upload = st.file_uploader(text("manage.upload_label", lang), type=["yaml", "yml"], key="upload",
                                  help=text("manage.upload_help", lang))
        if upload is not None and st.button(text("manage.upload_button", lang), key="upload_button"):
            try:
                path = store.save_upload(upload.getvalue())
            except InputError as error:
                st.error(text("manage.upload_refused", lang) + "\n\n" + "\n\n".join(problem_lines(error, lang)))
            else:
                st.session_state["flash"] = text("manage.uploaded", lang, file=path.name)
                st.rerun()
    with files_tab:
        for stem, entry in entries.items():
            left, middle, right = st.columns([3, 1, 1])
            left.markdown(f"**{entry.scenario.name}**" + (f" · {text('manage.preset', lang)}" if entry.protected else ""))
            middle.download_button(text("manage.download", lang), store.read_text(stem).encode("utf-8"),
                                   file_name=f"{stem}.yaml", mime="application/x-yaml", key=f"yaml.{stem}",
                                   on_click="ignore")
            if not entry.protected and right.button(text("manage.delete", lang), key=f"delete.{stem}"):
                store.delete(stem)
                st.rerun()
            if not entry.protected:
                with st.expander(text("manage.rename", lang, name=entry.scenario.name)):
                    new_name = st.text_input(text("manage.new_name", lang), key=f"rename_text.{stem}", max_chars=80)
                    if st.button(text("manage.rename_button", lang), key=f"rename.{stem}"):
                        try:
                            store.rename(stem, new_name)
                        except InputError as error:
                            st.error("\n\n".join(problem_lines(error, lang)))
                        else:
                            st.rerun()
