"""A goal tree written one level per column: ``Main, L1, L2, …``, each row's title in the column
of its level, the rows in tree order.

Modelled on Goalscape's CSV import and export (https://goalscape.tenderapp.com/kb/
general-questions/requirements-for-goalscape-csv-import-source-file): row 2 holds the main
goal in ``Main``, each further row a subgoal in ``L1`` … ``Ln`` under the nearest row above one
level up, and attribute columns by name in any order (``Importance``, ``Progress``, ``Start
Date``, ``Due Date``, ``Notes``, …).

Read as OKRs: the main goal and the ``L1`` goals are objectives (each ``L1`` aligned to the main
goal, by its title); an ``L2`` goal is a key result of the ``L1`` objective above it, with its
``Progress`` (0–100) as progress and its ``Importance`` as weight; deeper goals are work, kept
aside under their key result. Start and due dates decide the period; a goal without its own
dates takes its objective's. Values stay text: staging types them. There is no team column:
the sheet's or file's name names the team, as for any one team's sheet.
"""

from __future__ import annotations

import re

import duckdb

from okrdata.sources import Adapter, Claim, Context, Converted, Sample

_LEVEL = re.compile(r"l(\d+)")
_USED = {"main", "importance", "progress", "start date", "due date", "end date", "owner", "team"}


def identify(sample: Sample) -> Claim | None:
    names = set(sample.names)
    if "main" not in names or "l1" not in names:
        return None
    return 100.0 + sum(1 for n in names if _LEVEL.fullmatch(n)), sample.named(["main", "l1", "l2"])


def stage(con: duckdb.DuckDBPyConnection, ctx: Context) -> Converted | None:
    """The okrs and work tables in SQL. A row's depth is its first level column with a title;
    its ancestor at a shallower depth ``k`` is the last row above it of depth ``k`` or less,
    when that row is of depth ``k`` (a shallower one closes the branch)."""
    levels = ["main", *sorted((n for n in ctx.positions if _LEVEL.fullmatch(n)),
                              key=lambda n: (len(n), n))]  # fmt: skip
    cells = [ctx.text(n) for n in levels]
    depth = " ".join(f"when {c} is not null then {d}" for d, c in enumerate(cells))
    # the last row above of depth k or less, for k = 0 (main), 1 (objective), 2 (key result)
    last = ", ".join(
        f"max(case when depth <= {k} then _pos end) over (order by _pos rows between "
        f"unbounded preceding and 1 preceding) as up{k}"
        for k in range(3)
    )
    ancestors = ", ".join(
        f"case when u.depth > {k} and a{k}.depth = {k} then u.up{k} end as at{k}" for k in range(3)
    )
    joins = " ".join(f"left join r a{k} on a{k}._pos = u.up{k}" for k in range(3))
    tree = f"""
        with r as (
            select _pos, case {depth} end as depth, coalesce({", ".join(cells)}) as title,
                   {ctx.text("start date")} as start_date,
                   {ctx.text("due date", "end date")} as end_date,
                   {ctx.text("owner")} as owner, {ctx.text("team")} as team,
                   {ctx.text("progress")} as progress, {ctx.text("importance")} as weight
            from {ctx.relation}),
        u as (select *, {last} from r),
        t as (
            select u.*, {ancestors} from u {joins})
        select t.*, m.title as main_title, o.title as objective, o.start_date as o_start,
               o.end_date as o_end, o.team as o_team, o.owner as o_owner, k.title as kr_title
        from t left join r m on m._pos = t.at0 left join r o on o._pos = t.at1
        left join r k on k._pos = t.at2"""
    has_team = "team" in ctx.positions  # else one team's tree: the import names the team
    team = "team," if has_team else ""
    okrs = f"""
        with t as ({tree})
        select _pos, title as objective, start_date, end_date, owner as objective_owner, {team}
               main_title as parent_objective_id
        from t where depth in (0, 1)
        union all by name
        select _pos, objective, coalesce(o_start, start_date) as start_date,
               coalesce(o_end, end_date) as end_date, {"o_team as team," if has_team else ""}
               o_owner as objective_owner, main_title as parent_objective_id,
               title as key_result, owner as kr_owner, progress, weight
        from t where depth = 2"""
    work = f"""
        with t as ({tree})
        select _pos, objective, NULL as kr_id,
               title || coalesce(' (under ' || kr_title || ')', '') as title,
               NULL as objective_id, team, NULL as period
        from t where depth > 2"""
    got = con.execute(f"""
        with t as ({tree})
        select coalesce(list(_pos order by _pos) filter (where depth > 2), []),
               coalesce(list(_pos order by _pos) filter (where depth is null), [])
        from t""").fetchone()  # fmt: skip
    below, blank = got if got else ([], [])
    notes = [("goals below L2 are work, kept aside ({rows})", below)] if below else []
    aside = [(blank, "no goal title in any level column")] if blank else []
    used = {*_USED, *levels}
    unused = [name for norm, name in ctx.names.items() if norm not in used]
    return Converted({"okrs": okrs, "work": work}, unused=unused, notes=notes, aside=aside)


ADAPTER = Adapter("levels", "a goal tree, one level per column (Goalscape)", identify,
                  stage=stage)  # fmt: skip
