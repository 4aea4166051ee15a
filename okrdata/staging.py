"""DuckDB staging: recognised sheets become typed staging tables, the checks and the Dataset.

Each raw sheet is a text table with columns named by position (``c0``, ``c1``, …, see
``readers``); a source's column mapping picks positions, so no header a person typed reaches
SQL text. The SQL lives in ``okrdata/sql``: ``src_tables``, ``date_order``, ``period_labels``,
``stg_*`` (typing), ``stg_periods`` (the quarters each objective and KR is shown in),
``checks_*`` with ``checks_ranked`` (the report; ``checks_*_gates`` say which checks can find
a row) and ``ds_*`` (the Dataset).

>>> from okrdata.ingest import load_dir
>>> load_dir("sample_data").report.ok
True
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from okrdata import db, display
from okrdata.calendar import quarter_bounds
from okrdata.columns import ALIASES, WORK_COLUMNS
from okrdata.config import Config
from okrdata.fiscal import read_fiscal_pairs
from okrdata.model import Dataset, Typed, conform, empty_frame, settle
from okrdata.periods import parse_period
from okrdata.readers import RawSheet
from okrdata.validation_report import Report

if TYPE_CHECKING:
    from okrdata.sources import Source

STAGED = (*ALIASES, "work")  # okrs, checkins, dependencies, teams, then work items
# the input tables that only their own file feeds: without it, their staging tables
# (``stg_<table>``), their checks and their Dataset table have no rows
OWN_INPUT = ("checkins", "dependencies", "teams")
MAX_ISSUES_PER_KIND = 200
# an import of this many cells or more frees its raw text once typed (``_drop_text``); a
# smaller one's (a few megabytes at most) goes with its connection, a moment later: listing
# the tables to drop, the connection's first look at its catalog, cost about 7 ms
DROP_TEXT_CELLS = 200_000
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def columns_of(table: str) -> tuple[str, ...]:
    """The canonical columns of a staged table."""
    return WORK_COLUMNS if table == "work" else tuple(ALIASES[table])


def _ident(name: str) -> str:
    """A name we generated ourselves (raw_3, c12, objective_id), checked before it meets SQL."""
    if not _IDENT.match(name):
        raise ValueError(f"not a generated identifier: {name!r}")
    return name


def _params(name: str, config: Config) -> dict:
    """The settings a named SQL file binds (only the ones it uses)."""
    commit, target, stretch = config.zone_scores
    every = {
        "fiscal_start_month": config.fiscal_start_month,
        "zone_commit": float(commit),
        "zone_target": float(target),
        "zone_stretch": float(stretch),
        "max_issues": MAX_ISSUES_PER_KIND,
    }
    text = db.sql(name)
    return {k: v for k, v in every.items() if f"${k}" in text}


def fed(sources: list[Source], table: str) -> bool:
    """Whether a source gives rows to the input ``table`` (one whose columns could be read)."""
    return any(s.table == table and not s.missing_required for s in sources)


# per SQL file run on an empty input: the statements that make its tables, empty, with the
# same columns and types (learnt from the first such run in the process, ``_run_empty``)
_EMPTY_TABLES: dict[str, tuple[str, ...]] = {}


def _run_empty(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> None:
    """Run the staging SQL ``name`` whose input is empty: the first time in a process in full,
    its tables' columns and types then noted; later, those empty tables made directly (binding
    the full SQL costs milliseconds where the result is known to have no rows)."""
    made = _EMPTY_TABLES.get(name)
    if made is not None:
        for statement in made:
            con.execute(statement)
        return
    db.run(con, name, params)
    statements = []
    for table in re.findall(r"create or replace table (\w+)", db.sql(name)):
        cols = con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where table_name = $t and schema_name = current_schema() order by column_index",
            {"t": table},
        ).fetchall()
        defined = ", ".join(f'"{c}" {kind}' for c, kind in cols)
        statements.append(f"create or replace table {_ident(table)} ({defined})")
    _EMPTY_TABLES[name] = tuple(statements)


def stage(
    con: duckdb.DuckDBPyConnection, sources: list[Source], sheets: list[RawSheet], config: Config
) -> None:
    """Create the ``stg_*`` tables from the recognised sources, with the macros of
    ``macros.sql`` defined in the database (``ingest._database``)."""
    _enum_aliases(con)
    raw_by_key = {(s.file, s.sheet, tuple(s.columns)): s.relation for s in sheets}
    _fixed_values(con, sources)
    for table in STAGED:
        wanted = columns_of(table)
        parts = []
        for sid, src in enumerate(sources):
            if src.table != table or src.missing_required:
                continue
            raw = _ident(raw_by_key[(src.name, src.sheet, tuple(src.columns))])
            at = {canon: f"c{src.columns.index(col)}" for col, canon in src.mapping.items()}
            if table == "okrs":
                raw = _fill_merged_objectives(con, raw, at, src)
                raw = _fill_from_same_objective(con, raw, at, src)
            cols = [f"{_ident(at[c])} as {c}" if c in at else _fixed(sid, c) if c in src.fixed
                    else f"null::varchar as {c}" for c in wanted]  # fmt: skip
            parts.append(f"select {int(sid)}::integer as _sid, _row::integer as _row, "
                         f"{', '.join(cols)} from {raw}")  # fmt: skip
        if not parts:
            nulls = ", ".join(f"null::varchar as {c}" for c in wanted)
            parts.append(
                f"select null::integer as _sid, null::integer as _row, {nulls} where false"
            )
        con.execute(f"create or replace view raw_src_{table} as " + " union all ".join(parts))
    _date_order(con, sources, config)
    _source_names(con, sources)
    db.run(con, "src_tables")
    _period_map(con, config)
    for name in ("stg_okrs", "stg_periods", "stg_checkins", "stg_dependencies", "stg_teams",
                 "stg_work"):  # fmt: skip
        table = name.removeprefix("stg_")
        if table in OWN_INPUT and not fed(sources, table):
            _run_empty(con, name, _params(name, config))
        else:
            db.run(con, name, _params(name, config))
    if sum(s.rows * max(len(s.columns), 1) for s in sheets) >= DROP_TEXT_CELLS:
        _drop_text(con)


# enum_alias's columns, read once per process (one assignment: imports may run in threads)
_ALIASES: dict[str, tuple[list[str | None], ...]] = {}


def _enum_aliases(con: duckdb.DuckDBPyConnection) -> None:
    """The table ``enum_alias`` (``enum_aliases.sql``), its values bound as lists after the
    first import in the process: parsing the file's long ``values`` list cost 5 ms a time."""
    known = _ALIASES.get("columns")
    if known is None:
        db.run(con, "enum_aliases")
        rows = con.execute("select kind, alias, value from enum_alias").fetchall()
        _ALIASES["columns"] = tuple([list(c) for c in zip(*rows, strict=True)] or [[], [], []])
        return
    kind, alias, value = known
    con.execute(
        "create or replace table enum_alias as select unnest($kind::varchar[]) as kind, "
        "unnest($alias::varchar[]) as alias, unnest($value::varchar[]) as value",
        {"kind": kind, "alias": alias, "value": value},
    )


def _fixed_values(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """The sources' fixed values (``Source.fixed``: a column the sheet lacks, one value for
    every row) in a table, inserted as bound parameters: no text a person chose meets SQL."""
    con.execute("create or replace table src_fixed (sid integer, col varchar, value varchar)")
    rows = [(sid, col, value) for sid, src in enumerate(sources)
            for col, value in src.fixed.items()]  # fmt: skip
    if rows:
        con.executemany("insert into src_fixed values (?, ?, ?)", rows)


def _fixed(sid: int, column: str) -> str:
    """The select of a source's fixed value for ``column`` (from ``src_fixed``)."""
    col = _ident(column)
    return (f"(select value from src_fixed where sid = {int(sid)} and col = '{col}') "
            f"as {col}")  # fmt: skip


# an objective's own columns, which a sheet with merged cells shows on its first row only
OBJECTIVE_COLUMNS = ("objective_id", "objective", "quarter", "team", "department",
                     "parent_objective_id", "objective_owner", "okr_type", "level", "origin",
                     "start_date", "end_date")  # fmt: skip


def _fill_merged_objectives(
    con: duckdb.DuckDBPyConnection, raw: str, at: dict[str, str], src: Source
) -> str:
    """An okrs sheet whose objective cells are merged, or left blank, under the objective's
    first key result: a key-result row without an objective id or title belongs to the
    objective of the nearest row above that has one, and takes its blank objective columns.

    One count per sheet; only a sheet that has such rows is copied (a row before any
    objective is left as it is, and reported)."""
    head = [at[c] for c in ("objective_id", "objective") if c in at]
    kr = [at[c] for c in ("kr_id", "key_result") if c in at]
    if not head or not kr:
        return raw
    no_head = " and ".join(f"{_ident(c)} is null" for c in head)
    has_kr = " or ".join(f"{_ident(c)} is not null" for c in kr)
    orphan = f"({no_head}) and ({has_kr})"
    (count,) = con.execute(f"select count(*) from {raw} where {orphan}").fetchone() or (0,)
    if not count:
        return raw
    fill = [_ident(at[c]) for c in OBJECTIVE_COLUMNS if c in at]
    filled = _ident(f"{raw}_filled")
    cols = ", ".join(
        f"case when o._orphan then coalesce(o.{c}, h.{c}) else o.{c} end as {c}" for c in fill
    )
    con.execute(
        f"create or replace table {filled} as "
        f"with o as (select *, {orphan} as _orphan, "
        f"count(*) filter (where not ({no_head})) over (order by _row) as _group from {raw}), "
        f"h as (select _group, {', '.join(fill)} from o where not ({no_head})) "
        f"select o.* exclude (_orphan, _group, {', '.join(fill)}), {cols} "
        "from o left join h using (_group) order by o._row"
    )
    (moved,) = con.execute(
        f"select count(*) from {raw} as r join {filled} as f using (_row) "
        f"where {' and '.join(f'r.{_ident(c)} is null' for c in head)} "
        f"and ({' or '.join(f'f.{_ident(c)} is not null' for c in head)})"
    ).fetchone() or (0,)
    if moved:
        src.notes.append(
            f"{moved} key-result row{'s' if moved != 1 else ''} with blank objective cells "
            f"(merged cells) {'are' if moved != 1 else 'is'} read as part of the objective "
            "above them"
        )
    return filled


def _fill_from_same_objective(
    con: duckdb.DuckDBPyConnection, raw: str, at: dict[str, str], src: Source
) -> str:
    """A row that names its objective's title but leaves one of the objective's cells blank
    (a published table's key-result row without its team or quarter) takes that cell from the
    sheet's other rows of the same objective title, when they give it one value alone (and
    the same objective id, where ids are given). The cells stay text.

    One count per sheet; only a sheet that has such rows is copied, and its notes say how many
    rows were read so."""
    if "objective" not in at:
        return raw
    title = _ident(at["objective"])
    key = [title, *([_ident(at["objective_id"])] if "objective_id" in at else [])]
    fill = [_ident(at[c]) for c in ("quarter", "team", "department", "start_date", "end_date")
            if c in at]  # fmt: skip
    if not fill:
        return raw
    blank = " or ".join(f"{c} is null" for c in fill)
    (count,) = con.execute(
        f"select count(*) from {raw} where {title} is not null and ({blank})"
    ).fetchone() or (0,)
    if not count:
        return raw
    by = ", ".join(key)
    filled = _ident(f"{raw}_same")
    cols = ", ".join(
        f"coalesce({c}, case when count(distinct {c}) over (partition by {by}) = 1 "
        f"then max({c}) over (partition by {by}) end) as {c}"
        for c in fill
    )
    con.execute(
        f"create or replace table {filled} as "
        f"select * exclude ({', '.join(fill)}), {cols} from {raw} order by _row"
    )
    (moved,) = con.execute(
        f"select count(*) from {raw} as r join {filled} as f using (_row) "
        f"where " + " or ".join(f"(r.{c} is null and f.{c} is not null)" for c in fill)
    ).fetchone() or (0,)
    if moved:
        src.notes.append(
            f"{moved} row{'s' if moved != 1 else ''} with blank objective cells "
            f"{'take' if moved != 1 else 'takes'} them from the other rows of the same "
            "objective"
        )
    return filled


def _drop_text(con: duckdb.DuckDBPyConnection) -> None:
    """Free the raw text tables once typed: the checks and the Dataset read only ``stg_*``.

    At 20,000 teams the inputs' text holds gigabytes that would otherwise stay until the
    import ends. The views over them (``raw_*``, ``src_*``) hold no data and stay, unread, until
    the import's database closes or its schema is dropped (``db.scratch``). Only the import's
    own schema is looked at.
    """
    tables = con.execute("select table_name from duckdb_tables() where schema_name = "
                         "current_schema() and regexp_matches(table_name, '^raw_')")  # fmt: skip
    for (name,) in tables.fetchall():
        con.execute(f"drop table {_ident(name)}")


def _date_order(con: duckdb.DuckDBPyConnection, sources: list[Source], config: Config) -> None:
    """Per source: slashed dates day-first or month-first, as the file shows, else the setting;
    and whether its numbers use a decimal comma."""
    default = config.date_order == "dmy"
    rows = []
    for sid, first_big, second_big in db.run(con, "date_order").fetchall():
        if first_big and not second_big:
            rows.append((sid, True))
        elif second_big and not first_big:
            rows.append((sid, False))
        else:
            if not first_big:
                sources[sid].notes.append(
                    f"ambiguous dates read as {'day' if default else 'month'} first"
                )
            rows.append((sid, default))
    known = {sid for sid, _ in rows}
    rows += [(sid, default) for sid in range(len(sources)) if sid not in known]
    # a file's decimal mark, decided once from its distinct numbers (number_order.sql)
    comma = {
        sid for sid, seen, point in db.run(con, "number_order").fetchall() if seen and not point
    }
    # 0 a decimal point, 1 a decimal comma, 2 a decimal comma in a text file, where points
    # group thousands too (a workbook's number cells are written with a point: macros.sql)
    mark = {sid: 1 if sources[sid].sheet is not None else 2 for sid in comma}
    for sid in sorted(comma):
        points = "; 1.234 is 1234" if mark[sid] == 2 else ""
        sources[sid].notes.append(f"numbers read with a decimal comma (1,234 is 1.234{points})")
    con.execute(
        "create or replace table source_order as select unnest($sid::integer[]) as _sid, "
        "unnest($day::boolean[]) as dayfirst, unnest($comma::integer[]) as decimal_comma",
        {"sid": [sid for sid, _ in rows], "day": [day for _, day in rows],
         "comma": [mark.get(sid, 0) for sid, _ in rows]},
    )  # fmt: skip


def _source_names(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Each source as the report names it, for a message pointing at a row of another source
    (``okr_of_source``: "first on row 2 of okrs.csv"). The table is the import's own (in a
    shared database, ``db.scratch``, the empty one beside the macros is the one they were
    defined with)."""
    con.execute("create or replace table source_names (_sid integer, name varchar)")
    con.execute(
        "insert into source_names select unnest($sid::integer[]), unnest($name::varchar[])",
        {"sid": list(range(len(sources))), "name": [s.where for s in sources]},
    )


def _period_map(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """Every period label of the inputs read once, in Python (``periods.parse_period``)."""
    labels = [row[0] for row in db.run(con, "period_labels").fetchall()]
    con.execute(
        "create or replace table period_map "
        "(raw varchar, kind varchar, quarters varchar[], note varchar)"
    )
    # fiscal years named by two calendar years, with no setting saying when they start
    pairs = read_fiscal_pairs(con, labels, config)
    rows: list[tuple[str, str, list[str] | None, str | None]] = []
    for label in labels:
        if label in pairs:
            kind, quarters, note = pairs[label]
            rows.append((label, kind, quarters, note))
            continue
        p = parse_period(label, config.fiscal_start_month, config.fiscal_year_named_by)
        rows.append((label, p.kind, list(p.quarters) or None, None))
    if rows:  # one statement, the columns bound as lists (not one insert a label)
        cols = [list(c) for c in zip(*rows, strict=True)]
        con.execute(
            "insert into period_map select unnest($raw::varchar[]), unnest($kind::varchar[]), "
            "unnest($quarters::varchar[][]), unnest($note::varchar[])",
            dict(zip(("raw", "kind", "quarters", "note"), cols, strict=True)),
        )


def check(
    con: duckdb.DuckDBPyConnection, sources: list[Source], report: Report, config: Config
) -> None:
    """Run the ``checks_*`` files and the parent-cycle check into the report."""
    # an okrs sheet that could not be read (a missing column, or none at all) is the problem
    # to fix: check-ins are then not each reported as pointing at an unknown key result
    okrs_read = any(s.table == "okrs" for s in sources) and not any(
        s.table == "okrs" and s.missing_required for s in sources
    )
    if not okrs_read:
        for src in sources:
            if src.table == "checkins" and not src.missing_required:
                src.notes.append("not matched to key results: the okrs table was not read")
    for table in ALIASES:
        if table in OWN_INPUT and not fed(sources, table):
            continue  # no rows: its checks (each over its own rows) find nothing
        name = f"checks_{table}"
        if name in GATED:
            text = _gated(con, name)
            made = con.execute(db.parsed(text), {k: v for k, v in _params(name, config).items()
                                                 if f"${k}" in text})  # fmt: skip
        else:
            made = db.run(con, name, _params(name, config))
        (found,) = made.fetchone() or (0,)  # the rows of the table ``checks`` it made
        if not found:
            continue
        order = {"codes": list(_codes(name)), "columns": list(ALIASES[table])}
        rows = db.run(con, "checks_ranked", _params("checks_ranked", config) | order).fetchall()
        for severity, code, sid, row, col, value, message, k, total in rows:
            src = sources[sid]
            if code == "unknown_kr" and table == "checkins" and not okrs_read:
                continue
            report.add(severity, code, src.name, message, sheet=src.sheet, row=row,
                       column=source_column(src, col), value=value)  # fmt: skip
            if k == MAX_ISSUES_PER_KIND and total > k:
                report.add(severity, code, src.name, sheet=src.sheet,
                           message=f"… and {total - k} more rows with the same problem.")  # fmt: skip
    _check_cycles(con, sources, report)
    _fiscal_without_setting(con, sources, report, config)


@cache
def _codes(name: str) -> tuple[str, ...]:
    """The problem codes of the checks file ``name`` in the order its checks first name them
    (each check's rows start with a severity, then the code: ``'error', 'bad_quarter'``)."""
    found = re.findall(r"'(?:error|warning|info)'(?: as severity)?,\s*'(\w+)'", db.sql(name))
    return tuple(dict.fromkeys(found))


# the checks files whose checks are gated (``<name>_gates.sql``, ``_gated``)
GATED = ("checks_okrs", "checks_checkins")


def _gated(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The checks file ``name`` (one statement) without the checks its gates
    (``<name>_gates.sql``: one column per check, named as its CTE) say find no row: each left
    out check's line ``union all select * from <check>`` is taken out of its ``final``."""
    gates = db.run(con, f"{name}_gates")
    row = gates.fetchone() or ()
    skipped = [d[0] for d, open_ in zip(gates.description or (), row, strict=True) if not open_]
    return _without(name, frozenset(skipped))


@cache
def _without(name: str, skipped: frozenset[str]) -> str:
    """The text of the checks file ``name`` with the checks ``skipped`` left out of its
    ``final``."""
    text = db.sql(name)
    for check in sorted(skipped):
        line = f"\n    union all select * from {_ident(check)}\n"
        if text.count(line) != 1:
            raise ValueError(f"{name}.sql lists {check} other than once in final")
        text = text.replace(line, "\n")
    return text


def _fiscal_without_setting(
    con: duckdb.DuckDBPyConnection, sources: list[Source], report: Report, config: Config
) -> None:
    """A fiscal label (``FY22-Q1``) read while no setting says how the fiscal year runs is
    dated as if the fiscal year were the calendar year, named by the year it starts in: one
    warning per source says so, how its first such label was dated, and which settings (or the
    Data page's question) change it. Labels whose fiscal year was inferred from their
    check-ins (``okrdata.fiscal``) have their own warning."""
    if config.fiscal_start_month != 1 or config.fiscal_year_named_by != "start":
        return  # a setting says how the fiscal year runs
    inferred = {raw for (raw,) in con.execute(
        "select raw from period_map where note is not null").fetchall()}  # fmt: skip
    for sid, src in enumerate(sources):
        labels = [x for x in src.fiscal_labels if x not in inferred]
        if not labels:
            continue
        found = con.execute(
            "select _row, coalesce(case when list_contains($labels, quarter_raw) "
            "then quarter_raw end, kr_quarter_raw) from stg_okrs where _sid = $sid and "
            "(list_contains($labels, quarter_raw) or list_contains($labels, kr_quarter_raw)) "
            "order by _row limit 1",
            {"labels": labels, "sid": sid},
        ).fetchall()
        first = found[0] if found else None
        label = first[1] if first else labels[0]
        quarters = parse_period(label).quarters
        dated = (f" ({label} is {quarters[0]}: {display.date(quarter_bounds(quarters[0], 1)[0])} "
                 f"to {display.date(quarter_bounds(quarters[-1], 1)[1])})" if quarters else "")  # fmt: skip
        report.add(
            "warning", "fiscal_year", src.name, sheet=src.sheet,
            row=first[0] if first else src.header_row,
            column=source_column(src, "quarter"), value=", ".join(labels[:3]),
            message=f"Periods are named by fiscal year ({', '.join(labels[:3])}) and no setting "
            "says how the fiscal year runs: they are read as calendar years, named by the year "
            f"they start in{dated}. Say in which month it starts, and whether it is named by "
            "the year it starts or ends, on the Data page (or fiscal_start_month and "
            'fiscal_year_named_by ("start" or "end") in okr.toml).',
        )  # fmt: skip


def source_column(src: Source, canon: str | None) -> str | None:
    """The column name as the user wrote it."""
    for source, c in src.mapping.items():
        if c == canon:
            return source
    return canon


def _check_cycles(con: duckdb.DuckDBPyConnection, sources: list[Source], report: Report) -> None:
    # the usual case, without a cycle, on the links as numbers (each id's rank), in NumPy
    links = con.execute(
        "with e as (select distinct objective_id as c, parent_objective_id as p from stg_okrs "
        "where objective_id is not null and parent_objective_id is not null), "
        "ids as (select id, (row_number() over () - 1)::bigint as code "
        "from (select c as id from e union select p from e)) "
        "select ic.code as child, ip.code as parent from e "
        "join ids as ic on ic.id = e.c join ids as ip on ip.id = e.p"
    ).fetchnumpy()
    child, parent = (np.asarray(links[k], dtype=np.int64) for k in ("child", "parent"))
    if _acyclic_links(child, parent):
        return
    edges = con.execute(
        "select objective_id, parent_objective_id, min(_sid), min(_row) from stg_okrs "
        "where objective_id is not null and parent_objective_id is not null "
        "group by all"
    ).fetchall()
    import networkx as nx  # only to name the cycles: an import without one never loads it

    graph = nx.DiGraph((child, parent) for child, parent, _, _ in edges)
    where: dict[str, tuple[int, int]] = {}
    for child, _, sid, row in edges:
        where.setdefault(child, (sid, row))
    for cycle in nx.simple_cycles(graph):
        first = min(cycle)
        sid, row = where[first]
        src = sources[sid]
        path = " → ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first])
        report.add(
            "error",
            "parent_cycle",
            src.name,
            sheet=src.sheet,
            row=row,
            column=source_column(src, "parent_objective_id"),
            value=first,
            message=f"Objectives align to each other in a circle: {path}.",
        )


def _acyclic(parents: dict[str, list[str]]) -> bool:
    """True when following parents never comes back to where it started.

    >>> _acyclic({"a": ["b"], "b": ["c"]}), _acyclic({"a": ["b"], "b": ["a"]})
    (True, False)
    """
    codes: dict[str, int] = {}
    links = [(codes.setdefault(c, len(codes)), codes.setdefault(p, len(codes)))
             for c, ps in parents.items() for p in ps]  # fmt: skip
    child = np.array([c for c, _ in links], dtype=np.int64)
    parent = np.array([p for _, p in links], dtype=np.int64)
    return _acyclic_links(child, parent)


def _acyclic_links(child: np.ndarray, parent: np.ndarray, rounds: int = 64) -> bool:
    """True when the links ``child[i]`` → ``parent[i]`` (ids as numbers) hold no cycle.

    Peeled a layer at a time, in NumPy: a link whose child is nobody's parent (among the links
    left) cannot be on a cycle and goes; links left when none can go hold a cycle. An OKR tree
    is a few levels deep, so a few rounds; a deeper one (over ``rounds``) is walked depth first
    instead (``_acyclic_walk``).
    """
    size = int(max(child.max(initial=-1), parent.max(initial=-1))) + 1
    for _ in range(rounds):
        if not len(child):
            return True
        is_parent = np.zeros(size, dtype=bool)
        is_parent[parent] = True
        keep = is_parent[child]
        if keep.all():
            return False
        child, parent = child[keep], parent[keep]
    walk: dict[int, list[int]] = {}
    for c, p in zip(child.tolist(), parent.tolist(), strict=True):
        walk.setdefault(c, []).append(p)
    return _acyclic_walk(walk)


def _acyclic_walk(parents: dict[int, list[int]]) -> bool:
    """The depth-first walk: True when following parents never comes back to where it
    started, in linear time however deep.

    >>> _acyclic_walk({1: [2], 2: [3]}), _acyclic_walk({1: [2], 2: [1]})
    (True, False)
    """
    state: dict[int, int] = {}  # 1 on the walk's path, 2 done
    for start in parents:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(parents[start]))]
        while stack:
            node, ahead = stack[-1]
            nxt = next(ahead, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return False
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(parents.get(nxt, ()))))
    return True


# each Dataset table of an ``OWN_INPUT`` without its file, learnt from the first such import in
# the process (the full SQL run on the empty tables)
_EMPTY_DS: dict[str, pd.DataFrame | pa.Table] = {}


def _ds_table(
    con: duckdb.DuckDBPyConnection, table: str, config: Config, empty: bool
) -> pd.DataFrame | pa.Table:
    """A Dataset table from its ``ds_*`` SQL: conformed pandas, the check-ins as Arrow. Known
    to be ``empty`` (its input table had no rows), the copy of the first such result."""
    if empty and table in _EMPTY_DS:
        known = _EMPTY_DS[table]
        return known.copy() if isinstance(known, pd.DataFrame) else known
    name = f"ds_{table}"
    got: pd.DataFrame | pa.Table
    if table == "checkins":
        got = con.sql(db.parsed(db.sql(name)), params=_params(name, config) or None)
        got = got.to_arrow_table()
    else:
        got = conform(table, db.frame(con, db.parsed(db.sql(name)), _params(name, config)))
    if empty:
        _EMPTY_DS[table] = got.copy() if isinstance(got, pd.DataFrame) else got
    return got


@cache
def _no_checkins() -> pd.DataFrame:
    """The empty check-ins ``settle`` is given (it reads only the key results' own columns
    and the export's day, given): built once (3 ms a time), never handed out."""
    return empty_frame("checkins")


def dataset(
    con: duckdb.DuckDBPyConnection, config: Config, sources: list[Source] | None = None
) -> tuple[Typed, pd.DataFrame, frozenset[str]]:
    """The typed tables, what is kept aside (undated objectives, work items), and the key
    results whose file gave the day their ``current_value`` was read (settled, the others get
    the export's day). The check-ins stay the Arrow table DuckDB made (``model.Typed``).

    Given the ``sources``, a table no source feeds is known to be empty."""

    def empty(table: str) -> bool:
        return sources is not None and table in OWN_INPUT and not fed(sources, table)

    frames = {}
    for table in ("objectives", "key_results", "dependencies", "teams"):
        got = _ds_table(con, table, config, empty(table))
        assert isinstance(got, pd.DataFrame)
        frames[table] = got
    checkins = _ds_table(con, "checkins", config, empty("checkins"))
    assert isinstance(checkins, pa.Table)
    typed = Typed(**frames, checkins=checkins)
    aside = db.frame(con, db.parsed(db.sql("ds_aside")))
    k = frames["key_results"]
    given = frozenset(k.loc[k["current_as_of"].notna(), "kr_id"].dropna())
    # the defaults read the check-ins' dates only (the export's day): no pandas copy of them
    settled = settle(Dataset(**frames, checkins=_no_checkins()), typed.export_day())
    return Typed(settled.objectives, settled.key_results, typed.checkins, settled.dependencies,
                 settled.teams), aside, given  # fmt: skip
