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

Progress is read as 0–1 or 0–100 per file (any value above 1 means percent). Dates are read
day-first or month-first as the file shows (``detect_date_order``), else by the setting.

>>> f = pd.DataFrame({"name": ["Grow"], "due_at": ["2026-09-30"], "completion": ["0.5"],
...                   "key_result_1_title": ["Sign 5 partners"], "key_result_1_completion": ["0.4"]})
>>> convert(f, "goals.csv")["okrs"][["objective_id", "quarter", "kr_id", "current_value"]].values.tolist()
[['OBJ-2', '2026-Q3', 'OBJ-2-KR1', '40']]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from okrdata.columns import normalise

VIVA = {"id", "title", "object type", "aligned to", "goal type", "target"}
LONG = {"goal id", "parent goal ids", "goal title", "goal cycle"}
WIDE = {"name", "due at", "key result 1 title"}
_ALIGNED = re.compile(r"^(?P<title>.*?)\s*\(\s*weight:\s*(?P<weight>[\d.]+)\s*%?\s*,\s*id:\s*"
                      r"(?P<id>[^)]+?)\s*\)\s*$", re.IGNORECASE)  # fmt: skip
_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")


def convert(
    frame: pd.DataFrame, name: str = "", date_order: str = "mdy"
) -> dict[str, pd.DataFrame] | None:
    """The canonical tables for a sheet in a known foreign shape; None for any other sheet.

    ``date_order`` (``mdy`` or ``dmy``) reads slashed dates in files that don't show which;
    such files get a warning in ``frame.attrs["warnings"]`` as (column, value, sentence).
    """
    cols = {normalise(c): c for c in frame.columns}
    for signature, converter in ((VIVA, _viva), (LONG, _long), (WIDE, _wide)):
        if signature <= set(cols):
            f = frame.rename(columns={v: k for k, v in cols.items()}).astype("string")
            f = f.reset_index(drop=True)
            f.attrs.update(date_order=date_order, warnings=[], names=cols)
            out = converter(f)
            out.attrs["warnings"] = f.attrs["warnings"]
            return {"okrs": out}
    return None


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


def _number(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.replace(r"[%,$\s]", "", regex=True)
    return pd.to_numeric(text, errors="coerce")


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


def _viva(f: pd.DataFrame) -> pd.DataFrame:
    kind = f["object type"].str.lower().str.replace(r"[\s_-]", "", regex=True)
    is_kr = kind.isin(["keyresult", "kr"])
    aligned = f["aligned to"].str.extract(_ALIGNED)
    quarter = f.get("period", pd.Series(pd.NA, index=f.index, dtype="string"))
    if "start date" in f:
        quarter = quarter.fillna(_quarter_from_dates(f, "start date"))
    start, target = _number(f.get("start", f["target"] * 0)), _number(f["target"])
    start = start.fillna(0.0)
    actual = (
        _number(f["actual progress"])
        if "actual progress" in f
        else pd.Series(np.nan, index=f.index)
    )
    progress = _fraction(f["progress"]) if "progress" in f else pd.Series(np.nan, index=f.index)
    current = actual.fillna(start + progress * (target - start))
    objs = pd.DataFrame({
        "objective_id": f["id"], "objective": f["title"], "quarter": quarter, "team": f.get("team"),
        "parent_objective_id": aligned["id"].astype("string"), "objective_owner": f.get("owner"),
        "okr_type": _okr_type(f["goal type"]), "_pos": f.index,
    })[~is_kr]  # fmt: skip
    krs = pd.DataFrame({
        "objective_id": aligned["id"].astype("string"), "kr_id": f["id"], "key_result": f["title"],
        "kr_owner": f.get("owner"), "start_value": _fmt(start), "target_value": f["target"],
        "current_value": _fmt(current), "unit": f.get("unit"), "weight": aligned["weight"],
        "_pos": f.index, "_quarter": quarter, "_team": f.get("team"),
        "_parent_title": aligned["title"].astype("string"),
    })[is_kr]  # fmt: skip
    return _join(objs, krs)


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
