"""The app's data: the cached store, the data each session sees, and cached view models.

The store is read from its published snapshot (read-only): an import from the CLI, another
replica or the Data page replaces it, and every session sees the new data version on its next
rerun. A store that cannot be read stops every page with one sentence naming the rebuild command.

This is the only place that caches: the store connection through ``st.cache_resource``, the
Dataset per data version through ``st.cache_resource`` (shared, never copied), and each view
model through ``st.cache_data`` keyed by data version and filters. The logic is in ``okrdata``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from okrdata import triage, views
from okrdata.config import Config, load_config
from okrdata.ingest import LoadResult, Overrides, Source, load, load_dir
from okrdata.model import Dataset, export_day
from okrdata.store import ImportResult, Store, StoreBusy, StoreDamaged, StoreError

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SESSION_KEY = "session_data"  # (content hash, Dataset) uploaded for this session only


@st.cache_resource(show_spinner=False)
def get_store() -> Store | None:
    try:
        return Store()
    except StoreBusy:
        return None


@st.cache_resource(show_spinner=False)
def config() -> Config:
    return load_config(None)


@st.cache_resource(max_entries=3, show_spinner="Loading OKR data…")
def _dataset(version: str) -> Dataset:
    if version == "sample":
        return load_dir(SAMPLE_DIR, config=config()).dataset
    store = get_store()
    if store is None:  # a store version is only handed out while the store is open
        raise StoreBusy("The store is open in another process.")
    return store.dataset()


def write(change: Callable[..., ImportResult], *args: Any, **kwargs: Any) -> ImportResult:
    """Run a store import or restore; a store that is busy or damaged becomes its message."""
    try:
        return change(*args, **kwargs)
    except StoreError as exc:
        return ImportResult(None, False, str(exc))


def current_version() -> tuple[str, str]:
    """The data this session sees: (version key, source)."""
    if SESSION_KEY in st.session_state:
        return f"session-{st.session_state[SESSION_KEY][0]}", "session"
    store = get_store()
    try:
        if store is not None and store.has_data():
            return f"store-{store.data_version()}", "store"
    except StoreDamaged as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    return "sample", "sample"


def dataset(version: str) -> Dataset:
    if version.startswith("session-"):
        return st.session_state[SESSION_KEY][1]
    return _dataset(version)


def today(version: str) -> pd.Timestamp | None:
    """The day defaults count from: the bundled sample reads as of its own last check-in."""
    return export_day(dataset(version).checkins) if version == "sample" else None


@st.cache_resource(max_entries=8, show_spinner=False)
def _base(version: str, quarter: str, as_of: str | None) -> views.Base:
    ts = as_of and pd.Timestamp(as_of)
    return views.base(dataset(version), quarter, ts, config(), today(version))


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
    b = _base(version, quarter, as_of)
    return getattr(views, name)(b, views.Filters(quarter, department, team, b.as_of), *extra)


def bases(version: str, filters: views.Filters) -> tuple[views.Base, views.Base]:
    """The Base of the filters' date and the Base of the same quarter a week earlier."""
    b = _base(
        version, filters.quarter, None if filters.as_of is None else filters.as_of.isoformat()
    )
    return b, _base(version, b.quarter, views.week_before(b).isoformat())


def changes(version: str, filters: views.Filters) -> views.Changes:
    """What changed in the week up to the filters' date (``views.changes``), cached."""
    as_of = None if filters.as_of is None else filters.as_of.isoformat()
    return _changes(version, filters.quarter, filters.department, filters.team, as_of)


@st.cache_data(max_entries=32, show_spinner=False)
def _changes(
    version: str, quarter: str, department: str | None, team: str | None, as_of: str | None
) -> views.Changes:
    f = views.Filters(quarter, department, team, as_of and pd.Timestamp(as_of))
    b, prev = bases(version, f)
    return views.changes(b, prev, views.Filters(b.quarter, department, team, b.as_of))


def triage_store() -> triage.Triage:
    """The coaches' triage file beside the store (opened per call, so never cached stale)."""
    return triage.Triage(triage.path_for(None))


@st.cache_data(max_entries=8, show_spinner=False)
def options(version: str) -> views.Options:
    return views.options(dataset(version), config(), today(version))


@st.cache_data(max_entries=16, show_spinner=False)
def validate(files: tuple[tuple[str, bytes], ...], overrides_key: tuple) -> LoadResult:
    """Uploaded files read and validated (cached per content and column mapping)."""
    return load(list(files), config=config(), mapping_overrides=overrides_dict(overrides_key))


def overrides_dict(overrides_key: tuple) -> dict:
    """The column mappings as ``okrdata.ingest.load`` takes them."""
    overrides: Overrides = {}
    for file, sheet, source_col, canonical in overrides_key:
        overrides.setdefault((file, sheet), {})[source_col] = canonical
    return overrides


def mapping_key(source: Source, column: str) -> str:
    return f"map|{source.name}|{source.sheet or ''}|{column}"


def mapping_overrides() -> tuple:
    """The column mappings the analyst chose on the Data page, as a hashable key."""
    out = []
    for key, value in st.session_state.items():
        if isinstance(key, str) and key.startswith("map|") and value:
            _, file, sheet, canonical = key.split("|", 3)
            out.append((file, sheet or None, value, canonical))
    return tuple(sorted(out, key=str))
