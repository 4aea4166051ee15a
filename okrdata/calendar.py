"""Quarter labels and the calendar behind them.

A quarter label is ``"YYYY-Qn"``. With a fiscal year starting in month ``m`` (1 = calendar
quarters), fiscal year ``YYYY`` starts on the first day of month ``m`` of calendar year
``YYYY`` and ``Qn`` is its n-th three-month block.

>>> quarter_bounds("2026-Q3")
(Timestamp('2026-07-01 00:00:00'), Timestamp('2026-09-30 00:00:00'))
>>> quarter_bounds("2026-Q1", fiscal_start_month=2)
(Timestamp('2026-02-01 00:00:00'), Timestamp('2026-04-30 00:00:00'))
>>> quarter_of(pd.Timestamp("2026-01-15"), fiscal_start_month=2)
'2025-Q4'
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")
DAY_NS = np.int64(86_400_000_000_000)  # nanoseconds per day


def parse_label(label: str) -> tuple[int, int]:
    """``"2026-Q3"`` -> ``(2026, 3)``; raises ValueError on anything else."""
    m = _LABEL.match(str(label))
    if not m:
        raise ValueError(f"not a quarter label: {label!r}")
    return int(m.group(1)), int(m.group(2))


def quarter_bounds(label: str, fiscal_start_month: int = 1) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive) of a quarter."""
    year, q = parse_label(label)
    start = pd.Timestamp(year=year, month=fiscal_start_month, day=1) + pd.DateOffset(
        months=3 * (q - 1)
    )
    end = start + pd.DateOffset(months=3) - pd.Timedelta(days=1)
    return pd.Timestamp(start), pd.Timestamp(end)


def quarter_of(day: pd.Timestamp, fiscal_start_month: int = 1) -> str:
    """The label of the quarter containing ``day``."""
    months = (day.year * 12 + day.month - 1) - (fiscal_start_month - 1)
    year, month0 = divmod(months, 12)
    return f"{year}-Q{month0 // 3 + 1}"


def quarters_of(days: pd.Series, fiscal_start_month: int = 1) -> pd.Series:
    """Vectorised ``quarter_of`` for a datetime Series (NaT -> NA)."""
    months = days.dt.year * 12 + days.dt.month - 1 - (fiscal_start_month - 1)
    year, month0 = months // 12, months % 12
    out = (
        year.astype("Int64").astype("string")
        + "-Q"
        + (month0 // 3 + 1).astype("Int64").astype("string")
    )
    return out.astype("string")


def day_number(values: ArrayLike) -> np.ndarray:
    """Days since 1970-01-01 of datetime values (int64; NaT becomes a large negative number)."""
    arr = np.asarray(values, dtype="datetime64[ns]").astype(np.int64)
    return np.floor_divide(arr, DAY_NS)


def elapsed_fraction(label: str, as_of: pd.Timestamp, fiscal_start_month: int = 1) -> float:
    """Share of the quarter's days passed by the end of ``as_of``, clipped to [0, 1]."""
    start, end = quarter_bounds(label, fiscal_start_month)
    total = (end - start).days + 1
    done = (pd.Timestamp(as_of).normalize() - start).days + 1
    return float(np.clip(done / total, 0.0, 1.0))


def previous_quarters(label: str, n: int) -> list[str]:
    """The ``n`` quarter labels before ``label``, most recent first."""
    year, q = parse_label(label)
    out = []
    for _ in range(n):
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
        out.append(f"{year}-Q{q}")
    return out
