"""Triage for coaches: new since a week earlier, acknowledge / snooze / reopen, worse evidence."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from okrdata import triage, views
from okrdata.cli import main
from okrdata.ingest import load_dir
from okrdata.model import export_day
from okrdata.signals import compute_signals
from okrdata.snapshot import build
from okrdata.store import Store
from tests.builders import AS_OF, Q, company, pace

WEEK = triage.WEEK


def found_at(ds, day: pd.Timestamp) -> tuple[pd.DataFrame, object]:
    """The signals as of ``day`` with their evidence numbers, and the snapshot."""
    snap = build(ds, Q, day)
    found = compute_signals(snap)
    return found.assign(evidence_number=triage.evidence_numbers(snap, found)), snap


def row(found: pd.DataFrame, signal: str, team: str) -> pd.Series:
    return found[(found["signal"] == signal) & (found["team"] == team)].iloc[0]


@pytest.fixture
def log(tmp_path) -> triage.Triage:
    return triage.Triage(tmp_path / triage.FILE_NAME)


def turning():
    """The builder company plus a team whose KR drops off track in the last week, and Silent
    checking in again on the as-of day."""
    c = company().team("Turning")
    c.objective("T1", "Turning").kr(
        "T1-1", "T1", pace(0.85)[:8] + [5.0], conf=0.5, status=["on_track"] * 8 + ["off_track"]
    )
    c.checkins.append(dict(kr_id="S1-1", date=AS_OF, value=60.0, confidence=0.7,
                           status="on_track", author="Alan Turing"))  # fmt: skip
    return c.dataset()


# identity, new and resolved -----------------------------------------------------------------


def frame(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=triage.KEY, dtype="string")


def test_a_signal_is_new_when_its_identity_was_not_found_a_week_earlier():
    now = frame(("off_track", "A", "O1", "K1"), ("off_track", "A", "O1", "K2"),
                ("overload", "B", None, None))  # fmt: skip
    before = frame(("off_track", "A", "O1", "K1"), ("overload", "B", None, None),
                   ("stale_checkins", "C", "O3", "K3"))  # fmt: skip
    assert triage.new_since(now, before).tolist() == [False, True, False]
    assert triage.resolved(now, before).values.tolist() == [["stale_checkins", "C", "O3", "K3"]]


def test_new_and_resolved_on_a_week_of_hand_built_data():
    ds = turning()
    now, _ = found_at(ds, AS_OF)
    before, _ = found_at(ds, AS_OF - WEEK)
    new = now[triage.new_since(now, before).to_numpy(bool)]
    assert new[["signal", "team", "kr_id"]].values.tolist() == [["off_track", "Turning", "T1-1"]]
    gone = triage.resolved(now, before)
    assert gone[["signal", "team", "kr_id"]].values.tolist() == [
        ["stale_checkins", "Silent", "S1-1"]
    ]


# evidence numbers and the triage of a list ---------------------------------------------------


def test_evidence_numbers_per_kind():
    found, _ = found_at(company().dataset(), AS_OF)
    numbers = {
        (r.signal, r.team, r.objective_id if pd.notna(r.objective_id) else ""): r.evidence_number
        for r in found.itertuples()
    }
    assert numbers[("off_track", "Lagging", "L1")] == pytest.approx(0.5195652, abs=1e-6)
    assert numbers[("watermelon", "Melon", "W1")] == pytest.approx(0.5195652, abs=1e-6)
    assert numbers[("stale_checkins", "Silent", "S1")] == 28
    assert numbers[("declining_confidence", "Doubt", "D1")] == pytest.approx(0.6)
    assert numbers[("overload", "Busy", "")] == 6  # objectives of the team
    assert numbers[("overload", "Busy", "U0")] == 6  # key results of the objective
    assert pd.isna(numbers[("sandbagging", "Sandbag", "")])


def test_by_team_counts_severities_new_and_names_the_strongest_signal():
    found, _ = found_at(company().dataset(), AS_OF)
    found = found.assign(new=found["team"] == "Busy")
    teams = triage.by_team(found)
    assert teams.columns.tolist() == ["department", "team", "high", "warn", "info", "new",
                                      "strongest"]  # fmt: skip
    assert teams["team"].tolist()[:3] == ["Melon", "Lagging", "Sandbag"]
    busy = teams.set_index("team").loc["Busy"]
    assert (busy["high"], busy["warn"], busy["info"], busy["new"]) == (0, 2, 0, 2)
    assert busy["strongest"] == "warn · overload: 6 objectives this quarter (more than 5)."
    names = teams["strongest"].str.split(":").str[0]  # "severity · signal", the name in words
    assert names.str.contains(" off track").any() and not names.str.contains("_").any()


def test_acknowledged_and_snoozed_signals_are_hidden_and_say_by_whom(log):
    found, snap = found_at(company().dataset(), AS_OF)
    at = pd.Timestamp("2026-08-26 09:30")
    log.record(row(found, "off_track", "Lagging"), "acknowledge", "coach@example.com",
               note="  Talked on Monday ", at=at)  # fmt: skip
    log.record(row(found, "stale_checkins", "Silent"), "snooze", "coach@example.com",
               until=pd.Timestamp("2026-09-02"), at=at)  # fmt: skip
    out = triage.apply(found, log.current(), AS_OF, 14).set_index(["signal", "team"])
    assert out.loc[("off_track", "Lagging"), ["state", "hidden", "triage"]].tolist() == [
        "acknowledged",
        True,
        "acknowledged by coach@example.com on 26 Aug 2026: Talked on Monday",
    ]
    assert out.loc[("stale_checkins", "Silent"), ["state", "hidden", "triage"]].tolist() == [
        "snoozed",
        True,
        "snoozed until 02 Sep 2026 by coach@example.com on 26 Aug 2026",
    ]
    assert out["hidden"].sum() == 2 and set(out.loc[~out["hidden"], "state"]) == {"open"}


def test_a_snoozed_signal_comes_back_on_its_date(log):
    ds = company().dataset()
    found, _ = found_at(ds, AS_OF)
    log.record(row(found, "declining_confidence", "Doubt"), "snooze", "c",
               until=pd.Timestamp("2026-09-02"))  # fmt: skip
    for day, state in [(AS_OF, "snoozed"), (pd.Timestamp("2026-09-01"), "snoozed"),
                       (pd.Timestamp("2026-09-02"), "back")]:  # fmt: skip
        later, _ = found_at(ds, day)
        out = triage.apply(later, log.current(), day, 14)
        assert row(out, "declining_confidence", "Doubt")["state"] == state, day
    assert row(out, "declining_confidence", "Doubt")["triage"] == "back: snoozed until 02 Sep 2026"


def test_a_handled_signal_comes_back_early_when_its_severity_rises(log):
    ds = company().dataset()
    week_before, _ = found_at(ds, AS_OF - WEEK)
    assert row(week_before, "off_track", "Lagging")["severity"] == "warn"
    log.record(row(week_before, "off_track", "Lagging"), "snooze", "c",
               until=pd.Timestamp("2026-09-30"), at=pd.Timestamp("2026-08-19"))  # fmt: skip
    now, _ = found_at(ds, AS_OF)  # 0.52 behind pace: high
    out = row(triage.apply(now, log.current(), AS_OF, 14), "off_track", "Lagging")
    assert (out["state"], out["hidden"]) == ("back", False)
    assert out["triage"] == "back: worse than when handled by c on 19 Aug 2026"


def test_a_handled_signal_comes_back_when_it_falls_ten_more_points_behind_pace(log):
    ds = company().dataset()
    now, _ = found_at(ds, AS_OF)  # 0.520 behind pace, already high
    log.record(row(now, "off_track", "Lagging"), "acknowledge", "c", note="plan agreed")
    states = []
    for day in (AS_OF + WEEK, AS_OF + 2 * WEEK):  # 0.596 (+0.076), then 0.672 (+0.152)
        later, _ = found_at(ds, day)
        states.append(
            row(triage.apply(later, log.current(), day, 14), "off_track", "Lagging")["state"]
        )
    assert states == ["acknowledged", "back"]


def test_days_without_check_in_come_back_after_another_stale_period(log):
    ds = company().dataset()
    now, _ = found_at(ds, AS_OF - WEEK)  # Silent: 21 days without a check-in, warn
    log.record(row(now, "stale_checkins", "Silent"), "acknowledge", "c")
    later, _ = found_at(ds, AS_OF)  # 28 days: high, severity rose
    assert (
        row(triage.apply(later, log.current(), AS_OF, 14), "stale_checkins", "Silent")["state"]
        == "back"
    )
    log.record(row(later, "stale_checkins", "Silent"), "acknowledge", "c")
    for day, state in [(AS_OF + WEEK, "acknowledged"), (AS_OF + 2 * WEEK, "back")]:
        f, _ = found_at(ds, day)
        assert (
            row(triage.apply(f, log.current(), day, 14), "stale_checkins", "Silent")["state"]
            == state
        )


# the triage file -------------------------------------------------------------------------------


def test_the_latest_action_wins_and_reopen_clears_it(log):
    found, _ = found_at(company().dataset(), AS_OF)
    r = row(found, "no_okrs", "Ghost")
    log.record(r, "acknowledge", "a", note="first", at=pd.Timestamp("2026-08-20"))
    log.record(r, "acknowledge", "b", note="second", at=pd.Timestamp("2026-08-21"))
    cur = log.current()
    assert cur[["quarter", "signal", "team", "objective_id", "kr_id", "action", "note",
                "severity", "by_user"]].values.tolist() == [
        ["2026-Q3", "no_okrs", "Ghost", "", "", "acknowledge", "second", "warn", "b"]
    ]  # fmt: skip
    assert cur["recorded_at"].tolist() == [pd.Timestamp("2026-08-21")]
    log.record(r, "reopen", "c")
    assert log.current().empty
    assert log.history()["action"].tolist() == ["reopen", "acknowledge", "acknowledge"]


@pytest.mark.parametrize(
    "action, until, message",
    [("delete", None, "unknown triage action: 'delete'"),
     ("snooze", None, "a snooze needs a date to end")],
)  # fmt: skip
def test_bad_actions_are_refused(log, action, until, message):
    found, _ = found_at(company().dataset(), AS_OF)
    with pytest.raises(ValueError) as exc:
        log.record(found.iloc[0], action, "c", until=until)
    assert str(exc.value) == message
    assert log.history().empty


def test_notes_are_stored_as_given_never_as_sql(log):
    found, _ = found_at(company().dataset(), AS_OF)
    note = "'); drop table triage_actions; --"
    log.record(found.iloc[0], "acknowledge", "c", note=note)
    assert log.current()["note"].tolist() == [note]


def test_the_triage_file_lives_beside_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("OKR_DB", str(tmp_path / "store" / "okr.duckdb"))
    assert triage.path_for() == tmp_path / "store" / "triage.sqlite"
    assert triage.path_for(tmp_path / "x.duckdb") == tmp_path / "triage.sqlite"


def test_who_is_the_email_else_the_user_else_anonymous(monkeypatch):
    assert triage.who("coach@example.com") == "coach@example.com"
    monkeypatch.setenv("USER", "pat")
    assert triage.who(None) == "pat"


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_triage_survives_imports_and_restores(tmp_path):
    store = Store(tmp_path / "okr.duckdb")
    try:
        store.import_files(["sample_data"])
        log = triage.Triage(triage.path_for(store.path))
        snap = build(store.dataset(), "2026-Q3")
        found = compute_signals(snap)
        log.record(found.iloc[0], "acknowledge", "c", note="kept")
        okrs = pd.read_csv("sample_data/okrs.csv", dtype=str, keep_default_na=False)
        okrs[okrs["quarter"] == "2026-Q3"].to_csv(tmp_path / "okrs.csv", index=False)
        store.import_files([tmp_path / "okrs.csv"])  # batch 2 replaces 2026-Q3
        store.restore(1)
        assert len(store.history()) == 2
        assert log.current()["note"].tolist() == ["kept"]
    finally:
        store.close()


# views -----------------------------------------------------------------------------------------


def test_triage_view_groups_by_team_and_hides_handled_rows(log):
    ds = turning()
    b = views.base(ds, Q, AS_OF)
    prev = views.base(ds, Q, views.week_before(b))
    f = views.Filters(Q)
    tv = views.triage_view(b, prev, f, log.current())
    assert tv.n_new == 1 and tv.n_hidden == 0 and tv.since == pd.Timestamp("2026-08-19")
    assert tv.teams.set_index("team").loc["Turning", ["high", "warn", "new"]].tolist() == [
        1, 0, 1
    ]  # fmt: skip
    log.record(row(tv.signals, "off_track", "Turning"), "acknowledge", "c")
    after = views.triage_view(b, prev, f, log.current())
    assert "Turning" not in set(after.teams["team"]) and after.n_hidden == 1
    shown = views.triage_view(b, prev, f, log.current(), show_hidden=True)
    assert row(shown.signals, "off_track", "Turning")["state"] == "acknowledged"
    only_new = views.triage_view(b, prev, f, log.current(), show_hidden=True, only_new=True)
    assert only_new.signals["team"].tolist() == ["Turning"]


def test_a_coachs_action_reapplies_the_actions_to_what_the_app_kept(log):
    """The app keeps ``triage_found`` per data version and filters; an action re-applies the
    actions to it, and reads as the view computed whole (the kept rows are never changed)."""
    ds = turning()
    b = views.base(ds, Q, AS_OF)
    prev = views.base(ds, Q, views.week_before(b))
    f = views.Filters(Q)
    found = views.triage_found(b, prev, f)
    kept_before = found.copy()
    first = views.triage_view(b, prev, f, log.current(), found=found)
    log.record(row(first.signals, "off_track", "Turning"), "acknowledge", "c", note="talked")
    choices = [{}, {"show_hidden": True}, {"kinds": ("off_track",), "show_hidden": True},
               {"show_hidden": True, "only_new": True}]  # fmt: skip
    for choice in choices:
        kept = views.triage_view(b, prev, f, log.current(), found=found, **choice)
        whole = views.triage_view(b, prev, f, log.current(), **choice)
        pd.testing.assert_frame_equal(kept.signals, whole.signals)
        pd.testing.assert_frame_equal(kept.teams, whole.teams)
        assert (kept.n_hidden, kept.n_new, kept.since) == (whole.n_hidden, whole.n_new, whole.since)
    shown = views.triage_view(b, prev, f, log.current(), show_hidden=True, found=found)
    assert row(shown.signals, "off_track", "Turning")["state"] == "acknowledged"
    assert "talked" in row(shown.signals, "off_track", "Turning")["triage"]
    pd.testing.assert_frame_equal(found, kept_before)


def test_what_changed_this_week():
    ds = turning()
    b = views.base(ds, Q, AS_OF)
    ch = views.changes(b, views.base(ds, Q, views.week_before(b)), views.Filters(Q))
    assert ch.headline == {"Key results that moved": "1", "Teams that checked in": "14 of 14",
                           "New signals": "1", "Resolved signals": "1"}  # fmt: skip
    assert ch.moved[["team", "kr_id", "before", "now"]].values.tolist() == [
        ["Turning", "T1-1", "on_track", "off_track"]
    ]
    assert "Silent" in set(ch.checked_in["team"]) and "Ghost" not in set(ch.checked_in["team"])
    assert ch.checked_in.set_index("team").loc["Silent", ["checkins", "key_results"]].tolist() == [
        1, 1
    ]  # fmt: skip
    assert ch.new["team"].tolist() == ["Turning"] and ch.resolved["team"].tolist() == ["Silent"]


# the command line --------------------------------------------------------------------------------


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_cli_new_lists_only_signals_not_found_a_week_earlier(capsys):
    assert main(["signals", "--format", "csv"]) == 0
    every = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert main(["signals", "--new", "--format", "csv"]) == 0
    new = pd.read_csv(io.StringIO(capsys.readouterr().out))
    ds = load_dir("sample_data").dataset
    b = views.base(ds, None, None, today=export_day(ds.checkins))
    prev = views.base(ds, b.quarter, views.week_before(b))
    assert (
        len(every) == len(b.found) and len(new) == triage.new_since(b.found, prev.found).sum() > 0
    )
    assert set(new["team"]) <= set(every["team"])


def test_cli_triage_leaves_out_what_a_coach_acknowledged(tmp_path, capsys):
    db = tmp_path / "okr.duckdb"
    assert main(["import", "sample_data", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["signals", "--db", str(db), "--as-of", "2026-11-16", "--format", "csv"]) == 0
    every = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    first = every.iloc[0].rename(None)
    triage.Triage(tmp_path / triage.FILE_NAME).record(first, "acknowledge", "c")
    argv = ["signals", "--db", str(db), "--as-of", "2026-11-16", "--format", "csv", "--triage"]
    assert main(argv) == 0
    left = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert len(left) == len(every) - 1
    assert not ((left["signal"] == first["signal"]) & (left["kr_id"] == first["kr_id"])).any()


def test_reading_the_triage_waits_for_no_writer(tmp_path, log):
    """A process holding a write transaction open (here for 3 s) neither blocks nor fails a
    read: the journal is SQLite in WAL mode, readers see the last committed actions."""
    import subprocess
    import sys
    import time

    found, _ = found_at(company().dataset(), AS_OF)
    log.record(found.iloc[0], "acknowledge", "c", note="before")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time; con = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "con.execute('begin immediate'); con.execute(\"insert into triage_actions (quarter, "
        "signal, team, objective_id, kr_id, action, severity, by_user, recorded_at) values "
        "('q', 's', 't', '', '', 'acknowledge', 'warn', 'x', '2026-01-01')\"); "
        "print('open', flush=True); time.sleep(3); con.execute('commit')"), str(log.path)],
        stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        start = time.monotonic()
        assert log.current()["note"].tolist() == ["before"]  # not the uncommitted one
        assert time.monotonic() - start < 2  # read beside it, not after it
    finally:
        holder.wait()
    assert len(log.history()) == 2  # the writer's action, committed after the read


def test_the_journal_is_sqlite_in_wal_mode(tmp_path, log):
    import sqlite3

    found, _ = found_at(company().dataset(), AS_OF)
    log.record(found.iloc[0], "acknowledge", "c")
    con = sqlite3.connect(log.path)
    try:
        assert con.execute("pragma journal_mode").fetchone() == ("wal",)
    finally:
        con.close()


OLD_SCHEMA = """
create sequence triage_seq start 1;
create table triage_actions (
    action_id bigint primary key default nextval('triage_seq'), quarter varchar not null,
    signal varchar not null, team varchar not null, objective_id varchar not null,
    kr_id varchar not null, action varchar not null, note varchar, snoozed_until date,
    severity varchar not null, evidence_number double, by_user varchar not null,
    recorded_at timestamp not null);
insert into triage_actions (quarter, signal, team, objective_id, kr_id, action, note,
    snoozed_until, severity, evidence_number, by_user, recorded_at) values
    ('2026-Q3', 'no_okrs', 'Ghost', '', '', 'acknowledge', 'talked', null, 'warn', null, 'ann',
     '2026-08-20 09:30:00'),
    ('2026-Q3', 'off_track', 'Sales', 'O-1', 'K-1', 'snooze', null, '2026-09-01', 'high', 0.25,
     'bob', '2026-08-21 10:00:00'),
    ('2026-Q3', 'no_okrs', 'Ghost', '', '', 'reopen', null, null, 'warn', null, 'cy',
     '2026-08-19 08:00:00');
"""


def test_an_old_duckdb_triage_file_is_migrated_once_and_kept(tmp_path):
    """Every action of the DuckDB file of earlier versions is in the journal after the first
    open, once, and the old file is kept renamed."""
    import duckdb

    old = tmp_path / "triage.duckdb"
    con = duckdb.connect(str(old))
    con.execute(OLD_SCHEMA)
    con.close()
    path = triage.path_for(tmp_path / "okr.duckdb")
    cur = triage.Triage(path).current()
    assert cur[["team", "action", "note", "by_user"]].astype(object).where(
        cur[["team", "action", "note", "by_user"]].notna(), None
    ).values.tolist() == [["Ghost", "acknowledge", "talked", "ann"],
                          ["Sales", "snooze", None, "bob"]]  # fmt: skip
    assert cur["snoozed_until"].tolist()[1] == pd.Timestamp("2026-09-01")
    assert cur["evidence_number"].tolist()[1] == 0.25
    assert cur["recorded_at"].tolist()[0] == pd.Timestamp("2026-08-20 09:30:00")
    assert not old.exists() and (tmp_path / "triage.duckdb.migrated").exists()
    assert len(triage.Triage(path).history()) == 3
    # a copy of the old file put back (a restore from backup) is not copied in twice
    (tmp_path / "triage.duckdb.migrated").rename(old)
    assert len(triage.Triage(path).history()) == 3


def test_a_damaged_old_triage_file_is_left_untouched(tmp_path):
    old = tmp_path / "triage.duckdb"
    old.write_bytes(b"not a duckdb file" * 100)
    log = triage.Triage(triage.path_for(tmp_path / "okr.duckdb"))
    assert log.current().empty
    assert old.read_bytes() == b"not a duckdb file" * 100


def test_reading_creates_no_file(tmp_path):
    log = triage.Triage(tmp_path / "none" / triage.FILE_NAME)
    assert log.current().empty and log.history().empty
    assert not (tmp_path / "none").exists()


def test_a_read_only_folder_is_read_and_refuses_a_write_in_one_sentence(tmp_path):
    from tests.readonly import read_only

    folder = tmp_path / "data"
    found, _ = found_at(company().dataset(), AS_OF)
    triage.Triage(folder / triage.FILE_NAME).record(found.iloc[0], "acknowledge", "c",
                                                    note="kept")  # fmt: skip
    with read_only(folder) as seen:
        log = triage.Triage(seen / triage.FILE_NAME)
        assert log.current()["note"].tolist() == ["kept"]
        with pytest.raises(triage.TriageError) as exc:
            log.record(found.iloc[1], "acknowledge", "c")
        assert str(exc.value) == (f"The triage file {log.path} cannot be written: its folder "
                                  "or the file is read-only. Nothing was recorded.")  # fmt: skip
