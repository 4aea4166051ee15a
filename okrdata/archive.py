"""The archive beside a store: the original bytes of every imported file and a journal of events.

A store ``data/okr.duckdb`` keeps its archive in ``data/okr.duckdb.archive/``:

- ``files/<aa>/<sha256>``: each original file's bytes, named by their SHA-256 (content-addressed:
  a file imported twice is kept once), checked against that name whenever it is read;
- ``journal/<event_id>.json``: one entry per import or restore (batch id, time, who, the files,
  the column mappings and settings they were read with, row counts), carrying the SHA-256 of
  its own text. An entry is written as ``<event_id>.json.pending`` before the store is
  published and renamed once it is, so the journal never claims an event the store lacks.

``python -m okrdata rebuild`` replays the journal to recreate the store (``rebuild.rebuild``).
Every write goes to a temporary file that is flushed to disk and then renamed into place
(``okrdata.files``), so a full disk or a killed process never leaves a partial file under a final
name.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     archive = Archive(Path(tmp) / "okr.duckdb.archive")
...     described, _ = archive.put_files([("okrs.csv", b"objective_id\\n")])
...     archive.read(described[0]["sha256"]) == b"objective_id\\n"
True
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import NamedTuple

from okrdata.files import rename, write_atomic


class FileChanged(RuntimeError):
    """A file changed on disk between its validation and its archiving."""


class ArchiveDamaged(RuntimeError):
    """An archived file or journal entry no longer matches its checksum."""


def archive_dir(store_path: Path) -> Path:
    """Where the archive of the store at ``store_path`` lives."""
    return store_path.with_name(store_path.name + ".archive")


class FileIdentity(NamedTuple):
    """What changes when a file is written or replaced: device, inode, modification time, size."""

    dev: int
    ino: int
    mtime_ns: int
    size: int


def file_identity(path: Path) -> FileIdentity | None:
    """The identity of the file at ``path`` now (None when it cannot be read)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return FileIdentity(st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def contents(data: bytes | Path) -> bytes:
    """A named file's bytes (read now when it is a path: imports hold one file at a time)."""
    return data if isinstance(data, bytes) else Path(data).read_bytes()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Archive:
    """The archive in one folder: original files by content, and the journal of events."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.files = self.root / "files"
        self.journal = self.root / "journal"

    # files ------------------------------------------------------------------------------

    def _blob(self, digest: str) -> Path:
        return self.files / digest[:2] / digest

    def put_files(
        self, files: list[tuple[str, bytes | Path]], expected: list[str] | None = None
    ) -> tuple[list[dict], list[Path]]:
        """Keep each file's bytes (a path is read now); returns their descriptions and the blobs
        written just now. ``expected``: the SHA-256 of each file when it was validated; a file
        that has changed since is refused (``FileChanged``) and nothing is kept."""
        described, created = [], []
        try:
            for i, (name, item) in enumerate(files):
                data = contents(item)
                digest = sha256(data)
                if expected is not None and expected[i] != digest:
                    raise FileChanged(
                        f"{name} changed while it was being imported; nothing was imported. "
                        "Import it again."
                    )
                blob = self._blob(digest)
                if not blob.exists():
                    blob.parent.mkdir(parents=True, exist_ok=True)
                    write_atomic(blob, data)
                    created.append(blob)
                described.append({"name": name, "sha256": digest, "bytes": len(data)})
                del data
        except BaseException:
            remove(created)
            raise
        return described, created

    def read(self, digest: str) -> bytes:
        """An archived file's bytes, checked against its SHA-256."""
        blob = self._blob(digest)
        try:
            data = blob.read_bytes()
        except FileNotFoundError:
            raise ArchiveDamaged(f"The archived file {blob} is missing.") from None
        if sha256(data) != digest:
            raise ArchiveDamaged(f"The archived file {blob} does not match its checksum.")
        return data

    # journal ----------------------------------------------------------------------------

    def write_pending(self, entry: dict) -> Path:
        """Write a journal entry as pending (the store is not published yet)."""
        self.journal.mkdir(parents=True, exist_ok=True)
        body = json.dumps(entry, sort_keys=True, ensure_ascii=False)
        text = json.dumps({"entry": entry, "sha256": sha256(body.encode())}, ensure_ascii=False)
        path = self.journal / f"{entry['event_id']:08d}.json.pending"
        write_atomic(path, text.encode())
        return path

    def commit(self, pending: Path) -> None:
        """The store holding the entry's event is published: the entry becomes final."""
        rename(pending, pending.with_suffix(""))

    def entries(self) -> list[dict]:
        """Every final journal entry in event order, each checked against its checksum."""
        out, damaged = self.readable_entries()
        if damaged:
            raise ArchiveDamaged(damaged[0])
        return out

    def readable_entries(self) -> tuple[list[dict], list[str]]:
        """The final journal entries that match their checksums, in event order, and a
        sentence for each one that does not (``rebuild`` restores what it can)."""
        if not self.journal.is_dir():
            return [], []
        out, damaged = [], []
        for path in sorted(self.journal.glob("*.json")):
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
                body = json.dumps(doc["entry"], sort_keys=True, ensure_ascii=False)
                ok = sha256(body.encode()) == doc["sha256"]
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                ok = False
            if ok:
                out.append(doc["entry"])
            else:
                damaged.append(f"The journal entry {path} does not match its checksum.")
        return out, damaged

    def pending(self) -> list[Path]:
        return sorted(self.journal.glob("*.json.pending")) if self.journal.is_dir() else []

    def settle(self, published_events: set[int]) -> None:
        """After a killed import: commit pending entries the store has, drop the others."""
        for path in self.pending():
            event_id = int(path.name.split(".")[0])
            if event_id in published_events:
                self.commit(path)
            else:
                path.unlink(missing_ok=True)


def remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
