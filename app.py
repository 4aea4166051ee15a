"""OKR Pulse: the entry point. Page config and the navigation for the three audiences.

Each page draws the shared filter bar itself (``common.page``), so it renders the same whether
Streamlit runs it through this file or directly.
"""

import streamlit as st

from pages import common

st.set_page_config(page_title="OKR Pulse", page_icon=":material/monitor_heart:", layout="wide")

page = st.navigation(common.pages())
if common.require_login():
    with common.through_entry():
        page.run()
