"""The pages write numbers and dates one way (README "How numbers and dates are written"):
shares as ``51%``, days as ``16 Nov 2026``, through AppTest on the bundled sample."""

from __future__ import annotations

import re

import pytest

from okrdata.model import export_day
from tests.test_app import app, open_page

pytestmark = pytest.mark.slow

# ISO days, "51 %", a score, pace or confidence as 0.51 (a key result's value may be 0.61)
OLD_WAYS = re.compile(r"\d{4}-\d\d-\d\d|\d %|(score|expected|confidence|fell from) \d\.\d\d")


def test_the_overview_says_the_day_and_the_pace_the_one_way(store_path, sample):
    at = app()
    day = export_day(sample.checkins)  # the sample reads as of its own last check-in
    caption = at.caption[0].value
    assert caption.startswith(f"2026-Q4, as of {day.day:02d} {day:%b} {day.year}: ")
    assert re.search(r": \d{1,3}% of the quarter has passed", caption), caption


def test_signal_evidence_on_the_page_reads_percent_and_days(store_path):
    at = open_page(app(), "signals")
    rows = at.dataframe[-1].value  # every signal row, below the teams
    evidence = rows["evidence"].tolist()
    assert evidence and [e for e in evidence if OLD_WAYS.search(e)] == []
    assert any(re.search(r"\d+% of the quarter", e) for e in evidence)
    assert any(re.search(r"\(last on \d\d [A-Z][a-z]{2} 20\d\d\)", e) for e in evidence)
