"""The navigation, grouped for the three audiences (used by ``app.py`` and direct page runs)."""

import streamlit as st


def pages() -> dict[str, list[st.Page]]:
    """The navigation, grouped for the three audiences."""
    return {
        "Leadership": [
            st.Page(
                "pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
            ),
            st.Page("pages/alignment.py", title="Alignment", icon=":material/account_tree:"),
            st.Page("pages/trends.py", title="Trends", icon=":material/trending_up:"),
        ],
        "Coaches": [
            st.Page("pages/signals.py", title="Signals", icon=":material/flag:"),
            st.Page("pages/team.py", title="Team", icon=":material/groups:"),
            st.Page("pages/dependencies.py", title="Dependencies", icon=":material/hub:"),
        ],
        "Analysts": [st.Page("pages/data.py", title="Data", icon=":material/upload_file:")],
    }
