"""The import ledger (``okrdata.ledger``): every row, packed item and column of an import is
accounted for, per file and sheet; counts in every summary are of distinct objectives and key
results; the command line and the store carry the ledger."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdata import ledger, sources
from okrdata.cli import main
from okrdata.ingest import FILE_SUFFIXES, load
from okrdata.scope import preview
from okrdata.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
VIVA = FIXTURES / "formats" / "viva_goals_export.csv"  # one annual objective in four quarters


REAL = Path(__file__).resolve().parents[2] / "shared" / "real-exports"
PACKED = FIXTURES / "ledger" / "packed_shape.csv"


def assert_balanced(book: ledger.Ledger) -> None:
    """Rows read = imported + kept aside + refused, none unaccounted, packed items add up."""
    for e in book.entries:
        assert e.read == e.imported + e.kept_aside + len(e.refused), e
        assert not e.unaccounted, e
        for kind, parts in e.packed.items():
            assert parts["read"] == sum(n for w, n in parts.items() if w != "read"), (kind, e)
        assert set(e.used).isdisjoint(e.unused), e


# an adapter of our own, for no tool: the contract every adapter keeps (aside, packed) -------


def _identify(sample: sources.Sample) -> sources.Claim | None:
    return (150.0, ["Ledger Kind"]) if "ledger kind" in sample.names else None


def _stage(con, ctx: sources.Context, honest: bool = True) -> sources.Converted:
    """Objectives and key results to okrs, deliverables to work, comment rows set aside;
    updates packed in one cell ("<date> <value>;…") become check-ins of key results, those on
    deliverables stay with the work item and those on objectives are set aside. Text only."""
    kind, name, v = f"coalesce({ctx.col('ledger kind')}, '')", ctx.col("ledger name"), ctx.relation
    period, team = ctx.col("ledger period"), ctx.col("ledger team")
    okrs = f"""
        select _pos, {name} as objective_id, {name} as objective, {period} as quarter,
               {team} as team, NULL as kr_id, NULL as key_result, NULL as target_value
        from {v} where {kind} = 'objective'
        union all by name
        select _pos, {ctx.col("ledger parent")} as objective_id,
               {ctx.col("ledger parent")} as objective, {period} as quarter, {team} as team,
               {name} as kr_id, {name} as key_result, {ctx.col("ledger target")} as target_value
        from {v} where {kind} = 'kr'"""
    work = f"""select _pos, {name} as title, {team} as team, {period} as period
               from {v} where {kind} = 'deliverable'"""
    updates = f"""
        select _pos, {kind} as kind, {name} as name, trim(u.unnest) as u, u.i as _seq
        from {v}, unnest(string_split(coalesce({ctx.col("ledger updates")}, ''), ';'))
             with ordinality as u(unnest, i)
        where trim(u.unnest) <> ''"""
    checkins = f"""
        select _pos, _seq, name as kr_id, split_part(u, ' ', 1) as date,
               nullif(substr(u, length(split_part(u, ' ', 1)) + 2), '') as value
        from ({updates}) where kind = 'kr'"""
    got = con.execute(f"""
        select count(*), count(*) filter (where kind = 'kr'),
               count(*) filter (where kind = 'deliverable'),
               count(*) filter (where kind = 'objective') from ({updates})""").fetchone()
    read, on_kr, on_work, on_obj = got
    comments = [r[0] for r in con.execute(
        f"select _pos from {v} where {kind} = 'comment' order by _pos").fetchall()]  # fmt: skip
    packed = {"check-ins": {"read": read + (0 if honest else 1), "on key results": on_kr,
                            "on work items kept as work": on_work,
                            "on objectives kept aside": on_obj}}  # fmt: skip
    return sources.Converted(
        {"okrs": okrs, "checkins": checkins, "work": work},
        unused=["Ledger Remark"],
        aside=[(comments, "comment rows")] if honest else [],
        packed=packed,
    )


TEST_SHAPE = sources.Adapter("ledger_test", "a ledger test export", _identify, stage=_stage)
CARELESS = sources.Adapter("ledger_careless", "a careless export", _identify,
                           stage=lambda con, c: _stage(con, c, honest=False))  # fmt: skip


def test_an_adapter_reports_rows_set_aside_and_items_packed_in_cells(monkeypatch):
    monkeypatch.setattr(sources, "ADAPTERS", [TEST_SHAPE, *sources.ADAPTERS])
    result = load([PACKED])
    e = result.ledger.entry(PACKED.name)
    assert (e.shape, e.why) == ("ledger_test", "looks like a ledger test export: Ledger Kind")
    assert (e.read, e.imported, e.aside, e.refused) == (
        5, 3, {"kept as work": [4], "comment rows": [6]}, [])  # fmt: skip
    assert e.packed == {"check-ins": {"read": 7, "on key results": 4,
                                      "on work items kept as work": 1,
                                      "on objectives kept aside": 2}}  # fmt: skip
    assert e.unused == ["Ledger Remark"] and "Ledger Updates" in e.used
    assert_balanced(result.ledger)
    assert e.sentences() == [
        "packed_shape.csv: 5 rows read: 3 imported, 2 kept aside (1 kept as work: row 4; "
        "1 comment rows: row 6)",
        "check-ins packed in cells: 7 read: 4 on key results, 1 on work items kept as work, "
        "2 on objectives kept aside",
        "columns not used: Ledger Remark",
    ]
    assert not [i for i in result.report.warnings if i.code.startswith("unaccounted")]


def test_rows_and_packed_items_an_adapter_loses_are_named_in_a_warning(monkeypatch):
    monkeypatch.setattr(sources, "ADAPTERS", [CARELESS, *sources.ADAPTERS])
    result = load([PACKED])
    e = result.ledger.entry(PACKED.name)
    assert e.unaccounted == [6] and not e.balanced
    assert e.packed_gaps() == {"check-ins": 1}
    said = {i.code: i for i in result.report.warnings}
    assert said["unaccounted_rows"].row == 6
    assert "1 row read is neither imported, kept aside nor refused (row 6)" in (
        said["unaccounted_rows"].message
    )
    assert said["unaccounted_packed"].message.startswith(
        "1 check-ins packed in cells is read but not placed"
    )


# what the readers skip, what staging keeps aside, what the report refuses -------------------


OKRS_HEAD = "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value,Creator"


def test_a_sheet_s_rows_imported_kept_aside_and_refused_in_a_sentence(tmp_path):
    path = tmp_path / "okrs.csv"
    path.write_text("\n".join([
        OKRS_HEAD,
        "O1,Grow,2026-Q1,Sales,K1,Deals,0,10,ann",      # 2 imported
        "O1,Grow,2026-Q1,Sales,K2,Leads,0,lots,ann",    # 3 refused: not a number
        "O2,Someday,Backlog,Sales,K3,Ideas,0,5,ann",    # 4 in no quarter
        "O3,Ship,2026-Q1,Sales,K4,Deploys,0,50,ann",    # 5 imported
        "Total,,,,,,0,65,",                             # 6 summary row
    ]) + "\n")  # fmt: skip
    result = load([path])
    e = result.ledger.entry("okrs.csv")
    assert (e.read, e.imported, e.aside, e.refused, e.unaccounted) == (
        5, 2, {"in no quarter": [4], "summary row": [6]}, [3], [])  # fmt: skip
    assert e.unused == ["Creator"]
    assert e.sentences()[0] == (
        "okrs.csv: 5 rows read: 2 imported, 2 kept aside (1 in no quarter: row 4; 1 summary row: "
        "row 6), 1 refused (row 3)"
    )


def test_a_header_repeated_above_each_block_is_kept_aside_with_its_title(tmp_path):
    path = tmp_path / "book.xlsx"
    rows = [OKRS_HEAD.split(",")[:8],
            ["O1", "Grow", "2026-Q1", "Sales", "K1", "Deals", "0", "10"],
            ["Team Ops", None, None, None, None, None, None, None],
            OKRS_HEAD.split(",")[:8],
            ["O2", "Run", "2026-Q1", "Ops", "K2", "Uptime", "0", "99"]]  # fmt: skip
    pd.DataFrame(rows).to_excel(path, sheet_name="OKRs", header=False, index=False)
    e = load([path]).ledger.entry("book.xlsx", "OKRs")
    assert (e.read, e.imported, e.aside) == (
        4, 2, {"block title row": [3], "repeated header row": [4]})  # fmt: skip


def test_a_sheet_missing_a_required_column_is_refused_row_by_row(tmp_path):
    path = tmp_path / "okrs.csv"
    path.write_text("objective,team,kr_id\nGrow,Sales,K1\nShip,Ops,K2\n")
    e = load([path]).ledger.entry("okrs.csv")
    assert (e.read, e.imported, e.refused) == (2, 0, [2, 3])


# the ledger balances on every fixture, every real export and generated files ----------------


def fixture_inputs() -> list[Path]:
    """Every file under tests/fixtures, each loaded alone, and every folder of several files
    (a database export's tables, a messy export's two files) loaded as a whole."""
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file()
                   and p.suffix.lower() in FILE_SUFFIXES)  # fmt: skip
    folders = sorted({p.parent for p in files if sum(1 for _ in p.parent.glob("*.csv")) > 1})
    return [*files, *folders]


@pytest.mark.parametrize("path", fixture_inputs(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_the_ledger_balances_on_every_fixture(path):
    result = load([path])
    assert_balanced(result.ledger)
    assert not [i for i in result.report.issues if i.code.startswith("unaccounted")]


@pytest.mark.skipif(not REAL.is_dir(), reason=f"no real exports at {REAL} (kept outside the "
                    "repository)")  # fmt: skip
def test_the_ledger_balances_on_every_real_export():
    for case in sorted(p for p in REAL.iterdir() if p.is_dir()):
        result = load([case])
        assert_balanced(result.ledger)
        assert result.ledger.entries, case
        assert not [i for i in result.report.issues if i.code.startswith("unaccounted")], case


ROW = st.sampled_from(["good", "bad_number", "no_team", "backlog", "blank", "work"])


@pytest.mark.slow  # about 15 s: 25 generated files imported
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kinds=st.lists(ROW, min_size=1, max_size=12), summaries=st.integers(0, 2),
       comma=st.booleans())  # fmt: skip
def test_the_ledger_balances_on_generated_files(tmp_path, kinds, summaries, comma):
    """Rows of every kind, blank ones among them, summary rows at the bottom: each row read is
    counted once, blank rows not at all."""
    line = {
        "good": "O{i},Grow {i},2026-Q1,Sales,K{i},Deals {i},0,10,",
        "bad_number": "O{i},Grow {i},2026-Q1,Sales,K{i},Deals {i},0,lots,",
        "no_team": "O{i},Grow {i},2026-Q1,,K{i},Deals {i},0,10,",
        "backlog": "O{i},Grow {i},Backlog,Sales,K{i},Deals {i},0,10,",
        "blank": ",,,,,,,,",
        "work": "O{i},Grow {i},2026-Q1,Sales,,Write the plan {i},,,initiative",
    }
    head = "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value,type"
    lines = [head, *(line[k].format(i=i) for i, k in enumerate(kinds))]
    lines += ["Total,,,,,,,,"] * summaries
    text = "\n".join(lines) + "\n"
    path = tmp_path / "gen.csv"
    path.write_text(text.replace(",", ";") if comma else text)
    result = load([path])
    assert_balanced(result.ledger)
    e = result.ledger.entry("gen.csv")
    filled = [k for k in kinds if k != "blank"]
    # a blank row is no row, unless the report names it (then it is read, and refused)
    blank_named = [i + 2 for i, k in enumerate(kinds) if k == "blank" and i + 2 in e.refused]
    assert e.read == len(filled) + summaries + len(blank_named)
    assert len(e.aside.get("summary row", [])) == summaries
    assert len(e.refused) >= sum(k in ("bad_number", "no_team") for k in filled)
    assert e.imported <= sum(k == "good" for k in filled)


# the command line and the store carry the ledger -----------------------------------------


def test_validate_prints_the_ledger_and_gives_it_in_json(capsys):
    assert main(["validate", str(VIVA)]) == 0
    out = capsys.readouterr().out
    assert ("What was read:\nviva_goals_export.csv: 7 rows read: 5 imported, 2 kept aside "
            "(2 kept as work: rows 7–8) (looks like a Viva Goals export") in out  # fmt: skip
    assert "\n  columns not used: Description, Created By, Created At, Last Check-in\n" in out
    assert main(["validate", str(VIVA), "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    (entry,) = body["ledger"]
    assert (entry["file"], entry["read"], entry["imported"], entry["aside"]) == (
        "viva_goals_export.csv", 7, 5, {"kept as work": [7, 8]})  # fmt: skip
    assert body["issues"] and body["ok"] is True


def test_import_prints_the_ledger_and_the_store_keeps_it(tmp_path, capsys):
    db = str(tmp_path / "okr.duckdb")
    assert main(["import", str(VIVA), "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("What was read:\nviva_goals_export.csv: 7 rows read: 5 imported")
    assert out.splitlines()[-1].startswith("Imported batch 1 (2 objectives")
    store = Store(db)
    try:
        kept = store.ledger(1)
        assert kept.entry("viva_goals_export.csv").aside == {"kept as work": [7, 8]}
        assert kept.balanced and store.ledger(99).entries == []
    finally:
        store.close()
    assert main(["import", str(VIVA), "--db", db, "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["batch_id"] == 1 and body["ledger"][0]["imported"] == 5


# distinct counts --------------------------------------------------------------------------


def test_an_annual_objective_is_one_objective_in_the_import_summary_and_history(tmp_path):
    store = Store(tmp_path / "okr.duckdb")
    try:
        result, outcome = store.import_files([VIVA])
        assert len(result.dataset.objectives) == 5  # shown in four quarters, plus one
        assert outcome.message.startswith("Imported batch 1 (2 objectives, 3 key results"), (
            outcome.message
        )
        history = store.history()
        assert history.loc[0, "rows_objectives"] == 2
        assert history.loc[0, "rows_key_results"] == 3
    finally:
        store.close()


def test_distinct_counts_strip_the_quarter_of_a_copy():
    from okrdata.model import distinct_counts

    ds = load([VIVA]).dataset
    assert distinct_counts(ds) == {
        "objectives": 2, "key_results": 3, "checkins": 4, "dependencies": 0, "teams": 0,
    }  # fmt: skip


def test_the_import_preview_counts_an_annual_objective_once():
    ds = load([VIVA]).dataset
    empty = ds.__class__(**{t: f.iloc[0:0] for t, f in ds.tables().items()})
    assert preview(empty, ds).sentence.startswith("This import changes: 2 objectives added, 3 key")


# the Data page ----------------------------------------------------------------------------


@pytest.mark.slow  # AppTest
def test_the_data_page_says_what_was_read_after_validation_and_after_import(store_path):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at = at.switch_page("pages/data.py").run()
    at.file_uploader[0].upload(VIVA.name, VIVA.read_bytes(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    panel = next(e for e in at.expander if e.label == f"What was read: {VIVA.name}")
    text = " ".join(m.value for m in panel.markdown)
    assert "7 rows read: 5 imported, 2 kept aside (2 kept as work: rows 7–8)" in text
    assert "columns not used: Description, Created By, Created At, Last Check" in text
    next(b for b in at.button if b.label == "Import into the store").click().run()
    assert any(s.value.startswith("Imported batch 1 (2 objectives") for s in at.success)
    labels = [e.label for e in at.expander]
    assert labels.count(f"What was read: {VIVA.name}") == 2  # the batch's, and the upload's


def test_a_confidence_on_a_key_result_row_is_listed_as_not_used(tmp_path):
    """A key result's confidence is read from its check-ins: one on an okrs row has no place,
    so the ledger lists its column as not used instead of counting it as read and dropping it."""
    path = tmp_path / "okrs.csv"
    path.write_text(
        "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value,"
        "current_value,Confidence\nO-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100,40,High\n"
    )
    e = load([path]).ledger.entry("okrs.csv")
    assert (e.read, e.imported, e.unused) == (1, 1, ["Confidence"])
