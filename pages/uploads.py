"""The Data page's uploads: files read and validated (cached per content and answers), the
session's answers to the questions an upload raises, kept per source shape (those confirmed by
an import are remembered beside the store and chosen again for the next upload of the same
shape) and saved as a file, what was read of each file, and store writes that turn a busy or
damaged store into its message. The questions themselves are asked by ``pages.mapping``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import streamlit as st

from okrdata import ledger, questions
from okrdata.config import Config
from okrdata.ingest import LoadResult, Overrides, Source, load
from okrdata.mappings import save_answers, saved_answers, saved_mapping
from okrdata.questions import Answers, Question
from okrdata.store import ImportResult, Store, StoreError
from pages.cache import config

ANSWERS = "question_answers"  # the session's answers, per source shape
SEEDED = "question_shapes_seeded"  # shapes whose saved answers were taken into the session


def what_was_read(book: ledger.Ledger) -> None:
    """One expander per file: what was read of it, row by row, in sentences."""
    for title, text in ledger.panels(book):
        with st.expander(title):
            st.markdown(text)


def answers() -> Answers:
    """The answers of this session (per source shape)."""
    return st.session_state.setdefault(ANSWERS, {})


def seed_saved(store: Store | None, sources: list[Source]) -> None:
    """Take the answers saved for each uploaded shape into the session, once per shape."""
    if store is None:
        return
    seeded: set[str] = st.session_state.setdefault(SEEDED, set())
    saved = saved_answers(store)
    for source in sources:
        shape = source.shape
        if shape in seeded:
            continue
        seeded.add(shape)
        if shape in saved and shape not in answers():
            answers()[shape] = saved[shape]
        elif shape not in answers() and (legacy := saved_mapping(store, source.columns)):
            # a column mapping confirmed before answers were kept per shape (same header)
            columns = {column: canonical for canonical, column in legacy.items()
                       if column in source.columns}  # fmt: skip
            if columns:
                answers()[shape] = {"columns": columns}


def save_confirmed(store: Store, sources: list[Source]) -> None:
    """Remember the answers for the shapes just imported, for the next upload of each."""
    save_answers(store, questions.for_sources(answers(), sources))


def write(change: Callable[..., ImportResult], *args: Any, **kwargs: Any) -> ImportResult:
    """Run a store import or restore; a store that is busy or damaged becomes its message."""
    try:
        return change(*args, **kwargs)
    except StoreError as exc:
        return ImportResult(None, False, str(exc))


def validate(
    files: tuple[tuple[str, bytes], ...], store: Store | None
) -> tuple[LoadResult, LoadResult, Answers]:
    """Uploaded files read as they are (what they raise), and read with the session's answers
    for their shapes (the same load when none apply; answers confirmed in ``store`` for a
    shape are taken first), and those answers."""
    first = _load(files)
    seed_saved(store, first.sources)
    given = questions.for_sources(answers(), first.sources)
    chosen = questions.overrides(given, first.sources)
    settings = questions.config_for(given, first.sources, config())
    if not chosen and settings == config():
        return first, first, given
    key = tuple(sorted((f, s or "", k, v) for (f, s), cols in chosen.items()
                       for k, v in cols.items()))  # fmt: skip
    fiscal = (settings.fiscal_start_month, settings.fiscal_year_named_by)
    return first, _load(files, key, fiscal), given


@st.cache_data(max_entries=16, show_spinner=False)
def _load(
    files: tuple[tuple[str, bytes], ...], overrides_key: tuple = (),
    fiscal: tuple[int, str] | None = None,
) -> LoadResult:  # fmt: skip
    """Files read and validated (cached per content, overrides and fiscal year)."""
    overrides: Overrides = {}
    for file, sheet, key, value in overrides_key:
        overrides.setdefault((file, sheet or None), {})[key] = value
    result = load(list(files), config=settings(fiscal), mapping_overrides=overrides)
    result.typed.dataset()  # built here, once: every rerun's copy of the cached result holds it
    return result


def settings(fiscal: tuple[int, str] | None) -> Config:
    """The app's settings, with the fiscal year an answer gives."""
    if fiscal is None:
        return config()
    return replace(config(), fiscal_start_month=fiscal[0], fiscal_year_named_by=fiscal[1])


def download(asked: list[Question], sources: list[Source]) -> None:
    """ "Save these answers": the answers for these files' shapes, as the JSON file
    ``python -m okrdata import|validate --mapping`` reads."""
    mine = questions.for_sources(answers(), sources)
    if asked or mine:
        st.download_button("Save these answers", questions.dumps(mine),
                           file_name="okr-answers.json", mime="application/json",
                           disabled=not mine, icon=":material/download:", on_click="ignore")  # fmt: skip
