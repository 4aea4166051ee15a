"""The app's data: the cached store, the data each session sees, and cached view models.

The store is read from its published snapshot (read-only): an import from the CLI, another
replica or the Data page replaces it, and every session sees the new data version on its next
rerun. A store that cannot be read stops every page with one sentence naming the rebuild command.

This is the only place that caches: the store connection through ``st.cache_resource``, the
Dataset per data version through ``st.cache_resource`` (shared, never copied), and each view
model through ``st.cache_data`` keyed by data version and filters. The logic is in ``okrdata``.
Memory: at 20,000 teams the Dataset is about 1.7 GB of the process and each Base (a snapshot
and its signals) about 0.55 GB, so at most 4 Bases are held; the week before a view is held
only as it is compared with (``views.Earlier``, about 20 MB), and once the store has a new
version the Datasets and Bases of the earlier one are dropped at once instead of waiting to be
evicted.

The landing page's objects (the filter bar's choices, the default Overview and what changed
that week) are also kept on disk beside the store (``okrdata.landing``): for the store's data,
``kept`` reads them before computing, so the first Overview after a cold start neither loads
the Dataset nor builds a snapshot; one computed here is kept for the other processes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from okrdata import landing, precomputed, views
from okrdata.config import Config, load_config
from okrdata.ingest import load_dir
from okrdata.model import Dataset, export_day
from okrdata.store import Store, StoreBusy, StoreDamaged

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SESSION_KEY = "session_data"  # (content hash, Dataset) uploaded for this session only
T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def get_store() -> Store | None:
    try:
        return Store()
    except StoreBusy:
        return None


@st.cache_resource(show_spinner=False)
def config() -> Config:
    return load_config(None)


@st.cache_resource(max_entries=2, show_spinner="Loading OKR data…")
def _dataset(version: str) -> Dataset:
    if version == "sample":
        return load_dir(SAMPLE_DIR, config=config()).dataset
    store = get_store()
    if store is None:  # a store version is only handed out while the store is open
        raise StoreBusy("The store is open in another process.")
    return store.dataset()


def current_version() -> tuple[str, str]:
    """The data this session sees: (version key, source)."""
    if SESSION_KEY in st.session_state:
        return f"session-{st.session_state[SESSION_KEY][0]}", "session"
    store = get_store()
    try:
        if store is not None and store.has_data():
            version = f"store-{store.data_version()}"
            _forget_earlier(version)
            return version, "store"
    except StoreDamaged as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    return "sample", "sample"


_SEEN: dict[str, str] = {}  # the store version this process served last
_SEEN_LOCK = threading.Lock()


def _forget_earlier(version: str) -> None:
    """Once the store has a new version, drop the Datasets and Bases held for the earlier one:
    no session asks for it again (every run reads the version in force), and each Base holds
    its Dataset, so they would otherwise keep a second copy of the data until evicted."""
    with _SEEN_LOCK:
        last = _SEEN.get("store")
        _SEEN["store"] = version
    if last is not None and last != version:
        _dataset.clear()
        base_of.clear()
        earlier_of.clear()


def dataset(version: str) -> Dataset:
    if version.startswith("session-"):
        return st.session_state[SESSION_KEY][1]
    return _dataset(version)


def today(version: str) -> pd.Timestamp | None:
    """The day defaults count from: the bundled sample reads as of its own last check-in."""
    return export_day(dataset(version).checkins) if version == "sample" else None


def compute_base(version: str, quarter: str, as_of: str | None) -> views.Base:
    """``views.base`` of a data version (not cached: ``base_of`` is)."""
    ts = as_of and pd.Timestamp(as_of)
    return views.base(dataset(version), quarter, ts, config(), today(version))


@st.cache_resource(max_entries=4, show_spinner=False)
def base_of(version: str, quarter: str, as_of: str | None) -> views.Base:
    return compute_base(version, quarter, as_of)


@st.cache_resource(max_entries=4, show_spinner=False)
def earlier_of(version: str, quarter: str, as_of: str | None) -> views.Earlier:
    """The week before a view, as it compares with it (``views.earlier``): its Base is not held."""
    return views.earlier(compute_base(version, quarter, as_of))


def view(name: str, version: str, filters: views.Filters, *extra: object) -> Any:
    """A view model from ``okrdata.views``, cached per data version, filters and extras."""
    as_of = None if filters.as_of is None else filters.as_of.isoformat()
    return _view(name, version, filters.quarter, filters.department, filters.team, as_of, extra)


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
        return getattr(views, name)(b, views.Filters(quarter, department, team, b.as_of), *extra)

    if name != "overview" or extra:
        return compute()
    return kept(version, name, compute, quarter, department, team, as_of)


@st.cache_data(max_entries=8, show_spinner=False)
def adjustments(version: str) -> pd.DataFrame | None:
    """Goals the teams adjusted between imports (``Store.adjustments``); None unless from the store."""
    store = get_store()
    if not version.startswith("store-") or store is None:
        return None
    return store.adjustments()


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
    """A landing object (``okrdata.landing``): for a store version, the one kept beside the
    store when there is one; else ``compute()``, kept for other processes when it is the
    landing page's (the choices, or the default filters). The sample and a session's uploads
    always compute."""
    store = get_store()
    if store is None or not version.startswith("store-"):
        return compute()
    number = int(version.removeprefix("store-"))
    ask = landing.request(name, config(), quarter, department, team, as_of)
    found = landing.read(store.path, ask, number)
    if found is not None:
        return found
    obj = compute()
    if name == "options" or landing.is_default(options(version), quarter or "", department,
                                               team, as_of):  # fmt: skip
        ident = precomputed.file_id(store.path)  # the file, then its version: both must match
        if store.data_version() == number:
            landing.write(store.path, ask, obj, ident, number)
    return obj
