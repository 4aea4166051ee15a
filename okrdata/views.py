"""View models: what each page shows, as frozen dataclasses of frames and headline numbers.

Progress and signals are computed once per (data, quarter, as-of, settings) in a ``Base`` (a
``snapshot.Snapshot`` and its signals); each view then filters and shapes it for a department or
team. Pages and the HTML report only render these, so they show the same numbers.

>>> from okrdata.ingest import load_dir
>>> ds = load_dir("sample_data").dataset
>>> opts = options(ds, today=pd.Timestamp("2026-11-16"))
>>> b = base(ds, opts.default_quarter, opts.default_as_of)
>>> ov = overview(b, Filters(opts.default_quarter))
>>> list(ov.headline)[:3]
['Objectives', 'Key results', 'On track']
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from okrdata import asof, display, metrics, reconcile, signals, triage
from okrdata.calendar import quarter_bounds
from okrdata.config import Config
from okrdata.health import okr_health
from okrdata.model import UNASSIGNED, Dataset
from okrdata.snapshot import Snapshot, build

ROOT = "__company__"
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
    return f"{quarter} ended on {end:%d %b %Y}: every page shows it as it stood then."


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


# Overview -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    headline: dict[str, str]
    company: pd.DataFrame  # the top objectives of the selection
    departments: pd.DataFrame
    top_risks: pd.DataFrame
    health: pd.DataFrame  # OKR health per department (health.okr_health)
    team_health: pd.DataFrame  # per team of the chosen department (empty for the company)
    elapsed: float
    as_of: pd.Timestamp
    on_track_share: float
    empty_note: str | None = None  # the selection has no objectives: what to do next


def overview(b: Base, f: Filters) -> Overview:
    """Headline numbers, top objectives against pace, departments side by side, top risks."""
    krs, objs = _narrow(b.krs, f), _quarter_objs(b, f)
    found = _narrow(b.found, f)
    rated = krs["status"].dropna()
    on_track = float(rated.isin(["done", "on_track"]).mean()) if len(rated) else float("nan")
    headline = {
        "Objectives": f"{len(objs):,}",
        "Key results": f"{len(krs):,}",
        "On track": _pct(on_track),
        "Average progress": _pct(metrics.selection_progress(objs)),
        "Expected pace": _pct(b.elapsed),
        "High-severity signals": f"{int((found['severity'] == 'high').sum()):,}",
    }
    level = "team" if f.team else "department" if f.department else "company"
    top = objs[objs["level"] == level]
    cols = ["objective_id", "objective", "team", "progress", "expected", "status"]
    k = krs.assign(good=krs["status"].isin(["done", "on_track"]))
    share = k.groupby("department")["good"].mean().rename("on_track_share")
    depts = metrics.department_progress(objs, b.config).merge(share, on="department", how="left")
    depts = depts.rename(columns={"n_objectives": "objectives"})[
        ["department", "objectives", "progress", "expected", "status", "on_track_share"]
    ]
    health = okr_health(b.ds, b.krs, b.objs, b.as_of, b.config, quarter=b.quarter)
    teams = health.iloc[0:0]
    if f.department or f.team:
        dept = f.department or (objs["department"].iloc[0] if len(objs) else None)
        health = health[health["department"] == dept]
        teams = team_health(b)
        teams = teams[teams["team"] == f.team] if f.team else teams[teams["department"] == dept]
    return Overview(headline, top[cols].reset_index(drop=True), depts, top_risks(krs, b.as_of),
                    health.reset_index(drop=True), teams.reset_index(drop=True), b.elapsed,
                    b.as_of, on_track, empty_selection(b, f))  # fmt: skip


def team_health(b: Base) -> pd.DataFrame:
    """OKR health per team of the quarter, by department and team (without the team count and
    objectives per team, which for one team say nothing the objective count does not)."""
    teams = okr_health(b.ds, b.krs, b.objs, b.as_of, b.config, "team", b.quarter)
    teams = teams.drop(columns=["n_teams", "objectives_per_team"])
    return teams.sort_values(["department", "team"], kind="stable").reset_index(drop=True)


def lowest_discipline(teams: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` teams of ``teams`` with the lowest check-in discipline (the first
    conversations to have), still by department and team."""
    low = teams.sort_values(["checkin_discipline", "department", "team"], kind="stable").head(n)
    return low.sort_values(["department", "team"], kind="stable").reset_index(drop=True)


def top_risks(krs: pd.DataFrame, as_of: pd.Timestamp, n: int = 10) -> pd.DataFrame:
    """The off-track key results furthest behind pace, with the reason in words."""
    off = (krs["status"] == "off_track").to_numpy(bool, na_value=False)
    k = krs.assign(behind=krs["expected"] - krs["score"])[off]  # assign on an empty frame would
    # adopt the Series' index: a phantom row
    k = k.sort_values(["behind", "kr_id"], ascending=[False, True]).head(n).reset_index(drop=True)
    quiet = (as_of - k["last_checkin"]).dt.days
    code = k["metric_code"].to_numpy()
    points = (k["behind"] * 100).round().astype("int64").astype(str) + " points behind pace"
    reason = pd.Series(np.select(
        [code == metrics.BINARY, code > metrics.BINARY],
        ["not done yet", "the line it should hold is broken"], points,
    ), index=k.index, dtype=object)  # fmt: skip
    since = "; last check-in " + quiet.astype("Int64").astype(str) + " days ago"
    reason = reason + since.where(quiet.notna(), "; no check-in yet").fillna("; no check-in yet")
    return pd.DataFrame({
        "team": k["team"], "objective": k["objective"], "key_result": k["key_result"].fillna(k["kr_id"]),
        "progress": k["score"], "expected": k["expected"], "status": k["status"],
        "reason": reason.astype("string"),
    })  # fmt: skip


def _pct(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:.0%}"


# Alignment ----------------------------------------------------------------------------------


MAX_TREE_OBJECTIVES = 300  # what a sunburst can show legibly


@dataclass(frozen=True)
class Alignment:
    tree: pd.DataFrame  # id, parent, label, level, status, progress, team
    shares: pd.DataFrame
    unaligned: pd.DataFrame
    broken_links: pd.DataFrame
    shown: int  # objectives in the tree: at most MAX_TREE_OBJECTIVES, the most at risk first
    total: int  # objectives in the selection
    unaligned_note: str  # what an empty list of unaligned objectives means


def most_at_risk(objs: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` objectives furthest behind pace (unmeasured last), and the ones they align to."""
    if len(objs) <= n:
        return objs
    behind = (objs["expected"] - objs["progress"]).fillna(-np.inf)
    keep = set(
        objs.loc[behind.sort_values(ascending=False, kind="stable").index[:n], "objective_id"]
    )
    parent = dict(zip(objs["objective_id"], objs["parent_objective_id"], strict=True))
    todo = list(keep)
    while todo:  # their parents, so each shown objective sits where it belongs
        up = parent.get(todo.pop())
        if isinstance(up, str) and up in parent and up not in keep:
            keep.add(up)
            todo.append(up)
    return objs[objs["objective_id"].isin(keep)]


def alignment(b: Base, f: Filters) -> Alignment:
    """The objective tree company → department → team, shares, unaligned and broken links.

    The tree holds at most ``MAX_TREE_OBJECTIVES`` objectives: the most at risk, with their
    parents; the tables cover every objective of the selection.
    """
    every = b.objs[b.objs["quarter"] == b.quarter]
    whole = _quarter_objs(b, f)
    objs = most_at_risk(whole, MAX_TREE_OBJECTIVES)
    ids = set(objs["objective_id"])
    dept_node = "dept::" + objs["department"].fillna(UNASSIGNED)
    parent = objs["parent_objective_id"]
    has_parent = parent.notna() & parent.isin(ids)
    parents = parent.where(has_parent, np.where(objs["level"] == "company", ROOT, dept_node))
    depts = sorted(set(dept_node))
    tree = pd.concat([
        pd.DataFrame({"id": [ROOT], "parent": [""], "label": ["Company"], "level": ["root"],
                      "status": [None], "progress": [np.nan], "team": [None]}),
        pd.DataFrame({"id": depts, "parent": ROOT, "label": [d[6:] for d in depts],
                      "level": "department_group", "status": None, "progress": np.nan,
                      "team": None}),
        pd.DataFrame({"id": objs["objective_id"], "parent": parents, "label": objs["objective"],
                      "level": objs["level"], "status": objs["status"],
                      "progress": objs["progress"], "team": objs["team"]}),
    ], ignore_index=True)  # fmt: skip
    objs = whole
    parent = objs["parent_objective_id"]
    below = objs[objs["level"] != "company"]
    linked = below["aligned"].to_numpy(bool)
    shares = (
        below.groupby("department")
        .agg(objectives=("objective_id", "size"), aligned=("aligned", "sum"))
        .reset_index()
    )
    shares["alignment_share"] = shares["aligned"] / shares["objectives"]
    cols = ["objective_id", "objective", "team", "department", "level"]
    has_company = (every["level"] == "company").any()
    unaligned = below[~linked][cols] if has_company else below.iloc[0:0][cols]
    note = (
        "Every objective below company level is linked to a parent in the data."
        if has_company
        else f"{b.quarter} has no company-level objectives, so none is listed as unaligned: add "
        "the company's objectives (level company) and link the others to them "
        "(parent_objective_id)."
    )
    known = set(b.ds.objectives["objective_id"])
    broken = objs[parent.notna() & ~parent.isin(known)]
    broken = broken[["objective_id", "objective", "team", "parent_objective_id"]]
    return Alignment(tree, shares, unaligned.reset_index(drop=True), broken.reset_index(drop=True),
                     len(tree) - 1 - len(depts), len(whole), note)  # fmt: skip


# Dependencies -------------------------------------------------------------------------------


MAX_GRAPH_TEAMS = 150  # a larger graph shows its at-risk part first


@dataclass(frozen=True)
class Dependencies:
    nodes: pd.DataFrame  # team, department, risk, open_in, open_out (the quarter's, unfiltered)
    edges: pd.DataFrame  # team, depends_on_team, status, due_date, risk, reason, description
    at_risk: pd.DataFrame
    bottlenecks: pd.DataFrame  # team, unresolved
    cycles: list[list[str]]
    graph_nodes: pd.DataFrame  # what the graph draws: every team, or the at-risk part
    graph_edges: pd.DataFrame
    graph_note: str  # what the graph leaves out, in words ("" when it shows everything)


def focus_graph(
    nodes: pd.DataFrame, edges: pd.DataFrame, limit: int = MAX_GRAPH_TEAMS
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Over ``limit`` teams: the unresolved dependencies at risk (most severe first) and their teams."""
    if len(nodes) <= limit:
        return nodes, edges, ""
    risky = edges[(edges["status"] != "done") & (edges["risk"] != "ok")]
    rank = risky["risk"].map(RISK_ORDER.index)
    risky = risky.loc[rank.sort_values(ascending=False, kind="stable").index]
    teams: set[str] = set()
    keep = []
    for i, a, c in zip(risky.index, risky["team"], risky["depends_on_team"], strict=True):
        if len(teams | {a, c}) > limit:
            break
        teams |= {a, c}
        keep.append(i)
    note = (f"{len(nodes):,} teams depend on each other: the graph shows the {len(keep):,} "
            f"dependencies at risk between {len(teams):,} teams; the tables list every one.")  # fmt: skip
    return nodes[nodes["team"].isin(teams)], edges.loc[keep], note


def dependencies(b: Base, f: Filters) -> Dependencies:
    """The team dependency graph of the quarter, risks, bottleneck teams and cycles.

    A department or team sees the dependencies it is part of; a team's counts (``open_in``,
    ``open_out``) and whether it is a bottleneck count every unresolved dependency of the
    quarter, as the ``dependency_risk`` signal does: a provider outside the department that
    the department waits on is listed with the count its signal gives.
    """
    d = b.snap.qdependencies
    if f.team:
        d = d[(d["team"] == f.team) | (d["depends_on_team"] == f.team)]
    elif f.department:
        dept = b.snap.team_department
        in_dept = set(dept.index[dept == f.department])
        d = d[d["team"].isin(in_dept) | d["depends_on_team"].isin(in_dept)]
    edges = _edge_risk(d.reset_index(drop=True), b)
    open_ = edges[edges["status"] != "done"]
    dept = b.snap.team_department
    teams = sorted(set(edges["team"]) | set(edges["depends_on_team"]))
    worst = open_.groupby("team")["risk"].agg(lambda r: max(r, key=RISK_ORDER.index))
    nodes = pd.DataFrame({"team": teams})
    nodes["department"] = nodes["team"].map(dept).fillna(UNASSIGNED)
    nodes["risk"] = nodes["team"].map(worst).astype("string").fillna("ok")
    every = signals.unresolved(b.snap.qdependencies)  # counts: as the bottleneck signal's
    nodes["open_in"] = (
        nodes["team"].map(every["depends_on_team"].value_counts()).fillna(0).astype(int)
    )
    nodes["open_out"] = nodes["team"].map(every["team"].value_counts()).fillna(0).astype(int)
    limit = b.config.signals.bottleneck_dependencies
    bottlenecks = nodes.loc[nodes["open_in"] >= limit, ["team", "department", "open_in"]]
    bottlenecks = bottlenecks.rename(columns={"open_in": "unresolved"}).sort_values(
        ["unresolved", "team"], ascending=[False, True])  # fmt: skip
    graph = nx.DiGraph(list(zip(open_["team"], open_["depends_on_team"], strict=True)))
    cycles = [c for _, c in zip(range(20), nx.simple_cycles(graph), strict=False)]
    at_risk = open_[open_["risk"] != "ok"]
    return Dependencies(nodes, edges, at_risk.reset_index(drop=True),
                        bottlenecks.reset_index(drop=True), cycles, *focus_graph(nodes, edges))  # fmt: skip


def _edge_risk(d: pd.DataFrame, b: Base) -> pd.DataFrame:
    status = d["status"].fillna("open")
    unresolved = status != "done"
    provider = d["depends_on_kr_id"].map(
        b.snap.krs.drop_duplicates("kr_id").set_index("kr_id")["status"]
    )
    overdue = unresolved & (d["due_date"] < b.as_of)
    late_kr = unresolved & provider.isin(["at_risk", "off_track"])
    blocked = unresolved & (status == "blocked")
    risk = np.select([blocked, overdue, late_kr], ["blocked", "overdue", "at_risk"], "ok")
    days = (b.as_of - d["due_date"]).dt.days
    reason = np.select(
        [blocked, overdue, late_kr],
        ["marked blocked", "due " + days.astype("Int64").astype(str) + " days ago",
         "the provider's key result is " + provider.fillna("").str.replace("_", " ")],
        "",
    )  # fmt: skip
    cols = ["team", "depends_on_team", "kr_id", "depends_on_kr_id", "description", "due_date"]
    return d[cols].assign(status=status, risk=risk, reason=reason)


# Trends -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trends:
    burnup: pd.DataFrame  # date, progress, expected, forecast
    heatmap: pd.DataFrame  # rows: teams (or departments), columns: week starts, values: count
    quarters: pd.DataFrame  # quarter, department, progress, expected, in_progress
    # quarter, okr_type, mean_score, target_low, target_high, expected, in_progress
    calibration: pd.DataFrame


def trends(b: Base, f: Filters) -> Trends:
    """Burn-up against pace and forecast, check-in rhythm, quarter over quarter, calibration."""
    krs = _narrow(b.krs, f)
    burn = metrics.burnup(krs, b.snap.history, b.as_of, b.quarter, b.config)
    by = "team" if (f.team or f.department) else "department"
    heat = _checkin_heatmap(b, krs, by)
    objs = _as_at_their_ends(b, _narrow(b.objs, f))
    quarters = metrics.department_progress(objs, b.config)[["quarter", "department", "progress"]]
    quarters = _with_pace(b, quarters)
    calib = (
        metrics.measured(objs).groupby(["quarter", "okr_type"], as_index=False)["progress"].mean()
    )
    calib = _with_pace(b, calib.rename(columns={"progress": "mean_score"}))
    low, high = b.config.aspirational_band
    asp = calib["okr_type"] == "aspirational"
    pace = calib["expected"]  # a quarter in progress is held to its pace, not to a whole quarter
    calib["target_low"] = np.where(asp, low, b.config.committed_target) * pace
    calib["target_high"] = np.where(asp, high, b.config.committed_target) * pace
    calib = calib[["quarter", "okr_type", "mean_score", "target_low", "target_high", "expected",
                   "in_progress"]]  # fmt: skip
    return Trends(burn, heat, quarters, calib)


def in_progress_note(tr: Trends, config: Config = Config()) -> str | None:
    """What Trends says of a quarter in progress in its quarter-over-quarter and calibration
    charts (None when every quarter shown has ended).

    >>> q = pd.DataFrame({"quarter": ["2026-Q3"], "expected": [0.5], "in_progress": [True]})
    >>> in_progress_note(Trends(pd.DataFrame(), pd.DataFrame(), q, q))
    '2026-Q3 is in progress (50% of it has passed): it is held to its pace, 30%–35% for aspirational goals and 50% for committed ones (the grey marks), not to a finished quarter.'
    """
    now = tr.quarters[tr.quarters["in_progress"].fillna(False).astype(bool)]
    if now.empty:
        return None
    quarter, f = now["quarter"].iloc[0], float(now["expected"].iloc[0])
    low, high = config.aspirational_band
    return (f"{quarter} is in progress ({display.pct(f)} of it has passed): it is held to its "
            f"pace, {display.pct(low * f)}–{display.pct(high * f)} for aspirational goals and "
            f"{display.pct(config.committed_target * f)} for committed ones (the grey marks), "
            "not to a finished quarter.")  # fmt: skip


def _with_pace(b: Base, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (one row per quarter and group) with ``expected``, the share of its quarter
    passed (1 for a quarter that ended), and ``in_progress``: the chosen quarter while the view
    is before its last day. Earlier quarters are shown at their ends (``_as_at_their_ends``)."""
    running = bool(b.elapsed < 1.0)
    now = (frame["quarter"] == b.quarter).to_numpy(bool) & running
    return frame.assign(expected=np.where(now, b.elapsed, 1.0), in_progress=now)


def _monday(day: pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(day).normalize() - pd.Timedelta(days=pd.Timestamp(day).day_of_week)


def _checkin_heatmap(b: Base, krs: pd.DataFrame, by: str) -> pd.DataFrame:
    """Check-ins per ``by`` (team or department) and week (starting Monday) of the quarter up
    to the as-of date: every team (or department) with key results in ``krs`` is a row and
    every week so far a column, so a silent team and a silent week show as zeros."""
    start = b.snap.bounds[0]
    c = b.ds.checkins
    seen = metrics.isin(c["kr_id"], krs["kr_id"])
    seen &= ((c["date"] >= start) & (c["date"] <= b.as_of)).to_numpy(bool)
    c = c.loc[seen, ["kr_id", "date"]]  # only the columns used: not a copy of every comment
    owner = krs.drop_duplicates("kr_id").set_index("kr_id")[by]
    week = c["date"].dt.normalize() - pd.to_timedelta(c["date"].dt.day_of_week, unit="D")
    rows = pd.Index(sorted(krs[by].dropna().unique()), name=by)
    weeks = pd.DatetimeIndex(
        pd.date_range(_monday(start), _monday(b.as_of), freq="7D") if b.as_of >= start else [],
        name="week",
    )
    counts = pd.crosstab(c["kr_id"].map(owner), week) if len(c) else pd.DataFrame()
    heat = counts.reindex(index=rows, columns=weeks, fill_value=0).astype("int64")
    heat.index.name, heat.columns.name = by, "week"
    return heat


def _as_at_their_ends(b: Base, objs: pd.DataFrame) -> pd.DataFrame:
    """``objs`` of the chosen quarter and of the quarters before it, each quarter that ended by
    the as-of date as it stood on its last day (its key results' scores on that day,
    ``metrics.scores_at``, weighted as ``objective_progress`` weighs them): what that quarter's
    own view shows. A check-in after a quarter's end never lifts it; later quarters are left out.
    """
    qt = metrics.quarter_table(objs["quarter"], b.as_of, b.config).set_index("quarter")
    end = objs["quarter"].map(qt["q_end"]).astype(float)
    chosen_end = metrics.day_number([b.snap.bounds[1]])[0]
    objs = objs[(end <= chosen_end).to_numpy(bool)].copy()
    today = metrics.day_number([b.as_of])[0]
    k = b.snap.krs
    for quarter, day in qt.loc[qt["q_end"] < today, "q_end"].items():
        mine = objs.loc[(objs["quarter"] == quarter).to_numpy(bool), "objective_id"]
        kq = k[metrics.isin(k["objective_id"], mine)]
        if kq.empty:
            continue
        score = pd.Series(metrics.scores_at(kq, b.snap.history, np.array([day]))[0], index=kq.index)
        progress = (score * metrics.kr_weights(kq)).groupby(kq["objective_id"]).sum()
        rows = (objs["quarter"] == quarter).to_numpy(bool) & (objs["n_krs"] > 0).to_numpy(bool)
        objs.loc[rows, "progress"] = objs.loc[rows, "objective_id"].map(progress)
    return objs


# Signals and Team ---------------------------------------------------------------------------


def signals_table(
    b: Base, f: Filters, kinds: tuple[str, ...] = (), severities: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The quarter's signals for the selection, most severe first."""
    found = _narrow(b.found, f)
    if kinds:
        found = found[found["signal"].isin(kinds)]
    if severities:
        found = found[found["severity"].isin(severities)]
    return found[SIGNAL_COLUMNS].reset_index(drop=True)


SIGNAL_COLUMNS = ["severity", "signal", "department", "team", "evidence", "question",
                  "objective_id", "kr_id", "quarter"]  # fmt: skip


@dataclass(frozen=True)
class TeamView:
    team: str
    department: str
    progress: float  # the team's progress (metrics.selection_progress of its objectives)
    status: str | None
    objectives: pd.DataFrame
    krs: pd.DataFrame
    checkins: pd.DataFrame
    depends_on: pd.DataFrame
    depended_by: pd.DataFrame
    signals: pd.DataFrame


def team_view(b: Base, f: Filters, team: str) -> TeamView:
    """One team's objectives, key results, check-ins (newest first), dependencies, signals."""
    dept = b.snap.team_department.get(team, UNASSIGNED)
    objs = b.snap.qobjs[(b.snap.qobjs["team"] == team).to_numpy(bool)]
    progress = metrics.selection_progress(objs)
    status = metrics.status_of([progress], [b.elapsed], b.config)[0]
    k = b.krs[b.krs["team"] == team]
    krs = k[["objective", "kr_id", "key_result", "score", "status", "current_value",
             "target_value", "unit", "last_checkin", "latest_confidence"]]  # fmt: skip
    c = b.ds.checkins
    c = c[metrics.isin(c["kr_id"], k["kr_id"]) & (c["date"] <= b.as_of)]
    c = c.assign(key_result=c["kr_id"].map(k.set_index("kr_id")["key_result"]))
    c = c.sort_values(["date", "kr_id"], ascending=[False, True])
    cols = ["date", "key_result", "value", "confidence", "status", "comment", "author"]
    deps = dependencies(b, Filters(b.quarter, team=team)).edges
    show = ["depends_on_team", "team", "description", "status", "due_date", "risk", "reason"]
    ocols = ["objective_id", "objective", "progress", "expected", "status"]
    if objs["source_progress"].notna().any() or k["source_progress"].notna().any():
        # the exporting tool's own figure beside ours, and why they differ (okrdata.reconcile)
        every = b.ds.checkins[metrics.isin(b.ds.checkins["kr_id"], k["kr_id"])]  # later ones too
        kr_why = reconcile.kr_reasons(k, every, b.as_of)
        o_why = reconcile.objective_reasons(objs, k, kr_why, b.as_of)
        objs = objs.assign(why_it_differs=pd.array(o_why, dtype="string"))
        krs = krs.assign(source_progress=k["source_progress"],
                         why_it_differs=pd.array(kr_why, dtype="string"))  # fmt: skip
        ocols += ["source_progress", "why_it_differs"]
    return TeamView(
        team, dept, progress, status,
        objs[ocols].reset_index(drop=True),
        krs.reset_index(drop=True), c[cols].reset_index(drop=True),
        deps.loc[deps["team"] == team, show[:1] + show[2:]].reset_index(drop=True),
        deps.loc[deps["depends_on_team"] == team, show[1:]].reset_index(drop=True),
        b.found.loc[b.found["team"] == team, SIGNAL_COLUMNS].reset_index(drop=True),
    )  # fmt: skip


# Triage and what changed: the view as of a date against the same view a week earlier ------------


def week_before(b: Base) -> pd.Timestamp:
    """The as-of date "new since" and "what changed" compare with: seven days earlier."""
    return b.as_of - triage.WEEK


@dataclass(frozen=True)
class Earlier:
    """What a view compares with (``changes``, ``triage_view``): the quarter's KR statuses and
    signals as of an earlier date. A Base without its snapshot (the check-in history, every
    quarter's KRs, the Dataset): at 20,000 teams about 20 MB instead of 0.55 GB."""

    krs: pd.DataFrame  # kr_id, status
    found: pd.DataFrame
    as_of: pd.Timestamp


def earlier(b: Base) -> Earlier:
    """``b`` as a later view compares with it."""
    return Earlier(b.krs[["kr_id", "status"]], b.found, b.as_of)


@dataclass(frozen=True)
class TriageView:
    teams: pd.DataFrame  # one row per team: department, team, high, warn, info, new, strongest
    signals: pd.DataFrame  # the rows shown, with new, state, triage and evidence_number
    n_hidden: int  # acknowledged or snoozed rows (left out unless asked for)
    n_new: int
    since: pd.Timestamp


TRIAGE_COLUMNS = ["severity", "signal", "new", "triage", "title", "evidence", "question",
                  "objective_id", "kr_id", "department", "team", "quarter", "state",
                  "evidence_number"]  # fmt: skip


def triage_view(
    b: Base,
    prev: Base | Earlier,
    f: Filters,
    actions: pd.DataFrame,
    kinds: tuple[str, ...] = (),
    severities: tuple[str, ...] = (),
    show_hidden: bool = False,
    only_new: bool = False,
) -> TriageView:
    """Signals grouped by team for a coach: new since a week earlier, handled ones hidden."""
    found = _narrow(b.found, f)
    if kinds:
        found = found[found["signal"].isin(kinds)]
    if severities:
        found = found[found["severity"].isin(severities)]
    found = found.assign(new=triage.new_since(found, prev.found),
                         evidence_number=triage.evidence_numbers(b.snap, found))  # fmt: skip
    found = triage.apply(found, actions, b.as_of, b.config.signals.stale_days)
    found["title"] = titles(b.ds, found)
    hidden = found["hidden"].to_numpy(bool)
    shown = found if show_hidden else found[~hidden]
    if only_new:
        shown = shown[shown["new"].to_numpy(bool)]
    shown = shown[TRIAGE_COLUMNS].reset_index(drop=True)
    return TriageView(triage.by_team(shown), shown, int(hidden.sum()), int(found["new"].sum()),
                      prev.as_of)  # fmt: skip


def titles(ds: Dataset, found: pd.DataFrame) -> pd.Series:
    """Each signal row's goal in words: its key result's title, else its objective's."""
    krs = ds.key_results.drop_duplicates("kr_id").set_index("kr_id")["key_result"]
    objs = ds.objectives.drop_duplicates("objective_id").set_index("objective_id")["objective"]
    kr = found["kr_id"].map(krs) if len(found) else pd.Series(dtype="string")
    obj = found["objective_id"].map(objs) if len(found) else pd.Series(dtype="string")
    return kr.fillna(obj).astype("string").set_axis(found.index)


@dataclass(frozen=True)
class Changes:
    headline: dict[str, str]
    moved: pd.DataFrame  # team, kr_id, key_result, before, now, score
    checked_in: pd.DataFrame  # team, department, checkins, key_results
    new: pd.DataFrame  # signals found now and not a week earlier
    resolved: pd.DataFrame  # signals found a week earlier and not now
    since: pd.Timestamp


def changes(b: Base, prev: Base | Earlier, f: Filters) -> Changes:
    """What changed this week: KRs that moved status, teams that checked in, signals."""
    krs = _narrow(b.krs, f)
    then = prev.krs.drop_duplicates("kr_id").set_index("kr_id")["status"]
    before = krs["kr_id"].map(then).astype("string").fillna("not rated")
    now = krs["status"].astype("string").fillna("not rated")
    moved = krs.assign(before=before, now=now)[(before != now).to_numpy(bool)]
    moved = moved.sort_values(["team", "kr_id"])[
        ["team", "kr_id", "key_result", "before", "now", "score"]
    ]
    c = b.ds.checkins
    week = (c["date"] > prev.as_of) & (c["date"] <= b.as_of)
    c = c[(metrics.isin(c["kr_id"], krs["kr_id"]) & week).to_numpy(bool)]
    c = c.assign(team=c["kr_id"].map(krs.drop_duplicates("kr_id").set_index("kr_id")["team"]))
    checked = c.groupby("team").agg(checkins=("kr_id", "size"), key_results=("kr_id", "nunique"))
    checked = checked.reset_index()
    checked.insert(1, "department", checked["team"].map(b.snap.team_department))
    n_teams = krs["team"].nunique()
    found, earlier = _narrow(b.found, f), _narrow(prev.found, f)
    new = found[triage.new_since(found, earlier).to_numpy(bool)][SIGNAL_COLUMNS]
    gone = triage.resolved(found, earlier)[SIGNAL_COLUMNS]
    headline = {
        "Key results that moved": f"{len(moved):,}",
        "Teams that checked in": f"{len(checked):,} of {n_teams:,}",
        "New signals": f"{len(new):,}",
        "Resolved signals": f"{len(gone):,}",
    }
    return Changes(headline, moved.reset_index(drop=True), checked, new.reset_index(drop=True),
                   gone.reset_index(drop=True), prev.as_of)  # fmt: skip


# Teams: every team of the selection at a glance -------------------------------------------


def teams_overview(b: Base, f: Filters) -> pd.DataFrame:
    """Every team of the selection: progress against pace, check-in discipline, open signals.

    The teams furthest behind come first; a team without objectives this quarter comes last.
    """
    dept = b.snap.team_department
    names = dept.index if not f.department else dept.index[dept == f.department]
    if f.team:
        names = names[names == f.team]
    objs = b.snap.qobjs
    prog = metrics.team_progress(objs[objs["team"].isin(names)], b.config)
    prog = prog.drop(columns=["quarter", "department"]).rename(
        columns={"n_objectives": "objectives"}
    )
    health = okr_health(b.ds, b.krs, b.objs, b.as_of, b.config, "team", b.quarter)
    found = b.found[b.found["quarter"] == b.quarter]
    out = pd.DataFrame({"team": names, "department": dept.loc[names].to_numpy()})
    out = out.merge(prog, on="team", how="left").merge(
        health[["team", "checkin_discipline"]].drop_duplicates("team"), on="team", how="left")  # fmt: skip
    out["objectives"] = out["objectives"].fillna(0).astype("int64")
    out["open_signals"] = out["team"].map(found["team"].value_counts()).fillna(0).astype("int64")
    high = found.loc[found["severity"] == "high", "team"].value_counts()
    out["high_signals"] = out["team"].map(high).fillna(0).astype("int64")
    behind = (out["expected"] - out["progress"]).fillna(-np.inf)
    order = np.lexsort(
        (out["team"].to_numpy(str), -out["high_signals"].to_numpy(), -behind.to_numpy())
    )
    cols = ["team", "department", "objectives", "progress", "expected", "status",
            "checkin_discipline", "open_signals", "high_signals"]  # fmt: skip
    return out.iloc[order][cols].reset_index(drop=True)


# Adoption and adjustment, for leaders -------------------------------------------------------


ADJUSTED_COLUMNS = ["date", "team", "change", "objective", "key_result", "adjustment", "source",
                    "objective_id", "kr_id"]  # fmt: skip


@dataclass(frozen=True)
class Adoption:
    spread: pd.DataFrame  # quarter, department, okr_teams, teams, adoption_share
    adjusted: pd.DataFrame  # ADJUSTED_COLUMNS: the goals adjusted this quarter, newest first


def adoption(b: Base, f: Filters, between_imports: pd.DataFrame | None = None) -> Adoption:
    """How OKRs spread quarter by quarter, and which goals were adjusted this quarter.

    ``okr_teams``: teams with objectives below company level in the quarter; ``teams``: the
    department's teams (teams table and objectives).

    ``adjusted``: one row per adjustment, ``change`` "target" (re-scoped) or "period" (moved),
    ``adjustment`` old → new, ``source`` where it was made:

    - "check-in": a check-in's ``target_value`` that differs from the target then in force,
      for the quarter's key results, up to the as-of date;
    - "import": ``between_imports``, the rows of ``Store.adjustments`` (none when the data is
      not from the store): a target the team changed between imports, for the quarter's key
      results; a goal moved to another quarter, when its old or its new quarter is this one.
      ``date`` is the import's time; the as-of date does not hide it, since the data in force
      already holds the change.
    """
    o = b.ds.objectives
    o = o[(o["level"] != "company") & o["team"].notna()]
    if f.department:
        o = o[o["department"] == f.department]
    spread = o.groupby(["quarter", "department"], as_index=False).agg(okr_teams=("team", "nunique"))
    dept = b.snap.team_department
    spread["teams"] = spread["department"].map(dept.value_counts()).fillna(0).astype("int64")
    spread["adoption_share"] = spread["okr_teams"] / spread["teams"].where(spread["teams"] > 0)
    krs = _narrow(b.krs, f)
    parts = [_rescoped_at_checkins(b, krs), _adjusted_between_imports(b, f, krs, between_imports)]
    adjusted = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    adjusted = adjusted.sort_values(["date", "team"], ascending=[False, True], kind="stable")
    return Adoption(spread.reset_index(drop=True), adjusted.reset_index(drop=True))


def _rescoped_at_checkins(b: Base, krs: pd.DataFrame) -> pd.DataFrame:
    """Targets re-scoped at a check-in of ``krs`` up to the as-of date (ADJUSTED_COLUMNS)."""
    c = b.ds.checkins
    seen = metrics.isin(c["kr_id"], krs["kr_id"]) & (c["date"] <= b.as_of).to_numpy(bool)
    seen &= c["target_value"].notna().to_numpy(bool)  # re-scoped at that check-in
    scoped = c.loc[seen, ["kr_id", "date", "target_value"]]  # not a copy of every column
    scoped = scoped.sort_values(["kr_id", "date"], kind="stable")
    start = krs.set_index("kr_id")["initial_target"]
    before = scoped.groupby("kr_id")["target_value"].shift(1)
    old = before.fillna(scoped["kr_id"].map(start))
    rescoped = scoped.assign(old_target=old)
    rescoped = rescoped[rescoped["target_value"] != rescoped["old_target"]]
    k = krs.drop_duplicates("kr_id").set_index("kr_id")
    ids = rescoped["kr_id"]
    return pd.DataFrame({
        "date": rescoped["date"], "team": ids.map(k["team"]), "change": "target",
        "objective": ids.map(k["objective"]), "key_result": ids.map(k["key_result"]),
        "adjustment": _old_new_targets(rescoped["old_target"], rescoped["target_value"],
                                       ids.map(k["unit"])),
        "source": "check-in", "objective_id": ids.map(k["objective_id"]), "kr_id": ids,
    }, columns=ADJUSTED_COLUMNS)  # fmt: skip


def _adjusted_between_imports(
    b: Base, f: Filters, krs: pd.DataFrame, rows: pd.DataFrame | None
) -> pd.DataFrame:
    """The rows of ``Store.adjustments`` that concern this quarter and selection."""
    if rows is None or rows.empty:
        return pd.DataFrame(columns=ADJUSTED_COLUMNS)
    objs = b.ds.objectives.drop_duplicates("objective_id", keep="last").set_index("objective_id")
    kr = b.ds.key_results.drop_duplicates("kr_id").set_index("kr_id")
    oid = rows["kr_id"].map(kr["objective_id"]).fillna(rows["objective_id"])  # as in force
    team, department = oid.map(objs["team"]), oid.map(objs["department"])
    chosen = (team == f.team if f.team else department == f.department if f.department
              else pd.Series(True, index=rows.index)).to_numpy(bool, na_value=False)  # fmt: skip

    def holds(quarters: pd.Series) -> np.ndarray:  # "2026-Q3" or "2026-Q3, 2026-Q4"
        listed = ", " + quarters.astype("string").fillna("") + ", "
        return listed.str.contains(f", {f.quarter}, ", regex=False).to_numpy(bool)

    target = (rows["kind"] == "target").to_numpy(bool)
    moved = ~target & (holds(rows["old"]) | holds(rows["new"]))
    keep = (target & metrics.isin(rows["kr_id"], krs["kr_id"])) | (moved & chosen)
    r, t = rows[keep], target[keep]
    old, new = (pd.to_numeric(r[c].where(t), errors="coerce") for c in ("old", "new"))
    text = np.where(t, _old_new_targets(old, new, r["kr_id"].map(kr["unit"])),
                    r["old"].astype("string") + " → " + r["new"].astype("string"))  # fmt: skip
    return pd.DataFrame({
        "date": r["imported_at"], "team": team[keep], "change": r["kind"],
        "objective": oid[keep].map(objs["objective"]), "key_result": r["kr_id"].map(kr["key_result"]),
        "adjustment": text, "source": "import", "objective_id": oid[keep], "kr_id": r["kr_id"],
    }, columns=ADJUSTED_COLUMNS)  # fmt: skip


def _old_new_targets(old: pd.Series, new: pd.Series, unit: pd.Series) -> pd.Series:
    """``100 → 80`` and the unit when there is one: ``2 → 1.5 %``."""
    after = [f" {u}" if isinstance(u, str) and u else "" for u in unit]
    return pd.Series(
        [f"{display.number(a)} → {display.number(z)}{u}" for a, z, u in zip(old, new, after, strict=True)],
        index=old.index, dtype=object,
    )  # fmt: skip
