"""Dependencies, for coaches: who waits on whom, what is blocked or late, bottleneck teams."""

import streamlit as st

from okrdata import charts
from pages import cache, common

ctx = common.page("Dependencies")
dep = cache.view("dependencies", ctx.version, ctx.filters)

if dep.edges.empty:
    st.info("No dependencies between teams in this selection. Add a dependencies file on Data "
            "to see who waits on whom.")  # fmt: skip
    st.stop()

st.caption("An arrow points from the team that needs something to the team that must deliver it. "
           "Click a team to open it. A team's mark says its worst open dependency: ✕ blocked, "
           "◆ overdue, ▲ at risk, ● fine.")  # fmt: skip
if dep.graph_note:
    st.caption(dep.graph_note)
fig = charts.dependency_graph(dep.graph_nodes, dep.graph_edges)
for point in common.chart(fig, "graph", select=True)[:1]:
    if point.get("customdata"):
        common.drill(team=str(point["customdata"]))

st.subheader("At risk or overdue")
common.table(dep.at_risk, "dependencies_at_risk", "No dependency is blocked, overdue or at risk.")

left, right = st.columns(2)
with left:
    st.subheader("Bottleneck teams")
    common.table(dep.bottlenecks, "bottlenecks", "No team carries many unresolved dependencies.")
with right:
    st.subheader("Cycles")
    if dep.cycles:
        for cycle in dep.cycles:
            st.text(" → ".join([*cycle, cycle[0]]))
    else:
        st.caption("No team waits on itself through others.")

with st.expander("All dependencies"):
    common.table(dep.edges, "dependencies", "No dependencies.")
