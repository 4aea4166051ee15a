"""The one place that opens DuckDB connections and runs the named SQL files in ``okrdata/sql``.

Every connection is locked down: no extension is installed or loaded, file access is limited
to the folders the caller names, and the configuration cannot be changed afterwards. Values
reach SQL only as bound parameters (``$name``); the SQL text itself comes from our own files.

>>> con = connect()
>>> con.execute("select 1 + $x as y", {"x": 1}).fetchone()
(2,)
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from okrdata.model import arrow_frame

SQL_DIR = Path(__file__).with_name("sql")


def connect(
    database: str | Path = ":memory:",
    *,
    allowed_dirs: Iterable[str | Path] = (),
    allowed_paths: Iterable[str | Path] = (),
    read_only: bool = False,
    threads: int | None = None,
    memory_mb: int = 0,
    spill_dir: str | Path | None = None,
    optimize: bool = True,
) -> duckdb.DuckDBPyConnection:
    """Open a locked-down connection that may read files only under ``allowed_dirs`` and the
    files ``allowed_paths``.

    ``memory_mb`` caps DuckDB's working memory (0: DuckDB's default, 80 % of the machine);
    above it, tables spill to ``spill_dir``. ``optimize=False`` plans every query as written,
    without DuckDB's optimizer: for small inputs, where optimizing the long staging queries
    took longer than running them.
    """
    con = duckdb.connect(
        str(database),
        read_only=read_only,
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    )
    if memory_mb:
        con.execute("set memory_limit = $m", {"m": f"{int(memory_mb)}MB"})
    if spill_dir is not None:
        con.execute("set temp_directory = $d", {"d": str(spill_dir)})
    dirs = [str(Path(d).resolve()) + "/" for d in allowed_dirs]
    if dirs:
        con.execute("set allowed_directories = $dirs", {"dirs": dirs})
    paths = [str(Path(p).resolve()) for p in allowed_paths]
    if paths:
        con.execute("set allowed_paths = $paths", {"paths": paths})
    if threads:
        con.execute("set threads = $n", {"n": threads})
    if not optimize:
        con.execute("set enable_optimizer = false")
    _quiet(con)
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con


def _quiet(con: duckdb.DuckDBPyConnection) -> None:
    """No progress bar of DuckDB's own: a query over two seconds drew one on the terminal,
    between the command's own lines of progress (the command and the Data page say what the
    import is doing)."""
    con.execute("set enable_progress_bar = false")


def read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A locked-down connection that reads the database file at ``path`` and nothing else.

    The file is attached (as ``store``) to a fresh in-memory database rather than opened
    directly: DuckDB reuses an open database per path within a process, which would keep
    serving a file after it has been replaced. Cursors need ``use store`` (see ``cursor``).
    """
    con = duckdb.connect(
        ":memory:",
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False},
    )
    try:
        con.execute("attach $path as store (read_only)", {"path": str(path)})
        con.execute("use store")
        _quiet(con)
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


# Small imports share one DuckDB database per process and memory cap (``scratch``): opening a
# database is about 17 ms of CPU (DuckDB builds its catalog of functions) and defining the
# macros about 14 more, a seventh of an import of a few rows; a cursor and a schema of its own
# are about 1 ms.
_SHARED: dict[int, tuple[duckdb.DuckDBPyConnection, Path]] = {}
_SHARED_LOCK = threading.Lock()
_SCHEMAS = itertools.count(1)


@contextmanager
def scratch(memory_mb: int = 0) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """A connection for one small import and the folder it may read files from, both its own.

    The connection is a cursor of the process's shared database for imports of the memory cap
    ``memory_mb``: locked down as ``connect``'s (one thread, no optimizer, the macros defined),
    it may read files only under its own temporary folder, in which each import gets a folder;
    the import's files must be copied there. Each import works in a schema of its own (tables
    and views it names without a schema are created and found there; the macros, in the
    shared ``main``, are found from it), dropped with everything in it, and its folder removed,
    when the block ends. A database whose clean-up failed is not shared again.
    """
    with _SHARED_LOCK:
        if memory_mb not in _SHARED:
            root = Path(tempfile.mkdtemp(prefix="okr-imports-"))
            atexit.register(shutil.rmtree, root, True)
            con = connect(allowed_dirs=[root], memory_mb=memory_mb, spill_dir=root / "spill",
                          threads=1, optimize=False)  # fmt: skip
            run(con, "macros")
            _SHARED[memory_mb] = (con, root)
        shared, root = _SHARED[memory_mb]
        cur = shared.cursor()
    schema = f"import_{next(_SCHEMAS)}"
    work = Path(tempfile.mkdtemp(prefix="import-", dir=root))
    try:
        cur.execute(f"create schema {schema}")
        cur.execute(f"use {schema}")
        yield cur, work
    finally:
        try:
            cur.execute("use memory.main")
            cur.execute(f"drop schema {schema} cascade")
        except duckdb.Error:  # the next import gets a new database; this one goes with it
            with _SHARED_LOCK:
                if _SHARED.get(memory_mb, (None,))[0] is shared:
                    del _SHARED[memory_mb]
        finally:
            cur.close()
            shutil.rmtree(work, ignore_errors=True)


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a ``read_only`` connection, reading the attached file."""
    cur = con.cursor()
    cur.execute("use store")
    return cur


@cache
def sql(name: str) -> str:
    """The text of ``okrdata/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


@cache
def statements(name: str) -> tuple[tuple[duckdb.Statement, frozenset[str]], ...]:
    """The statements of a SQL file, parsed once per process by DuckDB's parser, each with the
    parameters it names. ``run`` executes the parsed statements: parsing their text again took
    about a tenth of a small import (the staging's longest statement 9 ms of its 45).

    >>> statements("store_latest_batch_id")[0][1]
    frozenset()
    """
    found = duckdb.extract_statements(sql(name))
    return tuple((s, frozenset(s.named_parameters)) for s in found)


@lru_cache(maxsize=64)
def parsed(query: str) -> duckdb.Statement:
    """The one statement of ``query``, parsed once per process: for a query the code builds
    the same way import after import (a checks file without the checks its gates leave out,
    a Dataset table's query), not parsed again on every run."""
    (statement,) = duckdb.extract_statements(query)
    return statement


def run(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Execute the named SQL file statement by statement; each binds the parameters it names.

    Returns the connection (or cursor) holding the last statement's result.
    """
    params = params or {}
    for statement, names in statements(name):
        con = con.execute(statement, {k: params[k] for k in names})
    return con


def frame(
    con: duckdb.DuckDBPyConnection, query: str | duckdb.Statement, params: dict | None = None
) -> pd.DataFrame:
    """A query's result as pandas through Arrow (text as ``string``, dates as ``datetime64``).

    Several times faster than ``.df()`` on wide text results.
    """
    return arrow_frame(con.sql(query, params=params or None).to_arrow_table())
