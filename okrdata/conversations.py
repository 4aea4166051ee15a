"""Conversations this week: the few teams a coach talks to first, each in one sentence.

A coach cannot open 2,000 teams' signals. Of the signals still open (neither acknowledged nor
snoozed), each team is ranked by, in this order:

1. **severity**: its strongest signal (high before warn before info);
2. **novelty**: how many of its open signals are new since a week before;
3. **breadth**: how many kinds of signal it has (off track *and* silent *and* blocked is a
   broader conversation than three silent key results);
4. the number of its open signals, then the team's name (a stable order).

The first ``limit`` teams (``signals.conversations`` in ``okr.toml``, 10 by default) are listed,
each with one sentence naming its first key result (by title) with its evidence, and how many
more signals on which other goals. "Discussed with the team" acknowledges all of that team's open signals with
one note (``okrdata.triage``): the list is a place to start, never a ranking of people.

>>> found = pd.DataFrame({
...     "team": ["Web", "Web", "Data"], "department": ["Product", "Product", "Tech"],
...     "severity": ["warn", "high", "info"], "signal": ["stale_checkins", "off_track", "overload"],
...     "new": [True, False, False], "evidence": ["No check-in for 28 days.",
...     "Score 10% at 51% of the quarter.", "7 objectives."],
...     "kr_id": ["K1", "K2", None], "objective_id": ["O1", "O1", "O2"],
...     "title": ["Book 40 demos", "Grow pipeline 20%", "Ship the lake"]})
>>> talk = pick(found, limit=10)
>>> talk["team"].tolist()
['Web', 'Data']
>>> talk.loc[0, "sentence"]
'Grow pipeline 20%: score 10% at 51% of the quarter; 1 more signal on Book 40 demos.'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from okrdata import display
from okrdata.signals import SEVERITIES
from okrdata.triage import keys
from okrdata.views.coach import TriageView

COLUMNS = ["team", "department", "strongest", "signals", "new", "kinds", "sentence"]
OPEN_STATES = ("open", "back")  # neither acknowledged nor snoozed (``okrdata.triage.apply``)
# a team's signal rows as the Signals page lists them, handled ones marked
EVIDENCE = ["handled", "severity", "signal", "title", "evidence", "question", "new", "triage"]
HANDLED = {"open": "", "back": "↩ back", "acknowledged": "✓ handled", "snoozed": "⏸ snoozed"}
PANELS = 12  # teams the Signals page opens a panel for (each costs a form); its table lists all


@dataclass(frozen=True)
class Panel:
    """One team's panel on the Signals page: its title ("Web (Product): 2 high · 1 new"), its
    signal rows to read (``evidence``), and the rows a coach acts on, one per signal identity
    (indexed by it, ``okrdata.triage.keys``), each with its label as the coach picks it."""

    team: str
    title: str
    evidence: pd.DataFrame
    rows: pd.DataFrame
    labels: dict[str, str]


@dataclass(frozen=True)
class Page:
    """What the Signals page draws of one triage view, worked out once per view: a rerun that
    only redraws it (each widget's change is one) does none of it again."""

    open: pd.DataFrame  # the rows no coach has handled
    talks: pd.DataFrame  # the teams to talk to first (``pick``)
    panels: list[Panel]  # the first ``PANELS`` teams of the view's team table


def summary(tv: TriageView, show_hidden: bool) -> str:
    """The line above the Signals page's team table: "12 signals in 4 teams; 3 new since
    30 Sep 2026; 2 acknowledged or snoozed (hidden)."."""
    return (f"{display.count(len(tv.signals), 'signal')} in {display.count(len(tv.teams), 'team')}; "
            f"{tv.n_new:,} new since {display.date(tv.since)}; {tv.n_hidden:,} acknowledged or "
            f"snoozed {'(shown)' if show_hidden else '(hidden)'}.")  # fmt: skip


def page(tv: TriageView, limit: int) -> Page:
    """What the Signals page draws of a triage view, with ``limit`` conversations."""
    teams, signals = tv.teams, tv.signals
    found = open_signals(signals)
    panels = []
    for _, t in teams.head(PANELS).iterrows():
        rows = signals[signals["team"] == t["team"]]
        counts = ", ".join(f"{t[s]} {s}" for s in SEVERITIES if t[s])
        new = f" · {t['new']} new" if t["new"] else ""
        keyed = rows.set_axis(keys(rows, with_quarter=True))
        keyed = keyed[~keyed.index.duplicated()]  # one identity, one action
        panels.append(Panel(str(t["team"]), f"{t['team']} ({t['department']}): {counts}{new}",
                            evidence(rows), keyed,
                            dict(zip(keyed.index, choices(keyed), strict=True))))  # fmt: skip
    return Page(found, pick(found, limit), panels)


def open_signals(signals: pd.DataFrame) -> pd.DataFrame:
    """The rows of a triage view (``views.triage_view``) a coach has not handled."""
    return signals[signals["state"].isin(OPEN_STATES)]


def headline(talk: pd.Series) -> str:
    """One chosen team as the page writes it (Markdown, the names shown as they are):
    "**✕ high · Web** (Product): Grow pipeline: …"."""
    severity = display.SEVERITY_LABELS.get(talk["strongest"], talk["strongest"])
    return (f"**{severity} · {display.plain(talk['team'])}** "
            f"({display.plain(talk['department'])}): {display.plain(talk['sentence'])}")  # fmt: skip


def evidence(rows: pd.DataFrame) -> pd.DataFrame:
    """A team's signal rows to read: handled ones marked, the signal in words (``EVIDENCE``)."""
    shown = rows.assign(handled=rows["state"].map(HANDLED).fillna(""),
                        signal=rows["signal"].map(display.words))  # fmt: skip
    return shown[EVIDENCE]


def choices(rows: pd.DataFrame) -> list[str]:
    """Each signal row as a coach picks it: team · goal (in words) · evidence."""
    return [f"{team} · {title if pd.notna(title) else 'the team'} · {said}"
            for team, title, said in zip(rows["team"], rows["title"], rows["evidence"],
                                         strict=True)]  # fmt: skip


def pick(found: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """The ``limit`` teams to talk to first (module docstring), one row each.

    ``found``: the open signals (``team``, ``department``, ``severity``, ``signal``, ``new``,
    ``evidence``, ``title``: the key result's or objective's title), most severe first.
    """
    if found.empty or limit <= 0:
        return pd.DataFrame(columns=COLUMNS)
    rank = {s: i for i, s in enumerate(SEVERITIES)}  # 0 is the most severe
    f = found.assign(
        team=found["team"].fillna("").astype(str),
        _rank=found["severity"].map(rank).fillna(len(SEVERITIES)).astype(int),
        _new=found["new"].fillna(False).astype(bool),
    )
    teams = f.groupby("team", sort=False).agg(
        department=("department", "first"),
        strongest=("_rank", "min"),
        signals=("signal", "size"),
        new=("_new", "sum"),
        kinds=("signal", "nunique"),
    )
    order = np.lexsort([teams.index.to_numpy(str), -teams["signals"].to_numpy(),
                        -teams["kinds"].to_numpy(), -teams["new"].to_numpy(),
                        teams["strongest"].to_numpy()])  # fmt: skip
    chosen = teams.iloc[order[:limit]]
    # only the chosen teams' rows are split (splitting all 2,000 teams' took 0.6 s a rerun)
    mine = f[f["team"].isin(chosen.index)]
    ordered = mine.sort_values(["_rank", "_new"], ascending=[True, False], kind="stable")
    sentences = {team: sentence(rows) for team, rows in ordered.groupby("team", sort=False)}
    out = chosen.assign(
        strongest=[SEVERITIES[i] for i in chosen["strongest"]],
        new=chosen["new"].astype(int),
        sentence=[sentences[t] for t in chosen.index],
    ).reset_index()
    return out[COLUMNS]


def sentence(rows: pd.DataFrame) -> str:
    """One team's signals in one sentence: its first goal (by title) with the evidence, then
    how many more signals there are and on how many other goals (short enough that ten teams
    fit one screen)."""
    titles = rows["title"].where(rows["title"].notna() & (rows["title"].astype(str).str.strip() != ""),
                                 "the team").astype(str).str.strip()  # fmt: skip
    first, evidence = titles.iloc[0], str(rows["evidence"].iloc[0]).rstrip(".")
    said = f"{first}: {_lower_first(evidence)}"
    rest, others = len(rows) - 1, titles.iloc[1:][titles.iloc[1:] != first].nunique()
    if rest <= 0:
        return said + "."
    more = f"{rest} more signal{'s' * (rest != 1)}"
    if others:
        more += f" on {others} other goal{'s' * (others != 1)}" if others > 1 else (
            f" on {titles.iloc[1:][titles.iloc[1:] != first].iloc[0]}")  # fmt: skip
    return f"{said}; {more}."


def _lower_first(text: str) -> str:
    """ "No check-in for 28 days" -> "no check-in for 28 days" (an acronym stays: "KR …")."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


class Recorder(Protocol):
    """What ``discuss`` needs of the triage store (``okrdata.triage.Triage``)."""

    def record(self, row: pd.Series, action: str, by: str, *, note: str | None = None) -> None: ...


def discuss(store: Recorder, rows: pd.DataFrame, by: str, note: str | None = None) -> int:
    """ "Discussed with the team": acknowledge each of ``rows`` (a team's open signals) with
    one note; how many were acknowledged. A signal identity is handled once."""
    once = rows[~keys(rows, with_quarter=True).duplicated().to_numpy(bool)]
    for _, row in once.iterrows():
        store.record(row, "acknowledge", by, note=note)
    return len(once)
