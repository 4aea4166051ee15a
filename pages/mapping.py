"""Column mappings on the Data page: the ones confirmed by an import are remembered in the
store for files with the same header, and chosen again when such a file is uploaded."""

from __future__ import annotations

import streamlit as st

from okrdata.ingest import Source
from okrdata.store import Store
from pages.cache import mapping_key

APPLIED = "saved_mappings_applied"


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
