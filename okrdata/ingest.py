"""The import pipeline: files in, a typed ``Dataset`` and a validation ``Report`` out.

Each load works in a locked-down in-memory DuckDB database of its own, or, under
``ONE_THREAD_BYTES``, in a schema of its own of the database the process keeps for small
loads (``db.scratch``):

1. ``readers``: each file or sheet becomes a text table with its spreadsheet row numbers;
2. ``sources``: every adapter scores each sheet; the winner says which shape it is and why,
   and another tool's shape is reshaped to the canonical tables; the columns are mapped
   (``columns.map_columns``): every missing required column is reported in one pass, with the
   closest name the file has;
3. ``staging``: values typed, periods read, the checks run and the Dataset built in DuckDB.

>>> result = load_dir("sample_data")
>>> result.report.ok, sorted(result.dataset.tables())[0]
(True, 'checkins')
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from okrdata import db, ledger, sources, staging
from okrdata.archive import contents
from okrdata.columns import ALIASES, REQUIRED, WORK_COLUMNS, map_columns, normalise
from okrdata.config import Config
from okrdata.display import agree, count
from okrdata.model import Dataset, Typed
from okrdata.periods import is_fiscal
from okrdata.readers import EXCEL_SUFFIXES, OnDisk, RawSheet, SheetReader, sha256
from okrdata.sources import Source, _sql, shape_key  # noqa: F401 (their home; imported from here too)
from okrdata.sources.canonical import (
    closest_known,
    closest_name,
    emails_beside_names,
    near_miss,
    owner_as_team,
    owner_of_key_results,
    quarter_of_sheet,
    team_of_sheet,
)
from okrdata.sources.outline import OUTLINE
from okrdata.validation_report import Report

INPUT_TABLES = tuple(ALIASES)  # okrs, checkins, dependencies, teams
FILE_SUFFIXES = (".csv", ".tsv", ".txt", *EXCEL_SUFFIXES)

Input = str | Path | tuple[str, bytes | Path]
# per (file, sheet): {source column: canonical column}, "__table__": the table the sheet holds,
# and "=<canonical column>": a fixed value for a column the sheet lacks ({"=team": "Sales"})
Overrides = dict[tuple[str, str | None], dict[str, str]]
FIXED = "="  # an override key starting with it sets a fixed value: "=team"
# which rows are objectives: a column whose value marks them, that value, and the column holding
# each row's title (an objective's on its rows, a key result's on the others)
ROWS_COLUMN, ROWS_VALUE, ROWS_TITLE = "__rows_column__", "__rows_value__", "__rows_title__"
_OBJECTIVE_WORDS = {"objective", "objectives", "obj", "goal", "goals", "o"}
_KR_WORDS = {"key result", "key results", "keyresult", "kr", "krs", "result", "measure"}
SAMPLE_ROWS = 50  # the first rows a source's sample values are taken from
# Files smaller than this together are a small import, loaded with one DuckDB thread and
# without DuckDB's optimizer:
# - on 2 cores, a second thread only coordinated (the sample, 0.8 MB: 0.50 s and 0.54
#   CPU-seconds with two, 0.47 s and 0.47 with one; 200 teams, 7 MB: 0.76 s against 0.70), and
#   paid from 25 MB (700 teams: 1.2 s with two, 1.4 with one);
# - optimizing the staging queries (long, their macros expanded inline) took longer than running
#   them: a file of a few rows 0.31 s with the optimizer, 0.27 s without; the sample 0.45 s and
#   0.42; 60 teams (2.3 MB) 0.52 s either way. The plans differ, the answers do not (the same
#   Dataset, report and ledger for every test fixture, real export, the sample and 60 teams);
# - and in the process's shared database for them (``db.scratch``), its files copied there: the
#   84 test fixtures took 14.9 CPU-seconds instead of 19.4 (7 Dec) in databases of their own.
ONE_THREAD_BYTES = 4_000_000


@dataclass
class LoadResult:
    """The typed data (possibly partial when there are errors), the report and the sources."""

    typed: Typed  # the tables as the store writes them; ``dataset`` is their pandas form
    report: Report
    sources: list[Source]
    aside: pd.DataFrame = field(default_factory=pd.DataFrame)  # kept, in no quarter
    file_digests: list[str] = field(default_factory=list)  # SHA-256 of each file as read
    # key results whose file gave the day their current_value was read (``current_as_of``)
    as_of_given: frozenset[str] = frozenset()
    # per file and sheet: rows read = imported + kept aside + refused, columns used or not
    ledger: ledger.Ledger = field(default_factory=ledger.Ledger)

    @property
    def dataset(self) -> Dataset:
        """The typed data as pandas frames, built on first use (``model.Typed``)."""
        return self.typed.dataset()

    @property
    def content_hash(self) -> str:
        """A hash of all input files' contents, independent of their order."""
        import hashlib

        digests = sorted({s.sha256 for s in self.sources})
        return hashlib.sha256("".join(digests).encode()).hexdigest()


def expand(inputs: Iterable[Input]) -> list[tuple[str, bytes | Path]]:
    """Named files: folders expand to their CSV/XLSX files (sorted).

    A file on disk stays a path until it is read (``archive.contents``), so an import holds one file's
    bytes at a time, not every file's (720 MB at 20,000 teams).
    """
    out: list[tuple[str, bytes | Path]] = []
    for item in inputs:
        if isinstance(item, tuple):
            out.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in FILE_SUFFIXES)
            out.extend((p.name, p) for p in files)
        else:
            out.append((path.name, path))
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
    """Read, recognise, stage, check and type the given files (paths, folders or bytes).

    DuckDB works within ``config.import_memory_mb`` and spills to the import's temporary folder
    beyond it; the rare load that needs more at once is run again without the cap.
    """
    config = config or Config()
    files = expand(inputs)
    try:
        result = _load(files, config, mapping_overrides or {}, config.import_memory_mb)
    except duckdb.OutOfMemoryException:
        if not config.import_memory_mb:
            raise
        result = _load(files, config, mapping_overrides or {}, 0)
    if not any(s.table == "okrs" for s in result.sources) and files:
        result.report.add(
            "error",
            "no_okrs",
            ", ".join(n for n, _ in files),
            "No file holds the okrs table (objective_id, objective, quarter, team, "
            "…): it is the one table every import needs.",
        )
    return result


def _load(
    files: list[tuple[str, bytes | Path]], config: Config, overrides: Overrides, memory_mb: int
) -> LoadResult:
    report = Report()
    small = _size(files) < ONE_THREAD_BYTES
    with _database(files, small, memory_mb) as (con, work):
        reader = SheetReader(con, work, report, config.max_upload_mb * 1_000_000)
        sheets, digests = [], []
        for name, item in files:
            # a small import's files are copied where its database may read them
            source = OnDisk.before_reading(item) if isinstance(item, Path) and not small else None
            data = contents(item)
            digests.append(sha256(data))
            sheets.extend(reader.read(name, data, digests[-1], source))
            del data
        trace = _Trace.of(con, sheets)  # before staging drops the text tables
        sheets = _adapted(con, sheets, report, config.date_order, overrides, trace)
        sources = _recognise(con, sheets, report, overrides)
        parts = trace.parts(sheets, sources, report)
        staging.stage(con, sources, sheets, config)
        staging.check(con, sources, report, config)
        typed, aside, as_of_given = staging.dataset(con, config, sources)
        staged = db.frame(con, db.parsed(_STAGED))
    book = ledger.build(list(trace.sheets.values()), parts, staged, aside,
                        [(i.file, i.sheet, i.row) for i in report.errors])  # fmt: skip
    _warn_unbalanced(book, report)
    return LoadResult(typed, report, sources, aside, digests, as_of_given, book)


@contextmanager
def _database(
    files: list[tuple[str, bytes | Path]], small: bool, memory_mb: int
) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """The import's DuckDB connection, with the macros of ``macros.sql`` defined, and the
    folder it may write and read files in.

    A small import works in the process's shared database (``db.scratch``: one thread, no
    optimizer, the macros defined once), which reads copies of the files; a larger one in a
    database of its own, which may also read the files where they are (``allowed_paths``)."""
    if small:
        with db.scratch(memory_mb) as (con, work):
            yield con, work
        return
    with tempfile.TemporaryDirectory(prefix="okr-ingest-") as work:
        on_disk = [item.resolve() for _, item in files if isinstance(item, Path)]
        con = db.connect(allowed_dirs=[work], allowed_paths=on_disk, memory_mb=memory_mb,
                         spill_dir=Path(work) / "spill")  # fmt: skip
        try:
            db.run(con, "macros")
            yield con, Path(work)
        finally:
            con.close()


def _size(files: list[tuple[str, bytes | Path]]) -> int:
    """The bytes of the files together (a file that cannot be read counts as none: reading it
    reports it)."""
    total = 0
    for _, item in files:
        try:
            total += len(item) if isinstance(item, bytes) else item.stat().st_size
        except OSError:
            pass
    return total


# every input row that reached a typed table (work items are in ``ds_aside``); a row twice
# is harmless (the ledger's row sets drop repeats as they go), so no distinct: a hash of every
# check-in row's pair took seconds at 20,000 teams
_STAGED = (
    " union all ".join(
        f"select _sid, _row from stg_{t}" for t in ("okrs", "checkins", "dependencies", "teams")
    )
    + " order by _sid, _row"
)  # sorted by DuckDB (in parallel): the ledger's row sets need no sort


@dataclass
class _Trace:
    """What the ledger needs of an import before staging drops the text tables: each original
    sheet as read (``ledger.Sheet``) and the spreadsheet rows of every table made from it."""

    sheets: dict[tuple[str, str | None], ledger.Sheet]
    rows: dict[str, np.ndarray]  # relation -> the spreadsheet rows it holds

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection, raw: list[RawSheet]) -> _Trace:
        """The data rows (blank rows left out) and the columns holding a value of each sheet."""
        trace = cls({}, {})
        for sheet in raw:
            rel = staging._ident(sheet.relation)
            cols = [f"c{i}" for i in range(len(sheet.columns))]
            filled: list[str] = []
            rows = np.empty(0, dtype=np.int64)
            if cols:
                counts = (
                    con.execute(
                        f"select {', '.join(f'count({c})' for c in cols)} from {rel}"
                    ).fetchone()
                    or ()
                )
                filled = [n for n, k in zip(sheet.columns, counts, strict=True) if k]
                rows = (
                    con.execute(
                        f"select _row from {rel} where coalesce({', '.join(cols)}) is not null"
                    )
                    .fetchnumpy()["_row"]
                    .astype(np.int64)
                )
            trace.rows[sheet.relation] = rows
            trace.sheets[(sheet.file, sheet.sheet)] = ledger.Sheet(
                sheet.file, sheet.sheet, rows, sheet.header_row, filled, list(sheet.skipped)
            )
        return trace

    def origin(self, sheet: RawSheet) -> ledger.Sheet | None:
        return self.sheets.get((sheet.file, sheet.sheet))

    def parts(
        self, sheets: list[RawSheet], found: list[Source], report: Report
    ) -> list[ledger.Part]:
        """The tables staging reads, in its order (``_sid``), and what becomes of each."""
        out = []
        for sheet, src in zip(sheets, found, strict=True):
            rows = self.rows.get(sheet.relation, np.empty(0, dtype=np.int64))
            part = ledger.Part(sheet.file, sheet.sheet, rows, mapped=list(src.mapping))
            origin = self.origin(sheet)
            if origin is not None and not origin.why:
                origin.why = "; ".join(n for n in src.notes if n.startswith("looks like"))
            if src.table is None:
                refused = any(i.code == "unrecognised_table" and i.file == sheet.file
                              and i.sheet == sheet.sheet for i in report.errors)  # fmt: skip
                part.fate, part.reason = ("refused" if refused else "aside"), "in no known shape"
                if origin is not None and not origin.why:
                    origin.why = "in no known shape"
            elif src.table == "lookup":
                # "used to name people" -> "read to name people"; a dump's other tables say why
                use = next((n.rsplit("; ", 1)[-1] for n in src.notes
                            if n.startswith("looks like the ")), "used to name periods")  # fmt: skip
                part.fate, part.reason = "aside", use.replace("used to name", "read to name")
                part.mapped = list(sheet.columns)
            elif src.missing_required:
                part.fate, part.reason = "refused", "a required column is missing"
            out.append(part)
        return out


def _warn_unbalanced(book: ledger.Ledger, report: Report) -> None:
    """Rows read that went nowhere, packed items that do not add up: said, never silent."""
    for entry in book.entries:
        if entry.unaccounted:
            report.add("warning", "unaccounted_rows", entry.file, ledger.unaccounted_message(entry),
                       sheet=entry.sheet, row=entry.unaccounted[0])  # fmt: skip
        for kind, gap in entry.packed_gaps().items():
            report.add("warning", "unaccounted_packed", entry.file,
                       ledger.packed_message(entry, kind, gap), sheet=entry.sheet)  # fmt: skip


def _recognise(
    con: duckdb.DuckDBPyConnection,
    sheets: list[RawSheet],
    report: Report,
    overrides: Overrides,
) -> list[Source]:
    sources = []
    for sheet in sheets:
        chosen = overrides.get((sheet.file, sheet.sheet), {})
        table = chosen.get("__table__") or sheet.kind
        src = Source(sheet.file, sheet.sheet, table, sheet.sha256, sheet.rows,
                     columns=list(sheet.columns), notes=list(sheet.notes),
                     header_row=sheet.header_row)  # fmt: skip
        src.shape = shape_key(sheet.shape, sheet.seen_as if chosen.get("__table__") else table,
                              [c for c in sheet.origin or sheet.columns
                               if c not in sheet.unnamed])  # fmt: skip
        src.samples, src.row_kinds = _samples(con, sheet)
        sources.append(src)
        if table is None:
            in_book = sum(s.file == sheet.file for s in sheets) > 1
            hint = near_miss(sheet.columns)
            report.add(
                "warning" if in_book else "error",
                "unrecognised_table",
                sheet.file,
                "The columns do not match any OKR table (okrs, checkins, dependencies, "
                "teams); this "
                + ("sheet is" if sheet.sheet else "file is")
                + " ignored."
                + (f" {hint}" if hint else ""),
                sheet=sheet.sheet,
                row=sheet.header_row,
                value=", ".join(sheet.columns[:8]),
            )
            continue
        if table == "work":
            src.mapping = {c: c for c in sheet.columns if c in WORK_COLUMNS}
            continue
        if table == "lookup":
            continue
        src.mapping, src.unknown_columns = map_columns(table, sheet.columns)
        for source_col, canon in chosen.items():
            if source_col in sheet.columns:
                src.mapping = {k: v for k, v in src.mapping.items() if v != canon}
                src.mapping[source_col] = canon
                if source_col in src.unknown_columns:
                    src.unknown_columns.remove(source_col)
        for key, value in chosen.items():
            canon, text = key[len(FIXED) :], re.sub(r"[\x00-\x1f\x7f]+", " ", value).strip()
            if key.startswith(FIXED) and canon in ALIASES[table] and text:
                src.mapping = {k: v for k, v in src.mapping.items() if v != canon}
                src.fixed[canon] = text
                src.notes.append(f"{canon} is {text!r} on every row (as answered)")
        src.fiscal_labels = _fiscal_labels(con, sheet, src)
        owner_as_team(src)
        owner_of_key_results(src)
        emails_beside_names(src)
        _skip_empty_unnamed(con, sheet, src)
        mapped = set(src.mapping.values()) | set(src.fixed)
        src.missing_required = [c for c in REQUIRED[table] if c not in mapped]
        if "quarter" in src.missing_required and mapped & {"start_date", "end_date"}:
            src.missing_required.remove("quarter")  # the dates decide the period
        if "value" in src.missing_required and mapped & {"status", "confidence", "comment"}:
            src.missing_required.remove("value")  # a check-in may say how it stands, no value
        team_of_sheet(src, report)
        quarter_of_sheet(src, sheet.above, report)
        outline = any(n.startswith(f"looks like {OUTLINE}") for n in src.notes)
        for col in src.missing_required:
            near = closest_name(table, col, src.unknown_columns)
            why = (" (No title row above the header, the sheet's name or the file's name "
                   "names a quarter either.)" if outline and col == "quarter" else "")  # fmt: skip
            report.add(
                "error",
                "missing_column",
                sheet.file,
                sheet=sheet.sheet,
                row=sheet.header_row,
                column=col,
                value=near,
                message=f"The {table} table needs a column {col!r}; none of the columns "
                + (f"matches it (closest: {near!r})." if near else "matches it.")
                + f" Rename the column that holds it to {col!r}, or choose that column on the"
                " Data page." + why,
            )
        if src.unknown_columns:
            named = [
                f"{c} (like {k!r}?)" if (k := closest_known(table, c)) else c
                for c in src.unknown_columns[:20]
            ]
            n_unknown = len(src.unknown_columns)
            if n_unknown > 20:
                named.append(f"… and {len(src.unknown_columns) - 20} more")
            report.add(
                "warning",
                "unknown_columns",
                sheet.file,
                sheet=sheet.sheet,
                row=sheet.header_row,
                value=", ".join(src.unknown_columns),
                message=f"{count(n_unknown, 'column')} {agree(n_unknown, 'is', 'are')} not part"
                f" of the {table} table; {agree(n_unknown, 'it is', 'they are')} kept aside and"
                f" not used: {', '.join(named)}.",
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


def _samples(
    con: duckdb.DuckDBPyConnection, sheet: RawSheet
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The first 3 non-empty values of each column among the sheet's first rows (what a question
    about a column shows), and the columns whose few values mark rows as objectives or key
    results (``Source.row_kinds``), with those values."""
    if not sheet.columns:
        return {}, {}
    first = con.execute(
        f"select * from {staging._ident(sheet.relation)} limit {int(SAMPLE_ROWS)}"
    ).fetchall()
    rows = [r[1:] for r in sorted(first, key=lambda r: r[0])]
    out: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}
    for i, column in enumerate(sheet.columns):
        values = [str(r[i]).strip() for r in rows if i < len(r) and r[i] is not None]
        out.setdefault(column, [v for v in values if v][:3])
        distinct = list(dict.fromkeys(v for v in values if v))
        norms = {normalise(v) for v in distinct}
        if len(distinct) <= 8 and norms & _OBJECTIVE_WORDS and norms & _KR_WORDS:
            kinds[column] = distinct
    return out, kinds


def _fiscal_labels(con: duckdb.DuckDBPyConnection, sheet: RawSheet, src: Source) -> list[str]:
    """The sheet's period labels named by fiscal year (``FY22-Q1``), sorted, at most 20."""
    at = [f"c{sheet.columns.index(c)}" for c, k in src.mapping.items()
          if k in ("quarter", "kr_quarter")]  # fmt: skip
    labels: set[str] = set()
    for col in at:
        rel, c = staging._ident(sheet.relation), staging._ident(col)
        rows = con.execute(f"select distinct trim({c}) from {rel} where {c} is not null limit 500")
        labels.update(v for (v,) in rows.fetchall() if is_fiscal(v))
    return sorted(labels)[:20]


def _skip_empty_unnamed(con: duckdb.DuckDBPyConnection, sheet: RawSheet, src: Source) -> None:
    """Columns without a name and without a value (a delimiter at the end of every line) are
    no column a person made: they are not listed as unknown."""
    candidates = [c for c in src.unknown_columns if c in sheet.unnamed]
    if not candidates:
        return
    at = {c: f"c{sheet.columns.index(c)}" for c in candidates}
    counts = ", ".join(f"count({staging._ident(a)})" for a in at.values())
    filled = con.execute(f"select {counts} from {staging._ident(sheet.relation)}").fetchone()
    for column, n in zip(candidates, filled or (), strict=True):
        if n == 0:
            src.unknown_columns.remove(column)


def _adapted(
    con: duckdb.DuckDBPyConnection, sheets: list[RawSheet], report: Report, date_order: str,
    overrides: Overrides, trace: _Trace | None = None,
) -> list[RawSheet]:  # fmt: skip
    """Each sheet's shape recognised (``sources.best``) and, for another tool's shape, replaced
    by the canonical tables its adapter makes; a sheet in a canonical table's shape is kept as
    it is, its table set (``kind``). Sheets of a shape converted together (database tables)
    are gathered first."""
    matches = {}
    for sheet in sheets:
        chosen = overrides.get((sheet.file, sheet.sheet), {}).get("__table__")
        # (no "order by _row limit": DuckDB 2.0's late materialization fails on it over a view)
        first = con.execute(f"select * from {staging._ident(sheet.relation)} limit 20").fetchall()
        head = [r[1:] for r in sorted(first, key=lambda r: r[0])]
        match = sources.best(sources.Sample(sheet.file, sheet.sheet, list(sheet.columns), head))
        if chosen:  # the table as answered; its shape stays the one recognition saw
            sheet.kind = chosen
            sheet.shape = match.adapter.name if match is not None else ""
            sheet.seen_as = match.table if match is not None else None
            sheet.notes.append(f"read as {_table_words(chosen)} (as answered)")
            if trace is not None and (origin := trace.origin(sheet)) is not None:
                origin.shape, origin.why = "canonical", f"chosen on the Data page as {chosen}"
            continue
        if match is not None:
            matches[id(sheet)] = match
    out: list[RawSheet] = []
    grouped: dict[str, list[RawSheet]] = {}
    for sheet in sheets:
        match = matches.get(id(sheet))
        if match is None:
            out.append(sheet)
        elif match.adapter.combine_stage is not None:
            grouped.setdefault(match.adapter.name, []).append(sheet)
        elif not match.adapter.reshapes:
            sheet.kind = sheet.kind or match.table
            sheet.notes.append(f"{match.why} ({_table_words(match.table)})")
            sheet.shape = match.adapter.name
            if trace is not None and (origin := trace.origin(sheet)) is not None:
                origin.shape, origin.why = match.adapter.name, match.why
            out.append(sheet)
        else:
            out.extend(_convert_one(con, sheet, match, report, date_order, trace))
    for name, members in grouped.items():
        adapter = next(a for a in sources.ADAPTERS if a.name == name)
        out.extend(_combine(con, adapter, members, report, trace))
    return [_objective_rows(con, s, overrides.get((s.file, s.sheet), {}), trace) for s in out]


def _objective_rows(
    con: duckdb.DuckDBPyConnection, sheet: RawSheet, chosen: dict, trace: _Trace | None = None
) -> RawSheet:
    """An okrs sheet whose rows are objectives or key results by a column's value (as answered:
    ``Level`` = ``Objective``), reshaped to the merged-cells layout: the title column becomes
    ``objective`` on objective rows and ``key_result`` on the others, and the marking column is
    dropped; each key result then belongs to the objective row above it (staging fills its
    blank objective columns). Text is only moved, never typed."""
    marker, value, title = (chosen.get(k) for k in (ROWS_COLUMN, ROWS_VALUE, ROWS_TITLE))
    if sheet.kind != "okrs" or not (marker and value and title) or marker == title:
        return sheet
    if marker not in sheet.columns or title not in sheet.columns:
        return sheet
    at = {c: i for i, c in reversed(list(enumerate(sheet.columns)))}  # the first of a name
    relation = staging._ident(sheet.relation)
    # which marks say objective: the column's distinct values compared here, as Python
    # compares text (stripped, case-folded); the rows are then picked in SQL by those values
    marks = [r[0] for r in con.execute(f"select distinct c{at[marker]} from {relation}").fetchall()]
    wanted = value.strip().casefold()
    said = [m for m in marks if m is not None and m.strip().casefold() == wanted]
    is_objective = f"(coalesce(list_contains($marks, c{at[marker]}), false) or " \
                   f"(c{at[marker]} is null and $blank))"  # fmt: skip
    taken = {"objective", "key result"}
    kept = [i for i, c in enumerate(sheet.columns)
            if c not in (marker, title) and normalise(c) not in taken]  # fmt: skip
    names = [sheet.columns[i] for i in kept] + ["objective", "key_result"]
    cols = [f"c{i}" for i in kept] + [
        f"case when {is_objective} then c{at[title]} end",
        f"case when not {is_objective} then c{at[title]} end",
    ]
    new = RawSheet(sheet.file, sheet.sheet, f"{sheet.relation}_okrs", names, sheet.rows,
                   sheet.sha256, [*sheet.notes, (
                       f"rows whose {marker} is {value!r} are objectives, the others key results "
                       f"under the objective above them; {title} holds their titles (as answered)")],
                   kind="okrs", header_row=sheet.header_row, shape=sheet.shape or "canonical",
                   seen_as=sheet.seen_as,
                   origin=sheet.origin or [c for c in sheet.columns
                                           if c not in sheet.unnamed])  # fmt: skip
    select = ", ".join(f"{c} as c{i}" for i, c in enumerate(cols))
    con.execute(
        f"create or replace table {staging._ident(new.relation)} as select _row, {select} "
        f"from {relation} order by _row",
        {"marks": said, "blank": wanted == "" and None in marks},
    )
    if trace is not None:
        got = con.execute(f"select _row from {staging._ident(new.relation)}").fetchnumpy()["_row"]
        trace.rows[new.relation] = np.asarray(got, dtype=np.int64)
    return new


def _combine(
    con: duckdb.DuckDBPyConnection, adapter: sources.Adapter, members: list[RawSheet],
    report: Report, trace: _Trace | None = None,
) -> list[RawSheet]:  # fmt: skip
    """Sheets converted together (one file per database table, linked by ids)."""
    from okrdata.sources.database import entity_of

    named: dict[str, RawSheet] = {}
    rest = []
    for sheet in members:
        entity = entity_of(sheet.sheet if sheet.sheet else sheet.file)
        if entity and entity not in named:
            named[entity] = sheet
        else:
            rest.append(sheet)
    assert adapter.combine_stage is not None
    ctxs = {}
    for entity, sheet in named.items():  # each table reshaped in SQL, in this connection
        ctxs[entity] = _sql.open_sheet(con, sheet.relation, f"{sheet.relation}_v", sheet.columns,
                                       sources.Context(sheet.file, sheet.sheet))  # fmt: skip
    converted = adapter.combine_stage(con, ctxs)
    if converted is None:
        return members
    out = list(rest)
    for entity, entry in converted.items():
        sheet = named[entity]
        note = (
            f"looks like the {entity} table of a database export, linked "
            f"{entry.get('linked', 'by ids')}"
        )
        # rows the adapter set aside (a row the tool deleted), by their spreadsheet rows
        aside = entry.get("aside", [])
        if aside:
            got = con.execute(f"select _row from {ctxs[entity].relation} order by _pos")
            at = got.fetchnumpy()["_row"]
            aside = [([int(at[i]) for i in pos], why) for pos, why in aside]
        if trace is not None and (origin := trace.origin(sheet)) is not None:
            origin.shape, origin.why, origin.unused = adapter.name, note, list(entry["unused"])
            origin.aside = aside
        said = [f"{count(len(rows), 'row')} set aside, {why}: {ledger.rows_text(rows)}"
                for rows, why in aside]  # fmt: skip
        if entry["unused"]:
            report.add("warning", "unknown_columns", sheet.file, sheet=sheet.sheet,
                       row=sheet.header_row, value=", ".join(entry["unused"]),
                       message=f"{_columns(entry['unused'])} of the {entity} table "
                       f"{agree(len(entry['unused']), 'is', 'are')} not used: "
                       f"{', '.join(entry['unused'])}.")  # fmt: skip
        if not entry["tables"]:
            use = entry.get("use", "used to name periods")
            out.append(RawSheet(sheet.file, sheet.sheet, sheet.relation, sheet.columns, sheet.rows,
                                sheet.sha256, [*sheet.notes, f"{note}; {use}"],
                                kind="lookup"))  # fmt: skip
        for table, sql in entry["tables"].items():
            stored = _store_sql(con, sheet, table, sql, ctxs[entity].relation, note,
                                adapter.name, trace, keep_empty=True)  # fmt: skip
            assert stored is not None
            stored.notes.extend(said)
            out.append(stored)
    return out


def _convert_one(
    con: duckdb.DuckDBPyConnection, sheet: RawSheet, match: sources.Match, report: Report,
    date_order: str, trace: _Trace | None = None,
) -> list[RawSheet]:  # fmt: skip
    """A sheet in another tool's shape, replaced by the canonical tables its adapter makes."""
    ctx = sources.Context(sheet.file, sheet.sheet, date_order, list(sheet.above))
    assert match.adapter.stage is not None  # reshaped in SQL, in this connection
    view = f"{sheet.relation}_v"
    _sql.open_sheet(con, sheet.relation, view, sheet.columns, ctx)
    converted = match.adapter.stage(con, ctx)
    rows = pd.Series(con.execute(f"select _row from {view} order by _pos").fetchnumpy()["_row"])
    if converted is None:  # the header might have been one, the rows say it is not
        return [sheet]
    shape = match.adapter.tool
    if trace is not None and (origin := trace.origin(sheet)) is not None:
        at = rows.to_numpy()
        origin.shape, origin.why, origin.unused = match.adapter.name, match.why, converted.unused
        origin.aside = [([int(at[i]) for i in pos], why) for pos, why in converted.aside]
        origin.packed = {kind: dict(parts) for kind, parts in converted.packed.items()}
        origin.items_aside = [([int(at[i]) for i in pos], why)
                              for pos, why in converted.items_aside]  # fmt: skip
    extra = [text.format(rows=_rows_text(rows, at)) for text, at in converted.notes]
    unused = converted.unused
    if unused:
        report.add("warning", "unknown_columns", sheet.file, sheet=sheet.sheet,
                   row=sheet.header_row, value=", ".join(unused),
                   message=f"{_columns(unused)} of {shape} "
                   f"{agree(len(unused), 'is', 'are')} not used: "
                   f"{', '.join(unused[:30])}{' …' if len(unused) > 30 else ''}.")  # fmt: skip
    for column, value, message in converted.warnings:
        report.add("warning", "ambiguous_dates", sheet.file, message, sheet=sheet.sheet,
                   row=sheet.header_row, column=column, value=value)  # fmt: skip
    out = []
    for table, query in converted.tables.items():
        note = f"{match.why}; converted to {_table_words(table)}"  # words, not a table's name
        stored = _store_sql(con, sheet, table, str(query), ctx.relation, note,
                            match.adapter.name, trace, converted.shown)  # fmt: skip
        if stored is None:  # an empty table other than okrs
            continue
        stored.notes.extend(extra)
        out.append(stored)
    return out


def _store_sql(
    con: duckdb.DuckDBPyConnection, sheet: RawSheet, table: str, sql: str, view: str, note: str,
    adapter: str, trace: _Trace | None = None, shown: dict[str, str] | None = None,
    keep_empty: bool = False,
) -> RawSheet | None:  # fmt: skip
    """A canonical table a staging adapter's query gives, stored as a raw sheet (columns by
    position, each row keeping the file row it came from; named as ``shown`` says, else by
    the query); None for an empty table other than ``okrs`` (unless ``keep_empty``: a
    database table's, stored even when empty)."""
    names, order = _sql.query_shape(con, sql)
    relation = f"{sheet.relation}_{table}"
    cols = ", ".join(f'q."{n}"::varchar as c{i}' for i, n in enumerate(names))
    names = [(shown or {}).get(n, n) for n in names]
    con.execute(
        f"create or replace table {staging._ident(relation)} as select v._row::int32 as _row, "
        f"{cols} from ({sql}) q join {staging._ident(view)} v using (_pos) {order}"
    )
    n = con.execute(f"select count(*) from {relation}").fetchone()
    count_ = int(n[0]) if n else 0
    if table != "okrs" and count_ == 0 and not keep_empty:
        con.execute(f"drop table {relation}")
        return None
    new = RawSheet(sheet.file, sheet.sheet, relation, names, count_, sheet.sha256,
                   [*sheet.notes, note], kind=table, header_row=sheet.header_row, shape=adapter,
                   seen_as=sheet.seen_as,
                   origin=sheet.origin or [c for c in sheet.columns
                                           if c not in sheet.unnamed])  # fmt: skip
    if trace is not None:
        got = con.execute(f"select _row from {relation}").fetchnumpy()["_row"]
        trace.rows[relation] = np.asarray(got, dtype=np.int64)
    return new


def _rows_text(rows: pd.Series, at: list[int]) -> str:
    """ "row 4", "rows 4, 9": the spreadsheet's row numbers of frame positions ``at``."""
    numbers = [str(int(rows.iloc[i])) for i in at]
    return ("row " if len(numbers) == 1 else "rows ") + ", ".join(numbers)


def _columns(names: list[str]) -> str:
    """ "1 column", "3 columns": how a warning about unused columns starts."""
    return count(len(names), "column")


def _table_words(table: str | None) -> str:
    """A canonical table in words, as an analyst reads it: ``checkins`` → ``check-ins``."""
    return {**sources.TABLE_WORDS, "work": "work items"}.get(table or "", table or "")
