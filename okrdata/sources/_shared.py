"""Text reshaping the adapters share: joining objectives with their key results, which way a
file writes its slashed dates, and the sheet's names normalised.

No shape of its own: modelled on what the real exports its users read have in common, a
Viva Goals explorer CSV (github matthugh1/MHOKR ``import/Vivagoals.csv``: objective and key
result rows linked by ``Aligned To``, unnamed trailing columns) and goal lists with parent ids
(``Goal ID, Parent Goal IDs, Goal Title, Goal Cycle``) and numbered key-result columns
(``key_result_1_title``) as ``goals_long`` and ``goals_wide`` name them."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from okrdata.columns import normalise

_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")
_DAY = r"0?(1[3-9]|2\d|3[01])"  # a day that cannot be a month


def date_order(con: Any, relation: str, column: str) -> str | None:
    """``"dmy"`` or ``"mdy"`` when a slashed date in ``column`` (SQL over ``relation``) decides
    it, else None: a day past 12 is written 13-31 (the text is looked at, never read as a
    number).

    >>> import duckdb
    >>> date_order(duckdb.connect(), "(values ('03/04/2026'), ('31/12/2026')) t(v)", "v")
    'dmy'
    """
    got = con.execute(f"""
        with s as (select regexp_extract({column}, '{_SLASHED.pattern}', ['a', 'b']) as p
                   from {relation} where regexp_matches({column}, '{_SLASHED.pattern}'))
        select coalesce(bool_or(regexp_full_match(p.a, '{_DAY}')), false),
               coalesce(bool_or(regexp_full_match(p.b, '{_DAY}')), false) from s""").fetchone()  # fmt: skip
    first, second = got if got else (False, False)
    if first and not second:
        return "dmy"
    if second and not first:
        return "mdy"
    return None


def ambiguous_dates(con: Any, ctx: Any, norm: str) -> list[tuple[str, str, str]]:
    """A warning (column as written, first value, sentence) when a column of slashed dates has
    no date that tells day-first from month-first and the setting decides (staging reads the
    dates, in that order)."""
    if norm not in ctx.positions:
        return []
    column = ctx.col(norm)
    if date_order(con, ctx.relation, column) is not None:
        return []
    got = con.execute(f"""
        select {column} from {ctx.relation}
        where regexp_matches({column}, '{_SLASHED.pattern}') order by _pos limit 1""").fetchone()  # fmt: skip
    if got is None:
        return []
    first = str(got[0])
    reading = "day-first" if ctx.date_order == "dmy" else "month-first"
    return [(ctx.names[norm], first, (
        f"Dates like {first} could be day-first or month-first and no date in the file "
        f"tells; they are read {reading} (set date_order in okr.toml, or use ISO dates)."))]  # fmt: skip


def _join(objs: pd.DataFrame, krs: pd.DataFrame) -> pd.DataFrame:
    """One row per KR with its objective's columns, and each objective's own row (its key-result
    columns blank): every input row reaches the okrs table, so the import ledger counts it."""
    by_id = objs.drop(columns="_pos").drop_duplicates("objective_id")
    rows = krs.merge(by_id, on="objective_id", how="left")
    # a KR whose objective is not in the file keeps what the KR row knows of it
    rows["objective"] = rows["objective"].fillna(rows.pop("_parent_title"))
    rows["quarter"] = rows["quarter"].fillna(rows.pop("_quarter"))
    rows["team"] = rows["team"].fillna(rows.pop("_team"))
    out = pd.concat([objs, rows], ignore_index=True).sort_values("_pos", kind="stable")
    return out.reset_index(drop=True).astype({c: "string" for c in out.columns if c != "_pos"})


def by_norm(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame with normalised, unique column names ("column", "column 2", …) as text, and
    those names mapped to the names as written."""
    cols: dict[str, str] = {}
    for c in frame.columns:
        norm, k = normalise(c), 1
        while (norm if k == 1 else f"{norm} {k}") in cols:
            k += 1
        cols[norm if k == 1 else f"{norm} {k}"] = c
    f = frame.rename(columns={v: k for k, v in cols.items()}).astype("string")
    return f.reset_index(drop=True), cols


def run_shape(
    frame: pd.DataFrame,
    ctx: Any,
    reshape: Any,
    used: set[str],
    also_used: str | None = None,
) -> Any:
    """Run a reshape written for normalised column names and wrap what it gives as
    ``Converted``: its tables, the columns not used (``used`` names, or names matching the
    pattern ``also_used``), and its date warnings."""
    from okrdata.sources import Converted

    f, cols = by_norm(frame)
    f.attrs.update(date_order=ctx.date_order, warnings=[], names=cols)
    out = reshape(f)
    tables = out if isinstance(out, dict) else {"okrs": out}
    unused = [name for norm, name in cols.items()
              if norm not in used and not (also_used and re.fullmatch(also_used, norm))]  # fmt: skip
    return Converted(tables, unused=unused, warnings=f.attrs["warnings"])


def has_all(sample: Any, names: set[str]) -> list[str] | None:
    """The columns as written when every name of ``names`` is among the sample's, else None."""
    return sample.named(sorted(names)) if names <= set(sample.names) else None
