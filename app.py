"""OKR Pulse: the entry point. Page config, navigation for the three audiences, the filter bar."""

import streamlit as st

from pages import common

st.set_page_config(page_title="OKR Pulse", page_icon=":material/monitor_heart:", layout="wide")

PAGES = {
    "Leadership": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
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

page = st.navigation(PAGES)
if common.require_login():
    common.filter_bar()
    page.run()
