"""Overview, for leadership: the quarter's headline numbers, company objectives, departments."""

import re
from functools import partial

import streamlit as st

from okrdata import charts, display, report, views
from pages import cache, common, weekly

HIDDEN = ["quarter", "committed_gap"]
HEALTH = {  # short headings and widths that fit 1,440 px (the caption says what each means)
    "department": st.column_config.TextColumn("Department", width=120),
    "team": st.column_config.TextColumn("Team", width=140),
    "n_objectives": st.column_config.NumberColumn("Objectives", width=80),
    "n_krs": st.column_config.NumberColumn("Key results", width=92),
    "n_teams": st.column_config.NumberColumn("Teams", width=60),
    "checkin_discipline": st.column_config.NumberColumn("Checked in", width=90, format="%d%%"),
    "alignment_share": st.column_config.NumberColumn("Aligned", width=70, format="%d%%"),
    "objectives_per_team": st.column_config.NumberColumn("Per team", width=75, format="%.1f"),
    "aspirational_score": st.column_config.NumberColumn("Aspirational", width=95, format="%d%%"),
    "aspirational_calibration": st.column_config.TextColumn("vs 60–70%", width=95),
    "committed_score": st.column_config.NumberColumn("Committed", width=90, format="%d%%"),
    "top_down_share": st.column_config.NumberColumn("Top-down", width=80, format="%d%%"),
}
RISKS = {  # the expected pace is the caption's; the CSV has it
    "team": st.column_config.TextColumn("Team", width=130),
    "objective": st.column_config.TextColumn("Objective", width=220),
    "key_result": st.column_config.TextColumn("Key result", width=240),
    "progress": st.column_config.ProgressColumn("Progress", min_value=0, max_value=100,
                                                format="%d%%", width=110),
    "status": st.column_config.TextColumn("Status", width=100),
    "reason": st.column_config.TextColumn("Reason", width=170),
}  # fmt: skip


def report_html(version: str, f: views.Filters) -> bytes:
    """The HTML report of the view (``okrdata.report``), written when the button is clicked."""
    return report.render(cache.base_of(version, f.quarter, f.key()[3]), f).encode("utf-8")


ctx = common.page("Overview")
with st.spinner("Computing progress…"):
    ov = cache.view("overview", ctx.version, ctx.filters)  # kept ahead for the first page
if ov.empty_note:
    common.empty_selection(ctx, note=ov.empty_note)

st.caption(
    f"{ctx.filters.quarter}, as of {display.date(ov.as_of)}: {display.pct(ov.elapsed)} of the quarter has "
    "passed, so that is the progress the calendar expects."
)
for col, (label, value) in zip(st.columns(len(ov.headline)), ov.headline.items(), strict=True):
    col.metric(label, value)
who = re.sub(r"[^A-Za-z0-9]+", "-", ctx.filters.team or ctx.filters.department or "company")
st.download_button("Download the report", partial(report_html, ctx.version, ctx.filters),
                   file_name=f"okr-report-{ctx.filters.quarter}-{who.strip('-')}-{ov.as_of:%Y-%m-%d}.html",
                   mime="text/html", key="download-report", icon=":material/description:",
                   on_click="ignore",
                   help="A page to read in five minutes and to print: a summary first, then the "
                   "detail, for these filters and this date.")  # fmt: skip

left, right = st.columns(2)
with left:
    level = "Team" if ctx.filters.team else "Department" if ctx.filters.department else "Company"
    st.header(f"{level} objectives")
    if ov.company.empty:
        st.caption("No company-level objectives in this selection.")
    else:
        common.chart(lambda: charts.objectives_bar(ov.company, ov.elapsed), "company", ctx.view)
with right:
    st.header("Departments against pace")
    depts = ov.departments.dropna(subset=["progress"]).reset_index(drop=True)  # measured ones
    if depts.empty:
        st.caption("No departments in this selection.")
    else:
        st.caption("Click a department to see it.")
        bars = common.chart(lambda: charts.departments_bar(depts, ov.elapsed), "departments",
                            ctx.view, select=True)  # fmt: skip
        for point in bars[:1]:
            common.drill(department=depts["department"].iloc[point["point_index"]])

st.header("Top risks")
common.table(ov.top_risks, "top_risks", "No key result is at risk or off track. ",
             column_order=list(RISKS), column_config=RISKS)  # fmt: skip
st.header("OKR health")
st.caption("Checked in: key results with a check-in in the last 7 days. Aligned: objectives "
           "linked to a parent. Per team: objectives per team. Aspirational goals land well at "
           "60–70%, committed ones at 100%. Top-down: objectives set from above rather than "
           "proposed by the team.")  # fmt: skip
health = ov.health.drop(columns=HIDDEN)
common.table(health, "health", "No OKRs to judge yet.",
             column_config={c: HEALTH[c] for c in health.columns if c in HEALTH})  # fmt: skip
if not ov.team_health.empty:
    st.caption("Per team")
    teams = ov.team_health.drop(columns=HIDDEN)
    common.table(teams, "team_health", "",
                 column_config={c: HEALTH[c] for c in teams.columns if c in HEALTH})  # fmt: skip
with st.expander("Company objectives as a table"):
    common.table(ov.company, "company_objectives", "No company-level objectives.")

ch = weekly.changes(ctx.version, ctx.filters)
st.header("What changed this week")
st.caption(f"From {display.date(ch.since)} to {display.date(ov.as_of)}.")
for col, (label, value) in zip(st.columns(len(ch.headline)), ch.headline.items(), strict=True):
    col.metric(label, value)
with st.expander("Key results that moved status"):
    common.table(ch.moved, "status_moves", "No key result changed status this week.")
with st.expander("Teams that checked in"):
    common.table(ch.checked_in, "checked_in", "No team checked in this week.")
with st.expander("New and resolved signals"):
    common.table(ch.new, "new_signals", "No new signal this week.")
    common.table(ch.resolved, "resolved_signals", "No signal was resolved this week.")
