"""What coaches read: the Signals table, the Team page, and the view against the same view a week
earlier (triage: new since, acknowledged, snoozed; what changed this week)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from okrdata import metrics, reconcile, triage
from okrdata.model import UNASSIGNED, Dataset
from okrdata.views.alignment import dependencies
from okrdata.views.base import Base, Filters, _narrow


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
    if objs["period"].notna().any():
        # an objective spanning quarters is listed in each, marked with its period (Annual 2026)
        ocols.insert(2, "period")
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
    found: pd.DataFrame | None = None,
) -> TriageView:
    """Signals grouped by team for a coach: new since a week earlier, handled ones hidden.

    ``found``: ``triage_found(b, prev, f)`` when the caller keeps it (the app does, so a
    coach's action only re-applies the actions)."""
    found = triage_found(b, prev, f) if found is None else found
    if kinds:
        found = found[found["signal"].isin(kinds)]
    if severities:
        found = found[found["severity"].isin(severities)]
    found = triage.apply(found, actions, b.as_of, b.config.signals.stale_days)
    hidden = found["hidden"].to_numpy(bool)
    shown = found if show_hidden else found[~hidden]
    if only_new:
        shown = shown[shown["new"].to_numpy(bool)]
    shown = shown[TRIAGE_COLUMNS].reset_index(drop=True)
    return TriageView(triage.by_team(shown), shown, int(hidden.sum()), int(found["new"].sum()),
                      prev.as_of)  # fmt: skip


def triage_found(b: Base, prev: Base | Earlier, f: Filters) -> pd.DataFrame:
    """The selection's signals with what no coach's action changes: whether each is new since
    a week earlier, the number "worse" is measured on, and its goal's title (each per row).
    About 0.7 s at 2,000 teams, so the app computes it once per data version and filters."""
    found = _narrow(b.found, f)
    found = found.assign(new=triage.new_since(found, prev.found),
                         evidence_number=triage.evidence_numbers(b.snap, found))  # fmt: skip
    found["title"] = titles(b.ds, found)
    return found


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
