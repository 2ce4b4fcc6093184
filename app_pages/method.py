"""Method: the equations and mechanisms, rendered from the same source as docs/METHODS.md."""
import streamlit as st

from model.data import default_data
from reports.methods import methods_markdown
from ui import state

st.markdown(methods_markdown(default_data(), state.lang()))
# A table wider than the column scrolls inside its own frame (ui/app.css): a keyboard must reach it too.
st.html("<script>const focusable = () => document.querySelectorAll('[data-testid=stMarkdownContainer] table')"
        ".forEach(t => { if (t.scrollWidth > t.clientWidth + 1) t.tabIndex = 0; });"
        "[0, 500, 2000].forEach(ms => setTimeout(focusable, ms)); window.addEventListener('resize', focusable);</script>",
        unsafe_allow_javascript=True)
