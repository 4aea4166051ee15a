"""Other OKR tools' export shapes, converted to the canonical ``okrs`` table before staging.

``convert(frame, name)`` returns None for a sheet in no known shape (canonical files included),
else ``{"okrs": frame}`` with canonical column names, values still text for staging to coerce,
and a ``_pos`` column: the input row each output row came from (for the report's row numbers).

Shapes, recognised by their columns:

- **Viva Goals** explorer CSV (``Id, Title, Team, Owner, Period, Start Date, End Date,
  Aligned To, Unit, Target, Object Type, Goal Type, Start, Progress %, Actual Progress,
  Status``): ``Object Type`` tells objectives from key results; a key result's ``Aligned To``
  (``Title(weight: 50%, Id: 123)``) names its objective and weight, an objective's names its
  parent. ``Goal Type`` gives committed/aspirational. The current value is ``Actual
  Progress`` when it is a number, else start + progress × (target − start).
- **Long layout with parent ids** (``Goal ID, Parent Goal IDs, Goal Title, Goal Cycle, Goal Type,
  Starting Value, Target Value, Current Value, Progress Status, Owner Emails``): a goal with a
  target value under a parent goal is a key result of its (first) parent; other goals are
  objectives, aligned to their first parent. ``Goal Type`` may be committed/aspirational. The
  team comes from a ``Team`` column when there is one, else "Unassigned" (owners are people,
  never teams).
- **Wide layout**, one row per objective (``name, description, due_at, status, completion,
  key_result_1_title, key_result_1_completion, …``): each titled key result becomes a row
  with start 0 and target 100 (%); the quarter is ``due_at``'s.
- **Outline**: objectives and key results in one column (``OKR``: ``Objective 1: …`` then
  ``KR 1.1: …``, ``1.`` / ``1.1``, ``O1 -`` / ``- …``), recognised by that column's name and
  its values (``convert_outline``); the other columns keep their names for the okrs aliases.

Progress is read as 0–1 or 0–100 per file (any value above 1 means percent). Dates are read
day-first or month-first as the file shows (``detect_date_order``), else by the setting.

>>> f = pd.DataFrame({"name": ["Grow"], "due_at": ["2026-09-30"], "completion": ["0.5"],
...                   "key_result_1_title": ["Sign 5 partners"], "key_result_1_completion": ["0.4"]})
>>> convert(f, "goals.csv")["okrs"][["objective_id", "quarter", "kr_id", "current_value"]].values.tolist()
[['OBJ-2', '2026-Q3', 'OBJ-2-KR1', '40']]
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import numpy as np
import pandas as pd

from okrdata.columns import normalise

VIVA = {"title", "aligned to"}  # and a "Type" or "Object Type" column
LONG = {"goal id", "parent goal ids", "goal title", "goal cycle"}
WIDE = {"name", "due at", "key result 1 title"}
_ALIGNED = re.compile(r"^(?P<title>.*?)\s*\(\s*weight:\s*(?P<weight>[\d.]+)\s*%?\s*,\s*id:\s*"
                      r"(?P<id>[^)]+?)\s*\)\s*$", re.IGNORECASE)  # fmt: skip
_ALIGNED_ANY = re.compile(r"(?P<title>[^,(][^(]*?)\s*\(\s*weight:\s*(?P<weight>[\d.]+)\s*%?\s*,\s*"
                          r"id:\s*(?P<id>[^)]+?)\s*\)", re.IGNORECASE)  # fmt: skip
_CHECKIN = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+(?:\s*(?:UTC|Z))?)?|\d{1,2}/\d{1,2}/\d{4}"
    r"|[A-Z][a-z]{2,8} \d{1,2},? \d{4})\s*[:,\-–]?\s*(?P<value>[^\s(\[;]+)?\s*"
    r"(?:[(\[](?P<status>[^)\]]+)[)\]])?\s*(?:[-–:]\s*)?(?P<comment>.*)$"
)
_UNNAMED = re.compile(r"column( \d+)?|unnamed \d+")
_VIVA_USED = {
    "id", "title", "type", "object type", "aligned to", "metric", "time period", "period", "teams", "team",
    "start date", "end date", "owner", "goal type", "start", "start value", "target",
    "target value", "actual progress", "current", "current value", "progress", "status", "unit",
    "checkins", "check ins", "checkin history",
}  # fmt: skip
_LONG_USED = {"goal id", "parent goal ids", "goal title", "goal cycle", "goal type", "team",
              "starting value", "target value", "current value", "owner emails"}  # fmt: skip
_WIDE_USED = {"name", "due at", "completion", "team", "owner"}
_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")


def convert(
    frame: pd.DataFrame,
    name: str = "",
    date_order: str = "mdy",
    context: list[tuple[str, str]] | None = None,
) -> dict[str, Any] | None:
    """The canonical tables for a sheet in a known foreign shape; None for any other sheet.

    ``date_order`` (``mdy`` or ``dmy``) reads slashed dates in files that don't show which;
    such files get a warning in ``frame.attrs["warnings"]`` as (column, value, sentence).
    ``context``: where a sheet's period may be written besides its columns (an outline's).
    A header alone (no rows) is converted when its columns may be the shape.
    """
    cols: dict[str, str] = {}
    for c in frame.columns:  # normalised names, kept unique ("column", "column 2", …)
        norm, k = normalise(c), 1
        while (norm if k == 1 else f"{norm} {k}") in cols:
            k += 1
        cols[norm if k == 1 else f"{norm} {k}"] = c
    shapes = (
        (VIVA, _viva, "a Viva Goals export", ("type", "object type"), _VIVA_USED),
        (LONG, _long, "a goals export with parent ids", (), _LONG_USED),
        (WIDE, _wide, "a wide goals export (one row per objective)", (), _WIDE_USED),
    )
    for signature, converter, shape, one_of, used in shapes:
        if signature <= set(cols) and (not one_of or set(one_of) & set(cols)):
            f = frame.rename(columns={v: k for k, v in cols.items()}).astype("string")
            f = f.reset_index(drop=True)
            f.attrs.update(date_order=date_order, warnings=[], names=cols)
            out = converter(f)
            tables = out if isinstance(out, dict) else {"okrs": out}
            tables["okrs"].attrs["warnings"] = f.attrs["warnings"]
            unused = [
                name for norm, name in cols.items()
                if norm not in used and not re.fullmatch(r"key result \d+ (title|completion)", norm)
                and not (converter is _viva and _UNNAMED.fullmatch(norm))
            ]  # fmt: skip
            return {**tables, "_shape": shape, "_unused": unused}
    return convert_outline(frame, context or [])


def detect_date_order(values: pd.Series) -> str | None:
    """``"dmy"`` or ``"mdy"`` when a slashed date in ``values`` decides it, else None.

    >>> detect_date_order(pd.Series(["03/04/2026", "31/12/2026"]))
    'dmy'
    """
    parts = values.dropna().astype(str).str.extract(_SLASHED).dropna().astype(int)
    if parts.empty:
        return None
    first, second = (parts[0] > 12).any(), (parts[1] > 12).any()
    if first and not second:
        return "dmy"
    if second and not first:
        return "mdy"
    return None


def _quarter_from_dates(f: pd.DataFrame, column: str) -> pd.Series:
    """``YYYY-Qn`` of each date (day-first when the column shows it), else NA."""
    values = f[column]
    order = detect_date_order(values)
    slashed = values.dropna().astype(str).str.match(_SLASHED)
    if order is None and slashed.any():
        order = f.attrs.get("date_order", "mdy")
        first = values.dropna()[slashed].iloc[0]
        reading = "day-first" if order == "dmy" else "month-first"
        original = f.attrs.get("names", {}).get(column, column)
        f.attrs.setdefault("warnings", []).append((original, first, (
            f"Dates like {first} could be day-first or month-first and no date in the file "
            f"tells; they are read {reading} (set date_order in okr.toml, or use ISO dates).")))  # fmt: skip
    days = pd.to_datetime(values, errors="coerce", format="mixed", dayfirst=order == "dmy")
    label = days.dt.year.astype("Int64").astype("string") + "-Q"
    return (label + days.dt.quarter.astype("Int64").astype("string")).astype("string")


# a decimal comma, as the staging SQL reads it (macros.sql, okr_numtext_plain): after
# point-grouped thousands, or followed by other than exactly three digits
_DECIMAL_COMMA = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+,\d+|\d+,(\d{1,2}|\d{4,}))$")


def _number(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.replace(r"[%$\s]", "", regex=True)
    comma = text.str.match(_DECIMAL_COMMA).fillna(False).astype(bool)
    text = text.where(~comma, text.str.replace(".", "", regex=False).str.replace(",", "."))
    return pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")


def _fraction(values: pd.Series) -> pd.Series:
    """Progress as a 0–1 fraction, reading the whole column as 0–1 or 0–100."""
    n = _number(values)
    return n / 100 if (n > 1).any() else n


def _fmt(values: pd.Series) -> pd.Series:
    """Numbers back to text for staging (NA stays NA)."""
    return values.map(lambda v: pd.NA if pd.isna(v) else f"{v:g}").astype("string")


def _okr_type(values: pd.Series) -> pd.Series:
    text = values.str.lower()
    kind = np.where(text.str.contains("commit", na=False), "committed",
                    np.where(text.str.contains("aspir|stretch", na=False), "aspirational", np.array(None)))  # fmt: skip
    return pd.Series(kind, index=values.index, dtype="string")


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


def _join(objs: pd.DataFrame, krs: pd.DataFrame) -> pd.DataFrame:
    """One row per KR with its objective's columns; objectives without KRs keep a row."""
    by_id = objs.drop(columns="_pos").drop_duplicates("objective_id")
    rows = krs.merge(by_id, on="objective_id", how="left")
    # a KR whose objective is not in the file keeps what the KR row knows of it
    rows["objective"] = rows["objective"].fillna(rows.pop("_parent_title"))
    rows["quarter"] = rows["quarter"].fillna(rows.pop("_quarter"))
    rows["team"] = rows["team"].fillna(rows.pop("_team"))
    lonely = objs[~objs["objective_id"].isin(krs["objective_id"])]
    out = pd.concat([lonely, rows], ignore_index=True).sort_values("_pos", kind="stable")
    return out.reset_index(drop=True).astype({c: "string" for c in out.columns if c != "_pos"})


def _long(f: pd.DataFrame) -> pd.DataFrame:
    parent = f["parent goal ids"].str.split(r"[,;|]").str[0].str.strip().replace("", pd.NA)
    has_target = f["target value"].fillna("").str.strip() != "" if "target value" in f else False
    is_kr = has_target & parent.notna() & parent.isin(f["goal id"])
    team = f["team"] if "team" in f else pd.Series("Unassigned", index=f.index, dtype="string")
    owner = f.get("owner emails", pd.Series(pd.NA, index=f.index, dtype="string"))
    owner = owner.str.split(r"[,;]").str[0].str.strip()
    kind = _okr_type(f["goal type"]) if "goal type" in f else None
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


# --- one file per database table ------------------------------------------------------------

ENTITIES = {  # entity -> file-name stems that name it
    "objective": ("objective", "objectives", "okr objective", "goal", "goals"),
    "key_result": ("key result", "key results", "keyresult", "keyresults", "kr", "krs"),
    "check_in": ("check in", "check ins", "checkin", "checkins", "progress update",
                 "progress updates", "update", "updates"),
    "quarter": ("quarter", "quarters", "period", "periods", "cycle", "cycles", "time period"),
    "team": ("team", "teams", "group", "groups"),
}  # fmt: skip
_PICK = {
    "objective": {
        "id": ("id", "objective id"), "title": ("title", "name", "objective"),
        "quarter": ("quarter id", "period id", "cycle id", "quarter", "period", "cycle"),
        "team": ("team id", "group id", "team"), "parent": ("parent id", "parent objective id"),
        "owner": ("owner", "owner id", "owner email", "user id"), "type": ("type", "okr type"),
        "start": ("start date", "starts on", "starts at"), "end": ("end date", "ends on", "due at"),
    },
    "key_result": {
        "id": ("id", "key result id"), "objective": ("objective id",),
        "title": ("title", "name", "key result", "description"),
        "start": ("start value", "initial value", "start", "baseline", "from value"),
        "target": ("target value", "target", "goal", "to value"),
        "current": ("current value", "current", "value", "progress"),
        "unit": ("unit", "units", "metric unit"), "weight": ("weight",),
        "owner": ("owner", "owner id", "owner email", "user id"),
        "period": ("quarter id", "period id", "cycle id"),
    },
    "check_in": {
        "kr": ("key result id", "kr id"),
        "date": ("date", "created at", "checked in at", "updated at", "timestamp"),
        "value": ("value", "current value", "progress", "new value"),
        "confidence": ("confidence",), "status": ("status", "health"),
        "comment": ("comment", "note", "notes", "text", "description"),
        "author": ("author", "user id", "created by", "owner"),
    },
    "quarter": {
        "id": ("id",), "name": ("name", "title", "label", "quarter", "period"),
        "start": ("start date", "starts on", "start", "starts at"),
        "end": ("end date", "ends on", "end", "ends at"),
    },
    "team": {
        "id": ("id", "team id"), "name": ("name", "title", "team"),
        "parent": ("parent id", "parent team id"), "department": ("department", "division"),
        "lead": ("lead", "lead id", "owner", "manager"),
    },
}  # fmt: skip


def entity_of(file_name: str) -> str | None:
    """Which database table a file is named after (``key_result.csv`` -> ``key_result``)."""
    stem = normalise(re.sub(r"\.[a-z0-9]+$", "", file_name.lower()))
    stem = re.sub(r"^(public |dbo |okr |okrs |tbl |table )", "", stem)
    return next((e for e, stems in ENTITIES.items() if stem in stems), None)


def _pick(frame: pd.DataFrame, entity: str) -> tuple[pd.DataFrame, list[str]]:
    """The entity's known columns by role, and the names of the columns not used."""
    cols = {normalise(c): c for c in frame.columns}
    out, used = {}, set()
    for role, names in _PICK[entity].items():
        name = next((cols[n] for n in names if n in cols and cols[n] not in used), None)
        out[role] = frame[name] if name else pd.Series(pd.NA, index=frame.index, dtype="string")
        if name:
            used.add(name)
    unused = [c for c in frame.columns if c not in used]
    return pd.DataFrame(out, index=frame.index).astype("string"), unused


def convert_relational(frames: dict[str, pd.DataFrame]) -> dict[str, dict] | None:
    """Canonical tables for one file per database table, linked by ids.

    ``frames`` maps an entity (``objective``, ``key_result``, ``check_in``, ``quarter``,
    ``team``) to its text frame; returns per entity ``{"tables": {table: frame}, "unused":
    [...]}`` (frames with ``_pos``), or None when objectives and key results are not both there.

    >>> o = pd.DataFrame({"id": ["1"], "title": ["Grow"], "quarter_id": ["9"], "team_id": ["3"]})
    >>> k = pd.DataFrame({"id": ["5"], "objective_id": ["1"], "title": ["ARR"], "target": ["10"]})
    >>> q = pd.DataFrame({"id": ["9"], "name": ["Q3 2026"]})
    >>> t = pd.DataFrame({"id": ["3"], "name": ["Sales"]})
    >>> out = convert_relational({"objective": o, "key_result": k, "quarter": q, "team": t})
    >>> out["key_result"]["tables"]["okrs"][["objective", "quarter", "team", "kr_id"]].values.tolist()
    [['Grow', 'Q3 2026', 'Sales', '5']]
    """
    if not {"objective", "key_result"} <= set(frames):
        return None
    picked = {e: _pick(f.reset_index(drop=True), e) for e, f in frames.items()}
    o, k = picked["objective"][0], picked["key_result"][0]
    if o["id"].isna().all() or k["objective"].isna().all():
        return None
    q = picked.get("quarter", (pd.DataFrame(columns=["id", "name", "start", "end"]), []))[0]
    t = picked.get("team", (pd.DataFrame(columns=["id", "name", "parent"]), []))[0]
    q_name = dict(zip(q["id"], q["name"].fillna(q["start"]), strict=False))
    q_start, q_end = (
        dict(zip(q["id"], q["start"], strict=False)),
        dict(zip(q["id"], q["end"], strict=False)),
    )
    t_name = dict(zip(t["id"], t["name"], strict=False))
    objs = pd.DataFrame({
        "objective_id": o["id"], "objective": o["title"],
        "quarter": o["quarter"].map(lambda v: q_name.get(v, v), na_action="ignore"),
        "start_date": o["start"].fillna(o["quarter"].map(q_start, na_action="ignore")),
        "end_date": o["end"].fillna(o["quarter"].map(q_end, na_action="ignore")),
        "team": o["team"].map(lambda v: t_name.get(v, v), na_action="ignore"),
        "parent_objective_id": o["parent"], "objective_owner": o["owner"], "okr_type": o["type"],
        "_pos": o.index,
    }).astype({c: "string" for c in ("quarter", "start_date", "end_date", "team")})  # fmt: skip
    by_id = objs.drop(columns="_pos").drop_duplicates("objective_id").set_index("objective_id")
    krs = pd.DataFrame({
        "objective_id": k["objective"], "kr_id": k["id"], "key_result": k["title"],
        "kr_owner": k["owner"], "start_value": k["start"], "target_value": k["target"],
        "current_value": k["current"], "unit": k["unit"], "weight": k["weight"],
        "kr_quarter": k["period"].map(lambda v: q_name.get(v, v), na_action="ignore"),
        "_pos": k.index,
    })  # fmt: skip
    krs = krs.join(by_id, on="objective_id")
    out: dict[str, dict[str, Any]] = {
        "objective": {"tables": {"okrs": objs}, "unused": picked["objective"][1]},
        "key_result": {"tables": {"okrs": krs}, "unused": picked["key_result"][1]},
    }
    if "check_in" in picked:
        c = picked["check_in"][0]
        ck = pd.DataFrame({
            "kr_id": c["kr"], "date": c["date"], "value": c["value"],
            "confidence": c["confidence"], "status": c["status"], "comment": c["comment"],
            "author": c["author"], "_pos": c.index,
        })  # fmt: skip
        out["check_in"] = {"tables": {"checkins": ck}, "unused": picked["check_in"][1]}
    if "team" in picked:
        teams = pd.DataFrame({
            "team": t["name"], "department": t.get("department"),
            "parent_team": t["parent"].map(lambda v: t_name.get(v, v), na_action="ignore"),
            "lead": t.get("lead"), "_pos": t.index,
        })  # fmt: skip
        out["team"] = {"tables": {"teams": teams}, "unused": picked["team"][1]}
    if "quarter" in picked:
        out["quarter"] = {"tables": {}, "unused": picked["quarter"][1]}
    for entry in out.values():
        for name, frame in entry["tables"].items():
            entry["tables"][name] = frame.astype(
                {c: "string" for c in frame.columns if c != "_pos"}
            )
    return out


# --- an outline: objectives and key results in one column ------------------------------------

OUTLINE = "an outline of objectives and key results"
# the words a header of the one column may be made of ("Objectives & Key Results", "OKR",
# "Objective / KR", "Goals and key results"); it names objectives in some way
_OUTLINE_WORDS = {"objective", "objectives", "obj", "goal", "goals", "okr", "okrs", "key",
                  "result", "results", "kr", "krs", "and", "or", "item", "items"}  # fmt: skip
_OUTLINE_NAMING = {"objective", "objectives", "obj", "goal", "goals", "okr", "okrs"}
_SEP = r"\s*(?:[:.)\-–—|]+\s*|\s+)"
# "Objective 1: …", "Objective: …", "Obj 2 - …", "Goal 1 – …", "O1 - …", "O1: …", "1. …", "1) …"
_OBJ_LABEL = re.compile(
    r"^\s*(?:(?:objective|obj|goal)\s*#?\s*\d{0,3}\s*[:.)\-–—|]\s*|(?:objective|obj|goal)\s*#?"
    r"\s*\d{1,3}\s+|o\s*\d{1,3}" + _SEP + r"|\d{1,3}\s*[.):]\s+)(?=\S)",
    re.IGNORECASE,
)
# "KR 1.1: …", "KR1.2 – …", "Key Result 2: …", "KR: …", "1.1 …", "1.1. …", "- …", "• …", "a) …"
_KR_LABEL = re.compile(
    r"^\s*(?:(?:key\s*results?|krs?)\s*#?\s*(?:\d{1,3}(?:\.\d{1,3})*)?\s*[:.)\-–—|]\s*"
    r"|(?:key\s*results?|krs?)\s*#?\s*\d{1,3}(?:\.\d{1,3})*\s+"
    r"|\d{1,3}\.\d{1,3}(?:\s*[.):\-–—]\s*|\s+)|[-–—*]\s+|[•·▪◦‣→]\s*|[a-h][.)]\s+)(?=\S)",
    re.IGNORECASE,
)
# columns that describe the objective: a key-result row takes its objective row's value
_OBJECTIVE_LEVEL = {"team", "quarter", "department", "level", "okr_type", "origin",
                    "parent_objective_id", "start_date", "end_date", "objective_owner"}  # fmt: skip
_KR_NUMBERS = {"start_value", "target_value", "current_value", "progress"}
_NOT_IN_OUTLINE = {"objective_id", "kr_id", "key_result"}
_SCORE = {"score", "okr score", "kr score", "grade", "scoring", "final score"}
_PERIOD_IN_TEXT = re.compile(
    r"(?<![a-z0-9])(?:fy\s*'?\d{2,4}\s*[-/ ]?\s*q[1-4]|q[1-4]\s*[-/ ]?\s*(?:fy\s*)?'?\d{2,4}"
    r"|\d{4}\s*[-/ ]?\s*q[1-4]|[1-4]q\s*\d{4}|h[12]\s*[-/ ]?\s*\d{4}|\d{4}\s*[-/ ]?\s*h[12])"
    r"(?![a-z0-9])",
    re.IGNORECASE,
)


def outline_column(columns: list[str]) -> str | None:
    """The column of a sheet's header that may hold objectives and key results as an outline:
    named for objectives ("OKR", "Objectives & Key Results", "Goal"), with no key-result,
    key-result id or objective id column beside it, and some other column of an okrs table."""
    from okrdata.columns import canonical_column

    canon = {c: canonical_column("okrs", c) for c in columns}
    if set(canon.values()) & _NOT_IN_OUTLINE:
        return None
    found = [c for c in columns if (words := set(normalise(c).split()))
             and words <= _OUTLINE_WORDS and words & _OUTLINE_NAMING]  # fmt: skip
    if not found:
        return None
    column = found[0]
    others = [c for c in columns if c != column and canon[c] is not None]
    if any(canon[c] == "objective" for c in others) or not others:
        return None
    return column


def period_in(text: str) -> str | None:
    """The period a title, a sheet name or a file name names ("OKRs Q3 2026" -> "Q3 2026")."""
    from okrdata.periods import parse_period

    for m in _PERIOD_IN_TEXT.finditer(re.sub(r"[_.]", " ", text)):
        if parse_period(m.group(0)).kind in ("quarter", "span"):
            return m.group(0)
    return None


def convert_outline(
    frame: pd.DataFrame, context: list[tuple[str, str]] | None = None
) -> dict[str, Any] | None:
    """Objectives and key results in one column, as an outline, to the okrs table.

    An objective row (``Objective 1: …``, ``O1 - …``, ``1. …``, or unlabelled) is followed by
    its key results (``KR 1.1: …``, ``KR1.2 – …``, ``1.1 …``, ``- …``). The other columns keep
    their names (the okrs aliases read them): a key-result row takes its objective row's team,
    quarter, owner (as the objective's owner) and the like; an objective row's own numbers are
    no key result's. No quarter column: the first of ``context`` ((where, text): a title row,
    the sheet's name, the file's name) that names a period gives it. Returns None when the
    values are no outline (no key-result row under an objective, or mostly unlabelled rows).

    >>> f = pd.DataFrame({"OKR": ["O1 - Grow", "KR1.1 - Deals"], "Team": ["Sales", None],
    ...                   "Target": ["50%", "10"]})
    >>> out = convert_outline(f, [("sheet name", "Q3 2026")])
    >>> out["okrs"][["Objective", "Key Result", "Team", "Target", "Quarter"]].values.tolist()
    [['Grow', 'Deals', 'Sales', '10', 'Q3 2026']]
    """
    from okrdata.columns import canonical_column

    column = outline_column(list(frame.columns))
    if column is None:
        return None
    shape = {"_shape": OUTLINE, "_unused": []}
    f = frame.reset_index(drop=True).astype("string")
    if f.empty:  # a header alone: it may be one
        return {"okrs": pd.DataFrame({"Objective": [], "_pos": []}), **shape}
    text = f[column].str.strip()
    filled = text.fillna("") != ""
    is_kr = text.str.contains(_KR_LABEL).fillna(False).astype(bool)
    obj_label = text.str.contains(_OBJ_LABEL).fillna(False).astype(bool) & ~is_kr
    is_obj = filled & ~is_kr
    if not is_kr.any() or not is_obj[: is_kr.idxmax()].any():
        return None
    if (is_kr | obj_label).sum() < 0.5 * filled.sum():
        return None
    title = text.str.replace(_KR_LABEL, "", regex=True).where(is_kr, text)
    title = title.str.replace(_OBJ_LABEL, "", regex=True).where(obj_label, title)
    at = pd.Series(f.index.where(is_obj), index=f.index).ffill()  # each row's objective row
    has_kr = f.index.isin(at[is_kr].dropna())
    keep = is_kr | (is_obj & ~has_kr)

    def of_objective(values: pd.Series) -> pd.Series:
        """Each row's objective row's value (NA before any objective)."""
        return pd.Series(values.reindex(at).to_numpy(), index=f.index, dtype="string")

    na = pd.Series(pd.NA, index=f.index, dtype="string")
    out: dict[str, pd.Series] = {"Objective": of_objective(title), "Key Result": title.where(is_kr)}
    canon = {c: canonical_column("okrs", c) for c in f.columns if c != column}
    split_owner = "kr_owner" not in canon.values()
    numbers_on_objectives = pd.Series(False, index=f.index)
    for c, kind in canon.items():
        if kind == "objective_owner" and split_owner:
            out["Objective Owner"], out["KR Owner"] = of_objective(f[c]), f[c].where(is_kr)
        elif kind in _OBJECTIVE_LEVEL:
            out[c] = of_objective(f[c]).fillna(f[c])
        elif kind is None and normalise(c) in _SCORE and "progress" not in canon.values():
            out["Progress"] = f[c].where(is_kr)
            numbers_on_objectives |= is_obj & f[c].notna()
        elif kind is not None:
            out[c] = f[c].where(is_kr)
            if kind in _KR_NUMBERS:
                numbers_on_objectives |= is_obj & f[c].notna()
        else:
            out[c] = f[c]
    notes: list[tuple[str, list[int]]] = [(f"objectives and key results read from {column!r}", [])]
    if "quarter" not in canon.values():
        found = ((w, t, p) for w, t in context or [] if t and (p := period_in(t)))
        where, said, label = next(found, ("", "", None))
        if label:
            out["Quarter"] = na.fillna(label)
            notes.append((f"the quarter {label} is taken from the {where} {said!r}", []))
        else:
            notes.append(("no quarter column, and no title row, sheet name or file name names "
                          "a quarter", []))  # fmt: skip
    if numbers_on_objectives.any():
        notes.append(("the numbers on objective rows ({rows}) are not key-result values and are "
                      "not used", list(f.index[numbers_on_objectives])))  # fmt: skip
    skipped = ~filled & f.drop(columns=column).notna().any(axis=1)
    if skipped.any():
        notes.append((f"rows without an objective or key result in {column!r} ({{rows}}) are "
                      "not read", list(f.index[skipped])))  # fmt: skip
    okrs = pd.DataFrame(out, index=f.index).assign(_pos=f.index)[keep]
    return {"okrs": okrs.reset_index(drop=True), **shape, "_notes": notes}
