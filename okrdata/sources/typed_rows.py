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

import duckdb

from okrdata.sources import Adapter, Claim, Context, Converted, Sample

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


def stage(con: duckdb.DuckDBPyConnection, ctx: Context) -> Converted | None:
    """The okrs and work tables in SQL. Each row's objective: the nearest ancestor of its order
    number (``1.2.1`` -> ``1.2`` -> ``1``) whose row (the last of that number) is an objective;
    a row without an order number that is no objective: the objective row above it. A work
    item's key result: the nearest ancestor that is a key result."""
    roles = ", ".join(f"{ctx.text(*names)} as {role}" for role, names in _ROLES.items())
    rows = f"""
        with r as (
            select _pos, {ctx.text(*_TITLE)} as title, coalesce({ctx.text("type")}, '') as kind,
                   {ctx.text("order")} as ord, {roles}
            from {ctx.relation}),
        s as (
            select * replace (trim(string_split(team, ',')[1]) as team),
                   regexp_matches(kind, '{_OBJ.pattern}', 'i') as is_obj,
                   not regexp_matches(kind, '{_OBJ.pattern}', 'i')
                   and regexp_matches(kind, '{_KR.pattern}', 'i') as is_kr,
                   max(case when regexp_matches(kind, '{_OBJ.pattern}', 'i') then _pos end)
                       over (order by _pos rows between unbounded preceding and 1 preceding)
                       as obj_above
            from r),
        numbered as (select ord, max(_pos) as last from s where ord is not null group by ord),
        up as (
            select s._pos, k, j.is_obj, j.is_kr, j._pos as anc
            from (select _pos, ord, unnest(range(1, len(string_split(ord, '.')))) as k
                  from s where ord is not null) s
            join numbered n on n.ord = array_to_string(string_split(s.ord, '.')[1:k], '.')
            join s j on j._pos = n.last),
        found as (
            select _pos, arg_max(anc, k) filter (where is_obj) as obj_of,
                   arg_max(anc, k) filter (where is_kr) as kr_of
            from up group by _pos),
        h as (
            select s.*, case when s.ord is not null then f.obj_of
                             when not s.is_obj then s.obj_above end as home,
                   f.kr_of
            from s left join found f using (_pos))
        select h.*, o.ord as o_ord, o.title as o_title, o.quarter as o_quarter,
               o.team as o_team, o.start_date as o_start, o.end_date as o_end,
               o.level as o_level, o.owner as o_owner, oo.ord as oo_ord, k.ord as k_ord
        from h left join h o on o._pos = h.home left join h oo on oo._pos = o.home
        left join h k on k._pos = h.kr_of"""
    has_team = any(t in ctx.positions for t in _ROLES["team"])  # else the import names it
    okrs = f"""
        with t as ({rows})
        select _pos, ord as objective_id, title as objective, quarter,
               {"team," if has_team else ""} start_date, end_date, level,
               owner as objective_owner, o_ord as parent_objective_id
        from t where is_obj
        union all by name
        select _pos, coalesce(o_ord, ord) as objective_id, coalesce(o_title, title) as objective,
               coalesce(o_quarter, quarter) as quarter,
               {"coalesce(o_team, team) as team," if has_team else ""}
               coalesce(o_start, start_date) as start_date, coalesce(o_end, end_date) as end_date,
               o_level as level, o_owner as objective_owner, oo_ord as parent_objective_id,
               quarter as kr_quarter, ord as kr_id, title as key_result, owner as kr_owner,
               start_value, current_value, target_value, progress, status, weight
        from t where is_kr"""
    work = f"""
        with t as ({rows})
        select _pos, o_ord as objective_id, o_title as objective,
               coalesce(team, o_team) as team, quarter as period, k_ord as kr_id, title
        from t where not is_obj and not is_kr"""
    got = con.execute(f"""
        with t as ({rows})
        select coalesce(list(_pos order by _pos) filter (where is_obj), []),
               coalesce(list(_pos order by _pos) filter (where is_obj and (start_value is not null
                   or current_value is not null or target_value is not null)), []),
               coalesce(list(_pos order by _pos) filter (where not is_obj and not is_kr), [])
        from t""").fetchone()  # fmt: skip
    objectives, own, work_rows = got if got else ([], [], [])
    notes: list[tuple[str, list[int]]] = [
        (f"the {ctx.names['type']} column says which rows are objectives ({{rows}})", objectives),
    ]
    if own:
        notes.append(("an objective row's own values ({rows}) are not used: an objective shows "
                      "its key results' progress", own))  # fmt: skip
    if work_rows:
        notes.append(("rows of other types are work, kept aside ({rows})", work_rows))
    used = {"type", "order", *_TITLE, *(n for names in _ROLES.values() for n in names)}
    unused = [name for norm, name in ctx.names.items() if norm not in used]
    return Converted({"okrs": okrs, "work": work}, unused=unused, notes=notes)


ADAPTER = Adapter(
    "typed_rows",
    "a list of objectives and key results told apart by a Type column (OKR for Jira, Betterworks)",
    identify,
    stage=stage,
)
