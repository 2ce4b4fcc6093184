"""The dashboard: a thin router over app_pages/, with the shared sidebar and the share link."""
import logging
import uuid
from pathlib import Path

import streamlit as st

from ui import sidebar, state
from ui.i18n import escape_markdown, problem_text, text
from ui.widgets import language_attributes

ROOT = Path(__file__).resolve().parent
PAGES_DIR = ROOT / "app_pages"
PAGE_IDS = ("explore", "compare", "assumptions", "method", "present")

st.set_page_config(page_title="互联互通 · Interconnection scenarios", page_icon="🔗", layout="wide")
state.init()
lang = state.lang()
pages = {page_id: st.Page(PAGES_DIR / f"{page_id}.py", title=text(f"page.{page_id}", lang), url_path=page_id,
                          default=page_id == "explore") for page_id in PAGE_IDS}
current = st.navigation(list(pages.values()))
requested = st.session_state.pop("requested_page", None)
if requested in pages and pages[requested].url_path != current.url_path and requested != "explore":
    st.switch_page(pages[requested])
st.html(ROOT / "ui" / "app.css")
language_attributes(lang)
sidebar.render()
for problem in st.session_state.get("url_notices", []):
    # The field and value come from the link: shown as typed, never as Markdown.
    st.warning(text("notice.url_ignored", lang, field=escape_markdown(problem.field),
                    message=escape_markdown(problem_text(problem, lang))), icon="🔗")
try:
    current.run()
except Exception:
    # The visitor gets an id to quote; the traceback goes to the server log only (showErrorDetails is
    # "none"). Re-raised so that Streamlit (and AppTest) still see the failure.
    error_id = uuid.uuid4().hex[:12]
    logging.getLogger("interconnect").exception("page error %s", error_id)
    st.error(text("error.unexpected", lang, id=error_id))
    raise
state.sync_url(next(pid for pid, page in pages.items() if page.url_path == current.url_path))
