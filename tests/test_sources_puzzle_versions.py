"""Other versions of Puzzle ITC's OKR tool (github puzzle/okr, its Flyway migrations under
``backend/src/main/resources/db/migration/``), on fixtures of our own rows in each version's
layout:

- ``V1_5_0__createOverviewView.sql``: the first ``overview`` view, upper case (H2), check-ins
  still called measures (``MEASURE_ID, MEASURE_VALUE, MEASURE_DATE, CREATED_ON``) and key
  results with ``BASIS_VALUE`` / ``TARGET_VALUE`` (``joined_view/overview_v1_5.csv``);
- ``V2_1_0__createOverviewView.sql`` / ``V2_1_1__checkInRefactoringDropAttrsAddNew.sql``: the
  view after check-ins were renamed, the check-in's day a bare ``created_on`` as its last
  column (``check_in_created_on`` only from ``V2_1_2``) (``joined_view/overview_v2_1.csv``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from okrdata import ingest
from okrdata.config import Config
from tests.builders import load_texts

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


@pytest.mark.parametrize("name", ["overview_v2_1.csv", "overview_v1_5.csv"])
def test_puzzles_older_overview_views_are_read_as_the_view(name):
    result = ingest.load([FIXTURES / "joined_view" / name], config=Config(fiscal_start_month=7))
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert sorted(ds.objectives["objective_id"]) == ["70", "71"]
    assert sorted(ds.key_results["kr_id"]) == ["80", "81", "82"]
    ck = ds.checkins.set_index("kr_id")
    assert sorted(ck.index) == ["80", "81"]  # 82: check-in id -1, none
    assert ck.loc["80", "value"] == 4.0
    assert ck.loc["80", "date"] == pd.Timestamp("2024-11-04")  # the day measured, where given
    assert result.dataset.objectives["quarter"].unique().tolist() == ["2024-Q2"]
    entry = result.ledger.entry(name)
    assert (entry.read, entry.imported, entry.kept_aside) == (4, 3, 1)  # /hr: ids -1


def test_the_first_view_s_basis_value_is_the_start():
    result = ingest.load([FIXTURES / "joined_view" / "overview_v1_5.csv"])
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs.loc["80", ["start_value", "target_value"]].tolist() == [10.0, 1.0]
    unused = next(i for i in result.report.issues if i.code == "unknown_columns")
    # the objective's own progress and the measure's creation time are listed, not lost
    assert "PROGRESS" in unused.value and "CREATED_ON" in unused.value


# --- the tables of a later version ---------------------------------------------------------------
# ``database_v3``: the tables after ``V3_4_0__updateStringUnitToEntity.sql`` (key results'
# ``unit_id`` -> a ``unit`` table's ``unit_name``), ``V3_5_2__add_is_deleted_flag.sql`` and
# ``V3_5_3__show_only_non_deleted_entities_on_overview.sql`` (``is_deleted`` on objectives, key
# results, check-ins, teams and units: the tool hides such rows, its view joins only
# ``is_deleted = false``), ``V3_6_1__addMetricGoalsToKeyResult.sql`` (``commit_value``,
# ``target_value`` beside ``stretch_goal``), ``V3_2_0`` (``first_name``, ``last_name``) and
# ``V3_7_1__addDeletedAtToTeam.sql`` (a team's ``status``, ``marked_as_archived_at``).

V3 = FIXTURES / "database_v3"


@pytest.fixture(scope="module")
def v3() -> ingest.LoadResult:
    return ingest.load([V3])


def test_rows_deleted_in_the_tool_are_kept_aside_with_their_reason(v3):
    assert v3.report.ok, v3.report.to_text()
    ds = v3.dataset
    # 72 is deleted; 83 is deleted and 84 sits under the deleted 72; check-in 93 is deleted
    assert sorted(ds.objectives["objective_id"]) == ["70", "71"]
    assert sorted(ds.key_results["kr_id"]) == ["80", "81", "82"]
    ck = ds.checkins
    assert len(ck) == 3
    # the latest check-in of 80 is 91's 4.0, not the deleted 93's 40.0
    latest = ck[ck["kr_id"] == "80"].sort_values("date")["value"].tolist()
    assert latest == [6.0, 4.0]
    objective = v3.ledger.entry("objective.csv")
    assert (objective.read, objective.imported) == (3, 2)
    assert objective.aside == {"deleted in the tool (is_deleted), not imported": [4]}
    kr = v3.ledger.entry("key_result.csv")
    assert kr.aside == {
        "deleted in the tool (is_deleted), not imported": [5],
        "its objective is deleted in the tool, not imported": [6],
    }
    checkin = v3.ledger.entry("check_in.csv")
    assert checkin.aside == {"deleted in the tool (is_deleted), not imported": [5]}
    assert v3.ledger.balanced, v3.ledger


def test_the_deleted_flag_is_used_not_listed_as_unused(v3):
    unused = {i.file: i.value for i in v3.report.issues if i.code == "unknown_columns"}
    assert "is_deleted" not in unused["objective.csv"]
    assert "is_deleted" not in unused["check_in.csv"]


def test_a_deleted_team_s_objectives_and_a_deleted_at_time_are_deletions_too(tmp_path):
    """The generic kinds: Postgres's ``t`` / ``f`` as ``COPY`` writes a boolean, and a
    ``deleted_at`` time (a soft delete) where a tool keeps no flag."""
    result = load_texts(tmp_path / "db", {
        "teams.csv": "id,name,is_deleted\n1,Core,f\n2,Gone,t\n",
        "objectives.csv": "id,title,team_id,start_date,end_date,deleted_at\n"
                          "10,Ship,1,2026-01-01,2026-03-31,\n"
                          "11,Old,2,2026-01-01,2026-03-31,\n"
                          "12,Dropped,1,2026-01-01,2026-03-31,2026-02-01 10:00:00\n",
        "key_results.csv": "id,objective_id,title,target_value,deleted_at\n"
                           "20,10,Releases,4,\n21,11,Legacy,2,\n22,12,Nothing,1,\n",
    })  # fmt: skip
    assert result.report.ok, result.report.to_text()
    assert result.dataset.objectives["objective_id"].tolist() == ["10"]
    assert result.dataset.key_results["kr_id"].tolist() == ["20"]
    assert result.ledger.entry("objectives.csv").aside == {
        "its team is deleted in the tool, not imported": [3],
        "deleted in the tool (deleted_at), not imported": [4]}  # fmt: skip
    assert result.ledger.entry("teams.csv").aside == {
        "deleted in the tool (is_deleted), not imported": [3]
    }
    assert result.ledger.balanced, result.ledger


# --- a dump written by an ORM with camelCase names ----------------------------------------------
# ``database_prisma``: tables as Prisma names them (a model per table, ``KeyResult``,
# ``ProgressUpdate``; fields in camelCase, ``objectiveId``, ``keyResultId``, ``targetValue``,
# ``createdAt``), as in github nikadwangorg/agents-demo
# ``prisma/migrations/20251203085429_init/migration.sql`` (``objectives``: ``createdAt``;
# ``key_results``: ``objectiveId``, ``targetValue``, ``currentValue``) and other Prisma OKR
# schemas of the same family (``Objective``: ``teamId``, ``startDate``, ``endDate``;
# ``ProgressUpdate``: ``keyResultId``, ``userId``, ``newValue``, ``comment``, ``createdAt``).


def test_a_dump_with_camel_case_names_is_read_as_the_database_tables():
    result = ingest.load([FIXTURES / "database_prisma"])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert sorted(ds.objectives["objective_id"]) == ["o1", "o2"]
    assert ds.objectives["team"].unique().tolist() == ["Checkout"]
    assert ds.objectives["quarter"].unique().tolist() == ["2026-Q2"]
    krs = ds.key_results.set_index("kr_id")
    assert krs.loc["k1", ["target_value", "objective_id"]].tolist() == [4.0, "o1"]
    ck = ds.checkins.sort_values("date")
    assert ck["kr_id"].tolist() == ["k1", "k3", "k1"]
    assert ck["value"].tolist() == [2.8, 2.6, 3.1]
    assert ck["author"].tolist() == ["Mara Keller", "Jonas Beck", "Jonas Beck"]
    assert result.ledger.entry("TeamMember.csv").aside  # the dump's other table, listed
    assert result.ledger.balanced, result.ledger


def test_a_weekly_check_in_is_dated_by_its_week_before_its_creation(tmp_path):
    """A Prisma ``check_ins`` table of weekly check-ins: ``weekStart`` is the week reported
    on, ``createdAt`` when it was typed in (later)."""
    folder = tmp_path / "db"
    shutil.copytree(FIXTURES / "database_prisma", folder)
    (folder / "ProgressUpdate.csv").unlink()
    (folder / "check_ins.csv").write_text(
        "id,keyResultId,userId,weekStart,value,status,comment,createdAt,updatedAt\n"
        "c1,k1,u1,2026-06-22T00:00:00.000Z,3.4,ON_TRACK,,2026-07-01T08:00:00.000Z,"
        "2026-07-01T08:00:00.000Z\n")  # fmt: skip
    result = ingest.load([folder])
    assert result.report.ok, result.report.to_text()
    assert result.dataset.checkins["date"].tolist() == [pd.Timestamp("2026-06-22")]


def test_a_key_result_s_unit_id_is_named_by_the_unit_table(v3):
    """From ``V3_4_0__updateStringUnitToEntity.sql`` on, a key result names its unit by
    ``unit_id``, a row of the ``unit`` table (``unit_name``)."""
    krs = v3.dataset.key_results.set_index("kr_id")
    assert krs.loc[["80", "82"], "unit"].tolist() == ["NUMBER", "NUMBER"]
    assert pd.isna(krs.loc["81", "unit"])  # an ordinal key result has none
    unused = {i.file: i.value for i in v3.report.issues if i.code == "unknown_columns"}
    assert "unit_id" not in unused["key_result.csv"]
    assert v3.ledger.entry("unit.csv").aside == {"read to name units": [2, 3]}


def test_without_the_unit_table_a_unit_id_is_listed_as_not_used(tmp_path):
    folder = tmp_path / "db"
    shutil.copytree(V3, folder)
    (folder / "unit.csv").unlink()
    result = ingest.load([folder])
    assert result.report.ok, result.report.to_text()
    assert result.dataset.key_results["unit"].isna().all()
    unused = {i.file: i.value for i in result.report.issues if i.code == "unknown_columns"}
    assert "unit_id" in unused["key_result.csv"]


# --- tables whose own id is named after the table -------------------------------------------
# github iurievargas/okr-service ``src/main/resources/db/changelog/changes/``: ``objective``
# (``objective_id`` its key, ``cycle_id``, ``objective_father_id``, ``team_id``),
# ``key_result`` (``key_result_id``, ``description``, ``baseline``, ``target``, ``result``,
# ``objective_id``), ``key_result_update_history`` (``new_value``, ``updated_date``,
# ``key_result_id``), ``cycle`` (``id``, ``title``, ``start_date``, ``end_date``).


def test_tables_keyed_by_entity_ids_and_a_key_result_update_history(tmp_path):
    result = load_texts(tmp_path / "db", {
        "cycle.csv": "id,title,start_date,end_date\n3,2026 T1,2026-01-01 00:00:00,2026-03-31\n",
        "team.csv": "team_id,name\n1,Sales\n",
        "objective.csv":
            "objective_id,title,annotations,created_date,cycle_id,objective_father_id,team_id\n"
            "10,Grow revenue,,2026-01-05 09:00:00,3,,1\n"
            "11,Win the north,,2026-01-06 09:00:00,3,10,1\n",
        "key_result.csv":
            "key_result_id,description,labels,baseline,target,result,objective_id,team_id\n"
            "20,New customers,,0,20,12,10,1\n21,Deals in the north,,0,5,2,11,1\n",
        "key_result_update_history.csv":
            "key_result_update_history_id,new_value,updated_date,key_result_id\n"
            "30,8,2026-02-01 10:00:00,20\n31,12,2026-03-01 10:00:00,20\n",
    })  # fmt: skip
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    objs = ds.objectives.set_index("objective_id")
    assert objs.loc["11", ["team", "quarter", "parent_objective_id"]].tolist() == [
        "Sales", "2026-Q1", "10"]  # fmt: skip
    krs = ds.key_results.set_index("kr_id")
    assert krs.loc["20", ["key_result", "target_value"]].tolist() == ["New customers", 20.0]
    assert sorted(ds.checkins["value"]) == [8.0, 12.0]
    assert result.ledger.balanced, result.ledger


def test_a_check_in_table_without_its_own_id_is_still_the_check_in_table(tmp_path):
    """Check-ins need their key result's id, not one of their own."""
    folder = tmp_path / "db"
    shutil.copytree(FIXTURES / "database", folder)
    (folder / "check_in.csv").write_text(
        "key_result_id,created_on,value_metric,zone,confidence\n"
        "601,2025-07-28 15:02:43.3,9.0,,6\n603,2025-10-20 17:40:09.5,,COMMIT,5\n")  # fmt: skip
    result = ingest.load([folder])
    assert result.report.ok, result.report.to_text()
    assert len(result.dataset.checkins) == 2
