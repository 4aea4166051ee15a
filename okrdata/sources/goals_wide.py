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

import pandas as pd

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import has_all, run_shape, warn_ambiguous_dates

WIDE = {"name", "due at", "key result 1 title"}
_WIDE_USED = {"name", "due at", "completion", "team", "owner", "email"}


def _wide(f: pd.DataFrame) -> pd.DataFrame:
    numbers = {m.group(1) for c in f.columns if (m := re.match(r"key result (\d+) title$", c))}
    n = sorted(numbers, key=lambda k: (len(k), k))  # 1, 2, …, 10
    oid = pd.Series([f"OBJ-{i + 2}" for i in range(len(f))], index=f.index, dtype="string")
    team = f["team"] if "team" in f else pd.Series("Unassigned", index=f.index, dtype="string")
    warn_ambiguous_dates(f, "due at")
    na = pd.Series(pd.NA, index=f.index, dtype="string")
    owner = f["owner"] if "owner" in f else f["email"] if "email" in f else na
    base = pd.DataFrame({"objective_id": oid, "objective": f["name"], "end_date": f["due at"],
                         "team": team, "objective_owner": owner,
                         "objective_source_progress": f.get("completion", na), "_pos": f.index})  # fmt: skip
    parts = []
    for rank, k in enumerate(n):
        title = f[f"key result {k} title"]
        completion = f.get(f"key result {k} completion", pd.Series(pd.NA, index=f.index))
        part = base.assign(kr_id=oid + f"-KR{k}", key_result=title, start_value="0",
                           target_value="100", progress=completion, unit="%", _k=rank)  # fmt: skip
        parts.append(part[title.fillna("").str.strip() != ""])
    krs = pd.concat(parts, ignore_index=True) if parts else base.iloc[0:0]
    lonely = base[~base["objective_id"].isin(krs.get("objective_id", []))]
    out = pd.concat([lonely, krs], ignore_index=True)
    out = out.sort_values(["_pos", "_k"] if "_k" in out else ["_pos"], kind="stable")
    return (
        out.drop(columns="_k", errors="ignore")
        .reset_index(drop=True)
        .astype({c: "string" for c in out.columns if c not in ("_pos", "_k")})
    )


def identify(sample: Sample) -> Claim | None:
    found = has_all(sample, WIDE)
    return None if found is None else (100.0 + len(found), found)


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    return run_shape(frame, ctx, _wide, _WIDE_USED, r"key result \d+ (title|completion)")


ADAPTER = Adapter("goals_wide", "a wide goals export (one row per objective)", identify, convert)
