"""Goals in a long layout, linked by parent ids (one row per goal).

Modelled on the goal exports of tools that keep objectives and key results as one kind of goal
(``Goal ID, Parent Goal IDs, Goal Title, Goal Cycle, Goal Type, Starting Value, Target Value,
Current Value, Progress Status, Owner Emails``, as WorkBoard-style and Perdoo-style goal lists
export them): a goal with a target value under a parent goal is a key result of its (first)
parent; other goals are objectives, aligned to their first parent. The team comes from a
``Team`` column when there is one, else "Unassigned" (owners are people, never teams).
"""

from __future__ import annotations

import pandas as pd

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import _join, has_all, run_shape

LONG = {"goal id", "parent goal ids", "goal title", "goal cycle"}
_LONG_USED = {"goal id", "parent goal ids", "goal title", "goal cycle", "goal type", "team",
              "starting value", "target value", "current value", "owner emails"}  # fmt: skip


def _long(f: pd.DataFrame) -> pd.DataFrame:
    parent = f["parent goal ids"].str.split(r"[,;|]").str[0].str.strip().replace("", pd.NA)
    has_target = f["target value"].fillna("").str.strip() != "" if "target value" in f else False
    is_kr = has_target & parent.notna() & parent.isin(f["goal id"])
    team = f["team"] if "team" in f else pd.Series("Unassigned", index=f.index, dtype="string")
    owner = f.get("owner emails", pd.Series(pd.NA, index=f.index, dtype="string"))
    owner = owner.str.split(r"[,;]").str[0].str.strip()
    kind = f["goal type"] if "goal type" in f else None  # staging reads the type's words
    objs = pd.DataFrame({
        "objective_id": f["goal id"], "objective": f["goal title"], "quarter": f["goal cycle"],
        "team": team, "parent_objective_id": parent, "objective_owner": owner, "okr_type": kind,
        "_pos": f.index,
    })[~is_kr]  # fmt: skip
    krs = pd.DataFrame({
        "objective_id": parent, "kr_id": f["goal id"], "key_result": f["goal title"],
        "kr_owner": owner, "start_value": f.get("starting value"),
        "target_value": f.get("target value"), "current_value": f.get("current value"),
        "_pos": f.index, "_quarter": f["goal cycle"], "_team": team, "_parent_title": pd.NA,
    })[is_kr]  # fmt: skip
    return _join(objs, krs)


def identify(sample: Sample) -> Claim | None:
    found = has_all(sample, LONG)
    return None if found is None else (100.0 + len(found), found)


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    return run_shape(frame, ctx, _long, _LONG_USED)


ADAPTER = Adapter("goals_long", "a goals export with parent ids", identify, convert)
