"""The one "as of" rule: which day every surface shows by default, and the sentence that says
the data is old (README "Computation", Dates).

The default day is today, unless the data's newest day is older than ``stale_data_days``
(default 7): then it is that day, and every surface (each page, the HTML report, the CLI) says
so in one sentence. The data's newest day is its latest check-in not after today; data without
a check-in counts from its export's day (the latest ``current_as_of`` of a key result with a
current value, not after today); data with neither is as of today.

>>> import pandas as pd
>>> from okrdata.model import Dataset
>>> ds = Dataset.from_frames(checkins=pd.DataFrame({"kr_id": ["K1"], "date": ["2026-11-16"]}))
>>> d = data_date(ds, pd.Timestamp("2026-12-06"))
>>> f"{d.day:%Y-%m-%d}", d.note()
('2026-11-16', 'Data as of 16 Nov 2026, 20 days ago.')
>>> d = data_date(ds, pd.Timestamp("2026-11-23"))
>>> f"{d.day:%Y-%m-%d}", d.note()
('2026-11-23', None)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from okrdata import display
from okrdata.config import Config
from okrdata.metrics import today_or
from okrdata.model import Dataset


@dataclass(frozen=True)
class DataDate:
    """Today, the data's newest day, and the setting that says when data is old."""

    today: pd.Timestamp
    newest: pd.Timestamp  # the latest check-in (else export day) not after today; else today
    stale_after: int  # days (Config.stale_data_days)

    @property
    def age(self) -> int:
        """Whole days from the data's newest day to today."""
        return int((self.today - self.newest).days)

    @property
    def old(self) -> bool:
        """The data's newest day is more than ``stale_after`` days before today."""
        return self.age > self.stale_after

    @property
    def day(self) -> pd.Timestamp:
        """The default "as of" day: the data's newest day when the data is old, else today."""
        return self.newest if self.old else self.today

    def note(self) -> str | None:
        """The one sentence every surface shows when the data is old; None when it is not."""
        if not self.old:
            return None
        ago = "1 day ago" if self.age == 1 else f"{self.age:,} days ago"
        return f"Data as of {display.date(self.newest)}, {ago}."


def newest_day(ds: Dataset, today: pd.Timestamp | None = None) -> pd.Timestamp:
    """The data's newest day not after ``today``: its latest check-in, else the latest day a
    key result's current value was read (``current_as_of``), else ``today``."""
    today = today_or(today)
    dates = pd.to_datetime(ds.checkins["date"])
    latest = dates[dates <= today].max() if len(dates) else pd.NaT
    if pd.isna(latest):
        k = ds.key_results
        if "current_as_of" in k and "current_value" in k and len(k):
            read = pd.to_datetime(k.loc[k["current_value"].notna(), "current_as_of"])
            latest = read[read <= today].max() if len(read) else pd.NaT
    return today if pd.isna(latest) else pd.Timestamp(latest).normalize()


def data_date(
    ds: Dataset, today: pd.Timestamp | None = None, config: Config = Config()
) -> DataDate:
    """The rule's inputs and answer for ``ds`` on ``today`` (the real today when None)."""
    today = today_or(today)
    return DataDate(today, newest_day(ds, today), config.stale_data_days)
