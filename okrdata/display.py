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
    "target_low", "target_high", "adoption_share", "source_progress",
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
    "adjustment": "Old → new", "mean_score": "Mean score",
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


def pct(x: float) -> str:
    """A share as a whole percent (the one percentage format): 0.5109 → ``51%``."""
    return "–" if x is None or pd.isna(x) else f"{x:.0%}"


def number(x: float) -> str:
    """A value as people write it: no trailing zeros, thousands separated; none → ``–``."""
    if x is None or pd.isna(x):
        return "–"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def header(column: str) -> str:
    """A column name as a heading: ``due_date`` → ``Due date``."""
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
