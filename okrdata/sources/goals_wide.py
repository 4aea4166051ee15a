"""Goals in a wide layout: one row per objective, its key results in numbered columns.

Modelled on the goal exports of open-source OKR tools that store a goal with its key results
inline (``name, description, due_at, status, completion, key_result_1_title,
key_result_1_completion, …``): each titled key result becomes a row with start 0 and target
100 (%); the quarter is ``due_at``'s (staging reads the date).
"""

from __future__ import annotations

import re

import pandas as pd

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import _fmt, _number, _quarter_from_dates, has_all, run_shape

WIDE = {"name", "due at", "key result 1 title"}
_WIDE_USED = {"name", "due at", "completion", "team", "owner"}


def _wide(f: pd.DataFrame) -> pd.DataFrame:
    n = sorted(
        {int(m.group(1)) for c in f.columns if (m := re.match(r"key result (\d+) title$", c))}
    )
    oid = pd.Series([f"OBJ-{i + 2}" for i in range(len(f))], index=f.index, dtype="string")
    team = f["team"] if "team" in f else pd.Series("Unassigned", index=f.index, dtype="string")
    base = pd.DataFrame({"objective_id": oid, "objective": f["name"],
                         "quarter": _quarter_from_dates(f, "due at"), "team": team,
                         "objective_owner": f.get("owner"), "_pos": f.index})  # fmt: skip
    done = [f.get(f"key result {k} completion", pd.Series(pd.NA, index=f.index)) for k in n]
    scale = 100 if any((_number(d) > 1).any() for d in done) else 1
    parts = []
    for k, completion in zip(n, done, strict=True):
        title = f[f"key result {k} title"]
        value = _number(completion) * (100 / scale)
        part = base.assign(kr_id=oid + f"-KR{k}", key_result=title, start_value="0",
                           target_value="100", current_value=_fmt(value), unit="%", _k=k)  # fmt: skip
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
