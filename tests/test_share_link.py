"""A shared link always carries the quarter and the day it was made for; opening it later shows
exactly that view, with a one-click "See today" beside it (AppTest on the bundled sample)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from okrdata import views

pytestmark = pytest.mark.slow  # AppTest: make test, not the check loop

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query or {})
    return at.run()


def param(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


def default_view(sample) -> tuple[str, dt.date]:
    opts = views.options(sample)
    return opts.default_quarter, opts.default_as_of.date()


def test_the_url_carries_the_quarter_and_day_even_when_nothing_was_changed(store_path, sample):
    at = app()
    quarter, day = default_view(sample)
    assert (param(at, "quarter"), param(at, "as_of")) == (quarter, day.isoformat())
    assert not at.sidebar.button  # the view is today's: nothing to go back to
    at.session_state["_drill"] = {"department": "Sales", "team": None}  # a department's bar
    at.run()
    assert (param(at, "quarter"), param(at, "as_of"), param(at, "department")) == (
        quarter, day.isoformat(), "Sales")  # fmt: skip


def test_a_link_opens_on_its_quarter_and_day_and_see_today_goes_back(store_path, sample):
    at = app({"quarter": "2026-Q3", "as_of": "2026-08-15"})
    assert not at.exception
    assert at.selectbox(key="quarter").value == "2026-Q3"
    assert at.date_input(key="as_of").value == dt.date(2026, 8, 15)
    assert at.caption[0].value.startswith("2026-Q3, as of 15 Aug 2026")
    n = len(sample.objectives.query("quarter == '2026-Q3'"))
    assert next(m.value for m in at.metric if m.label == "Objectives") == f"{n:,}"
    at = at.switch_page("pages/team.py").run()  # moving between pages keeps the view
    assert (param(at, "quarter"), param(at, "as_of")) == ("2026-Q3", "2026-08-15")
    at.sidebar.button(key="see_today").click().run()
    quarter, day = default_view(sample)
    assert at.selectbox(key="quarter").value == quarter
    assert at.date_input(key="as_of").value == day
    assert (param(at, "quarter"), param(at, "as_of")) == (quarter, day.isoformat())
    assert not at.sidebar.button


def test_a_link_to_a_quarter_the_data_does_not_hold_opens_today(store_path, sample):
    at = app({"quarter": "1999-Q1", "as_of": "not a day"})
    assert not at.exception
    quarter, day = default_view(sample)
    assert at.selectbox(key="quarter").value == quarter
    assert at.date_input(key="as_of").value == day
