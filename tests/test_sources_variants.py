"""Exports nobody here has seen: variants of the tools we model (another company's Viva Goals
export, Puzzle's tables in another order, a tracker's weekly tab naming key results loosely)
and other tools' documented import and export headers, each written with rows of our own.

Every case imports with the right counts, balances the ledger (rows read = imported + kept
aside + refused, every non-empty column used or listed unused) and drops nothing silently.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from okrdata.ingest import LoadResult, load
from okrdata.periods import Period, parse_period
from tests.test_ledger import assert_balanced

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def base(ids: pd.Series) -> pd.Series:
    return ids.str.replace(r"@.*$", "", regex=True)


def counts(result: LoadResult) -> tuple[int, int, int]:
    """Distinct objectives and key results (an annual one counted once), and check-ins."""
    ds = result.dataset
    return (
        base(ds.objectives["objective_id"]).nunique(),
        base(ds.key_results["kr_id"]).nunique(),
        len(ds.checkins),
    )


def accounted(result: LoadResult) -> None:
    """The ledger balances and no row or packed item went unaccounted."""
    assert_balanced(result.ledger)
    assert not [i for i in result.report.issues if i.code.startswith("unaccounted")]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = False,
              crlf: bool = False) -> Path:  # fmt: skip
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig" if bom else "utf-8", newline="")
    return path


# --- another company's Viva Goals export ----------------------------------------------------

VIVA_HEADER = ["Id", "Title", "Team", "Creator", "Owner", "Period", "Start Date", "End Date",
               "Description", "Aligned To (weight, Objective ID)", "Metric Name", "Unit",
               "Target", "Object Type", "Goal Type", "Start", "Created At", "Last Check-in",
               "Progress %", "Actual Progress", "Status", "Last Check-in Note", "Score",
               "Checkins"]  # fmt: skip


def _ci(date: str, value: str, status: str, note: str = "") -> str:
    return (f"Checkin Date: {date}; User: Mia Roth; Note: {note}; Metric Name: Progress; "
            f"Status: {status}; Current Value: {value}; Activity Date: {date} 08:00:00 UTC;")  # fmt: skip


def viva_rows(trailing: int) -> list[list[str]]:
    """Quarterly periods (one fiscal), no Annual, an objective without key results, units `$`,
    `k`, `%`, `Number`, statuses Behind / Closed / Not Started / Completed, notes with `;`,
    a deliverable, and ``trailing`` unnamed columns after ``Checkins``."""
    obj, kr = "Objective", "Key result"
    rows = [
        ["880001", "Win the Benelux market", "Sales; All Sales", "Mia Roth", "Mia Roth", "Q1 2025",
         "2025-01-01", "2025-03-31", "", "", "Progress", "%", "100", obj, "Committed Goal", "0",
         "2024-12-01 10:00:00 UTC", "2025-03-10", "40", "40", "Behind", "", "", []],
        ["880002", "Revenue booked", "Sales", "Mia Roth", "Tom Vos", "Q1 2025", "2025-01-01",
         "2025-03-31", "", "Win the Benelux market(weight: 50%, Id: 880001)", "Revenue", "$",
         "$250k", kr, "Committed Goal", "$50k", "2024-12-01 10:05:00 UTC", "2025-03-10", "30",
         "$110k", "Behind", "", "",
         [_ci("2025-03-10", "$110k", "Behind", "Two deals slipped; one signed"),
          _ci("2025-02-10", "$80k", "Not Started"), _ci("2025-01-15", "1,200", "Closed")]],
        ["880003", "New logos", "Sales", "Mia Roth", "Tom Vos", "Q1 2025", "2025-01-01",
         "2025-03-31", "", "Win the Benelux market(weight: 50%, Id: 880001)", "Number", "Number",
         "12", kr, "Committed Goal", "0", "2024-12-01 10:06:00 UTC", "2025-03-01", "50", "6",
         "On Track", "", "",
         [_ci(str(date(2025, 1, 2) + timedelta(days=d)), str(d % 7), "On Track")
          for d in range(trailing)]],
        ["880004", "Hire a country lead", "Sales", "Mia Roth", "Mia Roth", "Q3 FY25", "", "", "",
         "", "Progress", "%", "100", obj, "Aspirational Goal", "0", "2024-12-01 10:07:00 UTC",
         "", "0", "0", "Not Started", "", "", []],
        ["880005", "Make support effortless", "Support", "Lea Kuhn", "Lea Kuhn", "Q2 2025",
         "2025-04-01", "2025-06-30", "", "", "Progress", "%", "100", obj, "Committed Goal", "0",
         "2025-03-20 09:00:00 UTC", "2025-05-02", "70", "70", "Completed", "", "", []],
        ["880006", "Tickets solved", "Support", "Lea Kuhn", "Lea Kuhn", "Q2 2025", "2025-04-01",
         "2025-06-30", "", "Make support effortless(weight: 60%, Id: 880005)", "Tickets", "k",
         "12k", kr, "Committed Goal", "8k", "2025-03-20 09:01:00 UTC", "2025-05-02", "75", "11k",
         "Completed", "", "",
         [_ci("2025-05-02", "11k", "Completed", "Great month; backlog empty"),
          _ci("2025-04-15", "45", "On Track")]],
        ["880007", "CSAT", "Support", "Lea Kuhn", "Lea Kuhn", "Q2 2025", "2025-04-01",
         "2025-06-30", "", "Make support effortless(weight: 40%, Id: 880005)", "Progress", "%",
         "90%", kr, "Committed Goal", "70%", "2025-03-20 09:02:00 UTC", "2025-04-20", "50",
         "80%", "At Risk", "", "", [_ci("2025-04-20", "80%", "At Risk")]],
        ["880008", "Write the help centre", "Support", "Lea Kuhn", "Lea Kuhn", "Q2 2025",
         "2025-04-01", "2025-06-30", "", "CSAT(weight: 100%, Id: 880007)", "Progress", "%",
         "100", "Deliverable", "Committed Goal", "0", "2025-03-20 09:03:00 UTC", "2025-04-21",
         "20", "20", "On Track", "", "", [_ci("2025-04-21", "20%", "On Track")]],
    ]  # fmt: skip
    width = max(trailing, 3) + 1
    out = [VIVA_HEADER + [""] * (width - 1)]
    for r in rows:
        cells: list[str] = r[-1]  # type: ignore[assignment]
        out.append([*r[:-1], *cells, *[""] * (width - len(cells))])  # type: ignore[list-item]
    return out


def viva_checkins(trailing: int) -> int:
    """Check-ins on key results of ``viva_rows(trailing)``: 3 + trailing + 2 + 1."""
    return 3 + trailing + 3


@pytest.mark.parametrize(
    "variant", ["plain", "semicolon-bom-crlf", "xlsx", "no-id", "few-columns", "many-columns"]
)
def test_another_company_s_viva_export_imports_with_its_check_ins(tmp_path, variant):
    trailing = {"few-columns": 2, "many-columns": 31}.get(variant, 10)
    rows = viva_rows(trailing)
    if variant == "no-id":
        rows = [r[1:] for r in rows]
    if variant == "xlsx":
        import xlsxwriter

        path = tmp_path / "viva_export.xlsx"
        book = xlsxwriter.Workbook(path)
        sheet = book.add_worksheet("Export")
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                if cell:
                    sheet.write_string(i, j, cell)
        book.close()
    else:
        semi = variant == "semicolon-bom-crlf"
        path = write_csv(tmp_path / "viva_export.csv", rows, ";" if semi else ",", semi, True)
    result = load([path])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (3, 4, viva_checkins(trailing))
    accounted(result)
    entry = result.ledger.entries[0]
    assert entry.packed["check-ins"]["read"] == viva_checkins(trailing) + 1  # + the deliverable's
    krs = result.dataset.key_results.set_index(base(result.dataset.key_results["kr_id"]))
    if variant != "no-id":
        assert krs.loc["880002", ["start_value", "target_value"]].tolist() == [50_000, 250_000]
        assert krs.loc["880006", "target_value"] == 12_000
    ci = result.dataset.checkins
    assert sorted(ci["value"].dropna())[-1] == 110_000
    assert 1200 in set(ci["value"]) and 45 in set(ci["value"])
    assert "Two deals slipped; one signed" in set(ci["comment"].dropna())
    # Behind is off track; Closed and Not Started say nothing of health
    by_value = ci.set_index("value")["status"]
    assert by_value[110_000] == "off_track" and pd.isna(by_value[1200])


def test_a_viva_row_longer_than_its_header_keeps_the_check_ins_past_it(tmp_path):
    """A header that stops at ``Checkins`` and one more unnamed column, rows with more cells
    (an export whose header was written before its longest row): the cells past the header
    are more unnamed check-in columns, never a reason to refuse the row."""
    rows = viva_rows(6)
    rows[0] = rows[0][: len(VIVA_HEADER) + 1]
    path = write_csv(tmp_path / "viva_ragged.csv", rows, crlf=True)  # as Viva writes it
    result = load([path])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (3, 4, viva_checkins(6))
    accounted(result)


def test_empty_cells_past_the_header_are_no_error(tmp_path):
    """A spreadsheet that saved a delimiter more on data rows than on the header row."""
    text = "Quarter,Team,Objective,Key Result\r\n" + "".join(
        f"Q1 2026,Ops,Keep it running,KR {i},,\r\n" for i in range(3)
    )
    path = tmp_path / "okrs.csv"
    path.write_text(text)
    result = load([path])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (1, 3, 0)
    accounted(result)


# The Ally.io-era explorer export: no Team column, the page an OKR sits on written as `OKR type`
# (Organization, Team, Individual) and `Type name`, a `Tag`, no Unit or Actual Progress; the
# header a public Viva-to-Asana migration script lists (its mappings.py CSV_COLUMN_NAMES:
# `Id, Title, Tag, OKR type, Type name, Creator, Owner, Period, …, Checkins, Blank 1…`)
ALLY_HEADER = ["Id", "Title", "Tag", "OKR type", "Type name", "Creator", "Owner", "Period",
               "Start Date", "End Date", "Description", "Aligned To (weight, Objective ID)",
               "Metric Name", "Target", "Object Type", "Goal Type", "Start", "Created At",
               "Last Check-in", "Progress %", "Status", "Last Check-in Note", "Score",
               "Checkins"]  # fmt: skip


def test_an_ally_era_export_takes_its_teams_from_the_page_each_okr_sits_on(tmp_path):
    def row(id_: str, title: str, level: str, name: str, aligned: str, kind: str,
            *checkins: str) -> list[str]:  # fmt: skip
        return [id_, title, "", level, name, "Kai Moe", "Ida Sand", "Q2 2024", "2024-04-01",
                "2024-06-30", "", aligned, "Progress", "100", kind, "Committed Goal", "0",
                "2024-03-01 10:00:00 UTC", "", "30", "On Track", "", "", *checkins]  # fmt: skip

    top = "Be the easiest shop to buy from(weight: 100%, Id: 600001)"
    mid = "Checkout conversion to 4%(weight: 50%, Id: 600002)"
    rows = [ALLY_HEADER + ["", ""],
            row("600001", "Be the easiest shop to buy from", "Organization", "Nordwind AS", "",
                "Objective"),
            row("600002", "Checkout conversion to 4%", "Team", "Web Shop", top, "Objective"),
            row("600003", "One-page checkout live", "Team", "Web Shop", mid, "Key result",
                _ci("2024-05-02", "40", "Behind"), _ci("2024-04-10", "10", "On Track")),
            row("600004", "Payment errors below 1%", "Individual", "Ida Sand", mid, "Key result",
                _ci("2024-05-03", "25", "At Risk")),
            row("600005", "Get to know the buyers", "Individual", "Ida Sand", "", "Objective"),
            row("600006", "Interview ten buyers", "Individual", "Ida Sand",
                "Get to know the buyers(weight: 100%, Id: 600005)", "Key result")]  # fmt: skip
    result = load([write_csv(tmp_path / "export.csv", rows, crlf=True)])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (3, 3, 3)
    accounted(result)
    objs = result.dataset.objectives.drop_duplicates("objective_id").set_index("objective_id")
    # an organization's or a team's OKR: that name; a person's key result: its objective's
    # team; a person's own objective: the person's page
    assert objs["team"].to_dict() == {"600001": "Nordwind AS", "600002": "Web Shop",
                                      "600005": "Ida Sand"}  # fmt: skip
    krs = result.dataset.key_results.drop_duplicates("kr_id").set_index("kr_id")
    assert krs["objective_id"].to_dict() == {"600003": "600002", "600004": "600002",
                                             "600006": "600005"}  # fmt: skip
    unused = result.ledger.entries[0].unused
    assert "OKR type" not in unused and "Type name" not in unused


# --- Puzzle's tables in another order, with a person table ---------------------------------


def _table(folder: Path, name: str, header: str, *rows: str) -> None:
    (folder / name).write_text("\n".join([header, *rows]) + "\n")


def test_a_person_table_is_read_to_name_people_and_lists_what_it_does_not_use(tmp_path):
    _table(
        tmp_path,
        "objective.csv",
        "title,id,team_id,quarter_id,state,version,owner_id",
        "We ship every week,11,3,5,ONGOING,1,40",
        "Customers love onboarding,12,4,5,DRAFT,2,41",
    )
    _table(
        tmp_path,
        "key_result.csv",
        "version,objective_id,id,title,key_result_type,owner_id,"
        "baseline,stretch_goal,unit,commit_zone,target_zone,stretch_zone",
        "0,11,101,Deploys per week,metric,40,2,10,NUMBER,,,",
        "0,12,103,Guide published,ordinal,41,,,,Draft,Published,Translated",
    )
    _table(
        tmp_path,
        "check_in.csv",
        "id,key_result_id,created_on,zone,confidence,check_in_type",
        "4,103,2024-05-01 08:00:00.5,COMMIT,6,ordinal",
        "5,103,2024-06-01 08:00:00.5,TARGET,9,ordinal",
    )
    _table(
        tmp_path,
        "quarter.csv",
        "label,id,end_date,start_date",
        "GJ 24/25-Q4,5,2024-06-30,2024-04-01",
    )
    _table(tmp_path, "team.csv", "version,name,id", "1,Delivery,3", "0,Growth,4")
    _table(tmp_path, "person.csv", "id,first_name,last_name,version,okr_champion",
           "40,Anna,Keller,1,false", "41,Ben,Weber,0,true")  # fmt: skip
    result = load([tmp_path])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (2, 2, 2)
    assert result.dataset.checkins["value"].tolist() == [0.3, 0.7]
    assert set(result.dataset.key_results["kr_owner"]) == {"Anna Keller", "Ben Weber"}
    accounted(result)
    person = result.ledger.entry("person.csv")
    assert person.aside == {"read to name people": [2, 3]}
    assert set(person.unused) == {"version", "okr_champion"}
    assert result.ledger.entry("quarter.csv").aside == {"read to name periods": [2]}


# --- a tracker's weekly tab naming key results loosely -------------------------------------


def test_a_weekly_update_finds_its_key_result_by_a_title_written_another_way(tmp_path):
    (tmp_path / "marketing_okrs.csv").write_text(
        "Quarter,Objective,KR,Owner,%,Status\n"
        "Q3 2026,Be known,Double webinar signups,CMO,25%,⚠️\n"
        "Q3 2026,Be known,Cut CAC by 10%,CFO,10%,❌\n"
        "Q3 2026,Be known,Launch the podcast,PMM,0%,✅\n"
    )
    (tmp_path / "weekly_updates.csv").write_text(
        "Week Of,KR,Progress This Week,Blockers,Confidence\n"
        "2026-08-17,double webinar signups ,12%,,🟢\n"
        "2026-08-17,Cut CAC by 10 %,,Hiring freeze,🔴\n"
        "2026-08-24,Launch podcast,Recorded the pilot,,🟡\n"
    )
    result = load([tmp_path])
    assert not result.report.errors, result.report.to_text()
    accounted(result)
    ci = result.dataset.checkins.set_index("kr_id")
    assert sorted(ci.index) == ["Cut CAC by 10%", "Double webinar signups", "Launch the podcast"]
    assert ci.loc["Cut CAC by 10%", "comment"] == "Hiring freeze"
    # the closest title is said, never guessed silently
    close = [i for i in result.report.warnings if i.code == "kr_by_close_title"]
    assert [i.value for i in close] == ["Launch podcast"], result.report.to_text()


# --- periods other tools write ---------------------------------------------------------------


def test_periods_written_y2025_are_years():
    assert parse_period("Y2025") == Period("span", ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"))
    assert parse_period("Q3 Y2025") == Period("quarter", ("2025-Q3",))


# --- a company's published OKR table, another quarter ---------------------------------------


def test_a_published_table_s_rows_without_a_team_take_their_objective_s(tmp_path):
    """A markdown table saved as CSV, FY23-Q4, where a key-result row leaves the team (or the
    quarter) blank under an objective whose other rows name it: the row belongs to that
    objective and takes its blank objective cells, as merged cells would."""
    path = tmp_path / "goals_fy23q4.csv"
    path.write_text(
        "Quarter,Team,Objective,Key Result\n"
        "FY23-Q4,Company,**Grow** usage,Reach [10k](https://x.example/a) weekly users<br>soon\n"
        "FY23-Q4,,**Grow** usage,Ship <b>two</b> launches\n"
        ",Engineering,Be reliable,99.9% uptime\n"
        "FY23-Q4,Engineering,Be reliable,Page less than **twice** a week\n"
        "FY23-Q4,,Be reliable,Fill 5 roles<br/>\n"
    )
    result = load([path])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (2, 5, 0)
    accounted(result)
    objs = result.dataset.objectives.set_index("objective")
    assert objs.loc["Be reliable", "team"] == "Engineering"
    assert objs.loc["Be reliable", "quarter"] == "2023-Q4"
    assert any("fiscal" in i.code for i in result.report.warnings)
    notes = " ".join(n for s in result.sources for n in s.notes)
    assert "blank objective cells" in notes


def test_okra_objectives_with_key_results_progress_and_rolling(tmp_path):
    """okra's objective database where ``objective`` is filled (key results under objectives,
    by id or title), ``progress`` given, quarters ``Q3 2024``, ``Rolling`` and empty."""
    path = tmp_path / "team-objectives.csv"
    path.write_text(
        '"id","title","status","quarter","team","pillar","objective","funder","labels","progress"\n'
        '"#1","Make builds fast","In Progress","Q3 2024","Build","Platform","","Acme","",""\n'
        '"#2","Cut CI time by half","In Progress","Q3 2024","Build","Platform","#1","","","40%"\n'
        '"#3","Cache everything","Todo","","","","Make builds fast","","","25"\n'
        '"#4","Research effects","In Progress","Rolling","Compiler","Compiler","","","",""\n'
        '"#5","Document effects","Todo","","Compiler","Compiler","Research effects","","","10"\n'
        '"#7","Chapter one","Done","Q4 2024","Docs","Docs","Write a book","","","100%"\n'
    )
    result = load([path])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (2, 3, 0)
    accounted(result)
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs.loc["#2", "current_value"] == 40 and krs.loc["#3", "current_value"] == 25
    assert krs.loc["#3", "objective_id"] == "#1"
    assert krs.loc["#7", "source_progress"] == 1
    assert sorted(result.aside["objective_id"].unique()) == ["#4"]


def test_okra_objective_database_in_another_column_order_with_month_ranges(tmp_path):
    """okra's objective database as its own tests write it (github tmcgilchrist/okra,
    ``test/cram/cat/masterdb.t``): ``id,title,objective,status,team,quarter``, no pillar, and
    quarters with their months after them (``Q1 2023 - Jan-Mar``)."""
    path = tmp_path / "team-objectives.csv"
    path.write_text(
        "id,title,objective,status,team,quarter\n"
        'KR1,Faster builds,,In Progress,team1,"Q1 2023 - Jan-Mar"\n'
        'Kr2,Ship the cache,,In Progress,team1,"Q2 2021 - Apr-Jun"\n'
        'KR3,Dropped KR,,Closed,team2,"Q4 2024 - Oct-Dec"\n'
        'KR5,Missing status KR,,,team2,"Rolling"\n'
        'KR6,Warm the cache,KR1,In Progress,team1,"Q1 2023 - Jan-Mar"\n'
    )
    result = load([path])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (3, 1, 0)
    accounted(result)
    quarters = result.dataset.objectives.set_index("objective_id")["quarter"].to_dict()
    assert quarters == {"KR1": "2023-Q1", "Kr2": "2021-Q2", "KR3": "2024-Q4"}
    assert result.aside["objective_id"].tolist() == ["KR5"]


def test_a_tracker_s_other_status_and_confidence_words_and_emoji(tmp_path):
    """A Google Sheets tracker's weekly tab with other words and emoji than 🟢🟡🔴: statuses
    ⚠️, ❌, ✔️, Not Achieved, On Hold (says nothing of health), confidences Med, ✅, ⚠️, ❌,
    7/10 and 4/5 (a score out of ten or five)."""
    (tmp_path / "marketing_okrs.csv").write_text(
        "Quarter,Objective,KR,Owner,%,Status\nQ3 2026,Be known,Ship it,CMO,25%,On track\n"
    )
    (tmp_path / "weekly_updates.csv").write_text(
        "Week Of,KR,Progress This Week,Status,Confidence\n"
        "2026-08-03,Ship it,1,⚠️,Med\n"
        "2026-08-10,Ship it,2,❌,✅\n"
        "2026-08-17,Ship it,3,✔️,⚠️\n"
        "2026-08-24,Ship it,4,Not Achieved,❌\n"
        "2026-08-31,Ship it,5,On Hold,7/10\n"
        "2026-09-07,Ship it,6,On track,4/5\n"
    )
    result = load([tmp_path])
    assert not result.report.errors, result.report.to_text()
    accounted(result)
    assert not [
        i for i in result.report.warnings if i.code in ("unknown_value", "bad_confidence")
    ], result.report.to_text()
    ci = result.dataset.checkins.sort_values("date")
    assert ci["status"].tolist()[:4] == ["at_risk", "off_track", "on_track", "off_track"]
    assert pd.isna(ci["status"].iloc[4])
    assert ci["confidence"].tolist() == pytest.approx([0.5, 0.9, 0.5, 0.2, 0.7, 0.8])


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_data_row_naming_okr_words_is_never_taken_for_the_header(tmp_path, suffix):
    """An export in no known shape whose rows say Objective, Team, Quarter in their cells: its
    first row stays the header (a row below is taken for the header only when every row above
    it is a sparse title or date row), so what it lacks is asked about its own columns."""
    rows = [["Ref", "Kind", "Text", "Who", "When"],
            ["1", "Objective", "Grow", "Team", "Quarter"],
            ["2", "Key result", "Ten deals", "Sales", "Q3 2026"]]  # fmt: skip
    if suffix == "csv":
        path = write_csv(tmp_path / "export.csv", rows)
    else:
        import xlsxwriter

        path = tmp_path / "export.xlsx"
        book = xlsxwriter.Workbook(path)
        sheet = book.add_worksheet("Export")
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                sheet.write_string(i, j, cell)
        book.close()
    result = load([path])
    accounted(result)
    assert [s.header_row for s in result.sources] == [1]
    assert not any("header found" in n for s in result.sources for n in s.notes)
    entry = result.ledger.entries[0]
    assert entry.read == 2
