"""The coaches' triage and "what changed this week" in the app, through AppTest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from okrdata import triage, views
from okrdata.model import export_day

pytestmark = pytest.mark.slow  # AppTest: make test, not the check loop

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def store_path(store_path, monkeypatch):
    """The shared empty store (the app shows the sample), with a coach as the user."""
    monkeypatch.setenv("USER", "coach")
    return store_path


def signals_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    return at.switch_page("pages/signals.py").run()


def rows(at: AppTest) -> pd.DataFrame:
    """Every signal row the page lists (the table in the last expander)."""
    return at.dataframe[-1].value


def counts(at: AppTest) -> str:
    """The sentence counting the signals, teams, new and handled ones."""
    return next(c.value for c in at.caption if " acknowledged or snoozed " in c.value)


def expander(at: AppTest, team: str):
    return next(e for e in at.expander if e.label.startswith(f"{team} ("))


def test_signals_are_grouped_by_team_with_new_counts(store_path, sample):
    at = signals_page()
    assert not at.exception
    b = views.base(sample, None, None, today=export_day(sample.checkins))
    prev = views.base(sample, b.quarter, views.week_before(b))
    tv = views.triage_view(b, prev, views.Filters(b.quarter), triage.Triage(
        triage.path_for()).current())  # fmt: skip
    teams = at.dataframe[0].value
    assert teams.columns.tolist() == ["department", "team", "high", "warn", "info", "new",
                                      "strongest"]  # fmt: skip
    assert teams["team"].tolist() == tv.teams["team"].tolist()
    assert teams["new"].sum() == tv.n_new > 0
    n, n_teams = len(b.found), b.found["team"].nunique()
    assert (
        f"{n} signals in {n_teams} teams; {tv.n_new} new since 09 Nov 2026; 0 acknowledged"
        in counts(at)
    )
    assert expander(at, "Demand Gen").label == "Demand Gen (Marketing): 13 high, 1 warn · 2 new"


def test_acknowledge_with_a_note_hides_the_row_and_is_stored(store_path):
    at = signals_page()
    before = rows(at)
    kr = next(k for k in before.loc[before["team"] == "Brand", "kr_id"])
    at.text_input(key="note-Brand").input("Talked on Monday: a new pricing test")
    at.button(key="acknowledge-Brand").click().run()
    assert not at.exception
    after = rows(at)
    assert len(after) == len(before) - 1
    assert not ((after["team"] == "Brand") & (after["kr_id"] == kr)).any()
    assert "1 acknowledged or snoozed (hidden)" in counts(at)
    assert expander(at, "Brand").label == "Brand (Marketing): 12 warn"
    cur = triage.Triage(store_path.parent / triage.FILE_NAME).current()
    assert cur[["signal", "team", "kr_id", "action", "note", "by_user"]].values.tolist() == [
        ["off_track", "Brand", kr, "acknowledge", "Talked on Monday: a new pricing test", "coach"]
    ]
    at.toggle(key="show_handled").set_value(True).run()
    shown = rows(at).set_index(["team", "kr_id", "signal"])
    assert shown.loc[("Brand", kr, "off track"), "triage"] == (
        f"acknowledged by coach on {dt.date.today():%d %b %Y}: Talked on Monday: a new pricing test"
    )


def test_snooze_hides_until_the_date_and_worse_evidence_brings_rows_back(store_path):
    at = signals_page()
    solutions = rows(at)[lambda r: r["team"] == "Solutions"].iloc[0]
    at.date_input(key="until-Solutions").set_value(dt.date(2026, 12, 15))
    at.button(key="snooze-Solutions").click().run()
    brand = rows(at)[lambda r: r["team"] == "Brand"].iloc[0]
    at.button(key="acknowledge-Brand").click().run()
    assert not at.exception
    cur = triage.Triage(store_path.parent / triage.FILE_NAME).current().set_index("team")
    assert cur.loc["Solutions", "snoozed_until"] == pd.Timestamp("2026-12-15")
    assert cur.loc["Solutions", "kr_id"] == solutions["kr_id"]

    def state(team: str, kr: str, signal: str) -> tuple[str, str]:
        r = rows(at).set_index(["team", "kr_id", "signal"]).loc[(team, kr, signal)]
        return r["state"], r["triage"]

    at.toggle(key="show_handled").set_value(True).run()
    assert state("Brand", brand["kr_id"], "off track")[0] == "acknowledged"
    assert state("Solutions", solutions["kr_id"], solutions["signal"])[0] == "snoozed"
    # two days on, without check-ins, Brand's KR is 0.02 further behind: still handled
    at.date_input(key="as_of").set_value(dt.date(2026, 11, 18)).run()
    assert state("Brand", brand["kr_id"], "off track")[0] == "acknowledged"
    assert state("Solutions", solutions["kr_id"], solutions["signal"])[0] == "snoozed"
    # two weeks on both are 0.15 further behind pace: back before the snooze ends
    at.date_input(key="as_of").set_value(dt.date(2026, 11, 30)).run()
    worse = f"back: worse than when handled by coach on {dt.date.today():%d %b %Y}"
    assert state("Brand", brand["kr_id"], "off track") == ("back", worse)
    assert state("Solutions", solutions["kr_id"], solutions["signal"]) == ("back", worse)
    at.toggle(key="show_handled").set_value(False).run()
    shown = rows(at)
    assert ((shown["team"] == "Brand") & (shown["kr_id"] == brand["kr_id"])).any()


def test_overview_shows_what_changed_this_week(store_path, sample):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    b = views.base(sample, None, None, today=export_day(sample.checkins))
    ch = views.changes(
        b, views.base(sample, b.quarter, views.week_before(b)), views.Filters(b.quarter)
    )
    shown = {m.label: m.value for m in at.metric}
    assert {k: shown[k] for k in ch.headline} == ch.headline == {
        "Key results that moved": "1", "Teams that checked in": "25 of 26",
        "New signals": "17", "Resolved signals": "0",
    }  # fmt: skip
    assert "From 09 Nov 2026 to 16 Nov 2026." in [c.value for c in at.caption]
    moved = next(e for e in at.expander if e.label == "Key results that moved status")
    assert moved.dataframe[0].value[["team", "before", "now"]].values.tolist() == [
        ["Demand Gen", "▲ at risk", "✕ off track"]  # the status moves, in words
    ]  # fmt: skip


def test_the_teams_table_is_capped_like_every_table(store_path, monkeypatch):
    from pages import widgets

    monkeypatch.setattr(widgets, "MAX_ROWS", 3)  # a company with more teams than a screenful
    at = signals_page()
    assert not at.exception
    assert len(at.dataframe[0].value) == 3
    assert any(c.value.startswith("Showing the first 3 of ") for c in at.caption)
