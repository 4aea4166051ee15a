"""Where the app's data comes from: the store (its published snapshot, read-only), the
settings, the bundled sample, and a session's uploads; the Dataset per data version is held
through ``st.cache_resource`` (shared, never copied), at most 2."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from okrdata import versions
from okrdata.config import Config, load_config
from okrdata.ingest import load_dir
from okrdata.model import Dataset
from okrdata.store import Store, StoreBusy, StoreDamaged

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SESSION_KEY = "session_data"  # (content hash, Dataset) uploaded for this session only
T = TypeVar("T")


def reading(read: Callable[[], T]) -> T:
    """``read()`` of the store; a store found damaged (or gone) while the app runs stops the
    page with its one sentence (what happened, the command that rebuilds it)."""
    try:
        return read()
    except StoreDamaged as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()


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
    if version == versions.SAMPLE:
        return load_dir(SAMPLE_DIR, config=config()).dataset
    store = get_store()
    if store is None:  # a store version is only handed out while the store is open
        raise StoreBusy("The store is open in another process.")
    return store.dataset()


def dataset(version: str) -> Dataset:
    if versions.is_session(version):
        return st.session_state[SESSION_KEY][1]
    return reading(lambda: _dataset(version))


def today(version: str) -> pd.Timestamp | None:
    """The day defaults count from: the real today (None) for every data version, the sample
    too; ``okrdata.asof`` shows data whose newest check-in is old as of that check-in."""
    return None


def adjustments(version: str) -> pd.DataFrame | None:
    """Goals the teams adjusted between imports (``Store.adjustments``); None unless from the store."""
    return reading(lambda: _adjustments(version))


@st.cache_data(max_entries=8, show_spinner=False)
def _adjustments(version: str) -> pd.DataFrame | None:
    store = get_store()
    if versions.store_version(version) is None or store is None:
        return None
    return store.adjustments()


_SEEN: dict[str, str] = {}  # the store version this process served last
_SEEN_LOCK = threading.Lock()


def replaced(version: str) -> bool:
    """True once per new store version: the Datasets held for the earlier one are dropped (no
    session asks for it again, every run reads the version in force)."""
    with _SEEN_LOCK:
        last, _SEEN["store"] = _SEEN.get("store"), version
    if last is None or last == version:
        return False
    _dataset.clear()
    return True
