"""Work items with their own title and an optional parent objective (one row per item).

Modelled on Tarides' okra objective database (github tmcgilchrist/okra, the admin data file
``team-objectives.csv``: ``id,title,status,quarter,team,pillar,objective,funder,labels,
progress``). ``title`` is the row's own title and ``objective`` names the objective the row
sits under (empty when the row is itself an objective):

* a row with a parent objective is a key result under it: the parent is found by id, else by
  title, among the sheet's rows (taking that row's quarter and team when its own are empty);
  a parent not in the sheet is an objective of that title;
* a row without one is an objective of its own (no key result);
* ``quarter`` is the period as written (``Q2 2024``); ``Rolling`` and the like are no dated
  period: staging keeps such objectives aside and lists them;
* ``pillar`` groups teams (the department); ``progress`` is the tool's own figure, kept as text
  in the key result's ``progress`` (staging types it) and, as the tool's figure shown beside
  OKR Pulse's, in its ``source_progress``; ``funder`` and ``labels`` are not used.

>>> import pandas as pd
>>> from okrdata.sources import reshape
>>> f = pd.DataFrame({"id": ["#1", "#2"], "title": ["Grow", "Ten deals"],
...                   "quarter": ["Q2 2024", None], "team": ["Sales", None],
...                   "objective": [None, "#1"]})
>>> reshape(f, "o.csv")[1].tables["okrs"][["objective_id", "kr_id",
...     "key_result", "quarter"]].values.tolist()
[['#1', <NA>, <NA>, 'Q2 2024'], ['#1', '#2', 'Ten deals', 'Q2 2024']]
"""

from __future__ import annotations

import duckdb

from okrdata.sources import Adapter, Claim, Context, Converted, Sample

ITEMS = {"id", "title", "quarter", "objective"}  # and a team, usually
_TEAM = ("team", "teams", "squad")
_PARENT = ("objective", "parent objective")
_USED = {"id", "title", "quarter", "objective", "parent objective", "team", "teams", "squad",
         "pillar", "status", "progress", "owner"}  # fmt: skip
# columns of an okrs sheet proper: with one of them the sheet is no list of work items
_KR_COLUMNS = {"key result", "kr", "key results", "key result title", "kr title", "kr id",
               "key result id", "objective id", "objective title"}  # fmt: skip


def identify(sample: Sample) -> Claim | None:
    names = set(sample.names)
    if not ITEMS <= names or names & _KR_COLUMNS:
        return None
    team = {t for t in _TEAM if t in names}  # without one: a team's own list (see ingest)
    return 100.0 + len(ITEMS) + len(team), sample.named(sorted(ITEMS | team))


def stage(con: duckdb.DuckDBPyConnection, ctx: Context) -> Converted | None:
    """The okrs table in SQL: objective rows as they are, each key result row with its parent
    row's id, title, owner and (where its own are empty) quarter, team and pillar."""
    has_team = any(t in ctx.positions for t in _TEAM)
    rows = f"""
        select _pos, {ctx.text("id")} as id, {ctx.text("title")} as title,
               {ctx.text(*_PARENT)} as parent, {ctx.text("quarter")} as quarter,
               {ctx.text(*_TEAM)} as team, {ctx.text("pillar")} as dept,
               {ctx.text("owner")} as owner, {ctx.text("status")} as status,
               {ctx.text("progress")} as progress
        from {ctx.relation}"""
    # a parent is found by id, else by title (of two rows with one id or title: the last)
    okrs = f"""
        with s as ({rows}),
        by_id as (select id as key, max(_pos) as at from s where id is not null group by id),
        by_title as (select lower(title) as key, max(_pos) as at from s
                     where title is not null group by 1),
        home as (select s._pos, coalesce(i.at, t.at) as at from s
                 left join by_id i on i.key = s.parent
                 left join by_title t on t.key = lower(s.parent) where s.parent is not null)
        select s._pos, s.id as objective_id, s.title as objective, s.quarter,
               {"s.team," if has_team else ""} s.dept as department, s.owner as objective_owner,
               NULL as kr_id, NULL as key_result, NULL as kr_owner, NULL as status,
               NULL as progress, NULL as source_progress
        from s where s.parent is null
        union all by name
        select s._pos, p.id as objective_id, coalesce(p.title, s.parent) as objective,
               coalesce(s.quarter, p.quarter) as quarter,
               {"coalesce(s.team, p.team) as team," if has_team else ""}
               coalesce(s.dept, p.dept) as department, p.owner as objective_owner,
               s.id as kr_id, s.title as key_result, s.owner as kr_owner, s.status,
               s.progress, s.progress as source_progress
        from s join home h using (_pos) left join s p on p._pos = h.at"""
    got = con.execute(f"""
        with s as ({rows})
        select coalesce(list(_pos order by _pos) filter (where parent is not null), []),
               coalesce(list(_pos order by _pos) filter (where parent is null), []),
               coalesce(list(_pos order by _pos)
                        filter (where parent is null and progress is not null), [])
        from s""").fetchone()  # fmt: skip
    krs, objectives, done = got if got else ([], [], [])
    notes: list[tuple[str, list[int]]] = []
    if krs:
        notes.append(("rows with a parent objective are key results under it ({rows})", krs))
    if objectives:
        notes.append(("rows without a parent objective are objectives of their own ({rows})",
                      objectives))  # fmt: skip
    if done:
        notes.append(("the tool's progress on objective rows ({rows}) is not used: the "
                      "progress an objective shows is its key results'", done))  # fmt: skip
    unused = [name for norm, name in ctx.names.items() if norm not in _USED]
    return Converted({"okrs": okrs}, unused=unused, notes=notes)


ADAPTER = Adapter("work_items", "a list of work items with parent objectives (okra)", identify,
                  stage=stage)  # fmt: skip
