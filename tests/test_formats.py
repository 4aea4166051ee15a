"""Other tools' exports: each shape converted to the canonical model, end to end through ingest."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from okrdata.ingest import load
from okrdata.sources import reshape
from okrdata.sources._shared import date_order

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def loaded(name: str):
    result = load([FIXTURES / name])
    return result, result.dataset


def by_id(frame: pd.DataFrame, key: str) -> dict:
    return frame.set_index(key).to_dict("index")


@pytest.mark.parametrize("path", ["sample_data/okrs.csv", "sample_data/checkins.csv",
                                  "sample_data/teams.csv", "sample_data/dependencies.csv"])  # fmt: skip
def test_canonical_files_are_not_foreign(path):
    header = pd.read_csv(path, nrows=0)
    assert reshape(header, path) is None


def test_viva_goals_percent_progress():
    result, ds = loaded("viva_goals.csv")
    assert result.report.ok, result.report.to_text()
    assert result.sources[0].notes[-1] == (
        "looks like a Viva Goals export: Object Type, Aligned To, Progress %; converted to objectives and key results"
    )
    objs = by_id(ds.objectives, "objective_id")
    assert set(objs) == {"100", "101", "105"}
    assert objs["101"]["parent_objective_id"] == "100" and objs["101"]["okr_type"] == "committed"
    assert objs["100"]["okr_type"] == "aspirational" and objs["100"]["quarter"] == "2026-Q3"
    assert objs["105"]["quarter"] == "2026-Q3"  # no Period: from its start date
    krs = by_id(ds.key_results, "kr_id")
    assert krs["102"]["objective_id"] == "101" and krs["102"]["weight"] == 60
    assert krs["102"]["current_value"] == 50  # Actual Progress
    assert krs["103"]["current_value"] == pytest.approx(120 + 0.25 * (40 - 120))  # from Progress %
    assert krs["103"]["metric_type"] == "decrease" and krs["103"]["unit"] == "count"
    assert krs["104"]["objective_id"] == "100" and krs["104"]["current_value"] == 90.8


def test_viva_goals_fraction_progress():
    result, ds = loaded("viva_goals_fraction.csv")
    assert result.report.ok
    krs = by_id(ds.key_results, "kr_id")
    assert krs["8"]["current_value"] == pytest.approx(100 + 0.25 * 200)
    assert krs["9"]["current_value"] == pytest.approx(8 + 0.75 * 4)
    assert ds.objectives["quarter"].tolist() == ["2026-Q4"]


def test_long_layout_with_parent_ids():
    result, ds = loaded("long_goals.csv")
    assert result.report.ok, result.report.to_text()
    objs = by_id(ds.objectives, "objective_id")
    assert set(objs) == {"G1", "G2", "G6"}
    assert objs["G2"]["parent_objective_id"] == "G1" and objs["G2"]["okr_type"] == "committed"
    assert objs["G6"]["parent_objective_id"] == "G1"  # the first of several parents
    assert objs["G2"]["objective_owner"] == "ana@example.com" and objs["G2"]["team"] == "Onboarding"
    assert objs["G1"]["quarter"] == "2026-Q4"
    krs = by_id(ds.key_results, "kr_id")
    assert set(krs) == {"G3", "G4", "G5"}
    assert krs["G3"]["objective_id"] == "G2" and krs["G3"]["metric_type"] == "decrease"
    assert (krs["G4"]["start_value"], krs["G4"]["target_value"], krs["G4"]["current_value"]) == (
        35, 70, 50)  # fmt: skip
    assert krs["G5"]["objective_id"] == "G1"


def test_wide_layout_one_row_per_objective():
    result, ds = loaded("wide_goals.csv")
    assert result.report.ok, result.report.to_text()
    objs = by_id(ds.objectives, "objective_id")
    assert {k: v["objective"] for k, v in objs.items()} == {
        "OBJ-2": "Faster releases", "OBJ-3": "Happier support team", "OBJ-4": "Hire the data team"}  # fmt: skip
    assert objs["OBJ-2"]["quarter"] == "2026-Q4" and objs["OBJ-2"]["team"] == "Platform"
    krs = by_id(ds.key_results, "kr_id")
    assert set(krs) == {"OBJ-2-KR1", "OBJ-2-KR2", "OBJ-3-KR1"}
    assert (krs["OBJ-2-KR1"]["current_value"], krs["OBJ-2-KR1"]["target_value"]) == (60, 100)


def test_wide_layout_fractions_and_day_first_dates():
    result, ds = loaded("wide_goals_dayfirst.csv")
    assert result.report.ok and not result.report.warnings
    assert by_id(ds.objectives, "objective_id")["OBJ-3"]["quarter"] == "2026-Q4"  # 05/11 = 5 Nov
    assert by_id(ds.key_results, "kr_id")["OBJ-2-KR1"]["current_value"] == 50


def test_ambiguous_dates_are_read_by_the_setting_with_a_warning():
    result, ds = loaded("wide_goals_ambiguous.csv")
    (warning,) = result.report.warnings
    assert (warning.code, warning.column, warning.value) == (
        "ambiguous_dates",
        "due_at",
        "03/04/2026",
    )
    assert "read month-first" in warning.message
    assert ds.objectives["quarter"].tolist() == ["2026-Q1"]  # 4 March
    from okrdata.config import Config

    dmy = load([FIXTURES / "wide_goals_ambiguous.csv"], config=Config(date_order="dmy"))
    assert dmy.dataset.objectives["quarter"].tolist() == ["2026-Q2"]  # 3 April


def test_errors_in_a_converted_file_point_at_the_original_row(tmp_path):
    text = (
        (FIXTURES / "long_goals.csv")
        .read_text()
        .replace("2026 Q4,Committed,8,4,6", "2026 Q4,Committed,8,lots,6")
    )
    (tmp_path / "long.csv").write_text(text)
    result = load([tmp_path / "long.csv"])
    (error,) = result.report.errors
    assert (error.row, error.value) == (4, "lots")  # G3 is on spreadsheet row 4


@pytest.mark.parametrize(("values", "order"), [
    (["31/12/2026"], "dmy"),
    (["12/31/2026"], "mdy"),
    (["03/04/2026", "05/06/2026"], None),
    (["2026-12-31"], None),
    (["13/01/2026", "01/13/2026"], None),
    ([], None),
])  # fmt: skip
def test_detect_date_order(values, order):
    con = duckdb.connect()
    con.execute("create table t (v varchar)")
    for v in values:
        con.execute("insert into t values (?)", [v])
    assert date_order(con, "t", "v") == order


def test_viva_goals_export_with_semicolons_and_decimal_commas(tmp_path):
    # the same export as a European spreadsheet saves it: numbers with decimal commas
    text = (
        "Id;Title;Team;Period;Aligned To;Unit;Target;Object Type;Start;Progress %;"
        "Actual Progress;Status\n"
        "1;Happier customers;Support;Q3 2026;;;;Objective;;40;;On Track\n"
        '2;NPS;Support;Q3 2026;"Happier customers(weight: 100%, Id: 1)";pts;45,5;Key result;'
        "30,5;;38,25;On Track\n"
        '3;Reply time (h);Support;Q3 2026;"Happier customers(weight: 100%, Id: 1)";h;4;'
        "Key result;12,5;50,0;;Behind\n"
    )
    (tmp_path / "viva.csv").write_text(text)
    result = load([tmp_path / "viva.csv"])
    assert result.report.ok, result.report.to_text()
    krs = by_id(result.dataset.key_results, "kr_id")
    assert (krs["2"]["start_value"], krs["2"]["target_value"], krs["2"]["current_value"]) == (
        30.5, 45.5, 38.25)  # fmt: skip
    assert krs["3"]["current_value"] == pytest.approx(12.5 + 0.5 * (4 - 12.5))
