"""The Viva Goals explorer export (``okrdata/sources/viva.py``), on a fixture of our own in the
real shape (``tests/fixtures/sources/viva``): CRLF, 26 unnamed columns after ``Checkins``,
check-ins packed one per cell by field labels, newest first (a note holding ``;`` and a line
break, one with an empty note, two on one day), check-ins on a deliverable and on an
objective, an annual objective, a key result with no team, an "Achieved or not" key result,
money written ``€1.5k``, ``€900``, ``€1,200`` and a start of ``(12)``."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from okrdata import metrics
from okrdata.ingest import load
from okrdata.sources import reshape, viva

FIXTURE = Path(__file__).parent / "fixtures" / "sources" / "viva" / "viva_goals_explorer.csv"
AS_OF = pd.Timestamp("2026-03-31")


def text_frame(path: Path = FIXTURE) -> pd.DataFrame:
    """The file as the import hands it to an adapter: text, empty cells missing."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.replace("", pd.NA).astype("string")


@pytest.fixture(scope="module")
def loaded():
    return load([FIXTURE])


@pytest.fixture(scope="module")
def no_ids(tmp_path_factory):
    path = tmp_path_factory.mktemp("noid") / "viva_new_view.csv"
    raw = FIXTURE.read_bytes().decode()
    # the newer view: the same columns without Id (the first field of every record)
    lines = re.split(r"\r\n(?=\d{7},|$)", raw)
    path.write_bytes("\r\n".join(line.split(",", 1)[1] if line else line for line in lines)
                     .encode())  # fmt: skip
    return path


def test_the_fixture_has_the_real_shape():
    raw = FIXTURE.read_bytes()
    header = raw.split(b"\r\n", 1)[0].decode()
    # 50 columns (49 commas) and the one in "Aligned To (weight, Objective ID)"
    assert header.count(",") == 50 and header.endswith("Checkins" + "," * 26)
    assert raw.count(b"\r\n") == raw.count(b"\n") - 1  # CRLF records, one line break in a note


def test_packed_checkins_are_counted_by_where_they_go():
    match, converted = reshape(text_frame(), "viva_goals_explorer.csv")
    assert match.adapter.name == "viva"
    assert converted.packed == {"check-ins": {
        "read": 7, "on key results": 4, "on work items (kept as work)": 2,
        "on objectives (kept aside)": 1}}  # fmt: skip
    counts = converted.packed["check-ins"]
    assert counts["read"] == sum(v for k, v in counts.items() if k != "read")
    assert converted.items_aside == [
        ([3], "a check-in of 2026-03-05 on objective 5100002: OKR Pulse takes check-ins on key "
              "results"),  # the objective "Grow catering sales", the fourth record
        # Viva writes a row's check-ins newest first: the one written second that day is older
        ([1], "a check-in of 2026-03-20 on key result 5100003 written after another of that "
              "day: Viva lists the newest first"),
    ]  # fmt: skip


def test_a_labelled_checkin_is_read_by_its_labels_not_by_its_semicolons():
    _, converted = reshape(text_frame(), "viva_goals_explorer.csv")
    ck = converted.tables["checkins"]
    assert ck.drop(columns="_pos").values.tolist() == [
        ["5100003", "2026-03-20", "25%", "On Track", "Slow start; app release moved\nto April",
         "Ola Berg"],
        ["5100003", "2026-02-10", "10%", "At Risk", "Baseline set", "Ola Berg"],
        ["5100004", "2026-04-02", "50%", "Closed", "Half the shops", "Ada Lind"],
    ]  # fmt: skip


def one_key_result(cell: str) -> pd.DataFrame:
    """An objective and one key result whose Checkins cell is ``cell``."""
    return pd.DataFrame({"Id": ["1", "2"], "Title": ["O", "K"],
                         "Object Type": ["Objective", "Key Result"],
                         "Aligned To": [pd.NA, "O(weight: 100%, Id: 1)"],
                         "Checkins": [pd.NA, cell]}, dtype="string")  # fmt: skip


@pytest.mark.parametrize(("cell", "fields"), [
    ("Checkin Date: 2025-05-02; User: Ann Lee; Note: ; Metric Name: Progress; Status: On Track; "
     "Current Value: 80%; Activity Date: 2025-05-02 12:26:40 UTC;",
     ["2025-05-02", "80%", "On Track", pd.NA, "Ann Lee"]),
    # a note holding labels and ";": the fields after it are the run that ends the check-in
    ("Checkin Date: 2025-05-02; User: Ann Lee; Note: Status: fine; Current Value: ours; done; "
     "Metric Name: Progress; Status: Behind; Current Value: 10%; Activity Date: 2025-05-03;",
     ["2025-05-02", "10%", "Behind", "Status: fine; Current Value: ours; done", "Ann Lee"]),
    # labels in any case, white space and line breaks around them; no Checkin Date: the
    # Activity Date dates it
    ("user :\u00a0Bo ;\nNOTE: a\tb ;; Status: Behind;current value: 3 ;Activity Date: 2025-05-04",
     ["2025-05-04", "3", "Behind", "a\tb", "Bo"]),
])  # fmt: skip
def test_labelled_fields(cell, fields):
    _, converted = reshape(one_key_result(cell), "x.csv")
    ck = converted.tables["checkins"]
    assert ck[["date", "value", "status", "comment", "author"]].values.tolist() == [fields]


def test_the_short_spelling_still_reads():
    _, converted = reshape(
        one_key_result("2026-07-14: 35 (On Track) - fine; 2026-08-01: 40"), "x.csv"
    )
    ck = converted.tables["checkins"]
    assert ck[["kr_id", "date", "value", "status"]].values.tolist() == [
        ["2", "2026-07-14", "35", "On Track"], ["2", "2026-08-01", "40", pd.NA]]  # fmt: skip
    assert converted.packed["check-ins"]["on key results"] == 2


def test_checkins_load_typed(loaded):
    assert loaded.report.ok, loaded.report.to_text()
    ck = loaded.dataset.checkins.assign(kr=lambda c: c["kr_id"].str.replace(r"@.*", "", regex=True))
    ck = ck.drop_duplicates(["kr", "date", "value"])
    got = ck[["kr", "value", "status", "author"]].values.tolist()
    assert got == [
        ["5100003", 10.0, "at_risk", "Ola Berg"],
        ["5100003", 25.0, "on_track", "Ola Berg"],  # the newest of 2026-03-20, not the draft
        ["5100004", 50.0, pd.NA, "Ada Lind"],
    ]
    assert "Closed" not in {i.value for i in loaded.report.warnings}  # a status word, no health
    assert "duplicate_checkin" not in {i.code for i in loaded.report.warnings}


def test_money_and_brackets_are_typed_by_staging(loaded):
    krs = loaded.dataset.key_results.set_index("kr_id")
    assert (krs.loc["5100005", "target_value"], krs.loc["5100005", "current_value"]) == (1500, 900)
    # no actual value: Progress % (50) of the way from start (€200) to target (€1,200)
    assert krs.loc["5100006", ["start_value", "target_value", "current_value"]].tolist() == [
        200, 1200, 700]  # fmt: skip
    assert krs.loc["5100008", ["start_value", "current_value"]].tolist() == [-12, 4]


def test_achieved_or_not_is_binary_and_done_by_its_progress(loaded):
    row = loaded.dataset.key_results.set_index("kr_id").loc["5100009"]
    assert row["metric_type"] == "binary"
    assert row[["start_value", "target_value", "current_value"]].tolist() == [0, 1, 1]  # 100 %


def test_viva_progress_is_kept_beside_the_computed_one(loaded):
    ds = loaded.dataset
    objs = ds.objectives
    assert objs.groupby("objective_id")["source_progress"].unique().map(list).to_dict() == {
        "5100001": [0.64], "5100002": [0.55]}  # fmt: skip
    krs = ds.key_results.set_index("kr_id")["source_progress"]
    assert krs["5100004"] == 0.5 and krs["5100005"] == 0.6
    computed = metrics.objective_progress(ds, metrics.kr_progress(ds, AS_OF))
    row = computed[computed["quarter"] == "2026-Q1"].set_index("objective_id").loc["5100001"]
    assert row["source_progress"] == 0.64
    assert row["progress"] == pytest.approx(0.5 * 0.25 + 0.5 * 0.5)  # from its key results


def test_an_annual_objective_is_one_objective(loaded):
    ds = loaded.dataset
    ids = ds.objectives["objective_id"]
    mine = ds.objectives[ids == "5100001"]
    assert mine["quarter"].tolist() == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert ids.nunique() == 2
    assert ds.key_results["kr_id"].nunique() == 6


def test_a_row_without_a_team_takes_its_objectives(loaded):
    _, converted = reshape(text_frame(), "viva_goals_explorer.csv")
    okrs = converted.tables["okrs"].set_index("kr_id")
    assert okrs.loc["5100004", "team"] == "Bakery"  # "Bakery; All Bakery": the first team
    work = converted.tables["work"]
    assert work[["title", "team", "objective_id", "kr_id"]].values.tolist() == [
        ["New catering menu", "Catering", "5100002", "5100005"]]  # fmt: skip
    aside = loaded.aside
    assert aside.loc[aside["kind"] == "work", "team"].tolist() == ["Catering"]


def test_the_view_without_ids(no_ids):
    result = load([no_ids])
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    base = lambda s: s.str.replace(r"@.*", "", regex=True)  # noqa: E731
    assert base(ds.objectives["objective_id"]).nunique() == 2
    assert base(ds.key_results["kr_id"]).nunique() == 6
    titles = ds.objectives.drop_duplicates("objective").set_index("objective_id")["objective"]
    parent = ds.objectives.set_index("objective")["parent_objective_id"]
    assert titles[parent["Grow catering sales"]] == "2026 -- Be the bakery every Nordic city knows"
    by_title = ds.key_results.set_index("key_result")["objective_id"]
    assert ds.objectives.set_index("objective_id").loc[
        by_title["Catering revenue per month"], "objective"] == "Grow catering sales"  # fmt: skip
    _, converted = reshape(text_frame(no_ids), no_ids.name)
    assert converted.packed["check-ins"]["read"] == 7


def test_the_adapter_types_no_value():
    source = Path(viva.__file__).read_text()
    for word in ("to_numeric", "to_datetime", "float(", "int(", "_number", "_fraction", "_fmt",
                 "_quarter_from_dates", "np.where"):  # fmt: skip
        # a name of its own, not the end of another (SQL's row_number is no typing)
        assert not re.search(rf"(?<!\w){re.escape(word)}", source), word


def test_the_store_keeps_the_tools_progress(tmp_path):
    from okrdata.store import Store

    store = Store(tmp_path / "okr.duckdb")
    try:
        store.import_files([FIXTURE])
        got = store.dataset()
    finally:
        store.close()
    objs = got.objectives.drop_duplicates("objective_id").set_index("objective_id")
    assert objs.loc["5100001", "source_progress"] == 0.64
    assert objs.loc["5100002", "source_progress"] == 0.55
    krs = got.key_results.drop_duplicates("kr_id").set_index("kr_id")
    assert krs.loc["5100005", "source_progress"] == 0.6


def test_a_store_written_before_source_progress_still_reads(tmp_path):
    import duckdb

    from okrdata.store import Store

    path = tmp_path / "okr.duckdb"
    store = Store(path)
    store.import_files([FIXTURE])
    store.close()
    con = duckdb.connect(str(path))  # as an older version left it: no source_progress column
    for table in ("objectives", "key_results"):
        con.execute(f"alter table {table} drop column source_progress")
    con.close()
    store = Store(path)
    try:
        old = store.dataset()
        assert old.objectives["source_progress"].isna().all() and len(old.key_results) == 9
        newer = tmp_path / "viva_newer.csv"  # the next export (an identical one changes nothing)
        newer.write_bytes(FIXTURE.read_bytes().replace(b"Ola Berg", b"Ola Berg-Lie"))
        store.import_files([newer])  # its import adds the column
        objs = store.dataset().objectives.set_index("objective_id")["source_progress"]
    finally:
        store.close()
    assert objs["5100002"] == 0.55


def test_the_team_page_shows_the_tools_progress_beside_ours(loaded):
    from okrdata import views

    b = views.base(loaded.dataset, "2026-Q1", AS_OF)
    tv = views.team_view(b, views.Filters("2026-Q1", team="Catering"), "Catering")
    row = tv.objectives.set_index("objective_id").loc["5100002"]
    assert row["source_progress"] == 0.55 and row["progress"] != 0.55
    sample = views.base(load([Path("sample_data")]).dataset, None, None)
    team = sample.snap.qobjs["team"].iloc[0]
    plain = views.team_view(sample, views.Filters(sample.quarter, team=team), team)
    assert "source_progress" not in plain.objectives  # no tool figure, no empty column


def test_a_cell_without_its_checkin_date_or_with_no_checkin_is_not_lost(tmp_path):
    frame = text_frame()
    checkins = frame.columns.get_loc("Checkins")
    at = frame.index[frame["Id"] == "5100008"][0]
    frame.iloc[at, checkins] = ("User: Nils Dahl; Note: late; Status: Behind; Current Value: 2; "
                                "Activity Date: 2026-03-15 10:00:00 UTC;")  # fmt: skip
    frame.iloc[at, checkins + 1] = "see the board"
    _, converted = reshape(frame, "viva.csv")
    ck = converted.tables["checkins"]
    got = ck[ck["kr_id"] == "5100008"][["date", "value", "status", "comment", "author"]]
    assert got.values.tolist() == [
        ["2026-03-15 10:00:00 UTC", "2", "Behind", "late", "Nils Dahl"]]  # fmt: skip
    assert converted.notes == [
        ("check-in cells with no check-in that could be read (1: no date first, no Checkin Date "
         "label) on {rows}", [at])]  # fmt: skip
    path = tmp_path / "viva.csv"
    frame.to_csv(path, index=False)
    result = load([path])
    assert result.report.ok, result.report.to_text()
    assert any(n.startswith("check-in cells with no check-in") and n.endswith("row 8")
               for s in result.sources for n in s.notes)  # fmt: skip


def terms_frame(objective: str, key_result: str, work: str) -> pd.DataFrame:
    """An objective, two key results and a work item under the second, typed in the words an
    admin may choose for them (Microsoft Learn, "Customize terminology in Viva Goals")."""
    return pd.DataFrame({
        "Id": ["1", "2", "3", "4"], "Title": ["O", "K1", "K2", "W"],
        "Object Type": [objective, key_result, key_result, work],
        "Aligned To (weight, Objective ID)": [pd.NA, "O(weight: 50%, Id: 1)",
                                              "O(weight: 50%, Id: 1)", "K2(weight: 0%, Id: 3)"],
        "Checkins": [pd.NA, "2025-02-01: 5 (On Track)", pd.NA, "2025-02-02: 9"],
    }, dtype="string")  # fmt: skip


@pytest.mark.parametrize(("objective", "key_result", "work"), [
    ("Objective", "Key Result", "Initiative"),
    ("Goal", "Metric", "Project"),
    ("Theme", "Result", "To Do"),
    ("Big Rock", "Outcome", "Milestone"),  # Outcome is a key result beside Big Rock ...
    ("Outcome", "Result", "Action"),  # ... and an objective beside Result
    ("Theme", "Outcome", "Action"),  # as in a published export of a renamed org (see viva.py)
    ("Outcome", "Key result", "Deliverable"),
])  # fmt: skip
def test_the_customised_terms_of_object_type(objective, key_result, work):
    """Viva lets an admin rename Objective (Goal, Outcome, Theme, Big Rock), Key Result
    (Metric, Outcome, Result) and Initiative (Project, To Do, Deliverable, Milestone, Action);
    the export's ``Object Type`` says the chosen word. None of them makes a key result work."""
    _, converted = reshape(terms_frame(objective, key_result, work), "x.csv")
    okrs = converted.tables["okrs"]
    assert okrs["objective_id"].drop_duplicates().tolist() == ["1"]
    assert okrs["kr_id"].dropna().tolist() == ["2", "3"]
    assert converted.tables["work"][["title", "objective_id", "kr_id"]].values.tolist() == [
        ["W", "1", "3"]]  # fmt: skip
    assert converted.packed["check-ins"] == {"read": 2, "on key results": 1,
                                             "on work items (kept as work)": 1,
                                             "on objectives (kept aside)": 0}  # fmt: skip


def test_every_status_viva_writes_is_known(tmp_path):
    """The statuses Viva's explorer filters by (Microsoft Learn, ``Viva/goals/explorer.md``:
    Not Started, On Track, Behind, At Risk, Closed, Postponed, Reopened): none is an unknown
    value; Closed, Not Started, Postponed and Reopened say nothing of health."""
    statuses = ["Not Started", "On Track", "Behind", "At Risk", "Closed", "Postponed", "Reopened"]
    rows = [
        "Id,Title,Team,Period,Object Type,Aligned To,Target,Status,Checkins",
        "1,O,Ops,Q1 2025,Objective,,,On Track,",
    ]
    for i, status in enumerate(statuses, start=2):
        cell = (
            f"Checkin Date: 2025-02-{i:02d}; User: Bo; Note: ; Status: {status}; "
            f"Current Value: {i}; Activity Date: 2025-02-{i:02d} 09:00:00 UTC;"
        )
        rows.append(f'{i},K{i},Ops,Q1 2025,Key Result,"O(weight: 10%, Id: 1)",10,{status},"{cell}"')
    path = tmp_path / "statuses.csv"
    path.write_text("\r\n".join(rows) + "\r\n")
    result = load([path])
    assert not [i for i in result.report.issues if i.code == "unknown_value"], \
        result.report.to_text()  # fmt: skip
    by_value = result.dataset.checkins.set_index("value")["status"]
    assert by_value.isna().tolist() == [True, False, False, False, True, True, True]


def test_an_export_of_chosen_fields_without_aligned_to(tmp_path):
    """Viva's explorer exports the fields the user selects (Microsoft Learn,
    ``Viva/goals/explorer.md``: "Select the fields to include"; "first level key
    results/children will be exported along with each objective"). Without ``Aligned To`` the
    sheet is still a Viva Goals export, and each key result or work item sits under the
    objective written above it; the source's notes say so."""
    path = tmp_path / "chosen_fields.csv"
    path.write_text(
        "Id,Title,Team,Owner,Period,Object Type,Target,Progress %,Status\r\n"
        "11,Delight every customer,Support,Kai Moe,Q1 2025,Objective,100,40,On Track\r\n"
        "12,First reply under 2 hours,Support,Kai Moe,Q1 2025,Key Result,2,50,On Track\r\n"
        "13,CSAT to 90,Support,Kai Moe,Q1 2025,Key Result,90,25,At Risk\r\n"
        "14,New help centre,Support,Kai Moe,Q1 2025,Project,100,60,On Track\r\n"
        "21,Ship faster,Platform,Ida Sand,Q1 2025,Objective,100,10,Behind\r\n"
        "22,Deploys per day to 5,Platform,Ida Sand,Q1 2025,Key Result,5,10,Behind\r\n"
    )
    result = load([path])
    assert not result.report.errors, result.report.to_text()
    assert {s.name: s.notes for s in result.sources}  # recognised, stored
    krs = result.dataset.key_results.set_index("kr_id")["objective_id"].to_dict()
    assert krs == {"12": "11", "13": "11", "22": "21"}
    assert result.aside.loc[result.aside["kind"] == "work", "objective_id"].tolist() == ["11"]
    notes = " ".join(n for s in result.sources for n in s.notes)
    assert "no Aligned To column" in notes and "the objective above" in notes


@pytest.mark.parametrize("cell", [
    # the note last, the fields before it in Viva's order or another
    "Checkin Date: 2025-03-10; User: Ann Lee; Status: On Track; Current Value: 25%; "
    "Note: fine; all good",
    "Checkin Date: 2025-03-10; Current Value: 25%; Status: On Track; User: Ann Lee; "
    "Activity Date: 2025-03-10 10:00:00 UTC; Note: fine; all good",
    "Checkin Date: 2025-03-10; User: Ann Lee; Metric Name: Progress; Status: On Track; "
    "Current Value: 25%; Activity Date: 2025-03-10 10:00:00 UTC; Note: fine; all good",
    # the note in the middle, the user after it
    "Checkin Date: 2025-03-10; Status: On Track; Note: fine; all good; Current Value: 25%; "
    "User: Ann Lee",
    # fields separated by commas, bars or line breaks instead of ";"
    "Checkin Date: 2025-03-10, User: Ann Lee, Note: fine; all good, Status: On Track, "
    "Current Value: 25%",
    "Checkin Date: 2025-03-10 | User: Ann Lee | Note: fine; all good | Status: On Track | "
    "Current Value: 25%",
    "Checkin Date: 2025-03-10\nUser: Ann Lee\nNote: fine; all good\nStatus: On Track\n"
    "Current Value: 25%",
])  # fmt: skip
def test_labelled_fields_in_another_order_or_separated_otherwise(cell):
    """A check-in cell whose fields come in another order, or are separated by ``,``, `` | ``
    or line breaks: every field is still read by its label, none is swallowed by another."""
    _, converted = reshape(one_key_result(cell), "x.csv")
    ck = converted.tables["checkins"]
    assert ck[["date", "value", "status", "comment", "author"]].values.tolist() == [
        ["2025-03-10", "25%", "On Track", "fine; all good", "Ann Lee"]]  # fmt: skip


def test_an_aligned_to_without_the_parent_s_title_names_the_parent_by_its_id():
    """``(weight: 100%, Id: 1)`` with no title before it (as in the tests of a public script
    that turns a Viva Goals XLSX export into slides): the parent is the row of that id, not an
    objective named by the whole cell."""
    frame = terms_frame("Objective", "Key Result", "Initiative")
    frame.loc[1, "Aligned To (weight, Objective ID)"] = "(weight: 100%, Id: 1)"
    _, converted = reshape(frame, "x.csv")
    okrs = converted.tables["okrs"]
    assert okrs[["objective_id", "kr_id", "weight"]].dropna(subset="kr_id").values.tolist() == [
        ["1", "2", "100"], ["1", "3", "50"]]  # fmt: skip
