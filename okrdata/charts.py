"""Chart builders: view-model frames in, ``plotly.graph_objects.Figure`` out.

One colour-blind-safe palette (Okabe–Ito: blue for done and on track, orange and vermillion for
at risk and off track) serves every chart and the report. Status is never told by colour alone:
bars carry the status in words with a symbol (``display.STATUS_LABELS``), and so do hover text
and legends. User text reaches Plotly only as data (trace values, hover text), which Plotly
shows as text.

>>> import pandas as pd
>>> fig = objectives_bar(pd.DataFrame({"objective": ["Grow"], "progress": [0.4],
...                                    "status": ["at_risk"]}), elapsed=0.6)
>>> fig.data[0].x[0], fig.data[0].marker.color[0] == STATUS_COLORS["at_risk"]
(np.float64(0.4), True)
"""

from __future__ import annotations

import html
import textwrap

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from okrdata.display import DATE_FORMAT, date, pct, pcts, risk_label, status_label

# Okabe & Ito (2008), "Color Universal Design": told apart with every common colour-vision type
BLUE, SKY, ORANGE, VERMILLION = "#0072B2", "#56B4E9", "#E69F00", "#D55E00"
GREEN, PURPLE, GREY = "#009E73", "#CC79A7", "#BBBBBB"
STATUS_COLORS = {"done": BLUE, "on_track": SKY, "at_risk": ORANGE, "off_track": VERMILLION,
                 "no_data": GREY}  # fmt: skip
RISK_COLORS = {"ok": SKY, "at_risk": ORANGE, "overdue": ORANGE, "blocked": VERMILLION}
PACE_COLOR = "#444444"
MAX_HEATMAP_ROWS = 40
_RISK_SYMBOLS = {"ok": "circle", "at_risk": "triangle-up", "overdue": "diamond", "blocked": "x"}
SERIES = [BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, "#000000", GREY]  # no yellow on white
INK = "#55534F"  # labels, ticks, titles: 7.7:1 on white (Streamlit's chart grey is 3.7:1)
_LAYOUT = dict(margin=dict(l=10, r=10, t=30, b=30), plot_bgcolor="white", hovermode="closest",
               font=dict(color=INK))  # fmt: skip


def inked(fig: go.Figure) -> go.Figure:
    """Axis ticks and titles and a colour bar's in ``INK`` (a theme's own grey is not set
    by ``_LAYOUT``'s font: Streamlit's chart theme colours the axes itself)."""
    fig.update_xaxes(tickfont_color=INK, title_font_color=INK)
    fig.update_yaxes(tickfont_color=INK, title_font_color=INK)
    fig.update_traces(colorbar_tickfont_color=INK, colorbar_title_font_color=INK,
                      selector=dict(type="heatmap"))  # fmt: skip
    return fig


def _text(values: pd.Series) -> list[str]:
    """User text for Plotly labels: its pseudo-HTML (``<a href>``, ``<b>``) shown, not applied."""
    return [html.escape(str(v), quote=False) for v in values.fillna("")]


def _colors(status: pd.Series) -> list[str]:
    return [STATUS_COLORS.get(s, STATUS_COLORS["no_data"]) for s in status.fillna("no_data")]


def empty(message: str = "No data for this selection") -> go.Figure:
    """A blank figure that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(xaxis_visible=False, yaxis_visible=False, height=200, **_LAYOUT)
    return fig


# a bar's label (an objective's title can be a sentence): at most LABEL_LINES lines of
# LABEL_WIDTH characters, broken between words, ended by "…" when cut; the hover says it whole
LABEL_WIDTH, LABEL_LINES = 30, 2


def _label(text: str) -> str:
    """``text`` as a bar's label, HTML escaped, its lines joined by ``<br>``."""
    lines = textwrap.wrap(text, LABEL_WIDTH) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_WIDTH - 1].rstrip() + "…"
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _progress_bars(labels: pd.Series, frame: pd.DataFrame, elapsed: float) -> go.Figure:
    """One bar per row, in order; rows are placed by position, so two rows with one title keep
    a bar each (a click names its row by ``point_index``)."""
    if frame.empty:
        return empty()
    words = [status_label(s) for s in frame["status"]]
    text = [f"{w} · {pct(p)}" for w, p in zip(words, frame["progress"], strict=True)]
    shown = [_label(str(t)) for t in labels.fillna("")]
    rows = list(range(len(frame)))
    fig = go.Figure(go.Bar(
        x=frame["progress"].to_numpy(float), y=rows, orientation="h",
        marker_color=_colors(frame["status"]), text=text,
        customdata=np.stack([words, pcts(frame["progress"]).tolist(), _text(labels)], axis=1),
        textposition="auto", insidetextanchor="start", textfont=dict(color="#111111"),
        hovertemplate=("%{customdata[2]}<br>progress %{customdata[1]}<br>%{customdata[0]}"
                       "<extra></extra>"),
        name="progress",
    ))  # fmt: skip
    fig.add_vline(x=elapsed, line_dash="dash", line_color=PACE_COLOR,
                  annotation_text=f"expected {pct(elapsed)}", annotation_position="top")  # fmt: skip
    per_row = 40 if any("<br>" in s for s in shown) else 28  # two lines need the room
    fig.update_layout(xaxis=dict(range=[0, 1.05], tickformat=".0%", title="progress"),
                      yaxis=dict(autorange="reversed", tickmode="array", tickvals=rows,
                                 ticktext=shown, showgrid=False, zeroline=False),
                      height=120 + per_row * len(frame), showlegend=False, **_LAYOUT)  # fmt: skip
    return fig


def objectives_bar(frame: pd.DataFrame, elapsed: float) -> go.Figure:
    """Objectives' progress as bars coloured by status, with the expected pace as a line."""
    return _progress_bars(frame["objective"], frame, elapsed)


def departments_bar(frame: pd.DataFrame, elapsed: float) -> go.Figure:
    """Departments' progress side by side against the expected pace."""
    return _progress_bars(frame["department"], frame, elapsed)


SPRING_LAYOUT_MAX_NODES = 500


def dependency_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> go.Figure:
    """Teams as nodes coloured by risk; an arrow from the team that waits to the provider."""
    if nodes.empty:
        return empty()
    g = nx.DiGraph()
    g.add_nodes_from(nodes["team"])
    g.add_edges_from(zip(edges["team"], edges["depends_on_team"], strict=True))
    if len(g) < SPRING_LAYOUT_MAX_NODES:
        pos = nx.spring_layout(g, seed=7, k=1.5 / max(len(g) ** 0.5, 1))
    else:  # networkx lays out 500+ nodes with scipy, which OKR Pulse does not ship
        pos = nx.circular_layout(g)
    arrows = [  # one list: adding annotations one by one costs O(n^2) in plotly
        dict(x=pos[b][0], y=pos[b][1], ax=pos[a][0], ay=pos[a][1], xref="x", yref="y",
             axref="x", ayref="y", showarrow=True, arrowhead=3, arrowsize=1.4, arrowwidth=1.6,
             standoff=10, startstandoff=8, arrowcolor=RISK_COLORS.get(risk, "#999"))
        for risk, group in edges.groupby("risk")
        for a, b in zip(group["team"], group["depends_on_team"], strict=True)
    ]  # fmt: skip
    fig = go.Figure(layout=dict(annotations=arrows))
    xy = np.array([pos[t] for t in nodes["team"]])
    hover = (
        nodes["team"]
        + " ("
        + nodes["department"]
        + ")<br>"
        + nodes["risk"].map(risk_label)
        + "<br>waits on "
        + nodes["open_out"].astype(str)
        + ", awaited by "
        + nodes["open_in"].astype(str)
    )
    fig.add_trace(go.Scatter(
        x=xy[:, 0], y=xy[:, 1], mode="markers+text", customdata=nodes["team"].tolist(),
        text=[t if r == "ok" else f"{t} · {risk_label(r)}"  # the risk as a symbol and words
              for t, r in zip(_text(nodes["team"]), nodes["risk"], strict=True)],
        textposition="top center", hovertext=hover.tolist(), hoverinfo="text",
        marker=dict(size=14 + 4 * nodes["open_in"].clip(upper=6).to_numpy(),
                    color=[RISK_COLORS[r] for r in nodes["risk"]], line=dict(width=1, color="#333"),
                    symbol=[_RISK_SYMBOLS[r] for r in nodes["risk"]]),
        name="teams",
    ))  # fmt: skip
    fig.update_layout(height=560, showlegend=False, xaxis_visible=False, yaxis_visible=False,
                      **_LAYOUT)  # fmt: skip
    return fig


def burnup(frame: pd.DataFrame) -> go.Figure:
    """Average score by date, the expected pace and the forecast to the quarter's end."""
    if frame.empty or frame["progress"].isna().all():
        return empty("No key results in this selection")
    fig = go.Figure()
    days = frame["date"].map(date).to_numpy(dtype=object)
    for col, name, line in (
        ("expected", "expected pace", dict(dash="dash", color=PACE_COLOR)),
        ("progress", "progress", dict(color=BLUE, width=3)),
        ("forecast", "forecast", dict(dash="dot", color=ORANGE)),
    ):
        fig.add_trace(go.Scatter(
            x=frame["date"], y=frame[col], name=name, line=line,
            mode="lines+markers" if col == "progress" else "lines",
            customdata=np.stack([days, pcts(frame[col]).to_numpy(dtype=object)], axis=1),
            hovertemplate=f"%{{customdata[0]}}<br>{name} %{{customdata[1]}}<extra></extra>",
        ))  # fmt: skip
    fig.update_layout(yaxis=dict(range=[0, 1.05], tickformat=".0%"), height=380,
                      xaxis=dict(tickformat=DATE_FORMAT),
                      legend=dict(orientation="h"), **_LAYOUT)  # fmt: skip
    return fig


def checkin_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """Check-ins per team (or department) and week; empty weeks stand out."""
    if matrix.empty:
        return empty("No check-ins in this selection")
    title = ""
    if len(matrix) > MAX_HEATMAP_ROWS:  # the quietest first: those are the ones to look at
        quiet = matrix.sum(axis=1).sort_values(kind="stable").index[:MAX_HEATMAP_ROWS]
        title = f"The {MAX_HEATMAP_ROWS} quietest of {len(matrix):,}: choose a department or team for the rest"
        matrix = matrix.loc[quiet]
    fig = go.Figure(go.Heatmap(
        z=matrix.to_numpy(), x=[date(c) for c in matrix.columns],
        y=_text(matrix.index.to_series()), colorscale="Blues", colorbar_title="check-ins",
        hovertemplate="%{y}<br>week of %{x}: %{z} check-ins<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(height=160 + 18 * len(matrix), yaxis=dict(autorange="reversed"),
                      title=dict(text=title, font_size=13), **_LAYOUT)  # fmt: skip
    return fig


IN_PROGRESS = " (in progress)"  # after a quarter's label on its axis while it runs
_BARGAP = 0.2  # calibration: the gap between quarters' groups of bars


def _quarter_labels(frame: pd.DataFrame) -> pd.Series:
    """Each row's quarter, marked " (in progress)" while it runs (``in_progress``)."""
    running = frame.get("in_progress", pd.Series(False, index=frame.index)).fillna(False)
    return frame["quarter"].astype(str) + np.where(running.astype(bool), IN_PROGRESS, "")


def quarter_scores(frame: pd.DataFrame) -> go.Figure:
    """Each department's average objective progress, quarter by quarter; a quarter in progress
    is marked so (open markers, its label) and shown beside its pace, the progress the calendar
    expects by now, not against a finished quarter's."""
    if frame.empty:
        return empty()
    fig = go.Figure()
    frame = frame.assign(label=_quarter_labels(frame))
    order = list(dict.fromkeys(frame.sort_values("quarter")["label"]))
    for i, (dept, g) in enumerate(frame.groupby("department")):
        running = g.get("in_progress", pd.Series(False, index=g.index)).fillna(False).astype(bool)
        symbols = [i % 12 + 100 if r else i % 12 for r in running]  # 100 on: open markers
        fig.add_trace(go.Scatter(x=g["label"], y=g["progress"], name=str(dept),
                                 mode="lines+markers", line_color=SERIES[i % len(SERIES)],
                                 marker=dict(symbol=symbols, size=9), customdata=pcts(g["progress"]),
                                 hovertemplate=f"{html.escape(str(dept))}<br>%{{x}}: %{{customdata}}"
                                               "<extra></extra>"))  # fmt: skip
    now = frame[frame.get("in_progress", pd.Series(False, index=frame.index)).fillna(False)]
    if not now.empty:
        pace = float(now["expected"].iloc[0])
        fig.add_trace(go.Scatter(
            x=[now["label"].iloc[0]], y=[pace], name="pace so far", mode="markers",
            marker=dict(symbol="line-ew-open", size=40, color=PACE_COLOR, line_width=3),
            hovertemplate=f"the calendar expects {pct(pace)} by now<extra></extra>",
        ))  # fmt: skip
    fig.update_layout(yaxis=dict(range=[0, 1.05], tickformat=".0%"), height=380,
                      xaxis=dict(type="category", categoryorder="array", categoryarray=order),
                      **_LAYOUT)  # fmt: skip
    return fig


def calibration(frame: pd.DataFrame) -> go.Figure:
    """Mean scores of aspirational and committed objectives against where they should land."""
    if frame.empty:
        return empty()
    fig = go.Figure()
    colors = {"aspirational": SKY, "committed": BLUE}
    frame = frame.assign(label=_quarter_labels(frame))
    order = list(dict.fromkeys(frame.sort_values("quarter")["label"]))
    for kind, g in frame.groupby("okr_type"):
        running = g.get("in_progress", pd.Series(False, index=g.index)).fillna(False).astype(bool)
        fig.add_trace(go.Bar(x=g["label"], y=g["mean_score"], name=str(kind),
                             marker_color=colors.get(kind, GREY),
                             marker_pattern_shape=["/" if r else "" for r in running],
                             text=[pct(v) for v in g["mean_score"]]))  # fmt: skip
    fig.add_hrect(y0=0.6, y1=0.7, fillcolor=ORANGE, opacity=0.15, line_width=0,
                  annotation_text="aspirational 60–70%", annotation_position="top left")  # fmt: skip
    fig.add_hline(y=1.0, line_dash="dash", line_color=BLUE, annotation_text="committed 100%")
    kinds = [str(k) for k in frame["okr_type"].drop_duplicates().sort_values()]  # bar order
    width = (1 - _BARGAP) / len(kinds)
    now = frame[frame.get("in_progress", pd.Series(False, index=frame.index)).fillna(False)]
    for _, row in now.iterrows():  # a quarter in progress: where its kind should be by now,
        # drawn over its own bar (a category's bars share 1 - bargap around its position)
        left = order.index(row["label"]) - (1 - _BARGAP) / 2 + kinds.index(row["okr_type"]) * width
        low, high = float(row["target_low"]), float(row["target_high"])
        fig.add_shape(type="rect", x0=left, x1=left + width, y0=low, y1=max(high, low + 0.004),
                      line=dict(color=PACE_COLOR, width=3), name=f"{row['okr_type']} at pace")  # fmt: skip
    fig.update_layout(barmode="group", bargap=_BARGAP, height=380,
                      yaxis=dict(range=[0, 1.1], tickformat=".0%"),
                      xaxis=dict(type="category", categoryorder="array", categoryarray=order),
                      **_LAYOUT)  # fmt: skip
    return fig


def adoption(frame: pd.DataFrame) -> go.Figure:
    """Teams with OKRs per department, quarter by quarter: how OKRs spread through the company."""
    if frame.empty:
        return empty()
    fig = go.Figure()
    for i, (dept, g) in enumerate(frame.groupby("department")):
        fig.add_trace(go.Scatter(
            x=g["quarter"], y=g["okr_teams"], name=str(dept), mode="lines+markers",
            line_color=SERIES[i % len(SERIES)], marker=dict(symbol=i % 12, size=9),
            customdata=[pct(s) for s in g["adoption_share"]],
            hovertemplate=f"{html.escape(str(dept))}<br>%{{x}}: %{{y}} teams with OKRs "
                          "(%{customdata} of its teams)<extra></extra>",
        ))  # fmt: skip
    fig.update_layout(yaxis=dict(title="teams with OKRs", rangemode="tozero"), height=380,
                      xaxis_type="category", **_LAYOUT)  # fmt: skip
    return fig
