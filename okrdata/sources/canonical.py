"""The canonical tables (``okrs``, ``checkins``, ``dependencies``, ``teams``), read as they are.

A sheet whose columns are those of one of OKR Pulse's own input tables, under their names or
the aliases of ``okrdata.columns`` (the spellings OKR tools and spreadsheets use: ``Objective
Name``, ``Key Result ID``, ``Check-in Date``, ``Depends On``…), matched case-, space-,
underscore- and punctuation-insensitively, and misspelt within reason (``Objectve``). Modelled
on OKR Pulse's own templates and data-in-force export, and on the published tables of
Sourcegraph's handbook (``Quarter, Team, Objective, Key Result``). Scores below every tool's
own shape (under 100), so that a tool's export is never read as a look-alike of these.

>>> from okrdata.sources import Sample
>>> ADAPTER.identify(Sample("c.csv", None, ["KR", "Date", "Value"]))
(20.0, ['KR', 'Date', 'Value'], 'checkins')
"""

from __future__ import annotations

from okrdata.columns import ALIASES, REQUIRED, canonical_column, map_columns, recognise
from okrdata.sources import Adapter, Claim, Sample


def recognise_fuzzy(columns: list[str]) -> str | None:
    """The table whose required columns are all there, misspelt ("Objectve", "Quartr")."""
    from okrdata.ingest import closest_name

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
