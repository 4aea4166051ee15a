"""Periods as tools write them: quarters in any spelling, spans, undated, fiscal-year naming."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from okrdata import ingest
from okrdata.config import Config
from okrdata.periods import Period, parse_period

Q = "quarter"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Q3 2026", Period(Q, ("2026-Q3",))),
        ("2026-Q3", Period(Q, ("2026-Q3",))),
        ("2026 Q3", Period(Q, ("2026-Q3",))),
        ("2026Q3", Period(Q, ("2026-Q3",))),
        ("Q3/2026", Period(Q, ("2026-Q3",))),
        ("Q3-2026", Period(Q, ("2026-Q3",))),
        ("q3 2026", Period(Q, ("2026-Q3",))),
        ("3Q 2026", Period(Q, ("2026-Q3",))),
        ("Quarter 3 2026", Period(Q, ("2026-Q3",))),
        ("FY2027 Q1", Period(Q, ("2027-Q1",))),
        ("FY27-Q1", Period(Q, ("2027-Q1",))),
        ("FY22-Q1", Period(Q, ("2022-Q1",))),
        ("GJ 26/27-Q2", Period(Q, ("2026-Q2",))),
        ("Annual 2026", Period("span", ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"))),
        ("FY2026", Period("span", ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"))),
        ("2026", Period("span", ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"))),
        ("H1 2026", Period("span", ("2026-Q1", "2026-Q2"))),
        ("2026-H2", Period("span", ("2026-Q3", "2026-Q4"))),
        ("Q1-Q2 2026", Period("span", ("2026-Q1", "2026-Q2"))),
        ("Q1 – Q3 2026", Period("span", ("2026-Q1", "2026-Q2", "2026-Q3"))),
        ("Q4 2026 - Q1 2027", Period("span", ("2026-Q4", "2027-Q1"))),
        ("2026 Q1 to Q2", Period("span", ("2026-Q1", "2026-Q2"))),
        ("Q1 & Q3 2026", Period("span", ("2026-Q1", "2026-Q3"))),
        ("Q2-Q1 2026", Period("unknown")),  # a range that runs backwards names no period
        ("Rolling", Period("undated")),
        ("Backlog", Period("undated")),
        ("Q5 2026", Period("bad")),
        ("Q3 0001", Period("implausible", ("0001-Q3",))),
        ("9999-Q4", Period("implausible", ("9999-Q4",))),
        ("Sprint 12", Period("unknown")),
        ("", Period("unknown")),
    ],
)
def test_period_spellings(label, expected):
    assert parse_period(label) == expected


@pytest.mark.parametrize(
    ("label", "named_by", "quarter"),
    [
        ("FY27-Q1", "end", "2026-Q1"),  # FY27 = July 2026 to June 2027
        ("FY27-Q1", "start", "2027-Q1"),
        ("FY22-Q1", "end", "2021-Q1"),
        ("GJ 26/27-Q2", "end", "2026-Q2"),  # a year pair always names its start year
        ("Q3 2026", "end", "2026-Q3"),  # no fiscal prefix: the label is the fiscal year
    ],
)
def test_fiscal_year_named_by_its_start_or_end_year(label, named_by, quarter):
    assert parse_period(label, fiscal_start_month=7, named_by=named_by).quarters == (quarter,)


def test_calendar_fiscal_year_is_the_same_either_way():
    assert parse_period("FY2026 Q1", 1, "end").quarters == ("2026-Q1",)


HEAD = "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value"


def load(tmp_path: Path, text: str, config: Config | None = None) -> ingest.LoadResult:
    (tmp_path / "okrs.csv").write_text(text)
    return ingest.load([tmp_path], config=config)


def test_an_annual_objective_is_shown_in_every_quarter_it_covers(tmp_path):
    result = load(tmp_path, f"{HEAD}\nO-1,Grow,Annual 2026,Sales,KR-1,ARR,0,100\n")
    assert result.report.ok, result.report.to_text()
    objs = result.dataset.objectives
    # one objective, one id, listed in each quarter with its period
    assert objs[["objective_id", "quarter", "period"]].values.tolist() == [
        ["O-1", "2026-Q1", "Annual 2026"],
        ["O-1", "2026-Q2", "Annual 2026"],
        ["O-1", "2026-Q3", "Annual 2026"],
        ["O-1", "2026-Q4", "Annual 2026"],
    ]
    krs = result.dataset.key_results
    assert krs[["kr_id", "objective_id", "quarter"]].values.tolist()[2] == [
        "KR-1", "O-1", "2026-Q3"]  # fmt: skip
    assert len(krs) == 4


def test_a_key_results_own_period_wins_over_its_objectives(tmp_path):
    text = (
        "objective_id,objective,quarter,team,kr_id,key_result,kr_period,target_value\n"
        "O-1,Grow,Annual 2026,Sales,KR-1,ARR,Q3 2026,100\n"
        "O-1,Grow,Annual 2026,Sales,KR-2,Logos,Q4 2026,10\n"
    )
    result = load(tmp_path, text)
    assert result.report.ok, result.report.to_text()
    assert len(result.dataset.objectives) == 4  # the objective: every quarter of its year
    krs = result.dataset.key_results[["kr_id", "objective_id", "quarter"]].values.tolist()
    assert krs == [["KR-1", "O-1", "2026-Q3"], ["KR-2", "O-1", "2026-Q4"]]


def test_checkins_of_a_spanning_kr_are_kept_once_under_its_id(tmp_path):
    (tmp_path / "checkins.csv").write_text(
        "kr_id,date,value\nKR-1,2026-02-10,10\nKR-1,2026-08-03,60\n"
    )
    result = load(tmp_path, f"{HEAD}\nO-1,Grow,H1 2026,Sales,KR-1,ARR,0,100\n")
    ck = result.dataset.checkins
    # one key result listed in Q1 and Q2: its check-ins once each, after its span too
    assert ck[["kr_id", "value"]].values.tolist() == [["KR-1", 10.0], ["KR-1", 60.0]]


def test_undated_objectives_are_kept_aside_and_listed(tmp_path):
    text = (
        f"{HEAD}\nO-1,Grow,Q3 2026,Sales,KR-1,ARR,0,100\n"
        "O-2,Someday,Backlog,Sales,KR-2,Idea,0,1\nO-3,Later,Rolling,Ops,,,,\n"
    )
    result = load(tmp_path, text)
    assert result.report.ok
    assert result.dataset.objectives["objective_id"].tolist() == ["O-1"]
    assert [(i.code, i.row, i.message) for i in result.report.warnings] == [
        ("undated", 3, "Objective O-2 has no dated period (Backlog): it is kept aside and listed, "
         "in no quarter."),
        ("undated", 4, "Objective O-3 has no dated period (Rolling): it is kept aside and listed, "
         "in no quarter."),
    ]  # fmt: skip
    aside = result.aside
    assert aside[["kind", "objective_id", "period", "kr_id"]].fillna("").values.tolist() == [
        ["undated", "O-2", "Backlog", "KR-2"],
        ["undated", "O-3", "Rolling", ""],
    ]


def test_start_and_end_dates_decide_the_period_when_the_label_is_missing(tmp_path):
    text = (
        "objective,team,start date,end date,key result,target\n"
        "Grow,Sales,2026-07-01,2026-09-30,ARR,100\n"
        "Hire,People,2026-04-01 00:00:00,2026-09-30 23:59:59 UTC,Hires,5\n"
    )
    result = load(tmp_path, text)
    assert result.report.ok, result.report.to_text()
    assert sorted(result.dataset.objectives["quarter"]) == ["2026-Q2", "2026-Q3", "2026-Q3"]


def test_a_quarter_in_an_implausible_year_gets_a_word(tmp_path):
    result = load(tmp_path, f"{HEAD}\nO-1,Grow,Q3 0001,Sales,KR-1,ARR,0,100\n")
    (warning,) = result.report.warnings
    assert (warning.code, warning.row, warning.value) == ("undated", 2, "Q3 0001")
    assert warning.message == (
        "'Q3 0001' is a quarter in an implausible year (before 1990 or after 2200); objective "
        "O-1 is kept aside, in no quarter. Check the year."
    )
    assert result.dataset.objectives.empty


def test_fiscal_naming_setting_reaches_the_import(tmp_path):
    config = Config(fiscal_start_month=7, fiscal_year_named_by="end")
    result = load(tmp_path, f"{HEAD}\nO-1,Grow,FY27-Q1,Sales,KR-1,ARR,0,100\n", config)
    assert result.dataset.objectives["quarter"].tolist() == ["2026-Q1"]


def test_spanning_parent_is_linked_by_its_own_id(tmp_path):
    text = (
        "objective_id,objective,quarter,team,parent_objective_id\n"
        "C-1,Company,Annual 2026,Leadership,\nT-1,Team,Q2 2026,Sales,C-1\n"
    )
    ds = load(tmp_path, text).dataset
    parents = ds.objectives.set_index("objective_id")["parent_objective_id"].to_dict()
    assert parents["T-1"] == "C-1"
    # one objective, one level: others align to it, so it is a company objective in every
    # quarter it is listed in
    c1 = ds.objectives[ds.objectives["objective_id"] == "C-1"]
    assert c1["level"].tolist() == ["company"] * 4
    assert isinstance(ds.objectives["quarter"].iloc[0], str)
    assert not ds.objectives["quarter"].isna().any()
    assert pd.api.types.is_string_dtype(ds.objectives["quarter"])
