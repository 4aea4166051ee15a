"""The Data page's questions about an upload, asked together in one form
(``okrdata.questions``: which column holds a required one, or one fixed value for a whole sheet,
how the fiscal year runs, what an unmatched column holds), each drawn with the session's answer
(``pages.uploads`` keeps the answers and saves them as a file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from okrdata import questions
from okrdata.questions import Question
from okrdata.sources import TABLE_WORDS
from pages.uploads import answers

NONE = "—"


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
        fixed_from = "" if taken == NONE else taken
        return lambda: questions.answer_sheet(given, q, column, typed, fixed_from)
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
