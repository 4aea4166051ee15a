"""The app's cached view models, and which data each session sees (``current_version``).

The store, the settings and the Dataset per data version are in ``pages.source``. Each Base (a
snapshot and its signals, about 0.55 GB at 20,000 teams) is held through ``st.cache_resource``,
at most 4; the week before a view only as it is compared with (``views.Earlier``); each view
model through ``st.cache_data`` keyed by data version and filters. Once the store has a new
version, the earlier one's data and Bases are dropped at once. The landing page's objects are
also kept on disk beside the store (``okrdata.landing``): ``kept`` reads them before computing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from okrdata import alignment_tree, dependency_map, landing, versions, views
from okrdata.store import StoreDamaged
from pages import source
from pages.source import SESSION_KEY, adjustments, config, dataset, get_store, today

__all__ = ["SESSION_KEY", "config", "dataset", "get_store", "today", "current_version", "view",
           "base_of", "earlier_of", "options", "adjustments", "kept"]  # fmt: skip

T = TypeVar("T")
# view models kept outside ``okrdata.views`` (a function of a Base and Filters, like theirs)
MODELS: dict[str, Callable[..., Any]] = {
    "alignment_tree": alignment_tree.outline,
    "dependency_map": dependency_map.dependency_map,
}


def current_version() -> tuple[str, str]:
    """The data this session sees: (version key, source)."""
    if SESSION_KEY in st.session_state:
        return versions.session_key(st.session_state[SESSION_KEY][0]), "session"
    store = get_store()
    try:
        if store is not None and store.has_data():
            version = versions.store_key(store.data_version())
            _forget_earlier(version)
            return version, "store"
    except StoreDamaged as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    return versions.SAMPLE, "sample"


def _forget_earlier(version: str) -> None:
    """Once the store has a new version, drop the Bases held for the earlier one (each holds
    its Dataset: a second copy of the data until evicted); ``pages.source`` drops the data."""
    if source.replaced(version):
        base_of.clear()
        earlier_of.clear()


def compute_base(version: str, quarter: str, as_of: str | None) -> views.Base:
    """``views.base`` of a data version (not cached: ``base_of`` is)."""
    ts = as_of and pd.Timestamp(as_of)
    return views.base(dataset(version), quarter, ts, config(), today(version))


@st.cache_resource(max_entries=4, show_spinner=False)
def base_of(version: str, quarter: str, as_of: str | None) -> views.Base:
    return compute_base(version, quarter, as_of)


@st.cache_resource(max_entries=4, show_spinner=False)
def earlier_of(version: str, quarter: str, as_of: str | None) -> views.Earlier:
    """The week before a view, as it compares with it (``views.earlier``): its Base is not held.
    The week before the default date is kept by every import (``landing``): the first Signals
    page builds no second snapshot."""
    return kept(version, "earlier", lambda: views.earlier(compute_base(version, quarter, as_of)),
                quarter, None, None, as_of)  # fmt: skip


def view(name: str, version: str, filters: views.Filters, *extra: object) -> Any:
    """A view model from ``okrdata.views``, cached per data version, filters and extras."""
    return _view(name, version, *filters.key(), extra)


@st.cache_data(max_entries=128, show_spinner=False)
def _view(
    name: str,
    version: str,
    quarter: str,
    department: str | None,
    team: str | None,
    as_of: str | None,
    extra: tuple[object, ...],
) -> Any:
    def compute() -> Any:
        b = base_of(version, quarter, as_of)
        model = MODELS.get(name) or getattr(views, name)
        return model(b, views.Filters(quarter, department, team, b.as_of), *extra)

    if name != "overview" or extra:
        return compute()
    return kept(version, name, compute, quarter, department, team, as_of)


@st.cache_data(max_entries=8, show_spinner=False)
def options(version: str) -> views.Options:
    def compute() -> views.Options:
        return views.options(dataset(version), config(), today(version))

    return kept(version, "options", compute)


def kept(
    version: str,
    name: str,
    compute: Callable[[], T],
    quarter: str | None = None,
    department: str | None = None,
    team: str | None = None,
    as_of: str | None = None,
) -> T:
    """A landing object kept beside the store (``landing.read_or_compute``), for a store
    version only: the sample and a session's uploads always compute."""
    number = versions.store_version(version)
    return landing.read_or_compute(get_store(), number, name, config(), compute,
                                   lambda: options(version), (quarter, department, team, as_of))  # fmt: skip
