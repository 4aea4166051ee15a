"""One frozen snapshot of the data for (quarter, as of, settings): every surface computes from it.

The pages (through ``views``), the HTML report and every CLI command build a ``Snapshot`` once
and read their numbers from it, so the same thing shows the same number everywhere. The rules
it fixes (README "Computation"):

- **Dates.** The default day is today, unless the data is old (``okrdata.asof``: its newest
  check-in more than ``stale_data_days`` before today): then it is that check-in's day.
  Default quarter: the latest quarter with objectives that has started by the default day.
  Default as of: the default day, capped at the quarter's end; a past quarter is always seen
  as it stood at its end. A check-in dated after today never moves a default.
- **A dependency's quarter:** its own quarter, else its key result's (one spanning quarters:
  its due date's quarter when the key result is listed then, else its first), else its due
  date's; with none of them it belongs to every quarter.
- **A team's department:** the teams table's when given, else the okrs file's
  (``model.settle``).

>>> from okrdata.ingest import load_dir
>>> snap = build(load_dir("sample_data").dataset, today=pd.Timestamp("2026-11-16"))
>>> snap.quarter, f"{snap.as_of:%Y-%m-%d}"
('2026-Q4', '2026-11-16')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from okrdata.asof import DataDate, data_date
from okrdata.calendar import elapsed_fraction, quarter_bounds, quarter_of, quarters_of
from okrdata.config import Config, SignalThresholds
from okrdata.metrics import (
    History,
    default_as_of,
    default_quarter,
    kr_progress_with_history,
    objective_progress,
    row_key,
    today_or,
)
from okrdata.model import UNASSIGNED, Dataset


@dataclass(frozen=True)
class Snapshot:
    """The data, its progress and pace as of one date, for one quarter and one set of settings."""

    ds: Dataset
    quarter: str
    as_of: pd.Timestamp  # capped at the quarter's end
    today: pd.Timestamp
    closed: bool  # the date asked for lies after the quarter's end: it is seen at its end
    config: Config
    krs: pd.DataFrame  # metrics.kr_progress of every quarter; its index is History.k
    history: History
    objs: pd.DataFrame  # metrics.objective_progress of every quarter
    dependencies: pd.DataFrame  # every dependency; ``quarter`` filled by the one rule
    data_date: DataDate  # the data's newest day and whether it is old (``okrdata.asof``)

    @property
    def thresholds(self) -> SignalThresholds:
        return self.config.signals

    @cached_property
    def bounds(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return quarter_bounds(self.quarter, self.config.fiscal_start_month)

    @cached_property
    def elapsed(self) -> float:
        """The expected pace: the share of the quarter's days passed by the end of ``as_of``."""
        return elapsed_fraction(self.quarter, self.as_of, self.config.fiscal_start_month)

    @cached_property
    def qkrs(self) -> pd.DataFrame:
        """The quarter's KRs (index = row in ``krs``, as ``history.k``)."""
        return self.krs[(self.krs["quarter"] == self.quarter).to_numpy(bool, na_value=False)]

    @cached_property
    def qobjs(self) -> pd.DataFrame:
        return self.objs[(self.objs["quarter"] == self.quarter).to_numpy(bool, na_value=False)]

    @cached_property
    def qdependencies(self) -> pd.DataFrame:
        """The quarter's dependencies (and those that belong to every quarter)."""
        d = self.dependencies
        return d[(d["quarter"].isna() | (d["quarter"] == self.quarter)).to_numpy(bool)]

    @cached_property
    def team_department(self) -> pd.Series:
        """Department of each team: the teams table, else its objectives."""
        return team_departments(self.ds)


def team_departments(ds: Dataset) -> pd.Series:
    """team → department: the teams table's when given, else the team's objectives'."""
    t = ds.teams.dropna(subset=["team", "department"]).drop_duplicates("team")
    o = ds.objectives.dropna(subset=["team"]).drop_duplicates("team", keep="last")
    both = pd.concat([t[["team", "department"]], o[["team", "department"]]])
    return both.drop_duplicates("team").set_index("team")["department"].fillna(UNASSIGNED)


def dependency_quarters(ds: Dataset, krs: pd.DataFrame, config: Config) -> pd.Series:
    """The quarter each dependency belongs to: its own, else its KR's (a KR spanning quarters:
    its due date's quarter when the KR is listed in it, else the KR's first), else its due
    date's."""
    d = ds.dependencies
    k = krs[["kr_id", "quarter"]]
    spans = k["kr_id"].duplicated(keep=False).to_numpy(bool)  # listed in several quarters
    first = k[spans].sort_values("quarter", kind="stable")
    first = pd.concat([k[~spans], first]).drop_duplicates("kr_id").set_index("kr_id")["quarter"]
    kr_quarter = d["kr_id"].map(first)
    due = quarters_of(d["due_date"], config.fiscal_start_month)
    if spans.any():
        listed = row_key(d["kr_id"], due).isin(
            row_key(k.loc[spans, "kr_id"], k.loc[spans, "quarter"])
        )
        kr_quarter = kr_quarter.where(~listed.to_numpy(bool), due)
    return d["quarter"].fillna(kr_quarter).fillna(due).astype("string")


def build(
    ds: Dataset,
    quarter: str | None = None,
    as_of: pd.Timestamp | None = None,
    config: Config = Config(),
    today: pd.Timestamp | None = None,
) -> Snapshot:
    """The snapshot for ``quarter`` as of ``as_of`` (defaults: see the module docstring).

    Without a quarter, an ``as_of`` picks the quarter that contains it.
    """
    today = today_or(today)
    dated = data_date(ds, today, config)
    asked = pd.Timestamp(as_of).normalize() if as_of is not None else None
    if not quarter:
        if asked is not None:
            quarter = quarter_of(asked, config.fiscal_start_month)
        else:
            quarter = default_quarter(ds, dated.day, config)
    end = quarter_bounds(quarter, config.fiscal_start_month)[1]
    day = asked if asked is not None else default_as_of(quarter, dated.day, config)
    closed = bool(day > end)
    day = min(day, end)
    krs, h = kr_progress_with_history(ds, day, config)
    objs = objective_progress(ds, krs, config)
    deps = ds.dependencies.assign(quarter=dependency_quarters(ds, krs, config))
    return Snapshot(ds, quarter, day, today, closed, config, krs, h, objs, deps, dated)
