"""Alignment: how team goals ladder up to company goals, and where the links are missing."""

import streamlit as st

from okrdata import charts
from pages import cache, common

ctx = common.page("Alignment")
al = cache.view("alignment", ctx.version, ctx.filters)

st.caption("Company → department → team objectives, coloured by status. Click to zoom in.")
if al.tree.empty:
    st.caption("No objectives in this selection.")
else:
    common.chart(charts.alignment_tree(al.tree), "tree")

st.subheader("Alignment share per department")
common.table(al.shares, "alignment_shares", "No departments in this selection.",
             column_config=common.PROGRESS_COLUMNS)  # fmt: skip

left, right = st.columns(2)
with left:
    st.subheader("Unaligned objectives")
    st.caption("Below company level and linked to no parent.")
    common.table(al.unaligned, "unaligned", "Every objective is linked to a parent.")
with right:
    st.subheader("Broken links")
    st.caption("The parent they name is not in the data.")
    common.table(al.broken_links, "broken_links", "No broken links.")
