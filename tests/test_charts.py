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
