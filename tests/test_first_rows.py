"""The first row of a repeated id wins, and every later one is reported: found by an aggregate
over (file, row) and the row's own rowid in staging (no window sorting every row), so an input
row that became several rows (a wide sheet's key results) still gives one objective."""

from __future__ import annotations

from pathlib import Path

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
        "O-1,Grow,2026-Q4,Ops,KR-2,Deals,0,10\n"  # row 3: team and quarter differ from row 2
        "O-2,Keep,2026-Q3,People,KR-1,Retention,0,5\n"  # row 4: KR-1 again
        "O-2,Keep,2026-Q3,People,KR-1,Churn,0,5\n"  # row 5: and again
    )
    result = load([tmp_path])
    found = [(i.code, i.row, i.column, i.message) for i in result.report.errors]
    assert found == [
        ("conflicting_objective", 3, "team", "Objective O-1 has team Ops here but Sales on row 2."),
        ("conflicting_objective", 3, "quarter",
         "Objective O-1 has quarter 2026-Q4 here but 2026-Q3 on row 2."),
        ("duplicate_id", 4, "kr_id", "Key result id KR-1 is used again (first on row 2)."),
        ("duplicate_id", 5, "kr_id", "Key result id KR-1 is used again (first on row 2)."),
    ]  # fmt: skip
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs.loc["KR-1", "key_result"] == "ARR" and krs.loc["KR-1", "objective_id"] == "O-1"
    objs = result.dataset.objectives
    assert set(objs.loc[objs["objective_id"] == "O-1", "team"]) == {"Sales"}  # its first row's
