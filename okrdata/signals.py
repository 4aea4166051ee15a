"""Coach signals (README "Signals for coaches"): one small function per signal, one registry.

Each signal takes a ``Snapshot`` (the data, the quarter, as of, thresholds and the computed
progress) and returns rows with department, team, objective_id, kr_id, severity, evidence and
question (and ``quarter`` when a row is about another quarter than the snapshot's);
``compute_signals`` adds the quarter and the signal name. Evidence sentences carry the
numbers; questions open a conversation about the team's goals. No signal names or ranks a
person: evidence mentions teams, objectives, key results and numbers only.

Adding a signal is adding one function and one ``SIGNALS`` entry (and its test).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from okrdata import display
from okrdata.calendar import previous_quarters, quarter_bounds
from okrdata.config import Config
from okrdata.metrics import BINARY, EPS, History, day_number, isin, kr_weights, scores_at
from okrdata.model import UNASSIGNED, Dataset
from okrdata.snapshot import Snapshot, build

COLUMNS = [
    "quarter", "department", "team", "objective_id", "kr_id", "signal", "severity",
    "evidence", "question",
]  # fmt: skip
Text: TypeAlias = "str | pd.Series | np.ndarray | None"  # one value for all rows, or per row
SEVERITIES = ("high", "warn", "info")


def _rows(
    frame: pd.DataFrame, severity: Text, evidence: Text, question: Text, **cols: Text
) -> pd.DataFrame:
    """Signal rows from ``frame`` (its department/team/objective_id/kr_id columns when present).

    Each column is made text once and the frame built once from them (set one by one, and made
    text twice, they took about a fifth of every signal's time on the sample)."""
    n = len(frame)
    given = {col: cols.get(col, frame[col] if col in frame else None)
             for col in ("quarter", "department", "team", "objective_id", "kr_id")}  # fmt: skip
    given |= {"severity": severity, "evidence": evidence, "question": question}
    return pd.DataFrame({col: _text(value, n) for col, value in given.items()}, index=range(n))


def _text(value: Text, n: int) -> pd.api.extensions.ExtensionArray:
    """``n`` values as text: one ``str`` for every row, none (missing), or one per row."""
    if value is None:
        return pd.array([None] * n, dtype="string")
    if isinstance(value, str):
        return pd.array([value] * n, dtype="string")
    return pd.array(np.asarray(value, dtype=object), dtype="string")


def _count(n: ArrayLike, noun: str, plural: str | None = None) -> pd.Series:
    """``1 day``, ``3 days``: counts with their noun, singular for one."""
    counts = pd.Series(np.asarray(n)).astype("int64")
    word = pd.Series(np.where(counts == 1, noun, plural or noun + "s"), index=counts.index)
    return (counts.astype(str) + " " + word).astype("string")


def _pct(s: ArrayLike) -> pd.Series:
    """Shares (scores, pace, confidence) as whole percent, e.g. ``0.58`` -> ``"58%"``."""
    return display.pcts(s).reset_index(drop=True)


def _num(s: ArrayLike) -> pd.Series:
    """Values as short text: ``12``, ``0.35``, ``1,250``."""
    return (
        pd.Series(s)
        .map(lambda v: f"{v + 0.0:,.0f}" if abs(v) >= 100 else f"{round(v, 12) + 0.0:.3g}")
        .astype("string")
    )


def _day(s: pd.Series) -> pd.Series:
    """Dates as people read them: ``26 Aug 2026``."""
    return display.dates(s)


def off_track(snap: Snapshot) -> pd.DataFrame:
    """KRs whose status is off track: a breached guard rail from the day it is breached; a KR
    with a pace (increase, decrease, binary) once ``off_track_min_elapsed`` of the quarter has
    passed."""
    k = snap.qkrs
    paced = (k["metric_code"] <= BINARY).to_numpy()
    waiting = paced & (snap.elapsed < snap.thresholds.off_track_min_elapsed - EPS)
    k = k[(k["status"] == "off_track").to_numpy(bool, na_value=False) & ~waiting]
    k = k.reset_index(drop=True)
    gap = (k["expected"] - k["score"]).reset_index(drop=True)
    code = k["metric_code"].to_numpy()
    linear = (
        "Score " + _pct(k["score"]) + " at " + _pct(k["expected"]) + " of the quarter, "
        + display.points_each(gap) + " behind pace; value " + _num(k["current_value"])
        + " against a target of " + _num(k["target_value"]) + " from " + _num(k["start_value"]) + "."
    )  # fmt: skip
    binary = "Not done at " + _pct(k["expected"]) + " of the quarter."
    side = pd.Series(np.where(code == 3, "at or above ", "at or below "))
    stay = (
        "Value " + _num(k["current_value"]) + " breaks the line: it should stay " + side
        + _num(k["target_value"]) + "."
    )  # fmt: skip
    evidence = np.select([code == BINARY, code > BINARY], [binary, stay], linear)
    evidence = evidence + _own_alarm(k).to_numpy(dtype=object)
    severity = np.where(gap > 0.5, "high", "warn")
    question = "What stands between this key result and its target, and what help would get it back on pace?"
    return _rows(k, severity, evidence, question)


def _own_alarm(k: pd.DataFrame) -> pd.Series:
    """`` The team reports off track (confidence 0.90, 2026-08-10).`` where a KR's latest
    check-in reports at risk or off track (the team's own alarm, beside the computed status),
    else empty."""
    k = k.reset_index(drop=True)
    reported = k["latest_reported_status"]
    alarm = reported.isin(["at_risk", "off_track"]).fillna(False).to_numpy(bool)
    conf = ("confidence " + _pct(k["latest_confidence"]) + ", ").where(
        k["latest_confidence"].notna(), ""
    )
    text = (
        " The team reports " + reported.fillna("").str.replace("_", " ") + " (" + conf
        + _day(k["last_checkin"]) + ")."
    )  # fmt: skip
    return text.where(alarm, "").fillna("").astype("string")


def stale_checkins(snap: Snapshot) -> pd.DataFrame:
    """KRs with no check-in for ``stale_days`` or more while the quarter runs."""
    start, end = snap.bounds
    k = snap.qkrs
    if not (start <= snap.as_of <= end) or snap.closed:
        k = k.iloc[0:0]
    k = k[(k["score"] < 1 - EPS) | (k["metric_code"] > BINARY)]  # done KRs need no update
    since = k["last_checkin"].fillna(start)
    days = (snap.as_of - since).dt.days
    k = k[days >= snap.thresholds.stale_days].reset_index(drop=True)
    days = (snap.as_of - k["last_checkin"].fillna(start)).dt.days.reset_index(drop=True)
    never = k["last_checkin"].isna()
    last = ("last on " + _day(k["last_checkin"].fillna(start))).where(~never, "none this quarter")
    evidence = "No check-in for " + _count(days, "day") + " (" + last + ")."
    severity = np.where(days >= 2 * snap.thresholds.stale_days, "high", "warn")
    question = "Is this key result still being worked on? What would make a weekly update easy for the team?"
    return _rows(k, severity, evidence, question)


def sandbagging(snap: Snapshot) -> pd.DataFrame:
    """Team-quarters with several signs of too-safe aspirational targets.

    Committed OKRs are meant to hit 100 % and guard-rail (stay_above/stay_below) KRs hold a
    line: neither ever counts as an indicator.
    """
    k = snap.qkrs
    k = k[((k["okr_type"] == "aspirational") & (k["metric_code"] <= BINARY)).to_numpy(bool)]
    ind = _sandbag_indicators(snap, k)
    ind = ind[
        (ind["n_asp"] >= snap.thresholds.sandbag_min_krs)
        & (ind["n_indicators"] >= snap.thresholds.sandbag_min_indicators)
    ]
    ind = ind.reset_index()
    severity = np.where(ind["n_indicators"] >= 4, "high", "warn")
    question = (
        "Are these goals stretching the team? What would an aspirational target the team is only "
        "60–70% sure of look like?"
    )
    return _rows(ind, severity, ind["evidence"], question)


def _sandbag_indicators(snap: Snapshot, k: pd.DataFrame) -> pd.DataFrame:
    """Per team: the six sandbagging indicators, their count and an evidence sentence."""
    t = snap.thresholds
    n = len(snap.krs)
    hit = k["raw_progress"] >= 1 - EPS
    early = _hit_before(snap, t.sandbag_early_elapsed)[k.index]
    span = (k["target_value"] - k["start_value"]).abs()
    near = (k["start_value"] != 0) & (span <= t.sandbag_target_within * k["start_value"].abs())
    first_conf = _first_confidence(snap.history, n)[k.index]
    sure = hit & (first_conf >= t.sandbag_confidence - EPS)
    up = k["initial_target"] >= k["start_value"]
    easier = np.where(
        up, k["target_value"] < k["initial_target"], k["target_value"] > k["initial_target"]
    )
    lowered = hit & easier
    rel = (span / k["start_value"].abs().where(k["start_value"] != 0)).where(near)
    f = k.assign(hit=hit, early=early, near=near, sure=sure, lowered=lowered, rel=rel)
    g = f.groupby("team", observed=True).agg(
        department=("department", "first"),
        n_asp=("kr_id", "size"),
        n_hit=("hit", "sum"),
        n_early=("early", "sum"),
        n_near=("near", "sum"),
        rel=("rel", "mean"),
        n_sure=("sure", "sum"),
        n_lowered=("lowered", "sum"),
    )
    past = _history_scores(snap, g.index)
    share = t.sandbag_kr_share - EPS
    flags = pd.DataFrame(
        {
            "a": g["n_hit"] >= t.sandbag_hit_share * g["n_asp"] - EPS,
            "b": g["n_early"] >= share * g["n_asp"],
            "c": g["n_near"] >= share * g["n_asp"],
            "d": g["n_sure"] >= share * g["n_asp"],
            "e": g["n_lowered"] >= 1,
            "f": past["all_high"],
        }
    )
    g["n_indicators"] = flags.sum(axis=1).astype("int64")
    g["evidence"] = _sandbag_evidence(snap, g, flags, past)
    return g


def _hit_before(snap: Snapshot, share: float) -> pd.Series:
    """Per KR row of ``krs``: reached 100 % at a check-in before ``share`` of its quarter."""
    h, krs = snap.history, snap.krs
    hit = np.flatnonzero(h.score >= 1 - EPS)
    kk, first = np.unique(h.k[hit], return_index=True)
    day = h.day[hit][first]
    q_start, q_end = krs["q_start"].to_numpy(float)[kk], krs["q_end"].to_numpy(float)[kk]
    frac = (day - q_start + 1) / (q_end - q_start + 1)
    out = np.zeros(len(krs), bool)
    out[kk[frac < share]] = True
    return pd.Series(out, index=krs.index)


def _first_confidence(h: History, n: int) -> pd.Series:
    """Per KR row: the confidence of its first check-in (NaN without one)."""
    first = np.r_[True, h.k[1:] != h.k[:-1]] if len(h.k) else np.zeros(0, bool)
    out = np.full(n, np.nan)
    out[h.k[first]] = h.confidence[first]
    return pd.Series(out)


def _history_scores(snap: Snapshot, teams: pd.Index) -> pd.DataFrame:
    """Per team: aspirational progress in each of the previous quarters, all ≥ threshold?

    The progress of the team's aspirational objectives as ``objective_progress`` weighs it, but
    over their increase, decrease and binary KRs only: guard rails never count as indicators.
    Each quarter as it stood on its last day (``metrics.scores_at``), as its own view shows it:
    a check-in after a quarter ended never lifts it.
    """
    prev = previous_quarters(snap.quarter, snap.thresholds.sandbag_history_quarters)
    k = snap.krs
    k = k[
        isin(k["quarter"], prev)
        & (k["okr_type"] == "aspirational").to_numpy(bool)
        & (k["metric_code"] <= BINARY).to_numpy()
    ]
    score = pd.Series(0.0, index=k.index)
    for q in prev:
        mine = (k["quarter"] == q).to_numpy(bool)
        end = day_number([quarter_bounds(q, snap.config.fiscal_start_month)[1]])
        if mine.any():
            score[mine] = scores_at(k[mine], snap.history, end)[0]
    o = (
        (score.fillna(0.0) * kr_weights(k))
        .groupby([k["team"], k["quarter"], k["objective_id"]], observed=True)
        .sum()
        .rename("progress")
        .reset_index()
    )
    wide = o.groupby(["team", "quarter"], observed=True)["progress"].mean().unstack("quarter")
    wide = wide.reindex(index=teams, columns=prev)
    high = wide.ge(snap.thresholds.sandbag_history_score - EPS).all(axis=1) & wide.notna().all(
        axis=1
    )
    return wide.assign(all_high=high & (len(prev) > 0))


def _sandbag_evidence(
    snap: Snapshot, g: pd.DataFrame, flags: pd.DataFrame, past: pd.DataFrame
) -> pd.Series:
    """One sentence joining the indicators that hold, with their numbers."""
    if g.empty:
        return pd.Series([], index=g.index, dtype="string")
    prev = list(past.columns[:-1])[::-1]
    scores = " and ".join(f"in {q}" for q in prev)
    hist = "average score " + display.pcts(past[prev].mean(axis=1)) + f" {scores}" if prev else ""
    asp = " of " + g["n_asp"].astype(str) + " aspirational KRs"
    parts = {
        "a": g["n_hit"].astype(str) + asp + " at or over 100%",
        "b": g["n_early"].astype(str) + asp + f" reached 100% before {display.pct(snap.thresholds.sandbag_early_elapsed)} of the quarter",
        "c": "targets on average " + display.pcts(g["rel"]) + " from their start on " + g["n_near"].astype(str) + " KRs",
        "d": g["n_sure"].astype(str) + " KRs reported confidence ≥ " + display.confidence(snap.thresholds.sandbag_confidence) + " from the first check-in and were then hit",
        "e": g["n_lowered"].astype(str) + " KRs had their target lowered mid-quarter and then hit",
        "f": hist if isinstance(hist, pd.Series) else pd.Series("", index=g.index),
    }  # fmt: skip
    text = pd.Series("", index=g.index, dtype=object)
    for key, part in parts.items():  # six indicators, not a loop over rows
        add = part.where(flags[key], "").astype(object)
        text = text + np.where((text != "") & (add != ""), "; ", "") + add
    return (text.str.slice(0, 1).str.upper() + text.str.slice(1) + ".").astype("string")


def hockey_stick(snap: Snapshot) -> pd.DataFrame:
    """KRs under 20 % at 70 % of the quarter that then gained ≥ 50 points in its last 20 %.

    Read on the current quarter once its last stretch has begun, else on the previous quarter.
    """
    t = snap.thresholds
    quarter = snap.quarter
    if snap.elapsed < 1 - t.hockey_last_share - EPS:
        quarter = previous_quarters(snap.quarter, 1)[0]
    k = snap.krs[(snap.krs["quarter"] == quarter) & (snap.krs["metric_code"] <= 1)]
    start, end = quarter_bounds(quarter, snap.config.fiscal_start_month)
    s, days = day_number([start])[0], (end - start).days + 1
    upto = min(day_number([snap.as_of])[0], day_number([end])[0])
    low = _score_at(snap, k, s + int(np.ceil(t.hockey_low_at * days)) - 1)
    late = _score_at(snap, k, s + int(np.ceil((1 - t.hockey_last_share) * days)) - 1)
    final = _score_at(snap, k, upto)
    sel = (low < t.hockey_low_progress - EPS) & (final - late >= t.hockey_jump - EPS)
    k, low, late, final = (x[sel].reset_index(drop=True) for x in (k, low, late, final))
    evidence = (
        f"In {quarter}: score " + _pct(low) + f" at {display.pct(t.hockey_low_at)} of the quarter, then "
        + _pct(late) + " → " + _pct(final) + f" in its last {display.pct(t.hockey_last_share)} (+"
        + display.points_each(final - late) + ")."
    )  # fmt: skip
    severity = "warn" if quarter == snap.quarter else "info"
    k = k.assign(quarter=quarter)
    question = "What happened late in the quarter? Would smaller, earlier milestones help the team see progress or trouble sooner?"
    return _rows(k, severity, evidence, question)


def _score_at(snap: Snapshot, k: pd.DataFrame, day: int) -> pd.Series:
    """Score of each KR as of ``day`` by the rule of every surface (``metrics.scores_at``): its
    latest check-in then, else its export value from its day, else its start."""
    return pd.Series(scores_at(k, snap.history, np.array([day], np.int64))[0], index=k.index)


def watermelon(snap: Snapshot) -> pd.DataFrame:
    """The team's own latest report is green while the computed status is off track.

    Green: the latest check-in's status is on track, or, with no status given, its confidence
    is at least ``watermelon_confidence``. A team that reports at risk or off track has raised
    its own alarm, whatever its confidence: never a watermelon (``off_track`` shows its report).
    """
    k = snap.qkrs
    reported = k["latest_reported_status"]
    green = (reported == "on_track").fillna(False)
    sure = reported.isna() & (k["latest_confidence"] >= snap.thresholds.watermelon_confidence - EPS)
    k = k[(k["status"] == "off_track").fillna(False) & (green | sure)].reset_index(drop=True)
    said = pd.Series(
        np.where(k["latest_reported_status"].fillna("") == "on_track", "on track", "no status")
    ).astype("string")
    conf = (", confidence " + _pct(k["latest_confidence"])).where(
        k["latest_confidence"].notna(), ""
    )
    evidence = (
        "Latest check-in (" + _day(k["last_checkin"]) + ") reports " + said + conf + ", but the score is "
        + _pct(k["score"]) + " against an expected " + _pct(k["expected"]) + " (off track)."
    )  # fmt: skip
    question = "What does the team see that the numbers don't show, or is the reported status worth a fresh look together?"
    return _rows(k, "high", evidence, question)


def declining_confidence(snap: Snapshot) -> pd.DataFrame:
    """Confidence down by ``confidence_drop`` or more over the last check-ins that report one."""
    n = snap.thresholds.confidence_checkins
    h = snap.history
    rows = np.flatnonzero(~np.isnan(h.confidence) & np.isin(h.k, snap.qkrs.index.to_numpy()))
    kk, conf, day = h.k[rows], h.confidence[rows], h.day[rows]
    last = np.r_[kk[1:] != kk[:-1], True] if len(kk) else np.zeros(0, bool)
    ends = np.flatnonzero(last)
    firsts = ends - (n - 1)
    ok = firsts >= 0
    ok[ok] = kk[firsts[ok]] == kk[ends[ok]]
    ends, firsts = ends[ok], firsts[ok]
    drop = conf[firsts] - conf[ends]
    sel = drop >= snap.thresholds.confidence_drop - EPS
    k = snap.krs.loc[kk[ends[sel]]].reset_index(drop=True)
    c0, c1 = conf[firsts[sel]], conf[ends[sel]]
    d0 = _day(pd.Series((day[firsts[sel]] * 86_400_000_000_000).astype("datetime64[ns]")))
    d1 = _day(pd.Series((day[ends[sel]] * 86_400_000_000_000).astype("datetime64[ns]")))
    evidence = (
        "Confidence fell from " + _pct(c0) + " to " + _pct(c1) + f" over the last {n} check-ins ("
        + d0 + " to " + d1 + ")."
    )  # fmt: skip
    severity = np.where(c1 < 0.4, "high", "warn")
    question = (
        "What changed for the team on this key result, and what support or re-scoping would help?"
    )
    return _rows(k, severity, evidence, question)


def overload(snap: Snapshot) -> pd.DataFrame:
    """Teams with too many objectives in the quarter; objectives with too many KRs."""
    o = snap.qobjs
    per_team = o.groupby("team", observed=True).agg(
        department=("department", "first"), n=("objective_id", "size")
    )
    teams = per_team[per_team["n"] > snap.thresholds.max_objectives].reset_index()
    team_rows = _rows(
        teams,
        "warn",
        teams["n"].astype(str)
        + f" objectives this quarter (more than {snap.thresholds.max_objectives}).",
        "If the team could finish only three of these objectives, which would they be?",
    )
    objs = o[o["n_krs"] > snap.thresholds.max_krs].reset_index(drop=True)
    obj_rows = _rows(
        objs,
        "warn",
        objs["n_krs"].astype(str)
        + f" key results on this objective (more than {snap.thresholds.max_krs}).",
        "Which of these key results truly measure the objective, and which could be dropped?",
    )
    return pd.concat([team_rows, obj_rows], ignore_index=True)


def unaligned(snap: Snapshot) -> pd.DataFrame:
    """Objectives below company level with no (existing) parent, where company objectives exist."""
    o = snap.qobjs
    n_company = int((o["level"] == "company").sum())
    if n_company == 0:
        o = o.iloc[0:0]
    broken = o["parent_objective_id"].notna() & ~isin(
        o["parent_objective_id"], snap.objs["objective_id"]
    )
    o = o[(o["level"] != "company") & (o["parent_objective_id"].isna() | broken)]
    broken = broken[o.index].reset_index(drop=True)
    o = o.reset_index(drop=True)
    level = o["level"].fillna("team").str.capitalize()
    evidence = (
        level + f"-level objective linked to no parent while {n_company} company objective"
        + ("s exist" if n_company != 1 else " exists") + f" in {snap.quarter}."
    )  # fmt: skip
    evidence = evidence.where(
        ~broken,
        level
        + "-level objective whose parent "
        + o["parent_objective_id"].fillna("")
        + " does not exist.",
    )
    question = "Which company objective does this goal move forward, or is it work the company should know about?"
    return _rows(o, "warn", evidence, question)


def dependency_risk(snap: Snapshot) -> pd.DataFrame:
    """Unresolved dependencies that are blocked, overdue or on a struggling KR; bottleneck providers."""
    d = _open_dependencies(snap)
    risky = d[d["blocked"] | d["overdue"] | d["provider_behind"]].reset_index(drop=True)
    why = (
        np.where(risky["blocked"], "blocked; ", "").astype(object)
        + np.where(risky["overdue"], "due " + _day(risky["due_date"]).fillna("") + ", "
                   + _count(risky["days_over"], "day") + " overdue; ", "")
        + np.where(risky["provider_behind"], "its key result " + risky["depends_on_kr_id"].fillna("")
                   + " is " + risky["provider_status"].fillna("").str.replace("_", " ")
                   + " (score " + _pct(risky["provider_score"]) + "); ", "")
    )  # fmt: skip
    evidence = (
        "Depends on team " + risky["depends_on_team"] + ": " + pd.Series(why).str.rstrip("; ") + "."
    )
    severity = np.where(risky["blocked"] | risky["overdue"], "high", "warn")
    rows = _rows(
        risky,
        severity,
        evidence,
        "What does the team need from the team it depends on, and who could help unblock it?",
        department=risky["team"].map(snap.team_department).fillna(UNASSIGNED),
    )
    return pd.concat([rows, _bottlenecks(snap, d)], ignore_index=True)


def unresolved(deps: pd.DataFrame) -> pd.DataFrame:
    """The dependencies not done (no status counts as open): what the bottleneck counts."""
    return deps[(deps["status"].fillna("open") != "done").to_numpy(bool)]


def _open_dependencies(snap: Snapshot) -> pd.DataFrame:
    """The quarter's unresolved dependencies with blocked / overdue / provider-behind flags."""
    d = snap.qdependencies
    prov = snap.krs.drop_duplicates("kr_id").set_index("kr_id")
    d = unresolved(d).copy()
    d["blocked"] = (d["status"] == "blocked").fillna(False).astype(bool)
    over = (snap.as_of - d["due_date"]).dt.days
    d["overdue"] = (over > 0).fillna(False).astype(bool)
    d["days_over"] = over.fillna(0).astype("int64")
    d["provider_status"] = d["depends_on_kr_id"].map(prov["status"])
    d["provider_score"] = d["depends_on_kr_id"].map(prov["score"])
    d["provider_behind"] = (
        d["provider_status"].isin(["at_risk", "off_track"]).fillna(False).astype(bool)
    )
    d["objective_id"] = d["kr_id"].map(prov["objective_id"])
    return d


def _bottlenecks(snap: Snapshot, d: pd.DataFrame) -> pd.DataFrame:
    """Provider teams that ``bottleneck_dependencies`` or more unresolved dependencies rest on."""
    g = d.groupby("depends_on_team", observed=True).agg(
        n=("team", "size"), n_teams=("team", "nunique"), n_blocked=("blocked", "sum"),
        n_overdue=("overdue", "sum"),
    )  # fmt: skip
    g = g[g["n"] >= snap.thresholds.bottleneck_dependencies].reset_index()
    evidence = (
        _count(g["n"], "unresolved dependency", "unresolved dependencies") + " from "
        + _count(g["n_teams"], "team") + " rest on this team (" + g["n_blocked"].astype(str)
        + " blocked, " + g["n_overdue"].astype(str) + " overdue)."
    )  # fmt: skip
    return _rows(
        g,
        "warn",
        evidence,
        "Does the team have room to deliver what others wait on? Which requests could be renegotiated or shared?",
        team=g["depends_on_team"],
        department=g["depends_on_team"].map(snap.team_department).fillna(UNASSIGNED),
    )


def no_okrs(snap: Snapshot) -> pd.DataFrame:
    """Teams in the org chart with no objectives in the quarter (when other teams have some)."""
    o = snap.qobjs
    teams = snap.ds.teams.dropna(subset=["team"]).drop_duplicates("team")
    if o.empty:
        teams = teams.iloc[0:0]
    missing = teams[~teams["team"].isin(o["team"])].reset_index(drop=True)
    n_teams = o["team"].nunique()
    evidence = (
        f"No objectives in {snap.quarter}, while {n_teams} other team"
        + ("s" if n_teams != 1 else "") + f" set {len(o)}."
    )  # fmt: skip
    return _rows(
        missing,
        "warn",
        evidence,
        "What is the team focusing on this quarter, and would a few OKRs help others see and support it?",
        department=missing["department"].fillna(UNASSIGNED),
    )


Signal = Callable[[Snapshot], pd.DataFrame]
SIGNALS: dict[str, Signal] = {
    "off_track": off_track,
    "stale_checkins": stale_checkins,
    "sandbagging": sandbagging,
    "hockey_stick": hockey_stick,
    "watermelon": watermelon,
    "declining_confidence": declining_confidence,
    "overload": overload,
    "unaligned": unaligned,
    "dependency_risk": dependency_risk,
    "no_okrs": no_okrs,
}


def compute_signals(
    data: Dataset | Snapshot,
    as_of: pd.Timestamp | None = None,
    quarter: str | None = None,
    config: Config = Config(),
    today: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Every signal of a snapshot, most severe first.

    Given a Dataset, the snapshot is built first (``snapshot.build``: the quarter containing
    ``as_of`` unless another is asked for; defaults from ``today``).
    """
    snap = data if isinstance(data, Snapshot) else build(data, quarter, as_of, config, today)
    frames = [fn(snap).assign(signal=name) for name, fn in SIGNALS.items()]
    out = pd.concat(frames, ignore_index=True)
    out["quarter"] = out["quarter"].fillna(snap.quarter)
    out["department"] = (
        out["department"].fillna(out["team"].map(snap.team_department)).fillna(UNASSIGNED)
    )
    rank = out["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    order = np.lexsort((out["kr_id"].fillna("").to_numpy(), out["objective_id"].fillna("").to_numpy(),
                        out["signal"].to_numpy(), out["team"].fillna("").to_numpy(),
                        out["department"].to_numpy(), rank.to_numpy()))  # fmt: skip
    return out.iloc[order][COLUMNS].astype("string").reset_index(drop=True)
