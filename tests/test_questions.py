"""Questions an import cannot guess (``okrdata.questions``): listed with sample values,
answered once per source shape, turned into the overrides ``load`` takes, saved as JSON and
read back by ``python -m okrdata import|validate --mapping``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from okrdata import questions
from okrdata.cli import main
from okrdata.config import Config
from okrdata.ingest import load, shape_key
from okrdata.rebuild import rebuild
from okrdata.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "sources" / "questions" / "Platform.csv"
TEXT = FIXTURE.read_bytes()


def asked(result: questions.LoadResult) -> dict[str, questions.Question]:
    return {q.kind: q for q in questions.ask(result)}


def test_an_upload_without_a_team_and_with_fiscal_labels_raises_its_questions_together():
    result = load([FIXTURE])
    qs = questions.ask(result)
    assert [q.kind for q in qs] == ["fixed", "fiscal", "unknown"]
    team, fiscal, unknown = qs
    assert (team.file, team.sheet, team.table, team.column) == (
        "Platform.csv",
        None,
        "okrs",
        "team",
    )
    assert team.choices == ["Unit lead"]
    assert team.samples == {"Unit lead": ["Ana Ruiz", "Ana Ruiz", "Ana Ruiz"],
                            "file name": ["Platform"]}  # fmt: skip
    assert fiscal.samples == {"labels": ["FY27-Q1", "FY27-Q2"]}
    assert fiscal.choices[0] == "January" and len(fiscal.choices) == 12
    assert unknown.column == "Unit lead" and "team" in unknown.choices
    assert {q.shape for q in qs} == {
        "canonical/okrs: key result, objective, progress, quarter, unit lead"
    }


def test_files_of_one_shape_are_asked_about_once_and_answered_together():
    later = TEXT.replace(b"Make the build fast", b"Make the build faster")
    files = [("Platform.csv", TEXT), ("Payments.csv", later)]
    qs = questions.ask(load(files))
    assert [(q.kind, q.file) for q in qs] == [
        ("fixed", "Platform.csv"),
        ("fiscal", "Platform.csv"),
        ("unknown", "Platform.csv"),
    ]
    answers: questions.Answers = {}
    questions.answer_fixed(answers, qs[0], from_name="file name")
    result = questions.resolve(files, answers)
    assert set(result.dataset.objectives["team"]) == {"Platform", "Payments"}


def test_the_fiscal_year_is_asked_once_for_all_the_shapes_that_name_it():
    other = TEXT.replace(b"Unit lead", b"Unit lead,Notes").replace(b"\n", b",\n")
    files = [("Platform.csv", TEXT), ("Other.csv", other.replace(b"FY27-Q2", b"FY28-Q1"))]
    first = load(files)
    fiscal = [q for q in questions.ask(first) if q.kind == "fiscal"]
    assert len(fiscal) == 1 and fiscal[0].samples == {"labels": ["FY27-Q1", "FY27-Q2", "FY28-Q1"]}
    answers: questions.Answers = {}
    questions.answer_fiscal(answers, fiscal[0], 7, "end")
    assert {s.shape for s in first.sources} == {k for k, v in answers.items() if v["fiscal"]}


def test_the_fiscal_labels_are_warned_about_while_no_setting_says_how_the_year_runs():
    text = TEXT.replace(b"Quarter,", b"Team,Quarter,", 1)
    text = b"\n".join(
        line if i == 0 else b"Ops," + line for i, line in enumerate(text.splitlines())
    )
    result = load([("okrs.csv", text)])
    warned = [i for i in result.report.issues if i.code == "fiscal_year"]
    assert len(warned) == 1 and warned[0].value == "FY27-Q1, FY27-Q2"
    assert "FY27-Q1 is 2027-Q1" in warned[0].message
    assert not any(i.code == "fiscal_year" for i in
                   load([("okrs.csv", text)], config=Config(fiscal_start_month=2)).report.issues)  # fmt: skip


def test_the_shape_is_the_same_for_next_months_file_of_the_same_tool():
    frame = pd.read_csv(FIXTURE, dtype=str)
    later = frame[list(reversed(frame.columns))].rename(columns=str.upper)
    other = load([("platform-2027-03.csv", later.to_csv(index=False).encode())])
    assert other.sources[0].shape == load([FIXTURE]).sources[0].shape
    assert shape_key("viva", "okrs", ["Title", "", "Id"]) == "viva/okrs: id, title"


def test_a_typed_team_is_the_team_of_every_row_and_never_sql():
    result = load([FIXTURE])
    team = asked(result)["fixed"]
    answers: questions.Answers = {}
    name = "O'Brien's team'); drop table stg_okrs; --"
    questions.answer_fixed(answers, team, name)
    again = questions.resolve([FIXTURE], answers)
    assert not again.report.errors, again.report.to_text()
    assert set(again.dataset.objectives["team"]) == {name}
    assert again.sources[0].fixed == {"team": name}
    assert again.sources[0].missing_required == []


def test_a_team_taken_from_the_file_name_follows_each_file():
    answers: questions.Answers = {}
    questions.answer_fixed(answers, asked(load([FIXTURE]))["fixed"], from_name="file name")
    result = questions.resolve([("Payments.csv", TEXT)], answers)
    assert set(result.dataset.objectives["team"]) == {"Payments"}


def test_a_column_answer_maps_it_and_clears_a_fixed_one():
    answers: questions.Answers = {}
    team = asked(load([FIXTURE]))["fixed"]
    questions.answer_fixed(answers, team, "Platform")
    questions.answer_column(answers, team, "Unit lead")
    assert answers[team.shape] == {"fixed": {}, "columns": {"Unit lead": "team"}}
    result = questions.resolve([FIXTURE], answers)
    assert set(result.dataset.objectives["team"]) == {"Ana Ruiz", "Tom Becker", "Mia Chen"}


def test_a_sheet_answer_is_a_typed_value_a_name_or_else_the_column_chosen():
    """The form's three answers to a ``fixed`` question (``answer_sheet``): a typed value or
    a name wins over the column chosen beside it; with neither, the column holds it and an
    earlier fixed value is gone."""
    team = asked(load([FIXTURE]))["fixed"]
    answers: questions.Answers = {}
    questions.answer_sheet(answers, team, "Unit lead", "  Platform ")
    assert answers[team.shape]["fixed"] == {"team": {"value": "Platform"}}
    assert answers[team.shape].get("columns", {}) == {}
    questions.answer_sheet(answers, team, "Unit lead", "", "file name")
    assert answers[team.shape]["fixed"] == {"team": {"from": "file name"}}
    questions.answer_sheet(answers, team, "Unit lead", " ")
    assert answers[team.shape] == {"fixed": {}, "columns": {"Unit lead": "team"}}
    questions.answer_sheet(answers, team, None)  # nothing chosen: nothing kept
    assert answers[team.shape] == {"fixed": {}, "columns": {}}


def test_the_fiscal_answer_dates_the_labels():
    answers: questions.Answers = {}
    found = asked(load([FIXTURE]))
    questions.answer_fixed(answers, found["fixed"], "Platform")
    questions.answer_fiscal(answers, found["fiscal"], 2, "end")  # FY27 ends in January 2027
    result = questions.resolve([FIXTURE], answers)
    assert sorted(set(result.dataset.objectives["quarter"])) == ["2026-Q1", "2026-Q2"]
    assert not any(i.code == "fiscal_year" for i in result.report.issues)


def test_which_rows_are_objectives_is_asked_when_a_column_marks_them():
    tracker = FIXTURE.with_name("ops-tracker.csv")
    first = load([tracker])
    qs = questions.ask(first)
    assert [q.kind for q in qs] == ["rows", "unknown", "unknown", "unknown"]  # no 'objective'
    rows = qs[0]
    assert rows.choices == ["Row type = Objective", "Row type = Key result"]
    assert rows.suggested == "Row type = Objective"
    assert rows.titles[0] == "Title" and rows.samples["Title"][0].startswith("Answer every")
    answers: questions.Answers = {}
    questions.answer_rows(answers, rows, rows.suggested, "Title")
    now = next(q for q in qs if q.column == "Now")
    questions.answer_column(answers, now, "current_value")
    assert questions.loads(questions.dumps(answers)) == answers
    result = questions.resolve([tracker], answers)
    assert not result.report.errors, result.report.to_text()
    ds = result.dataset
    assert sorted(ds.objectives["team"]) == ["SRE", "Support"]
    krs = ds.key_results.merge(ds.objectives[["objective_id", "objective"]], on="objective_id")
    backlog = krs.set_index("key_result").loc["Backlog under 50 tickets"]
    assert backlog["objective"] == "Answer every ticket within a day"
    assert (backlog["start_value"], backlog["target_value"], backlog["current_value"]) == (
        140,
        50,
        90,
    )
    assert len(krs) == 4 and result.sources[0].shape == first.sources[0].shape


def test_the_rows_answer_reshapes_the_sheet_as_answered():
    from okrdata import ingest

    tracker = FIXTURE.with_name("ops-tracker.csv")
    # the answer's value as a person may type it: other case, spaces around
    chosen = {ingest.ROWS_COLUMN: "Row type", ingest.ROWS_VALUE: " OBJECTIVE ",
              ingest.ROWS_TITLE: "Title"}  # fmt: skip
    result = load([tracker], mapping_overrides={(tracker.name, None): chosen})
    ds = result.dataset
    assert sorted(ds.objectives["objective"]) == [
        "Answer every ticket within a day",
        "Make on-call humane",
    ]
    krs = ds.key_results.merge(ds.objectives[["objective_id", "objective"]], on="objective_id")
    runbooks = krs.set_index("key_result").loc["Runbooks for the top 20 alerts"]
    assert runbooks["objective"] == "Make on-call humane"
    assert len(krs) == 4 and result.ledger.balanced


def test_a_sheet_read_as_the_wrong_table_is_asked_which_table_it_holds():
    """'Name' beside 'Team' reads as a teams table: no okrs, so which table it is is asked;
    the answer brings the okrs questions (which rows are objectives) under the same shape."""
    tracker = FIXTURE.with_name("ops-tracker.csv").read_bytes().replace(b",Title,", b",Name,")
    files = [("tracker.csv", tracker)]
    first = load(files)
    assert first.sources[0].table == "teams"
    table = questions.ask(first)[0]
    assert (table.kind, table.suggested, table.choices) == (
        "table",
        "teams",
        ["okrs", "checkins", "dependencies", "teams"],
    )
    answers: questions.Answers = {}
    questions.answer_table(answers, table, "okrs")
    then = questions.resolve(files, answers)
    assert then.sources[0].table == "okrs" and then.sources[0].shape == first.sources[0].shape
    asked = questions.ask(first, then)
    assert [q.kind for q in asked] == ["table", "rows", "unknown", "unknown", "unknown"]
    assert {q.table for q in asked if q.kind != "table"} == {"okrs"}  # the teams ones dropped
    rows = asked[1]
    questions.answer_rows(answers, rows, rows.suggested, "Name")
    result = questions.resolve(files, questions.loads(questions.dumps(answers)))
    assert not result.report.errors, result.report.to_text()
    assert (len(result.dataset.objectives), len(result.dataset.key_results)) == (2, 4)


def test_a_tab_no_table_claims_in_a_workbook_is_not_asked_about(tmp_path):
    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as xl:
        pd.read_csv(FIXTURE).assign(Team="Ops").to_excel(xl, sheet_name="OKRs", index=False)
        pd.DataFrame({"Read me": ["Fill in one row per key result"]}).to_excel(
            xl, sheet_name="Read me", index=False
        )
    assert "table" not in [q.kind for q in questions.ask(load([book]))]


def answered() -> questions.Answers:
    answers: questions.Answers = {}
    found = asked(load([FIXTURE]))
    questions.answer_fixed(answers, found["fixed"], "Developer Platform")
    questions.answer_fiscal(answers, found["fiscal"], 2, "end")
    return answers


def test_answers_round_trip_through_their_file():
    answers = answered()
    text = questions.dumps(answers)
    assert json.loads(text)["okr_pulse_answers"] == 1
    assert questions.loads(text) == answers


@pytest.mark.parametrize(
    "text, why",
    [
        ("nope", "it is not JSON"),
        ('{"a": 1}', 'no "shapes" object'),
        ('{"shapes": {"s": {"columns": {"Unit": "nope"}}}}', "must map file columns"),
        ('{"shapes": {"s": {"fixed": {"team": {"from": "url"}}}}}', '"fixed" of'),
        ('{"shapes": {"s": {"fiscal": {"start_month": 13, "named_by": "end"}}}}', "1 to 12"),
        ('{"shapes": {"s": {"colums": {}}}}', "more than columns"),
        ('{"shapes": {"s": {"rows": {"column": "Type"}}}}', '"rows" of'),
    ],
)
def test_a_file_that_is_not_answers_says_why(text, why):
    with pytest.raises(ValueError, match=why):
        questions.loads(text)


# the command line ---------------------------------------------------------------------------


def test_validate_with_the_answers_file_passes(tmp_path, capsys):
    saved = tmp_path / "answers.json"
    saved.write_text(questions.dumps(answered()), encoding="utf-8")
    # unanswered, the team is guessed from the file name, with a warning saying so
    assert main(["validate", str(FIXTURE)]) == 0
    assert "taken to be team 'Platform', from the file name" in capsys.readouterr().out
    assert main(["validate", str(FIXTURE), "--mapping", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "team is 'Developer Platform' on every row" in out and "taken to be team" not in out


def test_answers_saved_from_the_questions_import_the_same_dataset_as_the_page(tmp_path):
    answers = answered()
    saved = tmp_path / "answers.json"
    saved.write_text(questions.dumps(answers), encoding="utf-8")  # "Save these answers"
    db = str(tmp_path / "okr.duckdb")
    assert main(["import", str(FIXTURE), "--db", db, "--mapping", str(saved)]) == 0
    page = questions.resolve([FIXTURE], questions.loads(saved.read_text()))  # the Data page
    store = Store(db)
    try:
        stored = store.dataset()
        cols = ["objective_id", "objective", "team", "quarter"]
        key = ["objective_id"]
        pd.testing.assert_frame_equal(
            stored.objectives[cols].sort_values(key).reset_index(drop=True),
            page.dataset.objectives[cols].sort_values(key).reset_index(drop=True),
            check_dtype=False,
        )
        assert sorted(stored.key_results["kr_id"]) == sorted(page.dataset.key_results["kr_id"])
        rebuild(store)  # the archive replays the answers (fixed team, fiscal year) as well
        assert set(store.dataset().objectives["quarter"]) == {"2026-Q1", "2026-Q2"}
    finally:
        store.close()


@pytest.mark.parametrize("content", [None, "{not json", '{"shapes": []}'])
def test_a_bad_answers_file_is_one_sentence_and_exit_2(tmp_path, capsys, content):
    path = tmp_path / "answers.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    for command in ("validate", "import"):
        extra = ["--db", str(tmp_path / "okr.duckdb")] if command == "import" else []
        assert main([command, str(FIXTURE), "--mapping", str(path), *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: The answers file {path} cannot be ")
        assert err.count("\n") == 1 and err.rstrip().endswith(".")
