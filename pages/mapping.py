"""The Data page's helpers: uploads validated (cached per content and column mapping), the
column mappings an analyst chooses (those confirmed by an import are remembered beside the store
for files with the same header, and chosen again when such a file is uploaded), and store writes
that turn a busy or damaged store into its message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from okrdata import ledger
from okrdata.ingest import LoadResult, Overrides, Source, load
from okrdata.store import ImportResult, Store, StoreError
from pages.cache import config

APPLIED = "saved_mappings_applied"


def what_was_read(book: ledger.Ledger) -> None:
    """One expander per file: what was read of it, row by row, in sentences."""
    for title, text in ledger.panels(book):
        with st.expander(title):
            st.markdown(text)


def apply_saved(store: Store | None, sources: list[Source]) -> bool:
    """Choose the saved mapping of each uploaded header (once); True when one was applied."""
    if store is None:
        return False
    applied = st.session_state.setdefault(APPLIED, set())
    changed = False
    for source in sources:
        ident = (source.name, source.sheet, tuple(source.columns))
        if ident in applied:
            continue
        applied.add(ident)
        for canonical, column in store.saved_mapping(source.columns).items():
            key = mapping_key(source, canonical)
            if column in source.columns and not st.session_state.get(key):
                st.session_state[key] = column
                changed = True
    return changed


def save_confirmed(store: Store, sources: list[Source]) -> None:
    """Remember the mapping chosen for each source, for files with the same header."""
    for source in sources:
        chosen = {
            canonical: st.session_state[mapping_key(source, canonical)]
            for canonical in set(source.mapping.values())
            if st.session_state.get(mapping_key(source, canonical))
        }
        if chosen:
            store.save_mapping(source.columns, chosen)


def write(change: Callable[..., ImportResult], *args: Any, **kwargs: Any) -> ImportResult:
    """Run a store import or restore; a store that is busy or damaged becomes its message."""
    try:
        return change(*args, **kwargs)
    except StoreError as exc:
        return ImportResult(None, False, str(exc))


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
