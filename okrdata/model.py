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

from dataclasses import dataclass, field, replace

import pandas as pd
import pyarrow as pa

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
        "source_progress": "float",  # the exporting tool's own progress (0-1), when it gave one
        # the period of an objective spanning quarters ("Annual 2026", "H1 2026"): it is listed
        # with the same id in every quarter it covers, one row each; empty for one quarter's
        "period": "str",
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
        "current_as_of": "date",
        "source_progress": "float",  # the exporting tool's own progress (0-1), when it gave one
        # the quarter this row lists the key result in (its objective's row of that quarter),
        # and its period when it spans quarters, as for objectives
        "quarter": "str",
        "period": "str",
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
_EXACT = {kind: pd.api.types.pandas_dtype(name) for kind, name in _DTYPES.items()}


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
        if s.dtype == _EXACT[kind]:  # as DuckDB's results are: kept as it is
            pass
        elif kind == "float":
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
    def from_frames(
        cls, export_date: pd.Timestamp | None = None, **frames: pd.DataFrame
    ) -> Dataset:
        """Build a Dataset from loosely typed frames (tests, generators): dtypes and defaults."""
        typed = {t: conform(t, frames.get(t, empty_frame(t))) for t in SCHEMA}
        return settle(cls(**typed), export_date)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {t: getattr(self, t) for t in SCHEMA}

    @property
    def quarters(self) -> list[str]:
        """Quarters present in the data, oldest first."""
        return sorted(self.objectives["quarter"].dropna().unique().tolist())

    @property
    def is_empty(self) -> bool:
        return self.objectives.empty


def arrow_frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as pandas: text as ``string``, dates as ``datetime64`` (not objects)."""

    def strings(kind: pa.DataType) -> pd.StringDtype | None:
        text = pa.types.is_string(kind) or pa.types.is_large_string(kind)
        return pd.StringDtype() if text or str(kind) == "string_view" else None

    return table.to_pandas(types_mapper=strings, date_as_object=False)


@dataclass(frozen=True, eq=False)
class Typed:
    """One load's typed tables as an import stores them: the check-ins as the Arrow table
    DuckDB typed (the largest table by far), the others as settled pandas frames.

    An import writes its batch from these (``arrow``) and never copies the check-ins into
    pandas and back; the pandas ``Dataset`` (``dataset``) is built on first use only, by the
    callers that read it (the Data page's preview and session view, a "teams" import's merge),
    and kept.
    """

    objectives: pd.DataFrame
    key_results: pd.DataFrame
    checkins: pa.Table
    dependencies: pd.DataFrame
    teams: pd.DataFrame
    _built: list[Dataset] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, ds: Dataset) -> Typed:
        """A Dataset's tables, as an import stores them (its check-ins through Arrow)."""
        checkins = pa.Table.from_pandas(ds.checkins, preserve_index=False)
        return cls(ds.objectives, ds.key_results, checkins, ds.dependencies, ds.teams, [ds])

    def dataset(self) -> Dataset:
        """The tables as the pandas ``Dataset`` (the check-ins conformed), built once."""
        if not self._built:
            checkins = conform("checkins", arrow_frame(self.checkins))
            self._built.append(Dataset(self.objectives, self.key_results, checkins,
                                       self.dependencies, self.teams))  # fmt: skip
        return self._built[0]

    def with_key_results(self, key_results: pd.DataFrame) -> Typed:
        """The same tables with other key results (the check-ins are not copied)."""
        return replace(self, key_results=key_results, _built=[])

    def arrow(self) -> dict[str, pa.Table]:
        """Every table as Arrow, in ``SCHEMA``'s order: what the store inserts."""
        return {
            t: self.checkins if t == "checkins"
            else pa.Table.from_pandas(getattr(self, t), preserve_index=False)
            for t in SCHEMA
        }  # fmt: skip

    @property
    def quarters(self) -> list[str]:
        """Quarters present in the data, oldest first."""
        return sorted(self.objectives["quarter"].dropna().unique().tolist())

    def export_day(self, today: pd.Timestamp | None = None) -> pd.Timestamp:
        """``export_day`` of the check-ins, read from their dates alone."""
        dates = arrow_frame(self.checkins.select(["date"]))["date"].astype("datetime64[ns]")
        return export_day(pd.DataFrame({"date": dates}), today)


def export_day(checkins: pd.DataFrame, today: pd.Timestamp | None = None) -> pd.Timestamp:
    """The day an export stands for: its latest check-in not after ``today``, else ``today``.

    >>> c = pd.DataFrame({"date": pd.to_datetime(["2026-08-01", "2027-08-01"])})
    >>> export_day(c, pd.Timestamp("2026-11-23"))
    Timestamp('2026-08-01 00:00:00')
    """
    today = pd.Timestamp(today if today is not None else pd.Timestamp.today()).normalize()
    dates = checkins["date"]
    latest = dates[dates <= today].max() if len(dates) else pd.NaT
    return today if pd.isna(latest) else pd.Timestamp(latest).normalize()


def settle(ds: Dataset, export_date: pd.Timestamp | None = None) -> Dataset:
    """Fill every default once, at the file boundary; nothing downstream infers them again.

    - ``start_value`` 0, a guard rail's (stay_above/stay_below) its target: with no value of
      its own it holds its line until a check-in or current value breaks it; ``weight`` 1
      (negative weights count as 0);
    - ``metric_type``: given, else ``decrease`` when the target is below the start, else
      ``increase``;
    - ``current_as_of`` (the day ``current_value`` counts from): given, else ``export_date``,
      else the export's day (``export_day``);
    - a key result's ``quarter``: given, else every quarter its objective is listed in (one row
      each), with its objective's ``period``;
    - ``okr_type`` aspirational; ``level``: given, else ``company`` for an objective others align
      to that has no parent, ``department`` for one others align to, else ``team``;
    - ``department`` of an objective: the teams table's department for its team when given,
      else the okrs file's, else ``Unassigned`` (a conflict is a validation warning at ingest).

    Idempotent: settling settled data changes nothing.
    """
    k = ds.key_results.copy()
    stay = k["metric_type"].isin(["stay_above", "stay_below"]).to_numpy(bool, na_value=False)
    k["start_value"] = k["start_value"].fillna(k["target_value"].where(stay)).fillna(0.0)
    k["weight"] = k["weight"].fillna(1.0).clip(lower=0.0)
    down = (k["target_value"] < k["start_value"]).to_numpy(bool, na_value=False)
    inferred = pd.Series(pd.array(["increase"] * len(k), dtype="string"), index=k.index)
    inferred[down] = "decrease"
    k["metric_type"] = k["metric_type"].where(k["metric_type"].isin(METRIC_TYPES), inferred)
    day = export_date if export_date is not None else export_day(ds.checkins)
    k["current_as_of"] = k["current_as_of"].fillna(pd.Timestamp(day).normalize())
    k = _listed_quarters(k, ds.objectives)
    o = ds.objectives.copy()
    o["okr_type"] = o["okr_type"].fillna("aspirational")
    parents = set(o["parent_objective_id"].dropna())
    aligned_to = o["objective_id"].isin(parents)
    guess = pd.Series("team", index=o.index, dtype="string")
    guess[aligned_to] = "department"
    guess[aligned_to & o["parent_objective_id"].isna()] = "company"
    o["level"] = o["level"].fillna(guess)
    teams = ds.teams.dropna(subset=["team", "department"]).drop_duplicates("team")
    listed = o["team"].map(teams.set_index("team")["department"]).astype("string")
    o["department"] = listed.fillna(o["department"]).fillna(UNASSIGNED).astype("string")
    return Dataset(o, k, ds.checkins, ds.dependencies, ds.teams)


def _listed_quarters(k: pd.DataFrame, objectives: pd.DataFrame) -> pd.DataFrame:
    """Key results without a quarter, listed in every quarter of their objective."""
    missing = k["quarter"].isna().to_numpy(bool)
    if not missing.any():
        return k
    rows = objectives[["objective_id", "quarter", "period"]].drop_duplicates(
        ["objective_id", "quarter"]
    )
    placed = (
        k[missing].drop(columns=["quarter", "period"]).merge(rows, on="objective_id", how="left")
    )
    placed = placed[list(k.columns)]
    out = pd.concat([k[~missing], placed], ignore_index=True)
    return out.astype(k.dtypes.to_dict())


# how stores written before one id per objective named a spanning item's row of one quarter:
# "<id>@<quarter>" (``unify_copies`` reads them as the one id they are)
_COPY = r"@\d{4}-Q[1-4]$"


def base_ids(ids: pd.Series) -> pd.Series:
    """Ids without the quarter of an old copy (``O1@2026-Q3`` -> ``O1``).

    >>> base_ids(pd.Series(["O1@2026-Q3", "O1@2026-Q4", "O2"])).tolist()
    ['O1', 'O1', 'O2']
    """
    return ids.astype("string").str.replace(_COPY, "", regex=True)


def _has_copies(ids: pd.Series) -> bool:
    return bool(ids.astype("string").str.contains(_COPY, regex=True).fillna(False).any())


def span_label(quarters: pd.Series) -> str | None:
    """The period mark of an item listed in several quarters: its first and last quarters.

    >>> span_label(pd.Series(["2026-Q2", "2026-Q1"]))
    'Q1 2026 – Q2 2026'
    >>> span_label(pd.Series(["2026-Q3"])) is None
    True
    """
    q = sorted(set(quarters.dropna()))
    if len(q) < 2:
        return None
    return f"{q[0][-2:]} {q[0][:4]} – {q[-1][-2:]} {q[-1][:4]}"


def unify_copies(ds: Dataset) -> Dataset:
    """The data of a store written before one id per objective, as one id per objective.

    Those stores hold an objective or key result spanning quarters as one copy per quarter,
    ``<id>@<quarter>``, each with the check-ins dated in its quarter. Read back: the copies
    are the one id, listed in each quarter as before (a key result's ``quarter`` is its
    copy's), marked with its period (``span_label`` where none is stored), its check-ins once
    per day (the latest row of a day wins); a parent or a dependency named by a copy names the
    id. Data without copies comes back unchanged (the same object).

    >>> old = Dataset.from_frames(objectives=pd.DataFrame({
    ...     "objective_id": ["O1@2026-Q1", "O1@2026-Q2"], "objective": ["Grow"] * 2,
    ...     "quarter": ["2026-Q1", "2026-Q2"], "team": ["A"] * 2}))
    >>> new = unify_copies(old)
    >>> new.objectives[["objective_id", "quarter", "period"]].values.tolist()
    [['O1', '2026-Q1', 'Q1 2026 – Q2 2026'], ['O1', '2026-Q2', 'Q1 2026 – Q2 2026']]
    """
    o, k, c, d = ds.objectives, ds.key_results, ds.checkins, ds.dependencies
    if not (_has_copies(o["objective_id"]) or _has_copies(k["kr_id"])):
        return ds
    o = o.copy()
    o["objective_id"] = base_ids(o["objective_id"])
    o["parent_objective_id"] = base_ids(o["parent_objective_id"])
    o = o.drop_duplicates(["objective_id", "quarter"])
    k = k.copy()
    # a copy's quarter is its objective's row's; a key result without a copy: its objective's
    quarter_of_copy = k["objective_id"].map(
        ds.objectives.drop_duplicates("objective_id").set_index("objective_id")["quarter"]
    )
    k["quarter"] = k["quarter"].fillna(quarter_of_copy).astype("string")
    k["kr_id"] = base_ids(k["kr_id"])
    k["objective_id"] = base_ids(k["objective_id"])
    k = k.drop_duplicates(["kr_id", "quarter"])
    for frame, key in ((o, "objective_id"), (k, "kr_id")):
        spans = frame.groupby(key)["quarter"].agg(span_label)
        frame["period"] = frame["period"].fillna(frame[key].map(spans)).astype("string")
    c = c.assign(kr_id=base_ids(c["kr_id"])).drop_duplicates(["kr_id", "date"], keep="last")
    d = d.assign(kr_id=base_ids(d["kr_id"]), depends_on_kr_id=base_ids(d["depends_on_kr_id"]))
    frames = {"objectives": o, "key_results": k, "checkins": c, "dependencies": d}
    return Dataset(**{t: conform(t, f) for t, f in frames.items()}, teams=ds.teams)


def distinct_counts(ds: Dataset | Typed) -> dict[str, int]:
    """What a summary counts: distinct objectives and key results (one listed in several
    quarters is one), check-ins, dependencies and teams.

    >>> distinct_counts(Dataset.empty())["objectives"]
    0
    """
    return {
        "objectives": int(ds.objectives["objective_id"].nunique()),
        "key_results": int(ds.key_results["kr_id"].nunique()),
        "checkins": len(ds.checkins),
        "dependencies": len(ds.dependencies),
        "teams": len(ds.teams),
    }
