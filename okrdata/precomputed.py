"""Signals computed ahead: the answers of ``signals --db``, kept beside the published store.

The published store file is never written in place (an import or restore replaces it), so its
identity (device, inode, modification time in nanoseconds, size) names its content. The text
``python -m okrdata signals --db STORE`` prints for one request (that store file, ``--quarter``,
``--as-of``, today's date, the settings, ``--format``, ``--new``) is kept in
``<store>.computed/<file id>/<request id>.out``. After an import, restore or rebuild the
default request (this quarter, today, the settings of the import) is computed for every format
(``landing.warm``, run apart by ``warm_apart``), so the first ``signals --db`` after a nightly
import prints it without loading the data: about 0.1 s end to end instead of about 2 s at 2,000
teams. Any other request is computed and kept on its first use. ``--triage`` (acknowledgements
change at any time) is never kept. This module owns the folder (``folder``, ``file_id``,
``keep``); ``okrdata.landing`` keeps the app's landing page in it, from the same load of the
data and the same snapshot, and imports this module, never the other way round.

Files kept for an earlier version of the store are removed when a new one is written; a folder
that cannot be written only means the answer is computed each time. This module does not import
pandas: reading a kept answer costs the interpreter's start and one small file.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = pathlib.Path(tmp) / "okr.duckdb"
...     _ = store.write_bytes(b"published")
...     ask = request(None, None, Config(), "csv", new=False)
...     before = read(store, ask)
...     _ = write(store, ask, "a,b\\n", file_id(store))
...     before, read(store, ask)
(None, 'a,b\\n')
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import asdict
from datetime import date
from pathlib import Path

from okrdata.archive import file_identity
from okrdata.config import Config
from okrdata.files import write_atomic

FORMATS = ("table", "csv", "json")


def request(quarter: str | None, as_of: str | None, config: Config, fmt: str, *, new: bool) -> str:
    """The id of one ``signals`` request: what it asks for, today's date and the settings."""
    asked = {"quarter": quarter or None, "as_of": as_of or None, "today": date.today().isoformat(),
             "config": asdict(config), "format": fmt, "new": bool(new)}  # fmt: skip
    text = json.dumps(asked, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def folder(store: Path) -> Path:
    """Where the answers for ``store`` are kept."""
    return store.with_name(store.name + ".computed")


def file_id(store: Path) -> str | None:
    """The published file's identity (None when there is none)."""
    ident = file_identity(store)
    return None if ident is None else "-".join(map(str, ident))


def read(store: Path, ask: str) -> str | None:
    """The answer kept for ``ask`` on the store file as it is now, else None."""
    ident = file_id(store)
    if ident is None:
        return None
    try:
        return (folder(store) / ident / f"{ask}.out").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write(store: Path, ask: str, text: str, ident: str | None, note: str | None = None) -> bool:
    """Keep ``text``, computed from the store file ``ident``, as the answer to ``ask``, and the
    sentence saying the data is old (``okrdata.asof``) when there is one.

    False when that file has been replaced since (the answer is about an earlier version) or
    the folder cannot be written.
    """
    if note and not keep(store, f"{ask}.note", note.encode("utf-8"), ident):
        return False
    return keep(store, f"{ask}.out", text.encode("utf-8"), ident)


def read_note(store: Path, ask: str) -> str | None:
    """The "data is old" sentence kept with the answer to ``ask``, else None."""
    ident = file_id(store)
    try:
        return None if ident is None else (folder(store) / ident / f"{ask}.note").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def keep(store: Path, name: str, data: bytes, ident: str | None) -> bool:
    """Keep ``data`` as ``name`` in the folder of the store file ``ident`` (see ``write``).

    Files kept for other versions of the store are removed; the file appears whole or not at
    all (``files.write_atomic``: written aside, flushed to disk, then renamed).
    """
    if ident is None or file_id(store) != ident:
        return False
    here = folder(store) / ident
    try:
        here.mkdir(parents=True, exist_ok=True)
        for old in folder(store).iterdir():  # answers about earlier versions of the store
            if old.name != ident:
                shutil.rmtree(old, ignore_errors=True)
        write_atomic(here / name, data)  # a reader sees the whole answer or none
        return True
    except OSError:
        return False


def warm_mode() -> str:
    """When an import, restore or rebuild computes the first page and signals ahead:
    ``OKR_WARM`` "background" (the default: in a process of its own, ``warm_apart``),
    "inline" (the CLI, before it exits) or "off" (never: each answer is computed on first use;
    the test suite, whose tests that read what is computed ahead ask for it)."""
    return os.environ.get("OKR_WARM", "background")


def warm_apart(store: Path, config_file: str | None = None) -> subprocess.Popen | None:
    """Run ``warm`` in a process of its own (``python -m okrdata warm --db STORE``), not waited
    for: the app's Data page imports, then returns at once, and the app never holds the data
    and two snapshots a second time while it serves (about 3.4 GB at 20,000 teams). The child
    reads the settings as the app does (``./okr.toml``, the same working folder), or
    ``config_file`` when given (the CLI's ``--config``). None, and no process, when
    ``warm_mode`` is "off".
    """
    if warm_mode() == "off":
        return None
    root = str(Path(__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    settings = ["--config", str(Path(config_file).resolve())] if config_file else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "okrdata", "warm", "--db", str(store), *settings],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=env, start_new_session=True,
    )  # fmt: skip
    # waited for by a thread of its own: the app serves on, and the ended child is reaped
    # instead of staying a defunct process until the app exits
    threading.Thread(target=proc.wait, name="okr-warm-reaper", daemon=True).start()
    return proc
