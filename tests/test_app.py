"""The Streamlit app through AppTest: every page opens, numbers match okrdata, filters and URL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from okrdata import metrics, precomputed, views
from okrdata.config import Config
from okrdata.model import export_day
from okrdata.store import Store
from tests.builders import adjusted_between_imports, copy_store, eventually

pytestmark = pytest.mark.slow  # every page through AppTest: make test, not the check loop

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["overview", "alignment", "trends", "signals", "team", "dependencies", "data"]


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if query:
        at.query_params.update(query)
    return at.run()


def open_page(at: AppTest, name: str) -> AppTest:
    return at.switch_page(f"pages/{name}.py").run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_the_server_runs_no_full_garbage_collection_after_each_run():
    """Streamlit's server collects all garbage after every script run unless told not to
    (``runner.postScriptGC``; AppTest's runner never does): with the app's modules loaded that
    scanned about 140,000 objects, 70 ms of every run of every session. Streamlit reads the
    shipped configuration as turning it off (a misspelt key would be ignored, and this fail)."""
    from streamlit import config

    config.get_config_options(force_reparse=True)  # .streamlit/config.toml, as a server does
    assert config.get_option("runner.postScriptGC") is False


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_on_the_sample_without_error(store_path, name):
    at = open_page(app(), name)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == name.capitalize()
    if name != "data":
        assert "sample data" in at.info[0].value


def test_team_page_with_a_team_shows_its_objectives(store_path, sample):
    at = open_page(app({"team": "Onboarding"}), "team")
    assert not at.exception
    shown = at.dataframe[0].value
    expected = sample.objectives.query("team == 'Onboarding' and quarter == '2026-Q4'")
    assert sorted(shown["objective_id"]) == sorted(expected["objective_id"])


def test_overview_on_track_share_matches_okrdata(store_path, sample):
    at = app()
    as_of = export_day(sample.checkins)  # the sample reads as of its own last check-in
    krs = metrics.kr_progress(sample, as_of)
    krs = krs[krs["quarter"] == "2026-Q4"]
    share = krs["status"].dropna().isin(["done", "on_track"]).mean()
    assert metric(at, "On track") == f"{share:.0%}"
    assert metric(at, "Key results") == f"{len(krs):,}"


def test_department_filter_narrows_what_is_shown(store_path, sample):
    at = app()
    everyone = metric(at, "Objectives")
    at.selectbox(key="department").set_value("Engineering").run()
    objs = sample.objectives.query("quarter == '2026-Q4' and department == 'Engineering'")
    assert metric(at, "Objectives") == f"{len(objs):,}" != everyone
    assert at.selectbox(key="team").options == sorted(
        set(objs["team"]) | set(sample.teams.query("department == 'Engineering'")["team"])
    )


def test_query_parameters_set_the_filters(store_path, sample):
    at = app({"quarter": "2026-Q3", "department": "Sales"})
    assert at.selectbox(key="quarter").value == "2026-Q3"
    assert at.selectbox(key="department").value == "Sales"
    n = len(sample.objectives.query("quarter == '2026-Q3' and department == 'Sales'"))
    assert metric(at, "Objectives") == f"{n:,}"
    assert at.caption[0].value.startswith("2026-Q3, as of 30 Sep 2026")  # a past quarter at its end


def test_the_filter_bar_logs_no_warning_for_setting_its_widgets_state(store_path, monkeypatch):
    """The quarter and the day are set through Session State (a link, "See today") and given
    to their widgets as values: Streamlit logged a warning with its whole stack for a widget
    given both, in every server's log (once per process, hence the reset), unless the shipped
    configuration turns it off (``global.disableWidgetStateDuplicationWarning``)."""
    import logging

    from streamlit import config
    from streamlit.elements.lib import policies

    config.get_config_options(force_reparse=True)  # .streamlit/config.toml, as a server does

    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    warned: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: warned.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger(policies.__name__)
    logger.addHandler(handler)
    try:
        at = app({"quarter": "2026-Q3", "as_of": "2026-09-15"})
        assert at.selectbox(key="quarter").value == "2026-Q3"
        assert str(at.date_input(key="as_of").value) == "2026-09-15"
        at.button(key="see_today").click().run()  # back to this quarter, as of the default day
        assert at.selectbox(key="quarter").value == "2026-Q4"
        at.selectbox(key="quarter").select("2026-Q3").run()  # a choice in the widget itself
        assert at.selectbox(key="quarter").value == "2026-Q3"
    finally:
        logger.removeHandler(handler)
    assert not at.exception, [e.value for e in at.exception]
    assert warned == []


def test_the_filter_bar_says_when_a_past_quarter_is_shown_at_its_end(store_path):
    at = app()
    sidebar = [c.value for c in at.sidebar.caption]
    assert not any("ended on" in c for c in sidebar)  # the sample's quarter runs
    at.selectbox(key="quarter").set_value("2026-Q3").run()
    assert at.date_input(key="as_of").value > pd.Timestamp("2026-09-30").date()
    sidebar = [c.value for c in at.sidebar.caption]
    assert "2026-Q3 ended on 30 Sep 2026: every page shows it as it stood then." in sidebar


def test_signals_page_filters_by_kind(store_path, sample):
    at = open_page(app(), "signals")
    every = at.dataframe[-1].value  # every signal row, below the teams
    at.multiselect(key="signal").set_value(["off_track"]).run()
    shown = at.dataframe[-1].value
    assert set(shown["signal"]) == {"off track"}  # shown in words; the CSV keeps the code
    assert len(shown) == (every["signal"] == "off track").sum() > 0


def test_user_text_is_shown_as_text_not_markdown(store_path, tmp_path):
    okrs = pd.read_csv("sample_data/okrs.csv", dtype=str, keep_default_na=False)
    team = okrs["team"].iloc[-1]
    title = "<script>alert(1)</script> [link](javascript:alert(1)) ![img](http://x/y.png)"
    okrs.loc[okrs["team"] == team, "objective"] = title
    (tmp_path / "up").mkdir()
    okrs.to_csv(tmp_path / "up" / "okrs.csv", index=False)
    Store(store_path).import_files([tmp_path / "up"])
    at = open_page(app({"team": team, "quarter": okrs["quarter"].iloc[-1]}), "team")
    assert not at.exception
    assert title in set(at.dataframe[0].value["objective"])
    rendered = " ".join(m.value for m in at.markdown)
    assert "<script>" not in rendered and "](javascript:" not in rendered


def test_the_app_serves_the_store_once_it_has_data(store_path, tmp_path):
    okrs = pd.read_csv("sample_data/okrs.csv", dtype=str, keep_default_na=False)
    okrs[okrs["quarter"] == "2026-Q3"].to_csv(tmp_path / "okrs.csv", index=False)
    Store(store_path).import_files([tmp_path / "okrs.csv"])
    at = app()
    assert not at.info or "sample data" not in at.info[0].value
    assert at.selectbox(key="quarter").options == ["2026-Q3"]
    assert "imported data" in " ".join(c.value for c in at.sidebar.caption)


def test_data_page_upload_map_import_and_restore(store_path, tmp_path, monkeypatch):
    monkeypatch.setenv("OKR_WARM", "background")  # the Data page's default
    okrs = pd.read_csv("sample_data/okrs.csv", dtype=str, keep_default_na=False)
    okrs = okrs[okrs["quarter"] == "2026-Q4"].rename(columns={"team": "Owning unit"})
    at = open_page(app(), "data")
    at.file_uploader[0].upload("okrs.csv", okrs.to_csv(index=False).encode(), "text/csv").run()
    assert not at.exception
    assert "missing_column" in set(at.dataframe[1].value["code"])  # 'team' not recognised
    mapping = at.selectbox(key="map|okrs.csv||team")
    assert mapping.options[0].startswith("Owning unit  (e.g. ")  # with its first values
    mapping.set_value("Owning unit")
    next(b for b in at.button if b.label == "Apply these answers and validate again").click().run()
    tables = [d.value for d in at.dataframe if "code" in d.value.columns]  # the report, if any
    report = tables[0] if tables else pd.DataFrame(columns=["code"])
    assert "missing_column" not in set(report["code"])
    import_button = next(b for b in at.button if b.label == "Import into the store")
    assert not import_button.disabled
    import_button.click().run()
    assert any(s.value.startswith("Imported batch 1") for s in at.success)
    captions = " ".join(c.value for c in at.sidebar.caption)  # at once, not on the next click
    assert "imported data" in captions and "sample" not in captions
    store = Store(store_path)
    assert store.dataset().quarters == ["2026-Q4"]
    assert store.history()["batch_id"].tolist() == [1]
    kept = precomputed.request(None, None, Config(), "csv", new=False)  # computed ahead,
    assert eventually(lambda: precomputed.read(store_path, kept))  # in a process of its own

    store.import_files(["sample_data"])  # batch 2 replaces 2026-Q4
    at.run()
    at.selectbox(key="restore_batch").set_value(1).run()
    next(b for b in at.button if b.label == "Restore").click().run()
    assert "Restored batch 1 for 2026-Q4." in [s.value for s in at.success]
    assert store.history().set_index("batch_id")["active_quarters"].to_dict() == {
        2: "2026-Q2, 2026-Q3",
        1: "2026-Q4",
    }
    assert eventually(lambda: precomputed.read(store_path, kept))  # for the restored store too


def test_views_are_what_the_pages_render(sample):
    opts = views.options(sample)
    assert opts.quarters == ["2026-Q2", "2026-Q3", "2026-Q4"] and opts.default_quarter == "2026-Q4"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    """The bundled sample imported once per module (each test that changes it takes a copy)."""
    db = tmp_path_factory.mktemp("sample") / "okr.duckdb"
    store = Store(db)
    try:
        store.import_files(["sample_data"])
    finally:
        store.close()
    return db


@pytest.mark.parametrize("name", PAGES)
def test_a_damaged_store_stops_every_page_with_one_sentence(store_path, sample_store, name):
    assert copy_store(sample_store, store_path.parent) == store_path  # the sample, imported
    store_path.write_bytes(b"not a database any more" * 1000)
    at = open_page(app(), name)
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        f"The store {store_path} is not a DuckDB database; rebuild it from its archive with "
        f"`python -m okrdata rebuild --db {store_path}`."
    ]


def test_a_session_sees_an_import_made_by_another_process_on_its_next_rerun(
    store_path, sample_store
):
    assert copy_store(sample_store, store_path.parent) == store_path  # the sample, imported
    at = app()
    assert at.selectbox(key="quarter").options == ["2026-Q2", "2026-Q3", "2026-Q4"]
    okrs = pd.read_csv("sample_data/okrs.csv", dtype=str, keep_default_na=False)
    okrs["quarter"] = okrs["quarter"].str.replace("2026", "2027")
    other = store_path.parent / "next-year"
    other.mkdir()
    okrs.to_csv(other / "okrs.csv", index=False)
    Store(store_path).import_files([other])  # another Store: as the CLI or a replica would
    at.run()
    assert "2027-Q4" in at.selectbox(key="quarter").options


def test_team_page_without_a_team_lists_every_team_furthest_behind_first(store_path, sample):
    at = open_page(app(), "team")
    assert not at.exception
    teams = at.dataframe[0].value
    known = set(sample.teams["team"]) | set(sample.objectives["team"].dropna())
    assert set(teams["team"]) == known
    assert {"progress", "expected", "status", "checkin_discipline", "open_signals"} <= set(teams)
    measured = teams.dropna(subset=["progress"])
    assert measured["status"].iloc[0] == "✕ off track"  # words with a symbol, not a code


def test_a_click_opens_the_department_or_the_team_and_the_url_follows(store_path):
    # AppTest cannot click a Plotly bar or a table row: it hands over what the click handler
    # (common.drill) leaves for the filter bar, as the click's rerun does.
    at = app()
    at.session_state["_drill"] = {"department": "Sales", "team": None}  # a department bar
    at.run()
    assert at.selectbox(key="department").value == "Sales"
    assert at.query_params["department"] in ("Sales", ["Sales"])
    assert metric(at, "Objectives") != metric(app(), "Objectives")
    at = app()
    at.session_state["_drill"] = {"department": None, "team": "Onboarding"}  # a team row
    at = open_page(at.run(), "team")
    assert not at.exception
    assert at.selectbox(key="team").value == "Onboarding"
    assert at.selectbox(key="department").value == "Product"
    assert at.query_params["team"] in ("Onboarding", ["Onboarding"])
    assert "Onboarding · Product" in at.text[0].value


def health_tables(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if "checkin_discipline" in d.value]


def test_overview_shows_okr_health_per_department_and_team(store_path):
    at = app()
    [health] = health_tables(at)
    assert len(health) >= 7
    assert health["checkin_discipline"].between(0, 100).all()  # whole percent
    at.selectbox(key="department").set_value("Sales").run()
    departments, teams = health_tables(at)
    assert list(departments["department"]) == ["Sales"]
    assert "Sales EMEA" in set(teams["team"])


def test_a_chart_is_built_once_per_view_and_again_for_other_filters(store_path, monkeypatch):
    from okrdata import charts

    built: list[int] = []
    real = charts.burnup

    def burnup(frame: pd.DataFrame):
        built.append(len(frame))
        return real(frame)

    monkeypatch.setattr(charts, "burnup", burnup)
    at = open_page(app(), "trends")
    spec = at.get("plotly_chart")[0].proto.spec
    assert charts.INK in spec  # inked once, as it was built
    at.run()
    at.run()
    assert not at.exception and len(built) == 1  # reruns draw the figure built for this view
    assert at.get("plotly_chart")[0].proto.spec == spec
    at.selectbox(key="quarter").set_value("2026-Q3").run()
    assert not at.exception and len(built) == 2  # other filters: another figure
    assert at.get("plotly_chart")[0].proto.spec != spec


def test_a_table_is_made_readable_once_per_content(store_path, monkeypatch):
    """A rerun redraws its tables from what was made of the same content before: the readable
    rows and the CSV (``export.table``); other content is made again."""
    from okrdata import export
    from pages import widgets

    made: list[int] = []
    real = export.table

    def table(frame: pd.DataFrame, rows: int):
        made.append(len(frame))
        return real(frame, rows)

    monkeypatch.setattr(export, "table", table)
    at = open_page(app(), "overview")
    first = len(made)
    shown = [frame.value for frame in at.dataframe]
    at.run()
    at.run()
    assert not at.exception and first > 0 and len(made) == first
    assert all(a.equals(b.value) for a, b in zip(shown, at.dataframe, strict=True))

    frame = pd.DataFrame({"team": ["=1+1", "Data"], "progress": [0.5, 0.25]})
    assert widgets.prepared(frame) is widgets.prepared(frame.copy())  # the same content
    other = widgets.prepared(frame.assign(progress=[0.5, 0.3]))
    assert other[1] == export.to_csv(frame.assign(progress=[0.5, 0.3]))
    assert other[1] != widgets.prepared(frame)[1]
    assert other[0]["progress"].tolist() == [50, 30]  # readable: whole percent
    long = pd.DataFrame({"team": ["Data"] * (widgets.MAX_ROWS + 1)})
    assert len(widgets.prepared(long)[0]) == widgets.MAX_ROWS and widgets.prepared(long)[1] is None
    assert export.table_key(pd.DataFrame({"x": [[1], [2]]}), 10) is None  # lists: made each time


def test_trends_shows_adoption_and_adjusted_goals(store_path, sample):
    at = open_page(app(), "trends")
    assert not at.exception
    tables = {tuple(d.value.columns): d.value for d in at.dataframe}
    adjusted = next(t for cols, t in tables.items() if "adjustment" in cols)
    rescoped = sample.checkins.dropna(subset=["target_value"])
    q4 = rescoped[rescoped["kr_id"].str.contains("2026Q4")]
    assert len(adjusted) == q4["kr_id"].nunique() > 0  # each re-scoped once in the sample
    assert set(adjusted["change"]) == {"re-scoped"} and set(adjusted["source"]) == {"check-in"}
    old_new = adjusted["adjustment"].str.split(" → ", expand=True)
    assert (old_new[0] != old_new[1].str.split(" ").str[0]).all()
    spread = next(t for cols, t in tables.items() if "okr_teams" in cols)
    assert set(spread["quarter"]) == {"2026-Q2", "2026-Q3", "2026-Q4"}


def test_the_check_in_heatmap_is_titled_by_what_its_rows_are(store_path):
    # the whole company: one row per department; a chosen department: one row per team
    headers = [h.value for h in open_page(app(), "trends").header]
    assert "Check-ins per department and week" in headers, headers
    chosen = open_page(app({"department": "Sales"}), "trends")
    assert "Check-ins per team and week" in [h.value for h in chosen.header]


def test_trends_shows_goals_the_teams_adjusted_between_imports(store_path, tmp_path):
    for folder in adjusted_between_imports(tmp_path):
        Store(store_path).import_files([folder])

    def adjusted(quarter: str) -> list[list]:
        at = open_page(app({"quarter": quarter}), "trends")
        assert not at.exception
        table = next(d.value for d in at.dataframe if "adjustment" in d.value.columns)
        return table[["team", "change", "objective", "adjustment", "source"]].values.tolist()

    moved = [["Beta", "moved", "Objective B1", "2026-Q3 → 2026-Q4", "import"],
             ["Gamma", "moved", "Objective G2", "2026-Q3 → 2026-Q4", "import"]]  # fmt: skip
    rescoped = ["Alpha", "re-scoped", "Objective A1", "100 → 80", "import"]
    assert adjusted("2026-Q3") == [rescoped, *moved]
    assert adjusted("2026-Q4") == moved  # a moved goal counts in its old and its new quarter


def test_no_download_button_reruns_the_page(store_path):
    """A click on a download button downloads and runs nothing on the server (``on_click=
    "ignore"``). A button that reran the page raced its own download: the rerun replaced the
    button's file, made when clicked (the report, the data in force, a long table's CSV), and
    the request for the one clicked failed ("Deferred file … not found"): nothing downloaded.
    The Overview (the report, its tables' CSVs) and the Data page (templates, the data in
    force) hold every kind."""
    buttons = {}
    for name in ["overview", "data"]:
        at = open_page(app(), name)
        assert not at.exception, [e.value for e in at.exception]
        buttons |= {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Download the report", "Download CSV", "Objectives template",
            "Data in force (zip)"} <= set(buttons)  # fmt: skip
    assert [label for label, b in buttons.items() if not b.ignore_rerun] == []


def test_a_rerun_writes_no_long_csv_until_a_download_is_clicked(store_path, monkeypatch):
    """Every table offers its CSV; writing each on every rerun took seconds a rerun at 20,000
    teams. A long table's CSV is written when its button is clicked (a short one, a few
    milliseconds, is sent with the page: a click needs no round trip to the server), and is
    what ``export.to_csv`` gives."""
    from okrdata import export
    from pages import widgets

    written: list[int] = []
    real = export.to_csv

    def counted(frame: pd.DataFrame) -> bytes:
        written.append(len(frame))
        return real(frame)

    monkeypatch.setattr(export, "to_csv", counted)
    for name in ["overview", "signals", "team", "dependencies"]:
        at = open_page(app(), name)
        assert not at.exception, [e.value for e in at.exception]
        at.run()
    assert written and max(written) <= widgets.MAX_ROWS

    offered = []
    monkeypatch.setattr(
        widgets.st, "download_button", lambda _label, data, **_: offered.append(data)
    )
    written.clear()
    long = pd.DataFrame({"team": ["=1+1", *["Data"] * widgets.MAX_ROWS]})
    widgets.table(long, "t", "none")
    assert written == []  # not written while the page is drawn
    assert offered[0]() == real(long) and written == [len(long)]
    short = pd.DataFrame({"team": ["=1+1", "Data"]})
    widgets.table(short, "s", "none")
    assert offered[1] == real(short)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """Sales teams A (checked in on 10 Aug) and B (never checked in), and Legal's team Counsel,
    listed in the teams table with no objectives; no company objective, no dependencies:
    imported once per module (each test gets a copy, ``small_store``)."""
    folder = tmp_path_factory.mktemp("small")
    files = folder / "files"
    files.mkdir()
    (files / "okrs.csv").write_text(
        "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value\n"
        "A1,A one,2026-Q3,A,a1,KR,0,100\nB1,B one,2026-Q3,B,b1,KR,0,100\n"
    )
    (files / "checkins.csv").write_text("kr_id,date,value\na1,2026-08-10,60\n")
    (files / "teams.csv").write_text("team,department\nA,Sales\nB,Sales\nCounsel,Legal\n")
    db = folder / "store" / "okr.duckdb"
    db.parent.mkdir()
    store = Store(db)
    try:
        store.import_files([files])
    finally:
        store.close()
    return db


def small_store(small: Path, store_path: Path) -> None:
    """The app's store (``store_path``) is a copy of the small store."""
    assert copy_store(small, store_path.parent) == store_path


@pytest.mark.parametrize("name", ["overview", "alignment", "trends", "team"])
@pytest.mark.parametrize("where", [{"department": "Legal"}, {"team": "Counsel"}])
def test_a_selection_without_objectives_says_what_to_do_next(store_path, small, name, where):
    small_store(small, store_path)
    at = open_page(app({"quarter": "2026-Q3", "as_of": "2026-08-15", **where}), name)
    assert not at.exception, [e.value for e in at.exception]
    who = where.get("team") or where["department"]
    # one sentence with the next step, not a page of empty charts and tables (they showed
    # "No data for this selection" charts and "No …" captions, and nothing to do)
    assert [i.value for i in at.info] == [
        f"{who} has no objectives in 2026-Q3. Upload its OKRs on the Data page (“Update only "
        "these teams” keeps every other team's), or choose another quarter."
    ]
    assert not at.get("plotly_chart")
    if name == "team":  # still lists the team, its signals (no_okrs) and dependencies
        assert not {"Objectives", "Key results"} & {h.value for h in at.header}
    else:
        assert not at.dataframe


def test_alignment_without_company_objectives_does_not_call_every_objective_linked(
    store_path, small
):
    small_store(small, store_path)
    at = open_page(app({"quarter": "2026-Q3", "as_of": "2026-08-15"}), "alignment")
    assert not at.exception
    # A1 and B1 have no parent: the share table says 0 of 2 aligned. With no company objective
    # in the quarter nothing is listed as unaligned (README "unaligned"), but the page said
    # "Every objective is linked to a parent." beside it.
    shares = next(t.value for t in at.dataframe if "alignment_share" in t.value.columns)
    assert shares[["objectives", "aligned"]].values.tolist() == [[2, 0]]
    captions = [c.value for c in at.caption]
    assert "Every objective is linked to a parent." not in captions
    assert (
        "2026-Q3 has no company-level objectives, so none is listed as unaligned: add the "
        "company's objectives (level company) and link the others to them (parent_objective_id)."
    ) in captions


def test_an_annual_objective_is_listed_in_each_quarter_with_its_period(store_path, tmp_path):
    (tmp_path / "okrs.csv").write_text(
        "objective_id,objective,quarter,team,department,kr_id,key_result,start_value,"
        "target_value\n"
        "O1,Grow all year,Annual 2026,A,Sales,K1,Deals,0,100\n"
        "O2,This quarter,2026-Q4,A,Sales,K2,Calls,0,100\n"
    )
    (tmp_path / "checkins.csv").write_text(
        "kr_id,date,value\nK1,2026-02-10,20\nK1,2026-05-12,50\nK1,2026-08-11,70\nK2,2026-10-05,10\n"
    )
    Store(store_path).import_files([tmp_path / "okrs.csv", tmp_path / "checkins.csv"])
    for quarter, end, value in (("2026-Q2", "2026-06-30", 50.0), ("2026-Q4", "2026-10-15", 70.0)):
        at = open_page(app({"quarter": quarter, "as_of": end, "team": "A"}), "team")
        assert not at.exception, [e.value for e in at.exception]
        objs, krs = at.dataframe[0].value, at.dataframe[1].value
        o1 = objs[objs["objective_id"] == "O1"]
        assert o1["period"].tolist() == ["Annual 2026"], quarter  # once, marked with its period
        k1 = krs[krs["kr_id"] == "K1"]
        assert k1["current_value"].tolist() == [value], quarter  # all its check-ins so far
    at = open_page(app({"quarter": "2026-Q4", "as_of": "2026-10-15"}), "overview")
    assert not at.exception
    assert (metric(at, "Objectives"), metric(at, "Key results")) == ("2", "2")
    at = open_page(app({"quarter": "2026-Q3", "as_of": "2026-09-30"}), "alignment")
    assert not at.exception
    shown = " ".join(str(v) for d in at.dataframe for v in d.value.to_numpy().ravel())
    assert "Grow all year (Annual 2026)" in shown


def test_an_apptest_run_waits_for_its_script_and_fails_once_its_time_is_up(tmp_path):
    """The suite's wait for an AppTest run (``tests/conftest.py``: the run's thread is joined
    instead of polled every millisecond) returns once the script has finished, and fails with
    AppTest's own error when the script outlasts the timeout."""
    quick = tmp_path / "quick.py"
    quick.write_text("import time\ntime.sleep(0.2)\nimport streamlit as st\nst.write('done')\n")
    assert AppTest.from_file(str(quick), default_timeout=10).run().markdown[0].value == "done"
    slow = tmp_path / "slow.py"
    slow.write_text("import time\ntime.sleep(1.5)\n")
    with pytest.raises(RuntimeError, match=r"AppTest script run timed out after 0.3\(s\)"):
        AppTest.from_file(str(slow), default_timeout=0.3).run()
