"""The sidebar: language, preset picker, the levers, the horizon and reset; and a page's lever
view, the part of the page those controls drive, which a lever move reruns alone."""
from __future__ import annotations

import html
import zlib
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st

from model.data import default_data
from model.yamlio import InputError

from . import state
from .i18n import LANGUAGES, escape_markdown, label, source_line, text
from .library import RECENT, offered
from .session import library
from .timeline import schedule_timeline
from .widgets import reported_errors

# Session key: whether this run's page drew the controls in its lever view (else app.py draws them).
CONTROLS_DRAWN = "controls_drawn"


def _quote_help(lever, lang: str) -> str:
    data = default_data()
    passage = data.passages[lever.passages[0]]
    return (f"{label(lever.description, lang)}\n\n> {escape_markdown(passage.zh)}\n>\n> {escape_markdown(passage.en)}\n\n"
            f"{escape_markdown(source_line(passage, lang))} · {', '.join(lever.arguments)}")


def render() -> None:
    """The language switch and the levers' heading (every page); the controls follow."""
    with st.sidebar:
        st.radio(text("sidebar.language", "en") + " / " + text("sidebar.language", "zh"), LANGUAGES, **state.bound("lang"),
                 format_func=lambda code: text(f"language.{code}", code), horizontal=True)
        st.subheader(text("sidebar.levers", state.lang()))


PICKER = "preset."  # the picker's key: this prefix and a digest of the levers on screen


def _picker(lang: str) -> None:
    # The picker names what is loaded, or shows "custom" once a lever moves; choosing the same
    # scenario again after that reloads it. It lists the presets, the scenarios saved last and the
    # one picked last, even once newer ones have pushed it off that list.
    # It is a new widget for every setting of the levers, every load and every match (levers just saved
    # as a scenario are named at once), and what it names is its
    # default, never a value the script writes: a script-written value that the browser has not yet
    # received (quick key presses on a slider interrupt the run that wrote it) would come back as the
    # browser's own choice, an on_change would reload that scenario and undo the presses.
    entries = offered()
    picked = st.session_state.get("picked_scenario")
    if picked and picked not in entries:
        entries |= {entry.stem: entry for entry in library().find([picked]).values()}
    on_screen = state.scenario().key()
    matched = next((stem for stem, entry in entries.items() if entry.scenario.key() == on_screen), None)
    titles = {stem: entry.scenario.title(lang) for stem, entry in entries.items()}
    options = list(titles)
    chosen = st.selectbox(text("sidebar.preset", lang), options, index=options.index(matched) if matched else None,
                          key=PICKER + f"{zlib.crc32(repr(on_screen).encode()):08x}.{st.session_state.get('picker_loads', 0)}.{matched or ''}",
                          format_func=titles.get,
                          placeholder=text("sidebar.preset_custom", lang),
                          help=text("sidebar.preset_help", lang, count=RECENT, page=text("page.compare", lang),
                                    tab=text("manage.files", lang)))
    if chosen is not None and chosen != matched:  # chosen here: loaded before the levers are drawn
        try:
            entry = library().get(chosen)
        except InputError:  # deleted by someone else since the list was shown
            return
        state.load(entry.scenario)
        st.session_state["picked_scenario"] = entry.stem
        st.session_state["picker_loads"] = st.session_state.get("picker_loads", 0) + 1


def controls(lang: str) -> None:
    """The scenario picker, the levers and the horizon, in the sidebar."""
    data = default_data()
    with st.sidebar:
        _picker(lang)
        for lever in data.levers.values():
            if lever.kind == "share":
                st.slider(label(lever.label, lang), 0, 100, step=1, format="%d%%", **state.bound(state.lever_key(lever.id)),
                          help=_quote_help(lever, lang))
                steps = state.schedule(lever.id)
                if steps:  # a dated schedule from a file: shown as steps until the slider moves
                    schedule_timeline(lever.id, steps, lang, st.session_state["horizon"])
            else:
                st.segmented_control(label(lever.label, lang), [c.id for c in lever.choices],
                                     **state.bound(state.lever_key(lever.id)), required=True,
                                     format_func=lambda cid, lv=lever: label(
                                         next(c.label for c in lv.choices if c.id == cid), lang),
                                     help=_quote_help(lever, lang))
        sim = data.baseline.simulation
        st.slider(text("sidebar.horizon", lang), sim.min_horizon, sim.max_horizon, **state.bound("horizon"),
                  help=text("sidebar.horizon_help", lang))


def closing(lang: str) -> None:
    """Reset and the note on edited assumptions, below the controls. Drawn by the whole app: neither
    changes with a lever, and reset reloads every control."""
    with st.sidebar:
        st.button(text("sidebar.reset", lang), on_click=state.reset_levers, width="stretch",
                  help=text("sidebar.reset_help", lang))
        if st.session_state["assumptions"]:
            st.caption(text("sidebar.assumptions_modified", lang, count=len(st.session_state["assumptions"])))


COPY_LINK_JS = """<script>
(() => { const button = document.querySelector('.st-key-share_link button.copy-link');
  if (!button || button.dataset.wired) return; button.dataset.wired = '1';
  button.addEventListener('click', async () => {
    const link = window.location.href; let copied = false;
    try { await navigator.clipboard.writeText(link); copied = true; } catch (error) {
      const field = document.createElement('textarea'); field.value = link; document.body.appendChild(field);
      field.select(); copied = document.execCommand('copy'); field.remove(); }
    button.nextElementSibling.textContent = copied ? button.dataset.done : button.dataset.failed; }); })();
</script>"""


def share_link(page_id: str) -> str:
    """The whole view's link: the address this session was opened at, the page and the view's query."""
    opened = urlsplit(st.context.url or "http://localhost/")
    path = "/" if page_id == "explore" else f"/{page_id}"
    return urlunsplit((opened.scheme, opened.netloc, path, urlencode(state.address_query(page_id)), ""))


def share(page_id: str, lang: str) -> None:
    """A Copy link button (it copies the address bar, which always holds the view) and the link as a
    QR code drawn here (segno), for a room to scan; no outside service. Built only while the popover
    is open: encoding the QR code on every lever move cost the move about 6 ms of server time."""
    box = st.sidebar.popover(text("share.title", lang), width="stretch", key="share", on_change="rerun")
    if not box.open:
        return
    link = share_link(page_id)
    esc = html.escape
    with box:
        st.container(key="share_link").html(
            f"<button type='button' class='copy-link' data-done='{esc(text('share.copied', lang))}' "
            f"data-failed='{esc(text('share.copy_failed', lang))}'>{esc(text('share.copy', lang))}</button>"
            f"<span class='copy-status' role='status' aria-live='polite'></span>" + COPY_LINK_JS,
            unsafe_allow_javascript=True)
        st.caption(text("share.scan", lang))
        qr = segno.make(link, error="m").svg_data_uri(scale=3)
        st.html(f"<img class='share-qr' src='{qr}' alt='{esc(text('share.qr_title', lang))}'>")
        st.code(link, language=None, wrap_lines=True)


def lever_view(page_id: str, draw: Callable[[], None]) -> None:
    """Draw the sidebar's controls and `draw` (the part of page `page_id` they drive) as one fragment:
    a lever move, a preset picked or reset then reruns only these, not the navigation, the language
    switch or the page's static text (docs/PERFORMANCE.md). Keeps the share link in step."""
    lang = state.lang()

    @st.fragment(key=page_id)
    def view() -> None:
        with reported_errors(lang):
            controls(lang)
            draw()
            share(page_id, lang)
        state.sync_url(page_id)

    st.session_state[CONTROLS_DRAWN] = True
    view()
