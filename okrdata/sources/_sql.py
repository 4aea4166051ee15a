"""How an adapter reshapes a sheet in SQL, inside the import's DuckDB connection: no copy of
the sheet into pandas and back.

A staging adapter (``Adapter.stage``) is given a ``Context`` whose ``relation`` is a view of
the raw sheet: ``_pos`` (the data row's 0-based position, in file order), ``_row`` (its row in
the spreadsheet) and the cells as text, by position (``c0``, ``c1``, …; no header a person
typed ever reaches SQL text). ``Context.col("title")`` names the column whose normalised name
is ``title``. The adapter returns a ``Converted`` whose ``tables`` are SQL queries over that
view, one per canonical table: canonical column names, values still text (staging types them
once), and ``_pos``, the input row each output row came from (with ``_seq`` where one input
row gives several output rows, to keep their order). Generated names only: the query's
output columns are checked before they meet SQL again.

No shape of its own: modelled on what the real exports it carries need of a reshape, the
Viva Goals explorer CSV (github matthugh1/MHOKR ``import/Vivagoals.csv``: check-ins packed in
cells, one input row giving several output rows) and Puzzle ITC's database tables (github
puzzle/okr ``objective``, ``key_result``, ``check_in``: several sheets reshaped together).
``reshape`` (tests, the Data page's preview) runs a staging adapter on a pandas frame through
a connection of its own and hands the tables back as frames (``combined`` the same for sheets
reshaped together, a database export's tables).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from okrdata.columns import normalise

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
# the white space Python's ``str.strip`` removes (as pandas' ``.str.strip()`` did), not only
# the spaces DuckDB's one-argument ``trim`` removes
_SPACE = "".join(chr(i) for i in range(0x3001) if chr(i).isspace())


def strip(expr: str) -> str:
    """SQL for ``expr`` with the white space at either end removed (tabs, line breaks, no-break
    spaces too), as Python's ``str.strip`` removes it."""
    return f"trim({expr}, '{_SPACE}')"


def unique_norms(columns: list[str]) -> dict[str, int]:
    """Each column's normalised name, made unique ("column", "column 2", …), and its position.

    >>> unique_norms(["Title", "title", "Team "])
    {'title': 0, 'title 2': 1, 'team': 2}
    """
    out: dict[str, int] = {}
    for i, c in enumerate(columns):
        norm, k = normalise(str(c)), 1
        while (norm if k == 1 else f"{norm} {k}") in out:
            k += 1
        out[norm if k == 1 else f"{norm} {k}"] = i
    return out


def open_sheet(
    con: duckdb.DuckDBPyConnection, raw: str, view: str, columns: list[str], ctx: Any
) -> Any:
    """The view a staging adapter reads, made over the raw sheet ``raw`` (``_row``, ``c0``…)
    with ``_pos``, and ``ctx`` told where it is: its ``relation``, each normalised column
    name's position, and the names as written. Returns ``ctx``."""
    con.execute(
        f"create or replace temp view {_checked(view)} as select "
        f"(row_number() over (order by _row) - 1)::bigint as _pos, * from {_checked(raw)}"
    )
    ctx.relation, ctx.positions = view, unique_norms(columns)
    ctx.names = {n: str(columns[i]) for n, i in ctx.positions.items()}
    return ctx


def query_shape(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], str]:
    """The canonical columns a staging query gives (``_pos`` and ``_seq`` left out), and how
    the query, aliased ``q``, keeps input order: by ``_pos``, then ``_seq`` if it has one. The
    query is bound once for both."""
    names = con.sql(sql).columns
    if "_pos" not in names:
        raise ValueError("a staging adapter's query must give _pos, the input row")
    order = "order by q._pos" + (", q._seq" if "_seq" in names else "")
    return [_checked(n) for n in names if n not in ("_pos", "_seq")], order


def _load(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, raw: str) -> None:
    """A text frame stored as a raw sheet ``raw`` (``_row`` from 2, as under a header row)."""
    text = frame.astype("string").reset_index(drop=True)
    text.columns = [f"c{i}" for i in range(text.shape[1])]
    text.insert(0, "_row", pd.Series(range(2, len(text) + 2), dtype="int32"))
    con.register("_frame", text)
    con.execute(f"create table {_checked(raw)} as select * from _frame")
    con.unregister("_frame")


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, shown: dict[str, str]) -> pd.DataFrame:
    """A staging query's rows in input order, as a text frame with ``_pos``."""
    names, order = query_shape(con, sql)
    cols = ", ".join(f'q."{n}"::varchar as "{n}"' for n in names)
    got = con.execute(f"select q._pos, {cols} from ({sql}) q {order}").df()
    got = got.astype({n: "string" for n in names}).reset_index(drop=True)
    return got.rename(columns=shown)


def run(
    stage: Callable[[duckdb.DuckDBPyConnection, Any], Any], frame: pd.DataFrame, ctx: Any
) -> Any:
    """A staging adapter run on a text frame (a sheet's own column names), its tables handed
    back as frames with ``_pos`` (what the tests and the preview read)."""
    con = duckdb.connect()
    try:
        _load(con, frame, "raw_frame")
        open_sheet(con, "raw_frame", "raw_frame_v", [str(c) for c in frame.columns], ctx)
        converted = stage(con, ctx)
        if converted is None:
            return None
        converted.tables = {
            table: _fetch(con, str(sql), converted.shown) for table, sql in converted.tables.items()
        }
        return converted
    finally:
        con.close()


def combined(
    stage: Callable[[duckdb.DuckDBPyConnection, dict[str, Any]], Any],
    frames: dict[str, pd.DataFrame],
    context: Callable[[str], Any],
) -> Any:
    """Sheets reshaped together (``Adapter.combine_stage``: database tables) run on text frames
    (a sheet's own column names), each entity's tables handed back as frames with ``_pos``;
    ``context`` makes an entity's ``Context``."""
    con = duckdb.connect()
    try:
        ctxs = {}
        for i, (entity, frame) in enumerate(frames.items()):
            _load(con, frame, f"raw_{i}")
            ctxs[entity] = open_sheet(con, f"raw_{i}", f"raw_{i}_v",
                                      [str(c) for c in frame.columns], context(entity))  # fmt: skip
        out = stage(con, ctxs)
        for entry in (out or {}).values():
            entry["tables"] = {t: _fetch(con, sql, {}) for t, sql in entry["tables"].items()}
        return out
    finally:
        con.close()


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a generated identifier: {name!r}")
    return name
