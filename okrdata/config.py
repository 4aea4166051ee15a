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


@dataclass(frozen=True)
class SignalThresholds:
    """Defaults for the coach signals (SPEC "Signals for coaches")."""

    off_track_gap: float = 0.30
    off_track_min_elapsed: float = 0.25
    stale_days: int = 14


@dataclass(frozen=True)
class Config:
    """Calendar, status and signal settings."""

    fiscal_start_month: int = 1
    on_track_margin: float = 0.15
    at_risk_margin: float = 0.30
    max_upload_mb: int = 200  # files over this size are refused before parsing
    date_order: str = "mdy"  # how ambiguous slashed dates (03/04/2026) are read: mdy or dmy
    signals: SignalThresholds = field(default_factory=SignalThresholds)


def _merge(obj, data: dict):
    kwargs = {}
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
