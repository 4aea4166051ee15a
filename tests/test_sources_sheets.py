"""Sheets in the shapes of trackers people keep by hand and of small tools' databases: okra's
work items, a company sheet without a team column, a weekly-updates tab, fiscal labels.

Every fixture here is our own (``tests/fixtures/sources/``): same headers, cell formats and
quirks as the real exports, invented rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from okrdata.config import Config
from okrdata.ingest import load
from okrdata.metrics import day_number, kr_progress, kr_progress_with_history, scores_at
from okrdata.periods import parse_period

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def test_work_items_without_parents_are_objectives_and_rolling_is_aside():
    result = load([FIXTURES / "work_items" / "team-objectives.csv"])
    ds = result.dataset
    assert result.report.ok, result.report.to_text()
    assert sorted(ds.objectives["objective_id"]) == ["#101", "#102", "#104"]
    assert sorted(ds.objectives["objective"])[0] == "Documentation site redesign"
    assert ds.key_results.empty
    assert result.aside["objective_id"].tolist() == ["#103"]
    # the pillar groups teams
    assert set(ds.objectives["department"]) == {"Platform", "Compiler", "Ecosystem"}
    notes = " ".join(n for s in result.sources for n in s.notes)
    assert "okra" in notes


def test_work_items_with_a_parent_objective_are_its_key_results():
    result = load([FIXTURES / "work_items" / "with_parents.csv"])
    ds = result.dataset
    assert result.report.ok, result.report.to_text()
    krs = ds.key_results.set_index("kr_id")
    # found by id, by title, and a parent not in the sheet named by its title
    assert krs.loc["#202", "objective_id"] == "#201"
    assert krs.loc["#203", "objective_id"] == "#201"
    assert "#204" in krs.index and krs.loc["#204", "objective_id"] != "#201"
    objectives = ds.objectives.set_index("objective_id")
    assert objectives.loc["#201", "team"] == "Packaging"
    assert "Mirror everything" in set(ds.objectives["objective"])
    # the tool's progress is kept as the key result's progress, typed by staging
    assert krs.loc["#202", "current_value"] == 40
    assert result.aside["objective_id"].tolist() == ["#205"]


# --- a company sheet without a team column, and its weekly-updates tab -------------------------

COMPANY = FIXTURES / "company_sheet"


def _rows(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8") as fh:
        return list(csv.reader(fh))


def company_workbook(path: Path, okrs_tab: str = "Company OKRs") -> Path:
    """The CSV fixtures as a Google Sheets tracker saves them to XLSX: two tabs, percentages as
    numbers shown with a percent format, dates as real dates."""
    import datetime as dt

    import xlsxwriter

    book = xlsxwriter.Workbook(path)
    pct = book.add_format({"num_format": "0%"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    tabs = {okrs_tab: "company_okrs.csv", "Weekly Updates": "weekly_updates.csv"}
    for tab, name in tabs.items():
        ws = book.add_worksheet(tab)
        for r, row in enumerate(_rows(COMPANY / name)):
            for c, cell in enumerate(row):
                if r and cell.endswith("%") and cell[:-1].isdigit():
                    ws.write_number(r, c, float(cell[:-1]) / 100, pct)
                elif r and len(cell) == 10 and cell[4] == "-" and cell[:4].isdigit():
                    ws.write_datetime(r, c, dt.datetime.fromisoformat(cell), day)
                elif r and cell.isdigit():
                    ws.write_number(r, c, float(cell))
                elif cell:
                    ws.write_string(r, c, cell)
    book.close()
    return path


def test_a_company_sheet_without_a_team_column_takes_the_team_from_the_file_name():
    result = load([COMPANY / "company_okrs.csv"])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert set(ds.objectives["team"]) == {"Company"}
    assert len(ds.objectives) == 2 and len(ds.key_results) == 4
    (issue,) = [i for i in result.report.warnings if i.code == "team_from_name"]
    assert issue.value == "Company" and "file name 'company_okrs.csv'" in issue.message
    assert "Data page" in issue.message
    assert any("taken from the file name" in n for n in result.sources[0].notes)


def test_a_team_column_chosen_on_the_data_page_wins_over_the_name(tmp_path):
    overrides = {("company_okrs.csv", None): {"Owner": "team"}}
    result = load([COMPANY / "company_okrs.csv"], mapping_overrides=overrides)
    assert set(result.dataset.objectives["team"]) == {"CRO", "CFO", "COO", "CPO"}
    assert not [i for i in result.report.issues if i.code == "team_from_name"]
    assert result.sources[0].fixed == {}


def test_a_workbook_tab_names_the_team_and_weekly_updates_are_check_ins(tmp_path):
    result = load([company_workbook(tmp_path / "tracker.xlsx")])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert set(ds.objectives["team"]) == {"Company"}  # "Company OKRs" -> "Company"
    ci = ds.checkins.set_index("kr_id")
    krs = ds.key_results.set_index("key_result")
    assert len(ci) == 3
    # progress as words is the comment (with the blockers), the check-in has no value
    logos = ci.loc[krs.loc["Sign 30 mid-market logos", "kr_id"]]
    assert pd.isna(logos["value"])
    assert logos["comment"] == "+2 logos; Legal review queue"
    assert logos["confidence"] == pytest.approx(0.5)
    # a blocker alone is a check-in too; a percentage is a value
    slipped = ci.loc[krs.loc["Cut time to first value to 7 days", "kr_id"]]
    assert pd.isna(slipped["value"]) and slipped["confidence"] == pytest.approx(0.2)
    assert ci.loc[krs.loc["Weekly active teams 60%", "kr_id"], "value"] == pytest.approx(
        43
    )  # as the sheet shows it
    said = [i for i in result.report.warnings if i.code == "value_as_comment"]
    assert [(i.sheet, i.row, i.value) for i in said] == [("Weekly Updates", 2, "+2 logos")]


def test_a_check_in_without_a_value_counts_but_does_not_move_progress(tmp_path):
    result = load([COMPANY])
    ds = result.dataset
    assert result.report.ok, result.report.to_text()
    krs = kr_progress(ds, pd.Timestamp("2026-08-20"))
    logos = krs.set_index("key_result").loc["Sign 30 mid-market logos"]
    # the sheet's own current value (12 of 30) stands; the check-in dates the KR
    assert logos["current_value"] == 12
    assert logos["last_checkin"] == pd.Timestamp("2026-08-10")
    assert logos["latest_confidence"] == pytest.approx(0.5)
    assert logos["n_checkins"] == 1


def test_a_check_in_with_nothing_to_say_is_still_an_error(tmp_path):
    (tmp_path / "okrs.csv").write_text(
        "Quarter,Team,Objective,Key Result,Target\nQ3 2026,Sales,Grow,Deals,10\n"
    )
    (tmp_path / "checkins.csv").write_text("Key Result,Date,Value,Comment\nDeals,2026-07-10,,\n")
    result = load([tmp_path])
    found = [(i.code, i.column) for i in result.report.errors]
    assert found == [("missing_value", "Value")]


def test_a_fixed_team_is_bound_not_written_into_sql(tmp_path):
    path = company_workbook(tmp_path / "tracker.xlsx", okrs_tab="O'Brien's Team; drop OKRs")
    result = load([path])
    assert result.report.ok, result.report.to_text()
    assert set(result.dataset.objectives["team"]) == {"O'Brien's Team Drop"}


def test_a_file_name_that_names_no_team_still_asks_for_the_column(tmp_path):
    rows = (COMPANY / "company_okrs.csv").read_text(encoding="utf-8")
    (tmp_path / "OKRs Q3 2026.csv").write_text(rows, encoding="utf-8")
    result = load([tmp_path / "OKRs Q3 2026.csv"])
    assert [(i.code, i.column) for i in result.report.errors] == [("missing_column", "team")]


# --- periods: a cycle word is no period; a fiscal label without a fiscal-year setting ----------

FISCAL = FIXTURES / "fiscal"


def test_a_cycle_word_is_no_period():
    assert parse_period("Quarterly").kind == "cycle"
    assert parse_period("annually").kind == "cycle"
    assert parse_period("Annual 2026").quarters == ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")


def test_a_cycle_word_in_the_period_column_leaves_the_dates_to_decide():
    result = load([FISCAL / "cycle_periods.csv"])
    assert result.report.ok, result.report.to_text()
    obj = result.dataset.objectives
    churn = obj[obj["objective"] == "Keep churn low"]
    # one objective per quarter its dates give, told apart by the dates, not the cycle word
    assert sorted(churn["quarter"]) == ["2026-Q2", "2026-Q3"]
    assert churn["objective_id"].nunique() == 2
    partners = obj[obj["objective"] == "Grow the partner channel"]
    assert sorted(partners["quarter"]) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    (undated,) = [i for i in result.report.warnings if i.code == "undated"]
    assert undated.value == "Monthly" and "says how often, not which period" in undated.message
    assert result.aside["objective"].tolist() == ["Tidy the backlog"]


def test_a_fiscal_label_without_a_setting_is_dated_with_a_warning():
    result = load([FISCAL / "published_fy27q2_okrs.csv"])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert len(ds.objectives) == 4 and len(ds.key_results) == 7
    assert set(ds.objectives["quarter"]) == {"2027-Q2"}
    (issue,) = [i for i in result.report.warnings if i.code == "fiscal_year"]
    assert (issue.row, issue.column, issue.value) == (2, "Quarter", "FY27-Q2")
    assert "01 Apr 2027 to 30 Jun 2027" in issue.message
    assert "fiscal_start_month" in issue.message and "fiscal_year_named_by" in issue.message


def test_a_fiscal_label_with_the_setting_is_dated_by_it_without_a_warning():
    config = Config(fiscal_start_month=2, fiscal_year_named_by="end")
    result = load([FISCAL / "published_fy27q2_okrs.csv"], config=config)
    assert result.report.ok
    # FY27 runs from February 2026; its second quarter is May to July 2026
    assert set(result.dataset.objectives["quarter"]) == {"2026-Q2"}
    assert not [i for i in result.report.issues if i.code == "fiscal_year"]


def test_a_status_alone_after_a_value_keeps_that_value(tmp_path):
    (tmp_path / "okrs.csv").write_text(
        "Quarter,Team,Objective,KR ID,Key Result,Start,Target\n"
        "Q3 2026,Sales,Grow,KR-1,Deals,0,100\n"
    )
    (tmp_path / "checkins.csv").write_text(
        "KR ID,Date,Value,Status,Comment\n"
        "KR-1,2026-07-10,30,on track,\n"
        "KR-1,2026-07-20,,at risk,\n"
        "KR-1,2026-07-27,,,waiting on legal\n"
    )
    result = load([tmp_path])
    assert result.report.ok, result.report.to_text()
    krs, h = kr_progress_with_history(result.dataset, pd.Timestamp("2026-08-01"))
    kr = krs.iloc[0]
    assert kr["current_value"] == 30 and kr["score"] == pytest.approx(0.3)
    assert kr["last_checkin"] == pd.Timestamp("2026-07-27") and kr["n_checkins"] == 3
    day = day_number([pd.Timestamp("2026-07-21")])
    assert scores_at(krs, h, day)[0, 0] == pytest.approx(0.3)


@pytest.mark.parametrize("module", ["work_items", "goals_wide", "goals_long", "outline"])
def test_these_adapters_only_rename_and_reshape_text(module):
    import re

    text = (Path(__file__).parents[1] / "okrdata" / "sources" / f"{module}.py").read_text()
    typing = re.findall(r"pd\.to_numeric|pd\.to_datetime|\bfloat\(|\bint\(|\b_number\b|"
                        r"\b_fraction\b|\b_fmt\b|\b_quarter_from_dates\b|\b_okr_type\b", text)  # fmt: skip
    assert typing == []


def test_a_comment_on_the_day_of_a_value_does_not_take_the_value_away(tmp_path):
    (tmp_path / "okrs.csv").write_text(
        "Quarter,Team,Objective,KR ID,Key Result,Start,Target\n"
        "Q3 2026,Sales,Grow,KR-1,Deals,0,100\n"
    )
    # a check-ins tab and a weekly-updates tab on the same Monday
    (tmp_path / "checkins.csv").write_text("KR ID,Date,Value\nKR-1,2026-07-13,40\n")
    (tmp_path / "weekly_updates.csv").write_text(
        "Week Of,KR,Progress This Week,Blockers,Confidence\n"
        "2026-07-13,Deals,+4 deals,Pricing approval,🟢\n"
    )
    result = load([tmp_path])
    assert not result.report.errors, result.report.to_text()
    (ci,) = result.dataset.checkins.itertuples()
    assert (ci.value, ci.confidence) == (40, pytest.approx(0.9))
    assert ci.comment == "+4 deals; Pricing approval"
    krs = kr_progress(result.dataset, pd.Timestamp("2026-07-20"))
    assert krs["current_value"].tolist() == [40]


def test_work_items_without_a_team_column_are_the_named_teams(tmp_path):
    rows = [line.split('","') for line in
            (FIXTURES / "work_items" / "with_parents.csv").read_text().splitlines()]  # fmt: skip
    # the same list without its team column, saved under a team's name
    text = "\n".join('","'.join(r[:4] + r[5:]) for r in rows) + "\n"
    (tmp_path / "packaging_objectives.csv").write_text(text)
    result = load([tmp_path / "packaging_objectives.csv"])
    assert result.report.ok, result.report.to_text()
    assert set(result.dataset.objectives["team"]) == {"Packaging"}
    assert len(result.dataset.key_results) == 3


# --- a team tab without a quarter column: the quarter its title, sheet or file names -----------

TEAM_TABS = FIXTURES / "team_tabs"


def test_a_sheet_without_a_quarter_column_takes_the_quarter_its_file_name_names():
    """A spreadsheet tracker's "Team OKRs" tab (``Team, Objective, Key Result, Target, Current,
    Score, Owner, Confidence``: the 4-tab tracker of modelmonkey's "OKR tracking spreadsheet",
    https://modelmonkey-website.pages.dev/blog/okr-tracking-spreadsheet, whose ``KR Log`` tab is
    ``Date, KR ID, Value, Notes``) saved as ``Team OKRs Q3 2026.csv``: no quarter column, the file name says which. Every row
    is that quarter, with a warning, and the Data page asks with it as the answer."""
    from okrdata import questions

    result = load([TEAM_TABS])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert len(ds.objectives) == 2 and len(ds.key_results) == 3
    assert set(ds.objectives["quarter"]) == {"2026-Q3"}
    (issue,) = [i for i in result.report.warnings if i.code == "quarter_from_name"]
    assert issue.value == "Q3 2026" and issue.column == "quarter"
    assert "file name 'Team OKRs Q3 2026.csv'" in issue.message and "Data page" in issue.message
    assert len(ds.checkins) == 3  # the KR Log names key results by title
    (q,) = [q for q in questions.ask(result) if q.kind == "fixed" and q.column == "quarter"]
    assert q.suggested == "Q3 2026" and "from the file name" in q.text


def test_a_tab_without_a_quarter_column_takes_it_from_the_title_row_above_its_header(tmp_path):
    """The same tab in a workbook, a title row ``Marketing OKRs – FY27 Q2`` above the header:
    the title names the quarter (a fiscal one, dated with the fiscal-year warning)."""
    import xlsxwriter

    path = tmp_path / "tracker.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Team OKRs")
    rows = [["Marketing OKRs – FY27 Q2"], [],
            ["Team", "Objective", "Key Result", "Target", "Current"],
            ["Marketing", "Be known", "Double webinar signups", 400, 150],
            ["Marketing", "Be known", "Launch the podcast", 1, 0]]  # fmt: skip
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            sheet.write(r, c, cell)
    book.close()
    result = load([path])
    assert not result.report.errors, result.report.to_text()
    assert set(result.dataset.objectives["quarter"]) == {"2027-Q2"}
    (issue,) = [i for i in result.report.warnings if i.code == "quarter_from_name"]
    assert issue.value == "FY27 Q2" and "title row" in issue.message
    assert [i.code for i in result.report.warnings if "fiscal" in i.code] == ["fiscal_year"]


def test_a_name_that_names_no_quarter_still_asks_for_the_column(tmp_path):
    (tmp_path / "sales_okrs.csv").write_text(
        "Team,Objective,Key Result\nSales,Grow,Sign 30 logos\n", encoding="utf-8"
    )
    result = load([tmp_path / "sales_okrs.csv"])
    assert [(i.code, i.column) for i in result.report.errors] == [("missing_column", "quarter")]


def test_a_people_tab_names_teams_by_its_team_column_never_by_the_people_s_names():
    """The same tracker's ``People`` tab (``Name, Team, Email``: an owner lookup) is read as a
    teams table: its ``Team`` column (the table's own column name) names the teams, not
    ``Name`` (an alias of it), which holds people; Name and Email are listed unused."""
    result = load([TEAM_TABS])
    assert result.report.ok, result.report.to_text()
    teams = set(result.dataset.teams["team"])
    assert {"Sales", "People"} <= teams and not teams & {"Ana Ruiz", "Ben Ode", "Cy Park"}
    people = result.ledger.entry("People.csv")
    assert people.used == ["Team"] and people.unused == ["Name", "Email"]


# --- key results numbered within their objective (KR1, KR2 under each) -------------------------

NUMBERED = FIXTURES / "numbered_krs"


def test_key_results_numbered_within_their_objective_are_each_their_own():
    """A hand-kept sheet naming objectives by title only numbers their key results KR1, KR2…
    afresh under each (as published OKR pages write ``Objective 1`` / ``KR 1``, ``KR 2``, e.g.
    js-libp2p's ``OKR.md``): ``KR1`` under three objectives is three key results, each read
    as its objective's, with a warning; none is refused as a repeated id."""
    result = load([NUMBERED])
    assert not result.report.errors, result.report.to_text()
    ds = result.dataset
    assert len(ds.objectives) == 3 and ds.key_results["kr_id"].nunique() == 5
    krs = ds.key_results.set_index("key_result")
    assert krs.loc["Churn under 2%", "current_value"] == 3
    assert krs.loc["Sign 30 logos", "kr_id"] != krs.loc["Churn under 2%", "kr_id"]
    assert krs.loc["Sign 30 logos", "kr_id"].endswith("KR1")
    (issue,) = [i for i in result.report.warnings if i.code == "kr_id_per_objective"]
    assert issue.value == "KR1, KR2" and issue.column == "KR #" and issue.row == 2
    assert "ids KR1, KR2 come under different objectives" in issue.message
    assert len(ds.checkins) == 2  # the weekly updates name them by title


def test_a_number_repeated_under_one_objective_is_still_a_repeated_id(tmp_path):
    rows = (NUMBERED / "team_okrs.csv").read_text(encoding="utf-8")
    (tmp_path / "team_okrs.csv").write_text(
        rows + "Q3 2026,Support,Answer fast,KR2,Zero breaches,0,1\n", encoding="utf-8"
    )
    result = load([tmp_path / "team_okrs.csv"])
    assert [(i.code, i.row, i.value) for i in result.report.errors] == [("duplicate_id", 7, "KR2")]


def test_two_teams_key_results_of_one_title_in_a_tracker_without_ids(tmp_path):
    """A tracker whose ``KR`` column holds titles (the Google Sheets tracker's "Company OKRs"
    tab) with a second team's tab naming a key result the same (``NPS >40``): two key results,
    each under its objective; a weekly update naming that title alone is reported, never
    given to either."""
    okrs = "Quarter,Objective,KR,Target,Current\n"
    (tmp_path / "company_okrs.csv").write_text(
        okrs + "Q2 2026,Achieve PMF,Get to 50 customers,50,23\nQ2 2026,Achieve PMF,NPS >40,40,28\n"
    )
    (tmp_path / "marketing_okrs.csv").write_text(okrs + "Q2 2026,Be known,NPS >40,40,30\n")
    (tmp_path / "weekly_updates.csv").write_text(
        "Week Of,KR,Progress This Week,Confidence\n"
        "2026-04-29,Get to 50 customers,26,🟡\n2026-04-29,NPS >40,31,🟢\n"
    )
    result = load([tmp_path])
    ds = result.dataset
    assert len(ds.key_results) == 3
    assert sorted(ds.key_results["key_result"]) == ["Get to 50 customers", "NPS >40", "NPS >40"]
    assert not [i for i in result.report.issues if i.code == "duplicate_id"]
    assert len(ds.checkins) == 1
    (issue,) = [i for i in result.report.errors if i.file == "weekly_updates.csv"]
    assert issue.row == 3 and issue.value == "NPS >40"
    assert "names 2 key results by their title" in issue.message


def test_a_rolling_objective_with_a_dated_key_result_is_shown_then_and_not_said_aside():
    """okra's objective database (github tmcgilchrist/okra ``team-objectives.csv``) with a
    ``Rolling`` objective one of whose key results is dated (``Q3 2024``): the objective is
    shown in that quarter (an objective covers its key results' quarters), so no warning says
    it is kept aside; a Rolling objective with nothing dated is kept aside and said to be."""
    result = load([FIXTURES / "work_items" / "rolling_parent.csv"])
    assert result.report.ok, result.report.to_text()
    objs = result.dataset.objectives.set_index("objective_id")
    assert objs.loc["#310", "quarter"] == "2024-Q3"
    said = [i.message for i in result.report.warnings if i.code == "undated"]
    assert not [m for m in said if "#310" in m], said
    assert [m for m in said if "#320" in m]
    assert sorted(result.aside["objective_id"].unique()) == ["#320"]


def test_a_weekly_tab_s_confidence_in_traffic_light_words(tmp_path):
    """A weekly check-in tab whose Confidence column is filled from the same drop-down as a
    status (On track / At risk / Off track, the words 🟢🟡🔴 stand for): read as high, medium
    and low confidence, not left empty with a warning."""
    (tmp_path / "sales_okrs.csv").write_text(
        "Quarter,Objective,KR,Target,Current\nQ2 2026,Grow,Ship it,10,3\n"
    )
    (tmp_path / "weekly_updates.csv").write_text(
        "Week,KR,Update,Confidence\n2026-W15,Ship it,kick-off,On track\n"
        "2026-W16,Ship it,slipping,At Risk\n2026-W17,Ship it,blocked,off-track\n"
    )
    result = load([tmp_path])
    assert not [i for i in result.report.issues if i.code == "bad_confidence"], (
        result.report.to_text()
    )
    ci = result.dataset.checkins.sort_values("date")
    assert ci["confidence"].tolist() == pytest.approx([0.9, 0.5, 0.2])
    assert ci["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-04-06", "2026-04-13", "2026-04-20"]


def test_a_check_in_tab_s_owner_is_who_checked_in(tmp_path):
    """The check-ins tab of a Google Sheets OKR sheet (modelmonkey's "OKR sheet", https://
    modelmonkey-website.pages.dev/blog/okr-sheet-google-sheets: ``Date, Key Result, Owner,
    Current Value, Confidence, Notes``): its Owner is the person who checked in (the author),
    not an unknown column."""
    path = tmp_path / "Check-ins.csv"
    path.write_text(
        "Date,Key Result,Owner,Current Value,Confidence,Notes\n"
        "2026-07-14,Sign 30 mid-market logos,Ana Ruiz,13,High,\n"
        "2026-07-14,Hire 8 engineers,Cy Park,4,Low,Two offers declined\n"
    )
    result = load([TEAM_TABS / "Team OKRs Q3 2026.csv", path])
    assert result.report.ok, result.report.to_text()
    assert result.ledger.entry("Check-ins.csv").unused == []
    assert sorted(result.dataset.checkins["author"]) == ["Ana Ruiz", "Cy Park"]


def test_a_company_tab_without_quarter_and_team_columns_is_still_objectives_and_key_results():
    """The Google Sheets tracker's "Company OKRs" tab kept one file per quarter, so without
    its Quarter column (``Objective, KR, Owner, Target, Current, %, Status, Last Updated``, as
    github thierryteisseire/business_skills ``tool-integrations.md`` names them, less
    Quarter): no date column, so no check-ins; the team and the quarter the file's name gives
    (a missing team or quarter is answered by one value, an objective column never)."""
    result = load([FIXTURES / "period_sheet"])
    assert result.report.ok, result.report.to_text()
    assert [s.table for s in result.sources] == ["okrs"]
    ds = result.dataset
    assert len(ds.objectives) == 1 and len(ds.key_results) == 2
    assert ds.objectives[["team", "quarter"]].values.tolist() == [["Company", "2026-Q2"]]
