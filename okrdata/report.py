"""A self-contained HTML leadership report for one quarter (``python -m okrdata report``).

One file that opens offline: plotly.js is inlined once, every other figure reuses it; no
link, font or script is fetched from the network. All user text (titles, team names,
evidence) is HTML-escaped.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from okrdata import metrics, signals
from okrdata.config import Config
from okrdata.model import Dataset

STATUS_COLORS = {
    "done": "#1b7837",
    "on_track": "#5aae61",
    "at_risk": "#f1a340",
    "off_track": "#d73027",
}
MAX_SIGNAL_ROWS = 500
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{margin-bottom:.2rem} .sub{color:#666;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1.5rem 0}
.card{border:1px solid #ddd;border-radius:8px;padding:.8rem 1.2rem;min-width:140px}
.card b{display:block;font-size:1.6rem} .card span{color:#666;font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #eee;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6} .s-high td:first-child{color:#d73027;font-weight:600} .s-warn td:first-child{color:#b35806} .s-info td:first-child{color:#4575b4}
"""


def build_report(
    ds: Dataset,
    as_of: pd.Timestamp | None = None,
    quarter: str | None = None,
    config: Config = Config(),
) -> str:
    """The report as one HTML string (headline, departments, company objectives, risks, signals)."""
    ctx = signals.context(ds, as_of, quarter, config)
    found = signals.compute_signals(ds, config=config, ctx=ctx)
    krs, objs = ctx.qkrs, ctx.qobjs
    depts = metrics.department_progress(objs, config)
    company = objs[objs["level"] == "company"]
    figures = [
        _department_figure(depts, ctx.elapsed),
        _objective_figure(company, ctx.elapsed),
        _burnup_figure(metrics.burnup(ds, ctx.as_of, ctx.quarter, config)),
    ]
    divs = [
        fig.to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False})
        for i, fig in enumerate(figures)
    ]
    title = f"OKR Pulse — {ctx.quarter}"
    body = [
        f"<h1>{_e(title)}</h1>",
        f"<p class='sub'>As of {ctx.as_of:%Y-%m-%d}: {ctx.elapsed:.0%} of the quarter has passed.</p>",
        _headline(krs, objs, found, ctx.elapsed),
        "<h2>Departments against pace</h2>",
        divs[0],
        _table(depts[["department", "n_objectives", "progress", "expected", "status"]]),
        "<h2>Company objectives</h2>",
        divs[1],
        _table(company[["objective", "team", "n_krs", "progress", "expected", "status"]]),
        "<h2>Progress against pace</h2>",
        divs[2],
        "<h2>Top risks</h2>",
        _table(_top_risks(krs, ds)),
        f"<h2>Signals for coaches ({len(found)})</h2>",
        _signals_table(found),
    ]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


def _e(text: object) -> str:
    """HTML-escaped text."""
    return html.escape("" if text is None or text is pd.NA else str(text))


def _headline(krs: pd.DataFrame, objs: pd.DataFrame, found: pd.DataFrame, elapsed: float) -> str:
    """Cards with the quarter's headline numbers."""
    n = max(len(krs), 1)
    share = krs["status"].value_counts().reindex(list(STATUS_COLORS), fill_value=0) / n
    cards = [
        (f"{len(objs)}", "objectives"),
        (f"{len(krs)}", "key results"),
        (f"{objs['team'].nunique()}", "teams"),
        (_pct(objs["progress"].mean()), f"average progress (pace {elapsed:.0%})"),
        (_pct(share["done"] + share["on_track"]), "KRs done or on track"),
        (_pct(share["at_risk"]), "KRs at risk"),
        (_pct(share["off_track"]), "KRs off track"),
        (f"{int((found['severity'] == 'high').sum())}", "high-severity signals"),
    ]
    inner = "".join(f"<div class='card'><b>{_e(v)}</b><span>{_e(k)}</span></div>" for v, k in cards)
    return f"<div class='cards'>{inner}</div>"


def _pct(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:.0%}"


def _bar_figure(
    labels: pd.Series, progress: pd.Series, status: pd.Series, elapsed: float, title: str
) -> go.Figure:
    """Horizontal progress bars coloured by status, with the expected pace as a dashed line."""
    fig = go.Figure(
        go.Bar(
            x=progress.fillna(0).tolist(),
            y=labels.astype(str).tolist(),
            orientation="h",
            marker_color=[STATUS_COLORS.get(s, "#999") for s in status.fillna("").tolist()],
            text=[_pct(p) for p in progress.tolist()],
            textposition="auto",
        )
    )
    fig.add_vline(x=elapsed, line_dash="dash", line_color="#333", annotation_text="expected pace")
    height = 120 + 28 * max(len(labels), 1)
    fig.update_layout(title=title, xaxis=dict(range=[0, 1.05], tickformat=".0%"), height=height,
                      margin=dict(l=10, r=10, t=50, b=30), yaxis=dict(autorange="reversed"))  # fmt: skip
    return fig


def _department_figure(depts: pd.DataFrame, elapsed: float) -> go.Figure:
    return _bar_figure(
        depts["department"], depts["progress"], depts["status"], elapsed, "Departments"
    )


def _objective_figure(company: pd.DataFrame, elapsed: float) -> go.Figure:
    return _bar_figure(
        company["objective"], company["progress"], company["status"], elapsed, "Company objectives"
    )


def _burnup_figure(b: pd.DataFrame) -> go.Figure:
    """Mean KR score by week against the expected pace and the forecast."""
    fig = go.Figure()
    for col, dash in (("progress", "solid"), ("expected", "dash"), ("forecast", "dot")):
        fig.add_scatter(
            x=b["date"].tolist(), y=b[col].tolist(), name=col, line=dict(dash=dash), mode="lines"
        )
    fig.update_layout(yaxis=dict(range=[0, 1.05], tickformat=".0%"), height=340,
                      margin=dict(l=10, r=10, t=30, b=30), title="All key results")  # fmt: skip
    return fig


def _top_risks(krs: pd.DataFrame, ds: Dataset, n: int = 10) -> pd.DataFrame:
    """The key results furthest behind pace among those off track."""
    titles = ds.objectives.set_index("objective_id")["objective"]
    k = krs[krs["status"] == "off_track"].assign(behind=krs["expected"] - krs["score"])
    k = k.sort_values(["behind", "kr_id"], ascending=[False, True]).head(n)
    return pd.DataFrame(
        {
            "team": k["team"],
            "objective": k["objective_id"].map(titles),
            "key result": k["key_result"].fillna(k["kr_id"]),
            "score": k["score"],
            "expected": k["expected"],
            "behind": k["behind"],
        }
    )


def _table(frame: pd.DataFrame) -> str:
    """An escaped HTML table; fractions shown with two decimals."""
    if frame.empty:
        return "<p>None.</p>"
    shown = frame.copy()
    for col in shown.columns:
        if shown[col].dtype.kind == "f":
            shown[col] = shown[col].map(lambda v: "" if np.isnan(v) else f"{v:.2f}")
    head = "".join(f"<th>{_e(c)}</th>" for c in shown.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
        for row in shown.astype(object).itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _signals_table(found: pd.DataFrame) -> str:
    """The signals, most severe first (capped at ``MAX_SIGNAL_ROWS``), text escaped."""
    if found.empty:
        return "<p>No signals: nothing calls for a conversation this quarter.</p>"
    shown = found.head(MAX_SIGNAL_ROWS)
    cols = [
        "severity",
        "signal",
        "department",
        "team",
        "objective_id",
        "kr_id",
        "evidence",
        "question",
    ]
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    rows = "".join(
        f"<tr class='s-{_e(r.severity)}'>"
        + "".join(f"<td>{_e(getattr(r, c))}</td>" for c in cols)
        + "</tr>"
        for r in shown.itertuples(index=False)
    )
    more = f"<p>{len(found) - len(shown)} more in the CSV (python -m okrdata signals --format csv).</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>" + (
        more if len(found) > len(shown) else ""
    )
