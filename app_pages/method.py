"""Method: the equations and mechanisms, rendered from the same source as docs/METHODS.md."""
import streamlit as st

from model.data import default_data
from reports.methods import methods_markdown
from ui import state

st.markdown(methods_markdown(default_data(), state.lang()))
