"""The first row of a repeated id wins, and every later one is reported: found by an aggregate
over (file, row) and the row's own rowid in staging (no window sorting every row), so an input
row that became several rows (a wide sheet's key results) still gives one objective."""

from __future__ import annotations

from pathlib import Path

from okrdata import db, staging
from okrdata.ingest import load

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"

HEADER = "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value"


def test_an_objective_whose_row_became_several_key_results_is_one_objective() -> None:
    result = load([FIXTURES / "wide_goals.csv"])
    assert result.report.ok, result.report.to_text()
    objs = result.dataset.objectives
    assert sorted(objs["objective_id"]) == ["OBJ-2", "OBJ-3", "OBJ-4"]
    assert not objs.duplicated(["objective_id", "quarter"]).any()
    krs = result.dataset.key_results
    assert sorted(krs["kr_id"]) == ["OBJ-2-KR1", "OBJ-2-KR2", "OBJ-3-KR1"]


def test_the_first_row_of_a_repeated_id_wins_and_each_later_row_is_reported(tmp_path: Path) -> None:
    (tmp_path / "okrs.csv").write_text(
        HEADER + "\n"
        "O-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100\n"  # row 2: the first KR-1
        "O-1,Grow,2026-Q4,Ops,KR-2,Deals,0,10\n"  # row 3: quarter and team differ from row 2
        "O-2,Keep,2026-Q3,People,KR-1,Retention,0,5\n"  # row 4: KR-1 again
        "O-2,Keep,2026-Q3,People,KR-1,Churn,0,5\n"  # row 5: and again
    )
    result = load([tmp_path])
    found = [(i.code, i.row, i.column, i.message) for i in result.report.errors]
    assert found == [
        ("conflicting_objective", 3, "quarter",
         "Objective O-1 has quarter 2026-Q4 here but 2026-Q3 on row 2."),
        ("conflicting_objective", 3, "team", "Objective O-1 has team Ops here but Sales on row 2."),
        ("duplicate_id", 4, "kr_id", "Key result id KR-1 is used again (first on row 2)."),
        ("duplicate_id", 5, "kr_id", "Key result id KR-1 is used again (first on row 2)."),
    ]  # fmt: skip
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs.loc["KR-1", "key_result"] == "ARR" and krs.loc["KR-1", "objective_id"] == "O-1"
    objs = result.dataset.objectives
    assert set(objs.loc[objs["objective_id"] == "O-1", "team"]) == {"Sales"}  # its first row's


def test_one_rows_problems_come_in_the_checks_order_however_duckdb_wrote_them(
    tmp_path: Path, monkeypatch
) -> None:
    """The problems of one row are listed by check (the order the checks file lists them), then
    by the column's place in the table: never by the order DuckDB happened to write the
    ``checks`` table in, which varies from run to run on large files (parallel writers)."""
    (tmp_path / "okrs.csv").write_text(
        HEADER + "\n"
        "O-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100\n"
        "O-1,Grow,2026-Q4,Ops,KR-2,Deals,x,10\n"  # row 3: a bad number, a team and a quarter
    )
    expected = [("bad_number", "start_value"), ("conflicting_objective", "quarter"),
                ("conflicting_objective", "team")]  # fmt: skip
    assert [(i.code, i.column) for i in load([tmp_path]).report.issues if i.row == 3] == expected

    run = db.run

    def written_backwards(con, name, params=None):  # the checks' rows in another order
        made = run(con, name, params)
        if name.startswith("checks_") and name != "checks_ranked" and "gates" not in name:
            con.execute("create or replace table checks as "
                        "select * from checks order by rowid desc")  # fmt: skip
            return con.execute("select count(*) from checks")
        return made

    monkeypatch.setattr(db, "run", written_backwards)
    monkeypatch.setattr(staging, "_gated", lambda con, name: db.sql(name))  # every check via run
    assert [(i.code, i.column) for i in load([tmp_path]).report.issues if i.row == 3] == expected


def test_a_repeat_whose_first_row_is_in_another_file_names_that_file(tmp_path: Path) -> None:
    """ "first on row 2" alone points at the wrong file when the first row is in another file
    or sheet: the message then names it."""
    (tmp_path / "a_okrs.csv").write_text(HEADER + "\nO-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100\n")
    (tmp_path / "b_okrs.csv").write_text(
        HEADER + "\nO-1,Grow,2026-Q4,Sales,KR-2,Deals,0,10\nO-2,Keep,2026-Q3,Ops,KR-1,NPS,0,5\n"
        "O-2,Keep,2026-Q3,Ops,KR-1,Churn,0,5\n"
    )
    found = [(i.file, i.row, i.message) for i in load([tmp_path]).report.errors]
    assert found == [
        ("b_okrs.csv", 2, "Objective O-1 has quarter 2026-Q4 here but 2026-Q3 on row 2 of a_okrs.csv."),
        ("b_okrs.csv", 3, "Key result id KR-1 is used again (first on row 2 of a_okrs.csv)."),
        ("b_okrs.csv", 4, "Key result id KR-1 is used again (first on row 2 of a_okrs.csv)."),
    ]  # fmt: skip
