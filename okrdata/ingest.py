"""Read OKR exports into a typed ``Dataset`` and a validation ``Report``, through DuckDB.

The pipeline, one locked-down in-memory DuckDB per load:

1. ``readers``: each file or sheet becomes a text table with its spreadsheet row numbers;
2. recognition: which input table a sheet holds, from its columns (``columns.recognise``),
   after other tools' export shapes are converted (``formats.convert``);
3. staging (``sql/stg_*.sql``): values coerced (numbers, dates, quarters, enums);
4. checks (``sql/checks_*.sql``) and a parent-cycle check: the report;
5. the Dataset (``sql/ds_*.sql``), typed once here and nowhere else.

>>> result = load_dir("sample_data")
>>> result.report.ok, sorted(result.dataset.tables())[0]
(True, 'checkins')
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import networkx as nx
import pandas as pd

from okrdata import db, formats
from okrdata.columns import ALIASES, REQUIRED, map_columns, recognise
from okrdata.config import Config
from okrdata.model import Dataset, conform, settle
from okrdata.readers import EXCEL_SUFFIXES, RawSheet, SheetReader
from okrdata.validation_report import Report

INPUT_TABLES = tuple(ALIASES)  # okrs, checkins, dependencies, teams
FILE_SUFFIXES = (".csv", ".tsv", ".txt", *EXCEL_SUFFIXES)
MAX_ISSUES_PER_KIND = 200
_DATE_COLUMNS = {"checkins": ("date",), "dependencies": ("due_date",)}

Input = str | Path | tuple[str, bytes]
Overrides = dict[tuple[str, str | None], dict[str, str]]


@dataclass
class Source:
    """What one file or sheet was recognised as, and how its columns were mapped."""

    name: str
    sheet: str | None
    table: str | None
    sha256: str
    rows: int
    mapping: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    """The typed data (possibly partial when there are errors), the report and the sources."""

    dataset: Dataset
    report: Report
    sources: list[Source]

    @property
    def content_hash(self) -> str:
        """A hash of all input files' contents, independent of their order."""
        import hashlib

        digests = sorted({s.sha256 for s in self.sources})
        return hashlib.sha256("".join(digests).encode()).hexdigest()


def expand(inputs: Iterable[Input]) -> list[tuple[str, bytes]]:
    """Named file contents: folders expand to their CSV/XLSX files (sorted)."""
    out = []
    for item in inputs:
        if isinstance(item, tuple):
            out.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in FILE_SUFFIXES)
            out.extend((p.name, p.read_bytes()) for p in files)
        else:
            out.append((path.name, path.read_bytes()))
    return out


def load_dir(path: str | Path, config: Config | None = None) -> LoadResult:
    """Load every CSV/XLSX file of a folder."""
    return load([path], config=config)


def load(
    inputs: Iterable[Input],
    *,
    config: Config | None = None,
    mapping_overrides: Overrides | None = None,
) -> LoadResult:
    """Read, recognise, stage, check and type the given files (paths, folders or bytes)."""
    config = config or Config()
    report = Report()
    files = expand(inputs)
    with tempfile.TemporaryDirectory(prefix="okr-ingest-") as work:
        con = db.connect(allowed_dirs=[work])
        try:
            reader = SheetReader(con, Path(work), report, config.max_upload_mb * 1_000_000)
            sheets = [s for name, data in files for s in reader.read(name, data)]
            sheets = _converted(con, sheets, report, config.date_order)
            sources = _recognise(con, sheets, report, mapping_overrides or {})
            _stage(con, sources, sheets, config)
            _check(con, sources, report, config)
            dataset = _dataset(con)
        finally:
            con.close()
    if not any(s.table == "okrs" for s in sources) and files:
        report.add(
            "error",
            "no_okrs",
            ", ".join(n for n, _ in files),
            "No file holds the okrs table (objective_id, objective, quarter, team, "
            "…): it is the one table every import needs.",
        )
    return LoadResult(dataset, report, sources)


def _recognise(
    con: duckdb.DuckDBPyConnection,
    sheets: list[RawSheet],
    report: Report,
    overrides: Overrides,
) -> list[Source]:
    sources = []
    for sheet in sheets:
        chosen = overrides.get((sheet.file, sheet.sheet), {})
        table = recognise(sheet.columns, hint=sheet.file)
        src = Source(
            sheet.file,
            sheet.sheet,
            table,
            sheet.sha256,
            sheet.rows,
            columns=list(sheet.columns),
            notes=list(sheet.notes),
        )
        sources.append(src)
        if table is None:
            in_book = sum(s.file == sheet.file for s in sheets) > 1
            report.add(
                "warning" if in_book else "error",
                "unrecognised_table",
                sheet.file,
                "The columns do not match any OKR table (okrs, checkins, dependencies, "
                "teams); this " + ("sheet is" if sheet.sheet else "file is") + " ignored.",
                sheet=sheet.sheet,
                row=1,
                value=", ".join(sheet.columns[:8]),
            )
            continue
        src.mapping, src.unknown_columns = map_columns(table, sheet.columns)
        for source_col, canon in chosen.items():
            if source_col in sheet.columns:
                src.mapping = {k: v for k, v in src.mapping.items() if v != canon}
                src.mapping[source_col] = canon
                if source_col in src.unknown_columns:
                    src.unknown_columns.remove(source_col)
        src.missing_required = [c for c in REQUIRED[table] if c not in src.mapping.values()]
        for col in src.missing_required:
            report.add(
                "error",
                "missing_column",
                sheet.file,
                sheet=sheet.sheet,
                row=1,
                column=col,
                message=f"The {table} table needs a column {col!r}; none of "
                "the columns matches it. Rename a column or map it.",
            )
        if src.unknown_columns:
            report.add(
                "warning",
                "unknown_columns",
                sheet.file,
                sheet=sheet.sheet,
                row=1,
                value=", ".join(src.unknown_columns),
                message=f"{len(src.unknown_columns)} column(s) are not part of the "
                f"{table} table; they are kept aside and not used.",
            )
        if sheet.rows == 0:
            report.add(
                "warning",
                "no_rows",
                sheet.file,
                sheet=sheet.sheet,
                message="The file has a header but no data rows.",
            )
    return sources


def _converted(
    con: duckdb.DuckDBPyConnection, sheets: list[RawSheet], report: Report, date_order: str
) -> list[RawSheet]:
    """Sheets in another tool's export shape, replaced by canonical tables (see formats.py)."""
    out = []
    for sheet in sheets:
        header = pd.DataFrame(columns=sheet.columns)
        if formats.convert(header, sheet.file) is None:
            out.append(sheet)
            continue
        frame = con.execute(f"select * from {sheet.relation} order by _row").df()
        rows = frame.pop("_row")
        converted = formats.convert(frame.astype("string"), sheet.file, date_order) or {}
        for table, canon in converted.items():
            for column, value, message in canon.attrs.get("warnings", []):
                report.add("warning", "ambiguous_dates", sheet.file, message, sheet=sheet.sheet,
                           row=1, column=column, value=value)  # fmt: skip
            pos = canon.pop("_pos").to_numpy(int) if "_pos" in canon else range(len(canon))
            canon = canon.astype("string")
            canon.insert(0, "_row", rows.to_numpy()[list(pos)])
            new = RawSheet(
                sheet.file,
                sheet.sheet,
                f"{sheet.relation}_{table}",
                [c for c in canon.columns if c != "_row"],
                len(canon),
                sheet.sha256,
                [*sheet.notes, f"converted from another tool's export to {table}"],
            )
            con.register("_converted", canon)
            con.execute(f"create or replace table {new.relation} as select * from _converted")
            con.unregister("_converted")
            out.append(new)
    return out


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _stage(
    con: duckdb.DuckDBPyConnection, sources: list[Source], sheets: list[RawSheet], config: Config
) -> None:
    db.run(con, "macros")
    db.run(con, "enum_aliases")
    raw_by_key = {(s.file, s.sheet, tuple(s.columns)): s.relation for s in sheets}
    for table in INPUT_TABLES:
        parts = []
        for sid, src in enumerate(sources):
            if src.table != table or src.missing_required:
                continue
            raw = raw_by_key[(src.name, src.sheet, tuple(src.columns))]
            by_canon = {canon: source for source, canon in src.mapping.items()}
            dayfirst = _dayfirst(
                con,
                raw,
                [by_canon[c] for c in _DATE_COLUMNS.get(table, ()) if c in by_canon],
                src,
                config,
            )
            cols = [
                f"{_quote(by_canon[c])} as {c}" if c in by_canon else f"null::varchar as {c}"
                for c in ALIASES[table]
            ]
            parts.append(
                f"select {sid}::integer as _sid, _row::integer as _row, "
                f"{str(dayfirst).lower()} as _dayfirst, {', '.join(cols)} from {raw}"
            )
        if not parts:
            nulls = ", ".join(f"null::varchar as {c}" for c in ALIASES[table])
            parts.append(
                f"select null::integer as _sid, null::integer as _row, "
                f"false as _dayfirst, {nulls} where false"
            )
        con.execute(f"create or replace view src_{table} as " + " union all ".join(parts))
        db.run(con, f"stg_{table}")


def _dayfirst(
    con: duckdb.DuckDBPyConnection, raw: str, date_cols: list[str], src: Source, config: Config
) -> bool:
    """Whether the slashed dates of a sheet are day-first (31/12/2026) or month-first."""
    default = config.date_order == "dmy"
    if not date_cols:
        return default
    first_big = second_big = has_slashed = False
    for col in date_cols:
        q = (
            f"select bool_or(try_cast(p[1] as int) > 12), bool_or(try_cast(p[2] as int) > 12), "
            f"count(*) > 0 from (select regexp_split_to_array(trim({_quote(col)}), '[/.-]') as p "
            f"from {raw} where regexp_full_match(trim({_quote(col)}), "
            r"'\d{1,2}[/.-]\d{1,2}[/.-]\d{4}'))"
        )
        a, b, c = con.execute(q).fetchall()[0]
        first_big |= bool(a)
        second_big |= bool(b)
        has_slashed |= bool(c)
    if first_big and not second_big:
        return True
    if second_big and not first_big:
        return False
    if has_slashed and not first_big:
        src.notes.append(f"ambiguous dates read as {'day' if default else 'month'} first")
    return default


def _check(
    con: duckdb.DuckDBPyConnection, sources: list[Source], report: Report, config: Config
) -> None:
    params = {"fiscal_start_month": config.fiscal_start_month}
    for table in INPUT_TABLES:
        query = db.sql(f"checks_{table}")
        ranked = (
            "select *, row_number() over (partition by _sid, code order by _row) as k, "
            f"count(*) over (partition by _sid, code) as total from ({query})"
        )
        rows = con.execute(
            f"select * from ({ranked}) where k <= {MAX_ISSUES_PER_KIND} order by _sid, _row",
            params if "$" in query else {},
        ).fetchall()
        for severity, code, sid, row, col, value, message, k, total in rows:
            src = sources[sid]
            shown = _source_column(src, col)
            report.add(
                severity,
                code,
                src.name,
                message,
                sheet=src.sheet,
                row=row,
                column=shown,
                value=value,
            )
            if k == MAX_ISSUES_PER_KIND and total > k:
                report.add(
                    severity,
                    code,
                    src.name,
                    sheet=src.sheet,
                    message=f"… and {total - k} more rows with the same problem.",
                )
    _check_cycles(con, sources, report)


def _source_column(src: Source, canon: str | None) -> str | None:
    """The column name as the user wrote it."""
    for source, c in src.mapping.items():
        if c == canon:
            return source
    return canon


def _check_cycles(con: duckdb.DuckDBPyConnection, sources: list[Source], report: Report) -> None:
    edges = con.execute(
        "select objective_id, parent_objective_id, min(_sid), min(_row) from stg_okrs "
        "where objective_id is not null and parent_objective_id is not null "
        "group by all"
    ).fetchall()
    graph = nx.DiGraph((child, parent) for child, parent, _, _ in edges)
    if nx.is_directed_acyclic_graph(graph):  # the usual case, in linear time
        return
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
            column=_source_column(src, "parent_objective_id"),
            value=first,
            message=f"Objectives align to each other in a circle: {path}.",
        )


def _dataset(con: duckdb.DuckDBPyConnection) -> Dataset:
    frames = {}
    for table in ("objectives", "key_results", "checkins", "dependencies", "teams"):
        frames[table] = conform(table, db.frame(con, db.sql(f"ds_{table}")))
    return settle(Dataset(**frames))
