"""The filter bar every page shares, bound to the URL (a link reproduces the view), and the
context it gives a page: which data, and the filters chosen."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from okrdata import display, filterbar, views
from pages.cache import current_version, options
from pages.source import config

DRILL_KEY = "_drill"  # a click on a chart or table: the filters to apply on the next run


@dataclass(frozen=True)
class PageContext:
    """What every page needs: which data, its label, and the filters from the bar."""

    version: str
    source: str  # "store", "sample" or "session"
    filters: views.Filters
    data_note: str | None = None  # "Data as of 16 Nov 2026, 20 days ago." when the data is old

    @property
    def view(self) -> tuple:
        """The data version and filters a view model is computed for (a chart's cache key)."""
        return (self.version, *self.filters.key())


def filter_bar() -> PageContext:
    """The shared filters in the sidebar, bound to the URL so a link reproduces the view."""
    version, source = current_version()
    opts = options(version)
    side = st.sidebar
    drill = st.session_state.pop(DRILL_KEY, None)
    if drill:  # set before the widgets are drawn: a widget's state is fixed once it is
        chosen = filterbar.drill_choice(opts, drill["department"], drill["team"])
        st.session_state.update(chosen)  # the URL follows
    if not opts.quarters:
        return PageContext(version, source, views.Filters(quarter=""))
    _open_link(opts)
    state = st.session_state  # the widgets' defaults are their state: a rerun keeps them
    q = side.selectbox("Quarter", opts.quarters, index=opts.quarters.index(state["quarter"]),
                       key="quarter")  # fmt: skip
    filterbar.forget_unoffered(st.session_state, "department", opts.departments)
    dept = side.selectbox("Department", opts.departments, index=None,
                          placeholder="All departments", key="department", bind="query-params")  # fmt: skip
    teams = opts.teams.get(dept or "", [])
    filterbar.forget_unoffered(st.session_state, "team", teams)
    team = side.selectbox("Team", teams, index=None, placeholder="All teams", key="team",
                          bind="query-params")  # fmt: skip
    as_of = side.date_input("As of", value=state["as_of"], key="as_of",
                            help="See the data as it was on this day.")  # fmt: skip
    for note in filterbar.notes(q, pd.Timestamp(as_of), source, config()):
        side.caption(note)
    if not filterbar.is_today(opts, q, pd.Timestamp(as_of)):  # a link made for another day
        side.button("See today", key="see_today", on_click=_see_today, args=(opts,),
                    help=f"Show {opts.default_quarter} as of {display.date(opts.default_as_of)}.")  # fmt: skip
    st.query_params.update(filterbar.link_params(q, pd.Timestamp(as_of)))  # a link carries both
    filters = views.Filters(q, dept, team, pd.Timestamp(as_of))
    return PageContext(version, source, filters, opts.data_note)


LINK_READ = "_link_read"  # the session's first run has read the quarter and day of its link


def _open_link(opts: views.Options) -> None:
    """The quarter and day of the filter bar: on a session's first run those its link carries
    (``filterbar.link_view``), else this quarter as of the default day; a quarter the data no
    longer offers falls back to the default. Set before the widgets are drawn."""
    state = st.session_state
    if not state.get(LINK_READ):
        state[LINK_READ] = True
        state.update(filterbar.link_view(st.query_params.to_dict(), opts))
    if state.get("quarter") not in opts.quarters:
        state["quarter"] = opts.default_quarter
    if state.get("as_of") is None:
        state["as_of"] = opts.default_as_of.date()


def _see_today(opts: views.Options) -> None:
    """The "See today" button: this quarter as of the default day (the URL follows)."""
    st.session_state["quarter"] = opts.default_quarter
    st.session_state["as_of"] = opts.default_as_of.date()
