"""The persistent store: every import is a batch, each quarter shows its latest (or restored) one.

One embedded DuckDB file (``$OKR_DB``, default ``data/okr.duckdb``) holds:

- ``batches``: each import with its time, who imported it, files with content hashes, row
  counts per table and the quarters it contains;
- ``active``: for each quarter, the batch in force. An import is a snapshot of its quarters:
  it becomes active for them; earlier batches stay and can be restored;
- the five data tables, each row tagged with its batch, and ``active_*`` views that assemble
  the data in force (``sql/store_schema.sql``);
- ``events``: every import and restore; their count is the data version the app caches on.

An import or restore runs in one transaction: on any error, or if the process dies, the store is
as it was (DuckDB's write-ahead log rolls an unfinished transaction back on the next open).
Importing files identical to a batch that is already in force changes nothing.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = Store(pathlib.Path(tmp) / "okr.duckdb")
...     _, first = store.import_files(["sample_data"])
...     _, again = store.import_files(["sample_data"])
...     (first.batch_id, first.changed, again.changed, len(store.history()))
(1, True, False, 1)
"""

from __future__ import annotations

import dataclasses
import getpass
import json
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from okrdata import db
from okrdata import scope as import_scope
from okrdata.config import Config
from okrdata.ingest import Input, LoadResult, Overrides, load
from okrdata.model import SCHEMA, Dataset, conform, settle

DEFAULT_PATH = Path("data") / "okr.duckdb"
Progress = Callable[[float, str], object]  # its return value is ignored

_OPEN: dict[Path, duckdb.DuckDBPyConnection] = {}  # one connection per file and process
_OPEN_LOCK = threading.Lock()


def default_path() -> Path:
    """``$OKR_DB`` when set, else ``data/okr.duckdb``."""
    return Path(os.environ.get("OKR_DB") or DEFAULT_PATH)


@dataclass(frozen=True)
class ImportResult:
    """What an import or restore did: the batch, whether anything changed, and a sentence."""

    batch_id: int | None
    changed: bool
    message: str
    quarters: list[str] = field(default_factory=list)
    replaced: dict[str, int | None] = field(default_factory=dict)  # quarter -> previous batch
    rows: dict[str, int] = field(default_factory=dict)


class StoreBusy(RuntimeError):
    """Another process holds the store file open for writing."""


class Store:
    """An OKR store in one DuckDB file; safe to share between threads (a cursor per call)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        self._write = threading.Lock()
        self._con = _connection(self.path)

    # reading ---------------------------------------------------------------------------

    def _frame(self, query: str, params: dict | None = None) -> pd.DataFrame:
        return db.frame(self._con.cursor(), query, params)

    def has_data(self) -> bool:
        """True once any import has been made."""
        return bool(_one(db.run(self._con.cursor(), "store_batch_count")))

    def data_version(self) -> int:
        """A number that changes with every import and restore (0 on an empty store)."""
        return int(_one(db.run(self._con.cursor(), "store_data_version")))

    def dataset(self) -> Dataset:
        """The data in force: for each quarter, its active batch."""
        tables = {t: conform(t, self._frame(db.sql(f"store_active_{t}"))) for t in SCHEMA}
        return settle(Dataset(**tables))

    def history(self) -> pd.DataFrame:
        """Every batch, newest first, with the quarters it is active for."""
        return self._frame(db.sql("store_history"))

    # writing ---------------------------------------------------------------------------

    def import_files(
        self,
        inputs: Iterable[Input],
        *,
        config: Config | None = None,
        mapping_overrides: Overrides | None = None,
        imported_by: str | None = None,
        progress: Progress | None = None,
        scope: str = "quarters",
    ) -> tuple[LoadResult, ImportResult]:
        """Validate files and import them when the report has no errors."""
        _report(progress, 0.0, "Reading and validating the files")
        result = load(inputs, config=config, mapping_overrides=mapping_overrides)
        outcome = self.import_dataset(
            result, imported_by=imported_by, progress=progress, scope=scope
        )
        return result, outcome

    def import_dataset(
        self,
        result: LoadResult,
        *,
        imported_by: str | None = None,
        progress: Progress | None = None,
        scope: str = "quarters",
    ) -> ImportResult:
        """Store a validated load as a new batch, active for the quarters it contains.

        ``scope`` "quarters" replaces those quarters; "teams" replaces only the upload's teams
        in them, other teams' objectives stay (``okrdata.scope``)."""
        if scope != "quarters" and result.report.ok:
            merged = import_scope.merge(self.dataset(), result.dataset, scope)
            result = dataclasses.replace(result, dataset=merged)
        if not result.report.ok:
            n = len(result.report.errors)
            return ImportResult(None, False, f"Not imported: the report lists {n} error(s).")
        ds = result.dataset
        if ds.objectives.empty and ds.teams.empty and ds.dependencies.empty:
            return ImportResult(None, False, "Not imported: the files hold no OKR data.")
        with self._write:
            cur = self._con.cursor()
            cur.begin()
            try:
                outcome = _write_batch(cur, result, imported_by or _user(), progress)
                if outcome.changed:
                    _report(progress, 0.95, "Committing")
                    cur.commit()
                else:
                    cur.rollback()
            except BaseException:
                cur.rollback()
                raise
        _report(progress, 1.0, outcome.message)
        return outcome

    def restore(self, batch_id: int, *, restored_by: str | None = None) -> ImportResult:
        """Make an earlier batch active again for every quarter it contains."""
        with self._write:
            cur = self._con.cursor()
            cur.begin()
            try:
                row = db.run(cur, "store_batch_quarters", {"batch_id": batch_id}).fetchone()
                if row is None:
                    cur.rollback()
                    return ImportResult(None, False, f"There is no batch {batch_id}.")
                quarters = list(row[0])
                replaced = _active_for(cur, quarters)
                if quarters and all(replaced.get(q) == batch_id for q in quarters):
                    cur.rollback()
                    return ImportResult(
                        batch_id, False, f"Batch {batch_id} is already in force; nothing changed."
                    )
                _activate(cur, batch_id, quarters, "restore", restored_by or _user())
                cur.commit()
            except BaseException:
                cur.rollback()
                raise
        names = ", ".join(quarters) or "the org chart"
        return ImportResult(
            batch_id, True, f"Restored batch {batch_id} for {names}.", quarters, replaced
        )

    def preview(self, result: LoadResult, scope: str = "quarters") -> import_scope.Preview:
        """What importing ``result`` with ``scope`` would add, change and no longer show."""
        return import_scope.preview(self.dataset(), result.dataset, scope)

    def save_mapping(self, columns: list[str], mapping: dict[str, str]) -> None:
        """Remember a confirmed column mapping ({canonical: file column}) for this header."""
        cur = self._con.cursor()
        cur.execute(db.sql("store_mappings"))
        cur.execute(
            "insert or replace into mappings values ($h, $m, now()::timestamp)",
            {"h": _header_key(columns), "m": json.dumps(mapping, sort_keys=True)},
        )

    def saved_mapping(self, columns: list[str]) -> dict[str, str]:
        """The mapping confirmed for files with exactly this header ({} when none)."""
        cur = self._con.cursor()
        cur.execute(db.sql("store_mappings"))
        row = cur.execute(
            "select mapping from mappings where header = $h", {"h": _header_key(columns)}
        ).fetchone()
        return json.loads(row[0]) if row else {}

    def close(self) -> None:
        with _OPEN_LOCK:
            con = _OPEN.pop(self.path.resolve(), None)
        if con is not None:
            con.close()


def _connection(path: Path) -> duckdb.DuckDBPyConnection:
    """The process's connection to the store file, opened (and created) on first use."""
    key = path.resolve()
    with _OPEN_LOCK:
        if key in _OPEN:
            return _OPEN[key]
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = db.connect(path, allowed_dirs=[path.parent])
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreBusy(
                    f"The store {path} is open in another process (is the app importing?). "
                    "Import from the app's Data page, or stop the other process."
                ) from exc
            raise
        db.run(con, "store_schema")
        _OPEN[key] = con
        return con


def _write_batch(
    cur: duckdb.DuckDBPyConnection, result: LoadResult, by: str | None, progress: Progress | None
) -> ImportResult:
    ds = result.dataset
    quarters = sorted(set(ds.quarters) | set(ds.dependencies["quarter"].dropna()))
    same = db.run(cur, "store_batches_with_hash", {"content_hash": result.content_hash}).fetchall()
    latest = _one(db.run(cur, "store_latest_batch_id"))
    for batch_id, its_quarters in same:
        active = _active_for(cur, list(its_quarters))
        if all(active.get(q) == batch_id for q in its_quarters) and (
            its_quarters or batch_id == latest
        ):
            return ImportResult(
                batch_id,
                False,
                f"These files are identical to batch {batch_id}, which is in force; "
                "nothing changed.",
                list(its_quarters),
            )
    batch_id = latest + 1
    rows = {t: len(f) for t, f in ds.tables().items()}
    files = [
        {"name": s.name, "sheet": s.sheet, "table": s.table, "sha256": s.sha256, "rows": s.rows}
        for s in result.sources
    ]
    db.run(
        cur,
        "store_insert_batch",
        {"batch_id": batch_id, "imported_by": by, "files": json.dumps(files),
         "content_hash": result.content_hash, "quarters": quarters,
         **{f"rows_{t}": n for t, n in rows.items()}},
    )  # fmt: skip
    day = pd.Timestamp.today().normalize()
    for i, (table, frame) in enumerate(ds.tables().items()):
        _report(progress, 0.1 + 0.8 * i / len(SCHEMA), f"Writing {len(frame):,} {table} rows")
        if table == "key_results":  # a current_value counts from the day it was imported
            frame = frame.assign(current_as_of=pd.Timestamp(day))
        cur.register("_incoming", frame)
        db.run(cur, f"store_insert_{table}", {"batch_id": batch_id})
        cur.unregister("_incoming")
    replaced = _active_for(cur, quarters)
    _activate(cur, batch_id, quarters, "import", by)
    counts = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in rows.items() if n)
    new = [q for q in quarters if replaced.get(q) is None]
    parts = [f"Imported batch {batch_id} ({counts})."]
    if new:
        parts.append(f"New quarters: {', '.join(new)}.")
    if len(new) < len(quarters):
        swapped = [f"{q} (was batch {replaced[q]})" for q in quarters if replaced.get(q)]
        parts.append(f"Replaced: {', '.join(swapped)}.")
    return ImportResult(batch_id, True, " ".join(parts), quarters, replaced, rows)


def _active_for(cur: duckdb.DuckDBPyConnection, quarters: list[str]) -> dict[str, int | None]:
    found = dict(db.run(cur, "store_active_batches", {"quarters": list(quarters)}).fetchall())
    return {q: found.get(q) for q in quarters}


def _activate(
    cur: duckdb.DuckDBPyConnection, batch_id: int, quarters: list[str], kind: str, by: str | None
) -> None:
    db.run(
        cur,
        "store_activate",
        {"quarters": quarters, "batch_id": batch_id, "kind": kind, "by_user": by},
    )


def _one(cur: duckdb.DuckDBPyConnection) -> Any:
    """The single value a one-row, one-column query returned."""
    row = cur.fetchone()
    assert row is not None
    return row[0]


def _header_key(columns: list[str]) -> str:
    return json.dumps([str(c) for c in columns])


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _report(progress: Progress | None, fraction: float, text: str) -> None:
    if progress is not None:
        progress(fraction, text)
