"""Shared page pieces: a chart with its numbers and CSV beneath, claim cards, headline metrics.
(Saving and managing scenarios is in ui/library.py.)"""
from __future__ import annotations

import contextlib
import html
import json
import logging
import math
import uuid
from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit.errors import FragmentHandledException

from model.data import Claim, default_data

from .chart_component import image_text_js, load_plotly_js, plotly_chart
from .compute import claim_share
from .i18n import amount, escape_markdown, label, original_words, problem_text, source_line, text, with_unit
from .report import csv_bytes
from .slides import model_agrees, unchanged


def chart_block(fig: dict, numbers: Callable[[], pd.DataFrame], key: str, lang: str, unit: str = "",
                as_given: tuple[str, ...] = ()) -> None:
    """The chart, then the numbers behind it in an expander with a CSV download. The table is built
    (by `numbers`, in the chart's units) and sent only while the expander is open: a slider move pays
    for neither. The table shows the numbers to as many places as they need under their unit (the
    CSV keeps every digit, and its headers carry the unit). The CSV (a few dozen rows) is sent as a
    file with the table, as on the Assumptions page, rather than generated on click, which needs a
    round trip and an id that the next rerun retires. Columns `as_given` (parameter values, each row
    in its own unit) are shown as they are."""
    plotly_chart(fig, f"chart.{key}", lang)
    behind = st.expander(text("widget.numbers_behind", lang), key=f"numbers.{key}", on_change="rerun")
    if behind.open:
        frame = numbers()
        if unit:
            behind.caption(text("widget.unit", lang, unit=unit))
        shown, digits = readable(frame, as_given)
        behind.dataframe(shown, width="stretch", column_config={
            column: st.column_config.NumberColumn(format=f"%,.{places}f") for column, places in digits.items()})
        written = frame.rename(columns=lambda column: with_unit(column, unit, lang)) if unit else frame
        behind.download_button(text("widget.download_csv", lang), csv_bytes(written, index=True),
                               file_name=f"{key}.csv", mime="text/csv", key=f"csv.{key}", on_click="ignore")


def readable(frame: pd.DataFrame, as_given: tuple[str, ...] = ()) -> tuple[pd.DataFrame, dict[str, int]]:
    """The table as shown: its numbers but those `as_given` rounded to the places their largest needs
    (the same in every column, so that neighbours compare), and those places by column."""
    shown = frame.copy()
    columns = [column for column in frame.select_dtypes("float") if column not in as_given]  # not years
    digits = dict.fromkeys(columns, places(frame[columns].abs().max().max()))
    for column, decimals in digits.items():
        shown[column] = frame[column].round(decimals) + 0.0  # + 0.0: a rounded -1e-12 shows 0.0, not -0.0
    return shown, digits


def places(largest: float) -> int:
    """Decimal places for a table whose largest number is `largest`: three significant figures for
    it, but whole numbers only from 1,000 (3,283 and 111.2, not 111)."""
    if not largest > 1e-9:  # zero (up to rounding noise), or no numbers at all
        return 1
    return min(3, max(0 if largest >= 1000 else 1, 2 - math.floor(math.log10(largest))))


@contextlib.contextmanager
def reported_errors(lang: str):
    """On a failure, the visitor gets an id to quote and the traceback goes to the server log under it
    (showErrorDetails is "none"); once, however deeply nested. Re-raised, so that Streamlit and
    AppTest still see the failure."""
    try:
        yield
    except Exception as error:
        # A fragment hands on what it has shown as FragmentHandledException(original).
        original = error.args[0] if isinstance(error, FragmentHandledException) and error.args else error
        if not hasattr(original, "error_id"):
            original.error_id = uuid.uuid4().hex[:12]
            logging.getLogger("interconnect").exception("page error %s", original.error_id)
            st.error(text("error.unexpected", lang, id=original.error_id))
        raise


MAX_LINK_NOTICES = 5  # a link with hundreds of unknown keys gives these and one "and N more"
NOTICES_TOASTED = "url_notices_toasted"   # session key: Present has shown the link's notices


def link_notices(problems: list, lang: str, overlay: bool = False) -> None:
    """What a link asked for that was ignored, each named; the field and value come from the link, so
    they are shown as typed, never as Markdown or links. `overlay` (Present, whose slide must fit the
    screen): as toasts over the slide, kept until closed, once per session, not banners above it."""
    notices = [text("notice.url_ignored", lang, field=escape_markdown(problem.field),
                    message=escape_markdown(problem_text(problem, lang))) for problem in problems[:MAX_LINK_NOTICES]]
    if len(problems) > MAX_LINK_NOTICES:
        notices.append(text("notice.url_ignored_more", lang, count=len(problems) - MAX_LINK_NOTICES))
    if not overlay:
        for notice in notices:
            st.warning(notice, icon="🔗")
    elif notices and not st.session_state.get(NOTICES_TOASTED):
        st.session_state[NOTICES_TOASTED] = True
        for notice in notices:
            st.toast(notice, icon="🔗", duration="infinite")


def page_script(lang: str) -> None:
    """One script as the page opens: tell the browser (and screen readers) the page's language, put
    Streamlit's own skip link into it, and start loading plotly.js for the charts."""
    skip = json.dumps(text("a11y.skip_to_content", lang))
    st.html(f"<script>document.documentElement.lang = {json.dumps(lang)};"
            f"document.querySelectorAll('[data-testid=stSkipToContent]').forEach(a => a.textContent = {skip});"
            f"{load_plotly_js()}{image_text_js(lang)}</script>", unsafe_allow_javascript=True)


def passage_html(passage, lang: str, both: bool = True) -> str:
    """A quoted passage as escaped text (never Markdown or HTML): the Chinese original and the
    English rendering (or, unless `both`, only the one in the reader's language), and its source
    line; each part marked with its language."""
    esc = html.escape
    parts = []
    if both or lang == "zh":
        parts.append(f"<p lang='zh'>{esc(original_words(passage))}</p>")
    if both or lang == "en":
        parts.append(f"<p lang='en'><i>{esc(passage.en)}</i></p>")
    parts.append(f"<footer lang='{lang}'>{esc(source_line(passage, lang))}</footer>")
    return f"<blockquote class='passage'>{''.join(parts)}</blockquote>"


def claim_role(claim: Claim, lang: str) -> str:
    """"mechanism check" or "finding: holds in 72 % of draws"."""
    if claim.role == "check":
        return text("claim.check", lang)
    return text("claim.finding", lang, share=f"{claim_share(claim.id):.0%}")


def claim_card(claim: Claim, lang: str, central_effect: float | None = None) -> None:
    """A claim with its quoted passages (Chinese original, English rendering, document and place), as
    one bordered block of escaped text: one element to send on every slider move, not five. The
    model's verdict comes first; a claim the model does not reproduce is never the bold headline."""
    data = default_data()
    esc = html.escape
    meta = text("claim.meta", lang, arguments=", ".join(claim.arguments),
                mechanism=label(data.mechanisms[claim.mechanism].label, lang), role=claim_role(claim, lang))
    agrees = central_effect is None or model_agrees(claim, central_effect)
    parts = []
    if central_effect is not None:
        verdict = text("claim.model_agrees" if agrees else "claim.model_disagrees", lang)
        parts.append(f"<p class='claim-verdict {'agrees' if agrees else 'disagrees'}'>{esc(verdict)}</p>")
    statement = esc(label(claim.statement, lang))
    parts += [f"<p class='claim-statement'><b>{statement}</b></p>" if agrees else
              f"<p class='claim-statement rejected'>{esc(text('claim.argued', lang))} {statement}</p>",
              f"<p class='claim-meta'>{esc(meta)}</p>",
              *(passage_html(data.passages[pid], lang, both=lang == "en") for pid in claim.passages[:2])]
    st.html(f"<div class='claim-card' lang='{lang}'>{''.join(parts)}</div>")


def headline_metrics(final: pd.DataFrame, lang: str, spread: pd.DataFrame | None = None,
                     explain: bool = True) -> None:
    """The headline outcomes, final year, with the change against the status quo; `explain` adds
    each outcome's description as a help icon."""
    data = default_data()
    ids = [o.id for o in data.outcomes.values() if o.headline]
    rows = final.to_dict("index")
    # One wrapping row of metrics (app.css sets how many fit across): fewer elements than columns.
    board = st.container(key="headline_metrics", horizontal=True, gap="small")
    for outcome in ids:
        spec, row = data.outcomes[outcome], rows[outcome]
        change, status_quo = row["change"], row["status_quo"]
        help_text = label(spec.description, lang)
        cell = board
        if spread is not None:
            low, high = spread[outcome].quantile([0.1, 0.9])
            band = text("metric.spread", lang, low=amount(low, spec.unit, lang, signed=True),
                        high=amount(high, spec.unit, lang, signed=True))
            help_text += "\n\n" + band
            cell = board.container(gap=None)
        flat = unchanged(change, status_quo, spec.unit, lang)
        # Arrow and colour from the number, not the text: the true minus sign is not "-".
        good = (change > 0) == (spec.better == "higher")
        cell.metric(label(spec.label, lang), amount(row["value"], spec.unit, lang),
                    delta=text("metric.unchanged", lang) if flat else amount(change, spec.unit, lang, signed=True),
                    delta_color="gray" if flat or spec.better == "none" else "green" if good else "red",
                    delta_arrow="off" if flat else "up" if change > 0 else "down",
                    help=help_text if explain else None, border=True)
        if spread is not None:
            cell.caption(band)
