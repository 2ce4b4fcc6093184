"""Workshop rooms in the page (the store is store/rooms.py): the button that opens a room from
Compare or Present, the presenter's room view (app_pages/room.py) and the participant's phone page
(app_pages/join.py).

The two room pages are drawn on their own (app.py runs them without the sidebar and the share link):
their address carries the room's code (`room`) and, on a participant's page, their token (`p`), so a
reload keeps them in the room. The presenter's key stays in the session; the presenter link that
carries it is offered once, folded away, to reopen the room after a restart.

Nothing a participant types reaches Markdown or HTML: names are shown with st.text, in escaped HTML
tables, as plain option labels and as plotly labels (names hold no angle brackets)."""
from __future__ import annotations

import html
import io
import os
import zipfile
from urllib.parse import urlencode, urlsplit

import pandas as pd
import segno
import streamlit as st

from model.data import default_data
from model.scenario import NAME_MAX, Scenario
from model.yamlio import InputError
from store import Room, default_rooms
from store.library import yaml_of
from store.names import name_key, slug
from store.rooms import Proposal, RoomStore

from . import charts, compute, state
from .chart_component import plotly_chart
from .i18n import amount, display_scale, label, lever_value_text, problem_text, text
from .session import library, sign_in_configured, signed_in, visitor
from .report import csv_bytes, html_table
from .urlstate import MAX_COMPARED
from .widgets import headline_metrics

ROOM_PARAMETERS = ("room", "p", "key")  # the room pages' own link parameters
PUBLIC_URL_VARIABLE = "INTERCONNECT_PUBLIC_URL"  # the address participants reach, behind a proxy
PRESENTER_REFRESH = 0.5  # seconds: a new proposal reaches the presenter's screen within this, a query and a redraw
PARTICIPANT_REFRESH = 3.0  # seconds: a participant's page notices a lock, a reveal or a vote
CHART_OUTCOMES = ("consumer.surplus", "concentration.hhi")  # the proposals chart's axes

STANDALONE_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"] {display: none;}
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 1rem !important;}
.room-code {font-size: 3rem; font-weight: 700; letter-spacing: .15em; margin: 0; line-height: 1.1;}
.room-status {font-size: 1.1rem; margin: 0;}
.room-qr {width: min(100%, 420px); height: auto; image-rendering: pixelated;}
/* Who and what (the first two cells) read as text: left-aligned. */
table.data tbody td:nth-of-type(-n+2) {text-align: left;}
</style>
"""


def rooms() -> RoomStore:
    """The rooms in the scenario database (the library's database)."""
    return default_rooms(library().engine.url.render_as_string(hide_password=False))


def _problems(error: InputError, lang: str) -> str:
    """Each problem as plain text, for st.error on a text element (never Markdown)."""
    return "\n".join(f"{problem.field}: {problem_text(problem, lang)}" for problem in error.problems)


def _refusal(error: InputError, lang: str) -> None:
    st.error(text("room.refused", lang))
    st.text(_problems(error, lang))


def standalone(lang: str) -> None:
    """What both room pages start with: no sidebar or header, the room's notices only, and a language switch."""
    st.html(STANDALONE_CSS)
    st.session_state["url_notices"] = [problem for problem in st.session_state.get("url_notices", [])
                                       if problem.field not in ROOM_PARAMETERS]
    chosen = st.segmented_control(text("sidebar.language", lang), ("en", "zh"), **state.bound("lang"),
                                  format_func=lambda code: text(f"language.{code}", code), required=True,
                                  label_visibility="collapsed")
    if st.query_params.get("lang", "en") != chosen:
        if chosen == "en":
            st.query_params.pop("lang", None)
        else:
            st.query_params["lang"] = chosen


def open_room_button(lang: str, on_slide: bool = False) -> None:
    """On Compare and Present: open a workshop room and go to its view; once one is open in this
    session, go back to it."""
    query = {"lang": lang} if lang != "en" else {}
    code = st.session_state.get("room_open")
    if code:
        if st.button(text("room.back_to_room", lang, code=code), key="back_to_room"):
            st.switch_page("app_pages/room.py", query_params={"room": code} | query)
        return
    signed_out = sign_in_configured() and not signed_in()  # where saving needs sign-in, so does a room
    explained = "room.sign_in_first" if signed_out else None if on_slide else "room.open_help"
    # on a slide only a disabled button explains itself: a projected slide shows no tooltip icons
    if st.button(text("room.open", lang), key="open_room", disabled=signed_out,
                 help=text(explained, lang) if explained else None):
        try:
            room, key = rooms().open_room()
        except InputError as error:
            _refusal(error, lang)
            return
        st.session_state[f"room_key.{room.code}"] = key
        st.switch_page("app_pages/room.py", query_params={"room": room.code} | query)


def base_url() -> str:
    """The app's address as participants reach it: INTERCONNECT_PUBLIC_URL, else this page's own
    address without its page."""
    configured = os.environ.get(PUBLIC_URL_VARIABLE)
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    path = parts.path.rstrip("/")
    if path.rsplit("/", 1)[-1] in ("room", "join", "compare", "present", "explore"):
        path = path.rsplit("/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{path}"


def join_link(code: str, lang: str) -> str:
    return f"{base_url()}/join?" + urlencode({"room": code} | ({"lang": lang} if lang != "en" else {}))


def qr_image(link: str, alt: str) -> str:
    """The join link as a QR code (an <img> with its text alternative), made here with segno, never by a
    web service."""
    uri = segno.make(link, error="m").png_data_uri(scale=8, border=2)
    return f"<img class='room-qr' src='{uri}' alt='{html.escape(alt, quote=True)}' width='260' height='260'>"


def _outcome_label(outcome: str, lang: str) -> str:
    data = default_data()
    return label(data.outcomes[outcome].label, lang)


def guess_unit(outcome: str, lang: str) -> str:
    """The unit a guess of a change in `outcome` is typed in, as the charts' axes name it."""
    return charts.change_unit(outcome, lang)


def model_change(proposal: Proposal, outcome: str) -> float:
    """The model's change in `outcome` against the status quo in the final year, for a proposal."""
    return float(compute.run(proposal.scenario().key()).final.loc[outcome, "change"])


def _levers_cells(levers: dict, lang: str) -> list[str]:
    return [lever_value_text(lever, levers[lever], lang) for lever in default_data().levers]


def proposals_table(proposals: list[Proposal], room: Room, lang: str) -> pd.DataFrame:
    """One row per proposal: who, what, the levers, the guess; the model's numbers once revealed; votes."""
    data = default_data()
    columns = [text("room.participant", lang), text("room.proposal", lang),
               *(label(lever.label, lang) for lever in data.levers.values()), text("room.guess_column", lang)]
    rows = []
    for proposal in proposals:
        guess = "" if proposal.guess is None else amount(proposal.guess, data.outcomes[room.guess_outcome].unit, lang,
                                                         signed=True)
        row = [proposal.participant, proposal.name, *_levers_cells(proposal.levers, lang), guess]
        if room.revealed:
            row += [amount(model_change(proposal, outcome), data.outcomes[outcome].unit, lang, signed=True)
                    for outcome in CHART_OUTCOMES]
        rows.append(row + [str(proposal.votes)])
    if room.revealed:
        columns += [text("room.model_change", lang, outcome=_outcome_label(o, lang)) for o in CHART_OUTCOMES]
    return pd.DataFrame(rows, columns=[*columns, text("room.votes", lang)], index=range(1, len(rows) + 1))


def guesses_table(proposals: list[Proposal], room: Room, lang: str) -> pd.DataFrame:
    """Each guess beside the model's number for the same proposal."""
    unit = default_data().outcomes[room.guess_outcome].unit
    rows = [[p.participant, p.name, amount(p.guess, unit, lang, signed=True),
             amount(model_change(p, room.guess_outcome), unit, lang, signed=True),
             amount(p.guess - model_change(p, room.guess_outcome), unit, lang, signed=True)]
            for p in proposals if p.guess is not None]
    return pd.DataFrame(rows, columns=[text("room.participant", lang), text("room.proposal", lang),
                                       text("room.guess_column", lang), text("room.model_column", lang),
                                       text("room.guess_gap", lang)], index=range(1, len(rows) + 1))


def export_csv(proposals: list[Proposal], room: Room) -> bytes:
    """Every proposal (hidden ones too, marked), spreadsheet-safe, in model units named in the header."""
    data = default_data()
    frame = pd.DataFrame({
        "room": room.code, "participant": [p.participant for p in proposals], "proposal": [p.name for p in proposals],
        **{lever: [p.levers[lever] for p in proposals] for lever in data.levers},
        f"guess.{room.guess_outcome} ({data.outcomes[room.guess_outcome].unit})": [p.guess for p in proposals],
        **{f"model.{o} ({data.outcomes[o].unit})": [model_change(p, o) for p in proposals] for o in CHART_OUTCOMES},
        "votes": [p.votes for p in proposals], "revision": [p.revision for p in proposals],
        "hidden": [p.hidden for p in proposals], "updated_at": [p.updated_at.isoformat() for p in proposals]})
    return csv_bytes(frame)


def export_scenarios(proposals: list[Proposal]) -> bytes:
    """Every proposal as a scenario file, in one zip; numbered, so two alike names never swap."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, proposal in enumerate(proposals, start=1):
            archive.writestr(f"{number:03d}-{slug(proposal.name)}.yaml", yaml_of(proposal.scenario()))
    return buffer.getvalue()


def save_for_comparison(proposals: list[Proposal], code: str, lang: str) -> list[str]:
    """Save the picked proposals into the scenario library (as "name (participant)"), reusing a saved
    one with the same name and levers; their slugs, for Compare and Present."""
    store = library()
    stems = []
    for proposal in proposals:
        name = f"{proposal.name} ({proposal.participant})"
        if len(name) > NAME_MAX:
            name = f"{proposal.name[:NAME_MAX - 12]}… ({code})"
        scenario = Scenario(name=name, levers=dict(proposal.levers),
                            description=text("room.saved_description", lang, participant=proposal.participant,
                                             code=code))
        existing = [entry for entry in store.recent(200) if name_key(entry.scenario.name) == name_key(name)]
        if existing and existing[0].scenario.key() == scenario.key():
            stems.append(existing[0].stem)
            continue
        stems.append(store.save(scenario, actor=visitor()).stem)
    return stems


# ----- the presenter's view -----

def presenter_page(lang: str) -> None:
    store = rooms()
    code = st.query_params.get("room", "")
    key = st.query_params.get("key") or st.session_state.get(f"room_key.{code}", "")
    try:
        room = store.presenter_room(code, key)
    except InputError as error:
        _refusal(error, lang)
        return
    st.session_state[f"room_key.{room.code}"] = key
    st.session_state["room_open"] = room.code if room.status() == "open" else None
    st.query_params.pop("key", None)  # off the projected address bar: the session keeps it
    goto = st.session_state.pop("room_goto", None)
    if goto:
        state.set_value("compare", goto[1])
        st.session_state["slide"] = 0
        st.switch_page(f"app_pages/{goto[0]}.py")

    link = join_link(room.code, lang)
    left, right = st.columns([1, 2])
    with left:
        st.html(qr_image(link, text("room.qr_alt", lang, link=link)))
        st.caption(text("room.scan", lang))
    with right:
        st.html(f"<p class='room-code' aria-label='{text('room.code_label', lang)}'>{room.code}</p>")
        st.caption(text("room.join_with", lang))
        st.code(link, language=None, wrap_lines=True)
        _controls(store, room, key, lang)
    _live_view(store, room.code, key, lang)
    with st.expander(text("room.export", lang)):
        proposals = lambda: store.proposals(room.code)  # noqa: E731 -- fetched when the file is asked for
        st.download_button(text("room.export_csv", lang), lambda: export_csv(proposals(), room),
                           file_name=f"room-{room.code}.csv", mime="text/csv", on_click="ignore", key="room_csv")
        st.download_button(text("room.export_files", lang), lambda: export_scenarios(proposals()),
                           file_name=f"room-{room.code}-scenarios.zip", mime="application/zip", on_click="ignore",
                           key="room_zip")
    with st.expander(text("room.presenter_link", lang)):
        st.caption(text("room.presenter_link_help", lang, hours=store.hours))
        st.code(f"{base_url()}/room?" + urlencode({"room": room.code, "key": key}), language=None, wrap_lines=True)


def _controls(store: RoomStore, room: Room, key: str, lang: str) -> None:
    data = default_data()

    def change(**changes) -> None:
        try:
            store.update_room(room.code, key, **changes)
        except InputError as error:
            st.session_state["room_flash"] = error

    with st.container(horizontal=True, key="room_controls"):
        st.button(text("room.unlock" if room.locked else "room.lock", lang), key="room_lock", on_click=change,
                  kwargs={"locked": not room.locked}, disabled=room.status() != "open")
        st.button(text("room.hide_results" if room.revealed else "room.reveal", lang), key="room_reveal",
                  on_click=change, kwargs={"revealed": not room.revealed}, disabled=room.status() != "open")
        st.button(text("room.close_vote" if room.voting else "room.open_vote", lang), key="room_vote",
                  on_click=change, kwargs={"voting": not room.voting}, disabled=room.status() != "open")
        st.button(text("room.close", lang), key="room_close", on_click=lambda: store.close(room.code, key),
                  disabled=room.status() != "open")
        if st.button(text("room.back", lang), key="room_back"):
            st.switch_page("app_pages/compare.py")
    headline = [o.id for o in data.outcomes.values() if o.headline]
    st.session_state["room_guess_outcome"] = room.guess_outcome
    st.selectbox(text("room.guess_outcome", lang), headline, key="room_guess_outcome",
                 format_func=lambda o: _outcome_label(o, lang), disabled=room.status() != "open",
                 on_change=lambda: change(guess_outcome=st.session_state["room_guess_outcome"]))
    flash = st.session_state.pop("room_flash", None)
    if flash is not None:
        _refusal(flash, lang)


def _live_view(store: RoomStore, code: str, key: str, lang: str) -> None:
    """Proposals as they arrive: the fragment re-reads the room every PRESENTER_REFRESH seconds, and its
    proposals and table only when the room's version says something changed."""

    @st.fragment(run_every=PRESENTER_REFRESH)
    def live() -> None:
        room = store.presenter_room(code, key)
        kept = st.session_state.get("room_view")
        if kept is None or kept[0] != (code, room.version, lang):
            everything = store.proposals(code)
            table = html_table(proposals_table([p for p in everything if not p.hidden], room, lang))
            kept = st.session_state["room_view"] = ((code, room.version, lang), everything, table)
        everything, table = kept[1:]
        shown = [p for p in everything if not p.hidden]
        st.html(f"<p class='room-status'>{text(f'room.status.{room.status()}', lang)} · "
                f"{text('room.counts', lang, people=room.participants, proposals=len(shown), votes=sum(p.votes for p in shown))}"
                + (f" · {text('room.locked_note', lang)}" if room.locked else "")
                + (f" · {text('room.voting_note', lang)}" if room.voting else "") + "</p>")
        if not everything:
            st.info(text("room.waiting", lang))
            return
        st.html(table)
        if room.revealed and shown:
            _results(shown, room, lang)
        _moderation_and_picks(store, key, room, everything, lang)

    live()


def _results(shown: list[Proposal], room: Room, lang: str) -> None:
    """Once revealed: the proposals on the chart, and each guess beside the model's number."""
    points = {f"{p.name} ({p.participant})": tuple(model_change(p, o) for o in CHART_OUTCOMES) for p in shown}
    plotly_chart(charts.proposals_chart(points, CHART_OUTCOMES, lang), "room.proposals", lang)
    st.subheader(text("room.guesses_title", lang, outcome=_outcome_label(room.guess_outcome, lang),
                      unit=guess_unit(room.guess_outcome, lang)), anchor=False)
    guessed = guesses_table(shown, room, lang)
    if guessed.empty:
        st.caption(text("room.no_guesses", lang))
    else:
        st.html(html_table(guessed))


def _moderation_and_picks(store: RoomStore, key: str, room: Room, everything: list[Proposal], lang: str) -> None:
    """Hide proposals; pick some into Compare or Present (saved into the library first)."""
    shown = [p for p in everything if not p.hidden]
    titles = {p.id: f"{p.name} ({p.participant})" for p in everything}
    st.session_state["room_hidden"] = [p.id for p in everything if p.hidden]

    def moderate() -> None:
        wanted = set(st.session_state["room_hidden"])
        for proposal in everything:
            if (proposal.id in wanted) != proposal.hidden:
                store.hide(room.code, key, proposal.id, proposal.id in wanted)

    left, right = st.columns(2)
    left.multiselect(text("room.hidden", lang), list(titles), key="room_hidden", format_func=titles.get,
                     on_change=moderate, help=text("room.hidden_help", lang), placeholder=text("room.choose", lang))
    picked = right.multiselect(text("room.pick", lang), [p.id for p in shown], key="room_picked",
                               format_func=titles.get, max_selections=MAX_COMPARED,
                               placeholder=text("room.choose", lang))
    with right.container(horizontal=True):
        for page in ("compare", "present"):
            if st.button(text(f"room.to_{page}", lang), key=f"room_to_{page}", disabled=not picked):
                try:
                    stems = save_for_comparison([p for p in shown if p.id in picked], room.code, lang)
                except InputError as error:
                    _refusal(error, lang)
                else:
                    st.session_state["room_goto"] = (page, stems)
                    st.rerun()


# ----- the participant's page -----

def participant_page(lang: str) -> None:
    store = rooms()
    code = st.query_params.get("room", "")
    if not code:
        st.html(f"<p class='room-status'>{html.escape(text('page.join', lang))}</p>")
        entered = st.text_input(text("room.enter_code", lang), max_chars=10, key="room_code_entry")
        if entered:
            st.query_params["room"] = entered.strip()
            st.rerun()
        return
    try:
        room = store.room(code)
    except InputError as error:
        _refusal(error, lang)
        return
    if room.status() != "open":
        st.html(f"<p class='room-status'>{text('room.title', lang, code=room.code)}</p>")
        st.warning(text(f"room.ended.{room.status()}", lang))
        return
    token = st.query_params.get("p") or st.session_state.get(f"room_token.{room.code}")
    try:
        person = store.participant(room.code, token) if token else None
    except InputError:
        person = None
    if person is None:
        st.html(f"<p class='room-status'>{html.escape(text('room.title', lang, code=room.code))}</p>")
        _join_form(store, room, lang)
        return
    st.session_state[f"room_token.{room.code}"] = token
    _watch(store, room, lang)
    st.html(f"<p class='room-status'>{html.escape(text('room.title', lang, code=room.code))} · "
            f"{html.escape(text('room.you_are', lang))} <b>{html.escape(person.name)}</b></p>")
    own = store.own_proposal(room.code, token)
    _proposal_form(store, room, token, own, lang)
    if own is not None and room.revealed:
        _reveal(own, room, lang)
    if room.voting:
        _vote(store, room, token, person.vote, own, lang)


def _watch(store: RoomStore, room: Room, lang: str) -> None:
    """Redraw the page when the presenter locks, reveals, opens the vote or closes the room."""
    seen = (room.locked, room.revealed, room.voting, room.closed_at)

    @st.fragment(run_every=PARTICIPANT_REFRESH)
    def watch() -> None:
        now = store.room(room.code)
        if (now.locked, now.revealed, now.voting, now.closed_at) != seen or now.status() != "open":
            st.rerun(scope="app")

    watch()


def _join_form(store: RoomStore, room: Room, lang: str) -> None:
    with st.form("room_join"):
        name = st.text_input(text("room.display_name", lang), max_chars=NAME_MAX, help=text("room.name_help", lang))
        joined = st.form_submit_button(text("room.join", lang), type="primary")
    if joined:
        try:
            _, token = store.join(room.code, name)
        except InputError as error:
            _refusal(error, lang)
            return
        st.session_state[f"room_token.{room.code}"] = token
        st.query_params["p"] = token  # a reload keeps the participant in the room
        st.rerun()


def _proposal_form(store: RoomStore, room: Room, token: str, own: Proposal | None, lang: str) -> None:
    data = default_data()
    levers = own.levers if own else dict(data.status_quo_levers)
    outcome = data.outcomes[room.guess_outcome]
    scale = display_scale(outcome.unit, lang)
    if room.locked:
        st.info(text("room.locked_participant", lang))
    with st.form("room_proposal", border=False):
        st.subheader(text("room.your_proposal", lang), anchor=False)
        name = st.text_input(text("room.proposal_name", lang), value=own.name if own else "", max_chars=NAME_MAX,
                             help=text("room.name_help", lang))
        chosen = {}
        for lever in data.levers.values():
            if lever.kind == "share":
                chosen[lever.id] = st.slider(label(lever.label, lang), 0, 100, int(round(levers[lever.id] * 100)),
                                             format="%d%%", key=f"room_lever.{lever.id}") / 100
            else:
                ids = [c.id for c in lever.choices]
                chosen[lever.id] = st.radio(label(lever.label, lang), ids, index=ids.index(levers[lever.id]),
                                            key=f"room_lever.{lever.id}",
                                            format_func=lambda cid, lv=lever: label(
                                                next(c.label for c in lv.choices if c.id == cid), lang))
            st.caption(label(lever.description, lang))
        guess = st.number_input(text("room.guess", lang, outcome=label(outcome.label, lang),
                                     year=data.baseline.simulation.default_horizon, unit=guess_unit(room.guess_outcome, lang)),
                                value=None if not own or own.guess is None else own.guess * scale,
                                placeholder=text("room.guess_placeholder", lang), key="room_guess",
                                help=text("room.guess_help", lang))
        sent = st.form_submit_button(text("room.update" if own else "room.send", lang), type="primary",
                                     disabled=room.locked, width="stretch")
    if sent:
        try:
            saved = store.propose(room.code, token, name, chosen, None if guess is None else guess / scale)
        except InputError as error:
            _refusal(error, lang)
            return
        st.session_state["room_sent"] = saved.revision
        st.rerun()
    revision = st.session_state.pop("room_sent", None)
    if revision is not None:
        st.success(text("room.sent", lang, revision=revision))
    elif own is not None and not room.locked:
        st.caption(text("room.current", lang, revision=own.revision))


def _reveal(own: Proposal, room: Room, lang: str) -> None:
    data = default_data()
    st.subheader(text("room.your_results", lang), anchor=False)
    if own.guess is not None:
        unit = data.outcomes[room.guess_outcome].unit
        st.info(text("room.guess_result", lang, guess=amount(own.guess, unit, lang, signed=True),
                     model=amount(model_change(own, room.guess_outcome), unit, lang, signed=True)))
    headline_metrics(compute.run(own.scenario().key()).final, lang)


def _vote(store: RoomStore, room: Room, token: str, current: str | None, own: Proposal | None, lang: str) -> None:
    choices = {p.id: f"{p.name} ({p.participant})" for p in store.proposals(room.code, hidden=False)
               if own is None or p.id != own.id}
    st.subheader(text("room.vote_title", lang), anchor=False)
    if not choices:
        st.caption(text("room.nothing_to_vote", lang))
        return
    with st.form("room_vote_form", border=False):
        options = list(choices)
        pick = st.selectbox(text("room.vote_for", lang), options, format_func=choices.get,
                            index=options.index(current) if current in choices else None,
                            placeholder=text("room.vote_placeholder", lang))
        voted = st.form_submit_button(text("room.vote", lang), type="primary", width="stretch")
    if voted and pick:
        try:
            store.vote(room.code, token, pick)
        except InputError as error:
            _refusal(error, lang)
            return
        st.session_state["room_voted"] = True
        st.rerun()
    if st.session_state.pop("room_voted", False) or current in choices:
        st.success(text("room.voted", lang))
