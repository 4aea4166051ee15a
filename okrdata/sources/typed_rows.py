"""Objectives, key results and work items in one list, told apart by a ``Type`` column.

Modelled on two documented formats:

* OKR for Jira (Appfire), its CSV import file (https://appfire.atlassian.net/wiki/spaces/OFJ/
  pages/603652686/Import+OKRs): ``Order, Type, Summary, Status, Period, Owner, Weight, OKR type,
  Labels, Teams, Expected start date, Expected end date, Start value, Current value, Target
  value, Description``. ``Type`` is Objective, Key result or a work item; ``Order`` numbers
  each row under its parent (``1``, ``1.2``, ``1.2.1``); ``Teams`` may name several
  (``Alpha, Beta``: the first is the row's); periods are written ``Q3 Y2025`` and ``Y2025``;
* Betterworks' OKR upload file (https://support.betterworks.com/hc/en-us/articles/
  360032818992-OKR-Uploads): ``name, type, progress, start_date, end_date, owner_email,
  categories, description``, ``type`` = goal or milestone (objective or key result), without
  a parent column: a milestone belongs to the goal row above it.

A row whose type says objective (Objective, Goal, Strategic theme) is an objective, aligned to
the objective its order number sits under; one that says key result (Key result, KR,
Milestone) is a key result of the objective its order number sits under, else of the nearest
objective row above it; any other type (work item, task, epic, initiative) is work, kept
aside under its key result or objective. Values stay text: staging types them. An objective
row's own start, current and target values are no key result's: not used, and the notes say
on which rows.
"""

from __future__ import annotations

import re

import pandas as pd

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import by_norm, text

_TITLE = ("summary", "name", "title")
_OBJ = re.compile(r"objective|goal|strategic theme", re.IGNORECASE)
_KR = re.compile(r"key ?result|^kr$|milestone", re.IGNORECASE)
# columns by role, the first present wins
_ROLES = {
    "quarter": ("period", "quarter", "cycle"),
    "team": ("teams", "team"),
    "owner": ("owner", "owner email", "owner emails", "assignee"),
    "start_date": ("expected start date", "start date"),
    "end_date": ("expected end date", "end date", "due date"),
    "start_value": ("start value", "starting value"),
    "current_value": ("current value",),
    "target_value": ("target value",),
    "progress": ("progress",),
    "status": ("status",),
    "weight": ("weight",),
    "level": ("okr type",),
}


def identify(sample: Sample) -> Claim | None:
    names = set(sample.names)
    title = next((t for t in _TITLE if t in names), None)
    # another tool's or an okrs sheet's own columns: not this shape
    if "type" not in names or title is None or names & {"aligned to", "objective", "key result"}:
        return None
    kinds = sample.values("type")
    # a header alone (looking for the header row) is OKR for Jira's by its Order column
    if not sample.rows and "order" not in names:
        return None
    if sample.rows and not (
        any(_OBJ.search(k) for k in kinds) and any(_KR.search(k) for k in kinds)
    ):
        return None
    found = sample.named(["type", title, *(["order"] if "order" in names else [])])
    return 100.0 + len(found), found


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    f, cols = by_norm(frame)
    title = text(f, *_TITLE)
    kind = text(f, "type").fillna("")
    is_obj = kind.str.contains(_OBJ)
    is_kr = ~is_obj & kind.str.contains(_KR)
    v = {role: text(f, *names) for role, names in _ROLES.items()}
    v["team"] = v["team"].str.split(",").str[0].str.strip()
    order = text(f, "order")
    # each row's objective: by its order number's ancestors, else the objective row above
    pos_of = {str(o): i for i, o in order.items() if pd.notna(o)}
    home: list[int | None] = []
    last_obj: int | None = None
    for i in range(len(f)):
        found: int | None = None
        if pd.notna(order.iloc[i]):
            up = str(order.iloc[i])
            while "." in up and found is None:
                up = up.rsplit(".", 1)[0]
                j = pos_of.get(up)
                found = j if j is not None and is_obj.iloc[j] else None
        elif not is_obj.iloc[i]:
            found = last_obj
        home.append(found)
        if is_obj.iloc[i]:
            last_obj = i
    # a work item's key result: the nearest key result among its order number's ancestors
    kr_of: list[int | None] = []
    for i in range(len(f)):
        up, found = str(order.iloc[i]) if pd.notna(order.iloc[i]) else "", None
        while "." in up and found is None:
            up = up.rsplit(".", 1)[0]
            j = pos_of.get(up)
            found = j if j is not None and is_kr.iloc[j] else None
        kr_of.append(found)

    def of(values: pd.Series, at: list[int | None]) -> pd.Series:
        return pd.Series([pd.NA if j is None else values.iloc[j] for j in at], index=f.index,
                         dtype="string")  # fmt: skip

    oid = order  # the order number is the row's id (none: staging derives one)
    obj_cols = {
        "objective_id": oid, "objective": title, "quarter": v["quarter"], "team": v["team"],
        "start_date": v["start_date"], "end_date": v["end_date"], "level": v["level"],
        "objective_owner": v["owner"],
    }  # fmt: skip
    objs = pd.DataFrame({**obj_cols, "parent_objective_id": of(oid, home), "_pos": f.index})
    krs = pd.DataFrame({
        **{k: of(s, home).fillna(v.get(k, s)) for k, s in obj_cols.items()},
        "parent_objective_id": of(of(oid, home), home), "kr_quarter": v["quarter"],
        "kr_id": oid, "key_result": title, "kr_owner": v["owner"],
        "start_value": v["start_value"], "current_value": v["current_value"],
        "target_value": v["target_value"], "progress": v["progress"], "status": v["status"],
        "weight": v["weight"], "_pos": f.index,
    })  # fmt: skip
    krs["objective_owner"] = of(v["owner"], home)
    krs["level"] = of(v["level"], home)
    okrs = pd.concat([objs[is_obj], krs[is_kr]], ignore_index=True).sort_values("_pos")
    okrs = okrs.reset_index(drop=True)
    work_rows = ~is_obj & ~is_kr
    work = pd.DataFrame({
        "objective_id": of(oid, home), "objective": of(title, home),
        "team": v["team"].fillna(of(v["team"], home)), "period": v["quarter"],
        "kr_id": of(oid, kr_of), "title": title, "_pos": f.index,
    })[work_rows]  # fmt: skip
    if not any(t in f for t in _ROLES["team"]):  # one team's list: the import names it
        okrs = okrs.drop(columns="team")
    tables = {"okrs": okrs, "work": work}
    tables = {
        k: t.astype({c: "string" for c in t.columns if c != "_pos"}) for k, t in tables.items()
    }
    notes: list[tuple[str, list[int]]] = [
        (f"the {cols['type']} column says which rows are objectives ({{rows}})",
         list(f.index[is_obj])),
    ]  # fmt: skip
    numbers = [v[k].notna() for k in ("start_value", "current_value", "target_value")]
    own = is_obj & (numbers[0] | numbers[1] | numbers[2])
    if own.any():
        notes.append(("an objective row's own values ({rows}) are not used: an objective shows "
                      "its key results' progress", list(f.index[own])))  # fmt: skip
    if work_rows.any():
        notes.append(
            ("rows of other types are work, kept aside ({rows})", list(f.index[work_rows]))
        )
    used = {"type", "order", *_TITLE, *(n for names in _ROLES.values() for n in names)}
    unused = [name for norm, name in cols.items() if norm not in used]
    return Converted(tables, unused=unused, notes=notes)


ADAPTER = Adapter(
    "typed_rows",
    "a list of objectives and key results told apart by a Type column (OKR for Jira, Betterworks)",
    identify,
    convert,
)
