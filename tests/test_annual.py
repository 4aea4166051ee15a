"""A period longer than a quarter (issue 23, item 3): one objective, one set of key results,
one id, listed in every quarter it covers and marked with its period; its progress on any date
uses all its check-ins up to that date; its pace runs over its own period; stores written
with ``<id>@<quarter>`` copies read, and rebuild, as one id."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from okrdata import report, snapshot, triage, views
from okrdata.cli import main
from okrdata.ingest import load
from okrdata.model import Dataset
from okrdata.store import Store

OKRS = (
    "objective_id,objective,quarter,team,department,kr_id,key_result,metric_type,start_value,"
    "target_value\n"
    "O1,Grow all year,Annual 2026,A,Sales,K1,Deals,increase,0,100\n"
    "O2,This quarter,2026-Q4,A,Sales,K2,Calls,increase,0,100\n"
)
CHECKINS = (
    "kr_id,date,value\nK1,2026-02-10,20\nK1,2026-05-12,50\nK1,2026-08-11,70\nK2,2026-10-05,10\n"
)
QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
OCT15 = pd.Timestamp("2026-10-15")


def files(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "okrs.csv").write_text(OKRS)
    (folder / "checkins.csv").write_text(CHECKINS)
    return folder


def read(folder: Path) -> Dataset:
    result = load([files(folder)])
    assert result.report.ok, result.report.to_text()
    return result.dataset


def test_an_annual_objective_keeps_its_id_in_every_quarter_marked_with_its_period(tmp_path):
    ds = read(tmp_path)
    o = ds.objectives
    annual = o[o["objective_id"] == "O1"]
    assert annual["quarter"].tolist() == QUARTERS
    assert annual["period"].tolist() == ["Annual 2026"] * 4
    assert o.loc[o["objective_id"] == "O2", "period"].isna().all()  # one quarter: no mark
    k = ds.key_results
    k1 = k[k["kr_id"] == "K1"]
    assert k1[["objective_id", "quarter", "period"]].values.tolist() == [
        ["O1", q, "Annual 2026"] for q in QUARTERS
    ]
    # its check-ins once, under its own id, whatever quarter they were made in
    assert ds.checkins.loc[ds.checkins["kr_id"] == "K1", "value"].tolist() == [20.0, 50.0, 70.0]
    assert set(ds.checkins["kr_id"]) == {"K1", "K2"}


def test_a_span_without_a_label_of_its_own_is_marked_by_its_quarters(tmp_path):
    # an objective of Q1 whose key result runs into Q2: listed in both, one id
    (tmp_path / "okrs.csv").write_text(
        "objective_id,objective,quarter,team,kr_id,key_result,kr_period,target_value\n"
        "O1,Grow,2026-Q1,A,K1,ARR,Q1-Q2 2026,100\n"
    )
    ds = load([tmp_path]).dataset
    assert ds.objectives[["objective_id", "quarter", "period"]].values.tolist() == [
        ["O1", "2026-Q1", "Q1 2026 – Q2 2026"],
        ["O1", "2026-Q2", "Q1 2026 – Q2 2026"],
    ]
    assert ds.key_results["period"].tolist() == ["Q1-Q2 2026"] * 2


def test_the_annual_key_result_shows_its_latest_checkin_in_a_quarter_without_one(tmp_path):
    ds = read(tmp_path)
    # 15 Oct (Q4, no check-in of K1 in Q4): August's 70 of 100 -> 0.70, under its own id; its
    # pace is the year's: 15 Oct is day 288 of 365, so 0.789; 0.70 >= 0.789 - 0.15: on track
    snap = snapshot.build(ds, "2026-Q4", OCT15, today=OCT15)
    k1 = snap.qkrs.set_index("kr_id").loc["K1"]
    assert (k1["current_value"], k1["score"], k1["n_checkins"]) == (70.0, 0.70, 3)
    assert k1["expected"] == pytest.approx(288 / 365) and k1["status"] == "on_track"
    o1 = snap.qobjs.set_index("objective_id").loc["O1"]
    assert (o1["progress"], o1["status"], o1["period"]) == (0.70, "on_track", "Annual 2026")
    assert sorted(snap.qobjs["objective_id"]) == ["O1", "O2"]  # each once in its quarter
    # 30 Jun, the end of Q2: 50 % of the year's goal, day 181 of 365: on pace
    mid = snapshot.build(ds, "2026-Q2", pd.Timestamp("2026-06-30"), today=OCT15)
    k1 = mid.qkrs.set_index("kr_id").loc["K1"]
    assert (k1["score"], k1["status"]) == (0.50, "on_track")
    assert k1["expected"] == pytest.approx(181 / 365)
    # the Trends page's Q1 as it stood at its end: February's 20
    b = views.base(ds, "2026-Q4", OCT15, today=OCT15)
    quarters = views.trends(b, views.Filters("2026-Q4")).quarters.set_index("quarter")
    # Q1 holds only O1 (0.20), Q4 holds O1 (0.70) and O2 (0.10)
    assert quarters.loc["2026-Q1", "progress"] == pytest.approx(0.20)
    assert quarters.loc["2026-Q4", "progress"] == pytest.approx((0.70 + 0.10) / 2)


def test_pages_list_the_annual_objective_in_each_quarter_with_its_period(tmp_path):
    ds = read(tmp_path)
    for quarter in QUARTERS:
        b = views.base(ds, quarter, None, today=OCT15)
        tv = views.team_view(b, views.Filters(quarter, team="A"), "A")
        mine = tv.objectives.set_index("objective_id")
        assert mine.loc["O1", "period"] == "Annual 2026", quarter
        assert tv.krs["kr_id"].tolist().count("K1") == 1, quarter


def test_the_import_counts_an_annual_objective_once(tmp_path, capsys):
    db = tmp_path / "okr.duckdb"
    assert main(["import", str(files(tmp_path / "in")), "--db", str(db), "--format", "json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert "2 objectives, 2 key results, 4 check-ins" in said["message"]
    history = Store(db).history()
    assert history[["rows_objectives", "rows_key_results", "rows_checkins"]].values.tolist() == [
        [2, 2, 4]
    ]


def _as_the_old_code_stored_it(db: Path) -> None:
    """Rewrite the store as the code before one id per objective wrote it: a copy per quarter,
    ``<id>@<quarter>``, each with the check-ins dated in its quarter, no period, no KR quarter."""
    con = duckdb.connect(str(db))
    con.execute(
        "update objectives set objective_id = objective_id || '@' || quarter, period = null "
        "where objective_id = 'O1'"
    )
    con.execute(
        "update key_results set kr_id = kr_id || '@' || quarter, "
        "objective_id = objective_id || '@' || quarter, quarter = null, period = null "
        "where kr_id = 'K1'"
    )
    con.execute(
        "update checkins set kr_id = kr_id || '@' || year(date) || '-Q' || quarter(date) "
        "where kr_id = 'K1'"
    )
    con.close()


def test_a_store_of_copies_reads_and_rebuilds_as_one_id(tmp_path, capsys):
    db = tmp_path / "okr.duckdb"
    assert main(["import", str(files(tmp_path / "in")), "--db", str(db)]) == 0
    _as_the_old_code_stored_it(db)
    with duckdb.connect(str(db), read_only=True) as con:
        ids = {r[0] for r in con.execute("select objective_id from objectives").fetchall()}
    assert ids == {"O1@2026-Q1", "O1@2026-Q2", "O1@2026-Q3", "O1@2026-Q4", "O2"}
    # read as it is: one id
    ds = Store(db).dataset()
    assert ds.objectives["objective_id"].tolist().count("O1") == 4
    assert (
        ds.objectives.loc[ds.objectives["objective_id"] == "O1", "period"].tolist()
        == ["Q1 2026 – Q4 2026"] * 4
    )
    assert sorted(ds.key_results.loc[ds.key_results["kr_id"] == "K1", "quarter"]) == QUARTERS
    assert ds.checkins.loc[ds.checkins["kr_id"] == "K1", "value"].tolist() == [20.0, 50.0, 70.0]
    k1 = snapshot.build(ds, "2026-Q4", OCT15, today=OCT15).qkrs.set_index("kr_id").loc["K1"]
    assert (k1["current_value"], k1["status"]) == (70.0, "on_track")
    # rebuilt from its archive: the files read again, one id in the store itself
    capsys.readouterr()
    assert main(["rebuild", "--db", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        stored = {
            table: sorted({r[0] for r in con.execute(f"select {col} from {table}").fetchall()})
            for table, col in (("objectives", "objective_id"), ("key_results", "kr_id"),
                               ("checkins", "kr_id"))
        }  # fmt: skip
        periods = con.execute(
            "select distinct period from objectives where objective_id = 'O1'"
        ).fetchall()
    assert stored == {"objectives": ["O1", "O2"], "key_results": ["K1", "K2"],
                      "checkins": ["K1", "K2"]}  # fmt: skip
    assert periods == [("Annual 2026",)]


def test_triage_recorded_on_a_copy_still_holds_for_the_one_id(tmp_path):
    db = tmp_path / "okr.duckdb"
    assert main(["import", str(files(tmp_path / "in")), "--db", str(db)]) == 0
    ds = Store(db).dataset()
    b = views.base(ds, "2026-Q4", OCT15, today=OCT15)
    stale = b.found[(b.found["signal"] == "stale_checkins") & (b.found["kr_id"] == "K1")]
    assert len(stale) == 1  # no check-in since 11 Aug
    journal = triage.Triage(triage.path_for(db))
    # acknowledged by the code before one id: the copy of Q4, "K1@2026-Q4" of "O1@2026-Q4"
    old = stale.iloc[0].copy()
    old["objective_id"], old["kr_id"] = "O1@2026-Q4", "K1@2026-Q4"
    journal.record(old, "acknowledge", "coach", note="talked")
    # and another team's action in Q3 on the Q3 copy does not leak into Q4
    other = old.copy()
    other["quarter"], other["objective_id"], other["kr_id"] = "2026-Q3", "O1@2026-Q3", "K1@2026-Q3"
    journal.record(other, "snooze", "coach", until=pd.Timestamp("2027-01-01"))
    found = stale.assign(evidence_number=triage.evidence_numbers(b.snap, stale))
    handled = triage.apply(found, journal.current(), b.as_of, b.config.signals.stale_days)
    assert handled["state"].tolist() == ["acknowledged"]
    assert handled["triage"].iloc[0].endswith(": talked")
    current = journal.current()
    assert current[["quarter", "objective_id", "kr_id"]].values.tolist() == [
        ["2026-Q3", "O1", "K1"],
        ["2026-Q4", "O1", "K1"],
    ]


def test_app_report_and_progress_command_agree_on_the_annual_objective(tmp_path, capsys):
    folder = files(tmp_path / "in")
    capsys.readouterr()
    args = ["--data", str(folder), "--quarter", "2026-Q4", "--as-of", "2026-10-15"]
    assert main(["progress", *args, "--format", "json"]) == 0
    rows = pd.DataFrame(json.loads(capsys.readouterr().out))
    assert rows[["kind", "id", "quarter"]].values.tolist() == [
        ["objective", "O1", "2026-Q4"],
        ["key_result", "K1", "2026-Q4"],
        ["objective", "O2", "2026-Q4"],
        ["key_result", "K2", "2026-Q4"],
    ]
    cli = rows.set_index("id")
    assert (cli.loc["O1", "progress"], cli.loc["K1", "value"]) == (0.70, 70.0)
    b = views.base(read(tmp_path / "app"), "2026-Q4", OCT15, today=OCT15)
    tv = views.team_view(b, views.Filters("2026-Q4", team="A"), "A")
    page_o, page_k = tv.objectives.set_index("objective_id"), tv.krs.set_index("kr_id")
    for oid in ("O1", "O2"):
        assert cli.loc[oid, "progress"] == pytest.approx(page_o.loc[oid, "progress"])
        assert cli.loc[oid, "status"] == page_o.loc[oid, "status"]
    for kid in ("K1", "K2"):
        assert cli.loc[kid, "value"] == page_k.loc[kid, "current_value"]
        assert cli.loc[kid, "status"] == page_k.loc[kid, "status"]
    headline = views.overview(b, views.Filters("2026-Q4")).headline
    # 2 objectives (O1 once), 2 key results, both on track, mean progress (0.70 + 0.10) / 2
    assert {k: headline[k] for k in ("Objectives", "Key results", "Average progress")} == {
        "Objectives": "2",
        "Key results": "2",
        "Average progress": "40%",
    }
    page = report.render(b)
    for label, value in (("Objectives", "2"), ("Key results", "2"), ("Average progress", "40%")):
        assert f"<b>{value}</b><span>{label}</span>" in page


def test_the_data_in_force_written_as_csv_reads_back_as_one_objective(tmp_path):
    from okrdata.templates import dataset_csvs

    ds = read(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    for name, data in dataset_csvs(ds).items():
        (out / name).write_bytes(data)
    okrs = pd.read_csv(out / "okrs.csv", encoding="utf-8-sig")
    assert okrs.loc[okrs["objective_id"] == "O1", "quarter"].tolist() == ["Annual 2026"]
    again = load([out])
    assert again.report.ok, again.report.to_text()
    cols = ["objective_id", "quarter", "period"]
    assert again.dataset.objectives[cols].equals(ds.objectives[cols])
    assert again.dataset.checkins["kr_id"].tolist() == ds.checkins["kr_id"].tolist()


def test_a_store_lists_an_annual_key_result_and_its_checkins_once_across_batches(tmp_path):
    """Team B's update of Q4 carries team A's annual objective into the new batch for Q4 only:
    Q1-Q3 stay in force from the first batch, Q4 from the second; the objective is listed once
    per quarter and its check-ins once."""
    db = tmp_path / "okr.duckdb"
    assert main(["import", str(files(tmp_path / "in")), "--db", str(db)]) == 0
    update = tmp_path / "b"
    update.mkdir()
    (update / "okrs.csv").write_text(
        "objective_id,objective,quarter,team,department,kr_id,key_result,target_value\n"
        "B1,Team B,2026-Q4,B,Ops,KB,Tickets,10\n"
    )
    assert main(["import", str(update), "--db", str(db), "--scope", "teams"]) == 0
    store = Store(db)
    history = store.history()
    assert len(history) == 2
    ds = store.dataset()
    o = ds.objectives
    assert o.loc[o["objective_id"] == "O1", "quarter"].tolist() == QUARTERS
    k = ds.key_results
    assert sorted(k.loc[k["kr_id"] == "K1", "quarter"]) == QUARTERS
    assert ds.checkins.loc[ds.checkins["kr_id"] == "K1", "value"].tolist() == [20.0, 50.0, 70.0]
    k1 = snapshot.build(ds, "2026-Q4", OCT15, today=OCT15).qkrs.set_index("kr_id").loc["K1"]
    assert (k1["current_value"], k1["n_checkins"]) == (70.0, 3)


def test_a_dependency_on_an_annual_key_result_belongs_to_the_quarter_it_is_due_in(tmp_path):
    folder = files(tmp_path / "in")
    (folder / "dependencies.csv").write_text(
        "team,depends_on_team,kr_id,depends_on_kr_id,description,status,due_date\n"
        "A,B,K1,,Data feed,blocked,2026-11-15\n"  # due in Q4, when K1 is listed: Q4's
        "A,B,K1,,Contract,open,2027-03-01\n"  # due after K1's year: K1's first quarter
    )
    ds = load([folder]).dataset
    assert ds.dependencies["kr_id"].tolist() == ["K1", "K1"]
    snap = snapshot.build(ds, "2026-Q4", OCT15, today=OCT15)
    quarters = snap.dependencies.set_index("description")["quarter"].to_dict()
    assert quarters == {"Data feed": "2026-Q4", "Contract": "2026-Q1"}
    assert snap.qdependencies["description"].tolist() == ["Data feed"]
    b = views.base(ds, "2026-Q4", OCT15, today=OCT15)
    risk = b.found[b.found["signal"] == "dependency_risk"]
    assert risk[["team", "kr_id", "objective_id"]].values.tolist() == [["A", "K1", "O1"]]


def test_an_annual_target_changed_between_imports_is_one_adjustment(tmp_path):
    db = tmp_path / "okr.duckdb"
    assert main(["import", str(files(tmp_path / "in")), "--db", str(db)]) == 0
    again = files(tmp_path / "again")
    (again / "okrs.csv").write_text(
        OKRS.replace("K1,Deals,increase,0,100", "K1,Deals,increase,0,120")
    )
    assert main(["import", str(again), "--db", str(db)]) == 0
    adjusted = Store(db).adjustments()
    assert adjusted[["kind", "objective_id", "kr_id", "old", "new"]].values.tolist() == [
        ["target", "O1", "K1", "100.0", "120.0"]
    ]


def test_the_preview_into_a_new_store_counts_the_annual_objective_once(tmp_path):
    store = Store(tmp_path / "okr.duckdb")  # no rows yet: its tables are empty Arrow text
    result = load([files(tmp_path / "in")])
    assert store.preview(result).sentence == (
        "This import changes: 2 objectives added, 2 key results added, 4 check-ins added."
    )
    (tmp_path / "alone").mkdir()
    (tmp_path / "alone" / "okrs.csv").write_text(
        "objective_id,objective,quarter,team\nO9,Plan,2026-Q3,A\n"
    )
    alone = store.preview(load([tmp_path / "alone"]))  # no key results on either side
    assert alone.sentence == "This import changes: 1 objective added."
