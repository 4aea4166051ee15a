"""The Dependencies page's graph and tables at any size: never more than ``MAX_NODES`` marks.

- ``MAX_NODES`` teams or fewer in the selection: every team and dependency.
- A chosen team with more partners: the team and the partners of its most severe unresolved
  dependencies (blocked, overdue, at risk, then the others), up to ``MAX_NODES`` teams.
- A chosen department with more teams: its dependencies at risk, between at most
  ``MAX_NODES`` teams (``views.focus_graph``).
- The whole company with more teams: one mark per department, an arrow from a department whose
  teams wait on another's, the worst unresolved risk between them, and a table of the pairs
  (a click on a department opens it).

Tables name key results by their titles (the CSV keeps the ids too) and a dependency's own
status with a symbol and words: ✕ blocked, ● committed, ○ open, ✓ done.

>>> from okrdata.ingest import load_dir
>>> from okrdata import views
>>> ds = load_dir("sample_data").dataset
>>> b = views.base(ds, "2026-Q4", pd.Timestamp("2026-11-16"))
>>> m = dependency_map(b, views.Filters("2026-Q4"))
>>> m.level, len(m.nodes) <= MAX_NODES, m.at_risk[["team", "state"]].iloc[0].tolist()
('team', True, ['Onboarding', '✕ blocked'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from okrdata import display, views
from okrdata.model import UNASSIGNED

if TYPE_CHECKING:
    from okrdata.views import Base, Filters

MAX_NODES = 40  # what a person can follow in one graph
STATES = {"blocked": "✕ blocked", "committed": "● committed", "open": "○ open", "done": "✓ done"}
TABLE_COLUMNS = ["team", "key_result", "depends_on_team", "provider_key_result", "state", "risk",
                 "reason", "due_date", "description"]  # fmt: skip


@dataclass(frozen=True)
class DependencyMap:
    level: str  # "team" or "department": what a mark of the graph is
    nodes: pd.DataFrame  # team (a team or a department), department, risk, open_in, open_out
    edges: pd.DataFrame  # team, depends_on_team, risk (one row per arrow)
    note: str  # what the graph shows, when it is not every team ("" when it is)
    at_risk: pd.DataFrame  # TABLE_COLUMNS and the ids: unresolved and blocked, overdue or at risk
    every: pd.DataFrame  # TABLE_COLUMNS and the ids: every dependency of the selection
    between: pd.DataFrame  # departments: from, to, dependencies, unresolved, worst risk
    dep: views.Dependencies  # the selection's dependencies: bottlenecks and cycles


def _titled(edges: pd.DataFrame, title: pd.Series) -> pd.DataFrame:
    """The dependencies with their key results' titles (``title``: by KR id) and their status
    in words."""
    out = edges.assign(
        key_result=edges["kr_id"].map(title).fillna(edges["kr_id"]),
        provider_key_result=edges["depends_on_kr_id"].map(title).fillna(edges["depends_on_kr_id"]),
        state=edges["status"].map(lambda s: STATES.get(str(s), display.words(s))),
    )
    return out[[*TABLE_COLUMNS, "kr_id", "depends_on_kr_id", "status"]].reset_index(drop=True)


def _worst(risks: pd.Series) -> str:
    return max(risks, key=views.RISK_ORDER.index) if len(risks) else "ok"


def _departments(dep: views.Dependencies) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One node per department, one arrow per pair of departments, and the pairs as a table."""
    dept = dep.nodes.set_index("team")["department"]
    e = dep.edges.assign(source=dep.edges["team"].map(dept).fillna(UNASSIGNED),
                         target=dep.edges["depends_on_team"].map(dept).fillna(UNASSIGNED))  # fmt: skip
    e = e.assign(unresolved=e["status"] != "done")
    open_risk = e["risk"].where(e["unresolved"], "ok")
    pairs = (
        e.assign(open_risk=open_risk)
        .groupby(["source", "target"], sort=True)
        .agg(
            dependencies=("team", "size"),
            unresolved=("unresolved", "sum"),
            risk=("open_risk", _worst),
        )  # fmt: skip
        .reset_index()
    )
    teams = dep.nodes.groupby("department")["team"].size()
    unresolved = e[e["unresolved"]]
    nodes = pd.DataFrame({"team": sorted(teams.index)})
    nodes["department"] = nodes["team"].map(lambda d: display.count(int(teams[d]), "team"))
    worst = unresolved.groupby("source")["risk"].agg(_worst)
    nodes["risk"] = nodes["team"].map(worst).fillna("ok")
    nodes["open_in"] = nodes["team"].map(unresolved["target"].value_counts()).fillna(0).astype(int)
    nodes["open_out"] = nodes["team"].map(unresolved["source"].value_counts()).fillna(0).astype(int)
    if len(nodes) > MAX_NODES:  # the departments with the most unresolved dependencies
        busy = (nodes["open_in"] + nodes["open_out"]).sort_values(ascending=False, kind="stable")
        nodes = nodes.loc[sorted(busy.index[:MAX_NODES])]
    kept = set(nodes["team"])
    arrows = pairs[(pairs["source"] != pairs["target"]) & pairs["source"].isin(kept)
                   & pairs["target"].isin(kept)]  # fmt: skip
    arrows = arrows.rename(columns={"source": "team", "target": "depends_on_team"})
    between = pairs.rename(columns={"source": "department", "target": "waits_on_department"})
    between = between.sort_values(["unresolved", "dependencies"], ascending=False, kind="stable")
    return (
        nodes.reset_index(drop=True),
        arrows.reset_index(drop=True),
        between.reset_index(drop=True),
    )


def _neighbourhood(dep: views.Dependencies, team: str) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The team and the partners of its most severe unresolved dependencies."""
    e = dep.edges
    rank = e["risk"].map(views.RISK_ORDER.index) + (e["status"] != "done").astype(int) * 10
    order = rank.sort_values(ascending=False, kind="stable").index
    kept, rows = {team}, []
    for i in order:
        pair = {e.at[i, "team"], e.at[i, "depends_on_team"]}
        if len(kept | pair) > MAX_NODES:
            break
        kept |= pair
        rows.append(i)
    note = (f"{team} works with {len(dep.nodes) - 1:,} teams: the graph shows the "
            f"{len(kept) - 1:,} of its most severe dependencies; the tables list every one.")  # fmt: skip
    return dep.nodes[dep.nodes["team"].isin(kept)], e.loc[rows], note


def dependency_map(b: Base, f: Filters) -> DependencyMap:
    """The graph and tables of the selection's dependencies (``views.dependencies``), at most
    ``MAX_NODES`` marks in the graph."""
    dep = views.dependencies(b, f)
    ids = pd.concat([dep.edges["kr_id"], dep.edges["depends_on_kr_id"]]).dropna().unique()
    krs = b.snap.krs
    krs = krs[krs["kr_id"].isin(ids)].drop_duplicates("kr_id")
    title = krs.set_index("kr_id")["key_result"]
    at_risk, every = _titled(dep.at_risk, title), _titled(dep.edges, title)
    between = pd.DataFrame(columns=["department", "waits_on_department", "dependencies",
                                    "unresolved", "risk"])  # fmt: skip
    if len(dep.nodes) <= MAX_NODES:
        return DependencyMap("team", dep.nodes, dep.edges, "", at_risk, every, between, dep)
    if f.team:
        nodes, edges, note = _neighbourhood(dep, f.team)
        return DependencyMap("team", nodes, edges, note, at_risk, every, between, dep)
    if f.department:
        nodes, edges, note = views.focus_graph(dep.nodes, dep.edges, MAX_NODES)
        return DependencyMap("team", nodes, edges, note, at_risk, every, between, dep)
    nodes, edges, between = _departments(dep)
    note = (f"{len(dep.nodes):,} teams depend on each other: the graph shows their "
            f"{display.count(len(nodes), 'department')}, an arrow where a department's teams "
            "wait on another's. Click a department to see its teams.")  # fmt: skip
    return DependencyMap("department", nodes, edges, note, at_risk, every, between, dep)
