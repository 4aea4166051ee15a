"""Database tables linked by ids: one file (or sheet) per table.

Modelled on Puzzle ITC's OKR tool (github puzzle/okr, its production dump's tables:
``objective`` with ``quarter_id``, ``team_id``, ``state``; ``key_result`` with
``objective_id``, ``key_result_type``, ``baseline``, ``stretch_goal``, ``unit``, zones;
``check_in`` with ``key_result_id``, ``created_on``, ``value_metric``, ``zone``,
``confidence``, ``change_info``; ``quarter`` with ``label``, ``start_date``, ``end_date``;
``team`` with ``name``; from its migration ``V3_5_2__add_is_deleted_flag.sql`` on, rows
flagged ``is_deleted``, which the tool hides and the import sets aside), and on the generic
kinds of such dumps (``*_id`` links, ``created_on`` / ``created_at`` dates, ``deleted_at``;
camelCase names as Prisma writes them, github nikadwangorg/agents-demo
``prisma/migrations/20251203085429_init/migration.sql``: ``key_results`` with
``objectiveId``, ``targetValue``, ``currentValue``, ``createdAt``), and on Notion's OKR
databases as its workspace export writes them (notion.vip, "Achieve Your Goals: OKRs in
Notion": an ``Objectives`` database, ``Objective, Quarter, Owner, …``, and a ``Key Results``
one, ``Key Result, Current Value, Target Value, Progress``, related to its objective): one
CSV per database named ``<Database> <32-hex id>.csv`` (or ``…_all.csv``), no id columns, a
relation written as the related page's title and its link, ``Grow revenue
(https://www.notion.so/Grow-revenue-7e6d…?pvs=21)``, several separated by ``, ``. Such tables
are linked by titles: a key result's ``Objective`` names its objective's title. And on
Quantive Results' (formerly Gtmhub) import/export workbook, one sheet per kind of data
(https://help.quantive.com/en/articles/5993028): objectives in a ``Session`` (a session table's
id or its title), key results under their objective's id with ``Initial value``, ``Target``,
``Actual`` (github gtmhub/gtmhub-cli ``model/metric.go``: ``actual``, ``target``).
A file is a table by its name (``key_result.csv``,
``objectives.csv``, ``public.check_in.csv``); objectives and key results must both be there.

The tables are reshaped together in SQL (``combine_stage``), each over the import's view of
its sheet: ids are looked up in the other tables by joins, no table is copied into pandas, and
every value stays text for the staging SQL to type.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from okrdata.columns import normalise
from okrdata.sources import Adapter, Claim, Context, Sample, _sql

ENTITIES = {  # entity -> file-name stems that name it
    "objective": ("objective", "objectives", "okr objective", "goal", "goals"),
    "key_result": ("key result", "key results", "keyresult", "keyresults", "kr", "krs"),
    "check_in": ("check in", "check ins", "checkin", "checkins", "progress update",
                 "progress updates", "update", "updates", "measure", "measures",
                 "measurement", "measurements",  # Puzzle's older schema: measure
                 "key result update", "key result updates", "key result update history",
                 "kr update", "kr updates"),
    "quarter": ("quarter", "quarters", "period", "periods", "cycle", "cycles", "time period",
                "session", "sessions"),  # Quantive's sessions
    "team": ("team", "teams", "group", "groups"),
    "unit": ("unit", "units"),  # Puzzle, from its migration V3_4_0: a key result's unit_id
    "person": ("person", "persons", "people", "user", "users", "member", "members",
               "employee", "employees"),
}  # fmt: skip
# the other tables of such a dump (Puzzle: actions of a check-in, alignments, the completion
# of an objective, organisations): no OKR data, listed and not used
OTHER = ("action", "actions", "alignment", "alignments", "completed", "completion",
         "completions", "organisation", "organisations", "organization",
         "organizations", "team organisation", "team organisations", "person team",
         "team member", "team members", "role", "roles", "tag", "tags", "comment", "comments",
         "alignment selection", "flyway schema history", "schema migrations")  # fmt: skip
# a row the tool deleted but kept (a soft delete): Puzzle's ``is_deleted`` (from its migration
# V3_5_2), elsewhere ``deleted`` or a ``deleted_at`` time; the tool no longer shows it
DELETED = ("is deleted", "deleted", "deleted at", "deleted on")
# how such a flag says "not deleted" (a boolean as Postgres, H2 or a spreadsheet writes it
# false, or no time): any other text is a deletion
NOT_DELETED = ("", "false", "f", "0", "no", "n", "null")
_PICK = {
    "objective": {
        "id": ("id", "objective id"),
        "title": ("title", "name", "objective", "description"),
        # (Quantive: the objective's session, by id or by its title)
        "quarter": ("quarter id", "period id", "cycle id", "session id", "quarter", "period",
                    "cycle", "session"),
        "team": ("team id", "group id", "team"), "parent": ("parent id", "parent objective id", "objective father id"),
        "owner": ("owner", "owner id", "owner email", "user id"), "type": ("type", "okr type"),
        "start": ("start date", "starts on", "starts at"), "end": ("end date", "ends on", "due at"),
        "deleted": DELETED,
    },
    "key_result": {
        "id": ("id", "key result id"),
        # by id; in a Notion export (no ids), the relation naming the objective's title
        "objective": ("objective id", "objective", "objectives", "parent objective"),
        "title": ("title", "name", "key result", "description"),
        "start": ("start value", "initial value", "start", "baseline", "basis value",
                  "from value"),
        # Puzzle: the stretch goal scores 1.0 (its commit_value and target_value, where there,
        # are the 0.3 and 0.7 points on the way, listed as unused)
        "target": ("stretch goal", "target value", "target", "goal", "to value"),
        "current": ("current value", "current", "actual", "value", "progress", "result"),
        # the key result's own figures beside its values (Notion's Progress formula, a status
        # select), where no role above took the column
        "progress": ("progress", "progress percent", "percent complete"),
        "status": ("status", "health"),
        "unit": ("unit", "units", "metric unit"), "weight": ("weight",),
        "unit id": ("unit id",),  # a row of the unit table (read only where it is there)
        "owner": ("owner", "owner id", "owner email", "user id"),
        "period": ("quarter id", "period id", "cycle id", "session id"),
        "type": ("key result type", "kr type", "metric type", "type"),
        # an ordinal key result's zones, described in words (Puzzle: commit_zone, ...)
        "commit": ("commit zone",), "target zone": ("target zone",),
        "stretch": ("stretch zone",), "deleted": DELETED,
    },
    "check_in": {
        "kr": ("key result id", "kr id"),
        # the day or week reported on before the time it was typed in
        "date": ("date", "measure date", "checked in at", "checked in on", "week start",
                 "week of", "week starting", "week", "updated date", "created on",
                 "created at",
                 "updated at", "updated on", "modified on", "timestamp"),
        "value": ("value", "value metric", "metric value", "current value", "progress",
                  "new value"),
        # an ordinal key result's check-in names the zone reached instead of a value
        "zone": ("zone", "value ordinal", "ordinal value"),
        "confidence": ("confidence",), "status": ("status", "health"),
        "comment": ("comment", "change info", "note", "notes", "text", "description"),
        "author": ("author", "user id", "created by", "created by id", "owner"),
        "deleted": DELETED,
    },
    "quarter": {
        "id": ("id", "quarter id", "period id", "cycle id", "session id"),
        "name": ("name", "title", "label", "quarter", "period", "session"),
        "start": ("start date", "starts on", "start", "starts at"),
        "end": ("end date", "ends on", "end", "ends at"),
    },
    "person": {
        "id": ("id", "person id", "user id"),
        "first": ("first name", "firstname", "given name"),
        "last": ("last name", "lastname", "family name", "surname"),
        "name": ("name", "full name", "display name", "username", "user name"),
        "email": ("email", "e mail", "email address", "mail"),
    },
    "unit": {"id": ("id", "unit id"), "name": ("unit name", "name", "label", "title", "unit")},
    "team": {
        "id": ("id", "team id"), "name": ("name", "title", "team"),
        "parent": ("parent id", "parent team id"), "department": ("department", "division"),
        "lead": ("lead", "lead id", "owner", "manager"), "deleted": DELETED,
    },
}  # fmt: skip


# where a camelCase name starts a word: keyResultId, ProgressUpdate, KRId
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def words(name: str) -> str:
    """A table's or column's name normalised, camelCase split into words as an ORM writes
    them (Prisma: ``keyResultId`` is ``key result id``, ``ProgressUpdate`` ``progress
    update``); snake_case and upper case as ``normalise`` reads them.

    >>> words("keyResultId"), words("KEY_RESULT_ID"), words("KRId"), words("created_at")
    ('key result id', 'key result id', 'kr id', 'created at')
    """
    return normalise(_CAMEL.sub(" ", name))


# Notion names a database's CSV after the database and its 32-hex id (``Key Results
# 2c3d…e7.csv``; ``…_all.csv`` for every row of it)
_NOTION_FILE = re.compile(r"\s+[0-9a-fA-F]{32}(_all)?(?=\.[A-Za-z0-9]+$)")
# a Notion relation cell: the related page's title, then its link in brackets
NOTION_LINK = r"\s*\((https?://)?(www\.)?notion\.(so|site)/[^()]*\)"


def _stem(file_name: str) -> str:
    """A table's name in words, without its file type, schema prefix (``public.``) or the id
    Notion adds to it."""
    stem = words(re.sub(r"\.[A-Za-z0-9]+$", "", _NOTION_FILE.sub("", file_name)))
    return re.sub(r"^(public |dbo |okr |okrs |tbl |table )", "", stem)


def entity_of(file_name: str) -> str | None:
    """Which database table a file is named after (``key_result.csv`` -> ``key_result``,
    ``KeyResult.csv`` too)."""
    stem = _stem(file_name)
    found = next((e for e, stems in ENTITIES.items() if stem in stems), None)
    return found or (stem.replace(" ", "_") if stem in OTHER else None)


def _pick(
    ctx: Context, entity: str, skip: tuple[str, ...] = ()
) -> tuple[dict[str, str], list[str]]:
    """The entity's known columns by role, as SQL (a text NULL for a role no column plays,
    or one in ``skip``), and the names of the columns not used. Of two columns with one
    normalised name, the last is the one a role takes."""
    columns = [ctx.names[n] for n in ctx.positions]
    cols = {words(c): i for i, c in enumerate(columns)}
    out, used = {}, set()
    for role, names in _PICK[entity].items():
        if role in skip:
            out[role] = "NULL::VARCHAR"
            continue
        at = next((cols[n] for n in names if n in cols and columns[cols[n]] not in used), None)
        out[role] = "NULL::VARCHAR" if at is None else f"c{at}"
        if at is not None:
            used.add(columns[at])
    return out, [c for c in columns if c not in used]


def _first_page(sql: str) -> str:
    """A cell as written, or, where it is a Notion relation (``Grow revenue
    (https://www.notion.so/…), Keep costs flat (https://…)``), the first related page's title
    (still text)."""
    return f"regexp_replace({sql}, '^(.*?){NOTION_LINK}(,\\s*.*)?$', '\\1', 's')"


def _select(ctx: Context, roles: dict[str, str]) -> str:
    """The entity's rows: ``_pos`` and a column per role, as written (not stripped; a Notion
    relation as the first related page's title)."""
    cells = ", ".join(f'{_first_page(sql)} as "{role}"' for role, sql in roles.items())
    return f"select _pos, {cells} from {ctx.relation}"


def _lookup(rows: str, key: str, *values: str) -> str:
    """One row per id of ``rows`` (the last written wins), with ``_hit`` to tell a match."""
    cols = ", ".join(f'"{v}"' for v in values)
    return (
        f'select "{key}" as key, {cols}, true as _hit from ({rows}) where "{key}" is not '
        f'null qualify row_number() over (partition by "{key}" order by _pos desc) = 1'
    )


def combine_stage(
    con: duckdb.DuckDBPyConnection, sheets: dict[str, Context]
) -> dict[str, dict] | None:
    """Canonical tables for one file per database table, linked by ids, in SQL over each
    table's view of its sheet (no copy into pandas).

    ``sheets`` maps an entity (``objective``, ``key_result``, ``check_in``, ``quarter``,
    ``team``, ``person``, or another table of the dump) to its sheet's ``Context``; returns per
    entity ``{"tables": {table: query}, "unused": [...], "aside": [(positions, reason)]}``
    (queries with ``_pos``, values text; ``aside``: the rows the tool deleted, left out), or None when objectives and key results are not both there.

    >>> import pandas as pd
    >>> from okrdata.sources._sql import combined
    >>> o = pd.DataFrame({"id": ["1"], "title": ["Grow"], "quarter_id": ["9"], "team_id": ["3"]})
    >>> k = pd.DataFrame({"id": ["5"], "objective_id": ["1"], "title": ["ARR"], "target": ["10"]})
    >>> q = pd.DataFrame({"id": ["9"], "name": ["Q3 2026"]})
    >>> t = pd.DataFrame({"id": ["3"], "name": ["Sales"]})
    >>> frames = {"objective": o, "key_result": k, "quarter": q, "team": t}
    >>> out = combined(combine_stage, frames, lambda entity: Context(f"{entity}.csv", None))
    >>> out["key_result"]["tables"]["okrs"][["objective", "quarter", "team", "kr_id"]].values.tolist()
    [['Grow', 'Q3 2026', 'Sales', '5']]
    """
    if not {"objective", "key_result"} <= set(sheets):
        return None
    # a key result's unit_id is read where the unit table is there to name it
    skip = {"key_result": () if "unit" in sheets else ("unit id",)}
    picked = {e: _pick(c, e, skip.get(e, ())) for e, c in sheets.items() if e in _PICK}
    rows = {e: _select(sheets[e], picked[e][0]) for e in picked}
    o, k = rows["objective"], rows["key_result"]
    # no id column (Notion's databases): a key result names its objective by title
    by_title = picked["objective"][0]["id"] == "NULL::VARCHAR"
    got = con.execute(f"""select (select count(coalesce(id, title)) from ({o})),
                                 (select count(objective) from ({k}))""").fetchone()  # fmt: skip
    if not got or not got[0] or not got[1]:
        return None
    # no quarter or team table: no rows to look ids up in
    none = (
        "select 0 as _pos, "
        + ", ".join(
            f'NULL::VARCHAR as "{r}"' for r in ("id", "name", "start", "end", "parent", "deleted")
        )
        + " where false"
    )
    q, t = rows.get("quarter", none), rows.get("team", none)
    # a quarter with dates is dated by them (its label may be a fiscal one, ``GJ 23/24-Q2``,
    # that only the dates tell how to read); one without (``Backlog``) by its label
    quarters = _lookup(f"""select _pos, id, case when start is null and "end" is null
                           then name end as name, start, "end" from ({q})""",
                       "id", "name", "start", "end")  # fmt: skip
    teams = _lookup(t, "id", "name")
    units = _lookup(rows.get("unit", none), "id", "name")
    # people by id: first and last name, else the name or user name, else the address
    people = "select NULL::VARCHAR as key, NULL::VARCHAR as name, true as _hit where false"
    if "person" in rows:
        both = """coalesce("first", '') || ' ' || coalesce("last", '')"""
        full = f"nullif({_sql.strip(both)}, '')"
        people = _lookup(f'select _pos, id, coalesce({full}, "name", email) as name from '
                         f"({rows['person']})", "id", "name")  # fmt: skip

    def named(lookup: str, alias: str, value: str, column: str) -> tuple[str, str]:
        """A join naming ``value`` (an id) by ``lookup``: its name where the id is there (even
        an empty one), else the id as written."""
        return f"left join ({lookup}) {alias} on {alias}.key = {value}", (
            f"case when {alias}._hit then {alias}.{column} else {value} end"
        )

    def person(alias: str, value: str) -> tuple[str, str]:
        return named(people, alias, value, "name")

    # rows the tool deleted (and kept), each table's with its reason: the row's own flag, or
    # its team's, objective's or key result's, as the tool hides them with it; set aside
    def said(entity: str) -> str:  # the deletion's reason, naming the flag as written
        written = [sheets[entity].names[n] for n in sheets[entity].positions]
        name = next((c for d in DELETED for c in written if words(c) == d), "")
        return "'" + f"deleted in the tool ({name}), not imported".replace("'", "''") + "'"

    falsy = ", ".join(f"'{w}'" for w in NOT_DELETED)

    def deleted(col: str) -> str:
        return f"coalesce(lower({_sql.strip(col)}) not in ({falsy}), false)"

    def gone_ids(rel: str, alias: str, why: str) -> str:
        return (
            f"select {alias}.id from ({rel}) {alias} where ({why}) is not null "
            f"and {alias}.id is not null"
        )

    t_why = (
        f"case when {deleted('t.deleted')} then {said('team') if 'team' in rows else 'NULL'} end"
    )
    o_why = f"""case when {deleted("o.deleted")} then {said("objective")}
                     when coalesce(o.team in ({gone_ids(t, "t", t_why)}), false)
                     then 'its team is deleted in the tool, not imported' end"""
    k_why = f"""case when {deleted("k.deleted")} then {said("key_result")}
                     when coalesce(k.objective in ({gone_ids(o, "o", o_why)}), false)
                     then 'its objective is deleted in the tool, not imported' end"""
    oq_join, o_quarter = named(quarters, "oq", "o.quarter", "name")
    ot_join, o_team = named(teams, "ot", "o.team", "name")
    oo_join, o_owner = person("oo", "o.owner")
    objs = f"""
        select o._pos, o.id as objective_id, o.title as objective, {o_quarter} as quarter,
               coalesce(o.start, oq.start) as start_date, coalesce(o."end", oq."end") as end_date,
               {o_team} as team, o.parent as parent_objective_id, {o_owner} as objective_owner,
               o.type as okr_type
        from ({o}) o {oq_join} {ot_join} {oo_join}
        where ({o_why}) is null"""
    # a key result joins its objective's row (the first of an id); a key result that describes
    # its zones in words, with no type saying so, is ordinal
    ko_join, k_owner = person("ko", "k.owner")
    kq_join, k_quarter = named(quarters, "kq", "k.period", "name")
    ku_join, k_unit = named(units, "ku", 'k."unit id"', "name")
    # by title: the objective's id is derived (from its period, team and title) as the
    # objective row's is, and the title is compared without case or surrounding spaces
    key, link = (("lower(trim(objective))", "lower(trim(b.objective)) = lower(trim(k.objective))")
                 if by_title else
                 ("objective_id", "b.objective_id is not distinct from k.objective"))  # fmt: skip
    krs = f"""
        with b as (select * exclude (_pos) from ({objs})
                   qualify row_number() over (partition by {key} order by _pos) = 1)
        select k._pos, {"NULL::VARCHAR" if by_title else "k.objective"} as objective_id,
               k.id as kr_id, k.title as key_result,
               {k_owner} as kr_owner, k.start as start_value, k.target as target_value,
               k.current as current_value, coalesce(k.unit, {k_unit}) as unit, k.weight,
               coalesce(k.type, case when k."commit" is not null or k."target zone" is not null
                        or k.stretch is not null then 'ordinal' end) as metric_type,
               k.progress, k.status,
               {k_quarter} as kr_quarter,
               {"coalesce(b.objective, k.objective)" if by_title else "b.objective"} as objective,
               b.quarter, b.start_date, b.end_date,
               b.team, b.parent_objective_id, b.objective_owner, b.okr_type
        from ({k}) k {ko_join} {kq_join} {ku_join}
        left join b on {link}
        where ({k_why}) is null"""

    def aside(rel: str, alias: str, why: str) -> list[tuple[list[int], str]]:
        got = con.execute(f"""select why, list(_pos order by _pos) from (
                                  select {alias}._pos, {why} as why from ({rel}) {alias})
                              where why is not null group by why order by min(_pos)""")
        return [(list(at), str(reason)) for reason, at in got.fetchall()]

    out: dict[str, dict[str, Any]] = {
        "objective": {
            "tables": {"okrs": objs},
            "linked": "by titles (Notion relations)" if by_title else "by ids",
            "unused": picked["objective"][1],
            "aside": aside(o, "o", o_why),
        },
        "key_result": {
            "tables": {"okrs": krs},
            "linked": "by titles (Notion relations)" if by_title else "by ids",
            "unused": picked["key_result"][1],
            "aside": aside(k, "k", k_why),
        },
    }
    if "check_in" in rows:
        ca_join, c_author = person("ca", "c.author")
        c_why = f"""case when {deleted("c.deleted")} then {said("check_in")}
                         when coalesce(c.kr in ({gone_ids(k, "k", k_why)}), false)
                         then 'its key result is deleted in the tool, not imported' end"""
        checkins = f"""
            select c._pos, c.kr as kr_id, c.date, coalesce(c.value, c.zone) as value,
                   c.confidence, c.status, c.comment, {c_author} as author
            from ({rows["check_in"]}) c {ca_join}
            where ({c_why}) is null"""
        out["check_in"] = {
            "tables": {"checkins": checkins},
            "unused": picked["check_in"][1],
            "aside": aside(rows["check_in"], "c", c_why),
        }
    if "team" in rows:
        tp_join, parent = named(teams, "tp", "t.parent", "name")
        members = f"""
            select t._pos, t.name as team, t.department, {parent} as parent_team, t.lead
            from ({t}) t {tp_join}
            where ({t_why}) is null"""
        out["team"] = {
            "tables": {"teams": members},
            "unused": picked["team"][1],
            "aside": aside(t, "t", t_why),
        }
    if "quarter" in rows:
        out["quarter"] = {"tables": {}, "unused": picked["quarter"][1]}
    if "unit" in rows:
        out["unit"] = {"tables": {}, "unused": picked["unit"][1], "use": "used to name units"}
    if "person" in rows:
        out["person"] = {"tables": {}, "unused": picked["person"][1], "use": "used to name people"}
    for entity in sorted(set(sheets) - set(_PICK)):  # the dump's other tables
        out[entity] = {"tables": {}, "unused": [], "use": "no OKR data in it, not used"}
    return out


def identify(sample: Sample) -> Claim | None:
    entity = entity_of(sample.sheet or sample.file)
    names = [words(c) for c in sample.columns]
    links = [c for c, n in zip(sample.columns, names, strict=True) if n.endswith(" id")]
    # an OKR table needs its ids: its own (``id``, ``objective_id`` in the objective table),
    # a check-in its key result's; the dump's other tables are known by their names alone
    roles = _PICK.get(entity or "", {})
    own = {"id", *roles.get("id", ()), *(roles.get("kr", ()) if entity == "check_in" else ())}
    # Notion's databases have no ids: the file's name (``Key Results 2c3d….csv``) or its
    # relation cells (``Grow revenue (https://www.notion.so/…)``) say it is one
    notion = entity in ("objective", "key_result") and (
        bool(_NOTION_FILE.search(sample.sheet or sample.file))
        or any(re.search(NOTION_LINK, str(v)) for r in sample.rows for v in r if v is not None)
    )
    if notion:
        return 100.0 + len(links), [f"a Notion database named {entity}"]
    if entity is None or (entity in _PICK and not own & set(names)):
        return None
    # check-ins with no id of their own (``key_result_id, created_on, value``) only where no
    # other shape claims the sheet: a canonical checkins.csv (``kr_id, date, value``) is one
    own_id = {"id", f"{_stem(sample.sheet or sample.file)} id", "check in id"}
    last_resort = entity == "check_in" and not own_id & set(names)
    return (1.0 if last_resort else 100.0) + len(links), [f"a table named {entity}", *links[:4]]


ADAPTER = Adapter("database", "a database export, one table per file linked by ids", identify,
                  combine_stage=combine_stage)  # fmt: skip
