"""The Alignment page's lists (shares, unaligned objectives, broken links) and the Dependencies
page (teams waiting on teams, the graph and its bottlenecks)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from okrdata import signals
from okrdata.model import UNASSIGNED
from okrdata.views.base import RISK_ORDER, Base, Filters, _quarter_objs


@dataclass(frozen=True)
class Alignment:
    """What the Alignment page lists beside its outline (``okrdata.alignment_tree``)."""

    shares: pd.DataFrame
    unaligned: pd.DataFrame
    broken_links: pd.DataFrame
    unaligned_note: str  # what an empty list of unaligned objectives means


def alignment(b: Base, f: Filters) -> Alignment:
    """Each department's share of aligned objectives, the unaligned objectives and the broken
    links of the selection (the outline itself is ``okrdata.alignment_tree``)."""
    every = b.objs[b.objs["quarter"] == b.quarter]
    objs = _quarter_objs(b, f)
    parent = objs["parent_objective_id"]
    below = objs[objs["level"] != "company"]
    linked = below["aligned"].to_numpy(bool)
    shares = (
        below.groupby("department")
        .agg(objectives=("objective_id", "size"), aligned=("aligned", "sum"))
        .reset_index()
    )
    shares["alignment_share"] = shares["aligned"] / shares["objectives"]
    cols = ["objective_id", "objective", "team", "department", "level"]
    has_company = (every["level"] == "company").any()
    unaligned = below[~linked][cols] if has_company else below.iloc[0:0][cols]
    note = (
        "Every objective below company level is linked to a parent in the data."
        if has_company
        else f"{b.quarter} has no company-level objectives, so none is listed as unaligned: add "
        "the company's objectives (level company) and link the others to them "
        "(parent_objective_id)."
    )
    # object arrays: an Arrow string column's isin goes value by value (0.3 s at 2,000 teams)
    known = b.ds.objectives["objective_id"].astype(object)
    broken = objs[parent.notna() & ~parent.astype(object).isin(known)]
    broken = broken[["objective_id", "objective", "team", "parent_objective_id"]]
    return Alignment(shares, unaligned.reset_index(drop=True), broken.reset_index(drop=True), note)


MAX_GRAPH_TEAMS = 150  # a larger graph shows its at-risk part first


@dataclass(frozen=True)
class Dependencies:
    nodes: pd.DataFrame  # team, department, risk, open_in, open_out (the quarter's, unfiltered)
    edges: pd.DataFrame  # team, depends_on_team, status, due_date, risk, reason, description
    at_risk: pd.DataFrame
    bottlenecks: pd.DataFrame  # team, unresolved
    cycles: list[list[str]]


def focus_graph(
    nodes: pd.DataFrame, edges: pd.DataFrame, limit: int = MAX_GRAPH_TEAMS
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Over ``limit`` teams: the unresolved dependencies at risk (most severe first) and their teams."""
    if len(nodes) <= limit:
        return nodes, edges, ""
    risky = edges[(edges["status"] != "done") & (edges["risk"] != "ok")]
    rank = risky["risk"].map(RISK_ORDER.index)
    risky = risky.loc[rank.sort_values(ascending=False, kind="stable").index]
    teams: set[str] = set()
    keep = []
    for i, a, c in zip(risky.index, risky["team"], risky["depends_on_team"], strict=True):
        if len(teams | {a, c}) > limit:
            break
        teams |= {a, c}
        keep.append(i)
    note = (f"{len(nodes):,} teams depend on each other: the graph shows the {len(keep):,} "
            f"dependencies at risk between {len(teams):,} teams; the tables list every one.")  # fmt: skip
    return nodes[nodes["team"].isin(teams)], edges.loc[keep], note


def dependencies(b: Base, f: Filters) -> Dependencies:
    """The team dependency graph of the quarter, risks, bottleneck teams and cycles.

    A department or team sees the dependencies it is part of; a team's counts (``open_in``,
    ``open_out``) and whether it is a bottleneck count every unresolved dependency of the
    quarter, as the ``dependency_risk`` signal does: a provider outside the department that
    the department waits on is listed with the count its signal gives.
    """
    d = b.snap.qdependencies
    if f.team:
        d = d[(d["team"] == f.team) | (d["depends_on_team"] == f.team)]
    elif f.department:
        dept = b.snap.team_department
        in_dept = set(dept.index[dept == f.department])
        d = d[d["team"].isin(in_dept) | d["depends_on_team"].isin(in_dept)]
    edges = _edge_risk(d.reset_index(drop=True), b)
    open_ = edges[edges["status"] != "done"]
    dept = b.snap.team_department
    teams = sorted(set(edges["team"]) | set(edges["depends_on_team"]))
    worst = open_.groupby("team")["risk"].agg(lambda r: max(r, key=RISK_ORDER.index))
    nodes = pd.DataFrame({"team": teams})
    nodes["department"] = nodes["team"].map(dept).fillna(UNASSIGNED)
    nodes["risk"] = nodes["team"].map(worst).astype("string").fillna("ok")
    every = signals.unresolved(b.snap.qdependencies)  # counts: as the bottleneck signal's
    nodes["open_in"] = (
        nodes["team"].map(every["depends_on_team"].value_counts()).fillna(0).astype(int)
    )
    nodes["open_out"] = nodes["team"].map(every["team"].value_counts()).fillna(0).astype(int)
    limit = b.config.signals.bottleneck_dependencies
    bottlenecks = nodes.loc[nodes["open_in"] >= limit, ["team", "department", "open_in"]]
    bottlenecks = bottlenecks.rename(columns={"open_in": "unresolved"}).sort_values(
        ["unresolved", "team"], ascending=[False, True])  # fmt: skip
    graph = nx.DiGraph(list(zip(open_["team"], open_["depends_on_team"], strict=True)))
    cycles = [c for _, c in zip(range(20), nx.simple_cycles(graph), strict=False)]
    at_risk = open_[open_["risk"] != "ok"]
    return Dependencies(nodes, edges, at_risk.reset_index(drop=True),
                        bottlenecks.reset_index(drop=True), cycles)  # fmt: skip


def _edge_risk(d: pd.DataFrame, b: Base) -> pd.DataFrame:
    status = d["status"].fillna("open")
    unresolved = status != "done"
    provider = d["depends_on_kr_id"].map(
        b.snap.krs.drop_duplicates("kr_id").set_index("kr_id")["status"]
    )
    overdue = unresolved & (d["due_date"] < b.as_of)
    late_kr = unresolved & provider.isin(["at_risk", "off_track"])
    blocked = unresolved & (status == "blocked")
    risk = np.select([blocked, overdue, late_kr], ["blocked", "overdue", "at_risk"], "ok")
    days = (b.as_of - d["due_date"]).dt.days
    reason = np.select(
        [blocked, overdue, late_kr],
        ["marked blocked", "due " + days.astype("Int64").astype(str) + " days ago",
         "the provider's key result is " + provider.fillna("").str.replace("_", " ")],
        "",
    )  # fmt: skip
    cols = ["team", "depends_on_team", "kr_id", "depends_on_kr_id", "description", "due_date"]
    return d[cols].assign(status=status, risk=risk, reason=reason)
