"""Sheets in the shapes of trackers people keep by hand and of small tools' databases: okra's
work items, a company sheet without a team column, a weekly-updates tab, fiscal labels.

Every fixture here is our own (``tests/fixtures/sources/``): same headers, cell formats and
quirks as the real exports, invented rows.
"""

from __future__ import annotations

from pathlib import Path

from okrdata.ingest import load

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
