"""Signals, for coaches: the teams and goals that may need a conversation, with the evidence."""

import streamlit as st

from okrdata.signals import SIGNALS
from pages import cache, common

ctx = common.page("Signals")
st.caption("Questions to open a conversation with a team, each with its evidence. They are about "
           "goals and teams, never a judgement of people.")  # fmt: skip

left, right = st.columns(2)
kinds = left.multiselect("Kind", list(SIGNALS), key="signal", bind="query-params",
                         placeholder="All kinds")  # fmt: skip
severities = right.multiselect("Severity", ["high", "warn", "info"], key="severity",
                               bind="query-params", placeholder="All severities")  # fmt: skip

with st.spinner("Looking for signals…"):
    found = cache.view("signals_table", ctx.version, ctx.filters, tuple(kinds), tuple(severities))

if not found.empty:
    counts = found["signal"].value_counts()
    st.caption(", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items()))
common.table(found, "signals", "No signals for this selection: nothing calls for a conversation.",
             column_config={"evidence": st.column_config.TextColumn(width="large"),
                            "question": st.column_config.TextColumn(width="large")})  # fmt: skip
