"""A database view that joins objectives, key results and each key result's latest check-in.

Modelled on Puzzle ITC's OKR tool (github puzzle/okr), its ``overview`` view as its production
dump holds it: ``team_id, team_version, team_name, quarter_id, quarter_label, objective_id,
objective_title, objective_state, objective_created_on, key_result_id, key_result_title,
key_result_type, unit, baseline, stretch_goal, commit_zone, target_zone, stretch_zone,
check_in_id, check_in_value, check_in_zone, confidence, check_in_created_on``: one row per
objective x key result x latest check-in. A team without objectives still has a row, its ids
``-1``; an objective without key results has ``key_result_id`` ``-1``, a key result without a
check-in ``check_in_id`` ``-1``. Its earlier versions (the migrations ``V1_5_0`` and
``V2_1_0`` / ``V2_1_1__checkInRefactoringDropAttrsAddNew.sql``): check-ins still called
measures (``MEASURE_ID, MEASURE_VALUE, MEASURE_DATE``, key results ``BASIS_VALUE`` /
``TARGET_VALUE``, names upper case), then the check-in's day a bare ``created_on`` after its
other columns. Also the generic family of such views: any sheet with
objective and key-result columns and, on each key-result row, columns of its latest check-in
(``check_in_*``, ``last_check_in_*``, ``latest_checkin_*``: value or zone, and a date).

The one sheet gives ``okrs`` (one row per key result, an objective without any once) and
``checkins`` (the latest check-in of each key result, a row repeated by the join read once).
Placeholder rows (``-1`` ids) are set aside with the reason, never imported. The quarter is
the view's label (``GJ 23/24-Q2``, read by the staging with the fiscal-year setting); the
values stay text, typed once by the staging SQL. The reshape is SQL over the import's view of
the sheet (``stage``): the sheet is never copied into pandas.

>>> from okrdata.sources import Sample
>>> ADAPTER.identify(Sample("overview.csv", None, ["objective_id", "objective_title",
...     "key_result_id", "key_result_title", "check_in_value", "check_in_created_on"]))[0]
106.0
"""

from __future__ import annotations

import re

import duckdb

from okrdata.columns import normalise
from okrdata.sources import Adapter, Claim, Context, Converted, Sample, _sql

# a check-in column's prefix: check_in_value, last_check_in_date, latest_checkin_zone, ...;
# measure_value, measure_date (Puzzle's first view, from before check-ins were renamed)
_CHECKIN = re.compile(
    r"^(?:last |latest |current )?(?:check ?in|measure|measurement) "
    r"(?P<role>.+)$"
)
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
    "start_value": ("key result baseline", "baseline", "basis value", "start value",
                    "initial value", "start"),
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


def _roles_at(columns: list[str]) -> dict[str, int]:
    """Role -> the position of the sheet's column that plays it."""
    norms = [normalise(c) for c in columns]
    found: dict[str, int] = {}
    checkin: dict[str, int] = {}
    for i, norm in enumerate(norms):
        m = _CHECKIN.match(norm)
        if m:
            role = next((r for r, names in CHECKIN_ROLES.items() if m["role"] in names), None)
            if role and role not in checkin:
                checkin[role] = i
    for role, names in ROLES.items():
        hit = next((norms.index(n) for n in names if n in norms), None)
        if hit is not None and hit not in found.values():
            found[role] = hit
    # a bare date after the check-in's first column is the check-in's, where none of its
    # columns is one (Puzzle's view before V2_1_2 ends ``check_in_zone, confidence,
    # created_on``): a view lists its tables' columns in turn, the check-in's last
    if checkin and "date" not in checkin:
        after = min(checkin.values())
        bare = [n for n in CHECKIN_ROLES["date"] if " " in n or n == "date"]
        checkin["date"] = next((i for i, n in enumerate(norms) if i > after and n in bare), -1)
        if checkin["date"] < 0:
            del checkin["date"]
    # a bare confidence on such a view is the check-in's (Puzzle: ``confidence``)
    if "confidence" not in checkin and "confidence" in norms:
        checkin["confidence"] = norms.index("confidence")
    found.update({f"check_in {r}": i for r, i in checkin.items()})
    return found


def _roles(columns: list[str]) -> dict[str, str]:
    """Role -> the sheet's column that plays it."""
    return {role: columns[i] for role, i in _roles_at(columns).items()}


def identify(sample: Sample) -> Claim | None:
    roles = _roles(sample.columns)
    objective = roles.get("objective_id") or roles.get("objective")
    key_result = roles.get("kr_id") or roles.get("key_result")
    value = roles.get("check_in value") or roles.get("check_in zone")
    date = roles.get("check_in date")
    if not (objective and key_result and value and date):
        return None
    return 100.0 + len(roles), [objective, key_result, value, date]


def stage(con: duckdb.DuckDBPyConnection, ctx: Context) -> Converted | None:
    """The okrs and checkins tables in SQL over the view of the sheet (see the module's
    docstring); placeholder rows and the join's repetitions listed aside."""
    at = _roles_at([ctx.names[n] for n in ctx.positions])

    def text(role: str) -> str:  # the column playing ``role``, stripped, empty cells NULL
        return "NULL::VARCHAR" if role not in at else f"nullif({_sql.strip(f'c{at[role]}')}, '')"

    roles = [*ROLES, *(f"check_in {r}" for r in CHECKIN_ROLES)]
    cells = ", ".join(f'{text(r)} as "{r.replace(" ", "_")}"' for r in roles)
    no_kr = f"(coalesce(kr_id = '{PLACEHOLDER}', false) or (kr_id is null and key_result is null))"
    # a team without objectives: ids -1 (or no objective at all), set aside and counted
    rows = f"""
        with cells as (select _pos, {cells} from {ctx.relation})
        select *, coalesce(objective_id = '{PLACEHOLDER}', false)
                  or (objective_id is null and objective is null) as placeholder,
               {no_kr} as no_kr,
               not coalesce(check_in_id = '{PLACEHOLDER}', false)
                 and (check_in_value is not null or check_in_zone is not null)
                 and check_in_date is not null and not {no_kr}
                 and not (coalesce(objective_id = '{PLACEHOLDER}', false)
                          or (objective_id is null and objective is null)) as has_checkin
        from cells"""
    # one row per key result (and one per objective without any): the join repeats them;
    # an ordinal key result is told by its type or by zones described in words
    okrs = f"""
        with r as ({rows}),
        kept as (
            select _pos, objective_id, objective, quarter, start_date, end_date, team,
                   case when not no_kr then kr_id end as kr_id,
                   case when not no_kr then key_result end as key_result,
                   case when not no_kr then kr_owner end as kr_owner,
                   coalesce(metric_type, case when "commit" is not null
                       or target_zone is not null or stretch is not null
                       then 'ordinal' end) as metric_type,
                   unit, start_value, target_value
            from r where not placeholder
            qualify row_number() over (partition by objective_id, objective, kr_id, key_result
                                       order by _pos) = 1)
        select * from kept k
        where k.kr_id is not null or k.key_result is not null or k.objective_id is null
           or k.objective_id not in (select objective_id from kept where objective_id is not null
                                     and (kr_id is not null or key_result is not null))"""
    # the latest check-in of each key result (without ids, the key result's title: staging
    # finds the key result by it); a check-in the join repeats is read once
    checkins_all = f"""
        with r as ({rows})
        select _pos, coalesce(kr_id, key_result) as kr_id, check_in_date as date,
               coalesce(check_in_value, check_in_zone) as value,
               check_in_confidence as confidence, check_in_status as status,
               check_in_comment as comment, check_in_author as author,
               row_number() over (partition by check_in_id, coalesce(kr_id, key_result),
                                  check_in_date, coalesce(check_in_value, check_in_zone)
                                  order by _pos) > 1 as repeated
        from r where has_checkin"""
    checkins = f"select * exclude (repeated) from ({checkins_all}) where not repeated"
    got = con.execute(f"""
        with r as ({rows}), c as ({checkins_all})
        select (select coalesce(list(_pos order by _pos) filter (where placeholder), [])
                from r),
               (select coalesce(list(_pos order by _pos) filter (where repeated), []) from c),
               (select coalesce(list(_pos order by _pos), []) from r where _pos not in (
                    select _pos from r where placeholder union all select _pos from ({okrs})
                    union all select _pos from c where not repeated))""").fetchone()  # fmt: skip
    aside_at, again, again_all = got if got else ([], [], [])
    used = set(at.values())
    unused = [ctx.names[n] for n, i in ctx.positions.items() if i not in used]
    reason = "a team without objectives (a placeholder row, its ids -1), not imported"
    notes: list[tuple[str, list[int]]] = []
    if aside_at:
        n = len(aside_at)
        notes.append((f"{n} placeholder {'row' if n == 1 else 'rows'} of teams without "
                      "objectives (ids -1) set aside, not imported: {rows}", aside_at))  # fmt: skip
    if again:
        notes.append(("a check-in the view's join repeats is read once (again on {rows})", again))
    aside = [(aside_at, reason)] if aside_at else []
    # a row whose objective, key result and check-in all came on an earlier row: the join's
    # repetition, set aside (listed) rather than left unaccounted
    if again_all:
        aside.append((again_all, "repeats a row above (the view's join), read once"))
    return Converted({"okrs": okrs, "checkins": checkins}, unused=unused, notes=notes,
                     aside=aside)  # fmt: skip


ADAPTER = Adapter(
    "joined_view",
    "a database view joining objectives, key results and their latest check-ins",
    identify,
    stage=stage,
)
