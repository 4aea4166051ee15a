"""What every view starts from: the filters, the filter bar's options, and the ``Base`` (a snapshot
and its signals) that each page's view model filters and shapes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from okrdata import asof, display, metrics, signals
from okrdata.calendar import quarter_bounds
from okrdata.config import Config
from okrdata.model import UNASSIGNED, Dataset
from okrdata.snapshot import Snapshot, build

RISK_ORDER = ("ok", "at_risk", "overdue", "blocked")


@dataclass(frozen=True)
class Filters:
    """The shared filter bar: quarter, optional department and team, optional as-of date."""

    quarter: str
    department: str | None = None
    team: str | None = None
    as_of: pd.Timestamp | None = None

    def key(self) -> tuple[str, str | None, str | None, str | None]:
        """The filters as the app's caches key them: (quarter, department, team, as-of date as
        ISO text, None for the default date).

        >>> Filters("2026-Q3", "Sales", None, pd.Timestamp("2026-08-26")).key()
        ('2026-Q3', 'Sales', None, '2026-08-26T00:00:00')
        """
        as_of = None if self.as_of is None else self.as_of.isoformat()
        return self.quarter, self.department, self.team, as_of


@dataclass(frozen=True)
class Options:
    """What the filter bar offers."""

    quarters: list[str]
    default_quarter: str
    default_as_of: pd.Timestamp
    departments: list[str]
    teams: dict[str, list[str]]  # department -> teams; "" -> every team
    data_note: str | None = None  # "Data as of 16 Nov 2026, 20 days ago." when the data is old


def options(ds: Dataset, config: Config = Config(), today: pd.Timestamp | None = None) -> Options:
    """Quarters, departments and teams present in the data, and the default quarter and date."""
    quarters = ds.quarters
    dated = asof.data_date(ds, today, config)  # the one "as of" rule
    default_q = metrics.default_quarter(ds, dated.day, config) if quarters else ""
    as_of = metrics.default_as_of(default_q, dated.day, config) if quarters else dated.day
    pairs = pd.concat([ds.objectives[["department", "team"]], ds.teams[["department", "team"]]])
    pairs = pairs.dropna(subset=["team"]).fillna({"department": UNASSIGNED}).drop_duplicates()
    teams = {d: sorted(g["team"].tolist()) for d, g in pairs.groupby("department")}
    teams[""] = sorted(pairs["team"].unique().tolist())
    return Options(quarters, default_q, as_of, sorted(k for k in teams if k), teams, dated.note())


def past_quarter_note(quarter: str, as_of: pd.Timestamp, config: Config = Config()) -> str | None:
    """What the filter bar says when the chosen day is after the chosen quarter: every surface
    shows a past quarter as it stood on its last day (``snapshot.build`` caps the day).

    >>> past_quarter_note("2026-Q3", pd.Timestamp("2026-12-05"))
    '2026-Q3 ended on 30 Sep 2026: every page shows it as it stood then.'
    >>> past_quarter_note("2026-Q3", pd.Timestamp("2026-09-30")) is None
    True
    """
    end = quarter_bounds(quarter, config.fiscal_start_month)[1]
    if pd.Timestamp(as_of).normalize() <= end:
        return None
    return f"{quarter} ended on {display.date(end)}: every page shows it as it stood then."


@dataclass(frozen=True)
class Base:
    """A snapshot and the quarter's signals: what every view of one quarter reads."""

    snap: Snapshot
    krs: pd.DataFrame  # the quarter's KRs (metrics.kr_progress columns and titles)
    found: pd.DataFrame  # the quarter's signals

    @property
    def ds(self) -> Dataset:
        return self.snap.ds

    @property
    def quarter(self) -> str:
        return self.snap.quarter

    @property
    def as_of(self) -> pd.Timestamp:
        return self.snap.as_of

    @property
    def elapsed(self) -> float:
        return self.snap.elapsed

    @property
    def data_note(self) -> str | None:
        """The sentence "Data as of 16 Nov 2026, 20 days ago." when the data is old (``asof``)."""
        return self.snap.data_date.note()

    @property
    def objs(self) -> pd.DataFrame:
        """Every quarter's objectives (metrics.objective_progress)."""
        return self.snap.objs

    @property
    def config(self) -> Config:
        return self.snap.config


def base(
    ds: Dataset,
    quarter: str | None,
    as_of: pd.Timestamp | None,
    config: Config = Config(),
    today: pd.Timestamp | None = None,
) -> Base:
    """Compute once what every view of ``quarter`` needs (see ``snapshot.build`` for defaults)."""
    return from_snapshot(build(ds, quarter, as_of, config, today))


def from_snapshot(snap: Snapshot) -> Base:
    """The snapshot with its quarter's KR titles and signals."""
    titles = snap.ds.objectives[["objective_id", "objective"]].drop_duplicates("objective_id")
    title = titles.set_index("objective_id")["objective"]
    # assign, not merge: the quarter's KR columns are shared with the snapshot, not copied
    krs = snap.qkrs.assign(objective=snap.qkrs["objective_id"].map(title))
    return Base(snap, krs, signals.compute_signals(snap))


def _narrow(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    if f.team:
        return frame[frame["team"] == f.team]
    if f.department:
        return frame[frame["department"] == f.department]
    return frame


def _quarter_objs(b: Base, f: Filters) -> pd.DataFrame:
    return _narrow(b.objs[b.objs["quarter"] == b.quarter], f)


def empty_selection(b: Base, f: Filters) -> str | None:
    """What to do next when the selection has no objectives in the quarter (None when it has):
    a department or team in the teams table without OKRs this quarter, for instance."""
    if len(_quarter_objs(b, f)):
        return None
    who = f.team or f.department or "The company"
    return (f"{who} has no objectives in {b.quarter}. Upload its OKRs on the Data page (“Update "
            "only these teams” keeps every other team's), or choose another quarter.")  # fmt: skip


def _with_pace(b: Base, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (one row per quarter and group) with ``expected``, the share of its quarter
    passed (1 for a quarter that ended), and ``in_progress``: the chosen quarter while the view
    is before its last day. Earlier quarters are shown at their ends (``_as_at_their_ends``)."""
    running = bool(b.elapsed < 1.0)
    now = (frame["quarter"] == b.quarter).to_numpy(bool) & running
    return frame.assign(expected=np.where(now, b.elapsed, 1.0), in_progress=now)
