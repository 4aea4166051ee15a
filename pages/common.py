"""App-side glue shared by every page: cached store and data, the filter bar, tables, banners.

This is the only place that caches: the store connection through ``st.cache_resource``, the
Dataset per data version through ``st.cache_resource`` (shared, never copied), and each view
model through ``st.cache_data`` keyed by data version and filters. The logic is in ``okrdata``.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from okrdata import export, views
from okrdata.config import Config, load_config
from okrdata.ingest import LoadResult, load, load_dir
from okrdata.model import Dataset
from okrdata.store import Store, StoreBusy

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SESSION_KEY = "session_data"  # (content hash, Dataset) uploaded for this session only


@dataclass(frozen=True)
class Context:
    """What every page needs: which data, its label, and the filters from the bar."""

    version: str
    source: str  # "store", "sample" or "session"
    filters: views.Filters


@st.cache_resource(show_spinner=False)
def get_store() -> Store | None:
    try:
        return Store()
    except StoreBusy:
        return None


@st.cache_resource(show_spinner=False)
def config() -> Config:
    return load_config(None)


@st.cache_resource(max_entries=3, show_spinner="Loading OKR data…")
def _dataset(version: str) -> Dataset:
    if version == "sample":
        return load_dir(SAMPLE_DIR, config=config()).dataset
    return get_store().dataset()


def current_version() -> tuple[str, str]:
    """The data this session sees: (version key, source)."""
    if SESSION_KEY in st.session_state:
        return f"session-{st.session_state[SESSION_KEY][0]}", "session"
    store = get_store()
    if store is not None and store.has_data():
        return f"store-{store.data_version()}", "store"
    return "sample", "sample"


def dataset(version: str) -> Dataset:
    if version.startswith("session-"):
        return st.session_state[SESSION_KEY][1]
    return _dataset(version)


@st.cache_resource(max_entries=8, show_spinner=False)
def _base(version: str, quarter: str, as_of: str | None) -> views.Base:
    return views.base(dataset(version), quarter, as_of and pd.Timestamp(as_of), config())


def view(name: str, version: str, filters: views.Filters, *extra):
    """A view model from ``okrdata.views``, cached per data version, filters and extras."""
    as_of = None if filters.as_of is None else filters.as_of.isoformat()
    return _view(name, version, filters.quarter, filters.department, filters.team, as_of, extra)


@st.cache_data(max_entries=128, show_spinner=False)
def _view(name, version, quarter, department, team, as_of, extra):
    b = _base(version, quarter, as_of)
    return getattr(views, name)(b, views.Filters(quarter, department, team, b.as_of), *extra)


@st.cache_data(max_entries=8, show_spinner=False)
def options(version: str) -> views.Options:
    return views.options(dataset(version), config())


@st.cache_data(max_entries=16, show_spinner=False)
def validate(files: tuple[tuple[str, bytes], ...], overrides_key: tuple) -> LoadResult:
    """Uploaded files read and validated (cached per content and column mapping)."""
    overrides: dict = {}
    for file, sheet, source_col, canonical in overrides_key:
        overrides.setdefault((file, sheet), {})[source_col] = canonical
    return load(list(files), config=config(), mapping_overrides=overrides)


def mapping_key(source, column: str) -> str:
    return f"map|{source.name}|{source.sheet or ''}|{column}"


def mapping_overrides() -> tuple:
    """The column mappings the analyst chose on the Data page, as a hashable key."""
    out = []
    for key, value in st.session_state.items():
        if isinstance(key, str) and key.startswith("map|") and value:
            _, file, sheet, canonical = key.split("|", 3)
            out.append((file, sheet or None, value, canonical))
    return tuple(sorted(out, key=str))


def filter_bar() -> Context:
    """The shared filters in the sidebar, bound to the URL so a link reproduces the view."""
    version, source = current_version()
    opts = options(version)
    side = st.sidebar
    if not opts.quarters:
        ctx = Context(version, source, views.Filters(quarter=""))
        return ctx
    q = side.selectbox("Quarter", opts.quarters, index=opts.quarters.index(opts.default_quarter),
                       key="quarter", bind="query-params")  # fmt: skip
    if st.session_state.get("department") not in [None, *opts.departments]:
        st.session_state["department"] = None
    dept = side.selectbox("Department", opts.departments, index=None,
                          placeholder="All departments", key="department", bind="query-params")  # fmt: skip
    teams = opts.teams.get(dept or "", [])
    if st.session_state.get("team") not in [None, *teams]:
        st.session_state["team"] = None
    team = side.selectbox("Team", teams, index=None, placeholder="All teams", key="team",
                          bind="query-params")  # fmt: skip
    as_of = side.date_input("As of", value=opts.default_as_of.date(), key="as_of",
                            bind="query-params", help="See the data as it was on this day.")  # fmt: skip
    side.caption(_source_caption(source))
    ctx = Context(version, source, views.Filters(q, dept, team, pd.Timestamp(as_of)))
    return ctx


def _source_caption(source: str) -> str:
    return {
        "store": "Showing the imported data.",
        "sample": "Showing the bundled sample data.",
        "session": "Showing files uploaded in this session (not imported).",
    }[source]


def pages() -> dict[str, list[st.Page]]:
    """The navigation, grouped for the three audiences."""
    return {
        "Leadership": [
            st.Page(
                "pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
            ),
            st.Page("pages/alignment.py", title="Alignment", icon=":material/account_tree:"),
            st.Page("pages/trends.py", title="Trends", icon=":material/trending_up:"),
        ],
        "Coaches": [
            st.Page("pages/signals.py", title="Signals", icon=":material/flag:"),
            st.Page("pages/team.py", title="Team", icon=":material/groups:"),
            st.Page("pages/dependencies.py", title="Dependencies", icon=":material/hub:"),
        ],
        "Analysts": [st.Page("pages/data.py", title="Data", icon=":material/upload_file:")],
    }


_ENTRY = threading.local()


@contextmanager
def through_entry():
    """Draw the filter bar in ``app.py`` and mark the page run that follows as entered there."""
    _ENTRY.ctx = filter_bar()
    try:
        yield
    finally:
        _ENTRY.ctx = None


def page(title: str, *, needs_data: bool = True) -> Context:
    """Start a page: the filter bar's context, the title, the sample banner, empty state."""
    ctx = getattr(_ENTRY, "ctx", None)
    if ctx is None:
        # Run directly, not through app.py: Streamlit's legacy mode for a ``pages/`` folder
        # (a deep link as a fresh server's first request, or AppTest). Declaring the
        # navigation turns the legacy mode off; the rerun goes through app.py. (AppTest
        # restores the legacy mode on every run; its later runs draw the filters here.)
        if "_left_legacy_mode" not in st.session_state:
            st.session_state["_left_legacy_mode"] = True
            st.navigation(pages(), position="hidden")
            st.rerun()
        ctx = filter_bar()
    st.title(title)
    if ctx.source == "sample" and needs_data:
        st.info("You are looking at sample data. Upload your own exports on the Data page.",
                icon=":material/info:")  # fmt: skip
    if needs_data and not ctx.filters.quarter:
        st.warning("There is no OKR data yet. Upload your exports on the Data page.")
        st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
        st.stop()
    return ctx


def table(frame: pd.DataFrame, name: str, empty: str, **kwargs) -> None:
    """A table shown as text, with OKR Pulse's own formula-safe CSV download."""
    if frame.empty:
        st.caption(empty)
        return
    st.dataframe(frame, hide_index=True, width="stretch", **kwargs)
    st.download_button("Download CSV", export.to_csv(frame), file_name=f"{name}.csv",
                       mime="text/csv", key=f"download-{name}", icon=":material/download:")  # fmt: skip


def chart(fig, key: str) -> None:
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def require_login() -> bool:
    """With ``[auth]`` in secrets, everyone must log in first; otherwise the app is open."""
    if not _auth_configured() or st.user.is_logged_in:
        return True
    st.title("OKR Pulse")
    st.write("Log in with your company account to continue.")
    st.button("Log in", on_click=st.login, icon=":material/login:")
    return False


def can_import() -> bool:
    """Without sign-on, everyone may import; with it, only the analysts listed in okr.toml."""
    if not _auth_configured():
        return True
    email = (st.user.get("email") or "").lower()
    return email in {a.lower() for a in config().analysts}


def user_name() -> str | None:
    return st.user.get("email") if _auth_configured() else None


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


PROGRESS_COLUMNS = {
    "progress": st.column_config.ProgressColumn("Progress", min_value=0.0, max_value=1.0,
                                                format="percent"),
    "expected": st.column_config.NumberColumn("Expected", format="percent"),
    "score": st.column_config.ProgressColumn("Score", min_value=0.0, max_value=1.0,
                                             format="percent"),
    "alignment_share": st.column_config.NumberColumn("Aligned", format="percent"),
    "on_track_share": st.column_config.NumberColumn("On track", format="percent"),
}  # fmt: skip
