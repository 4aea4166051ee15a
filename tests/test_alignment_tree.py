"""The Alignment outline (``okrdata.alignment_tree``) on hand-built companies: reading order,
status in words, the cap on a large company, and the chosen department or team."""

from __future__ import annotations

import pandas as pd

from okrdata import views
from okrdata.alignment_tree import MAX_FULL, NOT_LINKED, outline
from tests.builders import AS_OF, Company, Q, pace


def _company() -> Company:
    c = Company().team("Exec", "Leadership").team("Web", "Product").team("Ads", "Marketing")
    c.objective("C1", "Exec", parent=None, level="company").kr("C1-1", "C1", pace(0.9))
    c.objective("P1", "Web", parent="C1").kr("P1-1", "P1", pace(0.9))
    c.objective("P2", "Web", parent="P1").kr("P2-1", "P2", [0.0] * 9, status="off_track")
    c.objective("M1", "Ads", parent="C1").kr("M1-1", "M1", pace(0.9))
    c.objective("M2", "Ads", parent=None).kr("M2-1", "M2", pace(0.9))
    return c


def _tree(c: Company, **chosen: str):
    b = views.base(c.dataset(), Q, AS_OF)
    return outline(b, views.Filters(Q, **chosen))


def test_each_company_objective_then_its_departments_then_their_objectives():
    rows = _tree(_company()).rows
    assert rows["kind"].tolist() == ["company", "department", "objective", "department",
                                     "objective", "objective", "unlinked", "department",
                                     "objective"]  # fmt: skip
    assert rows["label"].iloc[0] == "Objective C1"
    assert rows["label"].iloc[1].strip() == "Marketing"  # departments in name order
    assert rows["label"].iloc[7].strip() == "Marketing"
    assert rows["label"].iloc[6] == NOT_LINKED
    # a team objective aligned to a department-level one sits one level deeper, right after it
    web = rows[rows["department"] == "Product"]
    assert web["objective_id"].tolist()[1:] == ["P1", "P2"] and web["kind"].iloc[0] == "department"
    assert len(web["label"].iloc[2]) - len(web["label"].iloc[2].lstrip("\u2003")) > len(
        web["label"].iloc[1]
    ) - len(web["label"].iloc[1].lstrip("\u2003"))


def test_company_and_department_rows_count_their_objectives_and_those_behind():
    rows = _tree(_company()).rows.set_index("label")
    assert rows.loc["Objective C1", ["objectives", "behind"]].tolist() == [3, 1]
    product = rows[rows.index.str.strip() == "Product"].iloc[0]
    assert (product["objectives"], product["behind"]) == (2, 1)
    p2 = _tree(_company()).rows.set_index("objective_id").loc["P2"]
    assert p2["status"] == "off_track"


def test_summary_counts_objectives_below_company_level_and_the_linked_ones():
    tree = _tree(_company())
    assert tree.summary == (
        "4 objectives below company level: 3 linked to a company objective, 1 not linked."
    )
    assert not tree.capped


def test_a_chosen_team_shows_only_its_objectives_and_what_they_align_to():
    rows = _tree(_company(), team="Ads").rows
    assert rows.loc[rows["kind"] == "objective", "objective_id"].tolist() == ["M1", "M2"]
    assert rows.loc[rows["kind"] == "company", "label"].tolist() == ["Objective C1"]


def test_a_large_company_shows_each_departments_objectives_furthest_behind_and_the_rest_counted():
    c = Company().team("Exec", "Leadership")
    c.objective("C1", "Exec", parent=None, level="company").kr("C1-1", "C1", pace(0.9))
    n = MAX_FULL + 10
    for i in range(n):
        team = f"T{i % 20}"
        c.team(team, "Ops" if i % 2 else "Sales")
        share = 0.0 if i in (3, 8) else 0.9  # two objectives far behind, in Ops and Sales
        c.objective(f"O{i}", team, parent="C1").kr(f"O{i}-1", f"O{i}", pace(share))
    tree = _tree(c)
    assert tree.capped
    rows = tree.rows
    sales = rows[(rows["department"] == "Sales") & (rows["kind"] == "objective")]
    assert len(sales) == 3 and "O8" in sales["objective_id"].tolist()
    more = rows[rows["kind"] == "more"]
    assert more["objectives"].tolist() == [n // 2 - 3, n // 2 - 3]
    assert more["label"].str.contains("more: click to see them").all()
    # a chosen department shows all its objectives
    ops = _tree(c, department="Ops").rows
    assert (ops["kind"] == "objective").sum() == n // 2
    assert not (ops["kind"] == "more").any()
    assert pd.isna(rows.loc[rows["kind"] == "more", "progress"]).all()
