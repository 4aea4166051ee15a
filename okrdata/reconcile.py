"""Reconcile with the source tool: where an export carries the tool's own progress (Viva's
``Progress %``, okra's ``progress``, kept as ``source_progress``), say why OKR Pulse's figure
differs from it by more than ``GAP`` (10 points), from the evidence in the data
(README "Computation", Reconcile with the source tool).

A key result's reason, the first that holds:

1. **a different date**: the view is as of a day before the export's (the tool's figure was
   read on the export's day), or the tool's figure is what one of the key result's earlier or
   later check-ins scores, not the one in force on the view's day;
2. **check-ins missing from the export**: OKR Pulse has no value for the key result (no check-in,
   no current value) while the tool shows progress;
3. **another progress rule**: the same value scores otherwise in the tool.

An objective's reason: a different date as above; else, when the tool gives each of its key
results a figure, **another roll-up or weighting rule** when the tool's objective figure is not
the weighted mean of its key results' own figures (OKR Pulse's rule); else the reasons of its
key results that differ (or check-ins missing from the export for those without a value).

>>> krs = pd.DataFrame({"kr_id": ["K1"], "objective_id": ["O1"], "metric_type": ["increase"],
...     "start_value": [0.0], "target_value": [100.0], "current_value": [float("nan")],
...     "n_checkins": [0], "score": [0.0], "source_progress": [0.4], "weight": [1.0],
...     "current_as_of": [pd.Timestamp("2026-11-20")]})
>>> kr_reasons(krs, pd.DataFrame(columns=["kr_id", "date", "value"]), pd.Timestamp("2026-11-20"))
['check-ins missing from the export: OKR Pulse has no value for it (0%), the tool shows 40%']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from okrdata import display

GAP = 0.10  # a difference of more than 10 points is explained


_pct, _day = display.pct, display.date  # the one way to write a share and a day


def differs(ours: float | None, theirs: float | None) -> bool:
    """Both figures known and more than ``GAP`` apart."""
    if ours is None or theirs is None or pd.isna(ours) or pd.isna(theirs):
        return False
    return abs(float(ours) - float(theirs)) > GAP + 1e-9


def _score(row: pd.Series, value: float) -> float:
    """The key result's score (0–1) of ``value`` by OKR Pulse's rule for a linear key result."""
    start, target = float(row["start_value"]), float(row["target_value"])
    if not np.isfinite(start) or not np.isfinite(target) or target == start:
        return float("nan")
    return float(np.clip((value - start) / (target - start), 0.0, 1.0))


def _no_value(row: pd.Series) -> bool:
    """No check-in and no current value in the export (``export_value``: the file's own)."""
    given = row.get("export_value", row.get("current_value"))
    return int(row.get("n_checkins", 0) or 0) == 0 and (given is None or pd.isna(given))


def kr_reason(row: pd.Series, checkins: pd.DataFrame, as_of: pd.Timestamp) -> str | None:
    """Why one key result's ``score`` and ``source_progress`` differ (None when they do not).

    ``checkins``: the key result's check-ins (every date, with ``date`` and ``value``)."""
    ours, theirs = row["score"], row["source_progress"]
    if not differs(ours, theirs):
        return None
    figures = f"OKR Pulse {_pct(ours)}, the tool {_pct(theirs)}"
    read = row.get("current_as_of")
    if read is not None and pd.notna(read) and as_of < pd.Timestamp(read):
        return (f"a different date: the tool's figure is from {_day(read)}, this view is as of "
                f"{_day(as_of)} ({figures})")  # fmt: skip
    if _no_value(row):
        return (f"check-ins missing from the export: OKR Pulse has no value for it "
                f"({_pct(ours)}), the tool shows {_pct(theirs)}")  # fmt: skip
    if row.get("metric_type") in ("increase", "decrease"):
        for date, value in zip(checkins["date"], checkins["value"], strict=True):
            if pd.notna(value) and abs(_score(row, float(value)) - float(theirs)) < 0.005:
                when = "a later" if date > as_of else "an earlier"
                return (f"a different date: the tool's {_pct(theirs)} is what {when} check-in "
                        f"({_day(date)}, {value:g}) scores; on {_day(as_of)} OKR Pulse has "
                        f"{_pct(ours)}")  # fmt: skip
    value = row.get("current_value")
    shown = "" if value is None or pd.isna(value) else f" for the value {float(value):g}"
    return f"another progress rule: {figures}{shown}"


def kr_reasons(krs: pd.DataFrame, checkins: pd.DataFrame, as_of: pd.Timestamp) -> list[str | None]:
    """``kr_reason`` of each row of ``krs`` (a few key results: one team's)."""
    by_kr = {k: g.sort_values("date") for k, g in checkins.groupby("kr_id", sort=False)}
    empty = checkins.iloc[0:0]
    return [kr_reason(row, by_kr.get(row["kr_id"], empty), as_of) for _, row in krs.iterrows()]


def objective_reasons(
    objs: pd.DataFrame, krs: pd.DataFrame, kr_why: list[str | None], as_of: pd.Timestamp
) -> list[str | None]:
    """Why each objective's ``progress`` and ``source_progress`` differ (None when they do not).

    ``krs``: their key results (``kr_reasons`` gave ``kr_why``, in the same order)."""
    k = krs.assign(why=pd.Series(kr_why, index=krs.index, dtype=object))
    out: list[str | None] = []
    for _, o in objs.iterrows():
        ours, theirs = o["progress"], o["source_progress"]
        if not differs(ours, theirs):
            out.append(None)
            continue
        mine = k[k["objective_id"] == o["objective_id"]]
        figures = f"OKR Pulse {_pct(ours)}, the tool {_pct(theirs)}"
        read = mine["current_as_of"].max() if len(mine) else pd.NaT
        if pd.notna(read) and as_of < read:
            out.append(f"a different date: the tool's figure is from {_day(read)}, this view "
                       f"is as of {_day(as_of)} ({figures})")  # fmt: skip
            continue
        if len(mine) and mine["source_progress"].notna().all():
            w = mine["weight"].fillna(1.0).clip(lower=0.0)
            w = w if w.sum() > 0 else pd.Series(1.0, index=mine.index)
            rolled = float((mine["source_progress"] * w).sum() / w.sum())
            if differs(rolled, theirs):
                equal = float(mine["source_progress"].mean())
                how = (
                    " (their plain mean is " + _pct(equal) + ")"
                    if not differs(equal, theirs)
                    else ""
                )
                out.append(f"another roll-up or weighting rule: the tool's {_pct(theirs)} is not "
                           f"the weighted mean of its key results' own figures, "
                           f"{_pct(rolled)}{how}")  # fmt: skip
                continue
        why = mine.dropna(subset=["why"])
        if len(why):
            kinds = sorted({str(r).split(":")[0] for r in why["why"]})
            out.append(f"{'; '.join(kinds)} on {len(why)} of its {len(mine)} key results "
                       f"({', '.join(why['kr_id'].astype(str))}; {figures})")  # fmt: skip
            continue
        blank = mine[[_no_value(r) for _, r in mine.iterrows()]]
        if len(blank):
            out.append(f"check-ins missing from the export: {len(blank)} of its {len(mine)} key "
                       f"results have no value here ({figures})")  # fmt: skip
        else:
            out.append(f"another roll-up or weighting rule ({figures})")
    return out
