"""The canonical tables (``okrs``, ``checkins``, ``dependencies``, ``teams``), read as they are,
and the rules that map such a sheet's columns (misspelt names, an ``Owner`` that names teams,
e-mail columns beside names, a team taken from the sheet's or file's name).

A sheet whose columns are those of one of OKR Pulse's own input tables, under their names or
the aliases of ``okrdata.columns`` (the spellings OKR tools and spreadsheets use: ``Objective
Name``, ``Key Result ID``, ``Check-in Date``, ``Depends On``…), matched case-, space-,
underscore- and punctuation-insensitively, and misspelt within reason (``Objectve``). Modelled
on OKR Pulse's own templates and data-in-force export, and on two real published tables:
Sourcegraph's OKRs (github sourcegraph/about ``handbook/company/goals/2022_q1.md``: ``Quarter,
Team, Objective, Key Result``) and a Google Sheets tracker (github
thierryteisseire/business_skills ``skills/goals-and-kpis/references/tool-integrations.md``:
tab "Company OKRs" ``Quarter, Objective, KR, Owner, Target, Current, %, Status, Last
Updated`` without a team column, and tab "Weekly Updates" ``Week Of, KR, Progress This Week,
Blockers, Confidence, Updated By``). Scores below every tool's own shape (under 100), so that
a tool's export is never read as a look-alike of these.

>>> from okrdata.sources import Sample
>>> ADAPTER.identify(Sample("c.csv", None, ["KR", "Date", "Value"]))
(20.0, ['KR', 'Date', 'Value'], 'checkins')
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from okrdata.columns import ALIASES, REQUIRED, canonical_column, map_columns, normalise, recognise
from okrdata.sources import Adapter, Claim, Sample

if TYPE_CHECKING:
    from okrdata.sources import Source
    from okrdata.validation_report import Report


def recognise_fuzzy(columns: list[str]) -> str | None:
    """The table whose required columns are all there, misspelt ("Objectve", "Quartr")."""
    for table in ALIASES:
        mapping, unknown = map_columns(table, columns)
        mapped = set(mapping.values())
        if len(REQUIRED[table]) > 1 and all(
            c in mapped or closest_name(table, c, unknown) for c in REQUIRED[table]
        ):
            return table
    return None


def identify(sample: Sample) -> Claim | None:
    table = recognise(sample.columns, hint=sample.file) or recognise_fuzzy(sample.columns)
    if table is None:
        return None
    used = [c for c in sample.columns if canonical_column(table, c)]
    return 10.0 + 10.0 * len(used) / max(len(sample.columns), 1), used[:6], table


ADAPTER = Adapter("canonical", "OKR Pulse's own tables", identify)


# --- mapping a canonical sheet's columns: what its names say, and what they leave out ---------

_LABELS = {
    "objective_id": "an objective id", "objective": "an objective title", "quarter": "a quarter",
    "team": "a team", "kr_id": "a key result", "date": "a date", "value": "a value",
    "depends_on_team": "the team depended on",
}  # fmt: skip
_TABLE_NAMES = {"okrs": "objectives and key results", "checkins": "check-ins",
                "dependencies": "dependencies", "teams": "a teams table"}  # fmt: skip


def closest_name(table: str, column: str, names: Iterable[str]) -> str | None:
    """The column of ``names`` closest to the canonical ``column`` or its aliases (difflib's
    ratio, at least 0.75; the first of equals).

    Linear in the names and cheap per name: one matcher per spelling (difflib indexes the
    spelling once), the exact ratio computed only where its upper bounds can beat the best so
    far, and the answer kept per header (recognition asks again for each candidate title row):
    1,000 unknown columns took 12 s, now well under one.
    """
    return _closest(table, column, tuple(names))


@functools.lru_cache(maxsize=256)
def _closest(table: str, column: str, names: tuple[str, ...]) -> str | None:
    spellings = [normalise(s) for s in (column, *ALIASES[table][column])]
    by_norm = {normalise(n): n for n in names}  # (the last of one spelling)
    by_norm.pop("", None)
    best, best_score = None, 0.75 - 1e-12  # a ratio of exactly 0.75 counts
    order = {norm: i for i, norm in enumerate(by_norm)}
    for spelling in spellings:
        matcher = difflib.SequenceMatcher(None, "", spelling)
        size = len(spelling)
        for norm, name in by_norm.items():
            n = len(norm)
            if 2 * min(n, size) < best_score * (n + size):  # real_quick_ratio, inline
                continue
            matcher.set_seq1(norm)
            if matcher.quick_ratio() < best_score:
                continue
            score = matcher.ratio()
            better = score > best_score or (
                score == best_score and best is not None and order[norm] < order[normalise(best)]
            )
            if better:
                best, best_score = name, score
    return best


def closest_known(table: str, name: str) -> str | None:
    """The canonical column of ``table`` whose name or alias is closest to ``name``
    (none for a repeated header, "Team (2)")."""
    if re.search(r" \(\d+\)$", name):
        return None
    spellings = {normalise(s): c for c, aliases in ALIASES[table].items() for s in (c, *aliases)}
    match = difflib.get_close_matches(normalise(name), list(spellings), n=1, cutoff=0.75)
    return spellings[match[0]] if match else None


def near_miss(columns: Sequence[str]) -> str | None:
    """What an unrecognised sheet looks like, and what it lacks ("looks like check-ins but no
    column holds a date")."""
    best, best_found = None, 0
    for table in ALIASES:
        found = {c for c in map_columns(table, columns)[0].values()} & set(REQUIRED[table])
        if len(found) > best_found:
            best, best_found = table, len(found)
    if best is None:
        return None
    mapped = set(map_columns(best, columns)[0].values())
    missing = [_LABELS.get(c, c) for c in REQUIRED[best] if c not in mapped]
    return f"It looks like {_TABLE_NAMES[best]} but no column holds {' or '.join(missing)}."


# words that name what a sheet holds, not whose it is ("Company OKRs", "sales_goals_2026.csv")
_NOT_A_TEAM = {"okr", "okrs", "objective", "objectives", "goal", "goals", "key", "result",
               "results", "kr", "krs", "tracker", "tracking", "sheet", "export", "exported",
               "data", "and", "list", "plan", "planning", "quarter", "quarterly", "annual",
               "yearly", "year", "half", "the", "of", "for", "copy", "final", "draft", "v"}  # fmt: skip
_PERIOD_WORD = re.compile(r"(q[1-4]|h[12]|fy\d{2,4}|\d{1,4}|\d{4}q[1-4]|q[1-4]\d{2,4}|v\d+)")
_GENERIC_SHEET = re.compile(r"(sheet|tab|table|page|blad|feuil|tabelle)\s*\d*", re.IGNORECASE)
# the id an export adds to a file's name (Notion: ``Growth OKRs 5a6b….csv``, ``…_all.csv``)
_EXPORT_ID = re.compile(r"[\s_-]+[0-9a-fA-F]{32}([\s_-]+all)?$", re.IGNORECASE)


def team_from_names(sheet: str | None, file: str) -> tuple[str, str] | None:
    """The team a sheet's name or its file's name names, and which name gave it: the words left
    once those naming OKRs, trackers and periods are gone ("Company OKRs" -> "Company",
    ``company_okrs.csv`` -> "Company", ``okrs_q3_2026.csv`` -> none).

    >>> team_from_names("Company OKRs", "tracker.xlsx"), team_from_names(None, "company_okrs.csv")
    (('Company', 'sheet name'), ('Company', 'file name'))
    >>> team_from_names("Sheet1", "OKRs FY22-Q1.xlsx") is None
    True
    >>> team_from_names(None, "Growth OKRs 5a6b7c8d9e0f41a2b3c4d5e6f7a8b9c0_all.csv")
    ('Growth', 'file name')
    """
    for where, text in (("sheet name", sheet or ""), ("file name", Path(file).stem)):
        text = _EXPORT_ID.sub("", text)
        if not text.strip() or (where == "sheet name" and _GENERIC_SHEET.fullmatch(text.strip())):
            continue
        words = [w for w in re.split(r"[\s_.,;:()\[\]/&+\-–—]+", text) if w]
        kept = [w for w in words
                if w.lower() not in _NOT_A_TEAM and not _PERIOD_WORD.fullmatch(w.lower())]  # fmt: skip
        if kept:
            return " ".join(w.capitalize() if w.islower() else w for w in kept), where
    return None


def team_of_sheet(src: Source, report: Report) -> None:
    """A sheet of objectives and key results without a team column is one team's sheet (a
    company's, a single team's tracker): the team is taken from the sheet's name, else the
    file's name, when one names it and no column looks like a misspelt team column. A column
    chosen for the team on the Data page wins (it is then no missing column)."""
    if src.table != "okrs" or "team" not in src.missing_required:
        return
    if closest_name("okrs", "team", src.unknown_columns):
        return  # a column that looks like it (Squadd): the missing column is the problem
    named = team_from_names(src.sheet, src.name)
    if named is None:
        return
    team, where = named
    src.fixed["team"] = team
    src.guessed["team"] = where  # still asked on the Data page, with this as the answer
    src.missing_required.remove("team")
    said = src.sheet if where == "sheet name" else src.name
    message = (f"No column names the team: every row is taken to be team {team!r}, from the "
               f"{where} {said!r}. Choose a team column on the Data page to change it.")  # fmt: skip
    src.notes.append(f"the team {team!r} is taken from the {where} {said!r} (no team column)")
    report.add("warning", "team_from_name", src.name, message, sheet=src.sheet,
               row=src.header_row, column="team", value=team)  # fmt: skip


def quarter_of_sheet(src: Source, above: Sequence[str], report: Report) -> None:
    """A sheet of objectives and key results without a quarter column (or dates) is one
    period's sheet (a tracker's "Team OKRs" tab, ``OKRs Q3 2026.csv``): the quarter is the one
    the first of its title rows, its sheet's name or its file's name names (``Q3 2026``,
    ``FY27 Q2``, ``2026 H2``; as the outline reads it), when no column looks like a misspelt
    quarter column. Staging types the label (a fiscal one with its warning); the Data page
    still asks, with it as the answer."""
    from okrdata.periods import is_fiscal
    from okrdata.sources.outline import period_in

    if src.table != "okrs" or "quarter" not in src.missing_required:
        return
    if closest_name("okrs", "quarter", src.unknown_columns):
        return  # a column that looks like it (Quater): the missing column is the problem
    places = [*(("title row", t) for t in above), ("sheet name", src.sheet or ""),
              ("file name", src.name)]  # fmt: skip
    where, said, label = next(((w, t, p) for w, t in places if t and (p := period_in(t))),
                              ("", "", None))  # fmt: skip
    if label is None:
        return
    src.fixed["quarter"] = label
    src.guessed["quarter"] = where  # still asked on the Data page, with this as the answer
    src.missing_required.remove("quarter")
    if is_fiscal(label) and label not in src.fiscal_labels:
        src.fiscal_labels = sorted([*src.fiscal_labels, label])
    message = (f"No column names the quarter: every row is taken to be in {label!r}, from the "
               f"{where} {said!r}. Choose a quarter column or type the quarter on the Data "
               "page to change it.")  # fmt: skip
    src.notes.append(f"the quarter {label!r} is taken from the {where} {said!r} (no quarter "
                     "column)")  # fmt: skip
    report.add("warning", "quarter_from_name", src.name, message, sheet=src.sheet,
               row=src.header_row, column="quarter", value=label)  # fmt: skip


_EMAIL = re.compile(r"^(?P<name>.+?) (e ?mail|email address|e mail address)$")


def emails_beside_names(src: Source) -> None:
    """``Owner Email`` beside ``Owner`` (tools export both): the same person's address, not
    an unknown column. (Alone, ``Owner Email`` is the owner: see the aliases.)"""
    mapped = {normalise(c) for c in src.mapping}
    emails = [c for c in src.unknown_columns
              if (m := _EMAIL.match(normalise(c))) and m["name"] in mapped]  # fmt: skip
    if emails:
        src.unknown_columns = [c for c in src.unknown_columns if c not in emails]
        src.notes.append(f"{', '.join(emails)}: email addresses beside the names, not used")


def owner_as_team(src: Source) -> None:
    """Tools where a team owns a goal and a person leads it export ``Owner`` (the team) beside
    ``Lead`` (the person), or ``Objective owner`` beside ``Objective lead`` (Perdoo: a group
    owns an objective, a person leads it, and each result has a ``Lead`` of its own): with no
    column naming the team, the owner is the team and the lead the objective's owner; a bare
    ``Lead`` beside ``Objective lead`` leads the row's key result."""
    values = set(src.mapping.values())
    if src.table != "okrs" or "team" in values:
        return
    owner = next((c for c, k in src.mapping.items() if k == "objective_owner"
                  and normalise(c) in ("owner", "objective owner")), None)  # fmt: skip
    leads = {normalise(c): c for c in reversed(src.unknown_columns)}
    lead = leads.get("objective lead") or leads.get("lead")
    if owner is None or lead is None:
        return
    src.mapping[owner] = "team"
    src.mapping[lead] = "objective_owner"
    src.unknown_columns.remove(lead)
    src.notes.append(f"{owner} names teams (a {lead} column names the people)")
    kr_lead = leads.get("lead")
    if kr_lead and kr_lead != lead and "key_result" in values and "kr_owner" not in values:
        src.mapping[kr_lead] = "kr_owner"
        src.unknown_columns.remove(kr_lead)
        src.notes.append(f"{kr_lead} names the key results' leads")


def owner_of_key_results(src: Source) -> None:
    """On a sheet with one row per key result, a lone ``Owner`` column is the KR's owner."""
    values = set(src.mapping.values())
    if src.table != "okrs" or "key_result" not in values or "kr_owner" in values:
        return
    for col, canon in list(src.mapping.items()):
        if canon == "objective_owner" and normalise(col) == "owner":
            src.mapping[col] = "kr_owner"
