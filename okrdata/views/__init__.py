"""View models: what each page shows, as frozen dataclasses of frames and headline numbers.

Progress and signals are computed once per (data, quarter, as-of, settings) in a ``Base`` (a
``snapshot.Snapshot`` and its signals); each view then filters and shapes it for a department or
team. Pages and the HTML report only render these, so they show the same numbers.

One module per page family (``base`` what every view starts from, ``overview``,
``alignment``, ``trends``, ``coach``); this package names every view model, as the app's
cache asks for one by its name.

>>> import pandas as pd
>>> from okrdata.ingest import load_dir
>>> ds = load_dir("sample_data").dataset
>>> opts = options(ds, today=pd.Timestamp("2026-11-16"))
>>> b = base(ds, opts.default_quarter, opts.default_as_of)
>>> ov = overview(b, Filters(opts.default_quarter))
>>> list(ov.headline)[:3]
['Objectives', 'Key results', 'On track']
"""

from __future__ import annotations

from okrdata.views.alignment import (
    MAX_GRAPH_TEAMS,
    Alignment,
    Dependencies,
    alignment,
    dependencies,
    focus_graph,
)
from okrdata.views.base import (
    RISK_ORDER,
    Base,
    Filters,
    Options,
    base,
    empty_selection,
    from_snapshot,
    options,
    past_quarter_note,
)
from okrdata.views.coach import (
    SIGNAL_COLUMNS,
    TRIAGE_COLUMNS,
    Changes,
    Earlier,
    TeamView,
    TriageView,
    changes,
    earlier,
    signals_table,
    team_view,
    titles,
    triage_found,
    triage_view,
    week_before,
)
from okrdata.views.overview import (
    Overview,
    lowest_discipline,
    overview,
    team_health,
    teams_overview,
    top_risks,
)
from okrdata.views.trends import (
    ADJUSTED_COLUMNS,
    Adoption,
    Trends,
    adoption,
    in_progress_note,
    trends,
)

__all__ = [
    "ADJUSTED_COLUMNS",
    "Adoption",
    "adoption",
    "Alignment",
    "alignment",
    "Base",
    "base",
    "Changes",
    "changes",
    "Dependencies",
    "dependencies",
    "Earlier",
    "earlier",
    "empty_selection",
    "Filters",
    "focus_graph",
    "from_snapshot",
    "in_progress_note",
    "lowest_discipline",
    "MAX_GRAPH_TEAMS",
    "Options",
    "options",
    "Overview",
    "overview",
    "past_quarter_note",
    "RISK_ORDER",
    "SIGNAL_COLUMNS",
    "signals_table",
    "team_health",
    "team_view",
    "teams_overview",
    "TeamView",
    "titles",
    "top_risks",
    "Trends",
    "trends",
    "TRIAGE_COLUMNS",
    "triage_found",
    "triage_view",
    "TriageView",
    "week_before",
]
