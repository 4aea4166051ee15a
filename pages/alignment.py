"""Alignment: how team goals ladder up to company goals, and where the links are missing."""

import streamlit as st

from okrdata import alignment_tree
from pages import cache, common

ctx = common.page("Alignment")
common.empty_selection(ctx)
al = cache.view("alignment", ctx.version, ctx.filters)
tree = cache.view("alignment_tree", ctx.version, ctx.filters)

st.caption("Each company objective, the departments whose objectives align to it, and their "
           "objectives (a team's under the department objective it supports). Click a row to "
           "open its team, or a department to see all of its objectives.")  # fmt: skip
st.caption(tree.summary)
if tree.capped:
    st.caption(f"Each department shows its {alignment_tree.PER_GROUP} objectives furthest behind "
               "pace; choose a department or team to see all of theirs.")  # fmt: skip
rows = tree.rows
config = {
    "label": st.column_config.TextColumn("Company → department → objective", width=385),
    "team": st.column_config.TextColumn("Team", width=195),
    "status": st.column_config.TextColumn("Status", width=90),
    "progress": st.column_config.ProgressColumn(
        "Progress", min_value=0, max_value=100, format="%d%%", width=100
    ),
    "objectives": st.column_config.NumberColumn("Objectives", format="localized", width=80),
    "behind": st.column_config.NumberColumn("Behind pace", format="localized", width=90),
}  # widths that fit 1,440 px
height = min(36 + 35 * len(rows), 760)  # the outline reads without scrolling a short table
for i in common.table(rows, "alignment_tree", "No objectives in this selection.", select=True,
                      column_config=config, height=height,
                      column_order=["label", "team", "status", "progress", "objectives",
                                    "behind"]):  # fmt: skip
    row = rows.iloc[i]
    if isinstance(row["team"], str) and row["team"] != ctx.filters.team:
        common.drill(team=row["team"])
    elif row["kind"] in ("department", "more") and row["department"] != ctx.filters.department:
        common.drill(department=row["department"])

st.header("Alignment share per department")
common.table(al.shares, "alignment_shares", "No departments in this selection.",
             column_config={"aligned": st.column_config.NumberColumn("Aligned objectives"),
                            "alignment_share": st.column_config.NumberColumn(
                                "Share aligned", format="%d%%")})  # fmt: skip

left, right = st.columns(2)
with left:
    st.header("Unaligned objectives")
    st.caption("Below company level and linked to no parent.")
    common.table(al.unaligned, "unaligned", al.unaligned_note)
with right:
    st.header("Broken links")
    st.caption("The parent they name is not in the data.")
    common.table(al.broken_links, "broken_links", "No broken links.")
