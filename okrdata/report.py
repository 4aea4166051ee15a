"""A self-contained HTML leadership report for one quarter (``python -m okrdata report``).

The report is one more way to show the view models the pages show: its headline, departments,
company objectives, burn-up, top risks, health and signals come from ``views`` and its charts
from ``charts``, so it says what the app says for the same quarter and date.

One file that opens offline: plotly.js is inlined once, every other figure reuses it; no
link, font or script is fetched from the network. All user text (titles, team names,
evidence) is HTML-escaped.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from okrdata import charts, display, views
from okrdata.config import Config
from okrdata.model import Dataset

MAX_SIGNAL_ROWS = 500
MAX_TEAM_ROWS = 200  # a larger company's report lists the teams with the lowest discipline
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{margin-bottom:.2rem} .sub{color:#666;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1.5rem 0}
.card{border:1px solid #ddd;border-radius:8px;padding:.8rem 1.2rem;min-width:140px}
.card b{display:block;font-size:1.6rem} .card span{color:#666;font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #eee;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6} .s-high td:first-child{color:#D55E00;font-weight:600} .s-warn td:first-child{color:#9A6400} .s-info td:first-child{color:#0072B2}
"""


def build_report(
    ds: Dataset,
    as_of: pd.Timestamp | None = None,
    quarter: str | None = None,
    config: Config = Config(),
    today: pd.Timestamp | None = None,
) -> str:
    """The report as one HTML string for the snapshot (quarter, as of) of ``ds``."""
    return render(views.base(ds, quarter, as_of, config, today))


def render(b: views.Base) -> str:
    """The report of a computed ``views.Base`` (what the Overview and Trends pages show)."""
    whole = views.Filters(b.quarter, as_of=b.as_of)
    ov = views.overview(b, whole)
    burn = views.trends(b, whole).burnup
    found = views.signals_table(b, whole)
    figures = [
        charts.departments_bar(ov.departments.dropna(subset=["progress"]), ov.elapsed),
        charts.objectives_bar(ov.company, ov.elapsed),
        charts.burnup(burn),
    ]
    divs = [
        fig.to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False})
        for i, fig in enumerate(figures)
    ]
    title = f"OKR Pulse — {b.quarter}"
    body = [
        f"<h1>{_e(title)}</h1>",
        f"<p class='sub'>As of {b.as_of:%d %b %Y}: {display.pct(b.elapsed)} of the quarter has passed, "
        "so that is the progress the calendar expects.</p>",
        f"<p class='sub old'>{_e(b.data_note)}</p>" if b.data_note else "",
        _cards(ov.headline),
        "<h2>Departments against pace</h2>",
        divs[0],
        _table(ov.departments),
        "<h2>Company objectives</h2>",
        divs[1],
        _table(ov.company.drop(columns=["objective_id"])),
        "<h2>Progress against pace</h2>",
        divs[2],
        "<h2>Top risks</h2>",
        _table(ov.top_risks),
        "<h2>OKR health</h2>",
        _table(ov.health.drop(columns=["quarter"])),
        "<h2>OKR health per team</h2>",
        _team_health(b),
        f"<h2>Signals for coaches ({len(found)})</h2>",
        _signals_table(found),
    ]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


def _team_health(b: views.Base) -> str:
    """Every team's health; above ``MAX_TEAM_ROWS`` teams, those with the lowest discipline."""
    teams = views.team_health(b)
    note = ""
    if len(teams) > MAX_TEAM_ROWS:
        note = (f"<p class='sub'>The {MAX_TEAM_ROWS:,} teams of {len(teams):,} with the lowest "
                "check-in discipline; the app's Overview shows every team of a department.</p>")  # fmt: skip
        teams = views.lowest_discipline(teams, MAX_TEAM_ROWS)
    return note + _table(teams.drop(columns=["quarter"]))


def _e(text: object) -> str:
    """HTML-escaped text."""
    return html.escape("" if text is None or text is pd.NA else str(text))


def _cards(headline: dict[str, str]) -> str:
    """The Overview's headline numbers as cards (the same labels and the same text)."""
    inner = "".join(
        f"<div class='card'><b>{_e(v)}</b><span>{_e(k)}</span></div>" for k, v in headline.items()
    )
    return f"<div class='cards'>{inner}</div>"


def _cell(column: str, value: object) -> str:
    """One cell of a ``display.readable`` frame: shares are whole percent numbers by then."""
    if value is None or value is pd.NA:
        return ""
    if column in display.PERCENT_COLUMNS and isinstance(value, int | np.integer):
        return f"{value}%"
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else f"{value:.2f}"
    return str(value)


def _table(frame: pd.DataFrame) -> str:
    """An escaped, readable HTML table (``display.readable``), as the app shows it."""
    if frame.empty:
        return "<p>None.</p>"
    frame = display.readable(frame)
    head = "".join(f"<th>{_e(display.header(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(_cell(c, v))}</td>" for c, v in zip(frame.columns, row, strict=True)) + "</tr>"
        for row in frame.astype(object).itertuples(index=False)
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _signals_table(found: pd.DataFrame) -> str:
    """The signals, most severe first (capped at ``MAX_SIGNAL_ROWS``), text escaped."""
    if found.empty:
        return "<p>No signals: nothing calls for a conversation this quarter.</p>"
    shown = found.head(MAX_SIGNAL_ROWS)
    cols = ["severity", "signal", "department", "team", "objective_id", "kr_id", "evidence",
            "question"]  # fmt: skip
    head = "".join(f"<th>{_e(display.header(c))}</th>" for c in cols)
    text = display.readable(shown[cols])
    rows = "".join(
        f"<tr class='s-{_e(code)}'>"
        + "".join(f"<td>{_e(_cell(c, v))}</td>" for c, v in zip(cols, r, strict=True))
        + "</tr>"
        for code, r in zip(shown["severity"], text.astype(object).itertuples(index=False),
                           strict=True)
    )  # fmt: skip
    more = f"<p>{len(found) - len(shown)} more in the CSV (python -m okrdata signals --format csv).</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>" + (
        more if len(found) > len(shown) else ""
    )
