"""The Trends page (progress against pace within the quarter, check-in heat maps, quarters at their
ends) and, under it, adoption and the goals adjusted between imports."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from okrdata import display, metrics
from okrdata.config import Config
from okrdata.views.base import Base, Filters, _narrow, _with_pace


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
        # its key results' rows of that quarter (one spanning quarters is listed in each)
        kq = k[metrics.isin(k["objective_id"], mine) & (k["quarter"] == quarter).to_numpy(bool)]
        if kq.empty:
            continue
        score = pd.Series(metrics.scores_at(kq, b.snap.history, np.array([day]))[0], index=kq.index)
        progress = (score * metrics.kr_weights(kq)).groupby(kq["objective_id"]).sum()
        rows = (objs["quarter"] == quarter).to_numpy(bool) & (objs["n_krs"] > 0).to_numpy(bool)
        objs.loc[rows, "progress"] = objs.loc[rows, "objective_id"].map(progress)
    return objs


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
    """``100 → 80`` and the unit when there is one: ``2 → 1.5%``, ``10 → 12 days``."""
    after = [("" if u == "%" else " ") + u if isinstance(u, str) and u else "" for u in unit]
    return pd.Series(
        [f"{display.number(a)} → {display.number(z)}{u}" for a, z, u in zip(old, new, after, strict=True)],
        index=old.index, dtype=object,
    )  # fmt: skip


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
