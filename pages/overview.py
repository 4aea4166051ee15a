"""Overview, for leadership: the quarter's headline numbers, company objectives, departments."""

import re
from functools import partial

import streamlit as st

from okrdata import charts, report, views
from pages import cache, common, weekly

HIDDEN = ["quarter", "committed_gap"]


def report_html(version: str, f: views.Filters) -> bytes:
    """The HTML report of the view (``okrdata.report``), written when the button is clicked."""
    return report.render(cache.base_of(version, f.quarter, f.key()[3]), f).encode("utf-8")


ctx = common.page("Overview")
with st.spinner("Computing progress…"):
    ov = cache.view("overview", ctx.version, ctx.filters)  # kept ahead for the first page
if ov.empty_note:
    common.empty_selection(ctx, note=ov.empty_note)

st.caption(
    f"{ctx.filters.quarter}, as of {ov.as_of:%d %b %Y}: {ov.elapsed:.0%} of the quarter has "
    "passed, so that is the progress the calendar expects."
)
for col, (label, value) in zip(st.columns(len(ov.headline)), ov.headline.items(), strict=True):
    col.metric(label, value)
who = re.sub(r"[^A-Za-z0-9]+", "-", ctx.filters.team or ctx.filters.department or "company")
st.download_button("Download the report", partial(report_html, ctx.version, ctx.filters),
                   file_name=f"okr-report-{ctx.filters.quarter}-{who.strip('-')}-{ov.as_of:%Y-%m-%d}.html",
                   mime="text/html", key="download-report", icon=":material/description:",
                   help="A page to read in five minutes and to print: a summary first, then the "
                   "detail, for these filters and this date.")  # fmt: skip

left, right = st.columns(2)
with left:
    level = "Team" if ctx.filters.team else "Department" if ctx.filters.department else "Company"
    st.subheader(f"{level} objectives")
    if ov.company.empty:
        st.caption("No company-level objectives in this selection.")
    else:
        common.chart(charts.objectives_bar(ov.company, ov.elapsed), "company")
with right:
    st.subheader("Departments against pace")
    depts = ov.departments.dropna(subset=["progress"]).reset_index(drop=True)  # measured ones
    if depts.empty:
        st.caption("No departments in this selection.")
    else:
        st.caption("Click a department to see it.")
        fig = charts.departments_bar(depts, ov.elapsed)
        for point in common.chart(fig, "departments", select=True)[:1]:
            common.drill(department=depts["department"].iloc[point["point_index"]])

st.subheader("Top risks")
common.table(ov.top_risks, "top_risks", "No key result is at risk or off track. ")
st.subheader("OKR health")
st.caption("Checked in: key results with a check-in in the last 7 days. Aligned: objectives "
           "linked to a parent. Aspirational goals land well at 60–70%, committed ones at 100%. "
           "Top-down: objectives set from above rather than proposed by the team.")  # fmt: skip
common.table(ov.health.drop(columns=HIDDEN), "health", "No OKRs to judge yet.")
if not ov.team_health.empty:
    st.caption("Per team")
    common.table(ov.team_health.drop(columns=HIDDEN), "team_health", "")
with st.expander("Company objectives as a table"):
    common.table(ov.company, "company_objectives", "No company-level objectives.")

ch = weekly.changes(ctx.version, ctx.filters)
st.subheader("What changed this week")
st.caption(f"From {ch.since:%d %b %Y} to {ov.as_of:%d %b %Y}.")
for col, (label, value) in zip(st.columns(len(ch.headline)), ch.headline.items(), strict=True):
    col.metric(label, value)
with st.expander("Key results that moved status"):
    common.table(ch.moved, "status_moves", "No key result changed status this week.")
with st.expander("Teams that checked in"):
    common.table(ch.checked_in, "checked_in", "No team checked in this week.")
with st.expander("New and resolved signals"):
    common.table(ch.new, "new_signals", "No new signal this week.")
    common.table(ch.resolved, "resolved_signals", "No signal was resolved this week.")
