"""Rules a coach would sign (issue 23): guard rails, self-reported red, the progress command.

Each test reads a small hand-written CSV through DuckDB (``ingest.load``), as an analyst's
export is read, and checks the rule against numbers worked out by hand in its comments.
2026-Q3 runs 1 Jul – 30 Sep (92 days): 15 Jul is day 15 (pace 15/92 = 0.163), 15 Aug is
day 46 (pace 46/92 = 0.50).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from okrdata import metrics, signals, snapshot
from okrdata.cli import main
from okrdata.config import Config
from okrdata.ingest import load
from okrdata.model import Dataset, base_ids

OKR_COLUMNS = "objective_id,objective,quarter,team,department,kr_id,key_result,metric_type,start_value,target_value,weight"
Q3 = "2026-Q3"
JUL15, AUG15 = pd.Timestamp("2026-07-15"), pd.Timestamp("2026-08-15")


def read(folder: Path, okrs: list[str], checkins: list[str] = ()) -> Dataset:
    """Write okrs rows (OKR_COLUMNS) and check-in rows as CSV files, then read them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "okrs.csv").write_text("\n".join([OKR_COLUMNS, *okrs]) + "\n")
    if checkins:
        (folder / "checkins.csv").write_text(
            "kr_id,date,value,confidence,status\n" + "\n".join(checkins) + "\n"
        )
    result = load([folder])
    assert result.report.ok, result.report.to_text()
    return result.dataset


def found(snap: snapshot.Snapshot, name: str) -> pd.DataFrame:
    out = signals.compute_signals(snap)
    return out[out["signal"] == name].reset_index(drop=True)


# 1. guard rails ------------------------------------------------------------------------------


def test_a_breached_guard_rail_is_off_track_from_the_day_it_is_breached(tmp_path):
    ds = read(
        tmp_path,
        ["O1,Stay up,2026-Q3,A,Ops,G1,Uptime,stay_above,,99,"],
        ["G1,2026-07-10,98.5,,"],
    )
    # 9 Jul: no value yet, the line holds; 10 Jul (pace 10/92 = 0.11, well before the 25 % wait
    # of ``off_track_min_elapsed``): 98.5 < 99 breaks it, so status and signal are off track.
    before = snapshot.build(ds, Q3, pd.Timestamp("2026-07-09"))
    assert before.qkrs.set_index("kr_id").loc["G1", "status"] == "on_track"
    assert found(before, "off_track").empty
    for day in ("2026-07-10", JUL15):
        snap = snapshot.build(ds, Q3, pd.Timestamp(day))
        assert snap.qkrs.set_index("kr_id").loc["G1", "status"] == "off_track"
        rows = found(snap, "off_track")
        assert rows["kr_id"].tolist() == ["G1"], day
        assert rows["evidence"][0] == "Value 98.5 breaks the line: it should stay at or above 99."


def test_the_wait_still_applies_where_a_pace_exists(tmp_path):
    ds = read(
        tmp_path,
        ["O1,Grow,2026-Q3,A,Ops,K1,Deals,increase,0,100,"],
        ["K1,2026-07-10,0,,"],
    )
    # Narrow margins make a paced KR off track early: on 15 Jul the pace is 0.163 and a score
    # of 0 is below 0.163 - 0.10 = 0.063, so its status is off track; the signal waits for 25 %.
    tight = Config(on_track_margin=0.05, at_risk_margin=0.10)
    snap = snapshot.build(ds, Q3, JUL15, tight)
    assert snap.qkrs.set_index("kr_id").loc["K1", "status"] == "off_track"
    assert found(snap, "off_track").empty
    # 5 Aug: 36/92 = 0.39 of the quarter has passed (>= 0.25): the signal fires.
    later = snapshot.build(ds, Q3, pd.Timestamp("2026-08-05"), tight)
    assert found(later, "off_track")["kr_id"].tolist() == ["K1"]


def test_an_objective_reflects_its_guard_rails_and_milestones(tmp_path):
    ds = read(
        tmp_path,
        [
            # O1: a paced KR (weight 3) and a breached guard rail (weight 1)
            "O1,Grow safely,2026-Q3,A,Ops,K1,Deals,increase,0,100,3",
            "O1,Grow safely,2026-Q3,A,Ops,G1,Incidents,stay_below,,5,1",
            # O2: one milestone, not done yet
            "O2,Launch,2026-Q3,A,Ops,M1,Ship it,binary,0,1,",
            # O3: a milestone done and a guard rail that holds
            "O3,Launch safely,2026-Q3,A,Ops,M2,Ship it,binary,0,1,",
            "O3,Launch safely,2026-Q3,A,Ops,G2,Uptime,stay_above,,90,",
            # O4: a breached guard rail and a milestone not done yet
            "O4,Hold the line,2026-Q3,A,Ops,G3,Uptime,stay_above,,90,",
            "O4,Hold the line,2026-Q3,A,Ops,M3,Ship it,binary,0,1,",
            # O5: a paced KR done and a guard rail that holds
            "O5,Done,2026-Q3,A,Ops,K5,Deals,increase,0,100,",
            "O5,Done,2026-Q3,A,Ops,G5,Uptime,stay_above,,90,",
        ],
        [
            "K1,2026-08-10,60,,",
            "G1,2026-08-10,7,,",
            "M2,2026-08-10,1,,",
            "G2,2026-08-10,95,,",
            "G3,2026-08-10,80,,",
            "K5,2026-08-10,100,,",
            "G5,2026-08-10,95,,",
        ],
    )
    snap = snapshot.build(ds, Q3, AUG15)  # pace 0.50
    krs = snap.qkrs.set_index("kr_id")["status"]
    assert krs[["K1", "G1", "M1", "M2", "G2", "G3", "M3"]].tolist() == [
        "on_track",  # 0.60 >= 0.50 - 0.15
        "off_track",  # 7 > 5
        "on_track",  # a milestone is on track until 70 % of the quarter
        "done",
        "on_track",
        "off_track",  # 80 < 90
        "on_track",
    ]
    objs = snap.qobjs.set_index("objective_id")
    # O1: progress (3 × 0.60 + 1 × 0) / 4 = 0.45 >= 0.50 - 0.15 reads on track by the linear
    # rule, but a breached guard rail makes it at least at risk.
    assert objs.loc["O1", "progress"] == pytest.approx(0.45)
    assert objs.loc["O1", "status"] == "at_risk"
    # O2, O3, O4 (milestones and guard rails alone) take their key results' worst status:
    # O2 progress 0 would read off track at 0.50 by the linear rule; its milestone is on track.
    # O3 progress (1 + 1) / 2 = 1 would read done; its guard rail holds, on track (not done).
    # O4: its breached guard rail is off track.
    assert objs.loc[["O2", "O3", "O4"], "status"].tolist() == ["on_track", "on_track", "off_track"]
    # O5: progress (1 + 1) / 2 = 1, no guard rail breached: the linear rule, done.
    assert objs.loc["O5", "status"] == "done"


# 2. self-report first ------------------------------------------------------------------------


def test_watermelon_only_when_the_team_itself_reports_green(tmp_path):
    # Each KR: 0 -> 100, latest check-in on 10 Aug at 5: score 0.05 against a pace of 0.50,
    # below 0.50 - 0.30 = 0.20, so every one is off track. Only their reports differ.
    ds = read(
        tmp_path,
        [f"O1,Grow,2026-Q3,A,Ops,W{i},Deals {i},increase,0,100," for i in range(1, 7)],
        [
            "W1,2026-08-10,5,0.9,off_track",  # reports red, confident in that: no watermelon
            "W2,2026-08-10,5,0.9,at_risk",  # reports amber: no watermelon
            "W3,2026-08-10,5,0.9,",  # no status, confidence 0.9 >= 0.7: a watermelon
            "W4,2026-08-10,5,0.3,on_track",  # reports green (low confidence): a watermelon
            "W5,2026-08-10,5,0.5,",  # no status, confidence 0.5 < 0.7: no watermelon
            "W6,2026-08-10,5,,off_track",  # reports red, no confidence: no watermelon
        ],
    )
    snap = snapshot.build(ds, Q3, AUG15)
    assert (snap.qkrs["status"] == "off_track").all()
    melons = found(snap, "watermelon").set_index("kr_id")
    assert sorted(melons.index) == ["W3", "W4"]
    assert melons.loc["W3", "evidence"] == (
        "Latest check-in (10 Aug 2026) reports no status, confidence 90%, but the score is 5% "
        "against an expected 50% (off track)."
    )
    assert melons.loc["W4", "evidence"] == (
        "Latest check-in (10 Aug 2026) reports on track, confidence 30%, but the score is 5% "
        "against an expected 50% (off track)."
    )
    # A team that reports red or amber has raised its own alarm: its report stands beside the
    # computed status in the off_track evidence.
    off = found(snap, "off_track").set_index("kr_id")["evidence"]
    assert off["W1"].endswith(" The team reports off track (confidence 90%, 10 Aug 2026).")
    assert off["W2"].endswith(" The team reports at risk (confidence 90%, 10 Aug 2026).")
    assert off["W6"].endswith(" The team reports off track (10 Aug 2026).")
    assert off["W3"].endswith("from 0.")  # no status of its own to stand beside
    assert off["W4"].endswith("from 0.")  # green: the watermelon says so


# 7. the progress command ---------------------------------------------------------------------

PROGRESS_OKRS = (
    "objective_id,objective,quarter,team,department,kr_id,key_result,metric_type,start_value,"
    "target_value,source_progress,objective_source_progress\n"
    "O1,Grow,2026-Q3,A,Sales,K1,Deals,increase,0,100,35,50\n"
    "O1,Grow,2026-Q3,A,Sales,K2,Churn,decrease,50,10,,50\n"
    "O2,Ship,2026-Q3,B,Ops,K3,Releases,increase,0,10,,\n"
    "O3,Later,2026-Q4,B,Ops,K4,Later,increase,0,10,,\n"
)
PROGRESS_CHECKINS = (
    "kr_id,date,value\nK1,2026-08-10,40\nK2,2026-08-10,30\nK3,2026-08-10,1\nK4,2026-10-10,5\n"
)


def progress_files(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "okrs.csv").write_text(PROGRESS_OKRS)
    (folder / "checkins.csv").write_text(PROGRESS_CHECKINS)
    return folder


def test_progress_command_lists_every_objective_and_key_result_of_the_quarter(tmp_path, capsys):
    folder = progress_files(tmp_path / "files")
    when = ["--quarter", Q3, "--as-of", "2026-08-15"]
    assert main(["progress", "--data", str(folder), *when, "--format", "csv"]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"id": str})
    assert list(out.columns) == [
        "kind", "id", "title", "team", "department", "quarter", "value", "target", "progress",
        "status", "source_progress",
    ]  # fmt: skip
    # As of 15 Aug (pace 0.50): K1 40 of 0 -> 100 = 0.40 (>= 0.35, on track); K2 from 50
    # down to 30 of a target of 10: (30 - 50) / (10 - 50) = 0.50 (on track); O1 = (0.40 +
    # 0.50) / 2 = 0.45 (on track). K3 1 of 0 -> 10 = 0.10 (< 0.20, off track), O2 = 0.10.
    # Each objective comes first, then its key results; O3 (2026-Q4) is not listed.
    # source_progress: the export's 35 and 50 (0-100) as 0.35 and 0.50.
    expected = [
        ("objective", "O1", "Grow", "A", "Sales", Q3, None, None, 0.45, "on_track", 0.50),
        ("key_result", "K1", "Deals", "A", "Sales", Q3, 40.0, 100.0, 0.40, "on_track", 0.35),
        ("key_result", "K2", "Churn", "A", "Sales", Q3, 30.0, 10.0, 0.50, "on_track", None),
        ("objective", "O2", "Ship", "B", "Ops", Q3, None, None, 0.10, "off_track", None),
        ("key_result", "K3", "Releases", "B", "Ops", Q3, 1.0, 10.0, 0.10, "off_track", None),
    ]
    got = out.astype(object).where(out.notna(), None).values.tolist()
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        assert row[:6] == list(want[:6]) and row[9] == want[9]
        for a, b in zip(row[6:9] + row[10:], want[6:9] + want[10:], strict=True):
            assert a == b if b is None else a == pytest.approx(b), (row, want)
    # JSON carries the same rows; a store holding the same files gives the same numbers
    assert main(["progress", "--data", str(folder), *when, "--format", "json"]) == 0
    from_json = pd.DataFrame(json.loads(capsys.readouterr().out))
    db = str(tmp_path / "okr.duckdb")
    assert main(["import", str(folder), "--db", db]) == 0
    capsys.readouterr()
    assert main(["progress", "--db", db, *when, "--format", "json"]) == 0
    from_db = pd.DataFrame(json.loads(capsys.readouterr().out))
    for other in (from_json, from_db):
        pd.testing.assert_frame_equal(
            other.astype(object).where(other.notna(), None),
            out.astype(object).where(out.notna(), None),
            check_dtype=False,
        )


def test_progress_command_bad_arguments(tmp_path, capsys):
    folder = progress_files(tmp_path / "files")
    assert main(["progress", "--data", str(folder), "--as-of", "someday"]) == 2
    assert "--as-of is not a date" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["progress", "--data", str(folder), "--format", "xml"])
    assert exit_.value.code == 2


# 3. a period longer than a quarter ---------------------------------------------------------


def test_an_annual_key_result_keeps_its_checkins_and_runs_at_the_pace_of_its_year(tmp_path):
    ds = read(
        tmp_path,
        [
            "O1,Grow all year,Annual 2026,A,Sales,K1,Deals,increase,0,100,",
            "O2,This quarter,2026-Q4,A,Sales,K2,Calls,increase,0,100,",
        ],
        ["K1,2026-02-10,20,,", "K1,2026-05-10,50,,", "K1,2026-08-10,70,,", "K2,2026-10-10,10,,"],
    )

    def row(frame: pd.DataFrame, column: str, item: str, quarter: str) -> pd.Series:
        mine = (base_ids(frame[column]) == item) & (frame["quarter"] == quarter)
        assert mine.sum() == 1
        return frame[mine.to_numpy(bool)].iloc[0]

    # 15 Oct (Q4): the latest check-in up to the day is August's 70, whatever quarter it was
    # made in: score 70 / 100 = 0.70. 2026 has 365 days; 15 Oct is day 288
    # (31+28+31+30+31+30+31+31+30+15), so the year's pace is 288/365 = 0.789 and
    # 0.70 >= 0.789 - 0.15 = 0.639: on track. K2 runs at its quarter's pace, 15/92 = 0.163.
    snap = snapshot.build(ds, "2026-Q4", pd.Timestamp("2026-10-15"))
    k1 = row(snap.qkrs, "kr_id", "K1", "2026-Q4")
    assert (k1["current_value"], k1["score"], k1["n_checkins"]) == (70.0, 0.70, 3)
    assert k1["last_checkin"] == pd.Timestamp("2026-08-10")
    assert k1["expected"] == pytest.approx(288 / 365)
    assert k1["status"] == "on_track"
    assert row(snap.qkrs, "kr_id", "K2", "2026-Q4")["expected"] == pytest.approx(15 / 92)
    o1 = row(snap.qobjs, "objective_id", "O1", "2026-Q4")
    assert (o1["progress"], o1["status"]) == (0.70, "on_track")
    assert o1["expected"] == pytest.approx(288 / 365)
    # 30 Jun, the end of Q2: day 181 of 365, pace 0.496; 50 of 100 = 0.50 is on pace (it read
    # off track against the quarter's pace of 1.0).
    mid = snapshot.build(ds, "2026-Q2", pd.Timestamp("2026-06-30"))
    k1 = row(mid.qkrs, "kr_id", "K1", "2026-Q2")
    assert (k1["score"], k1["status"]) == (0.50, "on_track")
    assert k1["expected"] == pytest.approx(181 / 365)
    assert row(mid.qobjs, "objective_id", "O1", "2026-Q2")["status"] == "on_track"
    # the quarter's own pace stays the team's: Q4's 15/92 for team A (one annual, one quarterly)
    teams = metrics.team_progress(snap.qobjs).set_index("team")
    assert teams.loc["A", "expected"] == pytest.approx(15 / 92)
