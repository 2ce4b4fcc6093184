"""The scenario library's panel: save, upload, rename, delete, restore and look through the history of
saved scenarios (which database and who the visitor is: ui/session.py)."""
from __future__ import annotations

import datetime
import uuid

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from model.scenario import NAME_MAX, Scenario
from model.yamlio import InputError
from model.data import default_data
from store import TRASH_DAYS, ScenarioLibrary, StoredScenario, Version
from store.library import Change, yaml_of

from . import state
from .i18n import escape_markdown, label, number, problem_text, text
from .session import client_address, library, may_change, sign_in_configured, visitor
from .limits import SlidingWindow
from .urlstate import MAX_COMPARED

RECENT = 30  # saved scenarios the pickers offer; Compare's Library tab pages through all of them
PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 10
# Saves and uploads: 10 a minute per session, 30 per client address (several tabs or people behind one
# address); each app server counts its own.
PER_SESSION, PER_ADDRESS = SlidingWindow(10, 60), SlidingWindow(30, 60)


def offered(*extra: StoredScenario) -> dict[str, StoredScenario]:
    """What the scenario pickers offer, whatever the library's size: the presets, the RECENT scenarios
    saved last, and `extra` (what is on screen or compared) when it is not among them."""
    store = library()
    return {entry.stem: entry for entry in (*store.presets(), *store.recent(RECENT), *extra)}


def _problem_lines(error: InputError, lang: str) -> str:
    return "\n\n".join(f"`{problem.field}`: {escape_markdown(problem_text(problem, lang))}" for problem in error.problems)


def _when(moment: datetime.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _act(lang: str, flash: str, action, *args, **kwargs) -> None:
    """Run a library action; on success show `flash` after the rerun, on refusal say why (a database that
    cannot be written says so, and that nothing was)."""
    try:
        action(*args, **kwargs)
    except InputError as error:
        st.error(_problem_lines(error, lang))
    else:
        st.session_state["flash"] = flash
        st.rerun()


def _who(lang: str) -> bool:
    """Say whose library this is; True when the visitor may save."""
    if not sign_in_configured():
        st.info(text("library.shared", lang, days=TRASH_DAYS))
        return True
    user = visitor()
    if user.key is None:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.info(text("library.sign_in_to_save", lang))
        right.button(text("library.sign_in", lang), on_click=st.login, key="sign_in")
        return False
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(text("library.signed_in", lang, user=escape_markdown(user.name or "")))
    right.button(text("library.sign_out", lang), on_click=st.logout, key="sign_out")
    return True


def _within_rate_limits(lang: str) -> bool:
    """Saves and uploads per session and per client address (ui.limits); over either, say so and save nothing."""
    session = st.session_state.setdefault("rate_key", uuid.uuid4().hex)
    address = client_address()  # None only when no server runs the page (a test)
    if PER_SESSION.allow(session) and (address is None or PER_ADDRESS.allow(address)):
        return True
    st.error(text("library.rate_limited", lang, limit=PER_SESSION.limit))
    return False


def _save(store: ScenarioLibrary, scenario: Scenario, overwrite: bool, lang: str) -> None:
    """Save; when the name looks like a saved scenario this visitor may change, ask before replacing it."""
    if not _within_rate_limits(lang):
        return
    try:
        store.save(scenario, actor=visitor(), overwrite=overwrite)
    except InputError as error:
        clash = next((p for p in error.problems if p.code == "exists"), None)
        if clash is not None:
            st.session_state["pending_overwrite"] = (scenario, clash.params["name"])
            return
        st.error(_problem_lines(error, lang))
    else:
        st.session_state.pop("pending_overwrite", None)
        st.session_state["flash"] = text("manage.saved", lang, name=scenario.name)
        st.rerun()


def manage_scenarios(lang: str) -> None:
    """Save the current levers, upload a file, and page through the library and the trash. Each row
    acts on the entry this run fetched (another visitor may delete it meanwhile: actions then say so,
    nothing crashes)."""
    store = library()
    st.header(text("manage.title", lang))
    if "flash" in st.session_state:
        st.success(escape_markdown(st.session_state.pop("flash")))
    may_save = _who(lang)
    # Only the open tab is built and sent (a click on another reruns the page): the Library and Trash
    # tabs' rows never cost the comparison above them anything, however many scenarios are saved.
    tabs = st.tabs([text("manage.save", lang), text("manage.upload", lang), text("manage.files", lang),
                    text("library.trash", lang)], key="library_tab", on_change="rerun")
    drawers = (lambda: _save_tab(store, may_save, lang), lambda: _upload_tab(store, may_save, lang),
               lambda: _files_tab(store, lang), lambda: _trash_tab(store, lang))
    for tab, draw in zip(tabs, drawers):
        if tab.open:
            with tab:
                draw()


def _save_tab(store: ScenarioLibrary, may_save: bool, lang: str) -> None:
    with st.form("save_scenario"):
        name = st.text_input(text("manage.name", lang), max_chars=NAME_MAX, help=text("manage.name_help", lang))
        description = st.text_area(text("manage.description", lang), max_chars=2000)
        submitted = st.form_submit_button(text("manage.save_button", lang), type="primary", disabled=not may_save)
    if submitted:
        current = state.scenario(name.strip())
        pending = Scenario(name=name.strip(), levers=current.levers, description=description.strip(),
                           assumptions=current.assumptions, horizon=current.horizon)
        _save(store, pending, overwrite=False, lang=lang)
    if "pending_overwrite" in st.session_state:
        scenario, existing = st.session_state["pending_overwrite"]
        st.warning(text("manage.confirm_overwrite", lang, name=escape_markdown(existing), new=escape_markdown(scenario.name)))
        left, right = st.columns(2)
        if left.button(text("manage.overwrite_button", lang), key="confirm_overwrite", type="primary"):
            st.session_state.pop("pending_overwrite")
            _save(store, scenario, overwrite=True, lang=lang)
        if right.button(text("library.cancel", lang), key="cancel_overwrite"):
            st.session_state.pop("pending_overwrite")
            st.rerun()


def _upload_tab(store: ScenarioLibrary, may_save: bool, lang: str) -> None:
    generation = st.session_state.setdefault("upload_generation", 0)
    upload = st.file_uploader(text("manage.upload_label", lang), type=["yaml", "yml"], key=f"upload.{generation}",
                              help=text("manage.upload_help", lang), disabled=not may_save)
    if upload is not None and st.button(text("manage.upload_button", lang), key="upload_button"):
        if not _within_rate_limits(lang):
            return
        try:
            entry = store.save_upload(upload.getvalue(), actor=visitor())
        except InputError as error:  # the file stays chosen, to be replaced (server.py keeps a session's 2 newest)
            st.error(text("manage.upload_refused", lang) + "\n\n" + _problem_lines(error, lang))
        else:
            _release(upload)
            st.session_state["flash"] = text("manage.uploaded", lang, file=entry.scenario.name)
            st.rerun()


def _release(upload) -> None:
    """Drop a saved file's bytes from the server at once (Streamlit would keep them in memory until the
    session ends); the uploader starts empty on the next run."""
    context = get_script_run_ctx()
    if context is not None:
        runtime.get_instance().uploaded_file_mgr.remove_file(context.session_id, upload.file_id)
    st.session_state["upload_generation"] += 1


def _files_tab(store: ScenarioLibrary, lang: str) -> None:
    pending = st.session_state.get("pending_delete")
    if pending and store.resolve(pending) is None:  # N8: deleted or renamed by someone else meanwhile
        st.session_state.pop("pending_delete")
        st.warning(text("library.gone", lang))
    if len(st.session_state["compare"]) >= MAX_COMPARED:
        st.caption(text("library.comparison_full", lang, limit=MAX_COMPARED, picker=text("compare.pick", lang)))
    _paged("library", lang, _library_page, lambda entry: _file_row(store, entry, lang))


def _trash_tab(store: ScenarioLibrary, lang: str) -> None:
    st.caption(text("library.trash_note", lang, days=TRASH_DAYS))
    _paged("trash", lang, lambda search, limit, offset: store.saved_page(search, limit, offset, trash=True),
           lambda entry: _trash_row(store, entry, lang))


def _paged(key: str, lang: str, fetch, row, size: int = PAGE_SIZE, searchable: bool = True) -> None:
    """A list too long to draw whole: a search box, one page of what `fetch(search, limit, offset)`
    returns (entries, total), each drawn by `row`, and the controls to step through the pages."""
    search = (st.text_input(text("library.search", lang), key=f"{key}.search", max_chars=NAME_MAX).strip()
              if searchable else "")
    searched, page = st.session_state.get(f"{key}.page", ("", 0))
    if searched != search:  # a new search starts on the first page
        page = 0
    entries, total = fetch(search, size, page * size)
    if not entries and page:  # the page emptied (deletes since): show the last one left
        page = max(total - 1, 0) // size
        entries, total = fetch(search, size, page * size)
    st.session_state[f"{key}.page"] = (search, page)
    if not entries:
        if search:
            st.caption(text("library.no_match", lang, search=escape_markdown(search)))
        return
    first = page * size + 1
    showing = text("library.showing", lang, first=number(first), last=number(first + len(entries) - 1),
                   total=number(total))
    pages = -(-total // size)
    ends = ("top", "bottom") if pages > 1 else ("top",)  # a page is long: controls above and below it
    for end in ends:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(showing)
            if pages > 1:
                st.button(text("library.previous_page", lang), key=f"{key}.{end}.previous", disabled=page == 0,
                          on_click=_turn_to, args=(key, search, page - 1))
                st.text(text("library.page", lang, page=number(page + 1), pages=number(pages)))
                st.button(text("library.next_page", lang), key=f"{key}.{end}.next", disabled=page == pages - 1,
                          on_click=_turn_to, args=(key, search, page + 1))
        if end == "top":
            for entry in entries:
                row(entry)


def _turn_to(key: str, search: str, page: int) -> None:
    st.session_state[f"{key}.page"] = (search, page)


def _library_page(search: str, limit: int, offset: int) -> tuple[list[StoredScenario], int]:
    """The presets that match, then the saved scenarios that do, as one list."""
    store = library()
    folded = search.casefold()
    presets = [preset for preset in store.presets() if any(
        folded in name.casefold() for name in (preset.scenario.name, preset.scenario.name_zh, preset.stem))]
    shown = presets[offset:offset + limit]
    saved, total = store.saved_page(search, limit - len(shown), max(offset - len(presets), 0))
    return shown + saved, len(presets) + total


def _add_to_comparison(stem: str) -> None:
    state.set_value("compare", [*st.session_state["compare"], stem])


def _file_row(store: ScenarioLibrary, entry: StoredScenario, lang: str) -> None:
    """One scenario of the Library tab: its name and facts, what anyone may do with it, and what its
    owner may (delete, rename, look through and restore its history)."""
    left, right = st.columns([3, 2], vertical_alignment="center")
    actions = right.container(horizontal=True, vertical_alignment="center")  # wraps on a narrow page
    _row_facts(left, entry, lang)
    _open_actions(store, actions, entry, lang)
    if entry.protected:
        return
    if not may_change(entry):
        actions.caption(text("library.read_only", lang))
        return
    _delete_with_consent(store, actions, entry, lang)
    shown_name = escape_markdown(entry.scenario.name)  # expander labels are Markdown
    _rename_box(store, entry, shown_name, lang)
    _history_box(store, entry, shown_name, lang)


def _row_facts(column, entry: StoredScenario, lang: str) -> None:
    column.text(entry.scenario.title(lang))
    if entry.protected:
        column.caption(text("manage.preset", lang))
        return
    owner = ("library.anyone" if entry.owner is None else
             "library.you" if entry.owner == visitor().key else "library.other_user")  # no e-mails shown
    column.caption(text("library.meta", lang, version=entry.version, when=_when(entry.updated_at),
                        owner=text(owner, lang)))


def _open_actions(store: ScenarioLibrary, actions, entry: StoredScenario, lang: str) -> None:
    """What anyone may do: add it to the comparison, download it."""
    stem, compared = entry.stem, st.session_state["compare"]
    if stem in compared:
        actions.button(text("library.compared", lang), key=f"compare_add.{stem}", disabled=True)
    else:
        actions.button(text("library.compare_add", lang), key=f"compare_add.{stem}",
                       disabled=len(compared) >= MAX_COMPARED, on_click=_add_to_comparison, args=(stem,))
    content = store.text(stem) if entry.protected else yaml_of(entry.scenario)  # the entry in hand, not a re-read
    actions.download_button(text("manage.download", lang), content.encode("utf-8"),
                            file_name=f"{stem}.yaml", mime="application/x-yaml", key=f"yaml.{stem}",
                            on_click="ignore")


def _delete_with_consent(store: ScenarioLibrary, actions, entry: StoredScenario, lang: str) -> None:
    stem = entry.stem
    if actions.button(text("manage.delete", lang), key=f"delete.{stem}"):
        st.session_state["pending_delete"] = stem
    if st.session_state.get("pending_delete") != stem:
        return
    st.warning(text("library.confirm_delete", lang, name=escape_markdown(entry.scenario.name), days=TRASH_DAYS))
    yes, no = st.columns(2)
    if yes.button(text("library.delete_confirmed", lang), key=f"confirm_delete.{stem}", type="primary"):
        st.session_state.pop("pending_delete")
        _act(lang, text("library.deleted", lang, name=entry.scenario.name, days=TRASH_DAYS),
             store.delete, stem, actor=visitor())
    if no.button(text("library.cancel", lang), key=f"cancel_delete.{stem}"):
        st.session_state.pop("pending_delete")
        st.rerun()


def _rename_box(store: ScenarioLibrary, entry: StoredScenario, shown_name: str, lang: str) -> None:
    stem = entry.stem
    rename = st.expander(text("manage.rename", lang, name=shown_name), key=f"rename_box.{stem}", on_change="rerun")
    if rename.open:
        new_name = rename.text_input(text("manage.new_name", lang), key=f"rename_text.{stem}", max_chars=NAME_MAX)
        if rename.button(text("manage.rename_button", lang), key=f"rename.{stem}"):
            _act(lang, text("library.renamed", lang, name=new_name.strip()), store.rename, stem, new_name,
                 actor=visitor())


def _history_box(store: ScenarioLibrary, entry: StoredScenario, shown_name: str, lang: str) -> None:
    """The versions, HISTORY_PAGE_SIZE a page, newest first, each with what it changed and a Restore button."""
    stem = entry.stem
    history = st.expander(text("library.history", lang, name=shown_name), key=f"history_box.{stem}",
                          on_change="rerun")
    if not history.open:  # one query per opened history, not per row per rerun
        return
    with history:
        try:
            _paged(f"history.{stem}", lang, lambda _search, limit, offset: store.history_page(stem, limit, offset),
                   lambda version: _version_row(store, entry, version, lang), size=HISTORY_PAGE_SIZE,
                   searchable=False)
        except InputError as error:
            st.error(_problem_lines(error, lang))


def _version_row(store: ScenarioLibrary, entry: StoredScenario, version: Version, lang: str) -> None:
    line, button = st.columns([4, 1], vertical_alignment="center")
    line.text(text("library.version", lang, version=version.version, action=version.action, name=version.name,
                   when=_when(version.saved_at), by=version.saved_by_name or ""))
    if version.changes:
        line.text("; ".join(_change_text(change, lang) for change in version.changes))
    if version.version != entry.version and button.button(text("library.restore_version", lang),
                                                           key=f"restore.{entry.stem}.{version.version}"):
        _act(lang, text("library.restored", lang, name=version.name), store.restore_version, entry.stem,
             version.version, actor=visitor())


def _change_text(change: Change, lang: str) -> str:
    """One change of a version in words: "Payment interoperability 20% → 60%", "Horizon 2030 → 2035"."""
    group, _, item = change.field.partition(".")
    data = default_data()
    if group == "levers" and item in data.levers:
        what, unset = label(data.levers[item].label, lang), text("library.change_status_quo", lang)
    elif group == "assumptions" and item in data.parameters:
        what, unset = label(data.parameters[item].label, lang), text("library.change_central", lang)
    else:
        what, unset = text(f"library.change_field.{group}", lang), text("library.change_none", lang)
    if group.startswith("description"):
        return text("library.change_described", lang, what=what)
    return text("library.change", lang, what=what, before=_value_text(change.before, unset, group),
                after=_value_text(change.after, unset, group))


def _value_text(value, unset: str, group: str) -> str:
    if value is None:
        return unset
    if isinstance(value, dict):  # dated steps
        return ", ".join(f"{year}: {_value_text(step, unset, group)}" for year, step in value.items())
    if group == "levers" and isinstance(value, float):
        return f"{value:.0%}"
    return str(value)


def _trash_row(store: ScenarioLibrary, entry: StoredScenario, lang: str) -> None:
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.text(entry.scenario.name)
    left.caption(text("library.deleted_at", lang, when=_when(entry.deleted_at)))
    if may_change(entry) and right.button(text("library.restore", lang), key=f"untrash.{entry.id}"):
        _act(lang, text("library.restored", lang, name=entry.scenario.name), store.restore, entry.id,
             actor=visitor())
