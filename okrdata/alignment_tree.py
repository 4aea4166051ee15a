"""The Alignment page's tree as an outline a person reads at 10 and at 20,000 teams.

One row per node, in reading order: each company objective, below it the departments whose
objectives align to it (directly or through a department objective), below each department its
objectives (a team objective under the department objective it aligns to). Objectives linked to
no company objective come last, per department. Every row says its status in words with a symbol
and its progress (a bar on the page); a company or department row says how many objectives it
holds and how many of them are behind pace (at risk or off track). Without a chosen department or team, each department shows its ``PER_GROUP`` objectives
furthest behind pace and one row saying how many more it has (a click opens the department) once the
company has more than ``MAX_FULL`` objectives, so the outline grows with the departments, not
the teams.

>>> from okrdata.ingest import load_dir
>>> from okrdata import views
>>> ds = load_dir("sample_data").dataset
>>> b = views.base(ds, "2026-Q4", pd.Timestamp("2026-11-16"))
>>> tree = outline(b, views.Filters("2026-Q4")).rows
>>> tree.iloc[0][["kind", "label", "team"]].tolist()
['company', 'Expand into two new markets', 'Executive Team']
>>> tree.iloc[1][["kind", "department"]].tolist()
['department', 'Customer Success']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from okrdata import display, metrics
from okrdata.config import Config
from okrdata.model import UNASSIGNED

if TYPE_CHECKING:
    from okrdata.views import Base, Filters

PER_GROUP = 3  # objectives shown per (company objective, department) on a large company
MAX_FULL = 120  # a selection with more objectives than this shows PER_GROUP per department
NOT_LINKED = "Not linked to a company objective"
INDENT = "\u2003\u2003"  # an em space pair per level: leading ASCII spaces are trimmed
COLUMNS = ["kind", "label", "team", "department", "status", "progress", "objectives", "behind",
           "objective_id"]  # fmt: skip


@dataclass(frozen=True)
class AlignmentTree:
    rows: pd.DataFrame  # COLUMNS, in reading order
    summary: str  # one sentence: how many objectives, how many linked to a company objective
    capped: bool  # some departments show only their objectives furthest behind


def _roots(q: pd.DataFrame) -> tuple[dict[str, str | None], dict[str, int]]:
    """Each objective's company objective (following its parents in the quarter, None when the
    chain breaks or has none) and its depth below it (a company objective is 0)."""
    ids = q["objective_id"].tolist()  # lists: iterating Arrow-backed columns is slow
    parent = dict(zip(ids, q["parent_objective_id"].astype(object).tolist(), strict=True))
    level = dict(zip(ids, q["level"].tolist(), strict=True))
    root: dict[str, str | None] = {}
    depth: dict[str, int] = {}
    for oid in parent:
        seen, cur, found = 0, oid, None
        while isinstance(cur, str) and cur in parent and seen <= len(parent):
            if level[cur] == "company":
                found = cur
                break
            cur, seen = parent[cur], seen + 1
        root[oid], depth[oid] = found, seen
    return root, depth


def _path(q: pd.DataFrame) -> dict[str, str]:
    """A sort key that puts each objective right after the objective it aligns to."""
    ids = q["objective_id"].tolist()
    parent = dict(zip(ids, q["parent_objective_id"].astype(object).tolist(), strict=True))
    out: dict[str, str] = {}
    for oid in parent:
        chain, cur = [oid], parent[oid]
        while isinstance(cur, str) and cur in parent and cur not in chain and len(chain) < 20:
            chain.append(cur)
            cur = parent[cur]
        out[oid] = "/".join(reversed(chain))
    return out


def _behind(status: pd.Series) -> int:
    """How many objectives are behind pace (at risk or off track)."""
    return int(status.isin(["at_risk", "off_track"]).sum())


def _group_row(kind: str, label: str, department: str, objs: pd.DataFrame, expected: float,
               config: Config) -> dict:  # fmt: skip
    m = objs["own_progress"]  # the progress of those that own key results (metrics.measured)
    progress = float(m.mean()) if m.notna().any() else np.nan
    status = metrics.status_of([progress], [expected], config)[0]
    return dict(kind=kind, label=label, team=None, department=department, status=status,
                progress=progress, objectives=len(objs), behind=_behind(objs["status"]),
                objective_id=None)  # fmt: skip


def _title(o: pd.Series) -> str:
    """An objective's title, marked with its period when it spans quarters (one id, listed in
    each quarter it covers): "Grow all year (Annual 2026)"."""
    period = o.get("period")
    return str(o["objective"]) + (f" ({period})" if isinstance(period, str) and period else "")


def _objective_row(o: pd.Series, depth: int) -> dict:
    return dict(kind="objective", label=INDENT * depth + "└ " + _title(o),
                team=o["team"], department=o["department"], status=o["status"],
                progress=o["progress"], objectives=None, behind=None,
                objective_id=o["objective_id"])  # fmt: skip


def outline(b: Base, f: Filters, per_group: int = PER_GROUP) -> AlignmentTree:
    """The outline of the selection (``views.Base``, ``views.Filters``); ``per_group`` caps each
    department's objectives when neither a department nor a team is chosen."""
    q = b.objs[b.objs["quarter"] == b.quarter].drop_duplicates("objective_id")
    q = q.assign(department=q["department"].fillna(UNASSIGNED))
    config = b.config
    root, depth = _roots(q)
    path = _path(q)
    q = q.assign(root=q["objective_id"].map(root), depth=q["objective_id"].map(depth),
                 path=q["objective_id"].map(path))  # fmt: skip
    team, dept = f.team, f.department
    sel = q[q["level"] != "company"]
    if team:
        sel = sel[sel["team"] == team]
    elif dept:
        sel = sel[sel["department"] == dept]
    own = sel["progress"].where(sel.index.isin(metrics.measured(sel).index))
    sel = sel.assign(own_progress=own)
    cap = None if team or dept or len(sel) <= MAX_FULL else per_group
    expected = float(q["expected"].max()) if len(q) else np.nan
    companies = q[q["level"] == "company"].sort_values("objective_id")
    rows: list[dict] = []
    capped = False
    groups: list[tuple[pd.Series | None, pd.DataFrame]] = [
        (c, sel[sel["root"] == c["objective_id"]]) for _, c in companies.iterrows()
    ]
    groups.append((None, sel[sel["root"].isna()]))
    for company, under in groups:
        if company is not None:
            if under.empty and (team or dept):
                continue  # a chosen department shows what it aligns to, not every goal
            row = _objective_row(company, 0)
            row.update(kind="company", label=_title(company), objectives=len(under),
                       behind=_behind(under["status"]))  # fmt: skip
            rows.append(row)
        elif not under.empty:
            rows.append(_group_row("unlinked", NOT_LINKED, "", under, expected, config))
        for department, objs in under.groupby("department", sort=True):
            rows.append(_group_row("department", INDENT + str(department), str(department),
                                   objs, expected, config))  # fmt: skip
            shown = objs
            if cap is not None and len(objs) > cap:
                behind = (objs["expected"] - objs["progress"]).fillna(-np.inf)
                shown = objs.loc[behind.sort_values(ascending=False, kind="stable").index[:cap]]
                capped = True
            ids = set(shown["objective_id"])
            for _, o in shown.sort_values("path").iterrows():
                up = o["parent_objective_id"]
                nested = isinstance(up, str) and up in ids
                rows.append(_objective_row(o, 3 if nested else 2))
            if len(shown) < len(objs):
                more = len(objs) - len(shown)
                rows.append(dict(kind="more", label=f"{INDENT * 2}… and {more:,} more: click to see them",
                                 team=None, department=department, status="", progress=np.nan,
                                 objectives=more, behind=None, objective_id=None))  # fmt: skip
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["progress"] = frame["progress"].astype(float)
    frame["objectives"] = frame["objectives"].astype("Int64")
    frame["behind"] = frame["behind"].astype("Int64")
    linked = int(sel["root"].notna().sum())
    summary = (f"{display.count(len(sel), 'objective')} below company level: "
               f"{linked:,} linked to a company objective, {len(sel) - linked:,} not linked.")  # fmt: skip
    return AlignmentTree(frame, summary, capped)
