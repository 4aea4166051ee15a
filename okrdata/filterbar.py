"""The shared filter bar's decisions: what it says under its choices, which department and
team a click on a chart or table opens, and a choice dropped when the data does not offer it.

The widgets are drawn by ``pages/common.py``; what they offer is ``views.Options``.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

import pandas as pd

from okrdata import views
from okrdata.config import Config

SOURCE_CAPTIONS = {
    "store": "Showing the imported data.",
    "sample": "Showing the bundled sample data.",
    "session": "Showing files uploaded in this session (not imported).",
}


def notes(quarter: str, as_of: pd.Timestamp, source: str, config: Config = Config()) -> list[str]:
    """What the filter bar says under its choices: that a past quarter is shown as it stood on
    its last day (``views.past_quarter_note``), then which data is shown (``source``: "store",
    "sample" or "session").

    >>> notes("2026-Q3", pd.Timestamp("2026-12-05"), "store")
    ['2026-Q3 ended on 30 Sep 2026: every page shows it as it stood then.', 'Showing the imported data.']
    >>> notes("2026-Q3", pd.Timestamp("2026-09-30"), "sample")
    ['Showing the bundled sample data.']
    """
    shown = [SOURCE_CAPTIONS[source]]
    past = views.past_quarter_note(quarter, as_of, config)
    return shown if past is None else [past, *shown]


def link_view(query: Mapping[str, Any], opts: views.Options) -> dict[str, Any]:
    """The quarter and day a shared link was made for (``?quarter=2026-Q3&as_of=2026-08-15``):
    those of them the data offers and can read, to open the link exactly as it was made.

    >>> opts = views.Options(["2026-Q3", "2026-Q4"], "2026-Q4", pd.Timestamp("2026-11-16"), [], {})
    >>> link_view({"quarter": "2026-Q3", "as_of": "2026-08-15"}, opts)
    {'quarter': '2026-Q3', 'as_of': datetime.date(2026, 8, 15)}
    >>> link_view({"quarter": "1999-Q1", "as_of": "someday"}, opts)
    {}
    """
    chosen: dict[str, Any] = {}
    quarter = _one(query.get("quarter"))
    if quarter in opts.quarters:
        chosen["quarter"] = quarter
    day = _one(query.get("as_of"))
    try:
        chosen.update({"as_of": pd.Timestamp(day).date()} if day else {})
    except (ValueError, TypeError):
        pass  # not a day: the link opens on the default day
    return chosen


def link_params(quarter: str, as_of: pd.Timestamp) -> dict[str, str]:
    """What every link carries, whatever was changed: the quarter and the day it shows.

    >>> link_params("2026-Q3", pd.Timestamp("2026-08-15"))
    {'quarter': '2026-Q3', 'as_of': '2026-08-15'}
    """
    return {"quarter": quarter, "as_of": f"{pd.Timestamp(as_of):%Y-%m-%d}"}


def is_today(opts: views.Options, quarter: str, as_of: pd.Timestamp) -> bool:
    """Whether the view is the default one (this quarter, as of the default day): else a link
    made earlier or another day is shown, and the bar offers "See today".

    >>> opts = views.Options(["2026-Q3", "2026-Q4"], "2026-Q4", pd.Timestamp("2026-11-16"), [], {})
    >>> is_today(opts, "2026-Q4", pd.Timestamp("2026-11-16")), is_today(opts, "2026-Q3", pd.Timestamp("2026-11-16"))
    (True, False)
    """
    return quarter == opts.default_quarter and pd.Timestamp(as_of) == opts.default_as_of


def _one(value: Any) -> str | None:
    """A query parameter's value (the last when given several times)."""
    if isinstance(value, list):
        value = value[-1] if value else None
    return None if value is None else str(value)


def drill_choice(
    opts: views.Options, department: str | None, team: str | None
) -> dict[str, str | None]:
    """The filter bar's department and team after a click on a chart or table: the department
    clicked, else the team's own (the first department that lists it; None when none does)."""
    if not department:
        department = next((d for d in opts.departments if team in opts.teams[d]), None)
    return {"department": department, "team": team}


def forget_unoffered(state: MutableMapping[Any, Any], key: str, offered: list[str]) -> None:
    """Drop the choice ``state[key]`` when it is not among ``offered`` (a link or a drill into
    other data): the widget then opens on its placeholder. No choice (None) stays as it is."""
    if state.get(key) not in [None, *offered]:
        state[key] = None
