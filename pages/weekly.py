"""The week behind a view: the same quarter a week earlier (cached as it is compared with,
``pages.cache.earlier_of``), what changed since (the landing page's is kept beside the store,
``pages.cache.kept``), and the coaches' triage file beside the store."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from okrdata import conversations, triage, views
from pages.cache import base_of, earlier_of, kept


def bases(version: str, filters: views.Filters) -> tuple[views.Base, views.Earlier]:
    """The Base of the filters' date and the same quarter a week earlier (as compared with)."""
    b = base_of(
        version, filters.quarter, None if filters.as_of is None else filters.as_of.isoformat()
    )
    return b, earlier_of(version, b.quarter, views.week_before(b).isoformat())


def changes(version: str, filters: views.Filters) -> views.Changes:
    """What changed in the week up to the filters' date (``views.changes``), cached."""
    return _changes(version, *filters.key())


@st.cache_data(max_entries=32, show_spinner=False)
def _changes(
    version: str, quarter: str, department: str | None, team: str | None, as_of: str | None
) -> views.Changes:
    def compute() -> views.Changes:
        f = views.Filters(quarter, department, team, as_of and pd.Timestamp(as_of))
        b, prev = bases(version, f)
        return views.changes(b, prev, views.Filters(b.quarter, department, team, b.as_of))

    return kept(version, "changes", compute, quarter, department, team, as_of)


def triage_store() -> triage.Triage:
    """The coaches' triage file beside the store (opened per call, so never cached stale)."""
    return triage.Triage(triage.path_for(None))


def triage_view(
    version: str,
    filters: views.Filters,
    actions: pd.DataFrame,
    kinds: tuple[str, ...],
    severities: tuple[str, ...],
    show_hidden: bool,
    only_new: bool,
) -> tuple[views.Base, views.TriageView, conversations.Page]:
    """The Base, ``views.triage_view`` of the filters and what the Signals page draws of it
    (``conversations.page``), cached per data version, filters, the coaches' actions (their
    content is part of the key) and the page's choices."""
    as_of = None if filters.as_of is None else filters.as_of.isoformat()
    key = (version, filters.quarter, filters.department, filters.team, as_of)
    choices = (kinds, severities, show_hidden, only_new)
    return bases(version, filters)[0], *_triage_view(*key, actions, *choices)


@st.cache_data(max_entries=32, show_spinner=False)
def _triage_view(
    version: str,
    quarter: str,
    department: str | None,
    team: str | None,
    as_of: str | None,
    actions: pd.DataFrame,
    kinds: tuple[str, ...],
    severities: tuple[str, ...],
    show_hidden: bool,
    only_new: bool,
) -> tuple[views.TriageView, conversations.Page]:
    b, prev = bases(
        version, views.Filters(quarter, department, team, as_of and pd.Timestamp(as_of))
    )
    f = views.Filters(b.quarter, department, team, b.as_of)
    found = _triage_found(version, quarter, department, team, as_of)
    tv = views.triage_view(b, prev, f, actions, kinds, severities, show_hidden, only_new, found)
    return tv, conversations.page(tv, b.config.signals.conversations)


@st.cache_data(max_entries=8, show_spinner=False)
def _triage_found(
    version: str, quarter: str, department: str | None, team: str | None, as_of: str | None
) -> pd.DataFrame:
    """``views.triage_found`` of the filters: what no coach's action changes, so an action
    re-applies the actions only (about 0.7 s less per action at 2,000 teams)."""
    b, prev = bases(
        version, views.Filters(quarter, department, team, as_of and pd.Timestamp(as_of))
    )
    return views.triage_found(b, prev, views.Filters(b.quarter, department, team, b.as_of))
