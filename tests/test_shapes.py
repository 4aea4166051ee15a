"""Real exports as they come: each shape imports without edits, with the counts the file holds,
exact report messages and the file's own row numbers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from okrdata import ingest
from okrdata.sources.database import entity_of

FIXTURES = Path(__file__).parent / "fixtures"
VIVA = FIXTURES / "formats" / "viva_goals_export.csv"


def issues(result: ingest.LoadResult) -> list[tuple]:
    return [(i.severity, i.code, i.file, i.row, i.message) for i in result.report.sorted()]


# --- Viva Goals --------------------------------------------------------------------------------


def test_viva_goals_export_imports_with_what_the_file_holds():
    result = ingest.load([VIVA])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    # two objectives (one annual, shown in its four quarters), three key results, four
    # check-ins (two packed in a cell, two in unnamed trailing columns), two work items
    assert ds.objectives[["objective_id", "quarter"]].values.tolist() == [
        ["1", "2026-Q1"], ["1", "2026-Q2"], ["1", "2026-Q3"], ["3", "2026-Q3"], ["1", "2026-Q4"]
    ]  # fmt: skip
    krs = ds.key_results.set_index("kr_id")
    assert krs["objective_id"].to_dict() == {"2": "1", "4": "3", "5": "3"}
    assert krs.loc["2", "quarter"] == "2026-Q3"
    assert krs.loc["4", "metric_type"] == "binary"  # "Achieved or not"
    assert krs.loc["4", "weight"] == 50  # the first of two parents, an objective
    ck = ds.checkins.assign(day=ds.checkins["date"].dt.strftime("%Y-%m-%d"))
    assert ck[["kr_id", "day", "value", "status"]].values.tolist() == [
        ["2", "2026-07-14", 4.0, "on_track"],
        ["2", "2026-08-11", 8.0, "at_risk"],
        ["2", "2026-09-01", 10.0, "on_track"],
        ["5", "2026-08-20", 25.0, "off_track"],
    ]
    work = result.aside[result.aside["kind"] == "work"]
    assert work[["title", "objective_id", "kr_id", "_row"]].values.tolist() == [
        ["Partner portal design", "3", "4", 7],
        ["Reseller agreement template", "1", "2", 8],
    ]
    assert "Partner portal design" not in set(ds.objectives["objective"])
    assert issues(result) == [
        ("warning", "unknown_columns", "viva_goals_export.csv", 1,
         "4 columns of a Viva Goals export are not used: Description, Created By, Created At, "
         "Last Check-in."),
    ]  # fmt: skip
    notes = {s.table: s.notes[-1] for s in result.sources}
    assert (
        notes["okrs"]
        == "looks like a Viva Goals export: Type, Aligned To, Progress, Checkins; converted to objectives and key results"
    )


def test_viva_goals_errors_point_at_the_files_own_rows(tmp_path):
    text = VIVA.read_text().replace("2026-08-20: 25 (Behind)", "2026-08-20: #N/A (Behind)")
    text = text.replace("Number,20,40,25", "Number,20,forty,25")
    (tmp_path / "viva.csv").write_text(text)
    result = ingest.load([tmp_path / "viva.csv"])
    found = [(i.code, i.row, i.column, i.value) for i in result.report.errors]
    assert found == [
        ("bad_number", 6, "target_value", "forty"),
        ("bad_number", 6, "value", "#N/A"),  # a check-in packed in a trailing column of row 6
    ]


def test_viva_goals_export_without_its_id_column_is_still_viva(tmp_path):
    frame = pd.read_csv(VIVA, dtype=str, keep_default_na=False).drop(columns="Id")
    frame.to_csv(tmp_path / "viva_no_ids.csv", index=False)
    result = ingest.load([tmp_path / "viva_no_ids.csv"])
    assert result.report.ok, result.report.to_text()
    assert result.sources[0].table == "okrs"
    ds = result.dataset
    assert ds.objectives["objective"].nunique() == 2 and len(ds.key_results) == 3
    assert len(ds.checkins) == 4
    by_title = ds.key_results.set_index("key_result")["objective_id"]
    objs = ds.objectives.set_index("objective_id")["objective"]
    assert objs[by_title["Pilot partner satisfaction"]] == "Launch the partner portal"


# --- one file per database table ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "entity"),
    [("objective.csv", "objective"), ("key_results.csv", "key_result"),
     ("check_in.csv", "check_in"), ("quarters.csv", "quarter"), ("team.csv", "team"),
     ("public.key_result.csv", "key_result"), ("okrs.csv", None)],
)  # fmt: skip
def test_entity_named_by_its_file(name, entity):
    assert entity_of(name) == entity


def test_one_file_per_database_table_is_joined_by_ids():
    result = ingest.load_dir(FIXTURES / "relational")
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert (len(ds.objectives), len(ds.key_results), len(ds.checkins), len(ds.teams)) == (
        4,
        4,
        4,
        3,
    )
    objs = ds.objectives.set_index("objective_id")
    assert objs.loc["102", ["quarter", "team", "parent_objective_id"]].tolist() == [
        "2023-Q4", "Platform", "101"]  # fmt: skip
    assert objs.loc["104", "quarter"] == "2024-Q1"
    assert ds.teams.set_index("team")["parent_team"].dropna().to_dict() == {
        "Mobile": "Engineering", "Platform": "Engineering"}  # fmt: skip
    assert ds.checkins["date"].max() == pd.Timestamp("2023-12-11")  # "… .318197 UTC"
    assert [s.notes[-1] for s in result.sources if s.name == "quarter.csv"] == [
        "looks like the quarter table of a database export, linked by ids; used to name periods"
    ]
    assert ("warning", "unknown_columns", "objective.csv", 1,
            "4 columns of the objective table are not used: description, created_at, "
            "updated_at, archived.") in issues(result)  # fmt: skip


def test_database_tables_report_rows_of_their_own_files(tmp_path):
    folder = tmp_path / "db"
    shutil.copytree(FIXTURES / "relational", folder)
    path = folder / "check_in.csv"
    path.write_text(path.read_text().replace("303,202,3.5", "303,299,3.5"))
    result = ingest.load_dir(folder)
    (error,) = result.report.errors
    assert (error.file, error.row, error.code, error.message) == (
        "check_in.csv", 4, "unknown_kr",
        "Key result 299 is not in the okrs data. Add it to the okrs table or correct the id here.")  # fmt: skip


# --- a spreadsheet tracker with a weekly-updates tab --------------------------------------------


def test_tracker_without_ids_and_its_weekly_updates_tab():
    result = ingest.load([FIXTURES / "shapes" / "okr_tracker.xlsx"])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert (len(ds.objectives), len(ds.key_results), len(ds.checkins)) == (2, 5, 4)
    krs = ds.key_results.set_index("key_result")
    kinds = krs[["metric_type", "start_value", "target_value", "current_value"]]
    assert kinds.loc["Trial to paid conversion"].tolist() == ["increase", 8, 12, 9.5]
    assert kinds.loc["Onboarding checklist completion"].tolist() == ["increase", 0, 100, 40]
    assert kinds.loc["Launch the in-app guide"].tolist() == ["binary", 0, 1, 1]
    assert kinds.loc["First reply time under 2 hours"].tolist() == ["increase", 0, 1, 0.7]
    assert krs["kr_owner"].tolist() == ["ana", "bo", "cy", "dee", "eli"]
    ck = ds.checkins.merge(ds.key_results, on="kr_id")
    assert ck.groupby("key_result").size().to_dict() == {
        "Help centre articles refreshed": 1, "Onboarding checklist completion": 3}  # fmt: skip
    assert ds.checkins["confidence"].tolist() == [0.9, 0.5, 0.5, 0.2]
    notes = {s.sheet: s.notes for s in result.sources}
    assert notes["Weekly Updates"] == [
        "looks like check-ins: Week Of, Key Result, Progress, Confidence, Notes (check-ins)"
    ]
    assert notes["OKRs"] == [
        "looks like objectives and key results: Quarter, Team, Objective, Key Result, Owner, "
        "Start (objectives and key results)"
    ]


# --- from the command line -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "counts"),
    [
        (VIVA, (5, 3, 4)),  # the annual objective in its four quarters, and one more
        (FIXTURES / "relational", (4, 4, 4)),
        (FIXTURES / "shapes" / "okr_tracker.xlsx", (2, 5, 4)),
    ],
)
def test_each_shape_imports_from_the_cli(tmp_path, capsys, path, counts):
    from okrdata.cli import main
    from okrdata.store import Store

    db = str(tmp_path / "okr.duckdb")
    assert main(["import", str(path), "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Imported batch 1")
    store = Store(db)
    try:
        ds = store.dataset()
        assert (len(ds.objectives), len(ds.key_results), len(ds.checkins)) == counts
    finally:
        store.close()


def test_validate_says_which_shape_it_saw(capsys):
    from okrdata.cli import main

    assert main(["validate", str(FIXTURES / "relational")]) == 0
    out = capsys.readouterr().out
    assert "objective.csv: okrs, 4 rows (looks like the objective table of a database export" in out
    assert main(["validate", str(VIVA)]) == 0
    assert (
        "(looks like a Viva Goals export: Type, Aligned To, Progress, Checkins; converted to objectives and key results)"
        in (capsys.readouterr().out)
    )


# --- XLSX workbooks as tools export them ------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list]], **options) -> Path:
    """A workbook written as a spreadsheet program saves it: ``None`` leaves a cell blank,
    datetimes are real Excel dates, ``("pct", 0.45)`` a number shown as a percentage; options:
    ``hidden`` (sheet names), ``merged`` ({sheet: [(first_row, col, last_row, value)]})."""
    import datetime as dt

    import xlsxwriter

    book = xlsxwriter.Workbook(path)
    pct = book.add_format({"num_format": "0%"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, tuple):
                    ws.write_number(r, c, value[1], pct)
                elif isinstance(value, dt.datetime):
                    ws.write_datetime(r, c, value, day)
                else:
                    ws.write(r, c, value)
        for first, col, last, value in options.get("merged", {}).get(name, []):
            ws.merge_range(first, col, last, col, value)
        if name in options.get("hidden", ()):
            ws.hide()
    book.close()
    return path


KR_HEAD = ["Objective ID", "Objective", "Quarter", "Team", "KR ID", "Key Result", "Start",
           "Target", "Current"]  # fmt: skip


def test_a_header_below_a_title_row_and_blank_rows_is_found(tmp_path):
    path = workbook(tmp_path / "okrs.xlsx", {
        "OKRs": [
            ["Q3 2026 OKR tracker"],
            ["Exported 1 Aug 2026 by the strategy team"],
            [],
            KR_HEAD,
            ["O-1", "Grow revenue", "Q3 2026", "Sales", "KR-1", "ARR", 0, 100, 45],
            [],
            ["O-2", "Ship faster", "Q3 2026", "Eng", "KR-2", "Lead time", 10, 2, "five"],
        ],
        "Check-ins": [["Updates"], ["KR ID", "Date", "Value"], ["KR-1", "2026-07-15", 40]],
    })  # fmt: skip
    result = ingest.load([path])
    assert [(s.sheet, s.table) for s in result.sources] == [("OKRs", "okrs"),
                                                              ("Check-ins", "checkins")]  # fmt: skip
    assert "header found on row 4" in result.sources[0].notes
    assert sorted(result.dataset.key_results["kr_id"]) == ["KR-1", "KR-2"]
    assert result.dataset.checkins["value"].tolist() == [40.0]
    assert [(i.code, i.sheet, i.row, i.column, i.value) for i in result.report.errors] == [
        ("bad_number", "OKRs", 7, "Current", "five")
    ]


def test_objective_cells_merged_or_left_blank_under_an_objective_are_its_key_results(tmp_path):
    path = workbook(tmp_path / "okrs.xlsx", {
        "OKRs": [
            [*KR_HEAD, "Parent"],
            [None, None, "Q3 2026", "Sales", "KR-1", "ARR", 0, 100, 45, "CO-1"],
            [None, None, None, None, "KR-2", "Deals", 0, 10, 4],
            ["O-2", "Ship faster", "Q3 2026", "Eng", "KR-3", "Lead time", 10, 2, 5],
            [None, None, None, None, "KR-4", "Deploys", 0, 50, 20],
            [None, None, None, None, None, None, None, None, None],
            ["CO-1", "Win the market", "Q3 2026", "Leadership"],
        ],
    }, merged={"OKRs": [(1, 0, 2, "O-1"), (1, 1, 2, "Grow revenue")]})  # fmt: skip
    result = ingest.load([path])
    assert result.report.ok, result.report.to_text()
    krs = result.dataset.key_results.set_index("kr_id")["objective_id"].to_dict()
    assert krs == {"KR-1": "O-1", "KR-2": "O-1", "KR-3": "O-2", "KR-4": "O-2"}
    objs = result.dataset.objectives.set_index("objective_id")
    assert sorted(objs.index) == ["CO-1", "O-1", "O-2"]
    assert objs["parent_objective_id"].isna().tolist() == [True, False, True]
    assert (
        "2 key-result rows with blank objective cells (merged cells) are read as part of the "
        "objective above them" in result.sources[0].notes
    )


def test_a_key_result_row_above_any_objective_is_still_an_error(tmp_path):
    path = workbook(tmp_path / "okrs.xlsx", {
        "OKRs": [KR_HEAD, [None, None, "Q3 2026", "Sales", "KR-1", "ARR", 0, 100, 45],
                 ["O-1", "Grow", "Q3 2026", "Sales", "KR-2", "Deals", 0, 10, 4]],
    })  # fmt: skip
    errors = ingest.load([path]).report.errors
    assert [(i.code, i.row, i.column) for i in errors] == [("missing_value", 2, "Objective")]


def test_problems_with_a_header_below_a_title_name_the_headers_own_row(tmp_path):
    path = workbook(tmp_path / "okrs.xlsx", {
        "OKRs": [["Q3 2026 OKRs"], [], [*KR_HEAD, "Colour", "Colour"],
                 ["O-1", "Grow", "Q3 2026", "Sales", "KR-1", "ARR", 0, 100, 45, "red", "blue"]],
        "Check-ins": [["Check-ins"], ["KR ID", "Datum", "Value"], ["KR-1", "2026-07-15", 40]],
    })  # fmt: skip
    result = ingest.load([path])
    rows = sorted((i.code, i.sheet, i.row) for i in result.report.issues)
    assert rows == [
        ("duplicate_header", "OKRs", 3),
        ("missing_column", "Check-ins", 2),
        ("unknown_columns", "Check-ins", 2),
        ("unknown_columns", "OKRs", 3),
    ]


def test_blocks_with_their_own_title_and_repeated_header_are_one_table(tmp_path):
    # a template with one block per team: a title row and the header again above each block
    path = workbook(tmp_path / "okrs.xlsx", {
        "OKRs": [["Sales"], KR_HEAD,
                 ["O-1", "Grow", "Q3 2026", "Sales", "KR-1", "ARR", 0, 100, 45],
                 [], ["Engineering"], KR_HEAD,
                 ["O-2", "Ship", "Q3 2026", "Eng", "KR-2", "Lead time", 10, 2, "lots"]],
    })  # fmt: skip
    result = ingest.load([path])
    assert [(i.code, i.row, i.column) for i in result.report.issues] == [
        ("bad_number", 7, "Current")]  # fmt: skip
    assert sorted(result.dataset.objectives["objective_id"]) == ["O-1", "O-2"]
    assert "the header repeated on row 6 (with a title above) is skipped" in (
        result.sources[0].notes
    )


def test_a_csv_saved_from_a_sheet_with_a_title_row_finds_its_header(tmp_path):
    path = tmp_path / "okrs.csv"
    path.write_text(
        "Q3 2026 OKRs,,,,,,,,\n,,,,,,,,\n" + ",".join(KR_HEAD) + "\n"
        "O-1,Grow,Q3 2026,Sales,KR-1,ARR,0,100,many\n"
    )
    result = ingest.load([path])
    assert [(s.table, s.header_row) for s in result.sources] == [("okrs", 3)]
    assert "header found on row 3" in result.sources[0].notes
    assert [(i.code, i.row, i.column, i.value) for i in result.report.issues] == [
        ("bad_number", 4, "Current", "many")]  # fmt: skip


# --- spreadsheet realities ---------------------------------------------------------------------


def test_a_period_of_two_quarters_is_shown_in_both(tmp_path):
    path = tmp_path / "okrs.csv"
    path.write_text(
        ",".join(KR_HEAD) + "\n"
        "O-1,Grow,Q1-Q2 2026,Sales,KR-1,ARR,0,100,45\n"
        "O-2,Ship,Q2 2026 - Q3 2026,Eng,KR-2,Deploys,0,10,4\n"
    )
    result = ingest.load([path])
    assert result.report.ok, result.report.to_text()
    objs = result.dataset.objectives.sort_values(["objective_id", "quarter"])
    assert objs[["objective_id", "quarter", "period"]].values.tolist() == [
        ["O-1", "2026-Q1", "Q1-Q2 2026"], ["O-1", "2026-Q2", "Q1-Q2 2026"],
        ["O-2", "2026-Q2", "Q2 2026 - Q3 2026"], ["O-2", "2026-Q3", "Q2 2026 - Q3 2026"],
    ]  # fmt: skip


def test_dates_after_a_weekday_and_excel_day_numbers_are_dates(tmp_path):
    # a date cell saved to CSV without its format is Excel's day number (46218 = 15 Jul 2026);
    # mail-style and long dates name the weekday first
    (tmp_path / "okrs.csv").write_text(
        "Objective ID,Objective,Team,Start Date,End Date,KR ID,Key Result,Target\n"
        "O-1,Grow,Sales,46204,46295,KR-1,ARR,100\n"
    )
    (tmp_path / "checkins.csv").write_text(
        'KR ID,Date,Value\nKR-1,46218,10\nKR-1,"Mon, 20 Jul 2026",20\n'
        'KR-1,"Monday, July 27, 2026",30\nKR-1,"Mon, 03 Aug 2026 09:30:00 GMT",40\n'
        "KR-1,99999,50\n"
    )
    result = ingest.load([tmp_path / "okrs.csv", tmp_path / "checkins.csv"])
    assert result.dataset.objectives["quarter"].tolist() == ["2026-Q3"]
    days = result.dataset.checkins["date"].dt.strftime("%Y-%m-%d").tolist()
    assert days == ["2026-07-15", "2026-07-20", "2026-07-27", "2026-08-03"]
    assert [(i.code, i.row, i.value) for i in result.report.errors] == [
        ("bad_date", 6, "99999")]  # fmt: skip


def test_total_and_average_rows_at_the_bottom_are_skipped(tmp_path):
    okrs = workbook(tmp_path / "okrs.xlsx", {
        "OKRs": [KR_HEAD,
                 ["O-1", "Grow", "Q3 2026", "Sales", "KR-1", "ARR", 0, 100, 45],
                 ["O-1", "Grow", "Q3 2026", "Sales", "KR-2", "Deals", 0, 10, 4],
                 [],
                 [None, "Total", None, None, None, None, 0, 110, 49],
                 [None, "Average progress:", None, None, None, None, None, None, 0.425]],
    })  # fmt: skip
    checkins = tmp_path / "checkins.csv"
    checkins.write_text("KR ID,Date,Value\nKR-1,2026-07-15,40\nKR-2,2026-07-15,3\nTotal,,43\n")
    result = ingest.load([okrs, checkins])
    assert result.report.ok, result.report.to_text()
    assert sorted(result.dataset.key_results["kr_id"]) == ["KR-1", "KR-2"]
    assert result.dataset.checkins["value"].tolist() == [40.0, 3.0]
    notes = {s.table: s.notes for s in result.sources}
    assert "the summary rows at the bottom (rows 5, 6) are skipped" in notes["okrs"]
    assert "the summary row at the bottom (row 4) is skipped" in notes["checkins"]


def test_a_title_that_only_starts_like_a_total_is_kept(tmp_path):
    path = tmp_path / "okrs.csv"
    path.write_text("Objective,Quarter,Team,Key Result,Target\nGrow,Q3 2026,Sales,ARR,100\n"
                    "Overall growth,Q3 2026,Sales,Share,10\n")  # fmt: skip
    result = ingest.load([path])
    assert sorted(result.dataset.objectives["objective"]) == ["Grow", "Overall growth"]


def test_a_value_written_as_a_count_of_how_many_is_that_count_of_that_target(tmp_path):
    (tmp_path / "okrs.csv").write_text(
        ",".join(KR_HEAD) + "\n"
        "O-1,Grow,Q3 2026,Sales,KR-1,Partners signed,,,3/5\n"
        "O-1,Grow,Q3 2026,Sales,KR-2,Leads,,,60 of 100\n"
        "O-1,Grow,Q3 2026,Sales,KR-3,Deals,0,10,2 out of 8\n"  # the row's own target wins
        "O-1,Grow,Q3 2026,Sales,KR-4,Demos,0,10,some\n"
    )
    (tmp_path / "checkins.csv").write_text(
        "KR ID,Date,Value,Target\nKR-1,2026-07-15,4/5,\nKR-1,2026-07-22,4 of 6,\n"
        "KR-2,2026-07-15,70 of 100,120\nKR-3,2026-07-15,3,\nKR-3,2026-07-22,many,\n"
    )
    result = ingest.load([tmp_path / "okrs.csv", tmp_path / "checkins.csv"])
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs[["start_value", "target_value", "current_value"]].loc[["KR-1", "KR-2", "KR-3"]
           ].values.tolist() == [[0, 5, 3], [0, 100, 60], [0, 10, 2]]  # fmt: skip
    ck = result.dataset.checkins
    assert ck[["kr_id", "value", "target_value"]].fillna(-1).values.tolist()[:4] == [
        ["KR-1", 4.0, 5.0], ["KR-1", 4.0, 6.0], ["KR-2", 70.0, 120.0], ["KR-3", 3.0, -1]]  # fmt: skip
    assert [(i.code, i.file, i.row, i.value) for i in result.report.errors] == [
        ("bad_number", "okrs.csv", 5, "some")
    ]
    # a check-in's value in words is its comment (a warning, never an error)
    assert ("value_as_comment", "checkins.csv", 6, "many") in [
        (i.code, i.file, i.row, i.value) for i in result.report.warnings]  # fmt: skip


def test_a_number_shown_as_a_percentage_reads_as_the_percentage_typed(tmp_path):
    # the cell holds 0.18 and the sheet shows 18 %: the same as a typed '18%'
    path = workbook(tmp_path / "okrs.xlsx", {
        "OKRs": [[*KR_HEAD, "Unit"],
                 ["O-1", "Grow", "Q3 2026", "Sales", "KR-1", "Churn", ("pct", 0.3), ("pct", 0.1),
                  ("pct", 0.18), "%"],
                 ["O-1", "Grow", "Q3 2026", "Sales", "KR-2", "Share", 0, 100, "18%", "%"],
                 ["O-1", "Grow", "Q3 2026", "Sales", "KR-3", "Deals", 0, 10, 4, None]],
        "Check-ins": [["KR ID", "Date", "Value", "Confidence"],
                      ["KR-1", "2026-07-15", ("pct", 0.125), ("pct", 0.7)],
                      ["KR-2", "2026-07-15", 20, 0.8]],
    })  # fmt: skip
    result = ingest.load([path])
    assert result.report.ok, result.report.to_text()
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs[["start_value", "target_value", "current_value", "metric_type"]].values.tolist() == [
        [30.0, 10.0, 18.0, "decrease"], [0.0, 100.0, 18.0, "increase"],
        [0.0, 10.0, 4.0, "increase"]]  # fmt: skip
    ck = result.dataset.checkins
    assert ck[["value", "confidence"]].values.tolist() == [[12.5, 0.7], [20.0, 0.8]]


def test_owners_and_authors_written_with_their_address_are_their_names(tmp_path):
    (tmp_path / "okrs.csv").write_text(
        "Objective ID,Objective,Quarter,Team,Objective Owner,KR ID,Key Result,KR Owner,Target\n"
        'O-1,Grow,Q3 2026,Sales,Ada Moreau <ada@example.com>,KR-1,ARR,"""Okafor, Lin"" '
        '<lin@example.com>",100\nO-1,Grow,Q3 2026,Sales,,KR-2,Deals,<sam@example.com>,10\n'
    )
    (tmp_path / "checkins.csv").write_text(
        "KR ID,Date,Value,Author\nKR-1,2026-07-15,10,Ada Moreau <ada@example.com>\n"
        "KR-2,2026-07-15,2,Sam\n"
    )
    result = ingest.load([tmp_path / "okrs.csv", tmp_path / "checkins.csv"])
    assert result.report.ok, result.report.to_text()
    assert result.dataset.objectives["objective_owner"].tolist() == ["Ada Moreau"]
    assert result.dataset.key_results["kr_owner"].tolist() == ["Okafor, Lin", "sam@example.com"]
    assert result.dataset.checkins["author"].tolist() == ["Ada Moreau", "Sam"]
