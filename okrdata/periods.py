"""Period labels as OKR tools write them, read into the quarters they cover.

A period is a quarter (``Q3 2026``, ``2026-Q3``, ``FY27-Q1``, ``GJ 26/27-Q2``, ``Q3/2026``), a span of
quarters (``Annual 2026``, ``FY2027``, ``H1 2026``) or undated (``Rolling``, ``Backlog``); a cycle
word (``Quarterly``, ``Annually``, ``Monthly``) says how often, not when: it is no period, and
the start and end dates decide. Quarter labels are ``YYYY-Qn`` where fiscal year ``YYYY`` starts in month ``fiscal_start_month`` of
calendar year ``YYYY`` (see ``calendar``). A label with a fiscal prefix (``FY``, ``GJ``) names its
fiscal year by the year it starts in (``fiscal_year_named_by="start"``, the default) or ends in
(``"end"``: with a fiscal year from July, ``FY27`` runs from July 2026 to June 2027); a year pair
(``GJ 26/27``) always names its start year.

>>> parse_period("FY27-Q1", fiscal_start_month=7, named_by="end")
Period(kind='quarter', quarters=('2026-Q1',))
>>> parse_period("H2 2026").quarters
('2026-Q3', '2026-Q4')
>>> parse_period("Backlog").kind
'undated'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

YEARS = (1990, 2200)  # plausible years, as for dates
UNDATED_WORDS = {
    "rolling", "backlog", "ongoing", "continuous", "evergreen", "always", "none", "tbd",
    "someday", "no period", "unscheduled", "undated", "not set", "n a", "always on",
}  # fmt: skip
# how often a goal is reviewed, not which period it is in (a "Cycle" or "Period" column of some
# tools): no period, the start and end dates decide
CYCLE_WORDS = {
    "quarterly", "annually", "annual", "yearly", "monthly", "weekly", "biweekly", "bi weekly",
    "fortnightly", "daily", "half yearly", "semi annually", "semiannually", "semi annual",
    "every quarter", "every year", "every month", "every week",
}  # fmt: skip
_ANNUAL = re.compile(
    r"\b(ANNUAL|ANNUALLY|YEAR|YEARLY|FULL YEAR|JAHR)\b|(?<![A-Z])(FY|GJ|WJ)(?![A-Z])"
    r"|(?<![A-Z])Y(?=\d{4}\b)"  # OKR for Jira's periods: Y2025, Q3 Y2025
)
_FISCAL = re.compile(r"\b(FY|GJ|WJ|FISCAL)|^(FY|GJ)")
_PAIR = re.compile(r"(?<!\d)(\d{4}|\d{2})\s*/\s*(\d{4}|\d{2})(?!\d)")
_QUARTER = re.compile(r"(?:(?<![A-Z])Q|QUARTER\s*|QTR\s*)(\d)(?!\d{2})")
_QUARTER_AFTER = re.compile(r"(?<!\d)([1-4])\s*Q(?![A-Z])")
_HALF = re.compile(r"(?:(?<![A-Z])H|HALF\s*|HY\s*)([12])(?!\d{2})")
# two quarters in one label: a range (Q1-Q2 2026, Q4 2026 - Q1 2027) or a list (Q1 & Q3 2026)
_QUARTER_PAIR = re.compile(
    r"(?<![A-Z])Q([1-4])\s*(?:(\d{4})\s*)?(-|TO|THRU|THROUGH|/|&|\+|AND|,)\s*Q([1-4])"
    r"(?:\s*(\d{4}))?(?!\d)"
)
_YEAR4 = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_YEAR2 = re.compile(r"(?:FY|GJ|WJ|'|Q\d\s*[-/ ]\s*|H\d\s*[-/ ]\s*)\s*(\d{2})(?!\d)")


@dataclass(frozen=True)
class Period:
    """What a label means: ``quarter`` or ``span`` (with its quarters), ``undated``, ``cycle``
    (how often, not when: ``Quarterly``),
    ``bad`` (a quarter that cannot exist, such as Q5), ``implausible`` (year outside 1990-2200)
    or ``unknown`` (no period we can read)."""

    kind: str
    quarters: tuple[str, ...] = ()


def _year(label: str) -> tuple[int | None, bool]:
    """The year a label names and whether it came from a year pair (26/27: the start year)."""
    for m in _PAIR.finditer(label):
        a, b = m.group(1), m.group(2)
        ya = int(a) + (2000 if len(a) == 2 else 0)
        yb = int(b) + (2000 if len(b) == 2 else 0)
        if len(b) == 2 and len(a) == 4:
            yb = ya // 100 * 100 + int(b)
        if yb == ya + 1:
            return ya, True
    four = _YEAR4.search(label)
    if four:
        return int(four.group(1)), False
    two = _YEAR2.search(label)
    if two:
        return 2000 + int(two.group(1)), False
    return None, False


def parse_period(label: object, fiscal_start_month: int = 1, named_by: str = "start") -> Period:
    """The period a label means (see ``Period``); never raises."""
    if label is None:
        return Period("unknown")
    text = re.sub(r"[–—_]", "-", str(label)).strip().upper()
    if not text:
        return Period("unknown")
    words = re.sub(r"[^a-z]+", " ", text.lower()).strip()
    if words in UNDATED_WORDS:
        return Period("undated")
    if words in CYCLE_WORDS and not re.search(r"\d", text):
        return Period("cycle")
    year, from_pair = _year(text)
    if year is None:
        return Period("unknown")
    shift = 0
    if _FISCAL.search(text) and not from_pair and named_by == "end" and fiscal_start_month != 1:
        shift = -1
    year += shift
    pair = _QUARTER_PAIR.search(text)
    if pair:
        return _quarter_pair(pair, year, shift)
    quarter = _QUARTER.search(text) or _QUARTER_AFTER.search(text)
    half = _HALF.search(text)
    if quarter:
        q = int(quarter.group(1))
        if not 1 <= q <= 4:
            return Period("bad")
        quarters: tuple[str, ...] = (f"{year:04d}-Q{q}",)
        kind = "quarter"
    elif half:
        h = int(half.group(1))
        quarters = (f"{year:04d}-Q{2 * h - 1}", f"{year:04d}-Q{2 * h}")
        kind = "span"
    elif _ANNUAL.search(text) or re.fullmatch(r"\d{4}", text) or from_pair:
        quarters = tuple(f"{year:04d}-Q{q}" for q in range(1, 5))
        kind = "span"
    else:
        return Period("unknown")
    if not YEARS[0] <= year <= YEARS[1]:
        return Period("implausible", quarters)
    return Period(kind, quarters)


def is_fiscal(label: object) -> bool:
    """Whether a label names a fiscal year by a prefix (``FY22-Q1``, ``GJ 2026``), which only a
    setting can date: the month the fiscal year starts and the year that names it.

    >>> is_fiscal("FY22-Q1"), is_fiscal("GJ 26/27-Q2"), is_fiscal("2026-Q1")
    (True, True, False)
    """
    return label is not None and bool(_FISCAL.search(re.sub(r"[–—_]", "-", str(label)).upper()))


def _quarter_pair(m: re.Match[str], year: int, shift: int) -> Period:
    """Two quarters in one label: ``Q1-Q2 2026`` (a range, at most eight quarters; ``Q4 2026 -
    Q1 2027`` crosses a year) or ``Q1 & Q3 2026``, ``Q1/Q2 2026`` (the quarters listed)."""
    q1, q2 = int(m.group(1)), int(m.group(4))
    y1 = int(m.group(2)) + shift if m.group(2) else year
    y2 = int(m.group(5)) + shift if m.group(5) and m.group(2) else y1
    first, last = y1 * 4 + q1 - 1, y2 * 4 + q2 - 1
    if m.group(3) in ("-", "TO", "THRU", "THROUGH"):
        index = list(range(first, last + 1))
    else:
        index = sorted({first, last})
    if not index or len(index) > 8 or last < first:
        return Period("unknown")
    quarters = tuple(f"{i // 4:04d}-Q{i % 4 + 1}" for i in index)
    if not all(YEARS[0] <= i // 4 <= YEARS[1] for i in index):
        return Period("implausible", quarters)
    return Period("span" if len(quarters) > 1 else "quarter", quarters)
