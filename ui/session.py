"""Which database the page uses and who the visitor is.

Sign-in is on when `.streamlit/secrets.toml` has an `[auth]` section (Streamlit's st.login with an
OpenID Connect provider): then each scenario belongs to its author. Without it the library is shared,
and the page says so.
"""
from __future__ import annotations

import hashlib

import streamlit as st

from store import ScenarioLibrary, default_library
from store.library import Actor


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


def visitor() -> Actor:
    """Who is using the page. A signed-in user is keyed on the provider's issuer and subject, never on the
    e-mail claim (some providers let users set it); the e-mail is only shown, and only when the provider
    says it verified it. Administration is a flag the command line sets: nothing a sign-in returns
    produces it. An anonymous visitor carries a key of their address, for the anonymous quota."""
    if not sign_in_configured() or not st.user.is_logged_in:
        address = client_address()
        return Actor(client=library().client_key(address) if address else None)
    issuer, subject = str(st.user.get("iss") or st.user.get("provider") or ""), str(st.user.get("sub") or "")
    verified = st.user.get("email") if st.user.get("email_verified") is True else None
    actor = Actor(key=owner_key(issuer, subject), name=verified or subject)
    if verified and not st.session_state.get("legacy_claimed"):
        library().claim_legacy(verified, actor)  # scenarios an earlier release keyed on this e-mail
        st.session_state["legacy_claimed"] = True
    return actor


def client_address() -> str | None:
    """The visitor's address as the server saw it (a proxy's own unless it forwards the client's)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None  # none in a test run without a server


def owner_key(issuer: str, subject: str) -> str:
    """Issuer, a space, subject: an issuer is a URL, which holds no space, so no two accounts share a key
    (and none reads as an earlier release's `email:` key). Hashed when too long for the column."""
    key = f"{issuer} {subject}"
    return key if len(key) <= 320 else f"{issuer[:200]} sha256:{hashlib.sha256(subject.encode()).hexdigest()}"


def signed_in() -> bool:
    return visitor().key is not None


def may_change(entry) -> bool:
    """Whether this visitor may change or delete a saved scenario: its owner, or anyone when it has no
    owner, except that with sign-in configured an anonymous visitor changes nothing."""
    user = visitor()
    if sign_in_configured() and user.key is None:
        return False
    return entry.owner is None or entry.owner == user.key
