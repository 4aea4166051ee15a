"""Progress, pace, status and forecast as of a date (README "Computation", one rule each).

Everything is vectorised: check-ins are sorted once by (KR, date) as numpy arrays, and every
"latest on or before a date" is a ``searchsorted`` or a group-boundary lookup, never a Python
loop per KR or per check-in.

>>> krs = pd.DataFrame({"metric_type": ["decrease"], "start_value": [10.0],
...                     "target_value": [5.0], "current_value": [12.0]})
>>> float(raw_progress(krs["metric_type"], krs["start_value"], krs["target_value"],
...                    krs["current_value"])[0])
-0.4
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import ArrayLike

from okrdata import forecast
from okrdata.calendar import DAY_NS as _DAY
from okrdata.calendar import day_number, elapsed_fraction, parse_label, quarter_bounds, quarter_of
from okrdata.config import Config
from okrdata.model import METRIC_TYPES, Dataset

LINEAR, BINARY = 1, 2  # metric codes: 0 increase, 1 decrease, 2 binary, 3/4 stay above/below
EPS = 1e-9  # a sum that should be 0.7 may be 0.7000000000000001: compare within it
_DECREASE = METRIC_TYPES.index("decrease")
_KEY = np.int64(1 << 20)  # day numbers (days since 1970) stay far below this


def today_or(today: pd.Timestamp | None) -> pd.Timestamp:
    """``today`` normalised, else the real today."""
    return pd.Timestamp(today if today is not None else pd.Timestamp.today()).normalize()


def default_quarter(
    ds: Dataset, today: pd.Timestamp | None = None, config: Config = Config()
) -> str:
    """The latest quarter with objectives that has started by ``today`` (else the earliest one).

    A check-in dated after today never moves it: only the calendar and the objectives count.
    """
    today = today_or(today)
    quarters = [q for q in ds.quarters if _is_label(q)]
    if not quarters:
        return quarter_of(today, config.fiscal_start_month)
    started = [q for q in quarters if quarter_bounds(q, config.fiscal_start_month)[0] <= today]
    return started[-1] if started else quarters[0]


def default_as_of(
    quarter: str, today: pd.Timestamp | None = None, config: Config = Config()
) -> pd.Timestamp:
    """Today, capped at the quarter's end: a past quarter is seen as it stood at its end."""
    return min(today_or(today), quarter_bounds(quarter, config.fiscal_start_month)[1])


def positions(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """Position of each value among ``keys`` (-1 where absent or missing), hashed by Arrow."""
    found = pc.index_in(_arrow_text(values), value_set=_arrow_text(keys).drop_null())
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def isin(values: pd.Series, keys: Iterable[object]) -> np.ndarray:
    """``values.isin(keys)`` as a numpy mask, several times faster on text (Arrow hashing)."""
    return (
        positions(values, pd.Series(list(keys) if not isinstance(keys, pd.Series) else keys)) >= 0
    )


def _arrow_text(values: ArrayLike) -> pa.Array:
    """Text values as an Arrow large_string array (zero-copy for Arrow-backed strings)."""
    return pa.array(pd.Series(values).astype("string").array).cast(pa.large_string())


def quarter_table(
    quarters: ArrayLike, as_of: pd.Timestamp, config: Config = Config()
) -> pd.DataFrame:
    """Start, end (day numbers) and elapsed fraction at ``as_of`` of each distinct quarter label."""
    labels = sorted({q for q in pd.Series(quarters).dropna().unique() if _is_label(q)})
    rows = []
    for q in labels:  # one row per quarter label, a handful
        start, end = quarter_bounds(q, config.fiscal_start_month)
        f = elapsed_fraction(q, as_of, config.fiscal_start_month)
        rows.append((q, day_number([start])[0], day_number([end])[0], f))
    return pd.DataFrame(rows, columns=["quarter", "q_start", "q_end", "elapsed"]).astype(
        {"quarter": "string", "q_start": "int64", "q_end": "int64", "elapsed": "float64"}
    )


def listed_twice(ids: pd.Series) -> bool:
    """Whether any id is listed in several quarters (an item spanning quarters: one row each)."""
    return bool(pd.Series(ids).duplicated().any())


def row_key(ids: pd.Series, quarters: pd.Series) -> pd.Series:
    """One key per (id, quarter): what tells an item's row of one quarter from its others.

    >>> row_key(pd.Series(["O1", "O1"]), pd.Series(["2026-Q1", "2026-Q2"])).nunique()
    2
    """
    ids = pd.Series(ids).astype("string").reset_index(drop=True)
    quarters = pd.Series(quarters).astype("string").fillna("").reset_index(drop=True)
    return ids + "\x1f" + quarters


def period_table(
    ids: pd.Series, quarters: pd.Series, as_of: pd.Timestamp, config: Config = Config()
) -> pd.DataFrame:
    """Per row: ``q_start``, ``q_end`` (day numbers) and ``elapsed`` at ``as_of`` of its period.

    An item's period runs from the first day of the first quarter it is listed in to the last
    day of the last one: its own quarter, or for an item spanning quarters (``K1`` listed in
    2026-Q2 and 2026-Q3: an ``Annual 2026`` key result) the span of all its rows.
    ``elapsed`` is the share of the period's days passed by the end of ``as_of`` (0–1).
    """
    qt = quarter_table(quarters, as_of, config)
    at = positions(pd.Series(quarters), qt["quarter"])
    found, at = at >= 0, np.maximum(at, 0)
    start, end = (
        pd.Series(np.where(found, qt[c].to_numpy(float)[at], np.nan) if len(qt) else np.nan,
                  index=range(len(at)), dtype=float)
        for c in ("q_start", "q_end")
    )  # fmt: skip
    ids = pd.Series(ids).reset_index(drop=True)
    if listed_twice(ids):
        start = start.groupby(ids).transform("min").where(start.notna())
        end = end.groupby(ids).transform("max").where(end.notna())
    today = float(day_number([as_of])[0])
    s, e = start.to_numpy(float), end.to_numpy(float)
    elapsed = np.clip((today - s + 1) / (e - s + 1), 0.0, 1.0)
    return pd.DataFrame({"q_start": start, "q_end": end, "elapsed": elapsed.astype(float)})


def _is_label(q: object) -> bool:
    try:
        parse_label(str(q))
    except ValueError:
        return False
    return True


def metric_codes(metric_type: pd.Series) -> np.ndarray:
    """Index into ``METRIC_TYPES`` of settled metric types (``model.settle`` fills missing ones)."""
    codes = pd.Categorical(metric_type, categories=list(METRIC_TYPES)).codes.astype(np.int8)
    return np.maximum(codes, 0).astype(np.int8)


def raw_progress(
    metric: ArrayLike, start: ArrayLike, target: ArrayLike, current: ArrayLike
) -> np.ndarray:
    """(current − start) / (target − start); binary and stay_above/below give 0 or 1.

    ``metric`` holds names or codes into ``METRIC_TYPES``; a target equal to its start counts
    as reached (1) when the current value is at or beyond it (below it for a decrease, whose
    target may be re-scoped to its start at a check-in), never a division error.
    """
    start, target, current = (np.asarray(a, dtype=float) for a in (start, target, current))
    if not np.issubdtype(np.asarray(metric).dtype, np.integer):
        metric = metric_codes(pd.Series(np.asarray(metric, dtype=object)))
    code = np.asarray(metric)
    denom = target - start
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (current - start) / denom
    odd = np.flatnonzero((code >= 2) | (denom == 0))  # usually few: fix only those rows
    if len(odd):
        c, t, s, v = code[odd], target[odd], start[odd], current[odd]
        towards = np.where((c != _DECREASE) & (t >= s), v >= t, v <= t)
        out[odd] = np.select([c == 3, c == 4], [v >= t, v <= t], default=towards)
    return out


def status_of(
    score: ArrayLike,
    expected: ArrayLike,
    config: Config = Config(),
    metric: ArrayLike | None = None,
) -> np.ndarray:
    """The status of a score at the expected pace ``f``; NA score → NA. By kind (``metric`` codes):

    - increase/decrease (and objectives, teams, departments: ``metric`` None): ``done`` at
      score ≥ 1, ``on_track`` at ≥ f − on_track_margin, ``at_risk`` at ≥ f − at_risk_margin,
      else ``off_track``;
    - binary: ``done`` once done, else ``on_track`` before ``binary_at_risk_at`` of the quarter,
      ``at_risk`` before ``binary_off_track_at``, then ``off_track``;
    - stay_above/stay_below: ``on_track`` while the line holds, ``off_track`` once breached.
    """
    score, expected = np.asarray(score, float), np.asarray(expected, float)
    out = np.select(
        [
            score >= 1 - EPS,
            score >= expected - config.on_track_margin - EPS,
            score >= expected - config.at_risk_margin - EPS,
        ],
        ["done", "on_track", "at_risk"],
        default="off_track",
    ).astype(object)
    if metric is not None:
        code = np.asarray(metric)
        binary = np.select(
            [score >= 1 - EPS, expected < config.binary_at_risk_at - EPS,
             expected < config.binary_off_track_at - EPS],
            ["done", "on_track", "at_risk"], default="off_track",
        )  # fmt: skip
        stay = np.where(score >= 1 - EPS, "on_track", "off_track")
        out = np.select([code == BINARY, code > BINARY], [binary, stay], out).astype(object)
    out[np.isnan(score)] = None
    return out


def kr_frame(ds: Dataset, as_of: pd.Timestamp, config: Config = Config()) -> pd.DataFrame:
    """Key results (one row per quarter each is listed in) joined to their objective's row of
    that quarter (team/department/type) and the pace of their period (``period_table``: a
    quarter, or the span of the quarters a key result is listed in)."""
    obj = ds.objectives[["objective_id", "quarter", "team", "department", "okr_type"]]
    spanning = listed_twice(obj["objective_id"])
    if spanning:  # an objective listed in several quarters: its key results row by row
        obj = obj.drop_duplicates(["objective_id", "quarter"])
        krs = ds.key_results.drop_duplicates(["kr_id", "quarter"])
        krs = krs.merge(obj, on=["objective_id", "quarter"], how="inner")
    else:  # every objective in one quarter (the usual case): joined on its id alone
        krs = ds.key_results.drop(columns="quarter").drop_duplicates("kr_id")
        krs = krs.merge(obj, on="objective_id", how="inner")
    krs = krs.reset_index(drop=True)
    krs.attrs["spanning"] = spanning
    period = period_table(krs["kr_id"], krs["quarter"], as_of, config)
    for col in ("q_start", "q_end"):  # day numbers; NaN where the quarter is not a label
        days = period[col]
        krs[col] = days.astype("int64") if days.notna().all() else days
    krs["elapsed"] = period["elapsed"].to_numpy(float)
    krs["metric_code"] = metric_codes(krs["metric_type"])
    return krs


FALLBACK_COLUMNS = ["current_as_of", "q_end", "export_value", "current_value", "start_value"]


def fallback_value(krs: pd.DataFrame, day: np.ndarray) -> np.ndarray:
    """A KR's value on ``day`` (day numbers) when it has no check-in by then.

    ``current_value`` carries no date of its own: it counts from ``current_as_of`` (the export's
    day), or from the quarter's last day when the export was made after the quarter ended (an
    export made after a quarter closed holds its final values); before that, and without one,
    the KR stands at its start value.
    """
    since = np.fmin(day_number(krs["current_as_of"]).astype(float), krs["q_end"].to_numpy(float))
    current = krs["export_value" if "export_value" in krs else "current_value"].to_numpy(float)
    known = ~np.isnan(current) & ((since <= day) | krs["current_as_of"].isna().to_numpy())
    return np.where(known, current, krs["start_value"].to_numpy(float))


@dataclass(frozen=True)
class History:
    """Check-ins on or before ``as_of`` as numpy arrays sorted by (KR position, date).

    ``k`` is the row of the KR in the ``kr_frame``; ``target`` is the target in force at each
    check-in (latest re-scoped target so far, else the KR's own); ``score`` uses it.
    """

    k: np.ndarray
    day: np.ndarray
    value: np.ndarray
    confidence: np.ndarray
    src: np.ndarray  # row of each check-in in ``ds.checkins``
    target: np.ndarray
    score: np.ndarray
    last: np.ndarray  # True on each KR's latest check-in
    # True where the check-in gave a value (``value`` carries the last one over the others)
    measured: np.ndarray | None = None

    def latest_index(self, k: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Row of each (KR, day)'s latest check-in on or before that day; -1 where none."""
        keys = self.k.astype(np.int64) * _KEY + self.day
        pos = np.searchsorted(keys, np.asarray(k, np.int64) * _KEY + day, side="right") - 1
        ok = pos >= 0
        ok[ok] = self.k[pos[ok]] == np.asarray(k)[ok]
        return np.where(ok, pos, -1)


def history(ds: Dataset, krs: pd.DataFrame, as_of: pd.Timestamp) -> History:
    """The check-ins of ``krs`` up to ``as_of``, sorted, with targets in force and scores.

    A key result spanning quarters (one id listed in 2026-Q2 and 2026-Q3) has one history:
    each of its rows sees all its check-ins, so its progress on any date uses all of them up
    to that date, whatever quarter they were made in.
    """
    ci = ds.checkins
    rows, k = _checkin_rows(ci["kr_id"], krs["kr_id"])
    day, dated = day_number(ci["date"]), ci["date"].notna().to_numpy()
    if rows is not None:  # copies: a check-in may count for several KR rows
        day, dated = day[rows], dated[rows]
    chosen = np.flatnonzero((k >= 0) & (day <= day_number([as_of])[0]) & dated)
    keep = chosen if rows is None else rows[chosen]
    k, day = k[chosen], day[chosen]
    key = k.astype(np.int64) * _KEY + day
    if len(key) and not (key[1:] >= key[:-1]).all():  # exports usually come sorted
        order = np.argsort(key, kind="stable")
        k, day, keep = k[order], day[order], keep[order]
    first = np.r_[True, k[1:] != k[:-1]] if len(k) else np.zeros(0, bool)
    last = np.r_[k[1:] != k[:-1], True] if len(k) else np.zeros(0, bool)
    whole = len(keep) == len(ci) and bool((keep[1:] > keep[:-1]).all())

    def take(column: str) -> np.ndarray:  # no copy when every row is kept in order
        values = ci[column].to_numpy(float)
        return values if whole else values[keep]

    scoped = _ffill_groups(take("target_value"), first)
    target = np.where(np.isnan(scoped), krs["target_value"].to_numpy(float)[k], scoped)
    # a check-in with no value (a status, a confidence or a comment alone) leaves the value
    # where the last one put it: it counts as a check-in but never moves progress
    measured = ~np.isnan(take("value"))
    value = _ffill_groups(take("value"), first)
    score = np.clip(
        raw_progress(
            krs["metric_code"].to_numpy()[k], krs["start_value"].to_numpy(float)[k], target, value
        ),
        0.0,
        1.0,
    )
    conf = take("confidence")
    return History(k, day, value, conf, keep, target, score, last, measured)


def _checkin_rows(checkin_kr: pd.Series, kr_ids: pd.Series) -> tuple[np.ndarray | None, np.ndarray]:
    """(check-in rows, KR rows): each check-in with its key result's row (-1 when unknown;
    check-in rows None: every row once, in order), or, where key results span quarters, pairs
    matching each check-in with every row of its key result (one per quarter it is listed in)."""
    if not listed_twice(kr_ids):
        return None, positions(checkin_kr, kr_ids)
    mine = pd.DataFrame(
        {"base": checkin_kr.astype("string").to_numpy(), "row": np.arange(len(checkin_kr))}
    )
    krs = pd.DataFrame({"base": kr_ids.astype("string").to_numpy(), "k": np.arange(len(kr_ids))})
    pairs = mine.merge(krs, on="base", how="inner", sort=False)
    return pairs["row"].to_numpy(np.int64), pairs["k"].to_numpy(np.int64)


def _ffill_groups(values: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Forward-fill NaN within groups of consecutive rows (``first`` marks each group's start)."""
    idx = np.arange(len(values))
    pos = np.maximum.accumulate(np.where(~np.isnan(values) | first, idx, 0)) if len(idx) else idx
    return values[pos]


def kr_progress(ds: Dataset, as_of: pd.Timestamp, config: Config = Config()) -> pd.DataFrame:
    """One row per KR of every quarter: values, progress, score, pace, status and forecast as of."""
    return kr_progress_with_history(ds, as_of, config)[0]


def kr_progress_with_history(
    ds: Dataset, as_of: pd.Timestamp, config: Config = Config()
) -> tuple[pd.DataFrame, History]:
    """``kr_progress`` and the check-in ``History`` it was computed from (``k`` = its rows)."""
    as_of = pd.Timestamp(as_of).normalize()
    krs = kr_frame(ds, as_of, config)
    krs["initial_target"] = krs["target_value"]
    krs["export_value"] = krs["current_value"]
    h = history(ds, krs, as_of)
    n = len(krs)
    lk, li = h.k[h.last], np.flatnonzero(h.last)
    today = day_number([as_of])[0]
    fallback = fallback_value(krs, np.full(n, today))
    current = _scatter(n, lk, h.value[li], fallback)
    current = np.where(np.isnan(current), fallback, current)  # no check-in with a value yet
    target = _scatter(n, lk, h.target[li], krs["target_value"])
    krs["target_value"], krs["current_value"] = target, current
    krs["last_checkin"] = _days_to_ts(_scatter(n, lk, h.day[li].astype(float), np.nan))
    krs["n_checkins"] = np.bincount(h.k, minlength=n).astype(np.int64)
    raw = raw_progress(krs["metric_code"].to_numpy(), krs["start_value"], target, current)
    krs["raw_progress"] = raw
    krs["score"] = np.clip(raw, 0.0, 1.0)
    krs["expected"] = krs["elapsed"]
    code = krs["metric_code"].to_numpy()
    krs["status"] = pd.array(status_of(krs["score"], krs["expected"], config, code), dtype="string")
    fc = forecast.theil_sen(krs, h, as_of, config.forecast_checkins, config.forecast_min_days)
    krs["forecast_value"] = fc
    fs = raw_progress(code, krs["start_value"], target, fc)
    krs["forecast_score"] = np.clip(fs, -1.0, 2.0)  # progress units; NaN: not enough check-ins
    krs["latest_confidence"] = _scatter(n, lk, h.confidence[li], np.nan)
    status = np.full(n, None, dtype=object)
    status[lk] = ds.checkins["status"].take(h.src[li]).to_numpy(dtype=object, na_value=None)
    krs["latest_reported_status"] = pd.array(status, dtype="string")
    out = krs[KR_COLUMNS + _KR_EXTRA]
    # the day as nanoseconds since 1970 (``Timestamp.value``): Arrow keeps attributes that are
    # JSON with a frame, and warned of a Timestamp and dropped them
    out.attrs["as_of"] = as_of.value
    out.attrs["spanning"] = krs.attrs["spanning"]  # whether an objective spans quarters
    return out, h


KR_COLUMNS = [
    "kr_id", "objective_id", "quarter", "team", "department", "okr_type", "metric_type",
    "start_value", "target_value", "current_value", "last_checkin", "n_checkins", "raw_progress",
    "score", "elapsed", "expected", "status", "forecast_value", "forecast_score",
    "latest_confidence", "latest_reported_status",
]  # fmt: skip
_KR_EXTRA = ["key_result", "unit", "weight", "initial_target", "metric_code", "q_start", "q_end",
             "current_as_of", "export_value", "source_progress", "period"]  # fmt: skip


def _scatter(n: int, idx: np.ndarray, values: np.ndarray, default: ArrayLike) -> np.ndarray:
    """An array of ``n`` defaults with ``values`` placed at ``idx``."""
    out = np.array(np.broadcast_to(np.asarray(default, dtype=float), (n,)), dtype=float)
    out[idx] = values
    return out


def _days_to_ts(days: np.ndarray) -> pd.Series:
    """Day numbers (float, NaN for none) to a datetime64[ns] Series."""
    ns = np.where(
        np.isnan(days), np.iinfo(np.int64).min, np.nan_to_num(days).astype(np.int64) * _DAY
    )
    return pd.Series(ns.astype("datetime64[ns]"))


def kr_weights(krs: pd.DataFrame) -> pd.Series:
    """Each KR's share of its objective: weight / the objective's total (all 0 → equal shares);
    an objective listed in several quarters: of its row in the KR's quarter."""
    rows = "quarter" in krs and krs.attrs.get("spanning", True)  # unknown: row by row
    oid = [krs["objective_id"], krs["quarter"]] if rows else krs["objective_id"]
    w = krs["weight"].fillna(1.0).clip(lower=0.0)
    w = w.where(w.groupby(oid, dropna=False).transform("sum") > 0, 1.0)
    return w / w.groupby(oid, dropna=False).transform("sum")


def objective_progress(ds: Dataset, krs: pd.DataFrame, config: Config = Config()) -> pd.DataFrame:
    """One row per objective: progress, pace, status, and whether it is aligned.

    Progress is the weighted mean of its KR scores; an objective with no KRs takes the mean of
    the objectives aligned to it in the same quarter; with neither it is not measured (NaN).
    ``aligned``: its parent exists in the data. ``n_krs`` counts its key results.
    ``source_progress``: the exporting tool's own figure (Viva's Progress %), beside ours.
    ``expected``: the pace of its period (``period_table``); ``quarter_pace``: its quarter's.
    ``status``: ``objective_status`` (guard rails and milestones weigh in).
    """
    objs = ds.objectives.drop_duplicates(["objective_id", "quarter"]).reset_index(drop=True)
    if krs.attrs.get("spanning", True):  # an objective's row of a quarter
        oid = row_key(krs["objective_id"], krs["quarter"])
        own = row_key(objs["objective_id"], objs["quarter"])
    else:
        oid = krs["objective_id"].reset_index(drop=True)
        own = objs["objective_id"]
    share = pd.Series(kr_weights(krs).to_numpy(float))
    kr_mean = own.map((krs["score"].fillna(0.0).reset_index(drop=True) * share).groupby(oid).sum())
    n_krs = own.map(oid.value_counts()).fillna(0).astype("int64")
    kr_mean = kr_mean.astype(float).where(n_krs > 0)
    progress = _roll_up(objs, kr_mean)
    as_of = pd.Timestamp(krs.attrs["as_of"])
    qt = quarter_table(objs["quarter"], as_of, config)
    parent = objs["parent_objective_id"]
    aligned = parent.notna().to_numpy(bool) & isin(parent, objs["objective_id"])
    out = objs.assign(n_krs=n_krs, progress=progress, aligned=aligned)
    # the pace of its period (an objective spanning quarters: of the whole span), and of the
    # quarter it is shown in (what its team's and department's pace is)
    out["expected"] = period_table(objs["objective_id"], objs["quarter"], as_of, config)[
        "elapsed"
    ].to_numpy(float)
    out["quarter_pace"] = out["quarter"].map(qt.set_index("quarter")["elapsed"]).astype(float)
    linear = status_of(out["progress"], out["expected"], config)
    out["status"] = pd.array(
        objective_status(own, linear, krs.assign(objective_id=oid.to_numpy())), dtype="string"
    )
    return out[OBJECTIVE_COLUMNS]


STATUS_RANK = {"done": 0, "on_track": 1, "at_risk": 2, "off_track": 3}  # worse is higher
_BY_RANK = np.array(list(STATUS_RANK), dtype=object)


def objective_status(objective_id: pd.Series, linear: np.ndarray, krs: pd.DataFrame) -> np.ndarray:
    """Each objective's status from its linear status (``status_of`` its progress) and its KRs.

    - With a paced KR (increase or decrease): the linear status, but at least ``at_risk`` when
      one of its guard rails (stay_above/stay_below) is breached.
    - With milestones (binary) or guard rails alone: the worst status of its key results (off
      track > at risk > on track > done), never the linear rule: such KRs have no linear pace.
    - Without key results: the linear status of its roll-up.
    """
    n = len(objective_id)
    pos = positions(krs["objective_id"], objective_id)  # each KR's objective row, -1: none
    ok = pos >= 0
    at, code, rank = pos[ok], krs["metric_code"].to_numpy()[ok], _ranks(krs["status"])[ok]
    has_krs = np.bincount(at, minlength=n) > 0
    paced = np.bincount(at, weights=code < BINARY, minlength=n) > 0
    breached = (
        np.bincount(at, weights=(code > BINARY) & (rank == STATUS_RANK["off_track"]), minlength=n)
        > 0
    )
    worst = np.full(n, -1, dtype=np.int64)
    np.maximum.at(worst, at, rank)  # -1 where no KR has a status
    own = _ranks(pd.Series(linear, dtype="string"))
    out_rank = np.where(paced & breached, np.maximum(own, STATUS_RANK["at_risk"]), own)
    out_rank = np.where(has_krs & ~paced & (worst >= 0), worst, out_rank)
    out = np.full(n, None, dtype=object)
    known = out_rank >= 0
    out[known] = _BY_RANK[out_rank[known]]
    return out


def _ranks(status: pd.Series) -> np.ndarray:
    """``STATUS_RANK`` of each status (-1 for none)."""
    text = status.to_numpy(dtype=object, na_value="")
    return np.select([text == name for name in STATUS_RANK], list(STATUS_RANK.values()), -1).astype(
        np.int64
    )


OBJECTIVE_COLUMNS = [
    "objective_id", "objective", "quarter", "team", "department", "level",
    "parent_objective_id", "okr_type", "origin", "n_krs", "progress", "expected", "status",
    "aligned", "source_progress", "quarter_pace", "period",
]  # fmt: skip


def _roll_up(objs: pd.DataFrame, kr_mean: pd.Series) -> pd.Series:
    """Objectives without KRs take the mean of their same-quarter children, level by level."""
    same = "\x1f" + objs["quarter"].fillna("")
    parent_key = objs["parent_objective_id"] + same
    own_key = objs["objective_id"] + same
    progress = kr_mean.copy()
    for _ in range(32):  # tree depth; ingest refuses parent cycles
        child_mean = own_key.map(progress.groupby(parent_key).mean()).astype(float)
        new = kr_mean.fillna(child_mean)
        if np.allclose(new.to_numpy(float), progress.to_numpy(float), equal_nan=True):
            return new
        progress = new
    return progress


def measured(objs: pd.DataFrame) -> pd.DataFrame:
    """The objectives that own key results: the ones a selection's progress averages."""
    return objs[objs["n_krs"] > 0]


def selection_progress(objs: pd.DataFrame) -> float:
    """Progress of a selection: the mean progress of its objectives that own key results.

    Each KR counts once, through its objective and its weight; a parent is never counted on top
    of its children. NaN when no objective owns a key result.
    """
    m = measured(objs)["progress"]
    return float(m.mean()) if m.notna().any() else float("nan")


def _group_progress(objs: pd.DataFrame, keys: list[str], config: Config) -> pd.DataFrame:
    """Per group: the selection progress of its objectives, the quarter's pace and the status."""
    g = objs.groupby(keys, dropna=False, observed=True)
    pace = "quarter_pace" if "quarter_pace" in objs else "expected"
    out = g.agg(expected=(pace, "max"), n_objectives=("objective_id", "size")).reset_index()
    prog = measured(objs).groupby(keys, dropna=False, observed=True)["progress"].mean()
    out = out.merge(prog.rename("progress").reset_index(), on=keys, how="left")
    out = out[[*keys, "progress", "expected", "n_objectives"]]
    out["status"] = pd.array(status_of(out["progress"], out["expected"], config), dtype="string")
    return out


def team_progress(objs: pd.DataFrame, config: Config = Config()) -> pd.DataFrame:
    """Per quarter and team: progress (``selection_progress``), expected pace, status."""
    return _group_progress(objs, ["quarter", "department", "team"], config)


def department_progress(objs: pd.DataFrame, config: Config = Config()) -> pd.DataFrame:
    """Per quarter and department: progress (``selection_progress``), expected pace, status."""
    return _group_progress(objs, ["quarter", "department"], config)


def scores_at(krs: pd.DataFrame, h: History, days: np.ndarray) -> np.ndarray:
    """Score of each KR row of ``krs`` on each of ``days`` (day numbers): a (days × KRs) matrix.

    The same rule as ``kr_progress``: the latest check-in on or before the day (with the target
    then in force), else ``fallback_value`` against the KR's own target.
    """
    n, w = len(krs), len(days)
    rows = krs.index.to_numpy()
    k = np.tile(rows, w)
    day = np.repeat(np.asarray(days, np.int64), n)
    pos = h.latest_index(k, day)
    target = krs["initial_target"] if "initial_target" in krs else krs["target_value"]
    used = [c for c in FALLBACK_COLUMNS if c in krs]  # the KR repeated per day: numbers only
    fallback = np.clip(raw_progress(
        np.tile(krs["metric_code"].to_numpy(), w), np.tile(krs["start_value"].to_numpy(float), w),
        np.tile(target.to_numpy(float), w),
        fallback_value(krs[used].iloc[np.tile(np.arange(n), w)], day),
    ), 0.0, 1.0)  # fmt: skip
    hit = h.score[np.maximum(pos, 0)] if len(h.score) else np.zeros(len(pos))
    return np.where((pos >= 0) & ~np.isnan(hit), hit, fallback).reshape(w, n)


def burnup(
    krs: pd.DataFrame,
    h: History,
    as_of: pd.Timestamp,
    quarter: str,
    config: Config = Config(),
) -> pd.DataFrame:
    """Weekly progress of a selection's KRs (``krs``: rows of ``kr_progress``) up to ``as_of``.

    ``progress`` on each date is the selection progress (``selection_progress``) as of that
    date; on ``as_of`` it equals the headline. ``forecast`` runs from there to the same mean of
    the KRs' forecasts at the quarter's end (clipped to 0–1; a KR without a forecast keeps its
    score). ``expected`` is the pace the calendar asks for.
    """
    as_of = pd.Timestamp(as_of).normalize()
    start, end = quarter_bounds(quarter, config.fiscal_start_month)
    dates = pd.DatetimeIndex(pd.date_range(start, end, freq="7D").tolist() + [end])
    if start <= as_of <= end:
        dates = dates.append(pd.DatetimeIndex([as_of]))
    dates = dates.unique().sort_values()
    frame = pd.DataFrame({"date": dates})
    frame["expected"] = [elapsed_fraction(quarter, d, config.fiscal_start_month) for d in dates]
    frame["progress"] = np.nan
    frame["forecast"] = np.nan
    if len(krs):
        share = (kr_weights(krs) / krs["objective_id"].nunique()).to_numpy()
        past = np.asarray(dates <= as_of)
        frame.loc[past, "progress"] = scores_at(krs, h, day_number(dates[past])) @ share
        now = float(krs["score"].fillna(0.0).to_numpy() @ share)
        fc = krs["forecast_score"].clip(0.0, 1.0).fillna(krs["score"]).fillna(0.0)
        end_mean = float(fc.to_numpy() @ share)
        span = max((end - as_of).days, 1)
        step = np.clip((dates - as_of).days.to_numpy() / span, 0, 1)
        frame["forecast"] = np.where(dates >= as_of, now + (end_mean - now) * step, np.nan)
    return frame[["date", "progress", "expected", "forecast"]]
