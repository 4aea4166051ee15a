"""Trends, for leadership: the quarter's burn-up, check-in rhythm, and quarter over quarter."""

import streamlit as st

from okrdata import charts, views
from pages import cache, common

ctx = common.page("Trends")
common.empty_selection(ctx)
with st.spinner("Computing trends…"):
    tr = cache.view("trends", ctx.version, ctx.filters)

st.header("Burn-up against the pace line")
st.caption("Average score of the selected key results by week, the pace the calendar expects, "
           "and where the trend points at the end of the quarter.")  # fmt: skip
common.chart(lambda: charts.burnup(tr.burnup), "burnup", ctx.view)

st.header(f"Check-ins per {tr.heatmap.index.name or 'team'} and week")  # rows: teams or departments
common.chart(lambda: charts.checkin_heatmap(tr.heatmap), "heatmap", ctx.view)

pace_note = views.in_progress_note(tr, cache.config())
if pace_note:
    st.caption(pace_note)
left, right = st.columns(2)
with left:
    st.header("Quarter over quarter")
    common.chart(lambda: charts.quarter_scores(tr.quarters), "quarters", ctx.view)
with right:
    st.header("Calibration")
    st.caption("Aspirational goals are healthy around 60–70%; committed ones should reach 100%.")
    common.chart(lambda: charts.calibration(tr.calibration), "calibration", ctx.view)

adopt = cache.view("adoption", ctx.version, ctx.filters, cache.adjustments(ctx.version))
st.header("How OKRs spread")
st.caption("Teams with OKRs per department, quarter by quarter.")
common.chart(lambda: charts.adoption(adopt.spread), "adoption", ctx.view)
st.header("Goals adjusted this quarter")  # the full width: in half of it, old → new was off-screen
st.caption("Targets re-scoped at a check-in or between imports, and goals moved to another "
           "quarter, old → new, with the team. Adjusting a goal to what the team has learnt "
           "is part of the method, not a failure.")  # fmt: skip
common.table(adopt.adjusted, "adjusted_goals", "No goal was re-scoped or moved this quarter.")

with st.expander("Tables"):
    common.table(adopt.spread, "adoption", "No OKRs yet.")
    common.table(tr.quarters, "quarter_scores", "No earlier quarters.")
    common.table(tr.calibration, "calibration", "No scores yet.")
