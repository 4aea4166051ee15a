"""monday.com's "Export board to Excel", written with rows of our own in the export's layout.

The layout, as a public parser of that export reads it (github nworbdier/orderly_flow
``src/lib/excel-import.js`` and ``IMPORT_GUIDE.md``): the board's name on row 1, a group's title
on a row of its own, the header ``Name, Subitems, <the board's columns…>, Item ID (auto
generated)``, the group's item rows; after an item with subitems, a header ``Subitems, Name,
<the subitems' columns…>`` and the subitem rows, one column to the right (the first cell
empty); the group title and the header again for each group. On an OKR board the items are
objectives and the subitems their key results.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import xlsxwriter

from okrdata.ingest import load
from okrdata.questions import ask
from tests.test_sources_variants import accounted, counts

ITEMS = ["Name", "Subitems", "Owner", "Status", "Timeline", "Team", "Progress", "Priority",
         "Item ID (auto generated)"]  # fmt: skip
SUBITEMS = ["Subitems", "Name", "Owner", "Status", "Current", "Target", "Date",
            "Item ID (auto generated)"]  # fmt: skip
Q3 = "2026-07-01 - 2026-09-30"

# the sheet, row by row as the spreadsheet numbers them (None: a blank row)
BOARD: list[list[object] | None] = [
    ["Platform OKRs"],  # 1: the board's name
    ["Q3 2026"],  # 2: the first group's title
    ITEMS,  # 3
    [
        "Make deploys boring",
        "Deploys per week to 20, Test coverage to 80%",
        "Ada Moreau",
        "Working on it",
        Q3,
        "Platform",
        "40%",
        "High",
        1001,
    ],  # fmt: skip
    SUBITEMS,  # 5
    ["", "Deploys per week to 20", "Ben Ito", "Working on it", 12, 20, "2026-09-30", 2001],
    ["", "Test coverage to 80%", "Ada Moreau", "Stuck", 62, 80, "2026-08-31", 2002],
    ["Write the platform handbook", "", "Ben Ito", "Done", Q3, "Platform", "100%", "Low", 1002],
    [
        "Halve on-call pages",
        "Runbooks for 20 alerts",
        "Cleo Park",
        "Stuck",
        Q3,
        "Platform",
        "30%",
        "High",
        1003,
    ],  # fmt: skip
    SUBITEMS,  # 10
    ["", "Runbooks for 20 alerts", "Cleo Park", "Done", 20, 20, "2026-09-15", 2003],
    None,  # 12: monday leaves a blank row between groups
    ["Q4 2026"],  # 13: the next group's title
    ITEMS,  # 14: its header
    [
        "Open the self-service portal",
        "Ship the portal beta, Onboard 5 teams, Publish the docs",
        "Dana Ruiz",
        "Working on it",
        "",
        "Developer Experience",
        "0%",
        "Medium",
        1004,
    ],  # fmt: skip
    SUBITEMS,  # 16
    ["", "Ship the portal beta", "Dana Ruiz", "Working on it", 0, 1, "2026-11-15", 2004],
    ["", "Onboard 5 teams", "Eli Sato", "", 1, 5, "2026-12-15", 2005],
    ["", "Publish the docs", "Eli Sato", "Done", "", "", "2026-12-15", 2006],
]


def write_board(path: Path, rows: list[list[object] | None], board: str = "Platform OKRs") -> Path:
    """The board as monday writes it: an XLSX (one sheet, named after the board), or the same
    rows saved as CSV."""
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            for row in rows:
                w.writerow([] if row is None else ["" if v is None else v for v in row])
        return path
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(board)
    for r, row in enumerate(rows):
        for c, value in enumerate(row or []):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.close()
    return path


@pytest.mark.parametrize("name", ["Platform_OKRs_1733.xlsx", "Platform_OKRs_1733.csv"])
def test_a_monday_board_gives_items_as_objectives_and_subitems_as_their_key_results(tmp_path, name):
    result = load([write_board(tmp_path / name, BOARD)])
    assert not result.report.errors, result.report.to_text()
    (entry,) = result.ledger.entries
    assert entry.shape == "board", entry.why
    assert counts(result) == (4, 6, 0)
    accounted(result)
    ds = result.dataset
    objs = ds.objectives.drop_duplicates("objective_id").set_index("objective_id")
    krs = ds.key_results.set_index("kr_id")
    # items are objectives, by monday's own item ids; subitems are key results under them
    assert objs.loc["1001", "objective"] == "Make deploys boring"
    assert krs.loc[["2001", "2002"], "objective_id"].tolist() == ["1001", "1001"]
    assert krs.loc["2003", "objective_id"] == "1003"
    assert krs.loc[["2004", "2005"], "objective_id"].tolist() == ["1004", "1004"]
    assert objs.loc["1001", "objective_owner"] == "Ada Moreau"
    assert objs.loc["1001", "source_progress"] == pytest.approx(0.4)  # the item's own Progress
    assert krs.loc["2001", "kr_owner"] == "Ben Ito"
    assert krs.loc["2002", ["current_value", "target_value"]].tolist() == [62, 80]
    # the period from the Timeline, else the group when it names a quarter
    assert objs.loc["1001", "quarter"] == "2026-Q3"
    assert objs.loc["1004", "quarter"] == "2026-Q4"
    assert krs.loc["2005", "quarter"] == "2026-Q4"
    # the team from the Team column
    assert objs.loc["1002", "team"] == "Platform"
    assert objs.loc["1004", "team"] == "Developer Experience"
    # a subitem's Status is typed by staging: Done marks a key result without numbers done
    assert krs.loc["2006", ["metric_type", "current_value"]].tolist() == ["binary", 1]
    # every row accounted for: the group title and its header, each subitems header
    assert entry.read == 15
    assert entry.imported == 10
    assert entry.aside == {
        "subitems header row": [5, 10, 16],
        "group title row": [13],
        "repeated header row": [14],
    }
    assert entry.refused == []
    assert entry.unused == ["Subitems", "Priority"]
    notes = " ".join(s for src in result.sources for s in src.notes)
    assert "subitems' columns not used: Date" in notes


def test_a_board_without_a_team_column_asks_the_team_and_dates_by_the_timeline(tmp_path):
    """A board whose groups name teams, not quarters: the Timeline dates each objective, and
    the team is asked on the Data page (the group is no team the import may assume)."""
    items = [c for c in ITEMS if c != "Team"]
    rows: list[list[object] | None] = [
        ["Company OKRs"],
        ["Growth"],
        items,
        ["Win the mid-market", "Sign 12 logos", "Ada Moreau", "Working on it", Q3, "", "", 3001],
        SUBITEMS,
        ["", "Sign 12 logos", "Ben Ito", "Stuck", 4, 12, "", 4001],
        ["Support"],
        items,
        ["Answer faster", "", "Cleo Park", "Done", "2026-10-01 - 2026-12-31", "", "", 3002],
    ]
    result = load([write_board(tmp_path / "Company_OKRs.xlsx", rows, "Company OKRs")])
    (entry,) = result.ledger.entries
    assert entry.shape == "board"
    assert [q.column for q in ask(result) if q.kind == "fixed"] == ["team"]
    answered = load(
        [tmp_path / "Company_OKRs.xlsx"],
        mapping_overrides={("Company_OKRs.xlsx", "Company OKRs"): {"=team": "Sales"}},
    )
    assert not answered.report.errors, answered.report.to_text()
    objs = answered.dataset.objectives.set_index("objective_id")
    assert objs.loc["3001", "quarter"] == "2026-Q3"
    assert objs.loc["3002", "quarter"] == "2026-Q4"
    krs = answered.dataset.key_results.set_index("kr_id")
    assert krs.loc["4001", ["objective_id", "current_value", "target_value"]].tolist() == [
        "3001", 4, 12]  # fmt: skip
    assert (answered.dataset.objectives["team"] == "Sales").all()
    accounted(answered)
