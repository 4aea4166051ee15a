"""The Data page's helpers: uploads validated (cached per content and answers), the questions
an upload raises asked together in one form (``okrdata.questions``: which column holds a
required one, or one fixed value for a whole sheet, how the fiscal year runs, what an unmatched
column holds), the answers kept per source shape (those confirmed by an import are remembered
beside the store and chosen again for the next upload of the same shape), and store writes that
turn a busy or damaged store into its message."""

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
from okrdata.sources import TABLE_WORDS
from okrdata.store import ImportResult, Store, StoreError
from pages.cache import config

ANSWERS = "question_answers"  # the session's answers, per source shape
SEEDED = "question_shapes_seeded"  # shapes whose saved answers were taken into the session
NONE = "—"


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


def _key(prefix: str, q: Question) -> str:
    return f"{prefix}|{q.file}|{q.sheet or ''}|{q.column or ''}"


def _samples(q: Question, column: str) -> str:
    values = q.samples.get(column, [])
    return f"{column}  (e.g. {', '.join(values)})" if values else column


def _where(q: Question) -> str:
    return q.file + (f", sheet {q.sheet}," if q.sheet else "")


def ask(asked: list[Question]) -> bool:
    """The questions in one form, each answered as the session's answers say; True when the
    analyst applied new answers (the page validates again)."""
    if not asked:
        return False
    given = answers()
    needed = [q for q in asked if q.kind != "unknown"]
    optional = [q for q in asked if q.kind == "unknown"]
    with st.form("questions"):
        if needed:
            st.markdown(f"**{len(needed)} question{'s' * (len(needed) != 1)} about these "
                        "files**")  # fmt: skip
        readers = [_widget(q, questions.answered(given, q)) for q in needed]
        if optional:  # what an unmatched column holds: asked, folded away (it may be many)
            title = f"{len(optional)} column{'s' * (len(optional) != 1)} no name matched"
            with st.expander(title, expanded=not needed):
                unknown = [_widget(q, questions.answered(given, q)) for q in optional]
        else:
            unknown = []
        applied = st.form_submit_button("Apply these answers and validate again")
    if not applied:
        return False
    # what an unmatched column holds first: a column chosen for a required one then wins
    for read in [*unknown, *readers]:
        read()
    return True


def _widget(q: Question, now: dict[str, Any]) -> Callable[[], None]:
    """Draw one question; return what reads its answer into the session's answers."""
    given = answers()
    if q.kind in ("column", "fixed"):
        column = st.selectbox(
            f"Which column of {_where(q)} holds {q.column!r}?", q.choices,
            index=q.choices.index(now["column"]) if now.get("column") in q.choices else None,
            key=_key("map", q), format_func=lambda c: _samples(q, c),
            placeholder="Choose a column",
        )  # fmt: skip
        if q.kind == "column":
            return lambda: questions.answer_column(given, q, column)
        typed = st.text_input(
            f"… or the {q.column} every row of it has", now.get("value", q.suggested or ""),
            key=_key("fix", q), placeholder=f"Type a {q.column} name",
        )  # fmt: skip
        names = [w for w in questions.FROM_NAMES if w in q.samples]
        options = [NONE, *names]
        taken = st.radio(
            f"… or take the {q.column} from", options,
            index=options.index(now["from"]) if now.get("from") in options else 0,
            key=_key("from", q), horizontal=True,
            format_func=lambda w: w if w == NONE else f"the {w} ({q.samples[w][0]})",
        )  # fmt: skip

        def read() -> None:
            if taken != NONE or typed.strip():
                questions.answer_fixed(given, q, typed, "" if taken == NONE else taken)
            else:
                questions.answer_fixed(given, q)
                questions.answer_column(given, q, column)

        return read
    if q.kind == "table":
        pick = now.get("table", q.suggested)
        table = st.selectbox(
            q.text, q.choices, index=q.choices.index(pick) if pick in q.choices else None,
            key=_key("table", q), placeholder="Not an OKR table",
            format_func=lambda t: f"{t}: {TABLE_WORDS[t]}",
        )  # fmt: skip
        return lambda: questions.answer_table(given, q, table)
    if q.kind == "rows":
        pick = now.get("choice", q.suggested)
        choice = st.selectbox(
            q.text, q.choices, index=q.choices.index(pick) if pick in q.choices else None,
            key=_key("rows", q), placeholder="Choose the column and value of objective rows",
        )  # fmt: skip
        named = now.get("title", q.titles[0] if q.titles else None)
        title = st.selectbox(
            "… and the column holding their titles", q.titles,
            index=q.titles.index(named) if named in q.titles else None, key=_key("title", q),
            format_func=lambda c: _samples(q, c),
        )  # fmt: skip
        return lambda: questions.answer_rows(given, q, choice, title)
    if q.kind == "fiscal":
        st.caption(q.text)
        month = st.selectbox(
            "The fiscal year starts in", range(1, 13), index=now.get("start_month", 1) - 1,
            key=_key("fy", q), format_func=lambda m: questions.MONTHS[m - 1],
        )  # fmt: skip
        named = st.radio(
            f"{q.samples['labels'][0]} is named by the year its fiscal year", questions.NAMED_BY,
            index=questions.NAMED_BY.index(now.get("named_by", "start")), key=_key("fyname", q),
            format_func=lambda n: f"{n}s in", horizontal=True,
        )  # fmt: skip
        return lambda: questions.answer_fiscal(given, q, month, named)
    canonical = st.selectbox(
        f"{q.column!r} of {_where(q)} (e.g. {', '.join(q.samples.get(q.column or '', []))}) "
        "holds", q.choices,
        index=q.choices.index(now["column"]) if now.get("column") in q.choices else None,
        key=_key(f"col|{q.table}", q), placeholder="Not used",
    )  # fmt: skip
    return lambda: questions.answer_column(given, q, canonical)


def download(asked: list[Question], sources: list[Source]) -> None:
    """ "Save these answers": the answers for these files' shapes, as the JSON file
    ``python -m okrdata import|validate --mapping`` reads."""
    mine = questions.for_sources(answers(), sources)
    if asked or mine:
        st.download_button("Save these answers", questions.dumps(mine),
                           file_name="okr-answers.json", mime="application/json",
                           disabled=not mine, icon=":material/download:", on_click="ignore")  # fmt: skip
