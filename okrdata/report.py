"""A self-contained HTML leadership report for one quarter (``python -m okrdata report``).

The report is one more way to show the view models the pages show: its headline, departments,
company objectives, burn-up, top risks, health and signals come from ``views`` and its charts
from ``charts``, so it says what the app says for the same quarter and date.

One file that opens offline: plotly.js is inlined once, every other figure reuses it; no
link, font or script is fetched from the network. All user text (titles, team names,
evidence) is HTML-escaped.
"""

from __future__ import annotations

import datetime
import html

import numpy as np
import pandas as pd

from okrdata import charts, display, views
from okrdata.config import Config
from okrdata.model import Dataset

MAX_SIGNAL_ROWS = 25  # the report lists the most severe; the app and the CLI list every one
MAX_TEAM_ROWS = 25  # a larger selection's report lists the teams with the lowest discipline
MAX_ATTENTION_ROWS = 25  # objectives needing attention: the furthest behind pace
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} .sub{color:#555;margin-top:0}
.summary{font-size:1.05rem;line-height:1.5} .summary li{margin:.3rem 0}
.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1.5rem 0}
.card{border:1px solid #ddd;border-radius:8px;padding:.8rem 1.2rem;min-width:140px}
.card b{display:block;font-size:1.6rem} .card span{color:#555;font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #eee;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6} .s-high td:first-child{color:#B34700;font-weight:600} .s-warn td:first-child{color:#7A5000} .s-info td:first-child{color:#005A8C}
.detail{border-top:2px solid #ccc;margin-top:2.5rem;padding-top:.5rem}
@page{size:A4;margin:14mm}
@media print{
 body{margin:0;max-width:none;font-size:10pt;padding:0}
 h2{break-after:avoid} tr,.card,.js-plotly-plot{break-inside:avoid}
 .detail{break-before:page;border:0}
 .js-plotly-plot,.plotly-graph-div{max-width:100%}
 table{font-size:8.5pt}
}
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


def scope(f: views.Filters) -> str:
    """Whom the report is about, in words.

    >>> scope(views.Filters("2026-Q3", "Sales")), scope(views.Filters("2026-Q3"))
    ('Department: Sales', 'The whole company')
    """
    if f.team:
        return f"Team: {f.team}"
    return f"Department: {f.department}" if f.department else "The whole company"


def render(b: views.Base, f: views.Filters | None = None) -> str:
    """The report of a computed ``views.Base`` for the filters ``f`` (the whole company when
    None): a summary a leader reads first (headline, what needs attention, in sentences), then
    the detail, capped so that it prints in a few pages at any size."""
    f = views.Filters(b.quarter, f.department, f.team, b.as_of) if f else views.Filters(
        b.quarter, as_of=b.as_of)  # fmt: skip
    ov = views.overview(b, f)
    burn = views.trends(b, f).burnup
    found = views.signals_table(b, f)
    objs = _selection(b, f)
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
    level = "Team" if f.team else "Department" if f.department else "Company"
    body = [
        f"<h1>{_e(title)}</h1>",
        f"<p class='sub'>{_e(scope(f))}. As of {display.date(b.as_of)}: {display.pct(b.elapsed)} of "
        "the quarter has passed, so that is the progress the calendar expects.</p>",
        f"<p class='sub old'>{_e(b.data_note)}</p>" if b.data_note else "",
        _cards(ov.headline),
        "<h2>In five minutes</h2>",
        _summary(ov, objs, found),
        "<h2>Departments against pace</h2>",
        divs[0],
        _table(ov.departments),
        f"<h2>{level} objectives</h2>",
        divs[1],
        _table(ov.company.drop(columns=["objective_id"])),
        "<div class='detail'>",
        "<h2>Objectives needing attention</h2>",
        _attention(objs),
        "<h2>Top risks</h2>",
        _table(ov.top_risks),
        "<h2>Progress against pace</h2>",
        divs[2],
        "<h2>OKR health</h2>",
        _table(ov.health.drop(columns=["quarter"])),
        "<h2>OKR health per team</h2>",
        _team_health(b, f),
        f"<h2>Signals for coaches ({len(found)})</h2>",
        _signals_table(found),
        "</div>",
    ]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


def _selection(b: views.Base, f: views.Filters) -> pd.DataFrame:
    """The quarter's objectives of the selection."""
    objs = b.objs[b.objs["quarter"] == b.quarter]
    if f.team:
        return objs[objs["team"] == f.team]
    return objs[objs["department"] == f.department] if f.department else objs


def _behind(objs: pd.DataFrame) -> pd.DataFrame:
    """The objectives at risk or off track, furthest behind pace first."""
    late = objs[objs["status"].isin(["at_risk", "off_track"])]
    late = late.assign(behind=late["expected"] - late["progress"])
    return late.sort_values(["behind", "objective_id"], ascending=[False, True], kind="stable")


def _summary(ov: views.Overview, objs: pd.DataFrame, found: pd.DataFrame) -> str:
    """The report's first section: a few sentences a leader reads before any table."""
    items = []
    measured = objs["status"].notna()
    good = objs["status"].isin(["done", "on_track"])
    items.append(
        f"{display.count(int(good.sum()), 'objective')} of {int(measured.sum()):,} measured "
        f"{display.agree(int(measured.sum()), 'is', 'are')} done or on track; "
        f"{display.pct(ov.on_track_share)} of the key results are."
    )
    depts = ov.departments.dropna(subset=["progress"])
    late = depts[depts["status"].isin(["at_risk", "off_track"])]
    late = late.assign(gap=late["expected"] - late["progress"]).sort_values("gap", ascending=False)
    if len(depts) > 1 and late.empty:
        items.append("Every department is on pace.")
    elif len(depts) > 1:
        named = ", ".join(
            f"{_e(r.department)} ({display.pct(r.progress)}, {display.status_label(r.status)})"
            for r in late.head(3).itertuples()
        )
        items.append(f"Departments furthest behind pace: {named}.")
    behind = _behind(objs)
    if behind.empty:
        items.append("No objective is at risk or off track.")
    else:
        off = int((behind["status"] == "off_track").sum())
        items.append(
            f"{display.count(len(behind), 'objective')} need attention ({off:,} off track, "
            f"{len(behind) - off:,} at risk); the furthest behind: "
            + "; ".join(
                f"{_e(r.objective)} ({_e(r.team)}, {display.pct(r.progress)})"
                for r in behind.head(3).itertuples()
            )  # fmt: skip
            + "."
        )
    if found.empty:
        items.append("No signal calls for a coach's conversation.")
    else:
        high = int((found["severity"] == "high").sum())
        kinds = found["signal"].value_counts().head(3)
        top = ", ".join(f"{display.words(k)} ({n:,})" for k, n in kinds.items())
        items.append(
            f"{display.count(len(found), 'signal')} for coaches in "
            f"{display.count(found['team'].nunique(), 'team')}, {high:,} of high severity; "
            f"the most frequent: {top}."
        )
    return "<ul class='summary'>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _attention(objs: pd.DataFrame) -> str:
    """The objectives at risk or off track furthest behind pace (at most
    ``MAX_ATTENTION_ROWS``), saying how many more there are."""
    behind = _behind(objs)
    cols = ["objective", "team", "department", "progress", "expected", "status"]
    note = ""
    if len(behind) > MAX_ATTENTION_ROWS:
        note = (f"<p class='sub'>The {MAX_ATTENTION_ROWS:,} furthest behind pace of "
                f"{len(behind):,}; the app's Alignment page lists every one.</p>")  # fmt: skip
    if behind.empty:
        return "<p>No objective is at risk or off track.</p>"
    return note + _table(behind.head(MAX_ATTENTION_ROWS)[cols])


def _team_health(b: views.Base, f: views.Filters | None = None) -> str:
    """Every team's health; above ``MAX_TEAM_ROWS`` teams, those with the lowest discipline."""
    teams = views.team_health(b)
    if f is not None and f.team:
        teams = teams[teams["team"] == f.team]
    elif f is not None and f.department:
        teams = teams[teams["department"] == f.department]
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
    """One cell of a ``display.readable`` frame (shares are whole percent numbers by then), as
    ``display`` writes it: ``51%``, ``16 Nov 2026``, ``1,200``."""
    if value is None or value is pd.NA:
        return ""
    if column in display.PERCENT_COLUMNS and isinstance(value, int | np.integer):
        return display.pct(int(value) / 100)
    if isinstance(value, datetime.date):
        return display.date(value)
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else display.number(float(value))
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
    more = (f"<p>{len(found) - len(shown):,} more on the app's Signals page and in its CSV "
            "(python -m okrdata signals --format csv).</p>")  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>" + (
        more if len(found) > len(shown) else ""
    )
