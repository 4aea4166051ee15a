"""Goals in a long layout, linked by parent ids (one row per goal).

Modelled on the goal exports of tools that keep objectives and key results as one kind of goal
(``Goal ID, Parent Goal IDs, Goal Title, Goal Cycle, Goal Type, Starting Value, Target Value,
Current Value, Progress Status, Owner Emails``, as WorkBoard-style and Perdoo-style goal lists
export them): a goal with a target value under a parent goal is a key result of its (first)
parent; other goals are objectives, aligned to their first parent. The team comes from a
``Team`` column when there is one, else the first of ``Departments``, else "Unassigned"
(owners are people, never teams).

Peoplebox's goals import (V2, https://help.peoplebox.ai/hc/peoplebox-help-center/articles/
1756218434-goals-import-via-csv-v2) writes new goals with a ``Row ID`` and ``Parent Row IDs``
and no ``Goal ID``: the row ids then stand for the goal ids. Its ``Goal Cycle`` is a cycle word
(``Quarterly``, ``Annually``) and its ``Start Date`` / ``End Date`` decide the period; its
``Goal Type`` says how a goal is measured (``Number``, ``Dollar``, ``Euro``, ``Custom
Percent``, ``Binary``): a currency or percent is the key result's unit, ``Binary`` its metric
type, and such a word is no objective's type (other words are read as before);
``Progress Status`` is a key result's status.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import has_all

LONG = {"goal id", "parent goal ids", "goal title", "goal cycle"}
_LONG_USED = {"goal id", "parent goal ids", "goal title", "goal cycle", "goal type", "team",
              "starting value", "target value", "current value", "owner emails", "row id",
              "parent row ids", "start date", "end date", "departments",
              "progress status"}  # fmt: skip
# a Goal Type naming how a goal is measured: the key result's unit or kind, as text
_MEASURE_UNIT = {"dollar": "$", "euro": "€", "pound": "£", "rupee": "₹", "custom percent": "%",
                 "percent": "%", "percentage": "%"}  # fmt: skip
_MEASURES = ("binary", "number", "default progress", "currency", "custom", "milestone")


def _first(column: str) -> str:
    """The first of a cell's comma/semicolon/pipe-separated values, empty as NULL (SQL)."""
    return f"nullif(trim(string_split_regex({column}, '[,;|]')[1]), '')"


def _words(words: Iterable[str]) -> str:
    """Words of this module (no cell's text) as an SQL list."""
    return ", ".join(f"'{w}'" for w in words)


def identify(sample: Sample) -> Claim | None:
    found = has_all(sample, LONG)
    return None if found is None else (100.0 + len(found), found)


def stage(con: duckdb.DuckDBPyConnection, ctx: Context) -> Converted | None:
    """The okrs table in SQL: a goal with a target under a parent goal of the sheet is a key
    result, joined to the first objective row of its parent's id (keeping its own cycle and
    team where that has none); every other goal is an objective row."""
    dept = _first(ctx.col("departments"))
    team = ctx.col("team") if "team" in ctx.positions else f"coalesce({dept}, 'Unassigned')"
    units = " ".join(f"when '{w}' then '{u}'" for w, u in _MEASURE_UNIT.items())
    rows = f"""
        select _pos, coalesce({ctx.col("goal id")}, {ctx.col("row id")}) as goal_id,
               coalesce({_first(ctx.col("parent goal ids"))},
                        {_first(ctx.col("parent row ids"))}) as parent,
               trim(coalesce({ctx.col("target value")}, '')) <> '' as has_target,
               {dept} as dept, {team} as team, {_first(ctx.col("owner emails"))} as owner,
               {ctx.col("goal type")} as goal_type, lower(trim({ctx.col("goal type")})) as kind,
               {ctx.col("goal title")} as title, {ctx.col("goal cycle")} as cycle,
               {ctx.col("start date")} as start_date, {ctx.col("end date")} as end_date,
               {ctx.col("starting value")} as start_value,
               {ctx.col("target value")} as target_value,
               {ctx.col("current value")} as current_value,
               {ctx.col("progress status")} as status
        from {ctx.relation}"""
    okrs = f"""
        with s0 as ({rows}),
        s as (select *, has_target and parent is not null and parent in
                        (select goal_id from s0 where goal_id is not null) as is_kr from s0),
        objs as (
            select _pos, goal_id as objective_id, title as objective, cycle as quarter,
                   start_date, end_date, team, dept as department,
                   parent as parent_objective_id, owner as objective_owner,
                   case when kind in ({_words([*_MEASURE_UNIT, *_MEASURES])}) then NULL
                        else goal_type end as okr_type
            from s where not is_kr),
        by_id as (select * from objs where objective_id is not null
                  qualify row_number() over (partition by objective_id order by _pos) = 1)
        select * from objs
        union all by name
        select s._pos, s.parent as objective_id, o.objective,
               coalesce(o.quarter, s.cycle) as quarter, o.start_date, o.end_date,
               coalesce(o.team, s.team) as team, o.department, o.parent_objective_id,
               o.objective_owner, o.okr_type, s.goal_id as kr_id, s.title as key_result,
               s.owner as kr_owner, s.start_value, s.target_value, s.current_value,
               case s.kind {units} end as unit, s.status,
               case when s.kind = 'binary' then s.kind end as metric_type
        from s left join by_id o on o.objective_id = s.parent where s.is_kr"""
    unused = [name for norm, name in ctx.names.items() if norm not in _LONG_USED]
    return Converted({"okrs": okrs}, unused=unused)


ADAPTER = Adapter("goals_long", "a goals export with parent ids", identify, stage=stage)
