"""Signals, for coaches: a triage of the teams whose goals may need a conversation, by team."""

import pandas as pd
import streamlit as st

from okrdata import conversations, display
from okrdata.signals import SEVERITIES, SIGNALS
from okrdata.triage import WEEK, TriageError, who
from pages import access, common, weekly

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
    b, tv, view = weekly.triage_view(ctx.version, ctx.filters, actions, tuple(kinds),
                                     tuple(severities), show_hidden, only_new)  # fmt: skip


def handle(rows: pd.DataFrame, note: str | None) -> None:
    """Acknowledge ``rows`` with one note (a conversation, a team, a kind), then redraw."""
    try:
        conversations.discuss(store, rows, who(access.user_name()), note)
    except TriageError as exc:  # read-only, full or busy: said, and what was recorded stays
        st.error(str(exc))
        return
    st.rerun()


st.header("Conversations this week")
talks = view.talks
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
                handle(view.open[view.open["team"] == team], note)

st.header("Every team with signals")
st.caption(conversations.summary(tv, show_hidden))
common.table(tv.teams, "signal_teams", "No signals for this selection: nothing calls for a "
             "conversation.", column_config={"strongest": st.column_config.TextColumn(
                 "Strongest signal", width="large")})  # fmt: skip

WIDE = {c: st.column_config.TextColumn(width="large") for c in ("evidence", "question", "triage")}
BUTTONS = {"acknowledge": ("Acknowledge", "check"), "snooze": ("Snooze", "snooze"),
           "reopen": ("Reopen", "undo"), "all": ("Acknowledge all open", "done_all")}  # fmt: skip


def act(panel: conversations.Panel) -> None:
    """The form a coach uses to acknowledge, snooze or reopen one of the team's signals."""
    team, rows = panel.team, panel.rows
    with st.form(f"triage-{team}", border=False, clear_on_submit=True):
        pick = st.selectbox("Signal", rows.index, format_func=panel.labels.__getitem__,
                            key=f"pick-{team}")  # fmt: skip
        note = st.text_input("Note", max_chars=500, key=f"note-{team}",
                             placeholder="What was agreed with the team")  # fmt: skip
        until = st.date_input("Snooze until", value=(b.as_of + WEEK).date(),
                              key=f"until-{team}")  # fmt: skip
        actions = {action: column.form_submit_button(label, icon=f":material/{icon}:",
                                                     key=f"{action}-{team}")
                   for column, (action, (label, icon)) in zip(st.columns(4), BUTTONS.items(),
                                                              strict=True)}  # fmt: skip
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


for panel in view.panels:
    with st.expander(panel.title):
        st.dataframe(panel.evidence, hide_index=True, width="stretch", column_config=WIDE)
        act(panel)
if len(tv.teams) > len(view.panels):
    st.caption(f"The first {len(view.panels)} teams are listed; choose a department or team to "
               "see more.")  # fmt: skip
if not view.open.empty:
    with st.expander("Handle one kind of signal at once"):
        with st.form("triage-kind", border=False, clear_on_submit=True):
            kind = st.selectbox("Kind", sorted(view.open["signal"].unique()), format_func=display.words,
                                key="bulk-kind")  # fmt: skip
            note = st.text_input("Note", max_chars=500, key="bulk-note",
                                 placeholder="Why these need no conversation now")  # fmt: skip
            if st.form_submit_button("Acknowledge every open signal of this kind in the selection"):
                handle(view.open[view.open["signal"] == kind], note)
with st.expander("Every signal row, as a table"):
    common.table(tv.signals, "signals", "No signal rows.", column_config=WIDE)
