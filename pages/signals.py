"""Signals, for coaches: a triage of the teams whose goals may need a conversation, by team."""

import pandas as pd
import streamlit as st

from okrdata import display
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

st.caption(
    f"{display.count(len(tv.signals), 'signal')} in {display.count(len(tv.teams), 'team')}; "
    f"{tv.n_new:,} new since "
    f"{tv.since:%d %b %Y}; {tv.n_hidden:,} acknowledged or snoozed"
    + (" (shown)." if show_hidden else " (hidden).")
)
common.table(tv.teams, "signal_teams", "No signals for this selection: nothing calls for a "
             "conversation.", column_config={"strongest": st.column_config.TextColumn(
                 "Strongest signal", width="large")})  # fmt: skip

EVIDENCE = ["severity", "signal", "new", "triage", "evidence", "question", "objective_id", "kr_id"]
WIDE = {c: st.column_config.TextColumn(width="large") for c in ("evidence", "question", "triage")}


def labels(rows: pd.DataFrame) -> list[str]:
    """Each signal row as its choice reads: severity · signal · key result (or objective)."""
    where = rows["kr_id"].fillna(rows["objective_id"])
    return [f"{sev} · {sig}" + (f" · {w}" if pd.notna(w) else "")
            for sev, sig, w in zip(rows["severity"], rows["signal"], where, strict=True)]  # fmt: skip


def act(team: str, rows: pd.DataFrame) -> None:
    """The form a coach uses to acknowledge, snooze or reopen one of the team's signals."""
    with st.form(f"triage-{team}", border=False, clear_on_submit=True):
        rows = rows.set_axis(keys(rows, with_quarter=True))
        rows = rows[~rows.index.duplicated()]  # one identity, one action
        named = dict(zip(rows.index, labels(rows), strict=True))  # not a lookup per choice
        pick = st.selectbox("Signal", rows.index, format_func=named.__getitem__,
                            key=f"pick-{team}")  # fmt: skip
        note = st.text_input("Note", max_chars=500, key=f"note-{team}",
                             placeholder="What was agreed with the team")  # fmt: skip
        until = st.date_input("Snooze until", value=(b.as_of + WEEK).date(),
                              key=f"until-{team}")  # fmt: skip
        ack, snooze, reopen = st.columns(3)
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
        }
    chosen = next((a for a, pressed in actions.items() if pressed), None)
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
        st.dataframe(rows[EVIDENCE], hide_index=True, width="stretch", column_config=WIDE)
        act(str(t["team"]), rows)
if len(tv.teams) > MAX_TEAMS:
    st.caption(f"The first {MAX_TEAMS} teams are listed; choose a department or team to see more.")
with st.expander("Every signal row, as a table"):
    common.table(tv.signals, "signals", "No signal rows.", column_config=WIDE)
