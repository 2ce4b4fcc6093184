"""Which database the page uses and who the visitor is.

Sign-in is on when `.streamlit/secrets.toml` has an `[auth]` section (Streamlit's st.login with an
OpenID Connect provider): then each scenario belongs to its author. Without it the library is shared,
and the page says so.
"""
from __future__ import annotations

import streamlit as st

from store import ScenarioLibrary, default_library


def _secret(*keys: str):
    """A value from st.secrets, or None when there is no secrets file or no such key."""
    try:
        value = st.secrets
        for key in keys:
            value = value[key]
        return value
    except (KeyError, FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return None


def library() -> ScenarioLibrary:
    """INTERCONNECT_DATABASE_URL, else `[connections.scenarios] url` in the secrets, else the SQLite file."""
    return default_library(_secret("connections", "scenarios", "url"))


def sign_in_configured() -> bool:
    return _secret("auth") is not None


def visitor() -> str | None:
    """The signed-in user's e-mail (or subject), None when anonymous."""
    if not sign_in_configured() or not st.user.is_logged_in:
        return None
    return st.user.get("email") or st.user.get("sub")


def may_change(entry) -> bool:
    """Whether this visitor may change or delete a saved scenario: its owner, or anyone when it has no
    owner, except that with sign-in configured an anonymous visitor changes nothing."""
    user = visitor()
    if sign_in_configured() and user is None:
        return False
    return entry.owner is None or entry.owner == user
