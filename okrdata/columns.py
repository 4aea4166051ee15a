"""Input tables, their columns and the aliases OKR tools export them under.

Column names match case-, space-, underscore- and punctuation-insensitively:

>>> normalise("Confidence (%)")
'confidence'
>>> canonical_column("okrs", "Key Result ID")
'kr_id'
>>> recognise(["KR", "Date", "Value"])
'checkins'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# canonical column -> aliases (any spelling that normalises the same also matches)
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "okrs": {
        "objective_id": (
            "objective id",
            "obj id",
            "objective key",
            "objective number",
            "goal id",
            "goal key",
        ),
        "objective": (
            "objective name",
            "objective title",
            "objective description",
            "goal",
            "goal name",
            "goal title",
        ),
        "quarter": (
            "period",
            "cycle",
            "okr cycle",
            "time period",
            "timeframe",  # Perdoo
            "quarter name",
            # a container of a team's OKRs for a period, named after both: Quantive's session
            # ("Q3 2026 - Marketing"), Tability's plan ("Sales OKRs 2026 Q3")
            "session",
            "session name",
            "okr session",
            "plan",
            "plan name",
        ),
        "team": ("team name", "owning team", "squad", "group"),
        "department": ("dept", "department name", "division", "business unit", "org"),
        "parent_objective_id": (
            "parent objective id",
            "parent id",
            "parent objective",
            "aligned to",
            "aligned to id",
            "contributes to",
            "parent",
            "parent goal",
            "parent goal id",
            "parent goal name",
            "parent goal title",
        ),
        "objective_owner": ("objective owner", "owner", "objective lead", "owner email"),
        "okr_type": ("type", "okr type", "goal type", "objective type", "commitment"),
        "level": ("objective level", "okr level", "goal level"),
        "origin": ("direction", "set by", "objective origin"),
        "kr_id": ("key result id", "kr id", "kr", "kr key", "kr number", "key result key"),
        "key_result": (
            "key result",
            "key result name",
            "key result title",
            "kr name",
            "kr title",
            "measure",
            "measure name",
            "outcome",  # Tability
            "outcome name",
            "result",  # Perdoo: key results and initiatives are its results
            "result name",
        ),
        "kr_owner": (
            "key result owner",
            "kr owner",
            "kr lead",
            "key result owner email",
            "kr owner email",
        ),
        "metric_type": ("metric type", "kr type", "measure type", "direction of measure"),
        "start_value": (
            "start",
            "starting value",
            "baseline",
            "initial value",
            "start value",
            "key result start",
            "key result start value",
            "kr start",
        ),
        "target_value": (
            "target",
            "target value",
            "goal value",
            "desired value",
            "key result target",
            "key result target value",
            "kr target",
        ),
        "current_value": (
            "current",
            "current value",
            "actual",
            "latest value",
            "value now",
            "key result current",
            "key result current value",
            "kr current",
        ),
        "unit": ("units", "metric unit", "unit of measure"),
        "weight": ("kr weight", "weighting", "weight pct"),
        # the day current_value was read (OKR Pulse's own "data in force" export writes it)
        # (or the day the tool last updated the key result: Last Updated, Updated At)
        "current_as_of": (
            "current as of",
            "current value as of",
            "current value date",
            "last updated",
            "last updated at",
            "last update",
            "updated at",
            "updated on",
            "updated",
            "last modified",
            "as of",
            "as of date",
            # the day of the key result's latest check-in (Quantive's lastCheckInDate)
            "last check in",
            "last check in date",
            "last checked in",
        ),
        "kr_quarter": (
            "kr period",
            "kr quarter",
            "key result period",
            "key result quarter",
            "kr time period",
            "kr cycle",
        ),
        "start_date": (
            "start date",
            "starts",
            "starts on",
            "begin date",
            "from date",
            # the start of the period's container: Quantive's session, Tability's plan
            "session start",
            "session start date",
            "plan start",
            "plan start date",
            "cycle start",
            "cycle start date",
            "period start",
            "period start date",
            "timeframe start",
            "timeframe start date",
        ),
        "end_date": (
            "end date",
            "ends",
            "ends on",
            "due date",
            "due at",
            "deadline",
            "to date",
            "target date",  # WorkBoard's goal_target_date
            "session end",
            "session end date",
            "plan end",
            "plan end date",
            "cycle end",
            "cycle end date",
            "period end",
            "period end date",
            "timeframe end",
            "timeframe end date",
        ),
        "progress": (
            "progress",
            "progress pct",
            "percent complete",
            "completion",
            "pct",
            "percent",
            "progress percent",
            "done pct",
            "kr progress",
            "attainment",  # Quantive
        ),
        "status": (
            "kr status",
            "state",
            "progress status",
            "health",
            "rag",
            "rag status",
            # a checkbox column (TRUE / FALSE, Yes / No, ✅) saying a milestone is reached
            "done",
            "completed",
            "achieved",
            "is done",
        ),
        # (no confidence: a key result's is read from its check-ins, and a confidence column
        # on an okrs sheet is listed as not used rather than read and dropped)
        # the progress the exporting tool itself shows (Viva's Progress %), kept beside ours
        "source_progress": ("kr source progress", "key result source progress"),
        "objective_source_progress": (),
    },
    "checkins": {
        "kr_id": (
            "key result id",
            "kr id",
            "kr",
            "key result",
            "key result title",
            "kr title",
            "kr name",
            "key result name",
            "outcome",  # Tability's key results, by title
            "outcome name",
        ),
        "date": (
            "check in date",
            "checkin date",
            "updated",
            "updated at",
            "update date",
            "day",
            "week of",
            "week",
            "week starting",
            "week ending",
            "created at",
            "timestamp",
            "check in time",
            "submitted at",
        ),
        "value": (
            "current",
            "current value",
            "actual",
            "progress value",
            "check in value",
            "new value",
            "progress",
            "progress pct",
            "percent complete",
            "progress this week",
            "this week",
            "weekly progress",
            "progress made",
            "metric value",
            "score",  # Tability's check-in: the outcome's value that day
            "check in score",
        ),
        "confidence": ("confidence level", "confidence score", "confidence pct"),
        "status": ("check in status", "health", "rag", "rag status", "traffic light"),
        "target_value": ("target", "new target", "target value", "rescoped target"),
        "comment": (
            "comments",
            "note",
            "notes",
            "update",
            "remarks",
            "blockers",
            "blocker",
            "risks",
            "risks and blockers",
            "blockers and risks",
            "issues",
            "check in comments",
            "check in comment",
            "analysis",  # Tability's check-in: progress, confidence and analysis
        ),
        # (a check-ins tab's Owner: the key result's owner, who checks in)
        "author": (
            "by",
            "updated by",
            "author name",
            "submitted by",
            "check in by",
            "owner",
            "check in owner",
        ),
    },
    "dependencies": {
        "team": ("requesting team", "dependent team", "from team", "team name", "consumer team"),
        "depends_on_team": (
            "depends on",
            "depends on team",
            "provider team",
            "providing team",
            "to team",
            "blocking team",
        ),
        "kr_id": ("key result id", "dependent kr", "kr id", "from kr"),
        "depends_on_kr_id": ("depends on kr", "provider kr", "provider kr id", "to kr"),
        "description": ("dependency", "details", "what", "summary"),
        "status": ("dependency status", "state"),
        "due_date": ("due", "due by", "needed by", "deadline", "due on"),
        "quarter": ("period", "cycle"),
    },
    "teams": {
        "team": ("team name", "name", "squad"),
        "department": ("dept", "department name", "division", "business unit"),
        "parent_team": ("parent", "parent team name", "reports to"),
        "lead": ("team lead", "leader", "manager", "owner"),
    },
}

# work items (initiatives, projects, deliverables) as tool-export converters hand them over
WORK_COLUMNS = ("objective_id", "objective", "team", "period", "kr_id", "title")

# objective_id is not required: ids are derived from quarter, team and title when missing;
# quarter may be replaced by start_date/end_date (see ingest)
REQUIRED: dict[str, tuple[str, ...]] = {
    "okrs": ("objective", "quarter", "team"),
    "checkins": ("kr_id", "date", "value"),
    "dependencies": ("team", "depends_on_team"),
    "teams": ("team",),
}

# columns whose presence says most about which table a sheet holds
_MARKERS: dict[str, tuple[str, ...]] = {
    "okrs": ("objective_id", "objective", "key_result", "target_value"),
    "checkins": ("date", "value", "confidence"),
    "dependencies": ("depends_on_team", "depends_on_kr_id"),
    "teams": ("parent_team", "lead"),
}

# required columns a sheet may lack, every row taking one value (``Source.fixed``)
_ONE_VALUE: dict[str, tuple[str, ...]] = {"okrs": ("quarter", "team")}

_NON_WORD = re.compile(r"[\W_]+")


def normalise(name: object) -> str:
    """Lowercase, punctuation and spacing collapsed to single spaces, '%' and '#' dropped."""
    return _normalise(str(name))


@functools.lru_cache(maxsize=65536)  # recognition asks for the same headers many times
def _normalise(name: str) -> str:
    text = name.replace("\ufeff", "").lower()
    text = re.sub(r"\(.*?\)", " ", text)  # "Confidence (%)" -> "confidence"
    out = _NON_WORD.sub(" ", text).strip()
    return out or ("pct" if "%" in text else out)  # a column named just "%"


def _lookup(table: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for canon, aliases in ALIASES[table].items():
        for spelling in (canon, *aliases):
            out.setdefault(normalise(spelling), canon)
    return out


_LOOKUPS = {t: _lookup(t) for t in ALIASES}


def canonical_column(table: str, name: object) -> str | None:
    """The canonical name of ``name`` in ``table``, or None if it is not one of its columns."""
    return _LOOKUPS[table].get(normalise(name))


def map_columns(table: str, names: Iterable[object]) -> tuple[dict[str, str], list[str]]:
    """Map source column names to canonical ones: ``({source: canonical}, unknown_sources)``.

    A column named exactly as the canonical column (``Team``, ``team_name``... ``team``) wins
    over one named by an alias (``Name`` in a teams table); else the first source column for a
    canonical name wins; later duplicates count as unknown.

    >>> map_columns("teams", ["Name", "Team", "Email"])
    ({'Team': 'team'}, ['Name', 'Email'])
    """
    texts = [str(n) for n in names]
    canon = [canonical_column(table, n) for n in texts]
    exact = {c for n, c in zip(texts, canon, strict=True) if c and normalise(n) == normalise(c)}
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for name, c in zip(texts, canon, strict=True):
        if c and c not in mapping.values() and (c not in exact or normalise(name) == normalise(c)):
            mapping[name] = c
        else:
            unknown.append(name)
    return mapping, unknown


def recognise(names: Iterable[object], hint: str = "") -> str | None:
    """Which input table a sheet with these column names holds (None if none fits).

    A table fits when most of its required columns are there (for okrs, start or end dates
    stand for the quarter); ties are broken by marker columns, by how many of the sheet's
    columns the table uses, then by the file name ``hint`` (e.g. "checkins.csv").
    """
    names = list(names)
    hint = normalise(hint)
    best, best_score = None, 0.0
    for table in ALIASES:
        canon = [canonical_column(table, n) for n in names]
        found = set(canon) - {None}
        if table == "okrs" and found & {"start_date", "end_date"}:
            found.add("quarter")  # the dates decide the period (see ingest)
        required = REQUIRED[table]
        # a column a sheet may lack and take one value for (its team, its quarter: from its
        # name or an answer) counts half: a company tab with objectives and key results but
        # neither is still that table, never check-ins without a date
        share = sum(1.0 if c in found else 0.5 if c in _ONE_VALUE.get(table, ()) else 0.0
                    for c in required) / len(required)  # fmt: skip
        if share < 0.5:
            continue
        markers = sum(c in found for c in _MARKERS[table])
        used = sum(c is not None for c in canon) / max(len(names), 1)
        score = share * 10 + markers + len(found) * 0.1 + used * 5
        if table.rstrip("s") in hint or (
            table == "okrs" and ("objective" in hint or "goal" in hint)
        ):
            score += 2
        if score > best_score:
            best, best_score = table, score
    return best
