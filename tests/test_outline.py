"""Hand-made OKR sheets that put objectives and key results in one column, as an outline
(``Objective 1: …`` / ``KR 1.1: …``, ``1. …`` / ``1.1 …``, ``O1 - …`` / ``- …``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from okrdata import ingest
from okrdata.sources import reshape

FIXTURES = Path(__file__).parent / "fixtures" / "outline"
LOOKS = "looks like an outline of objectives and key results"


def krs_of(result: ingest.LoadResult) -> list[list]:
    ds = result.dataset
    title = ds.objectives.set_index("objective_id")["objective"]
    krs = ds.key_results.sort_values("_row") if "_row" in ds.key_results else ds.key_results
    return [
        [title[o], k, s, t, c]
        for o, k, s, t, c in krs[
            ["objective_id", "key_result", "start_value", "target_value", "current_value"]
        ].itertuples(index=False)
    ]


def codes(result: ingest.LoadResult) -> list[tuple]:
    return [(i.severity, i.code, i.row, i.column) for i in result.report.sorted()]


def test_labelled_outline_csv():
    result = ingest.load([FIXTURES / "outline_labelled.csv"])
    assert result.report.ok, result.report.to_text()
    assert any(n.startswith(LOOKS) for n in result.sources[0].notes), result.sources[0].notes
    objs = result.dataset.objectives.set_index("objective")
    assert sorted(objs.index) == ["Grow revenue", "Hire well", "Ship faster"]
    assert objs["team"].to_dict() == {
        "Grow revenue": "Sales", "Ship faster": "Engineering", "Hire well": "People"}  # fmt: skip
    assert set(objs["quarter"]) == {"2026-Q3"}
    assert objs.loc["Grow revenue", "objective_owner"] == "Ana"
    krs = result.dataset.key_results.set_index("key_result")
    assert sorted(krs.index) == [
        "Close 10 enterprise deals", "Cut lead time to 2 days", "Launch the release train",
        "Raise NPS to 50"]  # fmt: skip
    by_title = result.dataset.objectives.set_index("objective_id")["objective"]
    assert krs["objective_id"].map(by_title).to_dict() == {
        "Close 10 enterprise deals": "Grow revenue", "Raise NPS to 50": "Grow revenue",
        "Cut lead time to 2 days": "Ship faster", "Launch the release train": "Ship faster",
    }  # fmt: skip
    assert (krs.loc["Close 10 enterprise deals", ["start_value", "target_value", "current_value"]]
            .tolist() == [0, 10, 4])  # fmt: skip
    assert krs.loc["Close 10 enterprise deals", "kr_owner"] == "Bo"
    assert krs.loc["Launch the release train", "metric_type"] == "binary"
    # the objective row's own 45 % is no key result's value: no KR of 45
    assert 45 not in set(krs["current_value"].dropna())
    # ids derived as for any file without ids, with the usual warning
    assert {i.code for i in result.report.issues} >= {"derived_id"}
    assert all(i.code in ("derived_id", "unknown_columns") for i in result.report.issues)


def test_numbered_outline_csv_under_a_title_row_takes_its_quarter():
    result = ingest.load([FIXTURES / "outline_numbered.csv"])
    assert result.report.ok, result.report.to_text()
    src = result.sources[0]
    assert src.table == "okrs" and src.header_row == 3
    assert any(n.startswith(LOOKS) for n in src.notes), src.notes
    assert any("Q3 2026" in n and "title row" in n for n in src.notes), src.notes
    objs = result.dataset.objectives
    assert sorted(objs["objective"]) == ["Grow revenue", "Ship faster"]
    assert set(objs["quarter"]) == {"2026-Q3"}
    krs = result.dataset.key_results.set_index("key_result")
    assert sorted(krs.index) == [
        "Close 10 enterprise deals", "Cut lead time to 2 days", "Raise NPS to 50"]  # fmt: skip
    assert krs.loc["Raise NPS to 50", ["start_value", "target_value", "current_value"]].tolist() == [
        30, 50, 38]  # fmt: skip


def test_xlsx_outline_with_the_quarter_in_the_sheet_name():
    result = ingest.load([FIXTURES / "outline_q3.xlsx"])
    assert result.report.ok, result.report.to_text()
    src = result.sources[0]
    assert (src.sheet, src.table, src.header_row) == ("Q3 2026", "okrs", 3)
    assert any(n.startswith(LOOKS) for n in src.notes), src.notes
    assert any("Q3 2026" in n and "sheet name" in n for n in src.notes), src.notes
    objs = result.dataset.objectives.set_index("objective")
    assert sorted(objs.index) == ["Grow revenue", "Open a second region"]
    assert set(objs["quarter"]) == {"2026-Q3"} and set(objs["team"]) == {"Sales"}
    krs = result.dataset.key_results.set_index("key_result")
    by_title = result.dataset.objectives.set_index("objective_id")["objective"]
    assert krs["objective_id"].map(by_title).to_dict() == {
        "Close 10 enterprise deals": "Grow revenue", "Raise NPS to 50": "Grow revenue",
        "Hire 3 account executives": "Open a second region",
        "Sign the first reseller": "Open a second region",
    }  # fmt: skip
    assert krs.loc["Hire 3 account executives", "target_value"] == 3
    assert [(i.code, i.value) for i in result.report.issues if i.code == "unknown_columns"] == [
        ("unknown_columns", "Notes")]  # fmt: skip


def test_an_outline_without_any_quarter_says_so(tmp_path):
    path = tmp_path / "okrs.csv"
    path.write_text("OKR,Team,Target,Current\nO1: Grow,Sales,,\nKR1.1: Deals,,10,4\n")
    result = ingest.load([path])
    errors = [(i.code, i.row, i.column) for i in result.report.errors]
    assert errors == [("missing_column", 1, "quarter")]
    message = result.report.errors[0].message
    assert "quarter" in message and "title row" in message and "sheet" in message


def test_problems_in_an_outline_name_the_sheets_own_rows(tmp_path):
    path = tmp_path / "okrs.csv"
    path.write_text(
        "Team OKRs for Q3 2026\n"
        "OKR,Team,Target,Current\n"
        "Objective 1: Grow,Sales,,\n"
        "KR 1.1: Deals,,10,lots\n"
        "KR 1.2: Leads,,100,40\n"
        "Objective 2: Ship,,,\n"
        "KR 2.1: Deploys,,50,x\n"
    )
    result = ingest.load([path])
    # the objective's own row is read too (the import ledger counts every row): the blank
    # team is named where it is blank, and on the key result that inherits it
    assert sorted((i.row, i.code, i.column) for i in result.report.errors) == [
        (4, "bad_number", "Current"), (6, "missing_value", "Team"),
        (7, "bad_number", "Current"), (7, "missing_value", "Team")]  # fmt: skip


def test_a_normal_okrs_table_is_never_an_outline():
    frame = pd.DataFrame({
        "Objective": ["1. Grow", "1. Grow"], "Key Result": ["1.1 Deals", "1.2 Leads"],
        "Quarter": ["Q3 2026"] * 2, "Team": ["Sales"] * 2, "Target": ["10", "20"],
    })  # fmt: skip
    assert reshape(frame, "okrs.csv") is None
    assert reshape(frame.iloc[0:0], "okrs.csv") is None


@pytest.mark.parametrize("column", ["Objective", "Goal", "Title"])
def test_a_list_of_objectives_with_numbers_is_not_an_outline(column):
    # numbered objectives and no key-result row: an objectives-only sheet, read as before
    frame = pd.DataFrame({column: ["1. Grow", "2. Ship"], "Quarter": ["Q3 2026"] * 2,
                          "Team": ["Sales"] * 2, "Target": ["10", "20"]})  # fmt: skip
    assert reshape(frame, "okrs.csv") is None


@pytest.mark.parametrize(
    ("objective", "kr"),
    [
        ("Objective 1: Grow revenue", "KR 1.1: Close deals"),
        ("O1 - Grow revenue", "KR1.2 – Close deals"),
        ("1. Grow revenue", "1.1 Close deals"),
        ("Objective: Grow revenue", "- Close deals"),
        ("Goal 1 – Grow revenue", "Key Result 1: Close deals"),
        ("Grow revenue", "• Close deals"),
    ],
)
def test_label_spellings(objective, kr):
    frame = pd.DataFrame({"OKR": [objective, kr], "Team": ["Sales", None],
                          "Quarter": ["Q3 2026", None], "Target": [None, "10"]})  # fmt: skip
    out = reshape(frame, "okrs.csv")
    assert out is not None and out[0].adapter.tool == "an outline of objectives and key results"
    okrs = out[1].tables["okrs"].astype(object).where(lambda f: f.notna(), None)
    assert okrs[["Objective", "Key Result", "Team", "Quarter", "Target"]].values.tolist() == [
        ["Grow revenue", None, "Sales", "Q3 2026", None],  # the objective's own row
        ["Grow revenue", "Close deals", "Sales", "Q3 2026", "10"]]  # fmt: skip
    assert okrs["_pos"].tolist() == [0, 1]


def test_a_csv_named_for_its_quarter_and_rows_outside_the_outline(tmp_path):
    # Google Sheets saves a tab as "<document> - <tab>.csv"
    path = tmp_path / "OKRs - Q4 2026.csv"
    path.write_text("OKR,Team,Target,Current\nO1: Grow,Sales,,\nKR1.1: Deals,,10,4\n,,,late\n")
    result = ingest.load([path])
    assert result.report.ok, result.report.to_text()
    assert set(result.dataset.objectives["quarter"]) == {"2026-Q4"}
    notes = result.sources[0].notes
    assert "the quarter Q4 2026 is taken from the file name 'OKRs - Q4 2026.csv'" in notes
    assert "rows without an objective or key result in 'OKR' (row 4) are not read" in notes
