"""Conversations this week (``okrdata.conversations``): the few teams a coach talks to first,
chosen by severity, novelty and breadth, each in one sentence that names its key results; one
action handles all of a team's open signals."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from okrdata import conversations, triage, views
from okrdata.model import export_day


def signal(team: str, severity: str, kind: str, title: str, *, new: bool = False,
           evidence: str = "Evidence.") -> dict:  # fmt: skip
    return {"team": team, "department": "D", "severity": severity, "signal": kind, "new": new,
            "evidence": evidence, "title": title, "kr_id": f"{team}-{title}",
            "objective_id": f"O-{team}"}  # fmt: skip


def test_teams_are_chosen_by_severity_then_novelty_then_breadth():
    found = pd.DataFrame([
        # Low: one info signal only
        signal("Low", "info", "overload", "Focus"),
        # Broad: high, no new, two kinds
        signal("Broad", "high", "off_track", "Revenue"),
        signal("Broad", "warn", "stale_checkins", "Churn"),
        # Fresh: high, one new, one kind
        signal("Fresh", "high", "off_track", "Pipeline", new=True),
        # Many: high, no new, one kind, three signals (breadth 1 < Broad's 2)
        signal("Many", "high", "stale_checkins", "A"),
        signal("Many", "high", "stale_checkins", "B"),
        signal("Many", "high", "stale_checkins", "C"),
        # Warn: warn only, two new
        signal("Warn", "warn", "stale_checkins", "X", new=True),
        signal("Warn", "warn", "stale_checkins", "Y", new=True),
    ])  # fmt: skip
    talk = conversations.pick(found, limit=10)
    # high first (Fresh has a new one; Broad two kinds; Many one kind), then warn, then info
    assert talk["team"].tolist() == ["Fresh", "Broad", "Many", "Warn", "Low"]
    assert talk.set_index("team").loc["Many", ["strongest", "signals", "new", "kinds"]].tolist() == [
        "high", 3, 0, 1]  # fmt: skip
    assert conversations.pick(found, limit=2)["team"].tolist() == ["Fresh", "Broad"]
    assert conversations.pick(found.iloc[0:0]).empty


def test_a_sentence_names_the_first_goal_with_its_evidence_and_counts_the_rest():
    rows = pd.DataFrame([
        signal("Web", "high", "off_track", "Book 40 demos", evidence="Score 10% at 51% of the quarter."),
        signal("Web", "high", "watermelon", "Book 40 demos", evidence="Reported on track."),
        signal("Web", "warn", "stale_checkins", "Cut churn", evidence="No check-in for 28 days."),
        signal("Web", "warn", "stale_checkins", "Hire", evidence="No check-in for 30 days."),
    ])  # fmt: skip
    assert conversations.sentence(rows) == (
        "Book 40 demos: score 10% at 51% of the quarter; 3 more signals on 2 other goals."
    )
    assert conversations.sentence(rows.iloc[[2, 3]]) == (
        "Cut churn: no check-in for 28 days; 1 more signal on Hire."
    )
    assert conversations.sentence(rows.iloc[[0, 1]]) == (
        "Book 40 demos: score 10% at 51% of the quarter; 1 more signal."
    )


@pytest.fixture
def coach(store_path, monkeypatch):
    monkeypatch.setenv("USER", "coach")
    return store_path


def test_on_the_sample_every_sentence_names_the_key_results_by_title(coach, sample):
    b = views.base(sample, None, None, today=export_day(sample.checkins))
    prev = views.base(sample, b.quarter, views.week_before(b))
    tv = views.triage_view(b, prev, views.Filters(b.quarter), triage.Triage(
        triage.path_for()).current())  # fmt: skip
    talk = conversations.pick(tv.signals, 10)
    assert len(talk) == 10 < tv.signals["team"].nunique()
    titles = set(sample.key_results["key_result"]) | set(sample.objectives["objective"])
    ids = set(sample.key_results["kr_id"]) | set(sample.objectives["objective_id"])
    for team, text in zip(talk["team"], talk["sentence"], strict=True):
        mine = tv.signals[tv.signals["team"] == team]
        rank = mine["severity"].map({"high": 0, "warn": 1, "info": 2})
        first = mine.assign(_r=rank, _old=~mine["new"].astype(bool)).sort_values(
            ["_r", "_old"], kind="stable").iloc[0]  # the most severe, a new one first  # fmt: skip
        title = first["title"] if pd.notna(first["title"]) else "the team"
        assert title in titles | {"the team"}
        assert text.startswith(f"{title}: "), (team, text)
        assert not any(i in text for i in ids), text  # goals by title, never by id
    assert talk["strongest"].iloc[0] == "high"


def test_discussed_with_the_team_handles_all_its_open_signals_with_one_note(coach, sample):
    b = views.base(sample, None, None, today=export_day(sample.checkins))
    prev = views.base(sample, b.quarter, views.week_before(b))
    store = triage.Triage(triage.path_for())
    tv = views.triage_view(b, prev, views.Filters(b.quarter), store.current())
    team = conversations.pick(tv.signals, 10)["team"].iloc[0]
    mine = tv.signals[tv.signals["team"] == team]
    n = conversations.discuss(store, mine, "coach", "Talked on Monday")
    assert n == len(mine.drop_duplicates(["signal", "objective_id", "kr_id"]))
    after = views.triage_view(b, prev, views.Filters(b.quarter), store.current())
    assert team not in set(after.signals["team"])
    assert after.n_hidden == len(mine)
    assert set(store.current()["note"]) == {"Talked on Monday"}


def test_the_page_model_opens_a_panel_per_listed_team_and_one_action_per_identity():
    signals = pd.DataFrame([
        {**signal("Web", "high", "off_track", "Grow"), "state": "open", "quarter": "2026-Q4"},
        # the same identity twice (a KR listed under two objectives' rows): one action
        {**signal("Web", "high", "off_track", "Grow"), "state": "open", "quarter": "2026-Q4"},
        {**signal("Web", "warn", "stale_checkins", "Ship", new=True), "state": "acknowledged",
         "quarter": "2026-Q4"},
        *[{**signal(f"T{i:02d}", "warn", "stale_checkins", "X"), "state": "open",
           "quarter": "2026-Q4"} for i in range(13)],
    ]).assign(question="Q?", triage="")  # fmt: skip
    teams = pd.DataFrame({"team": ["Web", *[f"T{i:02d}" for i in range(13)]],
                          "department": "D", "high": [2] + [0] * 13, "warn": 1, "info": 0,
                          "new": [1] + [0] * 13})  # fmt: skip
    tv = views.TriageView(teams, signals, n_hidden=1, n_new=1, since=pd.Timestamp("2026-09-30"))
    page = conversations.page(tv, limit=3)
    assert len(page.panels) == conversations.PANELS == 12
    web = page.panels[0]
    assert web.title == "Web (D): 2 high, 1 warn · 1 new"
    assert len(web.evidence) == 3 and web.evidence["handled"].tolist() == ["", "", "✓ handled"]
    assert len(web.rows) == 2 and web.rows.index.is_unique  # one per signal identity
    assert list(web.labels.values()) == ["Web · Grow · Evidence.", "Web · Ship · Evidence."]
    assert page.open["state"].eq("open").all() and len(page.open) == 15
    assert page.talks["team"].tolist() == conversations.pick(page.open, 3)["team"].tolist()
    assert conversations.summary(tv, show_hidden=False) == (
        "16 signals in 14 teams; 1 new since 30 Sep 2026; 1 acknowledged or snoozed (hidden)."
    )


@pytest.mark.slow
def test_the_signals_page_starts_with_the_conversations_of_the_week(coach):
    app = str(Path(__file__).resolve().parents[1] / "app.py")
    at = AppTest.from_file(app, default_timeout=120).run()
    at = at.switch_page("pages/signals.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value == "Conversations this week"
    talks = [m.value for m in at.markdown if m.value.startswith("**✕ high · ")]
    assert 1 <= len(talks) <= 10
    first = talks[0].split("**")[1].split(" · ", 1)[1]
    note = next(t for t in at.text_input if t.key == f"talk-note-{first}")
    note.input("Agreed a new pace")
    next(b for b in at.button if b.label.startswith(f"Discussed with {first}:")).click().run()
    assert not at.exception
    handled = triage.Triage(triage.path_for()).current()
    assert set(handled["team"]) == {first} and set(handled["note"]) == {"Agreed a new pace"}
    again = [m.value for m in at.markdown if m.value.startswith("**")]
    assert not any(f"· {first}**" in t for t in again)


@pytest.mark.slow
def test_one_kind_of_signal_is_handled_at_once(coach):
    app = str(Path(__file__).resolve().parents[1] / "app.py")
    at = AppTest.from_file(app, default_timeout=120).run()
    at = at.switch_page("pages/signals.py").run()
    at.selectbox(key="bulk-kind").set_value("stale_checkins")
    at.text_input(key="bulk-note").input("Quiet weeks: asked in the all-hands")
    next(b for b in at.button if b.label.startswith("Acknowledge every open signal")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    handled = triage.Triage(triage.path_for()).current()
    assert set(handled["signal"]) == {"stale_checkins"} and len(handled) > 1
    kinds = set(at.dataframe[-1].value["signal"])  # the rows still shown: handled ones are not
    assert kinds and not kinds & {"stale checkins", "stale_checkins"}, kinds


@pytest.mark.slow
def test_a_triage_that_cannot_be_written_is_said_not_a_crash(coach, monkeypatch):
    # a read-only, full or busy triage file: the one sentence, the page still drawn
    def refuse(*_args, **_kwargs):
        raise triage.TriageError("The triage file cannot be written: the folder is read-only.")

    app = str(Path(__file__).resolve().parents[1] / "app.py")
    at = AppTest.from_file(app, default_timeout=120).run()
    at = at.switch_page("pages/signals.py").run()
    monkeypatch.setattr(triage.Triage, "record", refuse)
    first = next(b for b in at.button if b.label.startswith("Discussed with "))
    first.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        "The triage file cannot be written: the folder is read-only."
    ]
