"""Files written to last: atomic, durable writes and the writer's lock, written once here.

Every file OKR Pulse keeps on disk (the archive's files and journal, the store's saved answers,
the answers and pages computed ahead, the published store itself) is written aside, flushed to
disk (``fsync``), renamed over its final name (``os.replace``, atomic on POSIX) and its folder
flushed too, so that a reader sees the whole old file or the whole new one, and a full disk, a
killed process or a power cut never leaves a partial file under a final name.

The writer's lock is an ``flock`` on a lock file (``lock``): advisory, released by the kernel
when its holder exits however it ends, shared by every process on the machine and by NFSv4
clients. The holder writes its process id into the file, so a waiter can say whom it waits for.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path, held = Path(tmp) / "answers.json", Path(tmp) / "answers.lock"
...     write_atomic(path, b"{}")
...     with lock(held, timeout=0):
...         try:
...             with lock(held, timeout=0.2):
...                 pass
...         except LockTimeout as exc:
...             holder = exc.holder
...     path.read_bytes(), holder == str(os.getpid())
(b'{}', True)
"""

from __future__ import annotations

import fcntl
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all or nothing: a temporary file beside it, fsync, then a
    rename (``replace``). The file is created readable as the umask allows (other users'
    replicas read what an importer wrote)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
        replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def replace(src: Path, dst: Path) -> None:
    """Rename the finished file ``src`` over ``dst`` durably: its bytes flushed to disk first,
    then the rename, then the folder (so the rename survives a power cut)."""
    with open(src, "rb+") as fh:
        os.fsync(fh.fileno())
    rename(src, dst)


def rename(src: Path, dst: Path) -> None:
    """``os.replace`` then flush the folder of ``dst`` (``src``'s bytes are already on disk)."""
    os.replace(src, dst)
    fsync_dir(Path(dst).parent)


def fsync_dir(path: Path) -> None:
    """Make a rename in the folder ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LockTimeout(TimeoutError):
    """The lock was still held by another process when the time ran out."""

    def __init__(self, path: Path, holder: str, waited: float):
        super().__init__(f"{path} is held by process {holder} after {waited:g} s")
        self.path, self.holder, self.waited = path, holder, waited


@contextmanager
def lock(
    path: Path, timeout: float, waiting: Callable[[str], object] | None = None
) -> Iterator[None]:
    """Hold the exclusive lock ``path`` (created when missing) for the ``with`` block.

    When another process holds it, ``waiting(holder)`` is called once (``holder``: its process
    id, or "?"), then the lock is tried every 0.1 s for up to ``timeout`` seconds before
    ``LockTimeout`` is raised. Released when the block ends, and by the kernel when the process
    dies.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_flock(fd):
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            if waiting is not None:
                waiting(holder)
            deadline = time.monotonic() + timeout
            while not _try_flock(fd):
                if time.monotonic() > deadline:
                    raise LockTimeout(path, holder, timeout)
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
