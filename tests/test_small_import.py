"""The fixed cost of a small import: its shortcuts give what the full path gives.

An input table without a file (no check-ins, dependencies or teams) makes its staging tables
empty and its Dataset table empty; after the first such import in a process they are made
directly instead of binding their SQL (``staging._run_empty``, ``staging._ds_table``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from okrdata import ingest, staging

OKRS = (
    "objective_id,objective,quarter,team,parent_objective_id,kr_id,key_result,"
    "start_value,target_value,current_value\n"
    "O-1,Grow,2026-Q3,Sales,,KR-1,ARR,0,100,40\n"
    "O-1,Grow,2026-Q3,Sales,,KR-2,Deals,10,10,abc\n"
    "O-2,Keep,2026-Q3,Support,O-9,KR-3,NPS,20,50,30\n"
)
DEPENDENCIES = (
    "team,depends_on_team,kr_id,depends_on_kr_id,description,status,due_date\n"
    "Sales,Support,KR-1,KR-3,Data feed,blocked,2026-08-15\n"
    "Sales,Legal,KR-9,,Contract,maybe,2026-13-40\n"
)
CHECKINS = "kr_id,date,value\nKR-1,2026-07-10,30\nKR-3,2026-07-12,35\n"


def _staged_tables(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, pa.Table]]:
    """Every table of the import's DuckDB as the checks start (rows sorted), one per import."""
    seen: list[dict[str, pa.Table]] = []
    check = staging.check

    def spy(con: duckdb.DuckDBPyConnection, *args: object) -> None:
        names = [n for (n,) in con.execute("select table_name from duckdb_tables()").fetchall()]
        seen.append(
            {n: con.sql(f"select * from {n} order by all").to_arrow_table() for n in sorted(names)}
        )
        check(con, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(staging, "check", spy)
    return seen


def _same(a: ingest.LoadResult, b: ingest.LoadResult) -> None:
    for table in ("objectives", "key_results", "dependencies", "teams"):
        pd.testing.assert_frame_equal(getattr(a.typed, table), getattr(b.typed, table))
    assert a.typed.checkins.equals(b.typed.checkins, check_metadata=True)
    pd.testing.assert_frame_equal(a.aside, b.aside)
    assert [vars(i) for i in a.report.issues] == [vars(i) for i in b.report.issues]
    assert [s.notes for s in a.sources] == [s.notes for s in b.sources]


@pytest.mark.parametrize(
    ("files", "empty"),
    [
        pytest.param(
            {"okrs.csv": OKRS}, {"stg_checkins", "stg_dependencies", "stg_teams"}, id="okrs"
        ),
        pytest.param(
            {"okrs.csv": OKRS, "deps.csv": DEPENDENCIES}, {"stg_checkins", "stg_teams"}, id="deps"
        ),
        pytest.param(
            {"okrs.csv": OKRS, "checkins.csv": CHECKINS},
            {"stg_dependencies", "stg_teams"},
            id="checkins",
        ),
    ],
)
def test_an_absent_input_gives_the_full_paths_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], empty: set[str]
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(staging, "_EMPTY_TABLES", {})
    monkeypatch.setattr(staging, "_EMPTY_DS", {})
    staged = _staged_tables(monkeypatch)
    full = ingest.load_dir(tmp_path)  # the full SQL on the empty tables, noted
    assert set(staging._EMPTY_TABLES) == empty
    short = ingest.load_dir(tmp_path)  # the empty tables made directly
    _same(full, short)
    assert full.report.issues  # the checks that run still report (bad number, parent, …)
    first, second = staged
    assert list(first) == list(second)
    for name in first:
        assert first[name].equals(second[name], check_metadata=True), name
    for name in empty:
        assert second[name].num_rows == 0
