"""How people read the view models: status as words with a symbol, dates as dates, whole percent.

Pages (``pages.common.table``) and the HTML report show tables through ``readable``; CSV
downloads keep the raw codes and numbers. A status is never told by colour alone: each has a
symbol and words, which charts put in bar labels, hover text and legends too.

>>> status_label("off_track")
'✕ off track'
>>> pct(0.5109)
'51%'
>>> number(1200000.0), number(0.35), number(80.0)
('1,200,000', '0.35', '80')
>>> readable(pd.DataFrame({"status": ["at_risk"], "progress": [0.5109],
...                        "due_date": [pd.Timestamp("2026-12-01")]})).iloc[0].astype(str).tolist()
['▲ at risk', '51', '2026-12-01']
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

STATUS_LABELS = {
    "done": "✓ done",
    "on_track": "● on track",
    "at_risk": "▲ at risk",
    "off_track": "✕ off track",
}
RISK_LABELS = {"ok": "✓ ok", "at_risk": "▲ at risk", "overdue": "◆ overdue", "blocked": "✕ blocked"}
SEVERITY_LABELS = {"high": "✕ high", "warn": "▲ warn", "info": "● info"}
NOT_MEASURED = "– not measured"
# columns holding shares (0–1): shown as whole percent, e.g. 51
PERCENT_COLUMNS = frozenset({
    "progress", "expected", "score", "on_track_share", "alignment_share", "checkin_discipline",
    "aspirational_score", "committed_score", "committed_gap", "top_down_share", "mean_score",
    "target_low", "target_high", "adoption_share", "source_progress", "confidence",
    "latest_confidence",
})  # fmt: skip
CHANGE_LABELS = {"target": "re-scoped", "period": "moved"}  # a goal adjusted (views.adoption)
# columns holding codes: shown as words (with a symbol where the code is a status)
_LABELS = {"status": STATUS_LABELS, "before": STATUS_LABELS, "now": STATUS_LABELS,
           "risk": RISK_LABELS, "severity": SEVERITY_LABELS, "change": CHANGE_LABELS}  # fmt: skip
_WORDS = ("signal", "level", "okr_type", "origin", "metric_type", "aspirational_calibration")
HEADERS = {
    "objective_id": "Objective ID", "kr_id": "KR ID", "key_result": "Key result",
    "on_track_share": "On track", "alignment_share": "Aligned", "n_objectives": "Objectives",
    "n_krs": "Key results", "n_teams": "Teams", "checkin_discipline": "Checked in (7 days)",
    "objectives_per_team": "Objectives per team", "aspirational_score": "Aspirational score",
    "aspirational_calibration": "Aspirational vs 60–70%", "committed_score": "Committed score",
    "committed_gap": "Committed gap", "top_down_share": "Top-down", "depends_on_team": "Waits on",
    "depends_on_kr_id": "Provider KR", "latest_confidence": "Confidence",
    "source_progress": "Progress in the source tool",
    "last_checkin": "Last check-in", "okr_type": "Type", "parent_objective_id": "Parent ID",
    "open_signals": "Open signals", "high_signals": "High signals", "open_in": "Awaited by",
    "open_out": "Waits on", "okr_teams": "Teams with OKRs", "adoption_share": "Share of teams",
    "adjustment": "Old → new", "mean_score": "Mean score", "kr_owner": "KR owner",
    "kr_quarter": "KR quarter", "batch_id": "Batch", "imported_at": "Imported",
    "imported_by": "By", "active_quarters": "In force for", "rows_objectives": "Objectives",
    "rows_key_results": "Key results", "rows_checkins": "Check-ins",
    "rows_dependencies": "Dependencies", "rows_teams": "Teams", "objective_source_progress": "Objective progress in the source tool",
}  # fmt: skip


def status_label(code: object) -> str:
    """``off_track`` → ``✕ off track``; no status → ``– not measured``."""
    if code is None or code is pd.NA or (isinstance(code, float) and np.isnan(code)):
        return NOT_MEASURED
    return STATUS_LABELS.get(str(code), words(code))


def risk_label(code: object) -> str:
    return RISK_LABELS.get(str(code), words(code))


def words(code: object) -> str:
    """A code in words: ``declining_confidence`` → ``declining confidence``."""
    return "" if code is None or code is pd.NA else str(code).replace("_", " ")


def plain(text: object) -> str:
    r"""Text shown as it is inside Markdown (a team named ``*Core*`` stays ``*Core*``).

    >>> print(plain("R&D [core] *ops*"))
    R&D \[core\] \*ops\*
    """
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~<>$:])", r"\\\1", str(text))


def pct(x: float | None) -> str:
    """A share (0–1) as a whole percent, the one way: progress, scores, expected pace, the
    share of the quarter passed and confidence alike.

    >>> pct(0.5109), pct(0.04), pct(1.25), pct(None)
    ('51%', '4%', '125%', '–')
    """
    return "–" if x is None or pd.isna(x) else f"{round(float(x) * 100) + 0:.0f}%"


score = pct  # a score or progress reads as a whole percent: ``score(0.04)`` → ``4%``
confidence = pct  # a confidence (stored 0–1) too: ``confidence(0.7)`` → ``70%``


def points(x: float | None) -> str:
    """A difference of two shares in percentage points: 0.47 → ``47 points``; 0.01 → ``1 point``.

    >>> points(0.4712), points(-0.01), points(None)
    ('47 points', '-1 point', '–')
    """
    if x is None or pd.isna(x):
        return "–"
    n = round(float(x) * 100) + 0
    return f"{n} {agree(abs(n), 'point', 'points')}"


DATE_FORMAT = "%d %b %Y"  # 16 Nov 2026: sentences, tables and charts' date axes (Plotly's too)
DATE_FORMAT_TABLE = "DD MMM YYYY"  # the same day in a table's date column (Moment.js tokens)


def date(d: object) -> str:
    """A day as people read it, the one way: ``16 Nov 2026`` (CSV downloads keep ISO dates).

    >>> date(pd.Timestamp("2026-11-16 13:05")), date("2026-08-01"), date(None)
    ('16 Nov 2026', '01 Aug 2026', '–')
    """
    if d is None or d is pd.NaT or (not isinstance(d, str) and pd.isna(d)):
        return "–"
    return pd.Timestamp(d).strftime(DATE_FORMAT)


def date_times(values: object) -> pd.Series:
    """Days with their time to the minute (two imports of one day told apart), as text.

    >>> date_times(pd.Series(pd.to_datetime(["2026-11-16 13:05:59"]))).tolist()
    ['16 Nov 2026 13:05']
    """
    s = pd.Series(pd.to_datetime(pd.Series(values)))
    return s.dt.strftime(DATE_FORMAT + " %H:%M").where(s.notna(), "–").astype("string")


def days(n: int) -> str:
    """A number of days: ``28 days``, ``1 day``.

    >>> days(28), days(1)
    ('28 days', '1 day')
    """
    return count(int(n), "day")


def pcts(values: object) -> pd.Series:
    """``pct`` over many values at once (a column of evidence sentences), as text.

    >>> pcts([0.5109, None, 0.04]).tolist()
    ['51%', '–', '4%']
    """
    s = pd.Series(values, dtype="float64")
    whole = np.round(s.to_numpy() * 100) + 0.0
    text = pd.Series(whole, index=s.index).map("{:.0f}%".format).astype(object)
    return text.where(s.notna(), "–").astype("string")


def points_each(values: object) -> pd.Series:
    """``points`` over many values at once.

    >>> points_each([0.88, 0.01]).tolist()
    ['88 points', '1 point']
    """
    s = pd.Series(values, dtype="float64")
    whole = np.round(s.to_numpy() * 100) + 0.0
    unit = np.where(np.abs(whole) == 1, " point", " points")
    text = pd.Series(whole, index=s.index).map("{:.0f}".format).astype(object) + unit
    return text.where(s.notna(), "–").astype("string")


def dates(values: object) -> pd.Series:
    """``date`` over many values at once.

    >>> dates(pd.Series(pd.to_datetime(["2026-08-10", None]))).tolist()
    ['10 Aug 2026', '–']
    """
    s = pd.Series(pd.to_datetime(pd.Series(values)))
    return s.dt.strftime(DATE_FORMAT).where(s.notna(), "–").astype("string")


def number(x: float) -> str:
    """A value as people write it: no trailing zeros, thousands separated; none → ``–``."""
    if x is None or pd.isna(x):
        return "–"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


# a table's heading where the column says the rest (a key result's row): shorter on screen
TABLE_HEADERS = {"start_value": "Start", "current_value": "Current", "target_value": "Target"}


def header(column: str, table: bool = False) -> str:
    """A column name as a heading: ``due_date`` → ``Due date`` (``table``: a table's shorter
    heading, ``current_value`` → ``Current``)."""
    if table and column in TABLE_HEADERS:
        return TABLE_HEADERS[column]
    return HEADERS.get(column, column.replace("_", " ").capitalize())


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for reading: codes as words, shares as whole percent numbers, timestamps as dates.

    Column names stay (pages label them with ``header``), so a table still sorts by number.
    """
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if col in _LABELS:
            labels = _LABELS[col]
            fallback = NOT_MEASURED if labels is STATUS_LABELS else ""
            out[col] = [fallback if pd.isna(v) else labels.get(str(v), words(v)) for v in s]
        elif col in _WORDS:
            out[col] = [words(v) if pd.notna(v) else "" for v in s]
        elif col in PERCENT_COLUMNS and pd.api.types.is_numeric_dtype(s):
            out[col] = (s.astype(float) * 100).round().astype("Int64")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.date
    return out


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with its noun, singular for one.

    >>> count(1, "team"), count(1200, "signal"), count(0, "key result")
    ('1 team', '1,200 signals', '0 key results')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def agree(n: int, one: str, many: str) -> str:
    """The word that agrees with ``n`` (``agree(1, "is", "are")``)."""
    return one if n == 1 else many
