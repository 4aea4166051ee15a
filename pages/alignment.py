"""Alignment: how team goals ladder up to company goals, and where the links are missing."""

import streamlit as st

from okrdata import charts
from pages import cache, common

ctx = common.page("Alignment")
common.empty_selection(ctx)
al = cache.view("alignment", ctx.version, ctx.filters)

st.caption("Company → department → team objectives. Dark blue: done, light blue: on track, "
           "orange: at risk, red-orange: off track (in words on hover). Click a department to "
           "zoom in; click a team's objective to open that team.")  # fmt: skip
if al.shown < al.total:
    st.caption(f"Showing the {al.shown:,} objectives most at risk (with what they align to) of "
               f"{al.total:,}. Choose a department or team to see all of theirs.")  # fmt: skip
if al.tree.empty:
    st.caption("No objectives in this selection.")
else:
    for point in common.chart(charts.alignment_tree(al.tree), "tree", select=True)[:1]:
        team = (point.get("customdata") or ["", "", "", ""])[3]  # the objective's team
        if team and team != ctx.filters.team:
            common.drill(team=team)

st.subheader("Alignment share per department")
common.table(al.shares, "alignment_shares", "No departments in this selection.")

left, right = st.columns(2)
with left:
    st.subheader("Unaligned objectives")
    st.caption("Below company level and linked to no parent.")
    common.table(al.unaligned, "unaligned", al.unaligned_note)
with right:
    st.subheader("Broken links")
    st.caption("The parent they name is not in the data.")
    common.table(al.broken_links, "broken_links", "No broken links.")
