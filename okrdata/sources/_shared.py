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


def has_all(sample: Any, names: set[str]) -> list[str] | None:
    """The columns as written when every name of ``names`` is among the sample's, else None."""
    return sample.named(sorted(names)) if names <= set(sample.names) else None
