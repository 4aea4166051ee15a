"""Dependencies, for coaches: who waits on whom, what is blocked or late, bottleneck teams."""

import streamlit as st

from okrdata import charts
from pages import cache, common

SHOWN = ["team", "key_result", "depends_on_team", "provider_key_result", "state", "risk", "reason"]
COLUMNS = {  # widths that fit 1,440 px; the CSV has the due date, description and ids too
    "team": st.column_config.TextColumn("Team", width=110),
    "key_result": st.column_config.TextColumn("Key result", width=195),
    "depends_on_team": st.column_config.TextColumn("Waits on", width=110),
    "provider_key_result": st.column_config.TextColumn("Provider key result", width=195),
    "state": st.column_config.TextColumn("Status", width=105),
    "risk": st.column_config.TextColumn("Risk", width=95),
    "reason": st.column_config.TextColumn("Reason", width=130),
}

ctx = common.page("Dependencies")
dmap = cache.view("dependency_map", ctx.version, ctx.filters)
dep = dmap.dep

if dep.edges.empty:
    st.info("No dependencies between teams in this selection. Add a dependencies file on Data "
            "to see who waits on whom.")  # fmt: skip
    st.stop()

marks = "department" if dmap.level == "department" else "team"
st.caption(f"An arrow points from the {marks} that needs something to the {marks} that must "
           f"deliver it. Click a {marks} to open it. A mark's shape and symbol say its worst open "
           "dependency: ✕ blocked, ◆ overdue, ▲ at risk, ● fine.")  # fmt: skip
if dmap.note:
    st.caption(dmap.note)
clicked = common.chart(lambda: charts.dependency_graph(dmap.nodes, dmap.edges), "graph",
                       ctx.view, select=True)  # fmt: skip
for point in clicked[:1]:
    if point.get("customdata"):
        name = str(point["customdata"])
        common.drill(**({"department": name} if dmap.level == "department" else {"team": name}))

if not dmap.between.empty:
    st.header("Between departments")
    common.table(dmap.between, "dependencies_between_departments", "")

st.header("At risk or overdue")
common.table(dmap.at_risk, "dependencies_at_risk", "No dependency is blocked, overdue or at risk.",
             column_order=SHOWN, column_config=COLUMNS)  # fmt: skip

left, right = st.columns(2)
with left:
    st.header("Bottleneck teams")
    common.table(dep.bottlenecks, "bottlenecks", "No team carries many unresolved dependencies.")
with right:
    st.header("Cycles")
    if dep.cycles:
        for cycle in dep.cycles:
            st.text(" → ".join([*cycle, cycle[0]]))
    else:
        st.caption("No team waits on itself through others.")

with st.expander("All dependencies"):
    common.table(dmap.every, "dependencies", "No dependencies.", column_order=SHOWN,
                 column_config=COLUMNS)  # fmt: skip
