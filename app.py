"""OKR Pulse: the entry point. Page config and the navigation for the three audiences.

The shared filter bar is drawn here, before the page, so its widgets (and the URL they are bound
to) survive moving between pages.
"""

import streamlit as st

from okrdata.store import StoreError
from pages import access, common, navigation

st.set_page_config(page_title="OKR Pulse", page_icon=":material/monitor_heart:", layout="wide")

page = st.navigation(navigation.pages())
if access.require_login():
    with common.through_entry():
        try:
            page.run()
        except StoreError as exc:  # damaged, missing or busy: one sentence, never a traceback
            st.error(str(exc), icon=":material/error:")
