"""Thresholds and defaults in one place, overridable from a TOML file (``okr.toml``).

Every field is documented in README ("Configuration"). A file overrides only the keys it
names, e.g.::

    fiscal_start_month = 2
    [signals]
    stale_days = 10

>>> Config().on_track_margin
0.15
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T", "Config", "SignalThresholds")


@dataclass(frozen=True)
class SignalThresholds:
    """Defaults for the coach signals (README "Signals for coaches")."""

    off_track_min_elapsed: float = 0.25  # off_track: a paced KR once this share has passed
    stale_days: int = 14  # stale_checkins: no check-in for this many days while the quarter runs
    sandbag_min_indicators: int = (
        2  # sandbagging: a team-quarter with at least this many indicators
    )
    sandbag_min_krs: int = 2  # ... counted only for teams with this many aspirational KRs
    sandbag_hit_share: float = 0.80  # indicator: this share of aspirational KRs at or over 100 %
    sandbag_kr_share: float = 0.50  # other per-KR indicators: this share of aspirational KRs
    sandbag_early_elapsed: float = 0.50  # indicator: target hit before this share of the quarter
    sandbag_target_within: float = 0.10  # indicator: target within this share of its start
    sandbag_confidence: float = 0.90  # indicator: first check-in this confident on KRs then hit
    sandbag_history_score: float = 0.95  # indicator: team aspirational score at least this ...
    sandbag_history_quarters: int = 2  # ... in each of this many previous quarters
    hockey_low_progress: float = 0.20  # hockey_stick: score below this at ...
    hockey_low_at: float = 0.70  # ... this share of the quarter, then a gain of ...
    hockey_jump: float = 0.50  # ... at least this (score points) in ...
    hockey_last_share: float = 0.20  # ... the quarter's last share
    watermelon_confidence: float = 0.70  # watermelon: reported confidence at least this, off track
    confidence_drop: float = 0.30  # declining_confidence: a drop of at least this over ...
    confidence_checkins: int = 3  # ... the last this many check-ins with a confidence
    max_objectives: int = 5  # overload: a team with more objectives than this in a quarter
    max_krs: int = 5  # overload: an objective with more key results than this
    bottleneck_dependencies: int = 3  # dependency_risk: provider with this many unresolved ones
    conversations: int = 10  # Signals: "Conversations this week" lists at most this many teams


@dataclass(frozen=True)
class Config:
    """Calendar, status and signal settings."""

    fiscal_start_month: int = 1
    fiscal_year_named_by: str = "start"  # FY27 / GJ 26/27: "start" or "end" year names the year
    zone_scores: tuple[float, float, float] = (0.3, 0.7, 1.0)  # commit / target / stretch zones
    on_track_margin: float = 0.15
    at_risk_margin: float = 0.30
    max_upload_mb: int = 200  # files over this size are refused before parsing
    import_memory_mb: int = 1500  # DuckDB's working memory in an import; beyond it, it spills
    date_order: str = "mdy"  # how ambiguous slashed dates (03/04/2026) are read: mdy or dmy
    binary_at_risk_at: float = 0.70  # binary KRs not done: at risk from this share of the quarter
    binary_off_track_at: float = 0.90  # ... and off track from this share
    checkin_cadence_days: int = 7  # health: a KR counts as up to date with a check-in this recent
    aspirational_band: tuple[float, float] = (0.6, 0.7)  # health: healthy aspirational mean score
    committed_target: float = 1.0  # health: committed objectives are meant to reach this score
    forecast_checkins: int = 6  # forecast: Theil-Sen trend over this many latest check-ins
    forecast_min_days: int = 7  # ... which must be at least 2 and span at least this many days
    stale_data_days: int = 7  # data whose newest check-in is older is shown as of that day
    analysts: tuple[str, ...] = ()  # with single sign-on: e-mails allowed to import and restore
    signals: SignalThresholds = field(default_factory=SignalThresholds)


def _merge(obj: T, data: dict[str, Any]) -> T:
    kwargs: dict[str, Any] = {}
    names = {f.name: f for f in fields(obj)}
    for key, value in data.items():
        if key not in names:
            raise ValueError(f"unknown setting {key!r} in config file")
        current = getattr(obj, key)
        kwargs[key] = _merge(current, value) if isinstance(value, dict) else type(current)(value)
    return replace(obj, **kwargs)


def load_config(path: str | Path | None = None) -> Config:
    """The default Config, overridden by ``path`` (or ``./okr.toml`` when it exists)."""
    candidate = Path(path) if path else Path("okr.toml")
    if not candidate.exists():
        if path:
            raise FileNotFoundError(f"config file not found: {path}")
        return Config()
    with candidate.open("rb") as fh:
        return _merge(Config(), tomllib.load(fh))
