"""Rebuild and replay: recreate a store from its archive (``python -m okrdata rebuild``).

The archive beside a store (``okrdata.archive``) keeps every imported file and a journal of
every import and restore. ``rebuild`` replays that journal, in order, into a new copy of the
store under the writer's lock: each import is loaded again from its archived files with the
column mappings, scope and settings it was imported with, each restore is made again, with
the same batch ids, times and people; then the copy is published as an import's is. The file
it replaces (damaged or not) is kept beside it as ``<store>.before-rebuild-<time>``.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import duckdb

from okrdata.archive import Archive, ArchiveDamaged
from okrdata.config import Config, _merge
from okrdata.display import agree, count
from okrdata.ingest import Overrides, load
from okrdata.model import distinct_counts
from okrdata.store import (
    Progress,
    Store,
    StoreDamaged,
    StoreError,
    _activate,
    _insert_batch,
    _publish,
    _remove_scratch,
    _report,
    _scoped,
    _Unreadable,
)


def rebuild(store: Store, progress: Progress | None = None) -> str:
    """Recreate the store from its archive: every batch, restore, time and person.

    The file it replaces (damaged or not) is kept beside it as
    ``<store>.before-rebuild-<time>``. Returns a sentence saying what was rebuilt.
    """
    with store._write, store._locked(progress):
        try:
            store._settle()  # a pending entry the readable store holds is part of it
        except StoreDamaged:
            pass
        entries, notes = store.archive.readable_entries()  # a damaged entry is named
        if not entries:
            raise StoreError(
                f"The archive {store.archive.root} holds no imports: there is nothing to "
                f"rebuild {store.path} from."
            )
        scratch = store._scratch()
        try:
            con = store._open_scratch(scratch, copy=False)
            try:
                cur = con.cursor()
                cur.begin()
                lost: set[int] = set()  # batches that could not be brought back
                for i, e in enumerate(entries):
                    if e["batch_id"] in lost:  # a restore of a batch not brought back
                        notes.append(f"The restore of batch {e['batch_id']} (event "
                                     f"{e['event_id']}) was not replayed: the batch could "
                                     "not be rebuilt.")  # fmt: skip
                        continue
                    try:
                        notes.append(_replay(cur, store.archive, e, progress, i / len(entries)))
                    except (ArchiveDamaged, _Unreadable) as exc:  # raised before any insert
                        lost.add(e["batch_id"])
                        notes.append(f"Batch {e['batch_id']} could not be rebuilt: {exc}")
                if len(lost) == len({e["batch_id"] for e in entries}):
                    raise StoreError(f"No batch in the archive {store.archive.root} could be "
                                     f"rebuilt; {store.path} was left as it was. "
                                     + " ".join(notes))  # fmt: skip
                cur.commit()
                con.execute("checkpoint")
            finally:
                con.close()
            kept = _keep_aside(store)
            _publish(scratch, store.path)
        finally:
            _remove_scratch(scratch)
        store.archive.settle({e["event_id"] for e in entries})
    done = [e for e in entries if e["batch_id"] not in lost]
    batches = sum(e["kind"] == "import" for e in done)
    restores = len(done) - batches
    archived = {e["batch_id"] for e in entries if e["kind"] == "import"}
    missing = sorted(set(range(1, max(archived, default=0) + 1)) - archived)
    if missing:
        notes.append(
            f"Not in the archive, so not rebuilt: {agree(len(missing), 'batch', 'batches')} "
            f"{', '.join(map(str, missing))} "
            "(imported before the archive existed, or their journal entries are lost)."
        )
    message = (
        f"Rebuilt {store.path} from its archive: {count(batches, 'batch', 'batches')} and "
        f"{count(restores, 'restore')}"
        + (f"; the file it replaced is kept as {kept}." if kept else ".")
    )
    return " ".join([message, *[n for n in notes if n]])


def _keep_aside(store: Store) -> Path | None:
    """Keep the current file under another name before a rebuild replaces it."""
    if not store.path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    kept = store.path.with_name(f"{store.path.name}.before-rebuild-{stamp}")
    try:
        os.link(store.path, kept)
    except OSError:
        shutil.copyfile(store.path, kept)
    return kept


def _replay(
    cur: duckdb.DuckDBPyConnection,
    archive: Archive,
    entry: dict,
    progress: Progress | None,
    done: float,
) -> str:
    """Apply one journal entry to a store being rebuilt; a note when counts differ."""
    at = datetime.fromisoformat(entry["at"])
    batch_id = entry["batch_id"]
    if entry["kind"] == "import":
        _report(progress, done, f"Loading batch {batch_id} from the archive")
        files = [(f["name"], archive.read(f["sha256"])) for f in entry["files"]]
        overrides: Overrides = {}
        for file, sheet, column, canonical in entry["overrides"]:
            overrides.setdefault((file, sheet), {})[column] = canonical
        result = load(files, config=_merge(Config(), entry["config"]), mapping_overrides=overrides)
        if not result.report.ok:
            raise _Unreadable(
                f"its archived files no longer pass validation "
                f"({count(len(result.report.errors), 'error')})."
            )
        result = _scoped(cur, result, entry.get("scope", "quarters"), at)
        rows = _insert_batch(cur, result, batch_id, at, entry["by"], entry["quarters"],
                             distinct_counts(result.typed), None)  # fmt: skip
    _activate(cur, batch_id, entry["quarters"], entry["kind"], entry["by"], at, entry["event_id"])
    if entry["kind"] == "import" and rows != entry["rows"]:
        return f"Batch {batch_id} now has {rows} rows where {entry['rows']} were recorded."
    return ""
