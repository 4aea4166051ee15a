"""Ingest: files of every common shape become the typed Dataset, problems become the report."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter

from okrdata import db, ingest
from okrdata.columns import canonical_column, recognise
from okrdata.config import Config
from okrdata.model import SCHEMA
from tests.builders import load_texts, run_main, write

FIXTURES = Path(__file__).parent / "fixtures"
OKRS_HEAD = "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value"
OKRS_ROW = "O-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100"


# --- column aliases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "header", "canonical"),
    [
        ("okrs", "Objective ID", "objective_id"),
        ("okrs", "objective_id", "objective_id"),
        ("okrs", "OBJECTIVE-ID", "objective_id"),
        ("okrs", "Objective Name", "objective"),
        ("okrs", "Key Result ID", "kr_id"),
        ("okrs", "Key Result", "key_result"),
        ("okrs", "Team Name", "team"),
        ("okrs", "Parent Objective ID", "parent_objective_id"),
        ("okrs", "Start", "start_value"),
        ("okrs", "Target", "target_value"),
        ("okrs", "Current", "current_value"),
        ("okrs", "Owner", "objective_owner"),
        ("okrs", " key  result  owner ", "kr_owner"),
        ("checkins", "Check-in Date", "date"),
        ("checkins", "Confidence (%)", "confidence"),
        ("checkins", "Current", "value"),
        ("checkins", "KR", "kr_id"),
        ("dependencies", "Depends On", "depends_on_team"),
        ("dependencies", "Due", "due_date"),
        ("teams", "Team Lead", "lead"),
        ("okrs", "Favourite colour", None),
        # goal-style headers (Lattice, Asana, 15Five and spreadsheets call objectives goals)
        ("okrs", "Goal", "objective"),
        ("okrs", "Goal Name", "objective"),
        ("okrs", "Goal ID", "objective_id"),
        ("okrs", "Parent Goal", "parent_objective_id"),
        ("okrs", "Measure", "key_result"),
        ("okrs", "Outcome", "key_result"),  # Tability's word for a key result
        ("okrs", "Unit of Measure", "unit"),
        ("okrs", "Key Result Target", "target_value"),
        ("okrs", "KR Start", "start_value"),
        ("okrs", "Key Result Current Value", "current_value"),
    ],
)
def test_column_aliases_match_insensitively(table, header, canonical):
    assert canonical_column(table, header) == canonical


GOALS_WITH_DATES = ["Goal Name", "Owner", "Team", "Start Date", "Due Date", "Key Result", "Target"]
GOALS_WITHOUT_TITLE = ["Name", "Goal ID", "Parent Goal", "Time Period", "Team", "Owner", "Status",
                       "Current Value", "Target Value", "Initial Value"]  # fmt: skip


@pytest.mark.parametrize(
    ("columns", "hint", "table"),
    [
        (["Objective ID", "Objective", "Quarter", "Team", "KR ID", "Target"], "", "okrs"),
        (["KR ID", "Date", "Value", "Confidence"], "", "checkins"),
        (["Team", "Depends on team", "Status"], "", "dependencies"),
        (["Team", "Department", "Lead"], "", "teams"),
        (["Team"], "teams.csv", "teams"),
        (["Colour", "Size"], "", None),
        # no quarter column: start and end dates decide the period, so it is still okrs
        (GOALS_WITH_DATES, "", "okrs"),
        # an okrs sheet missing its objective column is still okrs (and is told so), not a
        # teams table using one of its columns
        (GOALS_WITHOUT_TITLE, "goals.csv", "okrs"),
    ],
)
def test_table_recognised_from_columns(columns, hint, table):
    assert recognise(columns, hint) == table


# --- value formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("45%", 45.0),
        ("1,234", 1234.0),
        ("$1,200", 1200.0),
        ("1.5k", 1500.0),
        ("2M", 2e6),
        (" 12 ", 12.0),
        ("-3.5", -3.5),
        ("(12)", -12.0),
        ("€ 99", 99.0),
        ("+7", 7.0),
        # a decimal comma (European exports): a comma not followed by exactly three digits,
        # or after dot-grouped thousands, is the decimal point
        ("30,5", 30.5),
        ("38,25", 38.25),
        ("45,0 %", 45.0),
        ("1.200,50", 1200.5),
        ("1 200,50 €", 1200.5),
        ("-0,75", -0.75),
        ("1,5k", 1500.0),
        ("1,234.5", 1234.5),
        # thousands grouped by points alone, in two groups or more, are no decimal (1.250.000)
        ("1.250.000", 1250000.0),
        ("1.250.000 €", 1250000.0),
        ("-2.000.000,5", -2000000.5),
        # a vertical tab is a space, as DuckDB's cast of a plain number reads it
        ("45 %\x0b", 45.0),
    ],
)
def test_number_formats_are_coerced(tmp_path, text, number):
    checkins = f'kr_id,date,value\nKR-1,2026-07-15,"{text}"\n'
    result = load_texts(
        tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "checkins.csv": checkins}
    )
    assert result.report.ok, result.report.to_text()
    assert result.dataset.checkins["value"].tolist() == [number]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-09-15", "2026-09-15"),
        ("2026/09/15", "2026-09-15"),
        ("15 Sep 2026", "2026-09-15"),
        ("15 September 2026", "2026-09-15"),
        ("Sep 15, 2026", "2026-09-15"),
        ("2026-09-15T10:30:00", "2026-09-15"),
        ("31/08/2026", "2026-08-31"),
        ("08/31/2026", "2026-08-31"),
        ("15.09.2026", "2026-09-15"),
        # an ISO week, as a weekly-updates tab's Week column writes it: its Monday
        ("2026-W38", "2026-09-14"),
        ("2026-W38-2", "2026-09-15"),
        ("2026W38", "2026-09-14"),
        ("2026-W53", "2026-12-28"),  # 2026 has 53 ISO weeks
    ],
)
def test_date_formats_are_coerced(tmp_path, text, day):
    checkins = f'kr_id,date,value\nKR-1,"{text}",5\n'
    result = load_texts(
        tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "checkins.csv": checkins}
    )
    errors = [i for i in result.report.errors]
    assert not errors, result.report.to_text()
    assert result.dataset.checkins["date"].tolist() == [pd.Timestamp(day)]


@pytest.mark.parametrize("text", ["2027-W53", "2026-W54", "2026-W00", "2026-W38-8"])
def test_a_week_its_year_does_not_have_is_not_a_date(tmp_path, text):
    """2027 has 52 ISO weeks: 2027-W53 is a mistake to report, not the first week of 2028."""
    checkins = f"kr_id,date,value\nKR-1,{text},5\n"
    result = load_texts(
        tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "checkins.csv": checkins}
    )
    assert [(i.code, i.value) for i in result.report.errors] == [("bad_date", text)]


def test_day_first_file_is_recognised_from_a_day_over_12(tmp_path):
    checkins = "kr_id,date,value\nKR-1,03/08/2026,5\nKR-1,31/08/2026,6\n"
    result = load_texts(
        tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "checkins.csv": checkins}
    )
    assert result.dataset.checkins["date"].tolist() == [
        pd.Timestamp("2026-08-03"),
        pd.Timestamp("2026-08-31"),
    ]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2026-Q3", "2026-Q3"),
        ("Q3 2026", "2026-Q3"),
        ("2026 Q3", "2026-Q3"),
        ("Q3-2026", "2026-Q3"),
        ("2026Q3", "2026-Q3"),
        ("q3 2026", "2026-Q3"),
        ("FY2026 Q1", "2026-Q1"),
    ],
)
def test_quarter_formats_are_coerced(tmp_path, text, label):
    okrs = f"{OKRS_HEAD}\nO-1,Grow,{text},Sales,KR-1,ARR,0,100\n"
    result = load_texts(tmp_path, {"okrs.csv": okrs})
    assert result.report.ok, result.report.to_text()
    assert result.dataset.objectives["quarter"].tolist() == [label]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["0.8", "0.5"], [0.8, 0.5]),
        (["8", "5"], [0.8, 0.5]),
        (["80", "50"], [0.8, 0.5]),
        (["80%", "50%"], [0.8, 0.5]),
        # a workbook's percent-formatted cell (0.7) beside a percentage typed as text
        (["0.7", "80%"], [0.7, 0.8]),
        (["8", "70%"], [0.8, 0.7]),
    ],
)
def test_confidence_scales_are_normalised_per_file(tmp_path, values, expected):
    rows = "".join(f'KR-1,2026-07-{10 + i},5,"{v}"\n' for i, v in enumerate(values))
    result = load_texts(
        tmp_path,
        {
            "okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n",
            "checkins.csv": "kr_id,date,value,confidence\n" + rows,
        },
    )
    assert result.dataset.checkins["confidence"].tolist() == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Green", "on_track"),
        ("AMBER", "at_risk"),
        ("red", "off_track"),
        ("on track", "on_track"),
        ("At-Risk", "at_risk"),
        ("off_track", "off_track"),
    ],
)
def test_status_spellings_are_normalised(tmp_path, text, status):
    checkins = f"kr_id,date,value,status\nKR-1,2026-07-15,5,{text}\n"
    result = load_texts(
        tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "checkins.csv": checkins}
    )
    assert result.dataset.checkins["status"].tolist() == [status]


@pytest.mark.parametrize(
    ("text", "okr_type"),
    [
        ("Committed", "committed"),
        ("ASPIRATIONAL", "aspirational"),
        ("Committed Goal", "committed"),
        ("", "aspirational"),
    ],
)
def test_okr_type_in_any_case(tmp_path, text, okr_type):
    okrs = f"{OKRS_HEAD},okr_type\n{OKRS_ROW},{text}\n"
    result = load_texts(tmp_path, {"okrs.csv": okrs})
    assert result.dataset.objectives["okr_type"].tolist() == [okr_type]


# --- encodings and delimiters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("latin-1", ";"), ("utf-8", "|")],
)
def test_encodings_and_delimiters(tmp_path, encoding, delimiter):
    rows = [
        OKRS_HEAD.split(","),
        ["O-1", "Équipe café", "2026-Q3", "Ventes", "KR-1", "Rôle", "0", "100"],
    ]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    result = load_texts(tmp_path, {"okrs.csv": text.encode(encoding)})
    assert result.report.ok, result.report.to_text()
    assert result.dataset.objectives["objective"].tolist() == ["Équipe café"]
    assert result.dataset.key_results["key_result"].tolist() == ["Rôle"]


@pytest.mark.parametrize(
    ("encoding", "objective", "team"),
    [
        ("cp1252", "Grow revenue by € 1.5k “fast”", "Ventes Straße"),
        ("latin-1", "Réduire les coûts", "Équipe"),
        ("cp1250", "Zwiększyć sprzedaż", "Sprzedaż Łódź"),
        ("cp1251", "Увеличить продажи", "Отдел продаж"),
        ("cp932", "売上を増やす", "営業"),
        ("gb18030", "增加销售额", "销售部"),
    ],
)
def test_a_file_in_a_regional_encoding_reads_as_written(tmp_path, encoding, objective, team):
    # Excel's "CSV" is saved in the Windows code page of the machine: Western, Central European,
    # Cyrillic, Japanese, Chinese. Each reads as written, and the notes say which encoding.
    rows = [OKRS_HEAD.split(","), ["O-1", objective, "2026-Q3", team, "KR-1", objective, "0", "1"]]
    text = "\n".join(",".join(r) for r in rows) + "\n"
    result = load_texts(tmp_path, {"okrs.csv": text.encode(encoding)})
    assert result.report.ok, result.report.to_text()
    assert result.dataset.objectives["objective"].tolist() == [objective]
    assert result.dataset.objectives["team"].tolist() == [team]


def start_target_current(result: ingest.LoadResult, kr_id: str) -> list[float]:
    """A key result's start, target and current value as the import typed them."""
    krs = result.dataset.key_results.set_index("kr_id")
    return krs.loc[kr_id, ["start_value", "target_value", "current_value"]].tolist()


def test_semicolon_export_with_decimal_commas_reads_the_numbers_as_written(tmp_path):
    # a European spreadsheet's CSV: BOM, semicolons, decimal commas, dotted thousands
    okrs = (
        "Objective ID;Objective Name;Quarter;Team;KR ID;Key Result Name;Start;Target;Current\n"
        "O1;Kunden;2026 Q3;Support;K1;NPS;30,5;45,0;38,25\n"
        "O1;Kunden;2026 Q3;Support;K2;Umsatz;1.200,50;2.500,00;1.800,00\n"
    )
    checkins = "KR ID;Date;Value\nK1;15.07.2026;33,5\nK2;15.08.2026;1.400,25\n"
    result = load_texts(tmp_path, {"okrs.csv": "\ufeff" + okrs, "checkins.csv": checkins})
    assert result.report.ok, result.report.to_text()
    assert start_target_current(result, "K1") == [30.5, 45.0, 38.25]
    assert start_target_current(result, "K2") == [1200.5, 2500.0, 1800.0]
    assert result.dataset.checkins["value"].tolist() == [33.5, 1400.25]


def test_in_a_text_file_with_decimal_commas_a_point_groups_thousands(tmp_path):
    """A CSV whose numbers show a decimal comma (each file decides) writes one thousand five
    hundred 1.500: read so, not as 1.5 (the key result became a decrease from 1200.5 to 1.5,
    and nothing said so). A leading 0 (0.125) is no grouping; a workbook's number cells,
    always written with a point, are read as they are."""
    okrs = (
        "Objective ID;Objective Name;Quarter;Team;KR ID;Key Result Name;Start;Target;Current\n"
        "O1;Kunden;2026 Q3;Support;K1;Umsatz;1.200,5;1.500;1.350\n"
        "O1;Kunden;2026 Q3;Support;K2;Quote;0,1;0.125;0,11\n"
    )
    checkins = (
        "KR ID;Date;Value\nK1;15.07.2026;1.400\nK1;15.08.2026;-2.000\nK1;01.09.2026;1.450,5\n"
    )
    result = load_texts(tmp_path, {"okrs.csv": okrs, "checkins.csv": checkins})
    assert result.report.ok, result.report.to_text()
    assert start_target_current(result, "K1") == [1200.5, 1500.0, 1350.0]
    assert start_target_current(result, "K2") == [0.1, 0.125, 0.11]
    assert sorted(result.dataset.checkins["value"].tolist()) == [-2000.0, 1400.0, 1450.5]

    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("OKRs")
    sheet.write_row(0, 0, OKRS_HEAD.split(","))
    sheet.write_row(1, 0, ["O-1", "Grow", "2026-Q3", "Sales", "KR-1", "ARR", "30,5", 1.125])
    book.close()
    krs = ingest.load([path]).dataset.key_results
    assert krs[["start_value", "target_value"]].values.tolist() == [[30.5, 1.125]]


def test_goal_style_headers_are_an_okrs_sheet(tmp_path):
    # a goals tool's export: goals with their key results, parents by title, a Measure sheet
    goals = (
        "Goal Name,Owner Email,Team,Parent Goal,Time Period,Key Result Name,"
        "Key Result Start,Key Result Target,Key Result Current\n"
        "Expand enterprise,dana@example.com,Sales,,Q3 2026,Close deals,0,10,4\n"
        "Expand enterprise,dana@example.com,Sales,,Q3 2026,Pipeline,0,2000000,400000\n"
        "Faster hiring,eli@example.com,Recruiting,Expand enterprise,Q3 2026,Days to hire,45,30,38\n"
    )
    scorecard = (
        "Goal,Measure,Quarter,Team,Baseline,Target,Actual,Unit of Measure\n"
        "Happy customers,NPS,Q3 2026,Support,30,45,38,pts\n"
    )
    result = load_texts(tmp_path, {"goals.csv": goals, "scorecard.csv": scorecard})
    assert [s.table for s in result.sources] == ["okrs", "okrs"]
    assert not result.report.errors, result.report.to_text()
    objs = result.dataset.objectives.set_index("objective")
    assert len(objs) == 3 and len(result.dataset.key_results) == 4
    assert objs.loc["Faster hiring", "parent_objective_id"] == objs.loc["Expand enterprise",
                                                                       "objective_id"]  # fmt: skip
    krs = result.dataset.key_results.set_index("key_result")
    assert krs.loc["Days to hire", ["start_value", "target_value", "current_value"]].tolist() == [
        45, 30, 38]  # fmt: skip
    assert (krs.loc["NPS", "target_value"], krs.loc["NPS", "unit"]) == (45, "pts")


def test_trailing_empty_columns_without_a_name_are_not_reported(tmp_path):
    # spreadsheets save a delimiter at the end of every line: empty columns without a name
    okrs = f"{OKRS_HEAD};;\n{OKRS_ROW};;\n".replace(",", ";")
    result = load_texts(tmp_path, {"okrs.csv": okrs})
    assert result.report.ok and not result.report.warnings, result.report.to_text()
    # a column without a name that holds something is still listed
    okrs = f"{OKRS_HEAD},\n{OKRS_ROW},stray note\n"
    (warning,) = load_texts(tmp_path, {"okrs.csv": okrs}).report.warnings
    assert warning.code == "unknown_columns"


def test_a_goal_type_that_names_a_level_is_the_level(tmp_path):
    # goals tools' "Goal Type" says Company / Department / Team: that is the level, no warning
    okrs = (
        "Goal ID,Goal Name,Goal Type,Quarter,Team,Parent Goal\n"
        "G1,Win the market,Company,Q3 2026,Leadership,\n"
        "G2,Sell more,Department,Q3 2026,Sales,G1\n"
        "G3,Close deals,Team,Q3 2026,Sales East,G2\n"
        "G4,Ship it,Committed,Q3 2026,Eng,G1\n"
    )
    result = load_texts(tmp_path, {"okrs.csv": okrs})
    assert result.report.ok and not result.report.warnings, result.report.to_text()
    objs = result.dataset.objectives.set_index("objective_id")
    assert objs["level"].to_dict() == {"G1": "company", "G2": "department", "G3": "team",
                                       "G4": "team"}  # fmt: skip
    assert (
        objs.loc["G4", "okr_type"] == "committed" and objs.loc["G1", "okr_type"] == "aspirational"
    )


def test_quoted_cells_keep_delimiters_and_newlines(tmp_path):
    okrs = f'{OKRS_HEAD}\nO-1,"Grow, and ""keep""\nrevenue",2026-Q3,Sales,KR-1,ARR,0,100\n'
    result = load_texts(tmp_path, {"okrs.csv": okrs})
    assert result.dataset.objectives["objective"].tolist() == ['Grow, and "keep"\nrevenue']


@pytest.mark.parametrize("newline_every", [0, 997])
def test_a_large_file_keeps_its_rows_and_row_numbers(tmp_path, newline_every):
    """Large enough for DuckDB to read in parallel pieces; with quoted newlines it reads it in
    one piece. Either way every cell and the row a problem is on stay as in the file."""
    rows, comments = ["kr_id,date,value,comment"], []
    for i in range(150_000):
        comment = f"note {i}"
        if newline_every and i % newline_every == 0:
            comment = f'first line {i}\nsecond, with ""quotes""'
        comments.append(comment.replace('""', '"'))
        value = "n/a" if i == 123_456 else str(i % 97)
        rows.append(f'KR-1,2026-07-{1 + i % 28:02d},{value},"{comment}"')
    result = load_texts(tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n",
                                   "checkins.csv": "\n".join(rows) + "\n"})  # fmt: skip
    bad = [(i.row, i.value) for i in result.report.errors if i.code == "bad_number"]
    lines_before = sum(c.count("\n") for c in comments[:123_456])
    assert bad == [(123_456 + 2, "n/a")]  # spreadsheet rows: a record, not a line
    assert lines_before == (124 if newline_every else 0)
    checks = [i for i in result.report.warnings if i.code == "duplicate_checkin"]
    assert checks and checks[0].row == 28 + 2  # the 29th check-in repeats the first one's day
    kept = result.dataset.checkins.sort_values("date", kind="stable")
    assert set(kept["comment"]) <= set(comments)


def test_a_file_name_that_looks_like_a_pattern_is_read_as_that_one_file(tmp_path):
    checkins = "kr_id,date,value\nKR-1,2026-07-01,{}\n"
    write(tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "checkins-?.csv": checkins.format(1),
                     "checkins-a.csv": checkins.format(2).replace("07-01", "07-02")})  # fmt: skip
    result = ingest.load([tmp_path])
    assert {s.name: s.rows for s in result.sources} == {
        "checkins-?.csv": 1, "checkins-a.csv": 1, "okrs.csv": 1}  # fmt: skip
    assert sorted(result.dataset.checkins["value"]) == [1.0, 2.0]


def test_a_file_on_disk_is_parsed_in_place_unless_it_changed_after_it_was_read(
    tmp_path, monkeypatch
):
    """What is parsed is always the bytes that were hashed (and are archived): a file that
    changes between the read and the parse is parsed from the copy of those bytes. (Files
    parsed in place are a larger import's: here every import counts as one.)"""
    from okrdata import readers

    monkeypatch.setattr(ingest, "ONE_THREAD_BYTES", 0)
    folder = write(tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n",
                              "checkins.csv": "kr_id,date,value\nKR-1,2026-07-01,40\n"})  # fmt: skip
    parsed: list[str] = []
    real = readers.SheetReader._load_csv_duckdb

    def spy(self, sheet, path, delim):
        parsed.append(Path(path).name)
        real(self, sheet, path, delim)
        if Path(path) == (folder / "checkins.csv").resolve() and len(parsed) < 4:
            path.write_text("kr_id,date,value\nKR-1,2026-07-01,99\n")  # changed after the read

    monkeypatch.setattr(readers.SheetReader, "_load_csv_duckdb", spy)
    result = ingest.load([folder / "okrs.csv", folder / "checkins.csv"])
    assert parsed[:2] == ["okrs.csv", "checkins.csv"]  # in place, no copy
    assert parsed[2].startswith("raw_")  # checkins changed: parsed again from the copy
    assert result.dataset.checkins["value"].tolist() == [40.0]
    assert result.file_digests[1] == readers.sha256(b"kr_id,date,value\nKR-1,2026-07-01,40\n")


def test_a_small_import_parses_copies_in_a_schema_of_its_own_that_is_dropped_after(
    tmp_path, monkeypatch
):
    """A small import works in the process's shared database (``db.scratch``): it parses
    copies of the files in its own folder, its tables live in a schema of its own, and once it
    ends neither is left, while the next import finds the macros still defined."""
    from okrdata import readers

    folder = write(tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n"})
    parsed: list[Path] = []
    schemas: list[str] = []
    real = readers.SheetReader._load_csv_duckdb

    def spy(self, sheet, path, delim):
        parsed.append(Path(path))
        schemas.append(self.con.execute("select current_schema()").fetchone()[0])
        real(self, sheet, path, delim)

    monkeypatch.setattr(readers.SheetReader, "_load_csv_duckdb", spy)
    other = write(
        tmp_path / "other", {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n".replace("O-1", "O-2")}
    )
    first = ingest.load([folder / "okrs.csv"])
    second = ingest.load([other / "okrs.csv"])
    assert [p.name for p in parsed] == ["raw_1.csv", "raw_1.csv"]  # copies, not okrs.csv
    assert parsed[0].parent != parsed[1].parent and not parsed[0].parent.exists()
    assert schemas[0] != schemas[1] and schemas[0].startswith("import_")
    assert first.dataset.objectives["objective_id"].tolist() == ["O-1"]
    assert second.dataset.objectives["objective_id"].tolist() == ["O-2"]  # nothing of the first
    shared, root = db._SHARED[Config().import_memory_mb]
    left = shared.execute(
        "select schema_name from duckdb_schemas() where schema_name like 'import_%'"
    ).fetchall()
    assert left == [] and parsed[0].parent.parent == root
    assert shared.execute(
        "select count(*) from duckdb_functions() where function_name = 'okr_clean'"
    ).fetchone() == (1,)


def test_small_imports_in_threads_at_once_each_see_only_their_own_files(tmp_path):
    """Sessions validate uploads at the same time: small imports running at once in the shared
    database each give their own files' objectives, nothing of another's."""
    from concurrent.futures import ThreadPoolExecutor

    def rows(i: int) -> str:
        return "\n".join(
            OKRS_ROW.replace("O-1", f"O-{i}-{k}").replace("KR-1", f"KR-{i}-{k}")
            for k in range(i % 4 + 1)
        )

    folders = [write(tmp_path / f"f{i}", {"okrs.csv": f"{OKRS_HEAD}\n{rows(i)}\n"})
               for i in range(12)]  # fmt: skip
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda folder: ingest.load([folder]), folders))
    for i, result in enumerate(results):
        assert result.report.ok, result.report.summary()
        expected = [f"O-{i}-{k}" for k in range(i % 4 + 1)]
        assert sorted(result.dataset.objectives["objective_id"]) == expected


def test_xlsx_every_sheet_is_considered(tmp_path):
    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(path)
    okrs = book.add_worksheet("OKRs")
    for r, row in enumerate(
        [OKRS_HEAD.split(","), ["O-1", "Grow", "Q3 2026", "Sales", "KR-1", "ARR", 0, 100]]
    ):
        okrs.write_row(r, 0, row)
    checkins = book.add_worksheet("Check-ins")
    checkins.write_row(0, 0, ["KR ID", "Date", "Value"])
    checkins.write_row(1, 0, ["KR-1", "2026-07-15", 40])
    checkins.write_row(2, 0, ["KR-1", "not a date", 50])
    book.add_worksheet("Notes").write(0, 0, "just a note")
    book.close()
    result = ingest.load([path])
    assert [(s.sheet, s.table) for s in result.sources] == [
        ("OKRs", "okrs"),
        ("Check-ins", "checkins"),
        ("Notes", None),
    ]
    assert result.dataset.checkins["value"].tolist() == [40.0]
    bad = [i for i in result.report.errors if i.code == "bad_date"]
    assert [(i.file, i.sheet, i.row, i.column, i.value) for i in bad] == [
        ("export.xlsx", "Check-ins", 3, "Date", "not a date")
    ]


# --- the typed Dataset ------------------------------------------------------------------------


def test_dataset_has_exact_schema_dtypes():
    ds = ingest.load_dir(FIXTURES / "messy").dataset
    for table, columns in SCHEMA.items():
        frame = getattr(ds, table)
        assert list(frame.columns) == list(columns)
        for col, kind in columns.items():
            expected = {"str": "string", "float": "float64", "date": "datetime64[ns]"}[kind]
            assert str(frame[col].dtype) == expected, (table, col)


def test_department_falls_back_to_teams_table_then_unassigned(tmp_path):
    okrs = f"{OKRS_HEAD}\n{OKRS_ROW}\nO-2,Hire,2026-Q3,People,KR-2,Hires,0,5\n"
    result = load_texts(tmp_path, {"okrs.csv": okrs, "teams.csv": "team,department\nSales,GTM\n"})
    deps = dict(
        zip(result.dataset.objectives["team"], result.dataset.objectives["department"], strict=True)
    )
    assert deps == {"Sales": "GTM", "People": "Unassigned"}


def test_level_is_inferred_from_alignment(tmp_path):
    okrs = (
        "objective_id,objective,quarter,team,parent_objective_id\n"
        "C,Company,2026-Q3,Exec,\nD,Dept,2026-Q3,Eng,C\nT,Team,2026-Q3,Platform,D\n"
        "U,Alone,2026-Q3,Web,\n"
    )
    levels = (
        load_texts(tmp_path, {"okrs.csv": okrs})
        .dataset.objectives.set_index("objective_id")["level"]
        .to_dict()
    )
    assert levels == {"C": "company", "D": "department", "T": "team", "U": "team"}


def test_metric_type_inferred_from_target_below_start(tmp_path):
    okrs = f"{OKRS_HEAD}\nO-1,Grow,2026-Q3,Sales,KR-1,Churn,10,5\n"
    krs = load_texts(tmp_path, {"okrs.csv": okrs}).dataset.key_results
    assert krs["metric_type"].tolist() == ["decrease"]


# --- the validation rules: one fixture each, exact row and message ----------------------------

RULES = [
    (
        "missing_column",
        {"okrs.csv": "objective_id,objective,team\nO-1,Grow,Sales\n"},
        (
            "error",
            "okrs.csv",
            1,
            "quarter",
            None,
            "The okrs table needs a column 'quarter'; none of the columns matches it. Rename the "
            "column that holds it to 'quarter', or choose that column on the Data page.",
        ),
    ),
    (
        "duplicate_id",
        {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\nO-1,Grow,2026-Q3,Sales,KR-1,B,0,5\n"},
        (
            "error",
            "okrs.csv",
            3,
            "kr_id",
            "KR-1",
            "Key result id KR-1 is used again (first on row 2).",
        ),
    ),
    (
        "bad_number",
        {"okrs.csv": f"{OKRS_HEAD}\nO-1,Grow,2026-Q3,Sales,KR-1,ARR,0,lots\n"},
        ("error", "okrs.csv", 2, "target_value", "lots", "'lots' is not a number."),
    ),
    (
        "bad_quarter",
        {"okrs.csv": f"{OKRS_HEAD}\nO-1,Grow,Q5 2026,Sales,KR-1,ARR,0,100\n"},
        (
            "error",
            "okrs.csv",
            2,
            "quarter",
            "Q5 2026",
            "'Q5 2026' is not a quarter; write it like 2026-Q3 (Q1-Q4).",
        ),
    ),
    (
        "bad_date",
        {
            "okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n",
            "checkins.csv": "kr_id,date,value\nKR-1,2026-07-01,1\nKR-1,31/31/2026,2\n",
        },
        (
            "error",
            "checkins.csv",
            3,
            "date",
            "31/31/2026",
            "'31/31/2026' is not a date; write it like 2026-09-15.",
        ),
    ),
    (
        "unknown_kr",
        {
            "okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n",
            "checkins.csv": "kr_id,date,value\nKR-9,2026-07-01,1\n",
        },
        (
            "error",
            "checkins.csv",
            2,
            "kr_id",
            "KR-9",
            "Key result KR-9 is not in the okrs data. Add it to the okrs table or correct the id "
            "here.",
        ),  # fmt: skip
    ),
    (
        "parent_cycle",
        {
            "okrs.csv": "objective_id,objective,quarter,team,parent_objective_id\n"
            "A,a,2026-Q3,T1,B\nB,b,2026-Q3,T2,A\n"
        },
        (
            "error",
            "okrs.csv",
            2,
            "parent_objective_id",
            "A",
            "Objectives align to each other in a circle: A → B → A.",
        ),
    ),
    (
        "unknown_parent",
        {
            "okrs.csv": "objective_id,objective,quarter,team,parent_objective_id\n"
            "A,a,2026-Q3,T1,ZZ\n"
        },
        (
            "warning",
            "okrs.csv",
            2,
            "parent_objective_id",
            "ZZ",
            "Parent objective ZZ is not in the data; the link is shown as broken.",
        ),
    ),
    (
        "target_equals_start",
        {"okrs.csv": f"{OKRS_HEAD}\nO-1,Grow,2026-Q3,Sales,KR-1,ARR,5,5\n"},
        (
            "error",
            "okrs.csv",
            2,
            "target_value",
            "5",
            "Key result KR-1 has its target equal to its start (5): progress cannot be measured.",
        ),
    ),
    (
        "target_equals_start",  # a check-in re-scoping to the start: reached once it is there
        {
            "okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n",
            "checkins.csv": "kr_id,date,value,target_value\nKR-1,2026-08-02,1,0\n",
        },
        (
            "warning",
            "checkins.csv",
            2,
            "target_value",
            "0",
            "The check-in re-scopes key result KR-1 to a target equal to its start (0): it "
            "counts as reached once its value is there.",
        ),
    ),
    (
        "missing_value",  # a target with neither a key result title nor an id
        {"okrs.csv": f"{OKRS_HEAD}\nO-1,Grow,2026-Q3,Sales,,,0,100\n"},
        (
            "error",
            "okrs.csv",
            2,
            "key_result",
            "100",
            "This row has a target (100) but no key result: give the key result a title.",
        ),
    ),
    (
        "checkin_outside_quarter",
        {
            "okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n",
            "checkins.csv": "kr_id,date,value\nKR-1,2026-10-02,1\n",
        },
        (
            "warning",
            "checkins.csv",
            2,
            "date",
            "2026-10-02",
            "The check-in date 02 Oct 2026 is outside 2026-Q3 (01 Jul 2026 to 30 Sep 2026), the quarter "
            "of key result KR-1.",
        ),
    ),
    (
        "missing_value",
        {"okrs.csv": f"{OKRS_HEAD}\nO-1,Grow,2026-Q3,,KR-1,ARR,0,100\n"},
        ("error", "okrs.csv", 2, "team", None, "The team is empty; every row needs one."),
    ),
    (
        "conflicting_objective",
        {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\nO-1,Grow,2026-Q4,Sales,KR-2,B,0,5\n"},
        (
            "error",
            "okrs.csv",
            3,
            "quarter",
            "2026-Q4",
            "Objective O-1 has quarter 2026-Q4 here but 2026-Q3 on row 2.",
        ),
    ),
    (
        "negative_weight",
        {"okrs.csv": f"{OKRS_HEAD},weight\n{OKRS_ROW},-1\n"},
        ("error", "okrs.csv", 2, "weight", "-1", "A weight cannot be negative (-1)."),
    ),
    ("empty_file", {"okrs.csv": ""}, ("error", "okrs.csv", None, None, None, "The file is empty.")),
    (
        "not_text",
        {"okrs.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        (
            "error",
            "okrs.csv",
            None,
            None,
            None,
            "This is a PNG image, not a CSV file. Export the sheet as CSV or XLSX.",
        ),
    ),
    (
        "unrecognised_table",
        {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "colours.csv": "colour,size\nred,3\n"},
        (
            "error",
            "colours.csv",
            1,
            None,
            "colour, size",
            "The columns do not match any OKR table (okrs, checkins, dependencies, teams); this file "
            "is ignored.",
        ),
    ),
    (
        "unknown_value",
        {
            "okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n",
            "checkins.csv": "kr_id,date,value,status\nKR-1,2026-07-01,1,purple\n",
        },
        (
            "warning",
            "checkins.csv",
            2,
            "status",
            "purple",
            "'purple' is not a known status (on_track, at_risk, off_track or green, amber, red); it is "
            "left empty.",
        ),
    ),
    (
        "ragged_row",
        {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\nO-2,Hire,2026-Q3,People,KR-2,H,0,5,x,y\n"},
        (
            "error",
            "okrs.csv",
            3,
            None,
            "x,y",
            "The row has 10 cells but the header has 8 columns; the extra cells are not read.",
        ),
    ),
]


@pytest.mark.parametrize(("code", "files", "expected"), RULES, ids=[r[0] for r in RULES])
def test_validation_rule_reports_row_and_message(tmp_path, code, files, expected):
    report = load_texts(tmp_path, files).report
    found = [
        (i.severity, i.file, i.row, i.column, i.value, i.message)
        for i in report.issues
        if i.code == code
    ]
    assert found == [expected], report.to_text()


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    from okrdata.config import Config

    big = OKRS_HEAD + "\n" + (OKRS_ROW + "\n") * 30_000
    result = ingest.load([write(tmp_path, {"okrs.csv": big})], config=Config(max_upload_mb=1))
    assert [i.code for i in result.report.errors] == ["file_too_large", "no_okrs"]
    assert result.dataset.is_empty


# --- the fixture sets from the issue ----------------------------------------------------------


def test_messy_export_validates_clean():
    result = ingest.load_dir(FIXTURES / "messy")
    assert result.report.ok, result.report.to_text()
    assert [i.code for i in result.report.warnings] == ["unknown_columns"]
    ds = result.dataset
    assert ds.objectives["quarter"].unique().tolist() == ["2026-Q3"]
    assert ds.key_results.set_index("kr_id")["target_value"].to_dict() == {
        "KR-1": 2000.0,
        "KR-2": 1200.0,
        "KR-3": 10.0,
        "KR-4": 60.0,
    }
    assert ds.checkins["date"].iloc[0] == pd.Timestamp("2026-07-15")
    assert ds.checkins["confidence"].tolist() == pytest.approx([0.8, 0.75, 0.7, 0.6, 0.9])
    assert ds.checkins["status"].tolist() == [
        "on_track",
        "at_risk",
        "on_track",
        "off_track",
        "on_track",
    ]


def test_broken_export_reports_each_problem_on_its_row():
    report = ingest.load_dir(FIXTURES / "broken").report
    found = {(i.file, i.row, i.code, i.value) for i in report.errors}
    assert found == {
        ("okrs.csv", 3, "duplicate_id", "KR-1"),
        ("okrs.csv", 4, "bad_number", "lots"),
        ("okrs.csv", 5, "bad_quarter", "Q5 2026"),
        ("okrs.csv", 2, "parent_cycle", "O-1"),
        ("checkins.csv", 3, "unknown_kr", "KR-9"),
        ("checkins.csv", 4, "bad_date", "31/31/2026"),
        ("checkins.csv", 5, "bad_number", "#VALUE!"),
    }


# --- the command line -------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The command line in this process (``run_main``): test_store and test_precomputed run
    ``python -m okrdata`` itself."""
    return run_main(*args)


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_cli_validate_exit_codes_and_json():
    assert run_cli("validate", str(FIXTURES / "messy")).returncode == 0
    broken = run_cli("validate", "--format", "json", str(FIXTURES / "broken"))
    assert broken.returncode == 1
    body = json.loads(broken.stdout)
    assert body["ok"] is False and body["errors"] == 7
    assert run_cli("validate").returncode == 2
    assert run_cli("validate", "/no/such/file.csv").returncode == 2


def test_cli_validate_table_names_file_row_and_sentence():
    out = run_cli("validate", str(FIXTURES / "broken")).stdout
    assert "checkins.csv" in out and "31/31/2026" in out
    assert "'31/31/2026' is not a date; write it like 2026-09-15." in out
    assert out.strip().endswith("7 errors block the import.")


@pytest.mark.parametrize(
    "command", ["validate", "sample", "signals", "report", "import", "history", "restore"]
)
def test_every_command_has_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


# --- ids, parents by title, columns reported in one pass --------------------------------------


def test_missing_ids_are_derived_stably_with_a_warning(tmp_path):
    okrs = (
        "Objective,Quarter,Team,Key Result,Target\n"
        "Grow revenue,Q3 2026,Sales,New ARR,100\n"
        "Grow revenue,Q3 2026,Sales,Renewals,50\n"
        "Ship faster,Q3 2026,Platform,Deploys per week,10\n"
    )
    first = load_texts(tmp_path, {"okrs.csv": okrs})
    again = load_texts(tmp_path, {"okrs.csv": okrs})
    assert first.report.ok, first.report.to_text()
    objs, krs = first.dataset.objectives, first.dataset.key_results
    assert len(objs) == 2 and len(krs) == 3
    assert objs["objective_id"].str.fullmatch(r"O-[0-9a-f]{8}").all()
    assert krs["kr_id"].str.fullmatch(r"KR-[0-9a-f]{8}").all()
    assert objs["objective_id"].tolist() == again.dataset.objectives["objective_id"].tolist()
    assert krs["kr_id"].tolist() == again.dataset.key_results["kr_id"].tolist()
    found = [(i.code, i.row, i.column) for i in first.report.warnings]
    assert found == [("derived_id", 2, "objective_id"), ("derived_id", 2, "kr_id")]
    assert first.report.warnings[0].message.startswith(
        "2 objectives have no id; stable ids are derived from quarter, team and title (like O-"
    )


def test_parents_may_be_given_by_title(tmp_path):
    okrs = (
        "objective_id,objective,quarter,team,parent\n"
        "C-1,Customers love us,2026-Q3,Leadership,\n"
        "T-1,Faster support,2026-Q3,Support,customers love us\n"
    )
    result = load_texts(tmp_path, {"okrs.csv": okrs})
    assert result.report.ok and not result.report.warnings, result.report.to_text()
    parents = result.dataset.objectives.set_index("objective_id")["parent_objective_id"]
    assert parents["T-1"] == "C-1"


def test_every_missing_column_is_reported_in_one_pass_with_the_closest_name(tmp_path):
    okrs = "Objectve,Quartr,Squadd,Key Result,Target\nGrow,Q3 2026,Sales,ARR,100\n"
    report = load_texts(tmp_path, {"okrs.csv": okrs}).report
    found = [(i.code, i.column, i.value, i.message) for i in report.issues]
    assert found[:3] == [
        ("missing_column", "objective", "Objectve", "The okrs table needs a column 'objective'; "
         "none of the columns matches it (closest: 'Objectve'). "
         "Rename the column that holds it to 'objective', or choose that column on the Data page."),
        ("missing_column", "quarter", "Quartr", "The okrs table needs a column 'quarter'; "
         "none of the columns matches it (closest: 'Quartr'). "
         "Rename the column that holds it to 'quarter', or choose that column on the Data page."),
        ("missing_column", "team", "Squadd", "The okrs table needs a column 'team'; "
         "none of the columns matches it (closest: 'Squadd'). "
         "Rename the column that holds it to 'team', or choose that column on the Data page."),
    ]  # fmt: skip
    assert found[3][:3] == ("unknown_columns", None, "Objectve, Quartr, Squadd")
    assert found[3][3] == (
        "3 columns are not part of the okrs table; they are kept aside and not used: "
        "Objectve (like 'objective'?), Quartr (like 'quarter'?), Squadd (like 'team'?)."
    )


def test_a_near_miss_gets_a_hint(tmp_path):
    files = {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "updates.csv": "KR ID,Note\nKR-1,ok\n"}
    (issue,) = load_texts(tmp_path, files).report.errors
    assert issue.message == (
        "The columns do not match any OKR table (okrs, checkins, dependencies, teams); this file "
        "is ignored. It looks like check-ins but no column holds a date or a value."
    )


def test_a_lone_owner_column_on_a_row_per_kr_sheet_is_the_krs_owner(tmp_path):
    okrs = f"{OKRS_HEAD},Owner\n{OKRS_ROW},ana\nO-1,Grow,2026-Q3,Sales,KR-2,Logos,0,9,bo\n"
    krs = load_texts(tmp_path, {"okrs.csv": okrs}).dataset.key_results
    assert krs.set_index("kr_id")["kr_owner"].to_dict() == {"KR-1": "ana", "KR-2": "bo"}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023-12-11 19:41:43.318197", "2023-12-11"),
        ("2023-12-11 19:41:43 UTC", "2023-12-11"),
        ("2023-12-11T19:41:43.318Z", "2023-12-11"),
        ("2023-12-11 19:41:43+01:00", "2023-12-11"),
        ("11 Dec 2023 19:41", "2023-12-11"),
        ('"Dec 11, 2023 7:41 PM"', "2023-12-11"),
        ('"Dec 11, 2023, 7:41:43 p.m. CET"', "2023-12-11"),
    ],
)
def test_timestamps_are_dates(tmp_path, text, day):
    okrs = f"{OKRS_HEAD}\nO-1,Grow,2023-Q4,Sales,KR-1,ARR,0,100\n"
    result = load_texts(
        tmp_path, {"okrs.csv": okrs, "checkins.csv": f"kr_id,date,value\nKR-1,{text},5\n"}
    )
    assert result.report.ok, result.report.to_text()
    assert result.dataset.checkins["date"].tolist() == [pd.Timestamp(day)]


# --- kinds of key result, status and confidence spellings --------------------------------------

KINDS_HEAD = "objective_id,objective,quarter,team,kr_id,key_result"


@pytest.mark.parametrize(
    ("extra_head", "extra_row", "expected"),
    [
        # progress-only: a % column, no start or target
        (",%", ",45%", ("increase", 0.0, 100.0, 45.0)),
        (",Progress", ",0.45", ("increase", 0.0, 1.0, 0.45)),
        # milestone / yes-no: no numbers at all
        ("", "", ("binary", 0.0, 1.0, None)),
        (",Current", ",Done", ("binary", 0.0, 1.0, 1.0)),
        (",Current", ",not done", ("binary", 0.0, 1.0, 0.0)),
        (",Current", ",✅", ("binary", 0.0, 1.0, 1.0)),
        (",Status", ",Done", ("binary", 0.0, 1.0, 1.0)),
        # ordinal zones
        (",Current", ",Commit", ("increase", 0.0, 1.0, 0.3)),
        (",Current", ",Target", ("increase", 0.0, 1.0, 0.7)),
        (",Current", ",Stretch", ("increase", 0.0, 1.0, 1.0)),
        # numeric: unchanged
        (",Start,Target,Current", ",10,20,15", ("increase", 10.0, 20.0, 15.0)),
        # numeric with only a progress: start + progress × (target − start), on the file's scale
        (",Start,Target,Current,Progress", ",10,20,,40%", ("increase", 10.0, 20.0, 14.0)),
        (",Start,Target,Progress", ",100,50,0.5", ("decrease", 100.0, 50.0, 75.0)),
        (",Start,Target,Current,Progress", ",10,20,12,40%", ("increase", 10.0, 20.0, 12.0)),
    ],
)
def test_kinds_of_key_result(tmp_path, extra_head, extra_row, expected):
    okrs = f"{KINDS_HEAD}{extra_head}\nO-1,Grow,2026-Q3,Sales,KR-1,Launch the partner portal{extra_row}\n"
    result = load_texts(tmp_path, {"okrs.csv": okrs})
    assert result.report.ok, result.report.to_text()
    kr = result.dataset.key_results.iloc[0]
    current = None if pd.isna(kr["current_value"]) else kr["current_value"]
    assert (kr["metric_type"], kr["start_value"], kr["target_value"], current) == expected


def test_zone_scores_are_configurable(tmp_path):
    from okrdata.config import Config

    path = write(tmp_path, {"okrs.csv": f"{KINDS_HEAD},Current\nO-1,G,2026-Q3,S,KR-1,K,commit\n"})
    result = ingest.load([path], config=Config(zone_scores=(0.4, 0.8, 1.0)))
    assert result.dataset.key_results["current_value"].tolist() == [0.4]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("🟢", "on_track"),
        ("🟡", "at_risk"),
        ("🔴", "off_track"),
        ("On track", "on_track"),
        ("Behind", "off_track"),
        ("In Progress", "on_track"),
        ("Done", "on_track"),
        ("Todo", None),
        # goal tools' closing words: partly there, missed, dropped
        ("Partial", "at_risk"),
        ("Missed", "off_track"),
        ("Dropped", "off_track"),
        # the yellow between On Track and Off Track (Lattice, Mooncamp: "deviates slightly")
        ("Progressing", "at_risk"),
        # monday.com's status column: a workflow's states, work under way, stuck, done
        ("Working on it", "on_track"),
        ("Stuck", "off_track"),
    ],
)
def test_more_status_spellings(tmp_path, text, status):
    checkins = f"kr_id,date,value,status\nKR-1,2026-07-15,5,{text}\n"
    result = load_texts(
        tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "checkins.csv": checkins}
    )
    assert result.report.ok and not result.report.warnings, result.report.to_text()
    got = result.dataset.checkins["status"].iloc[0]
    assert (None if pd.isna(got) else got) == status


@pytest.mark.parametrize(("text", "confidence"), [("🟡", 0.5), ("🟢", 0.9), ("High", 0.9)])
def test_confidence_in_colours_and_words(tmp_path, text, confidence):
    checkins = f"kr_id,date,value,confidence\nKR-1,2026-07-15,5,{text}\n"
    result = load_texts(
        tmp_path, {"okrs.csv": f"{OKRS_HEAD}\n{OKRS_ROW}\n", "checkins.csv": checkins}
    )
    assert result.dataset.checkins["confidence"].tolist() == [confidence]


# --- implausible input still gets a word ------------------------------------------------------


def test_a_megabyte_title_is_kept_cut_for_display_and_warned(tmp_path):
    from okrdata.export import for_display

    title = "Grow " * 200_000  # a megabyte
    okrs = f'{OKRS_HEAD}\nO-1,"{title}",2026-Q3,Sales,KR-1,ARR,0,100\n'
    result = load_texts(tmp_path, {"okrs.csv": okrs})
    assert result.report.ok
    (warning,) = result.report.warnings
    assert (warning.code, warning.row, warning.column) == ("long_title", 2, "objective")
    assert warning.message == (
        "An objective title of 999999 characters: it is kept, and cut to 200 characters where it "
        "is displayed."
    )
    objs = result.dataset.objectives
    assert len(objs["objective"].iloc[0]) == len(title.strip())
    assert len(for_display(objs)["objective"].iloc[0]) == 200


@pytest.mark.parametrize("quarter", ["Q3 0001", "9999-Q4"])
def test_a_quarter_in_year_0001_or_9999_is_a_warning(tmp_path, quarter):
    result = load_texts(
        tmp_path, {"okrs.csv": f"{OKRS_HEAD}\nO-1,Grow,{quarter},Sales,KR-1,ARR,0,1\n"}
    )
    assert result.report.ok
    assert [(i.code, i.value) for i in result.report.warnings] == [("undated", quarter)]
    assert result.aside["objective_id"].tolist() == ["O-1"]  # kept aside, in no quarter


def test_initiatives_on_an_okrs_sheet_are_work_not_objectives_or_krs(tmp_path):
    okrs = (
        f"{OKRS_HEAD},type\n{OKRS_ROW},committed\n"
        "O-1,Grow,2026-Q3,Sales,,Partner webinar series,,,Initiative\n"
        "P-7,Rebuild the pricing page,2026-Q3,Web,,,,,Project\n"
    )
    result = load_texts(tmp_path, {"okrs.csv": okrs})
    assert result.report.ok and not result.report.warnings, result.report.to_text()
    ds = result.dataset
    assert ds.objectives["objective_id"].tolist() == ["O-1"]
    assert ds.key_results["kr_id"].tolist() == ["KR-1"]
    aside = result.aside[["kind", "objective_id", "title", "_row"]].fillna("")
    assert aside.values.tolist() == [
        ["work", "O-1", "Partner webinar series", 3],
        ["work", "", "Rebuild the pricing page", 4],
    ]


def test_a_current_as_of_that_is_no_date_is_a_warning_and_the_import_day_is_used():
    from okrdata.ingest import load

    okrs = (b"objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value,"
            b"current_value,current_as_of\n"
            b"O-1,Grow,2026-Q3,Sales,KR-1,Revenue,0,10,5,soon\n"
            b"O-1,Grow,2026-Q3,Sales,KR-2,Logos,0,10,5,2026-08-01\n")  # fmt: skip
    result = load([("okrs.csv", okrs)])
    issue = next(i for i in result.report.issues if i.column == "current_as_of")
    assert (issue.severity, issue.code, issue.row, issue.value) == (
        "warning",
        "bad_date",
        2,
        "soon",
    )
    assert (
        issue.message == "'soon' is not a date; the current value counts from the day it is "
        "imported. Write the day it was read, like 2026-07-20."
    )
    assert result.as_of_given == frozenset({"KR-2"})
    k = result.dataset.key_results.set_index("kr_id")["current_as_of"]
    assert k["KR-2"] == pd.Timestamp("2026-08-01")


@pytest.mark.parametrize("header", ["Last Updated", "Updated At", "Last Update", "As Of"])
def test_a_last_updated_column_on_an_okrs_sheet_is_the_day_the_current_value_was_read(
    tmp_path, header
):
    result = load_texts(tmp_path, {"okrs.csv": (
        f"Objective,Quarter,Team,Key Result,Target,Current,{header}\n"
        "Grow,Q3 2026,Sales,ARR,100,45,2026-07-20\n"
        "Grow,Q3 2026,Sales,Deals,10,4,20 Jul 2026 14:03\n"
    )})  # fmt: skip
    assert not result.sources[0].unknown_columns
    k = result.dataset.key_results.set_index("key_result")["current_as_of"]
    assert k.tolist() == [pd.Timestamp("2026-07-20")] * 2
    assert len(result.as_of_given) == 2
    warned = [i for i in result.report.issues if i.code == "bad_date"]
    assert not warned


def test_a_bad_last_updated_is_named_as_the_user_wrote_it(tmp_path):
    result = load_texts(tmp_path, {"okrs.csv": (
        "Objective,Quarter,Team,Key Result,Target,Current,Last Updated\n"
        "Grow,Q3 2026,Sales,ARR,100,45,soon\n"
    )})  # fmt: skip
    (issue,) = [i for i in result.report.issues if i.code == "bad_date"]
    assert (issue.row, issue.column, issue.value) == (2, "Last Updated", "soon")
    assert issue.message == (
        "'soon' is not a date; the current value counts from the day it is imported. "
        "Write the day it was read, like 2026-07-20."
    )


def test_an_owner_email_beside_the_owner_is_not_an_unknown_column(tmp_path):
    result = load_texts(tmp_path, {"okrs.csv": (
        "Objective,Quarter,Team,Owner,Owner Email,Key Result,KR Owner,KR Owner Email,Target\n"
        "Grow,Q3 2026,Sales,Ann,ann@example.org,ARR,Bo,bo@example.org,100\n"
    )})  # fmt: skip
    src = result.sources[0]
    assert src.unknown_columns == []
    assert not [i for i in result.report.issues if i.code == "unknown_columns"]
    assert "Owner Email, KR Owner Email: email addresses beside the names, not used" in src.notes
    assert result.dataset.objectives["objective_owner"].tolist() == ["Ann"]
    assert result.dataset.key_results["kr_owner"].tolist() == ["Bo"]


def test_an_owner_email_alone_is_the_owner(tmp_path):
    result = load_texts(tmp_path, {"okrs.csv": (
        "Objective,Quarter,Team,Owner Email,Key Result,KR Owner Email,Target\n"
        "Grow,Q3 2026,Sales,ann@example.org,ARR,bo@example.org,100\n"
    )})  # fmt: skip
    assert result.sources[0].unknown_columns == []
    assert result.dataset.objectives["objective_owner"].tolist() == ["ann@example.org"]
    assert result.dataset.key_results["kr_owner"].tolist() == ["bo@example.org"]


def test_a_files_decimal_comma_is_decided_once_for_the_whole_file(tmp_path):
    # the file's other numbers show a decimal comma (30,5; 1.200,50): 1,234 is 1.234 there;
    # a file that shows a decimal point (1,234.50) keeps 1,234 as 1234
    okrs = (
        "Objective ID;Objective;Quarter;Team;KR ID;Key Result;Start;Target;Current\n"
        "O1;Kunden;2026 Q3;Support;K1;NPS;30,5;45,0;38,25\n"
        "O1;Kunden;2026 Q3;Support;K2;Zeit;2,500;1,234;2,125\n"
    )
    checkins = "KR ID;Date;Value\nK2;15.07.2026;1,750\nK1;16.07.2026;1.200,50\n"
    points = 'kr_id,date,value\nK1,2026-07-17,"1,234"\nK1,2026-07-18,"1,234.50"\n'
    result = load_texts(tmp_path, {"okrs.csv": okrs, "checkins.csv": checkins,
                                   "points_checkins.csv": points})  # fmt: skip
    assert result.report.ok, result.report.to_text()
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs.loc["K2", ["start_value", "target_value", "current_value"]].tolist() == [
        2.5, 1.234, 2.125]  # fmt: skip
    values = result.dataset.checkins.sort_values("date")["value"].tolist()
    assert values == [1.75, 1200.5, 1234.0, 1234.5]


def test_points_grouping_thousands_in_two_groups_or_more_are_no_decimal(tmp_path):
    """A European spreadsheet's tracker (a Google Sheets ``Company OKRs`` tab saved with ``;``):
    1.250.000 is one and a quarter million, never 'not a number'. (A single group, 812.500,
    stays a plain decimal, read before the file's decimal mark is looked at.)"""
    okrs = ("Quarter;Objective;KR;Target;Current\n"
            "Q2 2026;Wachsen;Umsatz;1.250.000;812.500,5\n"
            "Q2 2026;Wachsen;NPS;40;28,5\n")  # fmt: skip
    result = load_texts(tmp_path, {"vertrieb_okrs.csv": okrs})
    assert not result.report.errors, result.report.to_text()
    krs = result.dataset.key_results.set_index("key_result")
    assert krs.loc["Umsatz", ["target_value", "current_value"]].tolist() == [1250000, 812500.5]
    assert krs.loc["NPS", "current_value"] == 28.5


@pytest.mark.parametrize(("header", "cell", "current"), [
    ("Done", "TRUE", 1.0), ("Completed", "Yes", 1.0), ("Achieved", "✅", 1.0),
    ("Done", "FALSE", None),
])  # fmt: skip
def test_a_done_checkbox_column_completes_a_milestone(tmp_path, header, cell, current):
    result = load_texts(tmp_path, {"okrs.csv": (
        f"Objective,Quarter,Team,Key Result,{header}\nGrow,Q3 2026,Sales,Launch the app,{cell}\n"
    )})  # fmt: skip
    assert result.sources[0].unknown_columns == []
    k = result.dataset.key_results
    assert k["metric_type"].tolist() == ["binary"]
    if current is None:
        assert k["current_value"].isna().all()
    else:
        assert k["current_value"].tolist() == [current]


def test_an_owner_beside_a_lead_is_the_team_when_no_column_names_the_team(tmp_path):
    # tools where a team owns a goal and a person leads it (Owner = team, Lead = person)
    result = load_texts(tmp_path, {"okrs.csv": (
        "Objective,Timeframe,Owner,Lead,Key Result,KR Lead,Start value,Target value\n"
        "Grow,Q3 2026,Sales,Ann,ARR,Bo,0,100\n"
    )})  # fmt: skip
    assert result.report.ok, result.report.to_text()
    assert result.sources[0].unknown_columns == []
    obj = result.dataset.objectives
    assert obj[["team", "objective_owner"]].values.tolist() == [["Sales", "Ann"]]
    assert result.dataset.key_results["kr_owner"].tolist() == ["Bo"]
    assert "Owner names teams (a Lead column names the people)" in result.sources[0].notes


def test_check_ins_are_not_each_refused_when_the_okrs_sheet_itself_cannot_be_read(tmp_path):
    # one missing column on the okrs sheet: that is the problem to fix, not every check-in
    result = load_texts(tmp_path, {
        "okrs.csv": "Objective,Quarter,Key Result,Target\nGrow,Q3 2026,ARR,100\n",
        "checkins.csv": "Key Result,Date,Value\nARR,2026-07-10,30\nARR,2026-07-17,35\n",
    })  # fmt: skip
    assert [(i.code, i.file) for i in result.report.errors] == [("missing_column", "okrs.csv")]
    assert "not matched to key results: the okrs table was not read" in result.sources[0].notes


def test_a_windows_csv_keeps_its_euro_signs_quotes_and_dashes(tmp_path):
    # Excel's "CSV" on Windows is Windows-1252: € “ ” – are bytes Latin-1 reads as controls
    text = (
        "Objective ID;Objective;Quarter;Team;KR ID;Key Result;Start;Target\n"
        "O-1;“Delight” customers – EU;2026-Q3;Ventes;KR-1;Revenue in € (café);0;100\n"
    )
    result = load_texts(tmp_path, {"okrs.csv": text.encode("cp1252")})
    assert result.report.ok, result.report.to_text()
    assert result.dataset.objectives["objective"].tolist() == ["“Delight” customers – EU"]
    assert result.dataset.key_results["key_result"].tolist() == ["Revenue in € (café)"]
    assert "read as windows-1252" in result.sources[0].notes


def test_a_small_import_runs_duckdb_on_one_thread_a_large_one_on_every_core(monkeypatch, tmp_path):
    """Under ``ONE_THREAD_BYTES`` together, the files are loaded on one DuckDB thread (a second
    only coordinated) and without DuckDB's optimizer (optimizing took longer than running);
    above it, on DuckDB's default of every core, optimized. Both give the same data."""
    import shutil

    from okrdata import staging

    folder = shutil.copytree("sample_data", tmp_path / "sample")  # read here, not remembered

    seen: list[int] = []
    optimized: list[bool] = []
    stage = staging.stage

    def spy(con, *args, **kwargs):
        seen.append(con.execute("select current_setting('threads')").fetchone()[0])
        optimized.append(con.execute("select current_setting('enable_optimizer')").fetchone()[0])
        return stage(con, *args, **kwargs)

    monkeypatch.setattr(staging, "stage", spy)
    small = ingest.load([folder])
    assert seen == [1] and optimized == [False]
    monkeypatch.setattr(ingest, "ONE_THREAD_BYTES", 1)
    large = ingest.load([folder])
    assert seen[1] == duckdb_default_threads() > 1 and optimized[1] is True
    for table, frame in small.dataset.tables().items():
        pd.testing.assert_frame_equal(frame, large.dataset.tables()[table])
    assert small.report.summary() == large.report.summary()


def duckdb_default_threads() -> int:
    import duckdb

    return duckdb.connect().execute("select current_setting('threads')").fetchone()[0]
