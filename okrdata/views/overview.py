"""The Overview page (headline, departments, the teams to talk to, top risks) and the Team page's
list of every team of the selection."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from okrdata import display, metrics
from okrdata.health import okr_health
from okrdata.views.base import Base, Filters, _narrow, _quarter_objs, empty_selection


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
    if top["period"].notna().any():  # one spanning quarters, listed in each: its period
        cols.insert(2, "period")
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
    points = display.points_each(k["behind"]).to_numpy(dtype=object) + " behind pace"
    reason = pd.Series(np.select(
        [code == metrics.BINARY, code > metrics.BINARY],
        ["not done yet", "the line it should hold is broken"], points,
    ), index=k.index, dtype=object)  # fmt: skip
    since = "; last check-in " + quiet.fillna(0).map(display.days).astype("string") + " ago"
    reason = reason + since.where(quiet.notna(), "; no check-in yet").fillna("; no check-in yet")
    return pd.DataFrame({
        "team": k["team"], "objective": k["objective"], "key_result": k["key_result"].fillna(k["kr_id"]),
        "progress": k["score"], "expected": k["expected"], "status": k["status"],
        "reason": reason.astype("string"),
    })  # fmt: skip


_pct = display.pct


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
