"""Database tables linked by ids (``okrdata/sources/database.py``) and the view that joins them
(``okrdata/sources/joined_view.py``), on fixtures of our own in Puzzle ITC's OKR tool's layout
(``tests/fixtures/sources/database``, ``tests/fixtures/sources/joined_view``): the same headers,
microsecond timestamps, metric and ordinal key results, zones and ``-1`` placeholder rows, with
invented rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from okrdata import ingest
from okrdata.config import Config

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
TABLES = FIXTURES / "database"
VIEW = FIXTURES / "joined_view" / "overview.csv"


def issues(result: ingest.LoadResult) -> list[tuple]:
    return [(i.severity, i.code, i.file, i.row, i.message) for i in result.report.issues]


@pytest.fixture(scope="module")
def tables() -> ingest.LoadResult:
    return ingest.load([TABLES])


# --- database tables ----------------------------------------------------------------------------


def test_puzzle_tables_import_without_errors(tables):
    assert tables.report.ok, tables.report.to_text()
    ds = tables.dataset
    assert (len(ds.objectives), len(ds.key_results), len(ds.checkins)) == (3, 5, 7)
    assert tables.aside["objective_id"].tolist() == ["504"]  # quarter "Backlog", no dates


def test_checkins_take_created_on_value_metric_zone_change_info_and_author(tables):
    ck = tables.dataset.checkins.set_index(["kr_id", "date"])
    day = pd.Timestamp
    assert ck.loc[("601", day("2025-07-28")), "value"] == 9.0  # value_metric
    assert ck.loc[("601", day("2025-07-28")), "comment"] == "Zwei Ausfälle im Juli"
    assert ck.loc[("601", day("2025-07-28")), "author"] == "7"  # created_by_id
    assert ck.loc[("601", day("2025-08-25")), "confidence"] == pytest.approx(0.8)  # 8 of 0-10
    assert ck.loc[("603", day("2025-10-20")), "value"] == pytest.approx(0.3)  # COMMIT
    assert ck.loc[("603", day("2025-10-20")), "comment"] == "Erste Termine:\nGenf und Lausanne"
    assert ck.loc[("603", day("2025-11-17")), "value"] == 0.0  # FAIL: below the commit zone
    assert ck.loc[("605", day("2025-11-10")), "value"] == 1.0  # STRETCH


def test_metric_and_ordinal_key_results(tables):
    krs = tables.dataset.key_results.set_index("kr_id")
    cols = ["metric_type", "start_value", "target_value", "unit"]
    assert krs.loc["601", cols].tolist() == ["decrease", 12.0, 2.0, "NUMBER"]  # baseline, stretch
    assert krs.loc["602", cols].tolist() == ["increase", 0.0, 99.9, "PERCENT"]
    # ordinal, with zones in words: a zoned key result from 0 to 1, whatever its zone texts say
    assert krs.loc["603", cols[:3]].tolist() == ["increase", 0.0, 1.0]
    assert krs.loc["605", cols[:3]].tolist() == ["increase", 0.0, 1.0]
    # no metric_type warning for 'metric' / 'ordinal': they name a kind of key result
    assert not [i for i in tables.report.issues if i.code == "unknown_value"]


def test_quarters_are_dated_by_their_dates_not_their_fiscal_label(tables):
    objs = tables.dataset.objectives.set_index("objective_id")
    # GJ 25/26-Q2 runs 2025-10-01..2025-12-31: the calendar's Q4 with the default settings
    assert objs.loc[["501", "502"], "quarter"].tolist() == ["2025-Q3", "2025-Q4"]
    assert objs.loc["502", "team"] == "Vertrieb"
    fiscal = ingest.load([TABLES], config=Config(fiscal_start_month=7)).dataset.objectives
    # with Puzzle's fiscal year (from July), the same dates are its Q1 and Q2
    assert fiscal.set_index("objective_id").loc[["501", "502"], "quarter"].tolist() == [
        "2025-Q1", "2025-Q2"]  # fmt: skip


def test_a_target_equal_to_the_default_start_is_a_warning_not_an_error(tables):
    # KR 604: no baseline, stretch_goal 0.0 ("net cancellations 0"): it holds its line
    (found,) = [i for i in tables.report.issues if i.code == "target_equals_start"]
    assert (found.severity, found.file, found.row) == ("warning", "key_result.csv", 5)
    assert "no start" in found.message


def test_a_target_equal_to_a_given_start_is_still_an_error(tmp_path):
    folder = tmp_path / "db"
    shutil.copytree(TABLES, folder)
    path = folder / "key_result.csv"
    path.write_text(path.read_text().replace("604,,,", "604,0.0,,"))
    result = ingest.load([folder])
    (error,) = result.report.errors
    assert (error.code, error.file, error.row) == ("target_equals_start", "key_result.csv", 5)


def test_unused_columns_of_each_table_are_listed(tables):
    unused = (
        "7 columns of the objective table are not used: modified_on, description, "
        "created_by_id, state, modified_by_id, created_on, version."
    )
    assert ("warning", "unknown_columns", "objective.csv", 1, unused) in issues(tables)
    assert ("warning", "unknown_columns", "check_in.csv", 1,
            "5 columns of the check_in table are not used: id, initiatives, modified_on, "
            "check_in_type, version.") in issues(tables)  # fmt: skip


@pytest.mark.parametrize(
    "renames",
    [
        {"check_in.csv": "checkins.csv", "key_result.csv": "public.key_results.csv"},
        {"objective.csv": "okr_objectives.csv", "team.csv": "teams.csv"},
    ],
)
def test_table_names_singular_plural_or_prefixed(tmp_path, renames):
    folder = tmp_path / "db"
    shutil.copytree(TABLES, folder)
    for old, new in renames.items():
        (folder / old).rename(folder / new)
    result = ingest.load([folder])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert (len(ds.objectives), len(ds.key_results), len(ds.checkins)) == (3, 5, 7)


def test_created_at_dates_and_zone_texts_without_a_type(tmp_path):
    """The generic kinds: ``created_at`` for the check-in's day, and an ordinal key result
    told by its zone texts alone when no type column says so."""
    folder = tmp_path / "db"
    shutil.copytree(TABLES, folder)
    ck = pd.read_csv(folder / "check_in.csv", dtype=str, keep_default_na=False)
    ck.rename(columns={"created_on": "created_at"}).to_csv(folder / "check_in.csv", index=False)
    kr = pd.read_csv(folder / "key_result.csv", dtype=str, keep_default_na=False)
    kr.drop(columns="key_result_type").to_csv(folder / "key_result.csv", index=False)
    result = ingest.load([folder])
    assert result.report.ok, result.report.to_text()
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs.loc["603", ["start_value", "target_value"]].tolist() == [0.0, 1.0]
    assert len(result.dataset.checkins) == 7


# --- the view joining objectives, key results and their latest check-ins ------------------------


@pytest.fixture(scope="module")
def view() -> ingest.LoadResult:
    return ingest.load([VIEW], config=Config(fiscal_start_month=7))


def test_the_view_is_recognised_and_gives_okrs_and_checkins(view):
    assert view.report.ok, view.report.to_text()
    ds = view.dataset
    # 501, 502, 503 and 506 (no key results); 504 is in the Backlog, kept aside
    assert sorted(ds.objectives["objective_id"]) == ["501", "502", "503", "506"]
    assert sorted(ds.key_results["kr_id"]) == ["601", "602", "603", "604", "605"]
    # the latest check-in of each key result that has one (604: check_in_id -1); 605's row
    # repeated by the join is read once
    ck = ds.checkins.set_index("kr_id")
    assert sorted(ck.index) == ["601", "602", "603", "605"]
    assert ck.loc["601", ["value", "confidence"]].tolist() == [4.0, pytest.approx(0.8)]
    assert ck.loc["603", "value"] == 0.0  # FAIL
    assert ck.loc["605", "value"] == 1.0  # STRETCH
    assert ck.loc["605", "date"] == pd.Timestamp("2025-11-10")
    notes = next(s.notes for s in view.sources if s.table == "checkins")
    assert notes[0].startswith("looks like a database view joining objectives, key results")


def test_placeholder_rows_are_set_aside_with_the_reason_and_counted(view):
    from okrdata.sources import reshape

    frame = pd.read_csv(VIEW, dtype="string", keep_default_na=False)
    match, converted = reshape(frame, "overview.csv") or (None, None)
    assert match is not None and match.adapter.name == "joined_view"
    reason = "a team without objectives (a placeholder row, its ids -1), not imported"
    # and the row the join repeats whole (the fixture's row 7) is listed, never lost
    assert converted.aside == [([8, 9], reason), ([5], "repeats a row above (the view's join), "
                                                 "read once")]  # fmt: skip
    notes = next(s.notes for s in view.sources if s.table == "okrs")
    assert "2 placeholder rows of teams without objectives (ids -1) set aside, not imported: " \
        "rows 10, 11" in notes  # fmt: skip
    assert not {"/ops", "/data"} & set(view.dataset.objectives["team"])


def test_the_view_and_the_tables_agree(view, tables):
    """The same data, as the tool's tables or its view: the same objectives and key results in
    the same quarters (the view's fiscal labels read with the fiscal year from July)."""
    fiscal = ingest.load([TABLES], config=Config(fiscal_start_month=7)).dataset
    cols = ["kr_id", "objective_id", "metric_type", "start_value", "target_value"]
    assert view.dataset.key_results[cols].sort_values("kr_id").values.tolist() == (
        fiscal.key_results[cols].sort_values("kr_id").values.tolist())  # fmt: skip
    quarters = view.dataset.objectives.set_index("objective_id")["quarter"]
    assert quarters.loc[["501", "502", "503"]].tolist() == ["2025-Q1", "2025-Q2", "2025-Q2"]
    assert fiscal.objectives.set_index("objective_id")["quarter"].loc[
        ["501", "502", "503"]].tolist() == ["2025-Q1", "2025-Q2", "2025-Q2"]  # fmt: skip


def test_a_view_with_latest_checkin_columns_of_another_tool():
    """The generic family: objective and key-result columns and the latest check-in's."""
    frame = pd.DataFrame({
        "Objective": ["Grow", "Grow"], "Key Result": ["ARR", "NPS"], "Team": ["Sales"] * 2,
        "Quarter": ["Q3 2026"] * 2, "Target": ["10", "50"],
        "Last Check-in Value": ["4", ""], "Last Check-in Date": ["2026-08-03", ""],
        "Last Check-in Comment": ["two deals", ""],
    }, dtype="string")  # fmt: skip
    result = ingest.load([("goals.csv", frame.to_csv(index=False).encode())])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert (len(ds.objectives), len(ds.key_results), len(ds.checkins)) == (1, 2, 1)
    assert ds.checkins["comment"].tolist() == ["two deals"]


# --- fiscal labels named by two years, with no setting saying when the year starts -------------


def test_the_views_fiscal_labels_are_dated_by_their_checkins_without_a_setting():
    result = ingest.load([VIEW])
    assert result.report.ok, result.report.to_text()
    objs = result.dataset.objectives.set_index("objective_id")["quarter"]
    # dated as the tool's quarter table dates them: GJ 25/26-Q1 = July-September 2025
    tables = ingest.load([TABLES]).dataset.objectives.set_index("objective_id")["quarter"]
    assert objs.loc[["501", "502", "503"]].tolist() == ["2025-Q3", "2025-Q4", "2025-Q4"]
    assert tables.loc[["501", "502", "503"]].tolist() == ["2025-Q3", "2025-Q4", "2025-Q4"]
    (warning,) = [i for i in result.report.issues if i.code == "fiscal_year"]
    assert (warning.severity, warning.row, warning.value) == ("warning", 2, "GJ 25/26-Q1")
    assert "fiscal year from July" in warning.message
    assert "(GJ 25/26-Q1 = July–September 2025)" in warning.message
    assert "Set fiscal_start_month = 7 in okr.toml" in warning.message
    assert not [i for i in result.report.issues if i.code == "checkin_outside_quarter"]


def test_with_the_setting_no_guess_and_no_warning(view):
    assert not [i for i in view.report.issues if i.code == "fiscal_year"]


def test_fiscal_labels_without_checkins_to_date_them_are_read_from_january_and_said_so():
    okrs = ("objective_id,objective,quarter,team,kr_id,key_result,target_value\n"
            "O-1,Grow,GJ 25/26-Q2,Sales,KR-1,Deals,10\n")  # fmt: skip
    result = ingest.load([("okrs.csv", okrs.encode())])
    assert result.report.ok, result.report.to_text()
    assert result.dataset.objectives["quarter"].tolist() == ["2025-Q2"]
    (warning,) = [i for i in result.report.issues if i.code == "fiscal_year"]
    assert "read with a fiscal year from January (GJ 25/26-Q2 = April–June 2025)" in (
        warning.message)  # fmt: skip
    assert "fiscal_start_month in okr.toml" in warning.message


def test_people_name_owners_and_authors_and_other_tables_of_the_dump_are_listed(tmp_path):
    """A dump with Puzzle's ``person`` table names owners and authors; its other tables
    (``action``, ``alignment``, ``person_team``) hold no OKR data: listed, not used, no error."""
    folder = tmp_path / "db"
    shutil.copytree(TABLES, folder)
    (folder / "person.csv").write_text(
        "id,email,firstname,lastname,username,version\n"
        "7,lena.brunner@example.ch,Lena,Brunner,lbrunner,1\n"
        "12,marc.roth@example.ch,Marc,Roth,mroth,1\n")  # fmt: skip
    (folder / "action.csv").write_text(
        "id,action,priority,is_checked,key_result_id,version\n"
        "1,Failover-Test planen,0,true,601,1\n")  # fmt: skip
    (folder / "person_team.csv").write_text("person_id,team_id,is_team_admin\n7,31,true\n")
    (folder / "flyway_schema_history.csv").write_text(
        "installed_rank,version,description,type,script,checksum,installed_by,installed_on,"
        "execution_time,success\n1,1.0.0,baseLine,SQL,V1_0_0__baseLine.sql,1,okr,"
        "2023-01-05 10:00:00.5,12,true\n")  # fmt: skip
    result = ingest.load([folder])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert (len(ds.objectives), len(ds.key_results), len(ds.checkins)) == (3, 5, 7)
    ck = ds.checkins.set_index("kr_id")
    assert ck.loc["601", "author"].tolist() == ["Lena Brunner"] * 2
    assert ck.loc["604", "author"] == "14"  # not in the person table: the id as written
    assert ds.key_results.set_index("kr_id").loc["603", "kr_owner"] == "Marc Roth"
    notes = {s.name: s.notes[-1] for s in result.sources}
    assert notes["person.csv"].endswith("; used to name people")
    assert notes["action.csv"].endswith("; no OKR data in it, not used")
    assert notes["person_team.csv"].endswith("; no OKR data in it, not used")
    assert notes["flyway_schema_history.csv"].endswith("; no OKR data in it, not used")


def test_puzzles_older_schema_measures_with_basis_value(tmp_path):
    """Puzzle's first schema: check-ins in ``measure`` (``measure_date``, ``value``) and key
    results with ``basis_value`` / ``target_value``; quarters with a label only."""
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "quarter.csv").write_text("id,label\n1,GJ 25/26-Q2\n")
    (folder / "team.csv").write_text("id,name\n4,/mobility\n")
    (folder / "objective.csv").write_text(
        "id,description,modified_on,progress,title,owner_id,quarter_id,team_id\n"
        "10,,2025-10-02 09:00:00.123456,,Mehr Projekte,3,1,4\n")  # fmt: skip
    (folder / "key_result.csv").write_text(
        "id,basis_value,description,expected_evolution,modified_on,target_value,title,unit,"
        "created_by_id,objective_id,owner_id\n"
        "20,2.0,,1,2025-10-02 09:01:00.5,6.0,Neue Projekte,2,3,10,3\n")  # fmt: skip
    (folder / "measure.csv").write_text(
        "id,change_info,created_on,initiatives,measure_date,value,created_by_id,key_result_id\n"
        "30,Zwei neue,2025-11-14 10:00:00.000001,,2025-11-10 00:00:00,4.0,3,20\n")  # fmt: skip
    result = ingest.load([folder])
    assert result.report.ok, result.report.to_text()
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs.loc["20", ["start_value", "target_value"]].tolist() == [2.0, 6.0]
    (checkin,) = result.dataset.checkins.itertuples()
    assert (checkin.date, checkin.value, checkin.comment) == (
        pd.Timestamp("2025-11-10"),
        4.0,
        "Zwei neue",
    )  # measure_date, the day measured
    # the label alone: a fiscal pair, dated by its check-in (November: a year from July would
    # do, and so would others; the warning says how it was read)
    assert [i.code for i in result.report.issues if i.code == "fiscal_year"] == ["fiscal_year"]


def test_an_empty_table_of_the_dump_is_still_read_as_that_table(tmp_path):
    """A check_in table with its header and no rows: read as the dump's check-in table (its
    0 rows accounted), not left as a sheet in no known shape."""
    folder = tmp_path / "db"
    shutil.copytree(TABLES, folder)
    (folder / "check_in.csv").write_text("id,key_result_id,created_on,value_metric\n")
    result = ingest.load([folder])
    assert result.report.ok, result.report.to_text()
    entry = result.ledger.entry("check_in.csv")
    assert (entry.shape, entry.read, entry.imported) == ("database", 0, 0)
    assert "check_in table of a database export" in entry.why
    assert len(result.dataset.checkins) == 0 and len(result.dataset.key_results) == 5
