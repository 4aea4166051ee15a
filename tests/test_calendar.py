"""Quarter labels, their days and day numbers (``okrdata.calendar``)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from okrdata.calendar import day_number, elapsed_fraction, quarter_bounds, quarter_of


def test_day_numbers_count_whole_days_since_1970_whatever_the_time_of_day():
    days = day_number(
        pd.to_datetime(["1970-01-01", "1970-01-02 23:59", "2026-09-30 12:00"], format="ISO8601")
    )
    assert days.tolist() == [0, 1, (date(2026, 9, 30) - date(1970, 1, 1)).days]
    assert days.dtype == np.int64


def test_a_missing_date_is_a_day_number_before_any_real_one():
    earliest = day_number([pd.Timestamp.min])[0]  # 21 Sep 1677
    assert day_number(pd.to_datetime(["2026-07-01", None]))[1] < earliest


@pytest.mark.parametrize(
    ("label", "fiscal_start", "first", "last"),
    [
        ("2026-Q3", 1, "2026-07-01", "2026-09-30"),
        ("2026-Q1", 2, "2026-02-01", "2026-04-30"),
        ("2026-Q4", 4, "2027-01-01", "2027-03-31"),
    ],
)
def test_a_quarter_runs_from_its_first_to_its_last_day(label, fiscal_start, first, last):
    assert quarter_bounds(label, fiscal_start) == (pd.Timestamp(first), pd.Timestamp(last))
    assert quarter_of(pd.Timestamp(last), fiscal_start) == label


def test_the_share_of_a_quarter_passed_counts_the_as_of_day_and_stays_within_0_and_1():
    assert elapsed_fraction("2026-Q3", pd.Timestamp("2026-08-26")) == pytest.approx(57 / 92)
    assert elapsed_fraction("2026-Q3", pd.Timestamp("2026-06-01")) == 0.0
    assert elapsed_fraction("2026-Q3", pd.Timestamp("2027-01-01")) == 1.0
