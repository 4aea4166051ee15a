"""What every page shares: the page frame (the filter bar's context, title, banners, empty
states), drilling into a department or team, tables and charts.

The filter bar is in ``pages.filters``, the data and the caches in ``pages.cache``, sign-on in
``pages.access``, logic in ``okrdata``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from pages import cache
from pages.filters import DRILL_KEY, PageContext, filter_bar
from pages.navigation import pages
from pages.widgets import chart, table

__all__ = ["chart", "table", "drill", "page", "PageContext"]

_ENTRY = threading.local()


@contextmanager
def through_entry() -> Iterator[None]:
    """Draw the filter bar in ``app.py`` and mark the page run that follows as entered there."""
    _ENTRY.ctx = filter_bar()
    try:
        yield
    finally:
        _ENTRY.ctx = None


def page(title: str, *, needs_data: bool = True) -> PageContext:
    """Start a page: the filter bar's context, the title, the sample banner, empty state."""
    ctx = getattr(_ENTRY, "ctx", None)
    if ctx is None:
        # Run directly, not through app.py: Streamlit's legacy mode for a ``pages/`` folder
        # (a deep link as a fresh server's first request, or AppTest). Declaring the
        # navigation turns the legacy mode off; the rerun goes through app.py. (AppTest
        # restores the legacy mode on every run; its later runs draw the filters here.)
        if "_left_legacy_mode" not in st.session_state:
            st.session_state["_left_legacy_mode"] = True
            st.navigation(pages(), position="hidden")
            st.rerun()
        ctx = filter_bar()
    st.title(title)
    if ctx.source == "sample" and needs_data:
        st.info("You are looking at sample data. Upload your own exports on the Data page.",
                icon=":material/info:")  # fmt: skip
    if ctx.data_note and needs_data:  # the one "as of" rule (okrdata.asof): old data says so
        st.warning(ctx.data_note, icon=":material/schedule:")
    if needs_data and not ctx.filters.quarter:
        st.warning("There is no OKR data yet. Upload your exports on the Data page.")
        st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
        st.stop()
    return ctx


def empty_selection(ctx: PageContext, stop: bool = True, note: str | None = None) -> bool:
    """Say what to do next when the selection has no objectives this quarter (and stop the
    page, unless ``stop`` is false); whether it had none. ``note``: the sentence a view model
    already holds (the Overview's, kept ahead for the first page), else it is computed."""
    note = note or cache.view("empty_selection", ctx.version, ctx.filters)
    if note is None:
        return False
    st.info(note, icon=":material/info:")
    if stop:
        st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
        st.stop()
    return True


def drill(department: str | None = None, team: str | None = None) -> None:
    """Open a department or a team: the filter bar picks it up on the rerun (and the URL)."""
    st.session_state[DRILL_KEY] = {"department": department, "team": team}
    if team:
        st.switch_page("pages/team.py")
    st.rerun()
