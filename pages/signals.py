"""Signals, for coaches: a triage of the teams whose goals may need a conversation, by team."""

import pandas as pd
import streamlit as st

from okrdata import conversations, display
from okrdata.signals import SEVERITIES, SIGNALS
from okrdata.triage import WEEK, TriageError, keys, who
from pages import access, common, weekly

MAX_TEAMS = 12  # expanders drawn (each costs a form); the teams table lists every team

ctx = common.page("Signals")
st.caption("Questions to open a conversation with a team, each with its evidence. They are about "
           "goals and teams, never a judgement of people.")  # fmt: skip

left, mid, right = st.columns([2, 2, 1])
kinds = left.multiselect("Kind", list(SIGNALS), key="signal", bind="query-params",
                         placeholder="All kinds")  # fmt: skip
severities = mid.multiselect("Severity", list(SEVERITIES), key="severity",
                             bind="query-params", placeholder="All severities")  # fmt: skip
only_new = right.toggle("New this week", key="only_new",
                       help="Only signals not found a week before the as-of date.")  # fmt: skip
show_hidden = right.toggle("Show handled", key="show_handled",
                          help="Also list the signals acknowledged or snoozed.")  # fmt: skip

store = weekly.triage_store()
try:
    actions = store.current()
except TriageError as exc:  # one sentence: damaged, read-only, cannot be opened
    st.error(str(exc))
    st.stop()
with st.spinner("Looking for signals…"):
    b, tv = weekly.triage_view(ctx.version, ctx.filters, actions, tuple(kinds),
                               tuple(severities), show_hidden, only_new)  # fmt: skip

OPEN = conversations.open_signals(tv.signals)


def handle(rows: pd.DataFrame, note: str | None) -> None:
    """Acknowledge ``rows`` with one note (a conversation, a team, a kind), then redraw."""
    try:
        conversations.discuss(store, rows, who(access.user_name()), note)
    except TriageError as exc:  # read-only, full or busy: said, and what was recorded stays
        st.error(str(exc))
        return
    st.rerun()


st.header("Conversations this week")
talks = conversations.pick(OPEN, b.config.signals.conversations)
if talks.empty:
    st.caption("No open signal in this selection: no conversation is called for this week.")
else:
    st.caption("The teams to talk to first: strongest signal, then the most new since last "
               "week, then the most kinds of signal. A place to start, not a ranking.")  # fmt: skip
for _, talk in talks.iterrows():
    team = str(talk["team"])
    text, button = st.columns([6, 1], vertical_alignment="center")
    text.markdown(conversations.headline(talk))
    with button.popover("Discussed", icon=":material/forum:", width="stretch"):
        with st.form(f"talk-{team}", border=False, clear_on_submit=True):
            note = st.text_input("What was agreed", max_chars=500, key=f"talk-note-{team}")
            if st.form_submit_button(f"Discussed with {team}: handle its {talk['signals']} "
                                     "open signals", type="primary"):  # fmt: skip
                handle(OPEN[OPEN["team"] == team], note)

st.header("Every team with signals")
st.caption(
    f"{display.count(len(tv.signals), 'signal')} in {display.count(len(tv.teams), 'team')}; "
    f"{tv.n_new:,} new since "
    f"{display.date(tv.since)}; {tv.n_hidden:,} acknowledged or snoozed"
    + (" (shown)." if show_hidden else " (hidden).")
)
common.table(tv.teams, "signal_teams", "No signals for this selection: nothing calls for a "
             "conversation.", column_config={"strongest": st.column_config.TextColumn(
                 "Strongest signal", width="large")})  # fmt: skip

WIDE = {c: st.column_config.TextColumn(width="large") for c in ("evidence", "question", "triage")}


def act(team: str, rows: pd.DataFrame) -> None:
    """The form a coach uses to acknowledge, snooze or reopen one of the team's signals."""
    with st.form(f"triage-{team}", border=False, clear_on_submit=True):
        rows = rows.set_axis(keys(rows, with_quarter=True))
        rows = rows[~rows.index.duplicated()]  # one identity, one action
        named = dict(
            zip(rows.index, conversations.choices(rows), strict=True)
        )  # not a lookup per choice
        pick = st.selectbox("Signal", rows.index, format_func=named.__getitem__,
                            key=f"pick-{team}")  # fmt: skip
        note = st.text_input("Note", max_chars=500, key=f"note-{team}",
                             placeholder="What was agreed with the team")  # fmt: skip
        until = st.date_input("Snooze until", value=(b.as_of + WEEK).date(),
                              key=f"until-{team}")  # fmt: skip
        ack, snooze, reopen, every = st.columns(4)
        actions = {
            "acknowledge": ack.form_submit_button(
                "Acknowledge", icon=":material/check:", key=f"acknowledge-{team}"
            ),
            "snooze": snooze.form_submit_button(
                "Snooze", icon=":material/snooze:", key=f"snooze-{team}"
            ),
            "reopen": reopen.form_submit_button(
                "Reopen", icon=":material/undo:", key=f"reopen-{team}"
            ),
            "all": every.form_submit_button(
                "Acknowledge all open", icon=":material/done_all:", key=f"all-{team}"
            ),
        }
    chosen = next((a for a, pressed in actions.items() if pressed), None)
    if chosen == "all":
        handle(conversations.open_signals(rows), note)
        return
    if chosen and pick is not None:
        try:
            store.record(rows.loc[pick], chosen, who(access.user_name()), note=note,
                         until=pd.Timestamp(until) if chosen == "snooze" else None)  # fmt: skip
        except TriageError as exc:  # read-only, full or busy: said, and nothing recorded
            st.error(str(exc))
            return
        st.rerun()


for _, t in tv.teams.head(MAX_TEAMS).iterrows():
    rows = tv.signals[tv.signals["team"] == t["team"]]
    counts = ", ".join(f"{t[s]} {s}" for s in SEVERITIES if t[s])
    new = f" · {t['new']} new" if t["new"] else ""
    with st.expander(f"{t['team']} ({t['department']}): {counts}{new}"):
        st.dataframe(conversations.evidence(rows), hide_index=True, width="stretch",
                     column_config=WIDE)  # fmt: skip
        act(str(t["team"]), rows)
if len(tv.teams) > MAX_TEAMS:
    st.caption(f"The first {MAX_TEAMS} teams are listed; choose a department or team to see more.")
if not OPEN.empty:
    with st.expander("Handle one kind of signal at once"):
        with st.form("triage-kind", border=False, clear_on_submit=True):
            kind = st.selectbox("Kind", sorted(OPEN["signal"].unique()), format_func=display.words,
                                key="bulk-kind")  # fmt: skip
            note = st.text_input("Note", max_chars=500, key="bulk-note",
                                 placeholder="Why these need no conversation now")  # fmt: skip
            if st.form_submit_button("Acknowledge every open signal of this kind in the selection"):
                handle(OPEN[OPEN["signal"] == kind], note)
with st.expander("Every signal row, as a table"):
    common.table(tv.signals, "signals", "No signal rows.", column_config=WIDE)
