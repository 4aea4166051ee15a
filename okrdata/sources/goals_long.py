"""Goals in a long layout, linked by parent ids (one row per goal).

Modelled on the goal exports of tools that keep objectives and key results as one kind of goal
(``Goal ID, Parent Goal IDs, Goal Title, Goal Cycle, Goal Type, Starting Value, Target Value,
Current Value, Progress Status, Owner Emails``, as WorkBoard-style and Perdoo-style goal lists
export them): a goal with a target value under a parent goal is a key result of its (first)
parent; other goals are objectives, aligned to their first parent. The team comes from a
``Team`` column when there is one, else the first of ``Departments``, else "Unassigned"
(owners are people, never teams).

Peoplebox's goals import (V2, https://help.peoplebox.ai/hc/peoplebox-help-center/articles/
1756218434-goals-import-via-csv-v2) writes new goals with a ``Row ID`` and ``Parent Row IDs``
and no ``Goal ID``: the row ids then stand for the goal ids. Its ``Goal Cycle`` is a cycle word
(``Quarterly``, ``Annually``) and its ``Start Date`` / ``End Date`` decide the period; its
``Goal Type`` says how a goal is measured (``Number``, ``Dollar``, ``Euro``, ``Custom
Percent``, ``Binary``): a currency or percent is the key result's unit, ``Binary`` its metric
type, and such a word is no objective's type (other words are read as before);
``Progress Status`` is a key result's status.
"""

from __future__ import annotations

import pandas as pd

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import _join, has_all, run_shape

LONG = {"goal id", "parent goal ids", "goal title", "goal cycle"}
_LONG_USED = {"goal id", "parent goal ids", "goal title", "goal cycle", "goal type", "team",
              "starting value", "target value", "current value", "owner emails", "row id",
              "parent row ids", "start date", "end date", "departments",
              "progress status"}  # fmt: skip
# a Goal Type naming how a goal is measured: the key result's unit or kind, as text
_MEASURE_UNIT = {"dollar": "$", "euro": "€", "pound": "£", "rupee": "₹", "custom percent": "%",
                 "percent": "%", "percentage": "%"}  # fmt: skip
_MEASURES = ("binary", "number", "default progress", "currency", "custom", "milestone")


def _first(values: pd.Series) -> pd.Series:
    """The first of a cell's comma/semicolon/pipe-separated values, empty as NA."""
    return values.str.split(r"[,;|]").str[0].str.strip().replace("", pd.NA)


def _long(f: pd.DataFrame) -> pd.DataFrame:
    na = pd.Series(pd.NA, index=f.index, dtype="string")
    col = lambda name: f[name] if name in f else na  # noqa: E731
    # new goals of an import file: their row ids stand for the goal ids
    goal_id = col("goal id").fillna(col("row id"))
    parent = _first(col("parent goal ids")).fillna(_first(col("parent row ids")))
    has_target = col("target value").fillna("").str.strip() != ""
    is_kr = has_target & parent.notna() & parent.isin(goal_id)
    dept = _first(col("departments"))
    team = f["team"] if "team" in f else dept.fillna("Unassigned")
    owner = _first(col("owner emails"))
    kind = col("goal type").str.strip().str.lower()
    # a type saying how a goal is measured is no objective's type (staging reads the others'
    # words: committed, aspirational, or a level such as Company)
    okr_type = col("goal type").mask(kind.isin([*_MEASURE_UNIT, *_MEASURES]))
    objs = pd.DataFrame({
        "objective_id": goal_id, "objective": f["goal title"], "quarter": f["goal cycle"],
        "start_date": col("start date"), "end_date": col("end date"), "team": team,
        "department": dept, "parent_objective_id": parent, "objective_owner": owner,
        "okr_type": okr_type, "_pos": f.index,
    })[~is_kr]  # fmt: skip
    krs = pd.DataFrame({
        "objective_id": parent, "kr_id": goal_id, "key_result": f["goal title"],
        "kr_owner": owner, "start_value": col("starting value"),
        "target_value": col("target value"), "current_value": col("current value"),
        "unit": kind.map(_MEASURE_UNIT), "status": col("progress status"),
        "metric_type": kind.where(kind == "binary"), "_pos": f.index,
        "_quarter": f["goal cycle"], "_team": team, "_parent_title": pd.NA,
    })[is_kr]  # fmt: skip
    return _join(objs, krs)


def identify(sample: Sample) -> Claim | None:
    found = has_all(sample, LONG)
    return None if found is None else (100.0 + len(found), found)


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    return run_shape(frame, ctx, _long, _LONG_USED)


ADAPTER = Adapter("goals_long", "a goals export with parent ids", identify, convert)
