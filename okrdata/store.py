"""The persistent store: every import is a batch, each quarter shows its latest (or restored) one.

One embedded DuckDB file (``$OKR_DB``, default ``data/okr.duckdb``) holds:

- ``batches``: each import with its time, who imported it, files with content hashes, row
  counts per table and the quarters it contains;
- ``active``: for each quarter, the batch in force. An import is a snapshot of its quarters:
  it becomes active for them; earlier batches stay and can be restored;
- the five data tables, each row tagged with its batch, and ``active_*`` views that assemble
  the data in force (``sql/store_schema.sql``);
- ``events``: every import and restore; their count is the data version the app caches on.

**The file is a published, immutable snapshot.** Nobody writes it in place. An import or a
restore takes the writer's lock (``okr.duckdb.lock``; a second importer waits, with a message,
up to ``$OKR_LOCK_TIMEOUT`` seconds, then is refused), copies the store to a private temporary
file, writes its batch there in one transaction, archives the original files, and renames the
copy over the store (``os.replace``, atomic). Readers (the app, any number of replicas, the
CLI) open the file read-only and reopen it when it has been replaced, so they never block the
importer, and nothing half-written is ever visible. A failed, interrupted or killed import
leaves the store as it was. Importing files identical to a batch in force changes nothing.

**Nothing is lost.** Every import's original files are kept in the archive beside the store
(``okrdata/archive.py``), with a journal of every import and restore; ``rebuild`` recreates the
store, its batch ids, times, people and restores from it. A damaged or foreign store file is
reported in one sentence (``StoreDamaged``) naming the rebuild command.

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
import errno
import getpass
import json
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from okrdata import db, files
from okrdata import scope as import_scope
from okrdata.archive import (
    Archive,
    FileChanged,
    archive_dir,
    file_identity,
    remove,
)
from okrdata.config import Config
from okrdata.display import count
from okrdata.ingest import Input, LoadResult, Overrides, expand, load
from okrdata.ledger import Ledger
from okrdata.model import (
    SCHEMA,
    Dataset,
    Typed,
    conform,
    distinct_counts,
    settle,
    unify_copies,
)

DEFAULT_PATH = Path("data") / "okr.duckdb"
DEFAULT_LOCK_TIMEOUT_S = 600.0
Progress = Callable[[float, str], object]  # its return value is ignored
Change = Callable[[duckdb.DuckDBPyConnection], "tuple[ImportResult, dict | None]"]


def default_path() -> Path:
    """``$OKR_DB`` when set, else ``data/okr.duckdb``."""
    return Path(os.environ.get("OKR_DB") or DEFAULT_PATH)


def rebuild_command(path: Path) -> str:
    return f"python -m okrdata rebuild --db {path}"


@dataclass(frozen=True)
class ImportResult:
    """What an import or restore did: the batch, whether anything changed, and a sentence."""

    batch_id: int | None
    changed: bool
    message: str
    quarters: list[str] = field(default_factory=list)
    replaced: dict[str, int | None] = field(default_factory=dict)  # quarter -> previous batch
    rows: dict[str, int] = field(default_factory=dict)


class StoreError(RuntimeError):
    """A problem with the store a person can act on; the text is one sentence saying what."""


class StoreBusy(StoreError):
    """Another process is importing into the store and did not finish in time."""


class StoreDamaged(StoreError):
    """The store file cannot be read: damaged, missing, or not an OKR Pulse store."""


class _Unreadable(StoreError):
    """A journal entry whose archived files no longer read as they did (rebuild names it)."""


def damaged(path: Path, exc: BaseException | None = None) -> StoreDamaged:
    """The one sentence for a store that cannot be read, naming the command that rebuilds it."""
    text = str(exc or "").lower()
    if exc is None or isinstance(exc, FileNotFoundError):
        what = "is missing"
    elif "not a valid duckdb database" in text:
        what = "is not a DuckDB database"
    elif isinstance(exc, duckdb.CatalogException):
        what = "is a DuckDB database but not an OKR Pulse store"
    else:
        what = "is damaged (DuckDB cannot read it)"
    return StoreDamaged(
        f"The store {path} {what}; rebuild it from its archive with `{rebuild_command(path)}`."
    )


class Store:
    """An OKR store in one DuckDB file; safe to share between threads (a cursor per call)."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        lock_timeout: float | None = None,
        create: bool = True,
    ):
        self.path = Path(path) if path else default_path()
        self.archive = Archive(archive_dir(self.path))
        env = os.environ.get("OKR_LOCK_TIMEOUT")
        self.lock_timeout = lock_timeout if lock_timeout is not None else float(
            env or DEFAULT_LOCK_TIMEOUT_S
        )  # fmt: skip
        self._write = threading.Lock()
        self._read = threading.Lock()
        self._snapshot: tuple[tuple, duckdb.DuckDBPyConnection] | None = None
        if create and not self.path.exists():
            self._create()

    # reading ---------------------------------------------------------------------------

    def _reader(self) -> duckdb.DuckDBPyConnection:
        """The read-only connection to the published file, reopened once it is replaced."""
        ident = file_identity(self.path)
        if ident is None:
            raise damaged(self.path)  # missing
        with self._read:
            if self._snapshot is None or self._snapshot[0] != ident:
                try:
                    con = db.read_only(self.path)
                except duckdb.Error as exc:
                    raise damaged(self.path, exc) from exc
                self._snapshot = (ident, con)  # the old one closes once no cursor uses it
            return self._snapshot[1]

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the published snapshot, for tools and tests that query it directly."""
        return db.cursor(self._reader())

    @contextmanager
    def _reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.cursor()
        try:
            yield cur
        except duckdb.Error as exc:
            raise damaged(self.path, exc) from exc

    def _frame(self, query: str, params: dict | None = None) -> pd.DataFrame:
        with self._reading() as cur:
            return db.frame(cur, query, params)

    def has_data(self) -> bool:
        """True once any import has been made."""
        with self._reading() as cur:
            return bool(_one(db.run(cur, "store_batch_count")))

    def data_version(self) -> int:
        """A number that changes with every import and restore (0 on an empty store)."""
        with self._reading() as cur:
            return int(_one(db.run(cur, "store_data_version")))

    def dataset(self) -> Dataset:
        """The data in force: for each quarter, its active batch."""
        with self._reading() as cur:
            return _dataset(cur)

    def history(self) -> pd.DataFrame:
        """Every batch, newest first, with the quarters it is active for."""
        return self._frame(db.sql("store_history"))

    def ledger(self, batch_id: int) -> Ledger:
        """What was read of a batch's files (``okrdata.ledger``); empty for a batch imported
        before the ledger was kept."""
        try:
            with self._reading() as cur:
                row = db.run(cur, "store_batch_ledger", {"batch_id": batch_id}).fetchone()
        except duckdb.BinderException:  # a store no import has written to since
            return Ledger()
        return Ledger.from_json(row[0] if row else None)

    def adjustments(self) -> pd.DataFrame:
        """Goals the teams adjusted between imports, newest batch first (``store_adjustments``).

        For each objective and key result in force, every change from one batch that held it
        to the next, up to the batch in force: ``kind`` "period" (an objective's quarter, or a
        key result's when it moved to an objective of another quarter) or "target" (a key
        result's target); ``objective_id``, ``kr_id`` (none for an objective), ``old`` and
        ``new`` as text, ``imported_at`` and ``batch_id`` of the batch that made the change.
        """
        return self._frame(db.sql("store_adjustments"))

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
        files = expand(inputs)
        result = load(files, config=config, mapping_overrides=mapping_overrides)
        outcome = self.import_dataset(
            result, files=files, config=config, mapping_overrides=mapping_overrides,
            imported_by=imported_by, progress=progress, scope=scope,
        )  # fmt: skip
        return result, outcome

    def import_dataset(
        self,
        result: LoadResult,
        *,
        files: list[tuple[str, bytes | Path]],
        config: Config | None = None,
        mapping_overrides: Overrides | None = None,
        imported_by: str | None = None,
        progress: Progress | None = None,
        scope: str = "quarters",
    ) -> ImportResult:
        """Store a validated load of ``files`` as a new batch, active for its quarters.

        ``files`` (name, bytes) are what ``result`` was loaded from, with ``config`` and
        ``mapping_overrides``: they are archived so that ``rebuild`` can load them again.
        ``scope`` "quarters" replaces those quarters; "teams" replaces only the upload's teams
        in them, other teams' objectives stay (``okrdata.scope``; the merge is made against the
        store in force under the writer's lock, and again when rebuilding).
        """
        if scope not in import_scope.SCOPES:
            raise ValueError(f"scope must be one of {import_scope.SCOPES}, not {scope!r}")
        if not result.report.ok:
            n = len(result.report.errors)
            fix = "Fix it" if n == 1 else "Fix them"
            return ImportResult(None, False, f"Not imported: the report lists {count(n, 'error')}. "
                                f"{fix} in the files and import them again; the store is as it was.")  # fmt: skip
        ds = result.typed
        if ds.objectives.empty and ds.teams.empty and ds.dependencies.empty:
            return ImportResult(None, False, "Not imported: the files hold no OKR data.")
        by = imported_by or _user()

        def change(cur: duckdb.DuckDBPyConnection) -> tuple[ImportResult, dict | None]:
            at = datetime.now()
            scoped = _scoped(cur, result, scope, at)
            outcome, event_id = _write_batch(cur, scoped, by, progress, at)
            if not outcome.changed or event_id is None:
                return outcome, None
            entry = {"event_id": event_id, "kind": "import", "batch_id": outcome.batch_id,
                     "at": _event_time(cur, event_id), "by": by,
                     "content_hash": result.content_hash, "quarters": outcome.quarters,
                     "rows": outcome.rows, "overrides": _overrides_list(mapping_overrides),
                     "scope": scope,
                     "config": asdict(config or Config())}  # fmt: skip
            return outcome, entry

        outcome = self._change(change, progress, "imported", files, result.file_digests or None)
        _report(progress, 1.0, outcome.message)
        return outcome

    def restore(self, batch_id: int, *, restored_by: str | None = None) -> ImportResult:
        """Make an earlier batch active again for every quarter it contains."""
        by = restored_by or _user()

        def change(cur: duckdb.DuckDBPyConnection) -> tuple[ImportResult, dict | None]:
            row = db.run(cur, "store_batch_quarters", {"batch_id": batch_id}).fetchone()
            if row is None:
                message = (f"There is no batch {batch_id} in {self.path}; "
                           f"`python -m okrdata history --db {self.path}` lists them.")  # fmt: skip
                return ImportResult(None, False, message), None
            quarters = list(row[0])
            replaced = _active_for(cur, quarters)
            if quarters and all(replaced.get(q) == batch_id for q in quarters):
                message = f"Batch {batch_id} is already in force; nothing changed."
                return ImportResult(batch_id, False, message), None
            event_id = _activate(cur, batch_id, quarters, "restore", by, datetime.now())
            names = ", ".join(quarters) or "the org chart"
            entry = {"event_id": event_id, "kind": "restore", "batch_id": batch_id,
                     "at": _event_time(cur, event_id), "by": by, "quarters": quarters}  # fmt: skip
            message = f"Restored batch {batch_id} for {names}."
            return ImportResult(batch_id, True, message, quarters, replaced), entry

        return self._change(change, None, "restored", [])

    def preview(self, result: LoadResult, scope: str = "quarters") -> import_scope.Preview:
        """What importing ``result`` with ``scope`` would add, change and no longer show."""
        return import_scope.preview(self.dataset(), result.dataset, scope)

    def close(self) -> None:
        with self._read:
            snapshot, self._snapshot = self._snapshot, None
        if snapshot is not None:
            snapshot[1].close()

    # the writer's path -------------------------------------------------------------------

    def _change(
        self,
        change: Change,
        progress: Progress | None,
        verb: str,
        files: list[tuple[str, bytes | Path]],
        expected: list[str] | None = None,
    ) -> ImportResult:
        """Apply ``change`` to a private copy of the store, archive, then publish the copy.

        The original files are archived in a thread of their own while the copy is written
        (reading, hashing and flushing them to disk wait on the disk more than on a core); what
        it kept is removed again when nothing is published.

        ``expected``: each file's SHA-256 when it was validated (a file changed since is not
        archived and nothing is published)."""
        with self._write, self._locked(progress):
            if self._lost():
                raise damaged(self.path)  # missing: a new store would overwrite the journal
            self._settle()
            _, tampered = self.archive.readable_entries()  # the journal this change appends to
            if tampered:
                return ImportResult(None, False, (
                    f"Not {verb}: {' '.join(tampered)} The archive could no longer rebuild "
                    "this store whole: put the entry back from a backup (or move it out of the "
                    "journal folder to go on without it) and try again."
                ))  # fmt: skip
            scratch = self._scratch()
            created: list[Path] = []
            pending: Path | None = None
            published = False
            pool = ThreadPoolExecutor(1, thread_name_prefix="okr-archive")
            archiving = pool.submit(self.archive.put_files, files, expected)
            try:
                con = self._open_scratch(scratch)
                try:
                    cur = con.cursor()
                    cur.begin()
                    outcome, entry = change(cur)
                    if entry is None:
                        cur.rollback()
                        return outcome
                    _report(progress, 0.9, "Committing")
                    cur.commit()
                    con.execute("checkpoint")
                finally:
                    con.close()
                _report(progress, 0.95, "Archiving the original files")
                entry["files"], created = archiving.result()
                pending = self.archive.write_pending(entry)
                _report(progress, 0.98, "Publishing")
                _publish(scratch, self.path)
                published = True
            except FileChanged as exc:
                return ImportResult(None, False, str(exc))
            except BaseException as exc:
                remove(created + ([pending] if pending else []))
                if _disk_full(exc):
                    return ImportResult(None, False, (
                        f"Not {verb}: the disk holding {self.path.parent} is full; the store and "
                        "its archive are as they were. Free some space and try again."
                    ))  # fmt: skip
                if _is_damage(exc):
                    raise damaged(self.path, exc) from exc
                raise
            finally:
                _remove_scratch(scratch)
                if not published:  # what the thread kept goes (it may still be running)
                    _discard(archiving)
                pool.shutdown()
            self.archive.commit(pending)
        return outcome

    @contextmanager
    def _locked(self, progress: Progress | None) -> Iterator[None]:
        """Hold the writer's lock; wait for another importer (saying so) up to the timeout."""

        def waiting(holder: str) -> None:
            _report(progress, 0.0, f"Another import into {self.path} is running "
                    f"(process {holder}); waiting for it to finish")  # fmt: skip

        try:
            with files.lock(self.path.with_name(self.path.name + ".lock"), self.lock_timeout,
                            waiting):  # fmt: skip
                yield
        except files.LockTimeout as exc:
            raise StoreBusy(
                f"Another import into {self.path} is still running after "
                f"{self.lock_timeout:g} s (process {exc.holder}); nothing was "
                "imported: try again when it has finished."
            ) from None

    def _scratch(self) -> Path:
        return self.path.with_name(f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")

    def _open_scratch(self, scratch: Path, copy: bool = True) -> duckdb.DuckDBPyConnection:
        """A writable copy of the published store (or a new one), with the schema applied."""
        if copy and self.path.exists():
            shutil.copyfile(self.path, scratch)
            wal = self.path.with_name(self.path.name + ".wal")  # left by an older version
            if wal.exists():
                shutil.copyfile(wal, scratch.with_name(scratch.name + ".wal"))
        try:
            con = db.connect(scratch, allowed_dirs=[scratch.parent])
        except duckdb.Error as exc:
            raise damaged(self.path, exc) from exc
        try:
            # one transaction: one commit (and one flush of the file's log) where each of the
            # schema's statements made its own, 40-100 ms on a new file against 12-20
            con.execute("begin transaction")
            db.run(con, "store_schema")
            con.execute("commit")
            con.execute("select count(*) from batches, events, active").fetchall()
        except BaseException as exc:
            con.close()
            if _is_damage(exc):
                raise damaged(self.path, exc) from exc
            raise
        return con

    def _settle(self) -> None:
        """Under the lock: clear what a killed writer left (scratch files, pending entries)."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp*"):
            stale.unlink(missing_ok=True)
        if self.archive.pending():
            with self._reading() as cur:
                events = {r[0] for r in db.run(cur, "store_event_ids").fetchall()}
            self.archive.settle(events)

    def _create(self) -> None:
        """Publish an empty store (under the lock, so two processes starting at once agree)."""
        with self._write, self._locked(None):
            if self.path.exists() or self._lost():  # missing beside its archive: rebuild it
                return
            scratch = self._scratch()
            try:
                con = self._open_scratch(scratch, copy=False)
                con.execute("checkpoint")
                con.close()
                _publish(scratch, self.path)
            finally:
                _remove_scratch(scratch)

    def _lost(self) -> bool:
        """The store file is missing while its archive holds imports: only ``rebuild`` may
        make it again (a new store would start its batches and journal over)."""
        return not self.path.exists() and any(self.archive.journal.glob("*.json"))


def _publish(scratch: Path, path: Path) -> None:
    """Make the finished copy the store: flushed to disk, then renamed over it (atomic)."""
    if scratch.with_name(scratch.name + ".wal").exists():
        raise RuntimeError(f"{scratch} still has a write-ahead log after its checkpoint")
    files.replace(scratch, path)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)  # an older version's log


def _discard(archiving: Future[tuple[list[dict], list[Path]]]) -> None:
    """Wait for the archiving thread of a change that is not published; remove what it kept
    (it removes its own files when it fails)."""
    try:
        _, kept = archiving.result()
    except BaseException:
        return
    remove(kept)


def _remove_scratch(scratch: Path) -> None:
    scratch.unlink(missing_ok=True)
    scratch.with_name(scratch.name + ".wal").unlink(missing_ok=True)


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, duckdb.Error) and "no space left on device" in str(exc).lower()


def _is_damage(exc: BaseException) -> bool:
    if not isinstance(exc, duckdb.Error):
        return False
    text = str(exc).lower()
    return isinstance(exc, duckdb.IOException | duckdb.SerializationException) or any(
        word in text for word in ("corrupt", "checksum", "not a valid duckdb")
    )


def _event_time(cur: duckdb.DuckDBPyConnection, event_id: int) -> str:
    return _one(db.run(cur, "store_event_time", {"event_id": event_id})).isoformat()


def _dataset(cur: duckdb.DuckDBPyConnection) -> Dataset:
    """The data in force, read through ``cur``, with its defaults settled (a store written
    before one id per objective: its ``<id>@<quarter>`` copies read as one id, ``unify_copies``)."""
    tables = {t: conform(t, db.frame(cur, db.sql(f"store_active_{t}"))) for t in SCHEMA}
    return settle(unify_copies(Dataset(**tables)))


def _scoped(
    cur: duckdb.DuckDBPyConnection, result: LoadResult, scope: str, at: datetime
) -> LoadResult:
    """The load as it is stored with ``scope``: its key results' ``current_value`` counts from
    the day ``at`` it is imported (unless the file gave that day); for "teams", merged into the
    data in force, whose key results keep the day they were imported."""
    k = result.typed.key_results
    day = pd.Timestamp(at).normalize()
    given = k["kr_id"].isin(result.as_of_given).to_numpy(bool)  # the file said (our own export)
    upload = result.typed.with_key_results(k.assign(
        current_as_of=k["current_as_of"].where(given, day)))  # fmt: skip
    if scope != "quarters":  # the merge reads the upload as pandas: built here, not before
        upload = Typed.of(import_scope.merge(_dataset(cur), upload.dataset(), scope))
    return dataclasses.replace(result, typed=upload)


def _overrides_list(overrides: Overrides | None) -> list[list]:
    return sorted(
        ([file, sheet, column, canonical] for (file, sheet), cols in (overrides or {}).items()
         for column, canonical in cols.items()), key=str,
    )  # fmt: skip


def _write_batch(
    cur: duckdb.DuckDBPyConnection, result: LoadResult, by: str | None, progress: Progress | None,
    at: datetime,
) -> tuple[ImportResult, int | None]:  # fmt: skip
    ds = result.typed
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
            ), None
    batch_id = latest + 1
    # distinct objectives and key results: an annual objective in four quarters is one
    distinct = distinct_counts(result.typed)
    rows = _insert_batch(cur, result, batch_id, at, by, quarters, distinct, progress)
    replaced = _active_for(cur, quarters)
    event_id = _activate(cur, batch_id, quarters, "import", by, at)
    counts = ", ".join(count(n, *_NOUNS.get(t, (t, t))) for t, n in distinct.items() if n)
    new = [q for q in quarters if replaced.get(q) is None]
    parts = [f"Imported batch {batch_id} ({counts})."]
    if new:
        parts.append(f"New quarters: {', '.join(new)}.")
    if len(new) < len(quarters):
        swapped = [f"{q} (was batch {replaced[q]})" for q in quarters if replaced.get(q)]
        parts.append(f"Replaced: {', '.join(swapped)}.")
    return ImportResult(batch_id, True, " ".join(parts), quarters, replaced, rows), event_id


_NOUNS = {  # a table's rows in a sentence: singular, plural
    "objectives": ("objective", "objectives"),
    "key_results": ("key result", "key results"),
    "checkins": ("check-in", "check-ins"),
    "dependencies": ("dependency", "dependencies"),
    "teams": ("team", "teams"),
}


def _insert_batch(
    cur: duckdb.DuckDBPyConnection, result: LoadResult, batch_id: int, at: datetime, by: str | None,
    quarters: list[str], distinct: dict[str, int], progress: Progress | None,
) -> dict[str, int]:  # fmt: skip
    """Insert a batch's row in ``batches`` (its distinct objectives and key results, its
    ledger) and its rows in the data tables; how many rows each table got."""
    tables = result.typed.arrow()  # the check-ins as DuckDB typed them, never through pandas
    rows = {t: len(f) for t, f in tables.items()}
    files = [
        {"name": s.name, "sheet": s.sheet, "table": s.table, "sha256": s.sha256, "rows": s.rows}
        for s in result.sources
    ]
    db.run(
        cur,
        "store_insert_batch",
        {"batch_id": batch_id, "imported_at": at, "imported_by": by, "files": json.dumps(files),
         "content_hash": result.content_hash, "quarters": quarters,
         "ledger": result.ledger.to_json(),
         **{f"rows_{t}": n for t, n in distinct.items()}},
    )  # fmt: skip
    for i, (table, frame) in enumerate(tables.items()):
        _report(progress, 0.1 + 0.8 * i / len(SCHEMA), f"Writing {len(frame):,} {table} rows")
        # through Arrow: DuckDB scans it about twice as fast as the pandas frame itself
        cur.register("_incoming", frame)
        db.run(cur, f"store_insert_{table}", {"batch_id": batch_id})
        cur.unregister("_incoming")
    return rows


def _active_for(cur: duckdb.DuckDBPyConnection, quarters: list[str]) -> dict[str, int | None]:
    found = dict(db.run(cur, "store_active_batches", {"quarters": list(quarters)}).fetchall())
    return {q: found.get(q) for q in quarters}


def _activate(
    cur: duckdb.DuckDBPyConnection, batch_id: int, quarters: list[str], kind: str, by: str | None, at: datetime,
    event_id: int | None = None,
) -> int:  # fmt: skip
    """Make the batch active for its quarters and record the event; returns its id."""
    if event_id is None:
        event_id = int(_one(db.run(cur, "store_data_version"))) + 1
    db.run(
        cur,
        "store_activate",
        {"quarters": quarters, "batch_id": batch_id, "event_id": event_id, "happened_at": at,
         "kind": kind, "by_user": by},
    )  # fmt: skip
    return event_id


def _one(cur: duckdb.DuckDBPyConnection) -> Any:
    """The single value a one-row, one-column query returned."""
    rows = cur.fetchall()
    assert rows, "a query meant to return one row returned none"
    return rows[0][0]


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _report(progress: Progress | None, fraction: float, text: str) -> None:
    if progress is not None:
        progress(fraction, text)
