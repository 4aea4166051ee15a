"""Microsoft Viva Goals: the explorer's CSV export.

Modelled on a real export (github matthugh1/MHOKR ``import/Vivagoals.csv``): ``Id, Title, Team,
Creator, Owner, Period, Start Date, End Date, Description, "Aligned To (weight, Objective ID)",
Metric Name, Unit, Target, Object Type, Goal Type, Start, Created At, Last Check-in, Progress %,
Actual Progress, Status, Last Check-in Note, Score, Checkins`` and about 26 unnamed columns
after it, CRLF; and on its newer view without the ``Id`` column. ``Object Type`` tells
objectives from key results and work (deliverables, projects, initiatives), in the words an
admin may choose for them (Microsoft Learn, ``Viva/goals/customize-terminology.md`` in
MicrosoftDocs/Viva: Goal, Theme, Big Rock; Metric, Result; Outcome for either; a public
script, "Make-Biz-Plan", that turns a Viva Goals XLSX export into slides reads Objective,
Outcome, Action); a key result's
``Aligned To`` (``Title(weight: 50%, Id: 123)``) names its objective and weight, an
objective's names its parent. Teams are written ``Puzzel; All Puzzel`` (the first is the
team); the Ally.io-era export has no ``Team`` but ``OKR type`` (Organization, Team,
Individual) and ``Type name``, the page the OKR sits on (the header a public Viva-to-Asana
migration script lists: ``Id, Title, Tag, OKR type, Type name, Creator, Owner, Period, …``). Check-ins are packed one per cell, in ``Checkins`` and the unnamed columns after it,
each written ``Checkin Date: 2025-03-10; User: Roland Green; Note: On track; Metric Name:
Progress; Status: On Track; Current Value: 25%; Activity Date: 2025-03-10 14:02:11 UTC;``
(a note may hold ``;`` and line breaks: the cell is read by its field labels, in any order and
after ``;``, ``,``, ``|`` or a line break; the fields before ``Note`` from the left, each
label's first; after it, from the right, the run of distinct fields not given before it that
ends the check-in; anything else is the note's text). An older,
shorter spelling (``2026-07-14: 35 (On Track) - note``, several to a cell) is read too.

The whole reshape is SQL over the import's view of the sheet (``stage``), never a copy in
pandas: the cells are split by DuckDB's regular expressions (marking each label found, then
splitting on the marks), ``Aligned To`` parents are looked up by joins, and a key result under
a key result climbs to its objective by a recursive query.

Every value stays text: ``Start``, ``Target``, ``Actual Progress`` (the current value) and
``Progress %`` go to staging as written, which types them and, for a key result with no actual
value, places its current value that share of the way from start to target. Viva's own
``Progress %`` of each objective and key result is kept as ``source_progress``.
"""

from __future__ import annotations

import re

import duckdb

from okrdata.sources import Adapter, Claim, Context, Converted, Sample, _sql
from okrdata.sources._shared import has_all

VIVA = {"title", "aligned to"}  # and a "Type" or "Object Type" column
# RE2 (DuckDB's regular expressions) spellings of what Python's ``\s`` and ``\d`` match: every
# Unicode white space (``str.isspace``) and decimal digit, as the pandas reshape read them
_S = (r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
      r"\x{202f}\x{205f}\x{3000}")  # fmt: skip
_D = r"\p{Nd}"
# "Title(weight: 50%, Id: 123), Other(weight: 50%, Id: 124)"; the title may be missing
_ALIGNED = (rf"(?i)([^,(][^(]*?)?[{_S}]*\([{_S}]*weight:[{_S}]*([{_D}.]+)[{_S}]*%?[{_S}]*,"
            rf"[{_S}]*id:[{_S}]*([^)]+?)[{_S}]*\)")  # fmt: skip
# the short spelling: "2026-07-14: 35 (On Track) - note" (date, value, status, comment)
_SHORT = (
    rf"^({_D}{{4}}-{_D}{{2}}-{_D}{{2}}(?:[ T][{_D}:.]+(?:[{_S}]*(?:UTC|Z))?)?"
    rf"|{_D}{{1,2}}/{_D}{{1,2}}/{_D}{{4}}|[A-Z][a-z]{{2,8}} {_D}{{1,2}},? {_D}{{4}})"
    rf"[{_S}]*[:,\-–]?[{_S}]*([^{_S}(\[;]+)?[{_S}]*(?:[(\[]([^)\]]+)[)\]])?[{_S}]*"
    rf"(?:[-–:][{_S}]*)?(.*)$"
)
_SHORT_SPLIT = rf"\n|;|[{_S}]\|[{_S}]"  # several short check-ins to a cell
# the labelled spelling: the fields Viva writes, in its order; the note is free text, so the
# fields before it are read from the left and those after it from the right
_TAIL = ("user", "metric name", "status", "current value", "target value", "confidence",
         "activity date")  # fmt: skip
# a label starts the cell or follows a separator: ";" as Viva writes it, or ",", "|", a line
_LABEL = (
    rf"(?i)(?:^|[;,|\n])[{_S}]*(check-?[{_S}]?in date|user|note|metric name|status"
    rf"|current value|target value|confidence|activity date)[{_S}]*:"
)
_START = rf"(?i)check-?[{_S}]?in date"  # the label each labelled check-in starts with
_MARK, _END = "chr(57344)", "chr(57345)"  # private-use characters marking the labels found
_UNNAMED = re.compile(r"column( \d+)?|unnamed \d+")
_BINARY = ("achievedornot", "achieveornot", "milestone", "yesno", "binary")
# ``Object Type`` in the words an admin may choose (Microsoft Learn, "Customize terminology in
# Viva Goals"): Objective -> Goal, Outcome, Theme, Big Rock; Key Result -> Metric, Outcome,
# Result; Initiative -> Project, To Do, Deliverable, Milestone, Action (work, as is any other
# word). "Outcome" is a key result in a file whose objectives have another word and no key
# result does, else an objective.
_KR = ("keyresult", "kr", "keyresults", "metric", "metrics", "result", "results")
_OBJECTIVE = ("objective", "objectives", "goal", "goals", "bigrock", "bigrocks", "theme",
              "themes")  # fmt: skip
_EITHER = ("outcome", "outcomes")
_VIVA_USED = {
    "id", "title", "type", "object type", "aligned to", "metric", "metric name", "time period",
    "period", "teams", "team", "start date", "end date", "owner", "goal type", "start",
    "start value", "target", "target value", "actual progress", "current", "current value",
    "progress", "status", "unit", "checkins", "check ins", "checkin history",
}  # fmt: skip
_CELLS = ("checkins", "check ins", "checkin history")
# ``OKR type`` (the page an OKR sits on) whose ``Type name`` is a team, and a person
_ORG_PAGE = ("organization", "organisation", "org", "company", "team")
_PERSON_PAGE = ("individual", "user", "person", "personal")


def _q(text: str) -> str:
    """A SQL string literal (the patterns above hold no quote)."""
    assert "'" not in text
    return f"'{text}'"


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(_q(w) for w in words)


def _rows(ctx: Context) -> str:
    """Each row's cells by role (as written), its kind, its own team and its id: an export
    without its Id column gets ids from the row's period, team and title."""
    kind = f"regexp_replace(lower({ctx.col('object type', 'type')}), '[{_S}_\\-]', '', 'g')"
    first = f"regexp_extract({ctx.col('teams', 'team')}, {_q('^[^,;]*')})"
    # the Ally.io-era export: the page an OKR sits on, ``OKR type`` and ``Type name``
    level = f"lower({_sql.strip(ctx.col('okr type'))})"
    page = ctx.text("type name")
    team = (f"coalesce(nullif({_sql.strip(first)}, ''), case when {level} in "
            f"({_words(_ORG_PAGE)}) then {page} end)")  # fmt: skip
    person = f"case when {level} in ({_words(_PERSON_PAGE)}) then {page} end"
    base = f"""
        select _pos, {ctx.col("id")} as id_cell, {ctx.col("title")} as title,
               {ctx.col("time period", "period")} as quarter, {team} as own_team,
               {person} as person_page,
               {ctx.col("aligned to")} as aligned, {ctx.col("owner")} as owner,
               {ctx.col("start date")} as start_date, {ctx.col("end date")} as end_date,
               {ctx.col("goal type")} as goal_type,
               regexp_replace(lower({ctx.col("metric name", "metric")}), '[^a-z]', '', 'g')
                   as metric,
               {ctx.col("target", "target value")} as target,
               {ctx.col("start", "start value")} as start_cell,
               {ctx.col("actual progress", "current", "current value")} as current_cell,
               {ctx.col("progress")} as progress, {ctx.col("status")} as status,
               {ctx.col("unit")} as unit,
               {kind} as kind
        from {ctx.relation}"""
    key = "coalesce(quarter, '') || '|' || coalesce(own_team, '') || '|' || coalesce(title, '')"
    # "Outcome" names key results where the file's objectives have another word and its key
    # results none
    outcome_kr = (f"(select coalesce(bool_or(kind in ({_words(_OBJECTIVE)})) and not "
                  f"bool_or(kind in ({_words(_KR)})), false) from k)")  # fmt: skip
    return f"""
        with k as ({base}),
        b as (select * exclude (kind),
                     coalesce(kind in ({_words(_KR)})
                              or (kind in ({_words(_EITHER)}) and {outcome_kr}), false) as is_kr,
                     coalesce(kind in ({_words(_OBJECTIVE)}) or kind is null
                              or (kind in ({_words(_EITHER)}) and not {outcome_kr}), true)
                         as is_obj
              from k)
        select *, not is_kr and not is_obj as is_work,
               case when id_cell is null and (select coalesce(bool_or(id_cell is null
                    and title is not null), false) from b)
                    then 'V-' || md5(lower({key}))[1:8] else id_cell end as id
        from b"""


def _graph(rows: str, aligned: bool = True) -> str:
    """The rows with their parents (``Aligned To``): ``parent`` and ``weight`` of an objective
    or key result (an objective in the file first, a key result's own objective climbed to),
    ``work_objective`` and ``work_kr`` of a work item, and ``team`` (a row without one takes
    its objective's). An export without ``Aligned To`` (its fields chosen) writes each
    objective's key results and work after it: a key result or work item is under the
    objective above it."""
    by_order = (
        ""
        if aligned
        else """
        union all
        select _pos, 1 as k, pid, NULL::VARCHAR as weight
        from (select _pos, is_obj, last_value(case when is_obj then id end ignore nulls)
                  over (order by _pos rows between unbounded preceding and 1 preceding) as pid
              from r)
        where not is_obj and pid is not null"""
    )
    return f"""
        with recursive r as ({rows}),
        -- a title's row (the last of a title), and the ids a title names
        titles as (select lower(title) as key, id from r
                   qualify row_number() over (partition by lower(title) order by _pos desc) = 1),
        found as (select _pos, unnest(regexp_extract_all(aligned, {_q(_ALIGNED)}, 1)) as t,
                         unnest(regexp_extract_all(aligned, {_q(_ALIGNED)}, 2)) as w,
                         unnest(regexp_extract_all(aligned, {_q(_ALIGNED)}, 3)) as i,
                         unnest(range(1, 1 + len(regexp_extract_all(aligned, {_q(_ALIGNED)}, 3))))
                             as k
                  from r where nullif({_sql.strip("aligned")}, '') is not null),
        by_weight as (
            select f._pos, f.k, case when {_sql.strip("f.i")} in (select id from titles)
                   then {_sql.strip("f.i")} else coalesce(t.id, {_sql.strip("f.i")}) end as pid,
                   f.w as weight
            from found f left join titles t on t.key = lower({_sql.strip("f.t")})),
        -- no weights: a title of the file in the cell (whole, or one of its ;-parts), else the
        -- cell as written
        bare as (
            select _pos, unnest(list_concat([aligned], regexp_split_to_array(aligned,
                   '[;\\n]'))) as part, unnest(range(1, 2 + len(regexp_split_to_array(aligned,
                   '[;\\n]')))) as k
            from r where nullif({_sql.strip("aligned")}, '') is not null
              and _pos not in (select _pos from found)),
        by_title as (
            select r._pos, 1 as k, coalesce((select t.id from bare b join titles t
                   on t.key = lower({_sql.strip("b.part")}) where b._pos = r._pos
                   order by b.k limit 1), {_sql.strip("r.aligned")}) as pid,
                   NULL::VARCHAR as weight
            from r where r._pos in (select _pos from bare)),
        parents as (select * from by_weight union all select * from by_title{by_order}),
        kr_of as (  -- a key result's objective: its first parent that is an objective, else
                    -- its first (of two rows with one id, the last)
            select r.id as key, coalesce(
                (select p.pid from parents p where p._pos = r._pos
                 and p.pid in (select id from r where is_obj) order by p.k limit 1),
                (select p.pid from parents p where p._pos = r._pos and p.k = 1)) as up
            from r where r.is_kr and r.id is not null
            qualify row_number() over (partition by r.id order by r._pos desc) = 1),
        climb(start, pid, seen, depth) as (  -- a key result under a key result: up to its
                                             -- objective (a cycle stops where it closes)
            select pid, pid, []::VARCHAR[], 0 from (select distinct pid from parents)
            union all
            select c.start, o.up, list_append(c.seen, c.pid), c.depth + 1
            from climb c join kr_of o on o.key = c.pid where not list_contains(c.seen, c.pid)),
        top as (select start, pid from climb
                qualify row_number() over (partition by start order by depth desc) = 1),
        chosen as (
            select p._pos, p.k, t.pid, p.weight, p.pid as first_pid,
                   row_number() over (partition by p._pos order by coalesce(
                       t.pid in (select id from r where is_obj), false) desc, p.k) as choice
            from parents p join top t on t.start = p.pid),
        linked as (
            select r.*, c.pid as parent, c.weight,
                   case when f.first_pid in (select key from kr_of) then f.pid
                        else f.first_pid end as work_objective,
                   case when f.first_pid in (select key from kr_of) then f.first_pid
                        end as work_kr
            from r left join chosen c on c._pos = r._pos and c.choice = 1
            left join chosen f on f._pos = r._pos and f.k = 1),
        team_of as (select id, own_team from r where is_obj
                    qualify row_number() over (partition by id order by _pos desc) = 1)
        select l.*, coalesce(l.own_team, case when not l.is_obj then o.own_team end,
                             l.person_page) as team
        from linked l left join team_of o on o.id is not distinct from
            (case when l.is_work then l.work_objective else l.parent end)"""


def _okrs(graph: str) -> str:
    """Objective rows as they are; each key result row joined to its objective's row (the
    first of its id), taking its period and team where it has none."""
    okr_type = ("case when lower(goal_type) like '%commit%' then 'committed' when "
                "regexp_matches(lower(goal_type), 'aspir|stretch') then 'aspirational' end")  # fmt: skip
    numeric = f"target is not null and not coalesce(metric in ({_words(_BINARY)}), false)"
    objs = f"""
        select _pos, id as objective_id, title as objective, quarter, team, start_date,
               end_date, parent as parent_objective_id, owner as objective_owner,
               {okr_type} as okr_type, progress as objective_source_progress
        from g where is_obj"""
    return f"""
        with g as ({graph}), o as ({objs}),
        by_id as (select * from o qualify row_number() over (partition by objective_id
                                                            order by _pos) = 1)
        select _pos, objective_id, objective, quarter, team, start_date, end_date,
               parent_objective_id, objective_owner, okr_type, objective_source_progress,
               NULL as kr_id, NULL as key_result, NULL as kr_owner, NULL as kr_quarter,
               NULL as start_value, NULL as target_value, NULL as current_value,
               NULL as progress, NULL as source_progress, NULL as status, NULL as unit,
               NULL as metric_type, NULL as weight
        from o
        union all
        select g._pos, g.parent, b.objective, coalesce(b.quarter, g.quarter),
               coalesce(b.team, g.team), b.start_date, b.end_date, b.parent_objective_id,
               b.objective_owner, b.okr_type, b.objective_source_progress, g.id, g.title,
               g.owner,
               -- a key result's period is its objective's unless it says otherwise
               case when coalesce(g.quarter, '') = coalesce(b.quarter, g.quarter, '')
                    then NULL else g.quarter end,
               case when {numeric} then g.start_cell end,
               case when {numeric} then g.target end, g.current_cell, g.progress,
               g.progress, g.status, g.unit,
               case when coalesce(g.metric in ({_words(_BINARY)}), false) then 'binary' end,
               g.weight
        from g left join by_id b on b.objective_id is not distinct from g.parent
        where g.is_kr"""


def _cells(ctx: Context) -> str:
    """Every non-empty cell that may hold check-ins: ``Checkins`` (or the like), then the
    unnamed columns after it, each with its rank."""
    cols = [i for n, i in ctx.positions.items() if n in _CELLS]
    cols += [i for n, i in ctx.positions.items() if _UNNAMED.fullmatch(n)]
    if not cols:
        return "select 0 as _pos, 0 as rank, NULL::VARCHAR as cell where false"
    return " union all ".join(
        f"select _pos, {rank} as rank, c{i} as cell from {ctx.relation} "
        f"where nullif({_sql.strip(f'c{i}')}, '') is not null"
        for rank, i in enumerate(cols)
    )


def _packed(cells: str) -> str:
    """The check-ins packed in the cells, in order (``_seq``), each labelled or not: a cell
    with a ``Checkin Date`` label (or two labels of any kind) is read by its labels, one
    check-in from each ``Checkin Date`` on, else by the short spelling, one per line or ``;``."""
    piece = f"split_part(piece, {_END}, 1)"
    text = "string_agg(case when keep then rest else matched || rest end, '' order by idx)"
    value = _sql.strip(f"rtrim({_sql.strip(text)}, ';,|')")
    split = f"regexp_split_to_array(cell, {_q(_SHORT_SPLIT)})"
    label = (f"regexp_replace(replace(replace(lower(raw), '-', ''), 'check in', 'checkin'), "
             f"'[{_S}]+', ' ', 'g')")  # fmt: skip
    return f"""
        with cells as ({cells}),
        marked as (
            select _pos, rank, unnest(parts) as piece, unnest(range(len(parts))) as idx
            from (select _pos, rank, string_split(regexp_replace(cell, {_q(_LABEL)},
                         {_MARK} || '\\0' || {_END}, 'g'), {_MARK}) as parts from cells)),
        pieces as (  -- each label found: what matched, and the text up to the next one
            select *, regexp_full_match(raw, {_q(_START)}) as is_start
            from (select _pos, rank, idx, {piece} as matched,
                         substr(piece, strpos(piece, {_END}) + 1) as rest,
                         regexp_extract({piece}, {_q(_LABEL)}, 1) as raw
                  from marked where idx > 0)),
        labelled_cells as (
            select _pos, rank, count(*) filter (where is_start) as starts
            from pieces group by _pos, rank
            having starts > 0 or count(distinct lower(raw)) >= 2),
        entries as (  -- a check-in from each Checkin Date on (what comes before it: none)
            select p._pos, p.rank, p.idx, p.matched, p.rest, {label} as label,
                   sum(case when p.is_start then 1 else 0 end)
                       over (partition by p._pos, p.rank order by p.idx) as e, c.starts
            from pieces p join labelled_cells c using (_pos, rank)),
        noted as (
            select *, min(idx) filter (where label = 'note')
                          over (partition by _pos, rank, e) as note,
                      min(idx) over (partition by _pos, rank, e, label) as first_at
            from (select *, row_number() over (partition by _pos, rank, e, label
                                               order by idx desc) > 1 as later
                  from entries where e >= 1 or starts = 0)),
        ranked as (
            select *, bool_or(label not in ({_words(_TAIL)}) or later or first_at < note)
                          over (partition by _pos, rank, e order by idx desc
                                rows between unbounded preceding and current row) as broken
            from noted),
        kept as (  -- before the note, each field's first label; after it, the run of distinct
                   -- fields not given before it that ends the check-in; the rest is the
                   -- note's (or a field's) text
            select *, note is null or idx = note or (idx < note and idx = first_at)
                      or (idx > note and not broken) as keep
            from ranked),
        grouped as (
            select *, sum(case when keep then 1 else 0 end)
                          over (partition by _pos, rank, e order by idx) as field
            from kept),
        fields as (
            select _pos, rank, e, field, min(idx) as idx,
                   any_value(label) filter (where keep) as label,
                   {value} as value
            from grouped where field > 0 group by _pos, rank, e, field),
        labelled as (
            select _pos, rank, e as k, true as _labelled,
                   coalesce(arg_min(value, idx) filter (where label = 'checkin date'
                                                         and value <> ''),
                            arg_min(value, idx) filter (where label = 'activity date'
                                                         and value <> '')) as date,
                   arg_min(value, idx) filter (where label = 'current value' and value <> '')
                       as value,
                   arg_min(value, idx) filter (where label = 'status' and value <> '') as status,
                   arg_min(value, idx) filter (where label = 'note' and value <> '') as comment,
                   arg_min(value, idx) filter (where label = 'user' and value <> '') as author
            from (select g._pos, g.rank, g.e, f.field, f.idx, f.label, f.value
                  from (select distinct _pos, rank, e from grouped) g
                  left join fields f using (_pos, rank, e))
            group by _pos, rank, e),
        short as (  -- "2026-07-14: 35 (On Track) - note", one per line or ;
            select _pos, rank, k, false as _labelled, m.date, nullif(m.value, '') as value,
                   nullif(m.status, '') as status, nullif(m.comment, '') as comment,
                   NULL as author
            from (select *, regexp_extract(part, {_q(_SHORT)},
                                           ['date', 'value', 'status', 'comment']) as m
                  from (select _pos, rank, {_sql.strip("part")} as part, k
                  from (select _pos, rank, unnest({split}) as part,
                               unnest(range(len({split}))) as k
                        from cells c where not exists (select 1 from labelled_cells l
                                                       where l._pos = c._pos
                                                       and l.rank = c.rank)))
                  where regexp_matches(part, {_q(_SHORT)})))
        select *, row_number() over (partition by _pos order by rank, k) as _seq
        from (select * from labelled union all by name select * from short)"""


def stage(con: duckdb.DuckDBPyConnection, ctx: Context) -> Converted | None:
    """Viva Goals in SQL: objectives, key results (under an objective or a key result), work
    items (deliverables, projects, initiatives) and check-ins packed in a cell or trailing
    columns; what the packed check-ins were, and where each went, listed."""
    # the rows and their parents, worked out once (the tables below each read them)
    aligned = "aligned to" in ctx.positions
    graph_sql = _graph(_rows(ctx), aligned)
    con.execute(f"create or replace temp table {ctx.relation}_g as {graph_sql}")
    graph = f"select * from {ctx.relation}_g"
    okrs = _okrs(graph)
    work = f"""
        with g as ({graph})
        select _pos, work_objective as objective_id, work_kr as kr_id, title, team,
               quarter as period
        from g where is_work"""
    checkins = f"""
        with g as ({graph}), p as ({_packed(_cells(ctx))})
        select p.*, g.id as kr_id, g.is_kr, g.is_work,
               -- Viva writes a row's check-ins newest first: of two on one day, the first
               -- written is the day's, the others are listed aside (staging keeps one a day)
               p._labelled and p.date is not null and g.is_kr and row_number() over (
                   partition by p._pos, p.date order by p._seq) > 1 as later
        from p join g using (_pos)"""
    con.execute(f"create or replace temp table {ctx.relation}_ck as {checkins}")
    ck = f"{ctx.relation}_ck"
    got = con.execute(f"""
        select count(*), count(*) filter (where is_kr), count(*) filter (where is_work),
               count(*) filter (where not is_kr and not is_work),
               count(*) filter (where is_kr and not later),
               coalesce(list({{'at': _pos, 'date': date, 'kr': kr_id}} order by _pos, _seq)
                        filter (where not is_kr and not is_work), []),
               coalesce(list({{'at': _pos, 'date': date, 'kr': kr_id}} order by _pos, _seq)
                        filter (where later), []),
               (select count(*) from ({work}))
        from {ck}""").fetchone()  # fmt: skip
    assert got is not None
    read, on_kr, on_work, on_obj, kept, objective_items, later_items, n_work = got
    unread = con.execute(f"""
        with c as ({_cells(ctx)})
        select count(*), coalesce(list_sort(list_distinct(list(_pos))), []) from c
        where not exists (select 1 from {ck} k where k._pos = c._pos and k.rank = c.rank)
        """).fetchone()  # fmt: skip
    out = Converted({"okrs": okrs})
    if kept:
        out.tables["checkins"] = (f"select _pos, _seq, kr_id, date, value, status, comment, "
                                  f"author from {ck} where is_kr and not later")  # fmt: skip
    if n_work:
        out.tables["work"] = work
    out.packed["check-ins"] = {
        "read": read, "on key results": on_kr, "on work items (kept as work)": on_work,
        "on objectives (kept aside)": on_obj,
    }  # fmt: skip
    for c in objective_items:
        when = f" of {c['date']}" if c["date"] is not None else ""
        kr = c["kr"] if c["kr"] is not None else "<NA>"
        out.items_aside.append(([c["at"]], f"a check-in{when} on objective {kr}: OKR Pulse "
                                "takes check-ins on key results"))  # fmt: skip
    for c in later_items:
        why = (f"a check-in of {c['date']} on key result {c['kr']} written after another of "
               "that day: Viva lists the newest first")  # fmt: skip
        out.items_aside.append(([c["at"]], why))
    if not aligned:
        under = con.execute(f"""
            select coalesce(list(_pos order by _pos), []) from {ctx.relation}_g
            where not is_obj and coalesce(parent, work_objective) is not null""").fetchone()
        if under and under[0]:
            out.notes.append(("no Aligned To column: each key result and work item is taken to "
                              "be under the objective above it, as Viva writes an objective's "
                              "key results after it ({rows})", list(under[0])))  # fmt: skip
    if unread and unread[0]:
        note = (f"check-in cells with no check-in that could be read ({unread[0]}: no date "
                "first, no Checkin Date label) on {rows}")  # fmt: skip
        out.notes.append((note, list(unread[1])))
    used = _VIVA_USED | ({"okr type", "type name"} if {"okr type", "type name"} <= ctx.names.keys()
                         else set())  # fmt: skip
    out.unused = [name for norm, name in ctx.names.items()
                  if norm not in used and not _UNNAMED.fullmatch(norm)]  # fmt: skip
    return out


def identify(sample: Sample) -> Claim | None:
    found = has_all(sample, VIVA)
    kind = sample.named(["object type", "type"])
    if found is None and "title" in sample.names and "object type" in sample.names:
        # the fields chosen without Aligned To: Object Type still says Viva's kinds
        words = {re.sub(r"[\s_\-]", "", v.lower()) for v in sample.values("object type")}
        if words & {*_OBJECTIVE, *_EITHER} and words & {*_KR, *_EITHER}:
            found = sample.named(["title"])
    if found is None or not kind:
        return None
    extra = sample.named(["checkins", "check ins", "checkin history", "progress"])
    return 100.0 + len(found) + len(extra), [kind[0], *sample.named(["aligned to"]), *extra]


ADAPTER = Adapter("viva", "a Viva Goals export", identify, stage=stage)
