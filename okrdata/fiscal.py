"""Fiscal labels named by two calendar years (``GJ 23/24-Q2``) when no setting says when the
fiscal year starts.

A fiscal year named by a pair of years runs across two calendar years, so it cannot start in
January: with ``fiscal_start_month`` left at 1 the setting says nothing about it. Such a label
is then dated by the check-ins made under it: the start month (1-12) under which most of its
key results' check-ins fall in their own quarter, when that is most of them (Puzzle ITC's
``GJ 23/24-Q2`` has its check-ins in October-December 2023: a fiscal year from July). The
quarter is then the calendar quarter those months are in (``2023-Q4`` with the default
settings), as the tool's own quarter table dates it. Either way a warning says how the labels
were dated and which setting changes it.

>>> fiscal_pairs(["GJ 23/24-Q2", "Q3 2026", "FY 2026/2027 Q1", "Backlog"])
['GJ 23/24-Q2', 'FY 2026/2027 Q1']
>>> [first_month(q, 7) for q in ("2023-Q2", "2024-Q1")]
['2023-10', '2024-07']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import duckdb
import pandas as pd

from okrdata.calendar import quarter_bounds, quarter_of
from okrdata.config import Config
from okrdata.periods import parse_period

_PAIR = re.compile(r"(?<![a-z])(fy|gj|wj)\s*(\d{2}|\d{4})\s*/\s*(\d{2}|\d{4})(?!\d)", re.I)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def fiscal_pairs(labels: Iterable[str]) -> list[str]:
    """The labels that name a fiscal year by a pair of calendar years (and a readable period)."""
    return [
        label for label in labels
        if _PAIR.search(label) and parse_period(label).kind in ("quarter", "span")
    ]  # fmt: skip


def first_month(quarter: str, start_month: int) -> str:
    """``YYYY-MM`` of a fiscal quarter's first month (the fiscal year from ``start_month``)."""
    return quarter_bounds(quarter, start_month)[0].strftime("%Y-%m")


def _months(label: str, start_month: int, named_by: str) -> set[str]:
    """The calendar months (``YYYY-MM``) of a label read with a fiscal year from ``start_month``."""
    out = set()
    for q in parse_period(label, start_month, named_by).quarters:
        start = quarter_bounds(q, start_month)[0]
        out |= {(start + pd.DateOffset(months=i)).strftime("%Y-%m") for i in range(3)}
    return out


def _checkin_months(
    con: duckdb.DuckDBPyConnection, labels: list[str]
) -> list[tuple[str, str, int]]:
    """(label, ``YYYY-MM``, how many) of the check-ins of the key results under each label."""
    return con.execute(
        """
        with krs as (
            select distinct okr_clean(kr_id) as kr_id, okr_clean(quarter) as label
            from src_okrs where okr_clean(quarter) in (select unnest($labels))
                and okr_clean(kr_id) is not null
        ),
        days as (
            select k.label, okr_plausible(okr_date_any(c.date, c._dayfirst)) as day
            from src_checkins as c join krs as k on k.kr_id = okr_clean(c.kr_id)
        )
        select label, strftime(day, '%Y-%m') as month, count(*)::integer
        from days where day is not null group by all
        """,
        {"labels": labels},
    ).fetchall()


def read_fiscal_pairs(
    con: duckdb.DuckDBPyConnection, labels: list[str], config: Config
) -> dict[str, tuple[str, list[str], str]]:
    """For each fiscal-pair label, when ``fiscal_start_month`` is left at 1: its kind, its
    quarters (in the settings' own labels) and the warning that says how it was dated."""
    pairs = sorted(fiscal_pairs(labels)) if config.fiscal_start_month == 1 else []
    if not pairs:
        return {}
    named_by = config.fiscal_year_named_by
    seen = _checkin_months(con, pairs)
    total = sum(n for _, _, n in seen)
    hits = {
        m: sum(n for label, month, n in seen if month in _months(label, m, named_by))
        for m in range(1, 13)
    }
    # a tie (few check-ins): a year that starts with one of the settings' quarters, else as
    # the setting says (January)
    aligned = {m: (m - config.fiscal_start_month) % 3 == 0 for m in hits}
    best = max(hits, key=lambda m: (hits[m], aligned[m], m == 1))
    inferred = best if total and hits[best] * 2 > total and best != 1 else None
    warning = _warning(pairs[0], inferred, named_by, hits, total)
    out = {}
    for label in pairs:
        start = inferred or 1
        period = parse_period(label, start, named_by)
        quarters = sorted({
            quarter_of(quarter_bounds(q, start)[0], config.fiscal_start_month)
            for q in period.quarters
        })  # fmt: skip
        kind = "quarter" if len(quarters) == 1 else "span"
        out[label] = (kind, quarters, warning)
    return out


def _span(label: str, start_month: int, named_by: str) -> str:
    """ "October-December 2023": the months a label covers with a fiscal year from a month."""
    months = sorted(_months(label, start_month, named_by))
    first, last = months[0].split("-"), months[-1].split("-")
    head = _MONTHS[int(first[1]) - 1] + ("" if first[0] == last[0] else f" {first[0]}")
    return f"{head}–{_MONTHS[int(last[1]) - 1]} {last[0]}"


def _warning(
    example: str, inferred: int | None, named_by: str, hits: dict[int, int], total: int
) -> str:
    if inferred is not None:
        return (
            f"Periods like {example} name a fiscal year across two calendar years, and no "
            f"setting says when it starts (fiscal_start_month is 1): {hits[inferred]} of the "
            f"{total} check-ins under them fall in their quarter with a fiscal year from "
            f"{_MONTHS[inferred - 1]}, so they are dated so ({example} = "
            f"{_span(example, inferred, named_by)}). Set fiscal_start_month = {inferred} in "
            "okr.toml to say so."
        )
    return (
        f"Periods like {example} name a fiscal year across two calendar years, and no setting "
        "says when it starts (fiscal_start_month is 1) nor do check-ins date them: they are read "
        f"with a fiscal year from January ({example} = {_span(example, 1, named_by)}). Set "
        "fiscal_start_month in okr.toml (7 for a fiscal year from July) to date them."
    )
