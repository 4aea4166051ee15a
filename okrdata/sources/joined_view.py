"""A database view that joins objectives, key results and each key result's latest check-in.

Modelled on Puzzle ITC's OKR tool (github puzzle/okr), its ``overview`` view as its production
dump holds it: ``team_id, team_version, team_name, quarter_id, quarter_label, objective_id,
objective_title, objective_state, objective_created_on, key_result_id, key_result_title,
key_result_type, unit, baseline, stretch_goal, commit_zone, target_zone, stretch_zone,
check_in_id, check_in_value, check_in_zone, confidence, check_in_created_on``: one row per
objective x key result x latest check-in. A team without objectives still has a row, its ids
``-1``; an objective without key results has ``key_result_id`` ``-1``, a key result without a
check-in ``check_in_id`` ``-1``. Also the generic family of such views: any sheet with
objective and key-result columns and, on each key-result row, columns of its latest check-in
(``check_in_*``, ``last_check_in_*``, ``latest_checkin_*``: value or zone, and a date).

The one sheet gives ``okrs`` (one row per key result, an objective without any once) and
``checkins`` (the latest check-in of each key result, a row repeated by the join read once).
Placeholder rows (``-1`` ids) are set aside with the reason, never imported. The quarter is
the view's label (``GJ 23/24-Q2``, read by the staging with the fiscal-year setting); the
values stay text, typed once by the staging SQL.

>>> from okrdata.sources import Sample
>>> ADAPTER.identify(Sample("overview.csv", None, ["objective_id", "objective_title",
...     "key_result_id", "key_result_title", "check_in_value", "check_in_created_on"]))[0]
106.0
"""

from __future__ import annotations

import re

import pandas as pd

from okrdata.columns import normalise
from okrdata.sources import Adapter, Claim, Context, Converted, Sample

# a check-in column's prefix: check_in_value, last_check_in_date, latest_checkin_zone, ...
_CHECKIN = re.compile(r"^(?:last |latest |current )?check ?in (?P<role>.+)$")
ROLES = {  # role -> normalised names (the first found wins)
    "objective_id": ("objective id", "goal id", "obj id"),
    "objective": ("objective title", "objective name", "objective", "goal title", "goal name",
                  "goal"),
    "kr_id": ("key result id", "kr id"),
    "key_result": ("key result title", "key result name", "key result", "kr title", "kr name"),
    "team": ("team name", "team"),
    "quarter": ("quarter label", "quarter name", "quarter", "period label", "period name",
                "period", "cycle label", "cycle name", "cycle"),
    "start_date": ("quarter start date", "period start date", "start date"),
    "end_date": ("quarter end date", "period end date", "end date"),
    "metric_type": ("key result type", "kr type", "metric type"),
    "unit": ("key result unit", "kr unit", "unit"),
    "start_value": ("key result baseline", "baseline", "start value", "initial value", "start"),
    "target_value": ("key result stretch goal", "stretch goal", "key result target",
                     "target value", "target"),
    "kr_owner": ("key result owner", "kr owner", "owner"),
    "commit": ("commit zone",), "target zone": ("target zone",), "stretch": ("stretch zone",),
}  # fmt: skip
CHECKIN_ROLES = {  # role -> what follows the check-in prefix
    "id": ("id",),
    "value": ("value", "value metric", "metric value", "current value"),
    "zone": ("zone", "ordinal value"),
    "date": ("created on", "created at", "date", "on", "at", "modified on", "updated at"),
    "confidence": ("confidence",),
    "comment": ("change info", "comment", "note", "notes"),
    "author": ("created by", "created by id", "author", "by"),
    "status": ("status",),
}
PLACEHOLDER = "-1"  # the id a view gives a row that has no objective (or key result, check-in)


def _roles(columns: list[str]) -> dict[str, str]:
    """Role -> the sheet's column that plays it."""
    norms = [normalise(c) for c in columns]
    found: dict[str, str] = {}
    checkin: dict[str, str] = {}
    for col, norm in zip(columns, norms, strict=True):
        m = _CHECKIN.match(norm)
        if m:
            role = next((r for r, names in CHECKIN_ROLES.items() if m["role"] in names), None)
            if role and role not in checkin:
                checkin[role] = col
    for role, names in ROLES.items():
        hit = next((columns[norms.index(n)] for n in names if n in norms), None)
        if hit is not None and hit not in found.values():
            found[role] = hit
    # a bare confidence on such a view is the check-in's (Puzzle: ``confidence``)
    if "confidence" not in checkin and "confidence" in norms:
        checkin["confidence"] = columns[norms.index("confidence")]
    found.update({f"check_in {r}": c for r, c in checkin.items()})
    return found


def identify(sample: Sample) -> Claim | None:
    roles = _roles(sample.columns)
    objective = roles.get("objective_id") or roles.get("objective")
    key_result = roles.get("kr_id") or roles.get("key_result")
    value = roles.get("check_in value") or roles.get("check_in zone")
    date = roles.get("check_in date")
    if not (objective and key_result and value and date):
        return None
    return 100.0 + len(roles), [objective, key_result, value, date]


def _text(f: pd.DataFrame, roles: dict[str, str], role: str) -> pd.Series:
    """The column playing ``role``, trimmed, empty cells NA (a missing role: all NA)."""
    if role not in roles:
        return pd.Series(pd.NA, index=f.index, dtype="string")
    values = f[roles[role]].astype("string").str.strip()
    return values.mask(values == "")


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    roles = _roles([str(c) for c in frame.columns])
    f = frame.reset_index(drop=True)
    col = {role: _text(f, roles, role) for role in [*ROLES, *(k for k in roles if " " in k)]}
    obj_id, kr_id = col["objective_id"], col["kr_id"]
    # a team without objectives: ids -1 (or no objective at all), set aside and counted
    placeholder = (obj_id == PLACEHOLDER).fillna(False) | (obj_id.isna() & col["objective"].isna())
    no_kr = (kr_id == PLACEHOLDER).fillna(False) | (kr_id.isna() & col["key_result"].isna())
    ck_id = col.get("check_in id", pd.Series(pd.NA, index=f.index, dtype="string"))
    ck_value = col.get("check_in value", pd.Series(pd.NA, index=f.index, dtype="string"))
    ck_zone = col.get("check_in zone", pd.Series(pd.NA, index=f.index, dtype="string"))
    ck_date = col["check_in date"]
    has_checkin = ~(ck_id == PLACEHOLDER).fillna(False) & (
        ck_value.notna() | ck_zone.notna()
    ) & ck_date.notna() & ~no_kr & ~placeholder  # fmt: skip
    # an ordinal key result, told by its type or by zones described in words
    zoned = col["commit"].notna() | col["target zone"].notna() | col["stretch"].notna()
    kept = f.index[~placeholder]
    okrs = pd.DataFrame({
        "objective_id": obj_id, "objective": col["objective"], "quarter": col["quarter"],
        "start_date": col["start_date"], "end_date": col["end_date"], "team": col["team"],
        "kr_id": kr_id.mask(no_kr), "key_result": col["key_result"].mask(no_kr),
        "kr_owner": col["kr_owner"].mask(no_kr),
        "metric_type": col["metric_type"].fillna(pd.Series("ordinal", index=f.index).where(zoned)),
        "unit": col["unit"], "start_value": col["start_value"],
        "target_value": col["target_value"], "_pos": f.index,
    }).loc[kept]  # fmt: skip
    # one row per key result (and one per objective without any): the join repeats them
    okrs = okrs.drop_duplicates(["objective_id", "objective", "kr_id", "key_result"])
    has_kr = okrs["kr_id"].notna() | okrs["key_result"].notna()
    okrs = okrs[has_kr | ~okrs["objective_id"].isin(okrs["objective_id"][has_kr].dropna())]
    checkins = pd.DataFrame({
        # without ids, the key result's title (the staging finds the key result by it)
        "kr_id": kr_id.fillna(col["key_result"]), "date": ck_date,
        "value": ck_value.fillna(ck_zone),
        "confidence": col.get("check_in confidence"), "status": col.get("check_in status"),
        "comment": col.get("check_in comment"), "author": col.get("check_in author"),
        "_id": ck_id, "_pos": f.index,
    })[has_checkin]  # fmt: skip
    repeated = checkins.duplicated(["_id", "kr_id", "date", "value"])
    checkins = checkins[~repeated].drop(columns="_id")
    used = set(roles.values())
    unused = [str(c) for c in frame.columns if c not in used]
    aside_at = f.index[placeholder].tolist()
    reason = "a team without objectives (a placeholder row, its ids -1), not imported"
    notes: list[tuple[str, list[int]]] = []
    if aside_at:
        n = len(aside_at)
        notes.append((f"{n} placeholder {'row' if n == 1 else 'rows'} of teams without "
                      "objectives (ids -1) set aside, not imported: {rows}", aside_at))  # fmt: skip
    if repeated.any():
        again = repeated[repeated].index.tolist()
        notes.append(("a check-in the view's join repeats is read once (again on {rows})", again))
    tables = {
        "okrs": okrs.astype({c: "string" for c in okrs.columns if c != "_pos"}),
        "checkins": checkins.astype({c: "string" for c in checkins.columns if c != "_pos"}),
    }
    aside = [(aside_at, reason)] if aside_at else []
    # a row whose objective, key result and check-in all came on an earlier row: the join's
    # repetition, set aside (listed) rather than left unaccounted
    made = set(okrs["_pos"]) | set(checkins["_pos"]) | set(aside_at)
    again_all = [i for i in f.index.tolist() if i not in made]
    if again_all:
        aside.append((again_all, "repeats a row above (the view's join), read once"))
    return Converted(tables, unused=unused, notes=notes, aside=aside)


ADAPTER = Adapter(
    "joined_view",
    "a database view joining objectives, key results and their latest check-ins",
    identify,
    convert,
)
