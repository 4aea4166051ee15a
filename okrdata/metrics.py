"""Progress, pace, status and forecast of key results and objectives as of a date.

The rules: a KR's value is its latest check-in on or before ``as_of``; its score is
(value − start) / (target − start), kept raw and clipped to [0, 1] (binary and stay_above/below
KRs score 0 or 1). The expected pace is the elapsed share of the quarter; a KR is ``done`` at a
score of 1, ``on_track`` within ``on_track_margin`` of the pace, ``at_risk`` within
``at_risk_margin``, else ``off_track`` (``okrdata/config.py``). An objective's progress is the
weighted mean of its KR scores.

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

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from okrdata import forecast
from okrdata.calendar import elapsed_fraction, parse_label, quarter_bounds
from okrdata.config import Config
from okrdata.model import METRIC_TYPES, Dataset

ROLLUPS = ("krs", "aligned", "both")
_EPS = 1e-9
_DAY = np.int64(86_400_000_000_000)  # nanoseconds per day
_KEY = np.int64(1 << 20)  # day numbers (days since 1970) stay far below this


def default_as_of(ds: Dataset) -> pd.Timestamp:
    """The latest check-in date in the data; else today (normalised)."""
    latest = ds.checkins["date"].max() if len(ds.checkins) else pd.NaT
    return (
        pd.Timestamp(latest).normalize() if pd.notna(latest) else pd.Timestamp.today().normalize()
    )


def day_number(values) -> np.ndarray:
    """Days since 1970-01-01 of datetime values (int64; NaT becomes a large negative number)."""
    arr = np.asarray(values, dtype="datetime64[ns]").astype(np.int64)
    return np.floor_divide(arr, _DAY)


def positions(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """Position of each value among ``keys`` (-1 where absent or missing), hashed by Arrow."""
    found = pc.index_in(_arrow_text(values), value_set=_arrow_text(keys).drop_null())
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def isin(values: pd.Series, keys) -> np.ndarray:
    """``values.isin(keys)`` as a numpy mask, several times faster on text (Arrow hashing)."""
    return (
        positions(values, pd.Series(list(keys) if not isinstance(keys, pd.Series) else keys)) >= 0
    )


def _arrow_text(values) -> pa.Array:
    """Text values as an Arrow large_string array (zero-copy for Arrow-backed strings)."""
    return pa.array(pd.Series(values).astype("string").array).cast(pa.large_string())


def quarter_table(quarters, as_of: pd.Timestamp, config: Config = Config()) -> pd.DataFrame:
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


def _is_label(q: object) -> bool:
    try:
        parse_label(str(q))
    except ValueError:
        return False
    return True


def metric_codes(metric_type: pd.Series, start: pd.Series, target: pd.Series) -> np.ndarray:
    """Index into ``METRIC_TYPES``; a missing type is decrease when target < start, else increase."""
    codes = pd.Categorical(metric_type, categories=list(METRIC_TYPES)).codes.astype(np.int8)
    inferred = np.where(np.asarray(target, float) < np.asarray(start, float), 1, 0)
    return np.where(codes < 0, inferred, codes).astype(np.int8)


def raw_progress(metric, start, target, current) -> np.ndarray:
    """(current − start) / (target − start); binary and stay_above/below give 0 or 1.

    ``metric`` holds names or codes into ``METRIC_TYPES``; a target equal to its start counts
    as reached (1) when the current value is at or beyond it, never a division error.
    """
    start, target, current = (np.asarray(a, dtype=float) for a in (start, target, current))
    if not np.issubdtype(np.asarray(metric).dtype, np.integer):
        metric = metric_codes(pd.Series(np.asarray(metric, dtype=object)), start, target)
    code = np.asarray(metric)
    denom = target - start
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (current - start) / denom
    odd = np.flatnonzero((code >= 2) | (denom == 0))  # usually few: fix only those rows
    if len(odd):
        c, t, s, v = code[odd], target[odd], start[odd], current[odd]
        towards = np.where(t >= s, v >= t, v <= t)
        out[odd] = np.select([c == 3, c == 4], [v >= t, v <= t], default=towards)
    return out


def status_of(score, expected, config: Config = Config()) -> np.ndarray:
    """done (score ≥ 1), on_track, at_risk or off_track against the expected pace; NA score → NA."""
    score, expected = np.asarray(score, float), np.asarray(expected, float)
    out = np.select(
        [
            score >= 1 - _EPS,
            score >= expected - config.on_track_margin - _EPS,
            score >= expected - config.at_risk_margin - _EPS,
        ],
        ["done", "on_track", "at_risk"],
        default="off_track",
    ).astype(object)
    out[np.isnan(score)] = None
    return out


def kr_frame(ds: Dataset, as_of: pd.Timestamp, config: Config = Config()) -> pd.DataFrame:
    """Key results joined to their objective's quarter/team/department/type and quarter pace."""
    obj = ds.objectives[["objective_id", "quarter", "team", "department", "okr_type"]]
    krs = ds.key_results.drop_duplicates("kr_id").merge(obj, on="objective_id", how="inner")
    krs = krs.merge(quarter_table(krs["quarter"], as_of, config), on="quarter", how="left")
    krs["start_value"] = krs["start_value"].fillna(0.0)
    krs["metric_code"] = metric_codes(krs["metric_type"], krs["start_value"], krs["target_value"])
    krs["metric_type"] = pd.array(np.array(METRIC_TYPES)[krs["metric_code"]], dtype="string")
    return krs.reset_index(drop=True)


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

    def latest_index(self, k: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Row of each (KR, day)'s latest check-in on or before that day; -1 where none."""
        keys = self.k.astype(np.int64) * _KEY + self.day
        pos = np.searchsorted(keys, np.asarray(k, np.int64) * _KEY + day, side="right") - 1
        ok = pos >= 0
        ok[ok] = self.k[pos[ok]] == np.asarray(k)[ok]
        return np.where(ok, pos, -1)


def history(ds: Dataset, krs: pd.DataFrame, as_of: pd.Timestamp) -> History:
    """The check-ins of ``krs`` up to ``as_of``, sorted, with targets in force and scores."""
    ci = ds.checkins
    k = positions(ci["kr_id"], krs["kr_id"])
    day = day_number(ci["date"])
    keep = np.flatnonzero(
        (k >= 0) & (day <= day_number([as_of])[0]) & ci["date"].notna().to_numpy()
    )
    k, day = k[keep], day[keep]
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
    value = take("value")
    score = np.clip(
        raw_progress(
            krs["metric_code"].to_numpy()[k], krs["start_value"].to_numpy(float)[k], target, value
        ),
        0.0,
        1.0,
    )
    conf = take("confidence")
    return History(k, day, value, conf, keep, target, score, last)


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
    h = history(ds, krs, as_of)
    n = len(krs)
    lk, li = h.k[h.last], np.flatnonzero(h.last)
    current = _scatter(n, lk, h.value[li], krs["current_value"].fillna(krs["start_value"]))
    target = _scatter(n, lk, h.target[li], krs["target_value"])
    krs["target_value"], krs["current_value"] = target, current
    krs["last_checkin"] = _days_to_ts(_scatter(n, lk, h.day[li].astype(float), np.nan))
    krs["n_checkins"] = np.bincount(h.k, minlength=n).astype(np.int64)
    raw = raw_progress(krs["metric_code"].to_numpy(), krs["start_value"], target, current)
    krs["raw_progress"] = raw
    krs["score"] = np.clip(raw, 0.0, 1.0)
    krs["expected"] = krs["elapsed"]
    krs["status"] = pd.array(status_of(krs["score"], krs["expected"], config), dtype="string")
    fc = forecast.theil_sen(krs, h, as_of, config.forecast_checkins)
    krs["forecast_value"] = fc
    fs = raw_progress(krs["metric_code"].to_numpy(), krs["start_value"], target, fc)
    krs["forecast_score"] = np.clip(fs, 0.0, 1.0)
    krs["latest_confidence"] = _scatter(n, lk, h.confidence[li], np.nan)
    status = np.full(n, None, dtype=object)
    status[lk] = ds.checkins["status"].take(h.src[li]).to_numpy(dtype=object, na_value=None)
    krs["latest_reported_status"] = pd.array(status, dtype="string")
    out = krs[KR_COLUMNS + _KR_EXTRA]
    out.attrs["as_of"] = as_of
    return out, h


KR_COLUMNS = [
    "kr_id", "objective_id", "quarter", "team", "department", "okr_type", "metric_type",
    "start_value", "target_value", "current_value", "last_checkin", "n_checkins", "raw_progress",
    "score", "elapsed", "expected", "status", "forecast_value", "forecast_score",
    "latest_confidence", "latest_reported_status",
]  # fmt: skip
_KR_EXTRA = ["key_result", "unit", "weight", "initial_target", "metric_code", "q_start", "q_end"]


def _scatter(n: int, idx: np.ndarray, values: np.ndarray, default) -> np.ndarray:
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


def objective_progress(
    ds: Dataset,
    krs: pd.DataFrame,
    config: Config = Config(),
    rollup: str | None = None,
) -> pd.DataFrame:
    """One row per objective: weighted mean KR score and/or mean of aligned objectives, pace, status.

    ``rollup``: ``krs`` (KRs; an objective with none takes its aligned objectives' mean),
    ``aligned`` (aligned objectives' mean; else KRs) or ``both`` (each KR and each aligned
    objective one item; KR weights normalised within the objective). All-zero weights → equal.
    """
    rollup = rollup or config.rollup
    if rollup not in ROLLUPS:
        raise ValueError(f"rollup must be one of {ROLLUPS}, not {rollup!r}")
    objs = ds.objectives.drop_duplicates("objective_id").reset_index(drop=True)
    oid = krs["objective_id"]
    w = krs["weight"].fillna(1.0).clip(lower=0.0)
    w = w.where(w.groupby(oid).transform("sum") > 0, 1.0)
    score = krs["score"].fillna(0.0)
    kr_mean = objs["objective_id"].map((score * w).groupby(oid).sum() / w.groupby(oid).sum())
    n_krs = objs["objective_id"].map(oid.value_counts()).fillna(0).astype("int64")
    progress = _roll_up(objs, kr_mean.astype(float), n_krs, rollup)
    as_of = krs.attrs.get("as_of", default_as_of(ds))
    qt = quarter_table(objs["quarter"], as_of, config)
    out = objs.assign(level=_levels(objs), n_krs=n_krs, progress=progress)
    out["expected"] = out["quarter"].map(qt.set_index("quarter")["elapsed"]).astype(float)
    out["status"] = pd.array(status_of(out["progress"], out["expected"], config), dtype="string")
    return out[OBJECTIVE_COLUMNS]


OBJECTIVE_COLUMNS = [
    "objective_id", "objective", "quarter", "team", "department", "level",
    "parent_objective_id", "okr_type", "origin", "n_krs", "progress", "expected", "status",
]  # fmt: skip


def _roll_up(objs: pd.DataFrame, kr_mean: pd.Series, n_krs: pd.Series, rollup: str) -> pd.Series:
    """Fixed-point roll-up of aligned objectives' progress, one pass per tree level."""
    parent = objs["parent_objective_id"]
    progress = kr_mean.copy()
    for _ in range(32):  # tree depth; ingest refuses parent cycles
        by_parent = progress.groupby(parent)
        child_sum = objs["objective_id"].map(by_parent.sum()).astype(float)
        child_n = objs["objective_id"].map(by_parent.count()).fillna(0).astype(float)
        child_mean = child_sum / child_n.where(child_n > 0)
        if rollup == "krs":
            new = kr_mean.fillna(child_mean)
        elif rollup == "aligned":
            new = child_mean.fillna(kr_mean)
        else:
            total = kr_mean.fillna(0) * n_krs + child_sum.fillna(0)
            new = total / (n_krs + child_n).where(lambda d: d > 0)
        if np.allclose(new.to_numpy(float), progress.to_numpy(float), equal_nan=True):
            return new
        progress = new
    return progress


def _levels(objs: pd.DataFrame) -> pd.Series:
    """Given level, else company (aligned-to, no parent), department (aligned-to) or team."""
    aligned_to = isin(objs["objective_id"], objs["parent_objective_id"].dropna())
    inferred = np.where(
        aligned_to & objs["parent_objective_id"].isna(),
        "company",
        np.where(aligned_to, "department", "team"),
    )
    return objs["level"].fillna(pd.Series(inferred, index=objs.index, dtype="string"))


def _group_progress(objs: pd.DataFrame, keys: list[str], config: Config) -> pd.DataFrame:
    """Mean objective progress per group, its pace and status."""
    g = objs.groupby(keys, dropna=False, observed=True)
    out = g.agg(
        progress=("progress", "mean"),
        expected=("expected", "max"),
        n_objectives=("objective_id", "size"),
    ).reset_index()
    out["status"] = pd.array(status_of(out["progress"], out["expected"], config), dtype="string")
    return out


def team_progress(objs: pd.DataFrame, config: Config = Config()) -> pd.DataFrame:
    """Per quarter and team: mean of its objectives' progress, expected pace, status."""
    return _group_progress(objs, ["quarter", "department", "team"], config)


def department_progress(objs: pd.DataFrame, config: Config = Config()) -> pd.DataFrame:
    """Per quarter and department: mean of its objectives' progress, expected pace, status."""
    return _group_progress(objs, ["quarter", "department"], config)


def burnup(
    ds: Dataset,
    as_of: pd.Timestamp,
    quarter: str,
    config: Config = Config(),
    team: str | None = None,
    department: str | None = None,
) -> pd.DataFrame:
    """Weekly mean KR score of a selection up to ``as_of``, the expected pace and the forecast.

    ``progress`` at a date is the mean score of ``kr_progress`` as of that date; ``forecast``
    (dates from ``as_of`` on) runs straight from today's mean to the mean forecast score.
    """
    as_of = pd.Timestamp(as_of).normalize()
    selection = _select(ds, quarter, team, department)
    krs = kr_progress(selection, as_of, config)
    start, end = quarter_bounds(quarter, config.fiscal_start_month)
    dates = pd.DatetimeIndex(pd.date_range(start, end, freq="7D").tolist() + [end])
    if start <= as_of <= end:
        dates = dates.append(pd.DatetimeIndex([as_of]))
    dates = dates.unique().sort_values()
    frame = pd.DataFrame({"date": dates})
    frame["expected"] = [elapsed_fraction(quarter, d, config.fiscal_start_month) for d in dates]
    past = np.asarray(dates <= as_of)
    frame["progress"] = np.nan
    if len(krs):
        frame.loc[past, "progress"] = _mean_scores(selection, dates[past], as_of)
        now, end_mean = krs["score"].mean(), krs["forecast_score"].mean()
        span = max((end - as_of).days, 1)
        share = np.clip((dates - as_of).days.to_numpy() / span, 0, 1)
        frame["forecast"] = np.where(dates >= as_of, now + (end_mean - now) * share, np.nan)
    else:
        frame["forecast"] = np.nan
    return frame[["date", "progress", "expected", "forecast"]]


def _select(ds: Dataset, quarter: str, team: str | None, department: str | None) -> Dataset:
    """The dataset restricted to one quarter's objectives (and a team / department)."""
    o = ds.objectives[ds.objectives["quarter"] == quarter]
    if team:
        o = o[o["team"] == team]
    if department:
        o = o[o["department"] == department]
    k = ds.key_results[isin(ds.key_results["objective_id"], o["objective_id"])]
    c = ds.checkins[isin(ds.checkins["kr_id"], k["kr_id"])]
    return Dataset(o, k, c, ds.dependencies, ds.teams)


def _mean_scores(ds: Dataset, dates: pd.DatetimeIndex, as_of: pd.Timestamp) -> np.ndarray:
    """Mean KR score as of each date (latest check-in on or before it, else current/start)."""
    base = kr_frame(ds, as_of)
    h = history(ds, base, as_of)
    n, w = len(base), len(dates)
    k = np.tile(np.arange(n), w)
    day = np.repeat(day_number(dates), n)
    pos = h.latest_index(k, day)
    fallback = np.clip(
        raw_progress(
            base["metric_code"].to_numpy(),
            base["start_value"],
            base["target_value"],
            base["current_value"].fillna(base["start_value"]),
        ),
        0,
        1,
    )
    scores = np.where(pos >= 0, h.score[np.maximum(pos, 0)] if len(h.score) else 0.0, fallback[k])
    return scores.reshape(w, n).mean(axis=1)
