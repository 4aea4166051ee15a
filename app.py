"""OKR Pulse: the entry point. Page config, navigation for the three audiences, the filter bar."""

import streamlit as st

from pages import common

st.set_page_config(page_title="OKR Pulse", page_icon=":material/monitor_heart:", layout="wide")

page = st.navigation(common.pages())
if common.require_login():
    common.filter_bar()
    page.run()
