"""Microsoft Viva Goals: the explorer's CSV export.

Modelled on a real export (github matthugh1/MHOKR ``import/Vivagoals.csv``): ``Id, Title, Team,
Creator, Owner, Period, Start Date, End Date, Description, "Aligned To (weight, Objective ID)",
Metric Name, Unit, Target, Object Type, Goal Type, Start, Created At, Last Check-in, Progress %,
Actual Progress, Status, Last Check-in Note, Score, Checkins`` and about 26 unnamed columns
after it, CRLF; and on its newer view without the ``Id`` column. ``Object Type`` tells
objectives from key results and work (deliverables, projects, initiatives); a key result's
``Aligned To`` (``Title(weight: 50%, Id: 123)``) names its objective and weight, an
objective's names its parent. Teams are written ``Puzzel; All Puzzel`` (the first is the
team). Check-ins are packed one per cell, in ``Checkins`` and the unnamed columns after it,
each written ``Checkin Date: 2025-03-10; User: Roland Green; Note: On track; Metric Name:
Progress; Status: On Track; Current Value: 25%; Activity Date: 2025-03-10 14:02:11 UTC;``
(a note may hold ``;`` and line breaks: the cell is read by its field labels). An older,
shorter spelling (``2026-07-14: 35 (On Track) - note``, several to a cell) is read too.

Every value stays text: ``Start``, ``Target``, ``Actual Progress`` (the current value) and
``Progress %`` go to staging as written, which types them and, for a key result with no actual
value, places its current value that share of the way from start to target. Viva's own
``Progress %`` of each objective and key result is kept as ``source_progress``.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import _UNNAMED, _join, _okr_type, has_all, run_shape

VIVA = {"title", "aligned to"}  # and a "Type" or "Object Type" column
_ALIGNED_ANY = re.compile(r"(?P<title>[^,(][^(]*?)\s*\(\s*weight:\s*(?P<weight>[\d.]+)\s*%?\s*,\s*"
                          r"id:\s*(?P<id>[^)]+?)\s*\)", re.IGNORECASE)  # fmt: skip
# the short spelling: "2026-07-14: 35 (On Track) - note"
_CHECKIN = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+(?:\s*(?:UTC|Z))?)?|\d{1,2}/\d{1,2}/\d{4}"
    r"|[A-Z][a-z]{2,8} \d{1,2},? \d{4})\s*[:,\-–]?\s*(?P<value>[^\s(\[;]+)?\s*"
    r"(?:[(\[](?P<status>[^)\]]+)[)\]])?\s*(?:[-–:]\s*)?(?P<comment>.*)$"
)
# the labelled spelling: the fields Viva writes, in its order; the note is free text, so the
# fields before it are read from the left and those after it from the right
_HEAD = ("checkin date", "user")
_TAIL = ("metric name", "status", "current value", "target value", "confidence",
         "activity date")  # fmt: skip
_LABEL = re.compile(
    r"(?:^|;)\s*(?P<label>check-?\s?in date|user|note|metric name|status|current value"
    r"|target value|confidence|activity date)\s*:",
    re.IGNORECASE,
)
_ONE = re.compile(r"(?:^|;)\s*check-?\s?in date\s*:", re.IGNORECASE)  # where each one starts
_BINARY = {"achievedornot", "achieveornot", "milestone", "yesno", "binary"}
_KR = {"keyresult", "kr", "keyresults"}
_OBJECTIVE = {"objective", "objectives", "goal", "bigrock"}
_VIVA_USED = {
    "id", "title", "type", "object type", "aligned to", "metric", "metric name", "time period",
    "period", "teams", "team", "start date", "end date", "owner", "goal type", "start",
    "start value", "target", "target value", "actual progress", "current", "current value",
    "progress", "status", "unit", "checkins", "check ins", "checkin history",
}  # fmt: skip
CHECKIN_COLUMNS = ["kr_id", "date", "value", "status", "comment", "author", "_pos", "_labelled"]


def _viva(f: pd.DataFrame, out: Converted) -> dict[str, pd.DataFrame]:
    """Viva Goals: objectives, key results (under an objective or a key result), work items
    (deliverables, projects, initiatives) and check-ins packed in a cell or trailing columns;
    what the packed check-ins were, and where each went, in ``out``."""
    na = pd.Series(pd.NA, index=f.index, dtype="string")
    col = lambda *names: next((f[n] for n in names if n in f), na)  # noqa: E731
    kind = col("object type", "type").str.lower().str.replace(r"[\s_-]", "", regex=True)
    is_kr = kind.isin(_KR).fillna(False).astype(bool)
    is_obj = (kind.isin(_OBJECTIVE) | kind.isna()).fillna(True).astype(bool)
    is_work = ~is_kr & ~is_obj
    quarter = col("time period", "period")
    # "Puzzel; All Puzzel": the first team named is the row's
    own_team = col("teams", "team").str.split(r"[,;]", regex=True).str[0].str.strip()
    own_team = own_team.mask(own_team == "")
    ids = col("id")
    derived = ids.isna() & f["title"].notna()
    if derived.any():  # an export without its Id column: ids from the row's period, team, title
        key = quarter.fillna("") + "|" + own_team.fillna("") + "|" + f["title"].fillna("")
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
    work_parent = [(climb(p) if p in kr_ids else p, p if p in kr_ids else None)
                   for p, _ in (parents[i][0] if parents[i] else (None, None) for i in f.index)]  # fmt: skip
    # a key result or work item with no team of its own is its objective's
    team_of = dict(zip(ids[is_obj], own_team[is_obj], strict=True))
    above = parent.where(~is_work, pd.Series([p for p, _ in work_parent], index=f.index))
    inherited = above.map(lambda p: team_of.get(p, pd.NA)).astype("string").where(~is_obj)
    team = own_team.fillna(inherited)
    metric = col("metric name", "metric").str.lower().str.replace(r"[^a-z]", "", regex=True)
    binary = metric.isin(_BINARY).fillna(False).astype(bool)
    target = col("target", "target value")
    numeric = target.notna() & ~binary  # a target to measure against (staging types it)
    progress = col("progress")
    objs = pd.DataFrame({
        "objective_id": ids, "objective": f["title"], "quarter": quarter, "team": team,
        "start_date": col("start date"), "end_date": col("end date"),
        "parent_objective_id": parent, "objective_owner": col("owner"),
        "okr_type": _okr_type(col("goal type")), "objective_source_progress": progress,
        "_pos": f.index,
    })[is_obj]  # fmt: skip
    krs = pd.DataFrame({
        "objective_id": parent, "kr_id": ids, "key_result": f["title"], "kr_owner": col("owner"),
        "kr_quarter": quarter, "start_value": col("start", "start value").where(numeric),
        "target_value": target.where(numeric),
        "current_value": col("actual progress", "current", "current value"),
        "progress": progress, "source_progress": progress, "status": col("status"),
        "unit": col("unit"), "metric_type": pd.Series("binary", index=f.index).where(binary),
        "weight": weight, "_pos": f.index, "_quarter": quarter, "_team": team,
        "_parent_title": pd.Series(pd.NA, index=f.index, dtype="string"),
    })[is_kr]  # fmt: skip
    okrs = _join(objs, krs)
    # a KR's period is its objective's unless it says otherwise
    same = okrs["kr_quarter"].fillna("") == okrs["quarter"].fillna("")
    okrs["kr_quarter"] = okrs["kr_quarter"].mask(same)
    work = pd.DataFrame({
        "objective_id": [p for p, _ in work_parent], "kr_id": [k for _, k in work_parent],
        "title": f["title"], "team": team, "period": quarter, "_pos": f.index,
    }, index=f.index)[is_work].astype({"objective_id": "string", "kr_id": "string"})  # fmt: skip
    checkins = _packed_checkins(f, ids, out)
    on_kr = checkins["_pos"].map(is_kr).astype(bool)
    on_work = checkins["_pos"].map(is_work).astype(bool)
    on_obj = ~on_kr & ~on_work
    out.packed["check-ins"] = {
        "read": len(checkins), "on key results": len(checkins[on_kr]),
        "on work items (kept as work)": len(checkins[on_work]),
        "on objectives (kept aside)": len(checkins[on_obj]),
    }  # fmt: skip
    for c in checkins[on_obj].to_dict("records"):
        when = f" of {c['date']}" if pd.notna(c["date"]) else ""
        out.items_aside.append(([c["_pos"]], f"a check-in{when} on objective {c['kr_id']}: OKR "
                          "Pulse takes check-ins on key results"))  # fmt: skip
    # Viva writes a row's check-ins newest first: of two on one day, the first written is the
    # day's, the others are listed aside (staging keeps one check-in a day)
    later = (checkins["_labelled"] & checkins["date"].notna() & on_kr
             & checkins.duplicated(["_pos", "date"], keep="first"))  # fmt: skip
    for c in checkins[later].to_dict("records"):
        why = (f"a check-in of {c['date']} on key result {c['kr_id']} written after another of "
               "that day: Viva lists the newest first")  # fmt: skip
        out.items_aside.append(([c["_pos"]], why))
    kept = checkins[on_kr & ~later].drop(columns="_labelled").reset_index(drop=True)
    tables = {"okrs": okrs, "checkins": kept, "work": work}
    return {k: v for k, v in tables.items() if k == "okrs" or len(v)}


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


def labelled(text: str) -> dict[str, str]:
    """One check-in written with field labels, as its fields (the note may hold ``;``).

    >>> labelled("Checkin Date: 2025-03-10; User: Ann; Note: a; b; Status: Behind; "
    ...          "Current Value: 25%;")["note"]
    'a; b'
    """
    found = [(m.group("label").lower().replace("-", "").replace("check in", "checkin"),
              m.start(), m.end()) for m in _LABEL.finditer(text)]  # fmt: skip
    found = [(re.sub(r"\s+", " ", k), s, e) for k, s, e in found]
    note = next((j for j, (k, _, _) in enumerate(found) if k == "note"), None)
    if note is not None:
        # after the note: the run of distinct tail labels that ends the text
        tail: list[int] = []
        for j in range(len(found) - 1, note, -1):
            if found[j][0] not in _TAIL or found[j][0] in {found[t][0] for t in tail}:
                break
            tail.insert(0, j)
        keep = [j for j in range(note) if found[j][0] in _HEAD] + [note] + tail
        found = [found[j] for j in keep]
    fields: dict[str, str] = {}
    for j, (label, _, end) in enumerate(found):
        stop = found[j + 1][1] if j + 1 < len(found) else len(text)
        value = text[end:stop].strip().rstrip(";").strip()
        if label not in fields and value:
            fields[label] = value
    return fields


def _entries(text: str) -> list[dict[str, str | bool | None]]:
    """The check-ins one cell holds, each as ``date, value, status, comment, author``."""
    starts = [m.start() for m in _ONE.finditer(text)]
    if not starts and len({m.group("label").lower() for m in _LABEL.finditer(text)}) >= 2:
        starts = [0]  # labelled, without its Checkin Date (the Activity Date dates it)
    if starts:
        bounds = [*starts[1:], len(text)]
        out: list[dict[str, str | bool | None]] = []
        for a, b in zip(starts, bounds, strict=True):
            got = labelled(text[a:b])
            out.append({"date": got.get("checkin date") or got.get("activity date"),
                        "value": got.get("current value"), "status": got.get("status"),
                        "comment": got.get("note"), "author": got.get("user"),
                        "_labelled": True})  # fmt: skip
        return out
    found: list[dict[str, str | bool | None]] = []
    for entry in re.split(r"\n|;|\s\|\s", text):
        m = _CHECKIN.match(entry.strip())
        if m and m.group("date"):
            found.append({"date": m.group("date"), "value": m.group("value"),
                          "status": m.group("status"), "comment": m.group("comment") or None,
                          "author": None, "_labelled": False})  # fmt: skip
    return found


def _packed_checkins(f: pd.DataFrame, ids: pd.Series, out: Converted) -> pd.DataFrame:
    """Every check-in packed in a ``Checkins`` cell or an unnamed trailing column, on any row
    (key result, objective or work item), with the row's id and position; the cells that hold
    text but no check-in are named in ``out``'s notes."""
    cells = [c for c in f.columns if c in ("checkins", "check ins", "checkin history")]
    cells += [c for c in f.columns if _UNNAMED.fullmatch(c)]
    rows, unread = [], []
    for i in f.index:
        for c in cells:
            text = f.at[i, c]
            if text is None or pd.isna(text) or not str(text).strip():
                continue
            found = [{"kr_id": ids[i], **e, "_pos": i} for e in _entries(str(text))]
            rows += found
            unread += [] if found else [i]
    if unread:
        note = (f"check-in cells with no check-in that could be read ({len(unread)}: no date "
                "first, no Checkin Date label) on {rows}")  # fmt: skip
        out.notes.append((note, sorted(set(unread))))
    frame = pd.DataFrame(rows, columns=CHECKIN_COLUMNS)
    text = [c for c in CHECKIN_COLUMNS if not c.startswith("_")]
    return frame.astype({**{c: "string" for c in text}, "_labelled": bool})


def identify(sample: Sample) -> Claim | None:
    found = has_all(sample, VIVA)
    kind = sample.named(["object type", "type"])
    if found is None or not kind:
        return None
    extra = sample.named(["checkins", "check ins", "checkin history", "progress"])
    return 100.0 + len(found) + len(extra), [kind[0], *sample.named(["aligned to"]), *extra]


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    found = Converted({})
    done = run_shape(frame, ctx, lambda f: _viva(f, found), _VIVA_USED, _UNNAMED.pattern)
    done.aside, done.packed, done.notes = found.aside, found.packed, found.notes
    done.items_aside = found.items_aside
    return done


ADAPTER = Adapter("viva", "a Viva Goals export", identify, convert)
