"""The typed model every view and signal stands on.

Types and names are fixed once, here and in ``ingest``; nothing downstream re-parses a date
or renames a column. Each table is a pandas DataFrame with exactly the columns listed in
``SCHEMA`` (in that order) and these dtypes:

- ``str``: pandas string dtype (``pd.StringDtype()``), missing values are ``pd.NA``;
- ``float``: ``float64``, missing values are ``NaN``;
- ``date``: ``datetime64[ns]`` at midnight, missing values are ``NaT``.

Quarters are labels ``"YYYY-Qn"``. Enumerations are lowercase snake_case
(``okr_type``: committed|aspirational, ``level``: company|department|team, ``origin``:
top_down|bottom_up, ``metric_type``: increase|decrease|binary|stay_above|stay_below,
check-in ``status``: on_track|at_risk|off_track, dependency ``status``:
open|committed|done|blocked).

>>> ds = Dataset.empty()
>>> list(ds.objectives.columns)[:3]
['objective_id', 'objective', 'quarter']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

SCHEMA: dict[str, dict[str, str]] = {
    "objectives": {
        "objective_id": "str",
        "objective": "str",
        "quarter": "str",
        "team": "str",
        "department": "str",
        "parent_objective_id": "str",
        "objective_owner": "str",
        "okr_type": "str",
        "level": "str",
        "origin": "str",
    },
    "key_results": {
        "kr_id": "str",
        "objective_id": "str",
        "key_result": "str",
        "kr_owner": "str",
        "metric_type": "str",
        "start_value": "float",
        "target_value": "float",
        "current_value": "float",
        "unit": "str",
        "weight": "float",
    },
    "checkins": {
        "kr_id": "str",
        "date": "date",
        "value": "float",
        "confidence": "float",
        "status": "str",
        "target_value": "float",
        "comment": "str",
        "author": "str",
    },
    "dependencies": {
        "team": "str",
        "depends_on_team": "str",
        "kr_id": "str",
        "depends_on_kr_id": "str",
        "description": "str",
        "status": "str",
        "due_date": "date",
        "quarter": "str",
    },
    "teams": {
        "team": "str",
        "department": "str",
        "parent_team": "str",
        "lead": "str",
    },
}

METRIC_TYPES = ("increase", "decrease", "binary", "stay_above", "stay_below")
UNASSIGNED = "Unassigned"

_DTYPES = {"str": "string", "float": "float64", "date": "datetime64[ns]"}


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    cols = SCHEMA[table]
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES[t]) for c, t in cols.items()})


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the table's columns (missing ones added empty) and dtypes.

    Values must already be clean (numbers numeric, dates dates); this only fixes dtypes.
    """
    out = {}
    n = len(frame)
    for col, kind in SCHEMA[table].items():
        s = frame[col] if col in frame.columns else pd.Series([None] * n, index=frame.index)
        if kind == "float":
            s = pd.to_numeric(s, errors="coerce").astype("float64")
        elif kind == "date":
            s = pd.to_datetime(s, errors="coerce").astype("datetime64[ns]")
        else:
            s = s.astype("string")
        out[col] = s
    return pd.DataFrame(out).reset_index(drop=True)


@dataclass(frozen=True)
class Dataset:
    """The five typed tables of one OKR data set (see module docstring for the schema)."""

    objectives: pd.DataFrame
    key_results: pd.DataFrame
    checkins: pd.DataFrame
    dependencies: pd.DataFrame = field(default_factory=lambda: empty_frame("dependencies"))
    teams: pd.DataFrame = field(default_factory=lambda: empty_frame("teams"))

    @classmethod
    def empty(cls) -> Dataset:
        return cls(**{t: empty_frame(t) for t in SCHEMA})

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame) -> Dataset:
        """Build a Dataset from loosely typed frames (tests, generators): dtypes are fixed."""
        return cls(**{t: conform(t, frames.get(t, empty_frame(t))) for t in SCHEMA})

    def tables(self) -> dict[str, pd.DataFrame]:
        return {t: getattr(self, t) for t in SCHEMA}

    @property
    def quarters(self) -> list[str]:
        """Quarters present in the data, oldest first."""
        return sorted(self.objectives["quarter"].dropna().unique().tolist())

    @property
    def is_empty(self) -> bool:
        return self.objectives.empty
