"""Tables and charts as every page shows them: readable, capped, optionally clickable."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from okrdata import charts, display, export

MAX_ROWS = 1000  # what a browser is asked to draw; the CSV has every row
# an id is not shown beside the title that names the same thing (the CSV keeps both)
ID_TITLES = {"objective_id": "objective", "kr_id": "key_result"}
# prose, drawn at a fixed width so the short columns beside it stay on screen at 1,440 px (the
# whole text on hover and in the CSV)
PROSE = {"evidence": "large", "question": "medium", "comment": "large", "reason": "medium",
         "objective": "medium", "key_result": "medium", "description": "medium",
         "title": "medium", "provider_key_result": "medium", "message": "large"}  # fmt: skip


def table(frame: pd.DataFrame, name: str, empty: str, *, select: bool = False,
          **kwargs: Any) -> list[int]:  # fmt: skip
    """A readable table (``display.readable``; the CSV download keeps raw codes and numbers).

    Over ``MAX_ROWS`` rows it shows the first ones and says so. With ``select``, one row can be
    clicked: the selected row numbers are returned.
    """
    if frame.empty:
        if empty:  # "" when the sentence above already says there is nothing
            st.caption(empty)
        return []
    shown = frame.head(MAX_ROWS)
    if len(frame) > len(shown):
        st.caption(f"Showing the first {len(shown):,} of {len(frame):,} rows; the CSV has all.")
    config = {c: _column(c, pd.api.types.is_datetime64_any_dtype(shown[c])) for c in shown.columns}
    for code, title in ID_TITLES.items():  # the title says it; the CSV keeps the id
        if code in config and title in shown.columns:
            config[code] = None
    for c, given in kwargs.pop("column_config", {}).items():  # a page's own, with our heading
        # None hides a column from the page (the CSV keeps it)
        config[c] = None if given is None else {"label": display.header(c, table=True),
                                                **{k: v for k, v in given.items() if v}}  # fmt: skip
    readable, csv = prepared(frame)
    picked = st.dataframe(readable, hide_index=True, width="stretch",
                          column_config=config, key=f"table-{name}" if select else None,
                          on_select="rerun" if select else "ignore",
                          selection_mode="single-row", placeholder="–", **kwargs)  # fmt: skip
    # a long CSV is written when the button is clicked, not on every rerun (tens of thousands of
    # rows at 20,000 teams took seconds a rerun); a short one is sent with the page, so a click
    # never waits on the server. A click reruns nothing (on_click="ignore"): a rerun replaced
    # the file the click had asked for, and nothing downloaded
    data = csv if csv is not None else partial(export.to_csv, frame)
    st.download_button("Download CSV", data, file_name=f"{name}.csv",
                       mime="text/csv", key=f"download-{name}", icon=":material/download:",
                       on_click="ignore")  # fmt: skip
    return list(picked.selection.rows) if select else []  # type: ignore[union-attr]


def prepared(frame: pd.DataFrame) -> tuple[pd.DataFrame, bytes | None]:
    """``export.table`` of ``frame``, made once per content (``export.table_key``) and shared:
    a rerun redraws the same tables, and making them again was about a third of an Overview
    rerun. A frame that cannot be hashed is made each time."""
    key = export.table_key(frame, MAX_ROWS)
    return export.table(frame, MAX_ROWS) if key is None else _prepared(key, frame)


@st.cache_resource(max_entries=256, show_spinner=False)
def _prepared(key: str, _frame: pd.DataFrame) -> tuple[pd.DataFrame, bytes | None]:
    return export.table(_frame, MAX_ROWS)


def _column(name: str, dated: bool = False) -> Any:
    label = display.header(name, table=True)
    if dated:  # a day as 16 Nov 2026 (display.DATE_FORMAT), still sorted as a day
        return st.column_config.DateColumn(label, format=display.DATE_FORMAT_TABLE)
    if name in ("progress", "score"):
        return st.column_config.ProgressColumn(label, min_value=0, max_value=100, format="%d%%",
                                               width=110)  # fmt: skip
    if name == "checkin_discipline":  # "Checked in (7 days)" took a team table off-screen
        return st.column_config.NumberColumn(
            "Checked in", format="%d%%", help="Share of key results checked in within 7 days"
        )
    if name in display.PERCENT_COLUMNS:
        return st.column_config.NumberColumn(label, format="%d%%")
    if name == "objectives_per_team":
        return st.column_config.NumberColumn(label, format="%.1f")
    if name in PROSE:
        return st.column_config.TextColumn(label, width=PROSE[name])  # type: ignore[arg-type]
    return st.column_config.Column(label)


def chart(
    build: Callable[[], go.Figure], key: str, view: tuple, select: bool = False
) -> list[dict]:
    """A Plotly chart; with ``select``, a click reruns the page and returns the clicked points.

    The figure is ``build()`` once per chart ``key`` and ``view`` (the data version, filters
    and extras of the view model it draws: ``PageContext.view``), shared by every session:
    Plotly checks each property as a figure is built, which took 115 ms of every rerun of the
    Trends page for its four charts. Streamlit sends a copy (``to_dict``) and nothing changes
    a figure once built."""
    fig = figure(key, view, build)
    if not select:
        st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})
        return []
    event = st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False},
                            on_select="rerun", selection_mode="points")  # fmt: skip
    return list(event.selection.points)


@st.cache_resource(max_entries=48, show_spinner=False)
def figure(key: str, view: tuple, _build: Callable[[], go.Figure]) -> go.Figure:
    """``_build()`` with its labels at the contrast of text (``charts.inked``), per chart and
    view."""
    return charts.inked(_build())
