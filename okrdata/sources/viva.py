"""Microsoft Viva Goals: the explorer's CSV export.

Modelled on a real export (github matthugh1/MHOKR ``import/Vivagoals.csv``): ``Id, Title, Team,
Creator, Owner, Period, Start Date, End Date, Description, "Aligned To (weight, Objective ID)",
Metric Name, Unit, Target, Object Type, Goal Type, Start, Created At, Last Check-in, Progress %,
Actual Progress, Status, Last Check-in Note, Score, Checkins`` and about 26 unnamed columns
after it, CRLF; and on its newer view without the ``Id`` column. ``Object Type`` tells
objectives from key results and work (deliverables, projects, initiatives); a key result's
``Aligned To`` (``Title(weight: 50%, Id: 123)``) names its objective and weight, an
objective's names its parent. Check-ins are packed one per cell, in ``Checkins`` and the
unnamed columns after it.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import (
    _UNNAMED,
    _fmt,
    _fraction,
    _join,
    _number,
    _okr_type,
    has_all,
    run_shape,
)

VIVA = {"title", "aligned to"}  # and a "Type" or "Object Type" column
_ALIGNED = re.compile(r"^(?P<title>.*?)\s*\(\s*weight:\s*(?P<weight>[\d.]+)\s*%?\s*,\s*id:\s*"
                      r"(?P<id>[^)]+?)\s*\)\s*$", re.IGNORECASE)  # fmt: skip
_ALIGNED_ANY = re.compile(r"(?P<title>[^,(][^(]*?)\s*\(\s*weight:\s*(?P<weight>[\d.]+)\s*%?\s*,\s*"
                          r"id:\s*(?P<id>[^)]+?)\s*\)", re.IGNORECASE)  # fmt: skip
_CHECKIN = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+(?:\s*(?:UTC|Z))?)?|\d{1,2}/\d{1,2}/\d{4}"
    r"|[A-Z][a-z]{2,8} \d{1,2},? \d{4})\s*[:,\-–]?\s*(?P<value>[^\s(\[;]+)?\s*"
    r"(?:[(\[](?P<status>[^)\]]+)[)\]])?\s*(?:[-–:]\s*)?(?P<comment>.*)$"
)
_VIVA_USED = {
    "id", "title", "type", "object type", "aligned to", "metric", "time period", "period", "teams", "team",
    "start date", "end date", "owner", "goal type", "start", "start value", "target",
    "target value", "actual progress", "current", "current value", "progress", "status", "unit",
    "checkins", "check ins", "checkin history",
}  # fmt: skip


def _viva(f: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Viva Goals: objectives, key results (under an objective or a key result), work items
    (deliverables, projects, initiatives) and check-ins packed in a cell or trailing columns."""
    na = pd.Series(pd.NA, index=f.index, dtype="string")
    col = lambda *names: next((f[n] for n in names if n in f), na)  # noqa: E731
    kind = col("object type", "type").str.lower().str.replace(r"[\s_-]", "", regex=True)
    is_kr = kind.isin(["keyresult", "kr", "keyresults"])
    is_obj = kind.isin(["objective", "objectives", "goal", "bigrock"]) | kind.isna()
    is_work = ~is_kr & ~is_obj
    ids = col("id")
    derived = ids.isna() & f["title"].notna()
    if derived.any():  # an export without its Id column: ids from the row's period, team, title
        key = col("time period", "period").fillna("") + "|" + col("teams", "team").fillna("")
        key = key + "|" + f["title"].fillna("")
        ids = ids.fillna(key.map(lambda k: "V-" + hashlib.md5(k.lower().encode()).hexdigest()[:8]))
    title_to_id = dict(zip(f["title"].str.lower(), ids, strict=False))
    parents = [_parents(text, title_to_id) for text in col("aligned to")]
    kr_ids = set(ids[is_kr].dropna())
    obj_ids = set(ids[is_obj].dropna())
    objective_of_kr = {}
    for i in f.index[is_kr]:
        objective_of_kr[ids[i]] = next((p for p, _ in parents[i] if p in obj_ids), None) or next(
            (p for p, _ in parents[i]), None
        )

    def climb(pid: str | None) -> str | None:
        seen = set()
        while pid in kr_ids and pid not in seen:  # a key result under a key result
            seen.add(pid)
            pid = objective_of_kr.get(pid)
        return pid

    def first_parent(i: int) -> tuple[str | None, str | None]:
        """An objective's or KR's parent: an objective in the file first, else the first one."""
        cands = [(climb(p), w) for p, w in parents[i]]
        return next(((p, w) for p, w in cands if p in obj_ids), cands[0] if cands else (None, None))

    chosen = [first_parent(i) for i in f.index]
    parent = pd.Series([p for p, _ in chosen], index=f.index, dtype="string")
    weight = pd.Series([w for _, w in chosen], index=f.index, dtype="string")
    quarter = col("time period", "period")
    team = col("teams", "team").str.split(",").str[0].str.strip()
    start = _number(col("start", "start value"))
    target = _number(col("target", "target value"))
    actual = _number(col("actual progress", "current", "current value"))
    progress = _fraction(col("progress")) if "progress" in f else pd.Series(np.nan, index=f.index)
    binary = (
        col("metric")
        .str.lower()
        .str.replace(r"[^a-z]", "", regex=True)
        .isin(["achievedornot", "achieveornot", "milestone", "yesno", "binary"])
    )
    target_text = col("target", "target value")
    numeric = target_text.notna() & ~binary
    current = actual.fillna(start.fillna(0) + progress * (target - start.fillna(0)))
    current = current.where(numeric, actual)
    current = current.mask(binary, (progress >= 1).astype(float).where(progress.notna()))
    progress_pct = (progress * 100).where(~numeric & ~binary)
    metric = pd.Series(np.where(binary, "binary", pd.NA), index=f.index, dtype="string")
    objs = pd.DataFrame({
        "objective_id": ids, "objective": f["title"], "quarter": quarter, "team": team,
        "start_date": col("start date"), "end_date": col("end date"),
        "parent_objective_id": parent, "objective_owner": col("owner"),
        "okr_type": _okr_type(col("goal type")), "_pos": f.index,
    })[is_obj]  # fmt: skip
    krs = pd.DataFrame({
        "objective_id": parent, "kr_id": ids, "key_result": f["title"], "kr_owner": col("owner"),
        "kr_quarter": quarter, "start_value": _fmt(start.where(numeric)),
        "target_value": target_text.where(numeric), "current_value": _fmt(current),
        "progress": _fmt(progress_pct) + "%", "status": col("status"), "unit": col("unit"),
        "metric_type": metric,
        "weight": weight, "_pos": f.index, "_quarter": quarter, "_team": team,
        "_parent_title": pd.Series(pd.NA, index=f.index, dtype="string"),
    })[is_kr]  # fmt: skip
    okrs = _join(objs, krs)
    # a KR's period is its objective's unless it says otherwise
    same = okrs["kr_quarter"].fillna("") == okrs["quarter"].fillna("")
    okrs["kr_quarter"] = okrs["kr_quarter"].mask(same)
    work_parent = [(climb(p) if p in kr_ids else p, p if p in kr_ids else None)
                   for p, _ in (parents[i][0] if parents[i] else (None, None) for i in f.index)]  # fmt: skip
    work = pd.DataFrame({
        "objective_id": [p for p, _ in work_parent], "kr_id": [k for _, k in work_parent],
        "title": f["title"], "team": team, "period": quarter, "_pos": f.index,
    }, index=f.index)[is_work].astype({"objective_id": "string", "kr_id": "string"})  # fmt: skip
    checkins = _packed_checkins(f, ids, is_kr)
    out = {"okrs": okrs, "checkins": checkins, "work": work}
    return {k: v for k, v in out.items() if k == "okrs" or len(v)}


def _parents(text: object, title_to_id: dict) -> list[tuple[str, str | None]]:
    """``Title(weight: 50%, Id: 1), Other(weight: 50%, Id: 2)`` -> ``[("1", "50"), ("2", "50")]``;
    a bare title is looked up among the file's titles."""
    if text is None or pd.isna(text) or not str(text).strip():
        return []
    known = set(title_to_id.values())
    found = [
        (pid if pid in known else title_to_id.get(m.group("title").strip().lower(), pid), weight)
        for m in _ALIGNED_ANY.finditer(str(text))
        for pid, weight in [(m.group("id").strip(), m.group("weight"))]
    ]
    if found:
        return found
    parts = [str(text).strip(), *(p.strip() for p in re.split(r"[;\n]", str(text)))]
    for part in parts:
        if part.lower() in title_to_id:
            return [(title_to_id[part.lower()], None)]
    return [(str(text).strip(), None)]


def _packed_checkins(f: pd.DataFrame, ids: pd.Series, is_kr: pd.Series) -> pd.DataFrame:
    """Check-ins packed in a ``Checkins`` cell (one per line or ``;``) and in unnamed trailing
    columns (one per cell): ``2026-07-14: 35 (On Track) - note``."""
    cells = [c for c in f.columns if c in ("checkins", "check ins", "checkin history")]
    cells += [c for c in f.columns if _UNNAMED.fullmatch(c)]
    rows = []
    for i in f.index[is_kr]:
        for c in cells:
            text = f.at[i, c]
            if text is None or pd.isna(text):
                continue
            for entry in re.split(r"\n|;|\s\|\s", str(text)):
                m = _CHECKIN.match(entry.strip())
                if m and m.group("date"):
                    rows.append({"kr_id": ids[i], "date": m.group("date"), "value": m.group("value"),
                                 "status": m.group("status"), "comment": m.group("comment") or None,
                                 "_pos": i})  # fmt: skip
    frame = pd.DataFrame(rows, columns=["kr_id", "date", "value", "status", "comment", "_pos"])
    return frame.astype({c: "string" for c in frame.columns if c != "_pos"})


def identify(sample: Sample) -> Claim | None:
    found = has_all(sample, VIVA)
    kind = sample.named(["object type", "type"])
    if found is None or not kind:
        return None
    extra = sample.named(["checkins", "check ins", "checkin history", "progress"])
    return 100.0 + len(found) + len(extra), [kind[0], *sample.named(["aligned to"]), *extra]


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    return run_shape(frame, ctx, _viva, _VIVA_USED, _UNNAMED.pattern)


ADAPTER = Adapter("viva", "a Viva Goals export", identify, convert)
