"""Goals in a wide layout: one row per objective, its key results in numbered columns.

Modelled on the goal exports of open-source OKR tools that store a goal with its key results
inline (``name, description, due_at, status, completion, key_result_1_title,
key_result_1_completion, …``): each titled key result becomes a row with start 0 and target
100 (%) whose completion is its progress (staging reads the file's completions as 0–1 or
0–100 and puts them on the 0–100 way); ``due_at`` is the objective's end date, and the
quarter is the one that date falls in (staging reads the date).

Culture Amp's individual goals import template has this layout (``email, name, description,
visibility, individual_emails, due_at, created_at, priority, status, completion,
key_result_1_title, key_result_1_completion, …``, https://support.cultureamp.com/hc/en-us/
articles/4408073513106): ``email`` is the goal owner's address (the owner, where no ``owner``
column is given), and a goal's own ``completion`` (0.0–1.0, given for a goal without key
results) is the tool's progress of the objective, kept as its ``objective_source_progress``.
"""

from __future__ import annotations

import re

import duckdb

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import ambiguous_dates, has_all

WIDE = {"name", "due at", "key result 1 title"}
_WIDE_USED = {"name", "due at", "completion", "team", "owner", "email"}
_KR_COLUMN = re.compile(r"key result (\d+) (title|completion)")


def identify(sample: Sample) -> Claim | None:
    found = has_all(sample, WIDE)
    return None if found is None else (100.0 + len(found), found)


def stage(con: duckdb.DuckDBPyConnection, ctx: Context) -> Converted | None:
    """The okrs table in SQL: each objective row once per titled key result (in the order of
    their numbers: 1, 2, …, 10), an objective without one as its own row."""
    found = (re.fullmatch(r"key result (\d+) title", n) for n in ctx.positions)
    numbers = sorted({m.group(1) for m in found if m}, key=lambda k: (len(k), k))
    titled = {k: f"trim(coalesce({ctx.col(f'key result {k} title')}, '')) <> ''" for k in numbers}
    team = ctx.col("team") if "team" in ctx.positions else "'Unassigned'"
    base = f"""select _pos, 'OBJ-' || (_pos + 2) as objective_id, {ctx.col("name")} as objective,
               {ctx.col("due at")} as end_date, {team} as team,
               {ctx.col("owner", "email")} as objective_owner,
               {ctx.col("completion")} as objective_source_progress"""
    krs = [
        f"""{base}, {rank} as _seq, 'OBJ-' || (_pos + 2) || '-KR{k}' as kr_id,
            {ctx.col(f"key result {k} title")} as key_result, '0' as start_value,
            '100' as target_value, {ctx.col(f"key result {k} completion")} as progress,
            '%' as unit
        from {ctx.relation} where {titled[k]}"""
        for rank, k in enumerate(numbers)
    ]
    lonely = f"{base}, 0 as _seq from {ctx.relation} where not ({' or '.join(titled.values())})"
    okrs = " union all by name ".join([lonely, *krs])
    unused = [name for norm, name in ctx.names.items()
              if norm not in _WIDE_USED and not _KR_COLUMN.fullmatch(norm)]  # fmt: skip
    return Converted({"okrs": okrs}, unused=unused, warnings=ambiguous_dates(con, ctx, "due at"))


ADAPTER = Adapter("goals_wide", "a wide goals export (one row per objective)", identify,
                  stage=stage)  # fmt: skip
