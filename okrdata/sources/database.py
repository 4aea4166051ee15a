"""Database tables linked by ids: one file (or sheet) per table.

Modelled on Puzzle ITC's OKR tool (github puzzle/okr, its production dump's tables:
``objective`` with ``quarter_id``, ``team_id``, ``state``; ``key_result`` with
``objective_id``, ``key_result_type``, ``baseline``, ``stretch_goal``, ``unit``, zones;
``check_in`` with ``key_result_id``, ``created_on``, ``value_metric``, ``zone``,
``confidence``, ``change_info``; ``quarter`` with ``label``, ``start_date``, ``end_date``;
``team`` with ``name``), and on the generic kinds of such dumps (``*_id`` links,
``created_on`` / ``created_at`` dates). A file is a table by its name (``key_result.csv``,
``objectives.csv``, ``public.check_in.csv``); objectives and key results must both be there.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from okrdata.columns import normalise
from okrdata.sources import Adapter, Claim, Sample

ENTITIES = {  # entity -> file-name stems that name it
    "objective": ("objective", "objectives", "okr objective", "goal", "goals"),
    "key_result": ("key result", "key results", "keyresult", "keyresults", "kr", "krs"),
    "check_in": ("check in", "check ins", "checkin", "checkins", "progress update",
                 "progress updates", "update", "updates", "measure", "measures",
                 "measurement", "measurements"),  # Puzzle's older schema: measure
    "quarter": ("quarter", "quarters", "period", "periods", "cycle", "cycles", "time period"),
    "team": ("team", "teams", "group", "groups"),
    "person": ("person", "persons", "people", "user", "users", "member", "members",
               "employee", "employees"),
}  # fmt: skip
# the other tables of such a dump (Puzzle: actions of a check-in, alignments, the completion
# of an objective, units, organisations): no OKR data, listed and not used
OTHER = ("action", "actions", "alignment", "alignments", "completed", "completion",
         "completions", "unit", "units", "organisation", "organisations", "organization",
         "organizations", "team organisation", "team organisations", "person team",
         "team member", "team members", "role", "roles", "tag", "tags", "comment", "comments",
         "alignment selection", "flyway schema history", "schema migrations")  # fmt: skip
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
        "start": ("start value", "initial value", "start", "baseline", "basis value",
                  "from value"),
        # Puzzle: the stretch goal scores 1.0 (its commit_value and target_value, where there,
        # are the 0.3 and 0.7 points on the way, listed as unused)
        "target": ("stretch goal", "target value", "target", "goal", "to value"),
        "current": ("current value", "current", "value", "progress"),
        "unit": ("unit", "units", "metric unit"), "weight": ("weight",),
        "owner": ("owner", "owner id", "owner email", "user id"),
        "period": ("quarter id", "period id", "cycle id"),
        "type": ("key result type", "kr type", "metric type", "type"),
        # an ordinal key result's zones, described in words (Puzzle: commit_zone, ...)
        "commit": ("commit zone",), "target zone": ("target zone",),
        "stretch": ("stretch zone",),
    },
    "check_in": {
        "kr": ("key result id", "kr id"),
        "date": ("date", "measure date", "checked in at", "checked in on", "created on",
                 "created at",
                 "updated at", "updated on", "modified on", "timestamp"),
        "value": ("value", "value metric", "metric value", "current value", "progress",
                  "new value"),
        # an ordinal key result's check-in names the zone reached instead of a value
        "zone": ("zone", "value ordinal", "ordinal value"),
        "confidence": ("confidence",), "status": ("status", "health"),
        "comment": ("comment", "change info", "note", "notes", "text", "description"),
        "author": ("author", "user id", "created by", "created by id", "owner"),
    },
    "quarter": {
        "id": ("id",), "name": ("name", "title", "label", "quarter", "period"),
        "start": ("start date", "starts on", "start", "starts at"),
        "end": ("end date", "ends on", "end", "ends at"),
    },
    "person": {
        "id": ("id", "person id", "user id"),
        "first": ("first name", "firstname", "given name"),
        "last": ("last name", "lastname", "family name", "surname"),
        "name": ("name", "full name", "display name", "username", "user name"),
        "email": ("email", "e mail", "email address", "mail"),
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
    found = next((e for e, stems in ENTITIES.items() if stem in stems), None)
    return found or (stem.replace(" ", "_") if stem in OTHER else None)


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
    picked = {e: _pick(f.reset_index(drop=True), e) for e, f in frames.items() if e in _PICK}
    o, k = picked["objective"][0], picked["key_result"][0]
    if o["id"].isna().all() or k["objective"].isna().all():
        return None
    q = picked.get("quarter", (pd.DataFrame(columns=["id", "name", "start", "end"]), []))[0]
    t = picked.get("team", (pd.DataFrame(columns=["id", "name", "parent"]), []))[0]
    # a quarter with dates is dated by them (its label may be a fiscal one, ``GJ 23/24-Q2``,
    # that only the dates tell how to read); one without (``Backlog``) by its label
    dated = q["start"].notna() | q["end"].notna()
    q_name = dict(zip(q["id"], q["name"].fillna(q["start"]).mask(dated), strict=False))
    q_start, q_end = (
        dict(zip(q["id"], q["start"], strict=False)),
        dict(zip(q["id"], q["end"], strict=False)),
    )
    t_name = dict(zip(t["id"], t["name"], strict=False))
    # people by id: first and last name, else the name or user name, else the address
    who: dict[Any, Any] = {}
    if "person" in picked:
        u = picked["person"][0]
        full = (u["first"].fillna("") + " " + u["last"].fillna("")).str.strip().replace("", pd.NA)
        who = dict(zip(u["id"], full.fillna(u["name"]).fillna(u["email"]), strict=False))

    def person(ids: pd.Series) -> pd.Series:
        return ids.map(lambda v: who.get(v, v), na_action="ignore").astype("string")

    objs = pd.DataFrame({
        "objective_id": o["id"], "objective": o["title"],
        "quarter": o["quarter"].map(lambda v: q_name.get(v, v), na_action="ignore"),
        "start_date": o["start"].fillna(o["quarter"].map(q_start, na_action="ignore")),
        "end_date": o["end"].fillna(o["quarter"].map(q_end, na_action="ignore")),
        "team": o["team"].map(lambda v: t_name.get(v, v), na_action="ignore"),
        "parent_objective_id": o["parent"], "objective_owner": person(o["owner"]),
        "okr_type": o["type"],
        "_pos": o.index,
    }).astype({c: "string" for c in ("quarter", "start_date", "end_date", "team")})  # fmt: skip
    by_id = objs.drop(columns="_pos").drop_duplicates("objective_id").set_index("objective_id")
    # a key result that describes its zones in words, with no type saying so, is ordinal
    zoned = k[["commit", "target zone", "stretch"]].notna().any(axis=1)
    ordinal = pd.Series(pd.NA, index=k.index, dtype="string").mask(zoned, "ordinal")
    krs = pd.DataFrame({
        "objective_id": k["objective"], "kr_id": k["id"], "key_result": k["title"],
        "kr_owner": person(k["owner"]), "start_value": k["start"], "target_value": k["target"],
        "current_value": k["current"], "unit": k["unit"], "weight": k["weight"],
        "metric_type": k["type"].fillna(ordinal),
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
            "kr_id": c["kr"], "date": c["date"], "value": c["value"].fillna(c["zone"]),
            "confidence": c["confidence"], "status": c["status"], "comment": c["comment"],
            "author": person(c["author"]), "_pos": c.index,
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
    if "person" in picked:
        out["person"] = {"tables": {}, "unused": picked["person"][1], "use": "used to name people"}
    for entity in set(frames) - set(_PICK):  # the dump's other tables
        out[entity] = {"tables": {}, "unused": [], "use": "no OKR data in it, not used"}
    for entry in out.values():
        for name, frame in entry["tables"].items():
            entry["tables"][name] = frame.astype(
                {c: "string" for c in frame.columns if c != "_pos"}
            )
    return out


def identify(sample: Sample) -> Claim | None:
    entity = entity_of(sample.sheet or sample.file)
    links = [c for c, n in zip(sample.columns, sample.names, strict=True) if n.endswith(" id")]
    # an OKR table needs its ids; the dump's other tables are known by their names alone
    if entity is None or ("id" not in sample.names and entity in _PICK):
        return None
    return 100.0 + len(links), [f"a table named {entity}", "id", *links[:3]]


ADAPTER = Adapter("database", "a database export, one table per file linked by ids", identify,
                  combine=convert_relational)  # fmt: skip
