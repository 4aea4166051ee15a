"""The end-of-quarter forecast (``okrdata.forecast``) on check-ins given as plain arrays.

The forecast reads check-ins through its ``Checkins`` protocol, not through ``metrics``: any
object with the arrays will do, so these tests build one by hand (rules in the README,
"Computation"; the same rules through ``metrics.kr_progress`` are in ``test_metrics.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from okrdata.calendar import day_number
from okrdata.forecast import theil_sen

AS_OF = pd.Timestamp("2026-08-20")
START = int(day_number([pd.Timestamp("2026-07-01")])[0])
END = float(day_number([pd.Timestamp("2026-09-30")])[0])


@dataclass(frozen=True)
class Points:
    k: np.ndarray
    day: np.ndarray
    value: np.ndarray
    last: np.ndarray
    measured: np.ndarray | None = None


def points(rows: list[tuple[int, int, float]]) -> Points:
    """(KR row, days after 1 Jul, value), sorted by KR and day as ``metrics.History`` is."""
    k = np.array([r[0] for r in rows])
    last = np.r_[k[1:] != k[:-1], True]
    day = np.array([START + r[1] for r in rows], dtype=np.int64)
    return Points(k, day, np.array([r[2] for r in rows], float), last)


def krs(codes: list[int], current: list[float], q_end: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"metric_code": codes, "current_value": current, "q_end": q_end})


def test_one_outlier_moves_the_trend_little_and_it_runs_to_the_quarters_last_day():
    rows = [(0, d, float(d)) for d in (0, 10, 20, 30, 50)] + [(0, 40, 400.0)]
    rows.sort(key=lambda r: r[1])
    fc = theil_sen(krs([0], [50.0], [END]), points(rows), AS_OF)
    assert fc[0] == pytest.approx(END - START)  # +1 a day from 0 on 1 Jul: 91 on 30 Sep


@pytest.mark.parametrize(
    ("code", "rows", "why"),
    [
        (1, [(0, 40, 80.0), (0, 43, 70.0)], "two check-ins 3 days apart say nothing of a trend"),
        (0, [(0, 40, 80.0)], "one check-in is no trend"),
        (2, [(0, 0, 0.0), (0, 30, 1.0)], "a binary KR is not forecast"),
    ],
)
def test_no_forecast_without_a_trend_or_for_a_kr_that_is_not_linear(code, rows, why):
    fc = theil_sen(krs([code], [rows[-1][2]], [END]), points(rows), AS_OF)
    assert np.isnan(fc[0]), why


def test_a_quarter_already_over_forecasts_its_value_and_only_the_last_n_checkins_count():
    over = float(day_number([pd.Timestamp("2026-06-30")])[0])
    early = [(0, d, 1000.0 - d) for d in (0, 1, 2)]  # falling, then rising: n=3 sees the rise
    late = [(0, d, float(d)) for d in (30, 40, 50)]
    rows = [*early, *late, (1, 0, 5.0), (1, 20, 9.0)]
    fc = theil_sen(krs([0, 0], [50.0, 9.0], [END, over]), points(rows), AS_OF, n=3)
    assert fc[0] == pytest.approx(END - START) and fc[1] == 9.0
