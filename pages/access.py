"""Optional single sign-on: with ``[auth]`` in secrets, log in first; analysts may import."""

from __future__ import annotations

import streamlit as st

from pages.cache import config


def require_login() -> bool:
    """With ``[auth]`` in secrets, everyone must log in first; otherwise the app is open."""
    if not _auth_configured() or st.user.is_logged_in:
        return True
    st.title("OKR Pulse")
    st.write("Log in with your company account to continue.")
    st.button("Log in", on_click=st.login, icon=":material/login:")
    return False


def can_import() -> bool:
    """Without sign-on, everyone may import; with it, only the analysts listed in okr.toml."""
    if not _auth_configured():
        return True
    email = str(st.user.get("email") or "").lower()
    return email in {a.lower() for a in config().analysts}


def user_name() -> str | None:
    email = st.user.get("email") if _auth_configured() else None
    return str(email) if email else None


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False
