"""Team, for coaches and team leads: one team's goals, check-ins, dependencies and signals."""

import streamlit as st

from okrdata import display
from pages import cache, common

ctx = common.page("Team")
team = ctx.filters.team
if not team:
    common.empty_selection(ctx, stop=False)
    st.caption("Every team against the pace the calendar expects, furthest behind first. Click "
               "a team (or choose one in the sidebar) to see its goals and check-ins.")  # fmt: skip
    teams = cache.view("teams_overview", ctx.version, ctx.filters)
    for row in common.table(teams, "teams", "No teams in this selection.", select=True)[:1]:
        common.drill(team=str(teams["team"].iloc[row]))
    st.stop()

tv = cache.view("team_view", ctx.version, ctx.filters, team)
st.text(f"{tv.team} · {tv.department} · {ctx.filters.quarter}")
without_okrs = common.empty_selection(ctx, stop=False)  # its signals and dependencies still
if not without_okrs:
    left, right = st.columns(2)
    left.metric("Progress", display.pct(tv.progress))
    right.metric("Status", display.status_label(tv.status))
    st.header("Objectives")
    common.table(tv.objectives, "team_objectives", "This team has no objectives this quarter.")
    st.header("Key results")
    common.table(tv.krs, "team_key_results", "No key results yet.")

st.header("Signals")
common.table(tv.signals, "team_signals", "No signals for this team.",
             column_config={"department": None, "team": None, "objective_id": None,
                            "evidence": st.column_config.TextColumn(width=320)})  # fmt: skip

st.header("Waits on")  # one under the other: side by side, their columns went off-screen
common.table(tv.depends_on, "team_depends_on", "This team waits on no other team.")
st.header("Others wait on this team")
common.table(tv.depended_by, "team_depended_by", "No other team waits on this one.")

if not without_okrs:
    st.header("Check-in history")
    common.table(tv.checkins, "team_checkins", "No check-ins yet this quarter: ask the team to "
                 "check in on its key results, or upload its check-ins on the Data page.",
                 column_config={"comment": st.column_config.TextColumn(width="medium")})  # fmt: skip
