"""End-of-quarter forecast per KR: a Theil–Sen trend over its latest check-ins, vectorised.

Why Theil–Sen: the slope is the median of the slopes between every pair of the KR's last
``n`` check-ins (default 6), so one mistyped value or a one-off jump moves it little, where
ordinary least squares would follow it. The intercept is the median of ``value − slope·day``
over those same check-ins, whatever their count: no extra anchor point is ever added. All KRs
are solved at once on an (n_krs × n) matrix: no loop per KR.

- A forecast needs at least 2 check-ins spanning at least ``min_days`` days (default 7);
  otherwise it is NaN ("not enough check-ins"): one point, or two a day apart, say nothing
  about a trend.
- Only increase/decrease KRs are forecast; binary and stay_above/stay_below KRs get NaN.
- A quarter already over "forecasts" its final value.

>>> line = np.array([[0.0, 1, 2, 3, 4, 5]]), np.array([[0.0, 10, 20, 30, 400, 50]])
>>> float(_slope_intercept(*line)[0][0])
10.0
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from okrdata.calendar import day_number


class Checkins(Protocol):
    """What a forecast reads of the check-ins (``metrics.History`` is one): numpy arrays sorted
    by (KR row ``k``, ``day``), ``last`` True on each KR's latest, ``measured`` where a value was
    given. Declared here so that the forecast depends on no module that uses it."""

    @property
    def k(self) -> np.ndarray: ...
    @property
    def day(self) -> np.ndarray: ...
    @property
    def value(self) -> np.ndarray: ...
    @property
    def last(self) -> np.ndarray: ...
    @property
    def measured(self) -> np.ndarray | None: ...


def theil_sen(
    krs: pd.DataFrame, h: Checkins, as_of: pd.Timestamp, n: int = 6, min_days: int = 7
) -> np.ndarray:
    """Each KR's value projected to its quarter's last day (see module docstring)."""
    n = max(int(n), 2)
    count = len(krs)
    current = krs["current_value"].to_numpy(float)
    x, y = _latest_matrix(h, count, n)
    q_end = krs["q_end"].to_numpy(float)
    today = float(day_number([as_of])[0])
    points = (~np.isnan(x)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        span = np.nanmax(x, axis=1, initial=-np.inf) - np.nanmin(x, axis=1, initial=np.inf)
    slope, intercept = _slope_intercept(x, y)
    out = intercept + slope * q_end
    linear = krs["metric_code"].to_numpy() <= 1
    enough = (points >= 2) & (span >= min_days)
    running = (today < q_end) & np.isfinite(q_end)
    out = np.where(enough & np.isfinite(out), out, np.nan)
    return np.where(linear, np.where(running, out, current), np.nan)


def _latest_matrix(h: Checkins, count: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Day and value of each KR's last ``n`` check-ins, right-aligned in (count × n), NaN-padded."""
    x = np.full((count, n), np.nan)
    y = np.full((count, n), np.nan)
    if len(h.k) == 0:
        return x, y
    ends = np.flatnonzero(h.last)
    group = np.cumsum(np.r_[True, h.k[1:] != h.k[:-1]]) - 1
    back = ends[group] - np.arange(len(h.k))  # 0 on the latest check-in
    sel = back < n
    col = n - 1 - back[sel]
    day = h.day.astype(float)
    if h.measured is not None:  # a check-in without a value is no point of the trend
        day = np.where(h.measured, day, np.nan)
    x[h.k[sel], col] = day[sel]
    y[h.k[sel], col] = h.value[sel]
    return x, y


def _slope_intercept(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise Theil–Sen slope (median pairwise slope) and intercept; NaN where undefined."""
    i, j = np.triu_indices(x.shape[1], 1)
    dx = x[:, j] - x[:, i]
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = np.where(dx > 0, (y[:, j] - y[:, i]) / dx, np.nan)
    slope = _row_nanmedian(slopes)
    intercept = _row_nanmedian(y - slope[:, None] * x)
    return slope, intercept


def _row_nanmedian(a: np.ndarray) -> np.ndarray:
    """Median of each row ignoring NaN (NaN for an all-NaN row); faster than ``np.nanmedian``."""
    ordered = np.sort(a, axis=1)  # NaN sort last
    count = (~np.isnan(a)).sum(axis=1)
    rows = np.arange(len(a))
    lo = ordered[rows, np.maximum(count - 1, 0) // 2]
    hi = ordered[rows, np.minimum(count // 2, a.shape[1] - 1)]
    return np.where(count > 0, (lo + hi) / 2, np.nan)
