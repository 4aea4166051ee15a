"""Chart builders: figures built from view-model frames, checked without a browser."""

from __future__ import annotations

import time

import pandas as pd

from okrdata import charts


def test_the_dependency_graph_of_a_large_company_is_drawn_in_seconds():
    """600 teams: networkx's spring layout would need scipy from 500 nodes on, and adding
    600 arrows one by one took plotly two minutes."""
    teams = [f"Team {i:03d}" for i in range(600)]
    nodes = pd.DataFrame({"team": teams, "department": "Eng", "risk": "ok", "open_out": 1,
                          "open_in": 1})  # fmt: skip
    edges = pd.DataFrame({"team": teams[:-1], "depends_on_team": teams[1:], "risk": "open"})
    start = time.perf_counter()
    fig = charts.dependency_graph(nodes, edges)
    assert time.perf_counter() - start < 20
    points = [t for t in fig.data if t.type == "scatter" and len(t.x) == 600]
    assert len(points) == 1 and len(fig.layout.annotations) == 599


LONG = ("Become the most trusted partner for mid-market logistics companies across Europe and "
        "North America by the end of the fiscal year")  # fmt: skip


def _bars(titles: list[str]):
    frame = pd.DataFrame({"objective": titles, "progress": [0.4] * len(titles),
                          "status": ["on_track"] * len(titles)})  # fmt: skip
    fig = charts.objectives_bar(frame, elapsed=0.5)
    return fig, list(fig.layout.yaxis.ticktext)


def test_a_long_title_is_shown_on_two_short_lines_and_whole_on_hover():
    fig, labels = _bars(["Grow", LONG])
    assert labels[0] == "Grow"
    lines = labels[1].split("<br>")
    assert len(lines) == charts.LABEL_LINES
    assert all(len(line) <= charts.LABEL_WIDTH for line in lines)
    assert lines[-1].endswith("…") and LONG.startswith(" ".join(lines)[:-1].rstrip())
    assert fig.data[0].customdata[1][2] == LONG  # the hover names it whole


def test_two_objectives_with_one_title_keep_a_bar_each():
    fig, labels = _bars(["Grow <b>revenue</b>", "Grow <b>revenue</b>"])
    assert len(set(fig.data[0].y)) == 2 and labels == ["Grow &lt;b&gt;revenue&lt;/b&gt;"] * 2
