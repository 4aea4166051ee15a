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

from okrdata import db, ingest, staging

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


# --- the gates of checks_okrs and checks_checkins ----------------------------------------------

LONG = "x" * 1001
EVERY_CHECK = (
    "objective_id,objective,quarter,team,parent_objective_id,kr_id,key_result,start_value,"
    "target_value,current_value,weight,okr_type,metric_type,current_as_of,kr_quarter\n"
    "O-1,Grow,2026-Q3,Sales,O-99,KR-1,ARR,0,100,abc,-1,weird,,not a day,\n"
    "O-1,Grow,2026-Q4,Support,,KR-1,ARR again,10,10,5,1,,sideways,,soon\n"
    f",{LONG},someday,Ops,,,{LONG},0,5,1,,,,,\n"
    "O-3,Bad quarter,2026-Q7,Ops,,KR-4,Launch the podcast,0,5,1,,,,,\n"
)
EVERY_CHECKIN = (
    "kr_id,date,value,target_value,confidence,status,comment\n"
    "KR-1,2026-07-10,30,,,,\n"
    "KR-1,2026-07-10,31,,,,\n"
    "KR-1,not a day,1x2y,,,,\n"
    "KR-4,1900-01-01,2,0,,,\n"
    "KR-4,2099-01-01,3,,500%,purple,\n"
    "KR-4,2026-07-12,going well,,,,\n"
    "KR-7,2026-07-12,4,,,,\n"
    "Launch podcast,2026-07-13,4,,,,\n"
)
# the bad fixtures in one import (test_bad_inputs checks each file's report on its own)
FOLDERS = ["sample_data", "tests/fixtures/messy", "tests/fixtures/broken", "tests/fixtures/bad"]


def _every_check(folder: Path) -> list[str]:
    (folder / "okrs.csv").write_text(EVERY_CHECK, encoding="utf-8")
    (folder / "checkins.csv").write_text(EVERY_CHECKIN, encoding="utf-8")
    return [str(folder)]


def _gates_and_findings(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[tuple[dict, dict]]]:
    """Per gated checks file, per import: each gate and how many rows its check alone finds."""
    seen: dict[str, list[tuple[dict, dict]]] = {name: [] for name in staging.GATED}
    check = staging.check
    heads = {}
    for name in staging.GATED:
        body = db.sql(name).split("create or replace table checks as", 1)[1]
        heads[name] = body[: body.index("final as (")]

    def spy(con: duckdb.DuckDBPyConnection, *args: object) -> None:
        for name in staging.GATED:
            gates = db.run(con, f"{name}_gates")
            names = [d[0] for d in gates.description or ()]
            open_ = dict(zip(names, gates.fetchone() or (), strict=True))
            found = {}
            for cte in names:
                query = f"{heads[name]}final as (select * from {cte}) select count(*) from final"
                try:  # a check reading no setting binds none (the quarters' days read one)
                    got = con.execute(query).fetchone()
                except (duckdb.BinderException, duckdb.InvalidInputException):
                    got = con.execute(query, {"fiscal_start_month": 1}).fetchone()
                found[cte] = (got or (0,))[0]
            seen[name].append((open_, found))
        check(con, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(staging, "check", spy)
    return seen


@pytest.mark.parametrize(
    "inputs",
    [["every_check"], *([f] for f in FOLDERS)],
    ids=lambda inputs: Path(inputs[0]).name,
)
def test_a_closed_gate_is_a_check_that_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inputs: list[str]
) -> None:
    if inputs == ["every_check"]:
        inputs = _every_check(tmp_path)
    seen = _gates_and_findings(monkeypatch)
    gated = ingest.load(inputs)
    for name, imports in seen.items():
        for open_, found in imports:
            assert [n for n, rows in found.items() if rows and not open_[n]] == [], name
    monkeypatch.setattr(staging, "_gated", lambda con, name: db.sql(name))
    full = ingest.load(inputs)
    assert [vars(i) for i in gated.report.issues] == [vars(i) for i in full.report.issues]


def test_every_check_finds_its_rows_through_open_gates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _gates_and_findings(monkeypatch)
    ingest.load(_every_check(tmp_path))
    [(open_, found)] = seen["checks_okrs"]
    # every check but the fiscal label's (a fiscal year inferred from check-ins) finds a row
    assert [n for n, rows in found.items() if not rows] == ["fiscal_dated"]
    assert [n for n, gate in open_.items() if not gate] == ["fiscal_dated"]
    [(open_, found)] = seen["checks_checkins"]
    assert [n for n, rows in found.items() if not rows] == []
    assert [n for n, gate in open_.items() if not gate] == []


def test_enum_alias_bound_as_lists_is_the_sql_files_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "_ALIASES", {})
    tables = []
    for _ in range(2):  # the file run, then its values bound
        con = db.connect()
        staging._enum_aliases(con)
        tables.append(con.sql("select * from enum_alias").to_arrow_table())
        con.close()
    assert tables[0].num_rows > 100
    assert tables[0].equals(tables[1], check_metadata=True)


def test_conform_keeps_a_column_of_its_dtype_and_converts_the_others() -> None:
    from okrdata.model import SCHEMA, conform

    frame = pd.DataFrame(
        {
            "kr_id": pd.array(["KR-1", None], dtype=pd.StringDtype("python")),  # other storage
            "objective_id": pd.array(["O-1", "O-2"], dtype=pd.StringDtype()),
            "start_value": [0.0, None],
            "target_value": ["10", "x"],  # text
            "current_as_of": pd.to_datetime(["2026-07-01", None]),
            "weight": pd.array([1, 2], dtype="Int64"),
        }
    )
    out = conform("key_results", frame)
    assert list(out.columns) == list(SCHEMA["key_results"])
    kinds = {"str": pd.StringDtype(), "float": "float64", "date": "datetime64[ns]"}
    assert {c: out[c].dtype == kinds[k] for c, k in SCHEMA["key_results"].items()} == {
        c: True for c in SCHEMA["key_results"]
    }
    assert out["kr_id"].tolist() == ["KR-1", pd.NA]
    assert out["target_value"].tolist()[0] == 10.0 and pd.isna(out["target_value"][1])
    assert out["weight"].tolist() == [1.0, 2.0]
    out.loc[0, "objective_id"] = "changed"
    assert frame["objective_id"][0] == "O-1"  # no view of the input
    pd.testing.assert_frame_equal(conform("key_results", out), out)


def test_period_map_holds_each_label_as_periods_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from okrdata.periods import parse_period

    labels = ["2026-Q3", "Annual 2026", "H1 2027", "Rolling", "someday"]
    rows = "".join(f"O-{i},Goal {i},{q},Sales,KR-{i},Deals,0,5\n" for i, q in enumerate(labels))
    (tmp_path / "okrs.csv").write_text(
        "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value\n" + rows,
        encoding="utf-8",
    )
    seen: list[list[tuple]] = []
    period_map = staging._period_map

    def spy(con: duckdb.DuckDBPyConnection, config: object) -> None:
        period_map(con, config)  # type: ignore[arg-type]
        seen.append(con.execute("select * from period_map order by raw").fetchall())

    monkeypatch.setattr(staging, "_period_map", spy)
    ingest.load_dir(tmp_path)
    expected = []
    for label in sorted(labels):
        p = parse_period(label)
        expected.append((label, p.kind, list(p.quarters) or None, None))
    assert seen == [expected]
    assert any(q is None for _, _, q, _ in expected) and any(
        len(q or []) > 1 for *_, q, _ in expected
    )


@pytest.mark.parametrize("cells", [0, 10**9])
def test_the_raw_text_is_dropped_from_a_size_on_and_nothing_else_changes(
    monkeypatch: pytest.MonkeyPatch, cells: int
) -> None:
    monkeypatch.setattr(staging, "DROP_TEXT_CELLS", cells)
    staged = _staged_tables(monkeypatch)
    result = ingest.load_dir("sample_data")
    raw = [name for name in staged[0] if name.startswith("raw_")]
    assert (raw == []) == (cells == 0)
    monkeypatch.setattr(staging, "DROP_TEXT_CELLS", 10**9 - cells)
    _same(result, ingest.load_dir("sample_data"))
