"""One truth: hand-computed edge cases, read from CSV files through DuckDB like an analyst's.

Each test is one rule of README "Computation", checked on a few rows whose right answer is
worked out by hand. 2026-Q3 runs 1 Jul – 30 Sep (92 days): 15 Aug is day 46 (pace 0.50).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from okrdata import report, signals, views
from okrdata.cli import main
from okrdata.ingest import load
from okrdata.model import Dataset
from okrdata.store import Store

OKR_COLUMNS = ("objective_id,objective,quarter,team,department,parent_objective_id,okr_type,"
               "level,kr_id,key_result,metric_type,start_value,target_value,current_value,weight")  # fmt: skip
Q3, AUG15 = "2026-Q3", pd.Timestamp("2026-08-15")


def write(folder: Path, okrs: list[str], checkins: list[str] = (), **more: str) -> Path:
    """CSV exports in ``folder``: okrs rows (OKR_COLUMNS), check-in rows, other tables as text."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "okrs.csv").write_text("\n".join([OKR_COLUMNS, *okrs]) + "\n")
    if checkins:
        (folder / "checkins.csv").write_text("kr_id,date,value,confidence,status\n"
                                             + "\n".join(checkins) + "\n")  # fmt: skip
    for name, text in more.items():
        (folder / f"{name}.csv").write_text(text)
    return folder


def read(folder: Path):
    result = load([folder])
    assert result.report.ok, result.report.to_text()
    return result


def kr_row(b: views.Base, kr_id: str) -> pd.Series:
    return b.krs.set_index("kr_id").loc[kr_id]


# 1. time travel never leaks the future -----------------------------------------------------


def test_a_current_value_and_a_later_checkin_do_not_count_before_their_day(tmp_path):
    ds = read(write(tmp_path, ["O1,Grow,2026-Q3,A,Sales,,,,K1,Deals,increase,0,100,80,"],
                    ["K1,2026-09-01,90,,on_track"])).dataset  # fmt: skip
    mid = kr_row(views.base(ds, Q3, AUG15), "K1")
    assert (mid["current_value"], mid["score"], mid["status"]) == (0.0, 0.0, "off_track")
    before = kr_row(views.base(ds, Q3, pd.Timestamp("2026-06-20")), "K1")
    assert (before["score"], before["status"]) == (0.0, "on_track")
    end = kr_row(views.base(ds, Q3, pd.Timestamp("2026-09-30")), "K1")
    assert end["current_value"] == 90.0


def test_burnup_of_export_values_starts_at_the_start(tmp_path):
    rows = [
        f"O{i},Grow,2026-Q3,A,Sales,,,,K{i},KR,increase,0,100,{v}," for i, v in enumerate([40, 70])
    ]
    ds = read(write(tmp_path, rows, ["K0,2026-09-10,40,,"])).dataset  # exported on 10 Sep
    burn = views.trends(views.base(ds, Q3, pd.Timestamp("2026-09-30")), views.Filters(Q3)).burnup
    assert burn["progress"].iloc[0] == 0.0  # 1 Jul: nothing known yet
    assert burn["progress"].iloc[-1] == pytest.approx((0.4 + 0.7) / 2)  # from 10 Sep on


# 2. roll-up stays in its quarter -----------------------------------------------------------


def test_a_parent_rolls_up_only_its_children_of_the_same_quarter(tmp_path):
    ds = read(write(tmp_path, [
        "C1,Company goal,2026-Q3,Exec,Company,,,company,,,,,,,",
        "O1,Child Q3,2026-Q3,A,Sales,C1,,,K1,KR,increase,0,100,,",
        "O2,Child Q4,2026-Q4,A,Sales,C1,,,K2,KR,increase,0,100,,",
    ], ["K1,2026-08-01,60,,"])).dataset  # fmt: skip
    objs = views.base(ds, Q3, AUG15).objs.set_index("objective_id")
    assert objs.loc["C1", "progress"] == pytest.approx(0.60)  # not (0.60 + 0) / 2


# 3. a past quarter is seen at its end, by the report and the CLI too ------------------------


@pytest.fixture
def past_quarter(tmp_path) -> Path:
    return write(tmp_path / "past", [
        "O1,Grow,2026-Q3,A,Sales,,,,K1,Deals,increase,0,100,,",
        "O2,Next,2026-Q4,A,Sales,,,,K2,Deals,increase,0,100,,",
    ], ["K1,2026-09-15,20,0.9,on_track", "K1,2026-10-20,100,,", "K2,2026-10-05,10,,"])  # fmt: skip


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_report_and_signals_of_a_past_quarter_show_it_at_its_end(past_quarter, tmp_path, capsys):
    b = views.base(read(past_quarter).dataset, Q3, pd.Timestamp("2026-12-01"))
    assert (b.as_of, kr_row(b, "K1")["score"]) == (pd.Timestamp("2026-09-30"), 0.2)
    app = views.overview(b, views.Filters(Q3)).headline["Average progress"]
    out = tmp_path / "r.html"
    assert main(["report", "--data", str(past_quarter), "--quarter", Q3, "--out", str(out)]) == 0
    assert app == "20%" and "<b>20%</b><span>Average progress</span>" in out.read_text()
    capsys.readouterr()
    assert main(["signals", "--data", str(past_quarter), "--quarter", Q3, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["kr_id"], r["signal"]) for r in rows} >= {("K1", "off_track"), ("K1", "watermelon")}


# 4. no phantom risk --------------------------------------------------------------------------


def test_top_risks_are_empty_when_nothing_is_off_track(tmp_path):
    ds = read(write(tmp_path, ["O1,Grow,2026-Q3,A,Sales,,,,K1,Deals,increase,0,100,,"],
                    ["K1,2026-08-10,55,,"])).dataset  # fmt: skip
    b = views.base(ds, Q3, AUG15)
    assert views.overview(b, views.Filters(Q3)).top_risks.empty
    assert "<h2>Top risks</h2>\n<p>None.</p>" in report.render(b)


# 5. one average: objectives that own KRs, weighted, parents never on top ---------------------


@pytest.fixture
def weighted(tmp_path) -> views.Base:
    ds = read(write(tmp_path, [
        "C,Company goal,2026-Q3,Exec,Company,,,company,,,,,,,",
        "DO,Engineering goal,2026-Q3,Eng Lead,Eng,C,,department,,,,,,,",
        "T1,Team one,2026-Q3,A,Eng,DO,,,a1,KR,increase,0,100,,1",
        "T1,Team one,2026-Q3,A,Eng,DO,,,a2,KR,increase,0,100,,3",
        "T2,Team two,2026-Q3,B,Eng,DO,,,b1,KR,increase,0,100,,",
        "T3,Team three,2026-Q3,C,Eng,C,,,c1,KR,increase,0,100,,",
    ], ["a1,2026-08-01,0,,", "a2,2026-08-01,40,,", "b1,2026-08-01,60,,",
        "c1,2026-08-01,90,,"])).dataset  # fmt: skip
    return views.base(ds, Q3, AUG15)


def test_average_progress_is_the_mean_of_objectives_with_key_results(weighted):
    ov = views.overview(weighted, views.Filters(Q3))
    assert ov.headline["Average progress"] == "60%"  # (0.30 + 0.60 + 0.90) / 3
    eng = ov.departments.set_index("department").loc["Eng"]
    assert eng["progress"] == pytest.approx(0.60)  # DO (0.45) is not counted on top
    objs = weighted.objs.set_index("objective_id")
    assert objs.loc["T1", "progress"] == pytest.approx(0.30)  # weights 1 and 3
    assert objs.loc["C", "progress"] == pytest.approx((0.45 + 0.90) / 2)  # its own roll-up
    burn = views.trends(weighted, views.Filters(Q3)).burnup.set_index("date")
    assert burn.loc[AUG15, "progress"] == pytest.approx(0.60)
    assert "<b>60%</b><span>Average progress</span>" in report.render(weighted)


# 6. guard rails and milestones have their own pace -------------------------------------------


def test_stay_and_binary_key_results_have_their_own_status(tmp_path):
    ds = read(write(tmp_path, [
        "O1,Keep it up,2026-Q3,A,Ops,,,,S1,Uptime,stay_above,0,99.5,,",
        "O1,Keep it up,2026-Q3,A,Ops,,,,S2,Uptime EU,stay_above,0,99.5,,",
        "O1,Keep it up,2026-Q3,A,Ops,,,,M1,Launch,binary,0,1,,",
    ], ["S1,2026-07-05,98,,off_track", "S2,2026-07-05,99.9,,"])).dataset  # fmt: skip
    early = views.base(ds, Q3, pd.Timestamp("2026-07-10")).krs.set_index("kr_id")["status"]
    assert early[["S1", "S2", "M1"]].tolist() == ["off_track", "on_track", "on_track"]
    at = {d: views.base(ds, Q3, pd.Timestamp(d)).krs.set_index("kr_id").loc["M1", "status"]
          for d in ("2026-08-15", "2026-09-10", "2026-09-25")}  # fmt: skip
    assert list(at.values()) == ["on_track", "at_risk", "off_track"]  # 0.50, 0.78, 0.95 of Q3


# 7. guard rails are not sandbagging ----------------------------------------------------------


def test_guard_rail_team_is_not_sandbagging(tmp_path):
    rows = [f"O1,Keep it up,2026-Q3,A,Ops,,,,S{i},Guard {i},stay_below,0,200,," for i in range(3)]
    checks = [f"S{i},2026-07-{d:02d},150,0.95,on_track" for i in range(3) for d in (3, 10, 17)]
    ds = read(write(tmp_path, rows, checks)).dataset
    found = signals.compute_signals(ds, AUG15)
    assert "sandbagging" not in set(found["signal"])


@pytest.mark.parametrize("past, evidence", [(90, None), (96, "average score 96%")])
def test_guard_rails_of_earlier_quarters_do_not_lift_the_sandbagging_history(
    tmp_path, past, evidence
):
    # Team A's aspirational objective in Q1 and in Q2: a KR at ``past`` of 100 and a guard rail
    # that holds (score 1). The objective shows (0.90 + 1) / 2 = 0.95, but guard rails never
    # count: the team's aspirational score is 0.90 < 0.95, no history indicator; at 96 it is
    # 0.96 >= 0.95 and the indicator holds. In Q3 both aspirational KRs reach 100 on 20 Aug
    # (after half the quarter, confidence 0.5, targets far from a start of 0): "2 of 2 at or
    # over 100 %" is the only other indicator, so the signal needs the history one.
    rows, checks = [], []
    for q, day in (("2026-Q1", "2026-03-20"), ("2026-Q2", "2026-06-20")):
        rows += [f"P{q[-1]},Past,{q},A,Ops,,,,P{q[-1]}a,Grow,increase,0,100,,",
                 f"P{q[-1]},Past,{q},A,Ops,,,,P{q[-1]}s,Guard,stay_above,0,99,,"]  # fmt: skip
        checks += [f"P{q[-1]}a,{day},{past},0.5,", f"P{q[-1]}s,{day},99.5,0.5,"]
    rows += [f"O1,Now,2026-Q3,A,Ops,,,,K{i},Grow {i},increase,0,100,," for i in (1, 2)]
    checks += [f"K{i},2026-08-20,100,0.5," for i in (1, 2)]
    found = signals.compute_signals(
        read(write(tmp_path, rows, checks)).dataset, pd.Timestamp("2026-08-26")
    )
    sandbagging = found[found["signal"] == "sandbagging"]["evidence"].tolist()
    assert sandbagging == ([] if evidence is None else [
        f"2 of 2 aspirational KRs at or over 100%; {evidence} in 2026-Q1 and in 2026-Q2."
    ])  # fmt: skip


def test_the_sandbagging_history_reads_each_earlier_quarter_at_its_end(tmp_path):
    # Team A's aspirational KRs of Q1 and Q2 stood at 90 of 100 on their quarters' last days;
    # a late check-in of 100 on 5 Jul (outside their quarters: a warning) would read 1.0 as of
    # 26 Aug. A past quarter is always shown as it stood at its end, so the team's score is
    # 0.90 < 0.95 in each: no history indicator, and with only "2 of 2 at or over 100 %" left
    # in Q3, no sandbagging signal.
    rows, checks = [], []
    for q, day in (("2026-Q1", "2026-03-20"), ("2026-Q2", "2026-06-20")):
        rows.append(f"P{q[-1]},Past,{q},A,Ops,,,,P{q[-1]}a,Grow,increase,0,100,,")
        checks += [f"P{q[-1]}a,{day},90,0.5,", f"P{q[-1]}a,2026-07-05,100,0.5,"]
    rows += [f"O1,Now,2026-Q3,A,Ops,,,,K{i},Grow {i},increase,0,100,," for i in (1, 2)]
    checks += [f"K{i},2026-08-20,100,0.5," for i in (1, 2)]
    found = signals.compute_signals(
        read(write(tmp_path, rows, checks)).dataset, pd.Timestamp("2026-08-26")
    )
    assert "sandbagging" not in set(found["signal"])


# 8. stale_checkins needs no other team's check-ins ------------------------------------------


def test_stale_checkins_fire_without_any_checkin_and_not_on_done_krs(tmp_path):
    ds = read(write(tmp_path, ["O1,Grow,2026-Q3,A,Sales,,,,K1,Deals,increase,0,100,,"])).dataset
    found = signals.compute_signals(ds, AUG15)
    row = found[found["signal"] == "stale_checkins"].iloc[0]
    assert row["evidence"] == "No check-in for 45 days (none this quarter)."
    done = read(write(tmp_path / "done", ["O1,Grow,2026-Q3,A,Sales,,,,K1,Deals,increase,0,100,,"],
                      ["K1,2026-07-20,100,,"])).dataset  # fmt: skip
    assert "stale_checkins" not in set(signals.compute_signals(done, AUG15)["signal"])


# 10. a check-in dated in the future moves no default ----------------------------------------


def test_a_checkin_a_year_ahead_is_reported_and_moves_no_default(tmp_path, capsys):
    today = pd.Timestamp.today().normalize()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    ahead = (today + pd.DateOffset(years=1)).strftime("%Y-%m-%d")
    folder = write(tmp_path, [f"O1,Grow,{quarter},A,Sales,,,,K1,Deals,increase,0,100,,"],
                   [f"K1,{today:%Y-%m-%d},10,,", f"K1,{ahead},20,,"])  # fmt: skip
    result = load([folder])
    issue = next(i for i in result.report.issues if i.code == "checkin_in_future")
    assert (issue.row, issue.value, issue.severity) == (3, ahead, "warning")
    opts = views.options(result.dataset)
    assert (opts.default_quarter, opts.default_as_of) == (quarter, today)
    from okrdata.metrics import default_quarter

    assert default_quarter(result.dataset) == quarter
    assert main(["signals", "--data", str(folder), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["quarter"] for r in rows} == {quarter}


# 11. one quarter per dependency ---------------------------------------------------------------


def test_a_dependency_belongs_to_its_key_results_quarter_on_the_page_and_in_signals(tmp_path):
    deps = ("team,depends_on_team,kr_id,status,due_date\n"
            "A,B,K4,blocked,2026-09-15\n")  # fmt: skip
    ds = read(write(tmp_path, [
        "O3,Now,2026-Q3,A,Sales,,,,K3,KR,increase,0,100,,",
        "O4,Next,2026-Q4,A,Sales,,,,K4,KR,increase,0,100,,",
        "P3,Provide,2026-Q3,B,Ops,,,,P1,KR,increase,0,100,,",
    ], ["K3,2026-08-01,50,,", "K4,2026-10-01,5,,", "P1,2026-08-01,50,,"],
        dependencies=deps)).dataset  # fmt: skip
    for quarter, as_of, expected in ((Q3, AUG15, 0), ("2026-Q4", "2026-11-15", 1)):
        b = views.base(ds, quarter, pd.Timestamp(as_of))
        page = views.dependencies(b, views.Filters(quarter)).edges
        found = b.found[b.found["signal"] == "dependency_risk"]
        assert (len(page), len(found)) == (expected, expected)


# 12. one department per team -----------------------------------------------------------------


def test_the_teams_table_decides_a_teams_department_everywhere_and_a_conflict_is_reported(
    tmp_path,
):
    teams = "team,department\nA,Marketing\n"
    result = load([write(tmp_path, ["O1,Grow,2026-Q3,A,Sales,,,,K1,Deals,increase,0,100,,"],
                         ["K1,2026-07-02,0,,"], teams=teams)])  # fmt: skip
    issue = next(i for i in result.report.issues if i.code == "department_conflict")
    assert (issue.file, issue.row, issue.value) == ("okrs.csv", 2, "Sales")
    b = views.base(result.dataset, Q3, AUG15)
    ov = views.overview(b, views.Filters(Q3))
    assert ov.departments["department"].tolist() == ["Marketing"]
    assert set(b.found["department"]) == {"Marketing"}


# 13. a link to a parent that does not exist is no alignment --------------------------------


def test_a_link_to_a_missing_parent_is_not_aligned(tmp_path):
    ds = load([write(tmp_path, [
        "C1,Company goal,2026-Q3,Exec,Company,,,company,,,,,,,",
        "O1,Linked,2026-Q3,A,Sales,C1,,,K1,KR,increase,0,100,,",
        "O2,Broken link,2026-Q3,A,Sales,GHOST,,,K2,KR,increase,0,100,,",
    ], ["K1,2026-08-01,50,,", "K2,2026-08-01,50,,"])]).dataset  # fmt: skip
    b = views.base(ds, Q3, AUG15)
    al = views.alignment(b, views.Filters(Q3))
    shares = al.shares.set_index("department")
    assert shares.loc["Sales", ["objectives", "aligned"]].tolist() == [2, 1]
    # the page's "Broken links": the parent it names is in no quarter's data
    assert al.broken_links[["objective_id", "parent_objective_id"]].values.tolist() == [
        ["O2", "GHOST"]
    ]
    flagged = b.found[b.found["signal"] == "unaligned"]["objective_id"].tolist()
    assert flagged == ["O2"]


# 14. a target re-scoped to its start ---------------------------------------------------------


def test_a_decrease_rescoped_to_its_start_is_reached_at_or_below_it(tmp_path):
    folder = write(tmp_path, ["O1,Cut,2026-Q3,A,Ops,,,,K1,Cost,decrease,50,20,,",
                              "O1,Cut,2026-Q3,A,Ops,,,,K2,Cost EU,decrease,50,20,,"])  # fmt: skip
    (folder / "checkins.csv").write_text(
        "kr_id,date,value,target_value\nK1,2026-08-01,40,50\nK2,2026-08-01,55,50\n"
    )
    b = views.base(read(folder).dataset, Q3, AUG15)
    # From 1 Aug the target is 50, the start: "reached once the value is at or beyond it", and
    # beyond a decrease's target is below it. K1 at 40: reached (1, done); K2 at 55: not (0; at
    # pace 0.50 that is off track). Not "value >= target" as for an increase.
    assert kr_row(b, "K1")[["score", "status"]].tolist() == [1.0, "done"]
    assert kr_row(b, "K2")[["score", "status"]].tolist() == [0.0, "off_track"]


# 15. hockey_stick reads a KR's score by the same rule as the burn-up -------------------------


def test_hockey_stick_counts_a_current_value_from_its_day_like_the_burnup(tmp_path):
    (tmp_path / "okrs.csv").write_text(
        "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value,"
        "current_value,current_as_of\nO1,Grow,2026-Q3,A,K1,Users,0,100,40,2026-07-10\n"
    )
    (tmp_path / "checkins.csv").write_text("kr_id,date,value\nK1,2026-09-20,95\n")
    b = views.base(read(tmp_path).dataset, Q3, pd.Timestamp("2026-09-30"))
    # The export's 40 counts from 10 Jul, so at 70 % of Q3 (3 Sep, day 65 of 92) K1 stood at
    # 0.40, as the burn-up shows on 2 Sep: not under 0.20, so no hockey stick (the rule read
    # 0.00 there, as if a KR without a check-in were always at its start).
    burn = views.trends(b, views.Filters(Q3)).burnup.set_index("date")
    assert burn.loc[pd.Timestamp("2026-09-02"), "progress"] == pytest.approx(0.40)
    assert "hockey_stick" not in set(b.found["signal"])


# Also: how numbers are written ---------------------------------------------------------------


def test_evidence_never_says_minus_zero_or_one_days(tmp_path):
    deps = "team,depends_on_team,status,due_date,quarter\n" + "".join(
        f"A,B,open,2026-08-14,{Q3}\n" for _ in range(3)
    )
    ds = read(write(tmp_path, ["O1,Cut,2026-Q3,A,Ops,,,,K1,Cost,decrease,50,20,,",
                               "O2,Serve,2026-Q3,B,Ops,,,,K2,KR,increase,0,100,,"],
                    ["K1,2026-08-10,50,,", "K2,2026-08-10,50,,"], dependencies=deps)).dataset  # fmt: skip
    found = signals.compute_signals(ds, AUG15)
    text = " ".join(found["evidence"])
    assert "-0%" not in text and "Score 0% at 50%" in text
    assert "1 day overdue" in text and "from 1 team rest" in text
    assert " 1 days" not in text and " 1 teams" not in text


def test_signals_from_the_cli_read_like_the_app(tmp_path, capsys):
    folder = write(tmp_path, ["O1,Grow,2026-Q3,A,Sales,,,,K1,Deals,increase,0,100,,"],
                   ["K1,2026-08-10,55,,"])  # fmt: skip
    assert main(["signals", "--data", str(folder), "--as-of", "2026-08-15", "--format", "csv"]) == 0
    cli = pd.read_csv(io.StringIO(capsys.readouterr().out))
    b = views.base(read(folder).dataset, None, AUG15)
    assert (
        cli["evidence"].tolist() == views.signals_table(b, views.Filters(Q3))["evidence"].tolist()
    )


# 16. quarter over quarter: each earlier quarter as it stood at its end, no later quarter -----


def test_trends_quarter_over_quarter_shows_each_quarter_as_its_own_view_does(tmp_path):
    ds = read(write(tmp_path, [
        "P1,Past,2026-Q2,A,Sales,,,,p1,KR,increase,0,100,,",
        "O1,Now,2026-Q3,A,Sales,,,,k1,KR,increase,0,100,,",
        "F1,Next,2026-Q4,A,Sales,,,,f1,KR,increase,0,100,,",
    ], ["p1,2026-06-20,50,,", "p1,2026-07-05,90,,", "k1,2026-08-01,30,,"])).dataset  # fmt: skip
    # 2026-Q2 as its own view shows it, at its end (30 Jun): p1 at 50 of 100, 0.50. The check-in
    # of 5 Jul (after Q2 ended) does not count for Q2, as of 15 Aug or any later day. 2026-Q3 as
    # of 15 Aug: k1 at 0.30, the Overview's department bar. 2026-Q4 has not started on 15 Aug:
    # not a quarter to compare with (it showed at 0 %).
    q2 = views.base(ds, "2026-Q2", AUG15)
    assert views.overview(q2, views.Filters("2026-Q2")).departments["progress"].tolist() == [0.5]
    tr = views.trends(views.base(ds, Q3, AUG15), views.Filters(Q3))
    assert tr.quarters[["quarter", "progress"]].values.tolist() == [["2026-Q2", 0.5],
                                                                    ["2026-Q3", 0.3]]  # fmt: skip
    assert tr.calibration[["quarter", "mean_score"]].values.tolist() == [["2026-Q2", 0.5],
                                                                         ["2026-Q3", 0.3]]  # fmt: skip


# 17. the check-in heatmap shows the silent teams and the silent weeks ------------------------


def test_checkin_heatmap_has_every_team_with_key_results_and_every_week_so_far(tmp_path):
    ds = read(write(tmp_path, [
        "A1,A one,2026-Q3,A,Sales,,,,a1,KR,increase,0,100,,",
        "A1,A one,2026-Q3,A,Sales,,,,a2,KR,increase,0,100,,",
        "B1,B one,2026-Q3,B,Sales,,,,b1,KR,increase,0,100,,",
    ], ["a1,2026-07-20,10,,", "a1,2026-08-10,60,,", "a2,2026-08-14,30,,"])).dataset  # fmt: skip
    heat = views.trends(views.base(ds, Q3, AUG15), views.Filters(Q3, department="Sales")).heatmap
    # Weeks start on Monday: 1 Jul (a Wednesday) is in the week of 29 Jun, 15 Aug in the week of
    # 10 Aug: 7 weeks. A checked in on 20 Jul (week of 20 Jul) and on 10 and 14 Aug (week of
    # 10 Aug, 2 check-ins); B never did. B's row and the five weeks without a check-in are
    # what a coach looks for: they are there, as zeros (B's row was missing, and so were the
    # weeks of 29 Jun, 6 Jul, 13 Jul, 27 Jul and 3 Aug).
    weeks = pd.date_range("2026-06-29", "2026-08-10", freq="7D")
    assert heat.index.tolist() == ["A", "B"] and heat.columns.tolist() == weeks.tolist()
    assert heat.loc["A"].tolist() == [0, 0, 0, 1, 0, 0, 2]
    assert heat.loc["B"].tolist() == [0] * 7


# 18. a bottleneck is one count, whatever the filter ----------------------------------------


def test_a_bottleneck_outside_the_department_keeps_its_count_on_the_filtered_page(tmp_path):
    deps = ("team,depends_on_team,status,quarter\n"
            "A,Hub,open,2026-Q3\nB,Hub,open,2026-Q3\nC,Hub,blocked,2026-Q3\n")  # fmt: skip
    ds = read(write(tmp_path, [
        "O1,a,2026-Q3,A,Sales,,,,K1,KR,increase,0,100,,",
        "O2,b,2026-Q3,B,Sales,,,,K2,KR,increase,0,100,,",
        "O3,c,2026-Q3,C,Marketing,,,,K3,KR,increase,0,100,,",
        "O4,h,2026-Q3,Hub,Eng,,,,K4,KR,increase,0,100,,",
    ], [f"K{i},2026-08-10,50,," for i in range(1, 5)], dependencies=deps)).dataset  # fmt: skip
    b = views.base(ds, Q3, AUG15)
    # Three unresolved dependencies rest on Hub (Eng): a bottleneck, so says its signal. Sales
    # waits on Hub for two of them; its Dependencies page showed Hub awaited by 2 and no
    # bottleneck at all, while the signal kept saying 3.
    hub = b.found[(b.found["signal"] == "dependency_risk") & (b.found["team"] == "Hub")]
    assert hub["evidence"].tolist() == [
        "3 unresolved dependencies from 3 teams rest on this team (1 blocked, 0 overdue)."
    ]
    for f in (views.Filters(Q3), views.Filters(Q3, department="Sales"),
              views.Filters(Q3, team="A")):  # fmt: skip
        page = views.dependencies(b, f)
        assert page.bottlenecks[["team", "unresolved"]].values.tolist() == [["Hub", 3]], f
        assert page.nodes.set_index("team").loc["Hub", "open_in"] == 3, f


# 19. calibration at the band's edges --------------------------------------------------------


@pytest.mark.parametrize("values, label", [((10, 100, 100), "in band"), ((0, 90, 90), "in band"),
                                            ((0, 90, 89), "below band")])  # fmt: skip
def test_an_aspirational_score_on_the_bands_edge_is_in_band(tmp_path, values, label):
    rows = [f"O{i},Goal,2026-Q3,A,Sales,,,,K{i},KR,increase,0,100,," for i in range(3)]
    checks = [f"K{i},2026-08-10,{v},," for i, v in enumerate(values)]
    b = views.base(read(write(tmp_path, rows, checks)).dataset, Q3, pd.Timestamp("2026-09-30"))
    # (0.10 + 1 + 1) / 3 = 0.70 and (0 + 0.90 + 0.90) / 3 = 0.60: on the edges of the 0.6–0.7
    # band, so in it; in floating point the first summed to 0.7000000000000001, "above band".
    # On the quarter's last day: before it, the band is held to the pace (test_in_progress).
    health = views.overview(b, views.Filters(Q3)).health.set_index("department").loc["Sales"]
    assert health["aspirational_calibration"] == label


# 20. a guard rail with no value has not been breached ---------------------------------------


def test_a_guard_rail_without_any_value_holds_until_a_value_breaks_it(tmp_path):
    ds = read(write(tmp_path, [
        "O1,Keep it up,2026-Q3,A,Ops,,,,S1,Uptime,stay_above,,99.5,,",
        "O1,Keep it up,2026-Q3,A,Ops,,,,S2,Uptime EU,stay_above,98,99.5,,",
        "O1,Keep it up,2026-Q3,A,Ops,,,,S3,Latency,stay_below,,200,,",
    ], ["S1,2026-08-20,99,,"])).dataset  # fmt: skip
    # No start, no current value, no check-in yet: S1 has not been measured, so nothing breaks
    # its line (it showed 0, "off track" from day one: the start defaulted to 0). S2's given
    # start of 98 is a value below its line: off track. S3 (stay below 200) holds either way.
    # S1's check-in of 99 on 20 Aug breaks the line from then on.
    for day, s1 in (("2026-07-01", "on_track"), (AUG15, "on_track"), ("2026-08-26", "off_track")):
        b = views.base(ds, Q3, pd.Timestamp(day))
        krs = b.krs.set_index("kr_id")
        assert krs["status"].tolist() == [s1, "off_track", "on_track"], day
    b = views.base(ds, Q3, AUG15)
    assert b.found.loc[b.found["signal"] == "off_track", "kr_id"].tolist() == ["S2"]
    assert b.objs.set_index("objective_id").loc["O1", "progress"] == pytest.approx(2 / 3)
    assert views.overview(b, views.Filters(Q3)).headline["On track"] == "67%"
    store = Store(tmp_path / "okr.duckdb")  # the store and a Dataset built in code agree
    store.import_files([tmp_path])
    stored = store.dataset()
    store.close()
    built = Dataset.from_frames(key_results=ds.key_results.assign(start_value=[None, 98, None]))
    for other in (stored, built):
        assert other.key_results["start_value"].tolist() == [99.5, 98.0, 200.0]
