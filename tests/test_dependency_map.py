"""The Dependencies page's graph at any size (never more than MAX_NODES marks), key results by
title and a dependency's status in a symbol and words, on the sample."""

from __future__ import annotations

import pandas as pd
import pytest

from okrdata import dependency_map, views
from okrdata.ingest import load_dir

Q4, AS_OF = "2026-Q4", pd.Timestamp("2026-11-16")


@pytest.fixture(scope="module")
def b() -> views.Base:
    return views.base(load_dir("sample_data").dataset, Q4, AS_OF)


@pytest.fixture(scope="module")
def files() -> tuple[pd.DataFrame, pd.DataFrame]:
    deps = pd.read_csv("sample_data/dependencies.csv")
    okrs = pd.read_csv("sample_data/okrs.csv").dropna(subset=["kr_id"])
    return deps, okrs


def test_tables_name_key_results_by_title_and_status_in_words(b, files):
    deps, okrs = files
    m = dependency_map.dependency_map(b, views.Filters(Q4))
    title = dict(zip(okrs["kr_id"], okrs["key_result"], strict=True))
    every = m.every.merge(deps[["team", "depends_on_team", "kr_id", "status"]].rename(
        columns={"status": "file_status"}), on=["team", "depends_on_team", "kr_id"])  # fmt: skip
    assert len(every) == len(m.every) > 0
    assert every["key_result"].tolist() == every["kr_id"].map(title).tolist()
    assert every["provider_key_result"].tolist() == every["depends_on_kr_id"].map(title).tolist()
    symbols = {"blocked": "✕ blocked", "committed": "● committed", "open": "○ open",
               "done": "✓ done"}  # fmt: skip
    assert every["state"].tolist() == every["file_status"].str.lower().map(symbols).tolist()


def test_a_small_selection_shows_every_team(b):
    m = dependency_map.dependency_map(b, views.Filters(Q4))
    every = set(m.every["team"]) | set(m.every["depends_on_team"])
    assert m.level == "team" and set(m.nodes["team"]) == every and m.note == ""


def test_over_the_limit_the_company_sees_departments(b, monkeypatch):
    monkeypatch.setattr(dependency_map, "MAX_NODES", 3)
    m = dependency_map.dependency_map(b, views.Filters(Q4))
    dept = b.snap.team_department
    pairs = {(dept[t], dept[d]) for t, d in zip(m.every["team"], m.every["depends_on_team"],
                                                 strict=True)}  # fmt: skip
    assert m.level == "department" and len(m.nodes) <= 3
    assert set(zip(m.between["department"], m.between["waits_on_department"], strict=True)) == pairs
    assert m.between["dependencies"].sum() == len(m.every)
    assert "depend on each other: the graph shows their" in m.note


def test_over_the_limit_a_team_sees_its_neighbourhood_most_severe_first(b, monkeypatch):
    monkeypatch.setattr(dependency_map, "MAX_NODES", 2)
    m = dependency_map.dependency_map(b, views.Filters(Q4, team="Onboarding"))
    # Onboarding waits on Mobile (blocked) and Security (overdue): the blocked one is kept
    assert m.level == "team" and set(m.nodes["team"]) == {"Onboarding", "Mobile"}
    assert m.edges["risk"].tolist() == ["blocked"]
    assert m.note.startswith("Onboarding works with 2 teams: the graph shows the 1 ")
