"""The dashboard: a thin router over app_pages/, with the shared sidebar and the share link."""
from pathlib import Path

import streamlit as st

from ui import sidebar, state
from ui.i18n import text
from ui.widgets import link_notices, page_script, reported_errors

ROOT = Path(__file__).resolve().parent
PAGES_DIR = ROOT / "app_pages"
PAGE_IDS = ("explore", "frontier", "compare", "findings", "assumptions", "method", "present")
ROOM_PAGES = ("room", "join")  # workshop rooms (ui/rooms.py): reached by their links, drawn on their own

st.set_page_config(page_title="互联互通 · Interconnection scenarios", page_icon="🔗", layout="wide")
state.init()
lang = state.lang()
pages = {page_id: st.Page(PAGES_DIR / f"{page_id}.py", title=text(f"page.{page_id}", lang), url_path=page_id,
                          default=page_id == "explore") for page_id in PAGE_IDS}
pages |= {page_id: st.Page(PAGES_DIR / f"{page_id}.py", title=text(f"page.{page_id}", lang), url_path=page_id,
                           visibility="hidden") for page_id in ROOM_PAGES}
current = st.navigation(list(pages.values()))
if current.url_path in ROOM_PAGES:
    st.html(ROOT / "ui" / "app.css")
    page_script(lang)
    with reported_errors(lang):
        current.run()
    st.stop()
requested = st.session_state.pop("requested_page", None)
if requested in pages and pages[requested].url_path != current.url_path and requested != "explore":
    st.switch_page(pages[requested])
st.html(ROOT / "ui" / "app.css")
page_script(lang)
sidebar.render()
link_notices(st.session_state.get("url_notices", []), lang, overlay=current.url_path == "present")
# A page with a lever view draws the sidebar's controls inside it (ui.sidebar.lever_view); for the
# others, and when a page fails before reaching it, they are drawn here.
st.session_state[sidebar.CONTROLS_DRAWN] = False
try:
    with reported_errors(lang):
        current.run()
finally:
    page_id = next(pid for pid, page in pages.items() if page.url_path == current.url_path)
    if not st.session_state[sidebar.CONTROLS_DRAWN]:
        sidebar.controls(lang)
        sidebar.share(page_id, lang)
    sidebar.closing(lang)
state.sync_url(page_id)
