"""A monday.com board exported with "Export board to Excel": items and their subitems, group by
group.

Modelled on the layout of that export as a public parser of it reads it (github
nworbdier/orderly_flow ``src/lib/excel-import.js`` and its ``IMPORT_GUIDE.md``): the board's
name on row 1, then a group's title on a row of its own; the header ``Name, Subitems, <the
board's columns…>, Item ID (auto generated)``; the group's item rows (``Subitems`` lists each
item's subitems by name); after an item that has subitems, a header ``Subitems, Name, <the
subitems' columns…>`` and the subitem rows, one column to the right (column A empty); the
group's title and the header again for each further group.

Read as OKRs: an item is an objective (its id monday's ``Item ID``), a subitem a key result of
the item above it. Columns by name: ``Owner`` (``Person``, ``People``) the owner, ``Status``
(monday's ``Working on it``, ``Stuck``, ``Done``: staging's words) a key result's status,
``Timeline`` (``2026-07-01 - 2026-09-30``, split at its `` - ``) an item's start and end dates,
else ``Date`` its end date; ``Team`` the team; an item's ``Progress`` its progress in monday
(``objective_source_progress``), a subitem's ``Current``, ``Target``, ``Start``, ``Progress``,
``Weight`` its values. The period is a ``Quarter`` column, else the item's group when the
group's title names one (``Q3 2026``), else the Timeline's dates; without a team column the
import asks for the team. Group titles, repeated headers and subitems headers are set aside
with their reason. Values stay text: staging types them.
"""

from __future__ import annotations

import re

import duckdb

from okrdata.columns import normalise
from okrdata.sources import Adapter, Claim, Context, Converted, Sample, _sql
from okrdata.sources.outline import period_in

_UNNAMED = re.compile(r"column( \d+)?")  # a column the header leaves unnamed (past its end)
_OWNER = ("owner", "person", "people", "assignee")
# an item's columns (objectives) and a subitem's (key results), by role: the first present wins
_ITEM = {
    "objective_id": ("item id",),
    "objective_owner": _OWNER,
    "team": ("team", "teams"),
    "quarter": ("quarter", "period"),
    "timeline": ("timeline",),
    "date": ("date", "due date", "end date", "deadline"),
    "objective_source_progress": ("progress",),
}
_SUB = {
    "kr_id": ("item id",),
    "kr_owner": _OWNER,
    "status": ("status",),
    "start_value": ("start", "start value", "baseline"),
    "current_value": ("current", "current value", "numbers", "actual"),
    "target_value": ("target", "target value", "goal"),
    "progress": ("progress",),
    "weight": ("weight",),
}
ASIDE = {  # the reasons the ledger gives for rows set aside (plurals in ``ledger.PLURALS``)
    "subhead": "subitems header row",
    "group": "group title row",
    "head": "repeated header row",
    "lost": "without an item name (column A empty, and no subitems header above)",
}


def identify(sample: Sample) -> Claim | None:
    names = sample.names
    if names[:2] != ["name", "subitems"]:
        return None
    return 100.0 + len(names[2:]) / 100, sample.named(["name", "subitems", "item id"])


def _literal(label: str) -> str:
    """A period label ``period_in`` found (letters, digits, spaces, ``'``, ``-``, ``/``) as SQL."""
    return "'" + label.replace("'", "''") + "'"


def _first(positions: dict[str, int], names: tuple[str, ...]) -> int | None:
    return next((positions[n] for n in names if n in positions and positions[n] >= 2), None)


def stage(con: duckdb.DuckDBPyConnection, ctx: Context) -> Converted | None:
    """The okrs table in SQL: each row's kind (item, subitem, group title, header, subitems
    header), each subitem's item and subitems header (the last above it), each item's group."""
    width = len(ctx.positions)
    cell = [f"nullif({_sql.strip(f'c{i}')}, '')" for i in range(width)]
    filled = " + ".join(f"(case when {c} is not null then 1 else 0 end)" for c in cell)
    above = "rows between unbounded preceding and 1 preceding"
    rows = f"""
        with r as (
            select _pos, {", ".join(f"{c} as v{i}" for i, c in enumerate(cell))},
                   {filled} as filled,
                   lower(coalesce({cell[0]}, '')) = 'name'
                   and lower(coalesce({cell[1]}, '')) = 'subitems' as is_head,
                   lower(coalesce({cell[0]}, '')) = 'subitems'
                   and lower(coalesce({cell[1]}, '')) = 'name' as is_subhead
            from {ctx.relation}),
        m as (
            select *, lead(is_head) over (order by _pos) as head_next,
                   max(case when v0 is not null then _pos end) over (order by _pos {above})
                       as marker
            from r),
        k as (
            select m.*, case
                when m.is_head then 'head' when m.is_subhead then 'subhead'
                when m.v0 is not null and m.filled = 1 and coalesce(m.head_next, false)
                    then 'group'
                when m.v0 is not null then 'item'
                when m.v1 is not null and p.is_subhead then 'sub'
                else 'lost' end as kind
            from m left join m p on p._pos = m.marker),
        s as (
            select *, max(case when kind = 'group' then _pos end) over (order by _pos) as grp,
                   max(case when kind = 'item' then _pos end) over (order by _pos) as item,
                   max(case when kind = 'subhead' then _pos end) over (order by _pos) as sh
            from k)
        select * replace (case when kind = 'sub' and (item is null or sh is null
                                                      or sh < item) then 'lost'
                               else kind end as kind)
        from s"""
    # a subitem under a subitems header of no item (before any item) is no key result: 'lost'
    got = con.execute(f"""
        with t as ({rows})
        select _pos, kind, {", ".join(f"v{i}" for i in range(width))} from t
        where kind in ('group', 'subhead') order by _pos""").fetchall()
    # the groups' periods: the first group's title is above the header, the others are rows
    labels: dict[int, str] = {}
    first = period_in(ctx.above[-1]) if len(ctx.above) >= 2 else None
    if first:
        labels[-1] = first
    # each distinct subitems header: its names as written, and the rows holding it
    subheads: dict[tuple[str, ...], tuple[list[str], list[int]]] = {}
    for pos, kind, *cells in got:
        if kind == "group" and (label := period_in(str(cells[0]))):
            labels[pos] = label
        if kind == "subhead":
            written = ["" if c is None else str(c) for c in cells]
            names = tuple(normalise(c) for c in written)
            subheads.setdefault(names, (written, []))[1].append(pos)
    group_label = "case coalesce(grp, -1) {} end".format(
        " ".join(f"when {p} then {_literal(v)}" for p, v in labels.items()) or "when -2 then NULL"
    )

    def item_col(role: str) -> str:
        at = _first(ctx.positions, _ITEM[role])
        return "NULL::VARCHAR" if at is None else f"v{at}"

    def sub_col(role: str) -> str:
        whens = []
        for names, (_, at) in subheads.items():
            where = {n: i for i, n in enumerate(names) if n}
            found = _first(where, _SUB[role])
            if found is not None:
                whens.append(f"when sh in ({', '.join(map(str, at))}) then v{found}")
        return f"case {' '.join(whens)} end" if whens else "NULL::VARCHAR"

    has_team = _first(ctx.positions, _ITEM["team"]) is not None
    has_quarter = _first(ctx.positions, _ITEM["quarter"]) is not None or bool(labels)
    timeline, date = item_col("timeline"), item_col("date")
    items = f"""
        select _pos, kind, item, {item_col("objective_id")} as objective_id, v0 as objective,
               coalesce({item_col("quarter")}, {group_label}) as quarter,
               {item_col("team")} as team, {item_col("objective_owner")} as objective_owner,
               {item_col("objective_source_progress")} as objective_source_progress,
               nullif({_sql.strip(f"split_part({timeline}, ' - ', 1)")}, '') as start_date,
               coalesce(nullif({_sql.strip(f"split_part({timeline}, ' - ', 2)")}, ''),
                        {date}) as end_date
        from t"""
    own = ["objective_id", "objective", "objective_owner", "objective_source_progress",
           "start_date", "end_date", *(["team"] if has_team else []),
           *(["quarter"] if has_quarter else [])]  # fmt: skip
    okrs = f"""
        with t as ({rows}), i as ({items})
        select _pos, {", ".join(own)} from i where kind = 'item'
        union all by name
        select t._pos, {", ".join(f"i.{c}" for c in own if c != "objective_source_progress")},
               t.v1 as key_result, {", ".join(f"{sub_col(r)} as {r}" for r in _SUB)}
        from t join i on i._pos = t.item where t.kind = 'sub'"""
    fates = con.execute(f"""
        with t as ({rows})
        select kind, list(_pos order by _pos) from t
        where kind not in ('item', 'sub') group by kind""").fetchall()
    aside = [(list(at), ASIDE[kind]) for kind, at in sorted(fates, key=lambda f: min(f[1]))]
    # columns: one used by the items, or by the subitems under the same name, is used
    item_used = {p for role in _ITEM if (p := _first(ctx.positions, _ITEM[role])) is not None}
    sub_used: dict[int, set[str]] = {}
    sub_unused: list[str] = []
    for names, written in ((n, w) for n, (w, _) in subheads.items()):
        where = {n: i for i, n in enumerate(names) if n}
        for role in _SUB:
            if (p := _first(where, _SUB[role])) is not None:
                sub_used.setdefault(p, set()).add(names[p])
        sub_unused += [written[p] for n, p in where.items() if p >= 2 and p not in sub_used
                       and written[p] not in sub_unused]  # fmt: skip
    unused, items_own = [], []
    for norm, p in ctx.positions.items():
        if p == 0 or p in item_used:
            continue
        if norm in sub_used.get(p, set()):
            items_own.append(ctx.names[norm])  # the subitems' column of the same name
        elif not (_UNNAMED.fullmatch(norm) and p in sub_used):
            unused.append(ctx.names[norm])
    notes: list[tuple[str, list[int]]] = [
        ("items are objectives, subitems their key results", []),
    ]
    if labels:
        notes.append((f"the quarter is taken from the group's title ({', '.join(labels.values())}) "
                      "where no Quarter column gives it", []))  # fmt: skip
    if items_own:
        notes.append((f"an item's own {', '.join(items_own)} not used: an objective shows its "
                      "key results' progress", []))  # fmt: skip
    if sub_unused:
        notes.append((f"subitems' columns not used: {', '.join(sub_unused)}", []))
    return Converted({"okrs": okrs}, unused=unused, notes=notes, aside=aside)


ADAPTER = Adapter(
    "board",
    "a monday.com board export (items and subitems, group by group)",
    identify,
    stage=stage,
    own_blocks=True,
)
