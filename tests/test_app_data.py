"""The Data page with real exports (AppTest): a Viva Goals export imports as it comes, the
preview says what changes, the scope choice is honoured, a confirmed mapping is remembered, and
what is computed ahead after an import is computed in a process of its own."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from okrdata import landing, precomputed, questions
from okrdata.cli import main
from okrdata.config import Config
from okrdata.ingest import load
from okrdata.mappings import save_mapping, saved_answers
from okrdata.store import Store
from tests.builders import eventually

pytestmark = pytest.mark.slow  # AppTest: make test, not the check loop

ROOT = Path(__file__).resolve().parents[1]
VIVA = ROOT / "tests" / "fixtures" / "formats" / "viva_goals_export.csv"
QUESTIONS = ROOT / "tests" / "fixtures" / "sources" / "questions" / "Platform.csv"
APPLY = "Apply these answers and validate again"


def data_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    return at.switch_page("pages/data.py").run()


def test_a_viva_goals_export_imports_from_the_data_page(store_path):
    at = data_page()
    at.file_uploader[0].upload(VIVA.name, VIVA.read_bytes(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    sources = at.dataframe[0].value
    # in an analyst's words, never a table's code name
    assert sources["holds"].tolist() == ["objectives and key results", "check-ins", "work items"]
    # the export's own columns it does not use, as the ledger and the warning list them
    warned = at.dataframe[1].value.set_index("code").loc["unknown_columns", "value"]
    assert sources["not used"].tolist() == [warned, "", ""]
    assert warned == "Description, Created By, Created At, Last Check-in"
    assert sources["notes"].str.startswith("looks like a Viva Goals export").all()
    assert at.success[0].value == "Ready to import: no errors, 1 warning to read below."
    assert "Kept, but shown on no page" in " ".join(c.value for c in at.caption)
    report = at.dataframe[1]
    assert "code" in report.value.columns  # kept in the CSV download ...
    assert json.loads(report.proto.columns)["code"]["hidden"] is True  # ... not on the page
    assert at.info[0].value == (
        "This import changes: 2 objectives added, 3 key results added, 4 check-ins added."
    )  # the annual objective, shown in its four quarters, is one objective
    assert at.radio(key="scope").value == "quarters"
    next(b for b in at.button if b.label == "Import into the store").click().run()
    assert any(
        s.value.startswith("Imported batch 1 (2 objectives, 3 key results, 4 check-ins")
        for s in at.success
    ), [s.value for s in at.success]
    ds = Store(store_path).dataset()
    assert (ds.objectives["objective_id"].nunique(), len(ds.checkins)) == (2, 4)


def test_update_only_these_teams_from_the_data_page(store_path, tmp_path):
    Store(store_path).import_files([VIVA])
    frame = pd.read_csv(VIVA, dtype=str, keep_default_na=False)
    team = frame[frame["Id"].isin(["3", "4"])].assign(Title=lambda f: f["Title"] + " (v2)")
    at = data_page()
    at.file_uploader[0].upload("team.csv", team.to_csv(index=False).encode(), "text/csv").run()
    at.radio(key="scope").set_value("teams").run()
    assert at.info[0].value == (
        "This import changes: 1 objective changed, 1 key result changed, "
        "1 key result no longer shown, 1 check-in no longer shown. The upload holds no "
        "check-ins: upload the check-ins file with it to keep them."
    )
    next(b for b in at.button if b.label == "Import into the store").click().run()
    objs = Store(store_path).dataset().objectives
    q3 = objs[objs["quarter"] == "2026-Q3"].set_index("objective_id")["objective"].to_dict()
    assert q3 == {"1": "Be the partner of choice", "3": "Launch the partner portal (v2)"}


def apply_answers(at: AppTest) -> AppTest:
    """Submit the questions form (the Data page validates again with the answers)."""
    return next(b for b in at.button if b.label == APPLY).click().run()


def test_a_confirmed_mapping_is_chosen_again_for_the_same_header(store_path):
    okrs = b"objective_id,objective,quarter,Owning unit\nO-1,Grow,2026-Q3,Sales\n"
    at = data_page()
    at.file_uploader[0].upload("okrs.csv", okrs, "text/csv").run()
    at.selectbox(key="map|okrs.csv||team").set_value("Owning unit")
    apply_answers(at)
    next(b for b in at.button if b.label == "Import into the store").click().run()
    assert list(saved_answers(Store(store_path)).values()) == [{"columns": {"Owning unit": "team"}}]

    again = data_page()  # another session, the same header
    again.file_uploader[0].upload("next.csv", okrs, "text/csv").run()
    assert again.selectbox(key="map|next.csv||team").value == "Owning unit"
    assert again.success[0].value.startswith("Ready to import")


def test_the_data_page_computes_ahead_in_a_process_of_its_own(store_path, monkeypatch):
    def not_here(*args, **kwargs):
        raise AssertionError("the app's process computed the first page ahead")

    monkeypatch.setattr(landing, "warm", not_here)
    monkeypatch.setenv("OKR_WARM", "background")  # the default
    at = data_page()
    at.file_uploader[0].upload(VIVA.name, VIVA.read_bytes(), "text/csv").run()
    next(b for b in at.button if b.label == "Import into the store").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # the child process keeps the default signals and the landing page beside the new store
    ask = precomputed.request(None, None, Config(), "csv", new=False)
    assert eventually(lambda: precomputed.read(store_path, ask)).startswith("quarter,department,")
    store = Store(store_path)
    assert landing.read(store_path, landing.request("options", Config()), store.data_version())


OKRS = b"objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value\n"
BAD = OKRS + b"O-1,Grow,2026-Q3,Sales,KR-1,ARR,0,lots\n"
FIXED = OKRS + b"O-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100\n"


def test_a_fixed_file_uploaded_again_under_its_name_replaces_the_first(store_path):
    """Fix and re-upload: the uploader keeps both files; the later one is read, and the page says
    so (both read together gave 'KR-1 is used again' on a file that had no duplicate)."""
    at = data_page()
    at.file_uploader[0].upload("okrs.csv", BAD, "text/csv").run()
    assert at.error[0].value.startswith("1 error")
    # the browser adds the second upload to the list (AppTest's upload() would start a new one)
    at.file_uploader[0].set_value([("okrs.csv", BAD, "text/csv"), ("okrs.csv", FIXED, "text/csv")])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("Ready to import"), [e.value for e in at.error]
    assert at.dataframe[0].value["file"].tolist() == ["okrs.csv"]
    assert [w.value for w in at.warning] == [
        "okrs.csv was uploaded 2 times: only the last upload is read. Remove the earlier one "
        "from the list of files above."
    ]


def test_the_import_history_says_when_and_which_files_each_batch_holds(store_path, tmp_path):
    """To choose a batch to restore, the analyst sees each batch's time of day and files (the
    table showed only the day, and no file names)."""
    (tmp_path / "okrs.csv").write_bytes(FIXED)
    (tmp_path / "checkins.csv").write_bytes(b"kr_id,date,value\nKR-1,2026-07-10,40\n")
    store = Store(store_path)
    store.import_files([tmp_path / "okrs.csv", tmp_path / "checkins.csv"])
    (tmp_path / "okrs.csv").write_bytes(FIXED.replace(b"Grow", b"Grow faster"))
    store.import_files([tmp_path / "okrs.csv"])
    at = data_page()
    history = at.dataframe[0].value
    assert history["files"].tolist() == ["okrs.csv", "okrs.csv, checkins.csv"]
    times = [f"{t:%d %b %Y %H:%M}" for t in store.history()["imported_at"]]  # 16 Nov 2026 13:05
    assert history["imported_at"].tolist() == times
    options = at.selectbox(key="restore_batch").options
    assert options == [
        f"Batch 2 · {times[0]} · okrs.csv",
        f"Batch 1 · {times[1]} · okrs.csv, checkins.csv",
    ]


def test_a_report_with_errors_says_what_to_do_next(store_path):
    at = data_page()
    at.file_uploader[0].upload("okrs.csv", BAD, "text/csv").run()
    assert at.error[0].value == "1 error blocks the import."
    assert next(b for b in at.button if b.label == "Import into the store").disabled
    assert (
        "Fix the errors in your files and upload them again (a file uploaded again under its "
        "name replaces the earlier one); the store stays as it is until then. Download CSV "
        "keeps the report." in [c.value for c in at.caption]
    )


def test_the_mapping_question_names_the_file_and_its_sheet(store_path):
    okrs = b"objective_id,objective,quarter,Owning unit\nO-1,Grow,2026-Q3,Sales\n"
    at = data_page()
    at.file_uploader[0].upload("okrs.csv", okrs, "text/csv").run()
    assert at.selectbox(key="map|okrs.csv||team").label == "Which column of okrs.csv holds 'team'?"
    buf = io.BytesIO()
    pd.read_csv(io.BytesIO(okrs)).to_excel(buf, sheet_name="OKRs", index=False)
    at.file_uploader[0].set_value([("okrs.xlsx", buf.getvalue(), "application/octet-stream")])
    at.run()
    assert at.selectbox(key="map|okrs.xlsx|OKRs|team").label == (
        "Which column of okrs.xlsx, sheet OKRs, holds 'team'?"
    )


def test_looking_at_uploads_in_the_session_goes_back_to_what_the_app_served(store_path):
    """On a store with no imports 'Back to the imported data' led to the sample: it says so."""
    at = data_page()
    at.file_uploader[0].upload("okrs.csv", FIXED, "text/csv").run()
    next(b for b in at.button if b.label == "Only look at it in this session").click().run()
    assert "You are looking at uploaded files that are not imported." in [i.value for i in at.info]
    next(b for b in at.button if b.label == "Back to the sample data").click().run()
    assert "Showing the bundled sample data." in [c.value for c in at.sidebar.caption]


def test_a_new_store_says_what_to_do_first(store_path):
    at = data_page()
    assert not at.exception
    assert (
        "Nothing imported yet: upload your OKR tool's exports above, or fill in the templates "
        "below and upload them. Until then the app shows the bundled sample data."
        in [c.value for c in at.caption]
    )


def test_a_preview_that_changes_nothing_draws_no_empty_caption(store_path):
    Store(store_path).import_files([VIVA])
    at = data_page()
    at.file_uploader[0].upload(VIVA.name, VIVA.read_bytes(), "text/csv").run()
    assert "This import changes nothing that is shown." in [i.value for i in at.info]
    assert "" not in [c.value for c in at.caption]


def test_a_team_question_is_answered_by_typing_a_name_then_the_import_succeeds(store_path):
    at = data_page()
    at.file_uploader[0].upload(QUESTIONS.name, QUESTIONS.read_bytes(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    # no team column: the file's name is taken for the team, and the question is still asked,
    # with that guess as its answer until the analyst says otherwise
    assert at.success[0].value.startswith("Ready to import"), at.success[0].value
    assert at.text_input(key="fix|Platform.csv||team").value == "Platform"
    assert at.selectbox(key="map|Platform.csv||team").options == [
        "Unit lead  (e.g. Ana Ruiz, Ana Ruiz, Ana Ruiz)"
    ]  # the candidate column, with its first values
    at.text_input(key="fix|Platform.csv||team").input("Developer Platform")
    at.selectbox(key="fy|Platform.csv||quarter").set_value(2)
    at.radio(key="fyname|Platform.csv||quarter").set_value("end")
    apply_answers(at)
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("Ready to import"), at.success[0].value
    assert any(b.label == "Save these answers" for b in at.get("download_button"))
    next(b for b in at.button if b.label == "Import into the store").click().run()
    objectives = Store(store_path).dataset().objectives
    assert set(objectives["team"]) == {"Developer Platform"}
    assert sorted(set(objectives["quarter"])) == ["2026-Q1", "2026-Q2"]  # FY27 ends Jan 2027

    # "Save these answers", then the command line with them: the same data as the page's
    saved = store_path.with_name("answers.json")
    saved.write_text(questions.dumps(questions.for_sources(
        at.session_state["question_answers"], load([QUESTIONS]).sources)))  # fmt: skip
    other = store_path.with_name("cli.duckdb")
    assert main(["import", str(QUESTIONS), "--db", str(other), "--mapping", str(saved)]) == 0
    cols = ["objective_id", "objective", "team", "quarter"]
    by_page, by_cli = (Store(p).dataset().objectives[cols].sort_values("objective_id")
                       .reset_index(drop=True) for p in (store_path, other))  # fmt: skip
    pd.testing.assert_frame_equal(by_page, by_cli)

    again = data_page()  # next month's export of the same shape: answered already
    again.file_uploader[0].upload("Platform-next.csv", QUESTIONS.read_bytes(), "text/csv").run()
    assert again.text_input(key="fix|Platform-next.csv||team").value == "Developer Platform"
    assert again.success[0].value.startswith("Ready to import")


def test_which_rows_are_objectives_is_asked_and_answered_on_the_data_page(store_path):
    tracker = QUESTIONS.with_name("ops-tracker.csv")
    at = data_page()
    at.file_uploader[0].upload(tracker.name, tracker.read_bytes(), "text/csv").run()
    rows = at.selectbox(key="rows|ops-tracker.csv||objective")
    assert rows.options == ["Row type = Objective", "Row type = Key result"]
    assert rows.value == "Row type = Objective"  # suggested: the value that says objective
    assert at.selectbox(key="title|ops-tracker.csv||objective").value == "Title"
    at.selectbox(key="col|okrs|ops-tracker.csv||Now").set_value("current_value")
    apply_answers(at)
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("Ready to import"), at.success[0].value
    next(b for b in at.button if b.label == "Import into the store").click().run()
    ds = Store(store_path).dataset()
    assert (len(ds.objectives), len(ds.key_results)) == (2, 4)
    assert ds.key_results["current_value"].tolist().count(90) == 1


def test_a_mapping_confirmed_before_answers_were_kept_per_shape_is_still_chosen(store_path):
    okrs = b"objective_id,objective,quarter,Owning unit\nO-1,Grow,2026-Q3,Sales\n"
    save_mapping(
        Store(store_path),
        ["objective_id", "objective", "quarter", "Owning unit"],
        {"team": "Owning unit"},
    )
    at = data_page()
    at.file_uploader[0].upload("okrs.csv", okrs, "text/csv").run()
    assert at.selectbox(key="map|okrs.csv||team").value == "Owning unit"
    assert at.success[0].value.startswith("Ready to import")


def test_a_sheet_read_as_another_table_is_said_to_hold_objectives_on_the_data_page(store_path):
    tracker = QUESTIONS.with_name("ops-tracker.csv").read_bytes().replace(b",Title,", b",Name,")
    at = data_page()
    at.file_uploader[0].upload("tracker.csv", tracker, "text/csv").run()
    table = at.selectbox(key="table|tracker.csv||")
    assert table.value == "teams"  # as it was read: Name beside Team
    table.set_value("okrs")
    apply_answers(at)
    assert at.selectbox(key="rows|tracker.csv||objective").value == "Row type = Objective"
    assert at.selectbox(key="title|tracker.csv||objective").value == "Name"
    apply_answers(at)
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("Ready to import"), at.success[0].value


def test_an_uploads_cached_validation_holds_its_dataset_so_a_rerun_does_not_rebuild_it():
    """The Data page keeps each upload's validation in ``st.cache_data``, which hands every
    rerun a copy: the pandas Dataset (built on first use, ``model.Typed``) is built before it
    is cached, so the copy holds it instead of each rerun converting the check-ins again."""
    from pages import uploads

    files = tuple((p.name, p.read_bytes()) for p in sorted(Path("sample_data").glob("*.csv")))
    uploads._load.clear()
    first = uploads._load(files)
    again = uploads._load(files)  # a rerun: a copy of the cached result
    assert again is not first
    assert again.typed._built, "the cached copy holds no Dataset: each rerun would rebuild it"
    assert len(again.dataset.checkins) == len(first.dataset.checkins) > 0
