"""The scenario library's panel: save, upload, rename, delete, restore and look through the history of
saved scenarios (which database and who the visitor is: ui/session.py)."""
from __future__ import annotations

import datetime

import streamlit as st

from model.scenario import NAME_MAX, Scenario
from model.yamlio import InputError
from store import TRASH_DAYS, ScenarioLibrary, StoredScenario
from store.library import yaml_of

from . import state
from .i18n import escape_markdown, number, problem_text, text
from .session import library, may_change, sign_in_configured, visitor
from .urlstate import MAX_COMPARED

RECENT = 30  # saved scenarios the pickers offer; Compare's Library tab pages through all of them
PAGE_SIZE = 20


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
    """Run a library action; on success show `flash` after the rerun, on refusal say why."""
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
    if user is None:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.info(text("library.sign_in_to_save", lang))
        right.button(text("library.sign_in", lang), on_click=st.login, key="sign_in")
        return False
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(text("library.signed_in", lang, user=user))
    right.button(text("library.sign_out", lang), on_click=st.logout, key="sign_out")
    return True


def _save(store: ScenarioLibrary, scenario: Scenario, overwrite: bool, lang: str) -> None:
    """Save; when the name looks like a saved scenario this visitor may change, ask before replacing it."""
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
    upload = st.file_uploader(text("manage.upload_label", lang), type=["yaml", "yml"], key="upload",
                              help=text("manage.upload_help", lang), disabled=not may_save)
    if upload is not None and st.button(text("manage.upload_button", lang), key="upload_button"):
        try:
            entry = store.save_upload(upload.getvalue(), actor=visitor())
        except InputError as error:
            st.error(text("manage.upload_refused", lang) + "\n\n" + _problem_lines(error, lang))
        else:
            st.session_state["flash"] = text("manage.uploaded", lang, file=entry.scenario.name)
            st.rerun()


def _files_tab(store: ScenarioLibrary, lang: str) -> None:
    if len(st.session_state["compare"]) >= MAX_COMPARED:
        st.caption(text("library.comparison_full", lang, limit=MAX_COMPARED, picker=text("compare.pick", lang)))
    _paged("library", lang, _library_page, lambda entry: _file_row(store, entry, lang))


def _trash_tab(store: ScenarioLibrary, lang: str) -> None:
    st.caption(text("library.trash_note", lang, days=TRASH_DAYS))
    _paged("trash", lang, lambda search, limit, offset: store.saved_page(search, limit, offset, trash=True),
           lambda entry: _trash_row(store, entry, lang))


def _paged(key: str, lang: str, fetch, row) -> None:
    """A list too long to draw whole: a search box, one page of what `fetch(search, limit, offset)`
    returns (entries, total), each drawn by `row`, and the controls to step through the pages."""
    search = st.text_input(text("library.search", lang), key=f"{key}.search", max_chars=NAME_MAX).strip()
    searched, page = st.session_state.get(f"{key}.page", ("", 0))
    if searched != search:  # a new search starts on the first page
        page = 0
    entries, total = fetch(search, PAGE_SIZE, page * PAGE_SIZE)
    if not entries and page:  # the page emptied (deletes since): show the last one left
        page = max(total - 1, 0) // PAGE_SIZE
        entries, total = fetch(search, PAGE_SIZE, page * PAGE_SIZE)
    st.session_state[f"{key}.page"] = (search, page)
    if not entries:
        if search:
            st.caption(text("library.no_match", lang, search=escape_markdown(search)))
        return
    first = page * PAGE_SIZE + 1
    showing = text("library.showing", lang, first=number(first), last=number(first + len(entries) - 1),
                   total=number(total))
    pages = -(-total // PAGE_SIZE)
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
    stem = entry.stem
    left, right = st.columns([3, 2], vertical_alignment="center")
    actions = right.container(horizontal=True, vertical_alignment="center")  # wraps on a narrow page
    left.text(entry.scenario.title(lang))
    if entry.protected:
        left.caption(text("manage.preset", lang))
    else:
        owner = ("library.anyone" if entry.owner is None else
                 "library.you" if entry.owner == visitor() else "library.other_user")  # no e-mails shown
        left.caption(text("library.meta", lang, version=entry.version, when=_when(entry.updated_at),
                          owner=text(owner, lang)))
    compared = st.session_state["compare"]
    if stem in compared:
        actions.button(text("library.compared", lang), key=f"compare_add.{stem}", disabled=True)
    else:
        actions.button(text("library.compare_add", lang), key=f"compare_add.{stem}",
                   disabled=len(compared) >= MAX_COMPARED, on_click=_add_to_comparison, args=(stem,))
    content = store.text(stem) if entry.protected else yaml_of(entry.scenario)  # the entry in hand, not a re-read
    actions.download_button(text("manage.download", lang), content.encode("utf-8"),
                           file_name=f"{stem}.yaml", mime="application/x-yaml", key=f"yaml.{stem}",
                           on_click="ignore")
    if entry.protected:
        return
    if not may_change(entry):
        actions.caption(text("library.read_only", lang))
        return
    if actions.button(text("manage.delete", lang), key=f"delete.{stem}"):
        st.session_state["pending_delete"] = stem
    if st.session_state.get("pending_delete") == stem:
        st.warning(text("library.confirm_delete", lang, name=escape_markdown(entry.scenario.name), days=TRASH_DAYS))
        yes, no = st.columns(2)
        if yes.button(text("library.delete_confirmed", lang), key=f"confirm_delete.{stem}", type="primary"):
            st.session_state.pop("pending_delete")
            _act(lang, text("library.deleted", lang, name=entry.scenario.name, days=TRASH_DAYS),
                 store.delete, stem, actor=visitor())
        if no.button(text("library.cancel", lang), key=f"cancel_delete.{stem}"):
            st.session_state.pop("pending_delete")
            st.rerun()
    shown_name = escape_markdown(entry.scenario.name)  # expander labels are Markdown
    rename = st.expander(text("manage.rename", lang, name=shown_name), key=f"rename_box.{stem}", on_change="rerun")
    if rename.open:
        new_name = rename.text_input(text("manage.new_name", lang), key=f"rename_text.{stem}", max_chars=NAME_MAX)
        if rename.button(text("manage.rename_button", lang), key=f"rename.{stem}"):
            _act(lang, text("library.renamed", lang, name=new_name.strip()), store.rename, stem, new_name,
                 actor=visitor())
    history = st.expander(text("library.history", lang, name=shown_name), key=f"history_box.{stem}",
                          on_change="rerun")
    if history.open:  # one query per opened history, not per row per rerun
        try:
            versions = store.history(stem)
        except InputError as error:
            history.error(_problem_lines(error, lang))
            return
        for version in versions:
            line, button = history.columns([4, 1], vertical_alignment="center")
            line.text(text("library.version", lang, version=version.version, action=version.action,
                           name=version.name, when=_when(version.saved_at), by=version.saved_by or ""))
            if version.version != entry.version and button.button(text("library.restore_version", lang),
                                                                   key=f"restore.{stem}.{version.version}"):
                _act(lang, text("library.restored", lang, name=version.name), store.restore_version, stem,
                     version.version, actor=visitor())


def _trash_row(store: ScenarioLibrary, entry: StoredScenario, lang: str) -> None:
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.text(entry.scenario.name)
    left.caption(text("library.deleted_at", lang, when=_when(entry.deleted_at)))
    if may_change(entry) and right.button(text("library.restore", lang), key=f"untrash.{entry.id}"):
        _act(lang, text("library.restored", lang, name=entry.scenario.name), store.restore, entry.id,
             actor=visitor())
