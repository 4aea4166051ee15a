"""The command line: every command documented, usage errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from okrdata.cli import COMMANDS, build_parser, main
from okrdata.store import Store

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented_in_readme(command):
    assert f"python -m okrdata {command}" in README


def test_every_parser_command_is_dispatched():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)


@pytest.mark.parametrize("argv", [[], ["nope"], ["sample"], ["restore", "x"]])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err


# --- settings: validate and import read ./okr.toml or --config ------------------------------

OKRS = "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value\n"
OKRS += "O-1,Grow,2026-Q1,Sales,KR-1,ARR,0,100\n"
CHECKINS = "kr_id,date,value\nKR-1,02/03/2026,40\n"  # 2 March day first, 3 February month first


@pytest.fixture
def day_first(tmp_path, monkeypatch) -> Path:
    """A folder with an ambiguous check-in date, and an okr.toml saying dates are day first."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "okrs.csv").write_text(OKRS, encoding="utf-8")
    (data / "checkins.csv").write_text(CHECKINS, encoding="utf-8")
    (tmp_path / "okr.toml").write_text('date_order = "dmy"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return data


@pytest.mark.parametrize("config", [[], ["--config", "okr.toml"]], ids=["default", "option"])
def test_validate_reads_dates_by_the_settings_file(day_first, config, capsys):
    assert main(["validate", str(day_first), *config]) == 0
    out = capsys.readouterr().out
    assert "checkins.csv: checkins, 1 row (" in out and "ambiguous dates read as day first)" in out


@pytest.mark.parametrize("config", [[], ["--config", "okr.toml"]], ids=["default", "option"])
def test_import_reads_dates_by_the_settings_file(day_first, config, capsys):
    from okrdata.store import Store

    db = str(day_first.parent / "okr.duckdb")
    assert main(["import", str(day_first), "--db", db, *config]) == 0
    store = Store(db)
    try:
        assert store.dataset().checkins["date"].tolist() == [pd.Timestamp("2026-03-02")]
    finally:
        store.close()


def test_validate_with_a_missing_settings_file_says_so(day_first, capsys):
    assert main(["validate", str(day_first), "--config", "nope.toml"]) == 1
    assert capsys.readouterr().err == "error: config file not found: nope.toml\n"


# --- every error is one sentence, never a traceback -----------------------------------------


@pytest.mark.parametrize("command", ["validate", "import"])
def test_a_missing_file_is_one_sentence_and_creates_no_store(command, tmp_path, capsys):
    db = tmp_path / "okr.duckdb"
    extra = ["--db", str(db)] if command == "import" else []
    assert main([command, str(tmp_path / "nope.csv"), *extra]) == 2
    assert capsys.readouterr().err == f"error: no such file: {tmp_path / 'nope.csv'}\n"
    assert not db.exists()


def test_an_unreadable_file_is_one_sentence(tmp_path, capsys, monkeypatch):
    okrs = tmp_path / "okrs.csv"
    okrs.write_text(OKRS, encoding="utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(okrs))

    monkeypatch.setattr("okrdata.ingest.contents", denied)
    assert main(["validate", str(okrs)]) == 1
    assert capsys.readouterr().err == f"error: {okrs}: Permission denied.\n"


# --- the Data page's templates: filled in by hand, they import without a warning ------------


def test_the_four_templates_validate_and_import_without_a_warning(tmp_path, capsys):
    from okrdata.templates import template_csv

    for table in ("okrs", "checkins", "dependencies", "teams"):
        (tmp_path / f"{table}.csv").write_bytes(template_csv(table))
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out.endswith("\nNo problems found.\n")
    assert main(["import", str(tmp_path), "--db", str(tmp_path / "okr.duckdb")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith(
        "Imported batch 1 (2 objectives, 3 key results, 3 check-ins, "
    ), out


def test_import_messages_count_in_the_singular_and_say_what_to_do(tmp_path, capsys):
    (tmp_path / "okrs.csv").write_text(OKRS.replace("2026-Q1", "2026-Q3"), encoding="utf-8")
    (tmp_path / "checkins.csv").write_text("kr_id,date,value\nKR-1,2026-07-10,40\n")
    db = str(tmp_path / "okr.duckdb")
    assert main(["import", str(tmp_path), "--db", db]) == 0
    assert capsys.readouterr().out.endswith(
        "\n\nImported batch 1 (1 objective, 1 key result, 1 check-in). New quarters: 2026-Q3.\n"
    )
    (tmp_path / "okrs.csv").write_text(OKRS.replace("100", "lots"), encoding="utf-8")
    assert main(["import", str(tmp_path), "--db", db]) == 1
    out = capsys.readouterr().out
    assert out.endswith(
        "Not imported: the report lists 1 error. Fix it in the files and import them again; "
        "the store is as it was.\n"
    )
    assert out.startswith("What was read:\n")
    assert "\nokrs.csv: 1 row read: 0 imported, 1 refused (row 2)" in out


def test_an_import_into_a_new_store_publishes_it_once_with_its_batch(tmp_path, capsys):
    """No empty store is published first and then copied: a refused import leaves no store
    behind, and an accepted one publishes the store with its batch in one step."""
    (tmp_path / "okrs.csv").write_text(OKRS.replace("100", "lots"), encoding="utf-8")
    db = tmp_path / "okr.duckdb"
    assert main(["import", str(tmp_path), "--db", str(db)]) == 1
    assert not db.exists()
    assert main(["history", "--db", str(db)]) == 0
    assert capsys.readouterr().out.endswith(f"There is no store at {db} yet; import files into "
                                            f"it with `python -m okrdata import FILE… --db {db}`.\n")  # fmt: skip
    (tmp_path / "okrs.csv").write_text(OKRS, encoding="utf-8")
    assert main(["import", str(tmp_path), "--db", str(db)]) == 0
    assert Store(db).history()["batch_id"].tolist() == [1]


@pytest.mark.parametrize(
    "argv",
    [["signals"], ["report", "--out", "{tmp}/r.html"], ["restore", "1"], ["warm"], ["progress"]],
    ids=["signals", "report", "restore", "warm", "progress"],
)
def test_a_store_that_does_not_exist_is_said_and_not_created(argv, tmp_path, capsys):
    """A mistyped --db printed 'No signals.' (exit 0) and left an empty store behind."""
    db = tmp_path / "typo.duckdb"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]  # nothing written anywhere else
    assert main([*argv, "--db", str(db)]) == 1
    assert capsys.readouterr().err == (
        f"error: There is no store at {db}; import files into it first with "
        f"`python -m okrdata import FILE… --db {db}`.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_history_of_a_store_that_does_not_exist_creates_none(tmp_path, capsys):
    db = tmp_path / "new.duckdb"
    assert main(["history", "--db", str(db)]) == 0
    assert capsys.readouterr().out == (
        f"There is no store at {db} yet; import files into it with "
        f"`python -m okrdata import FILE… --db {db}`.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_settings_file_that_is_not_toml_is_named(tmp_path, capsys):
    bad = tmp_path / "okr.toml"
    bad.write_text("date_order dmy\n", encoding="utf-8")
    assert main(["validate", str(tmp_path), "--config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert (
        err.startswith(f"error: The settings file {bad} is not valid TOML (")
        and err.count("\n") == 1
    )


def test_an_okrs_file_over_the_limit_is_the_reason_not_each_check_in(tmp_path, capsys):
    """Without an okrs table every check-in's key result is unknown: the report says the okrs
    file was refused, not 'Key result KR-1 is not in the okrs data' for each check-in."""
    (tmp_path / "okr.toml").write_text("max_upload_mb = 1\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "okrs.csv").write_text(OKRS + "O-1,Grow,2026-Q1,Sales,KR-1,ARR,0,100\n" * 30_000)
    (data / "checkins.csv").write_text("kr_id,date,value\nKR-1,2026-02-10,40\nKR-1,2026-02-17,45\n")
    assert (
        main(["validate", str(data), "--format", "json", "--config", str(tmp_path / "okr.toml")])
        == 1
    )
    codes = [i["code"] for i in json.loads(capsys.readouterr().out)["issues"]]
    assert codes == ["no_okrs", "file_too_large"]


def test_import_progress_does_not_repeat_the_outcome(tmp_path, capsys):
    (tmp_path / "okrs.csv").write_text(OKRS, encoding="utf-8")
    assert main(["import", str(tmp_path / "okrs.csv"), "--db", str(tmp_path / "okr.duckdb")]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1].startswith("Imported batch 1 (") and "Imported batch" not in err
    assert err.splitlines()[0] == "  Reading and validating the files…"


@pytest.mark.parametrize(
    "argv",
    [["history"], ["signals"], ["restore", "1"], ["import", "okrs.csv"]],
    ids=["history", "signals", "restore", "import"],
)
def test_a_folder_given_as_the_store_is_a_usage_error(argv, tmp_path, capsys, monkeypatch):
    """history and signals said the folder was a damaged store and to rebuild it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "okrs.csv").write_text(OKRS, encoding="utf-8")
    assert main([*argv, "--db", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: --db {tmp_path} is a folder; give the store file, e.g. "
        f"--db {tmp_path / 'okr.duckdb'}.\n"
    )


# --- the process: python -m okrdata ends as soon as the command is done ---------------------

# Written into a folder on PYTHONPATH: an atexit handler, and an object that says when the
# interpreter's teardown frees it.
EXIT_PROBE = """import atexit, os
_out = os.environ["OKR_TEST_EXIT_LOG"]
atexit.register(lambda: open(_out, "a").write("atexit\\n"))
class _Torn:
    def __del__(self, open=open, out=_out):
        open(out, "a").write("teardown\\n")
_torn = _Torn()
"""


@pytest.mark.parametrize("broken", [False, True], ids=["imported", "refused"])
def test_a_command_ends_once_done_its_output_whole_and_its_store_closed(tmp_path, broken):
    """The command's output comes through a pipe whole, with its exit code, and atexit
    handlers run; the interpreter is not torn down object by object (it freed every frame and
    buffer of the import one at a time: 0.15 s after 2,000 teams) since the system takes the
    memory back at once. The store is closed: no write-ahead log is left beside it."""
    import os
    import subprocess
    import sys

    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "sitecustomize.py").write_text(EXIT_PROBE)
    data = tmp_path / "data"
    data.mkdir()
    okrs = OKRS + ("O-2,Keep,2026-Q9,Ops,KR-2,Churn,0,10\n" if broken else "")
    (data / "okrs.csv").write_text(okrs)
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "probe"), str(root)]),
           "OKR_TEST_EXIT_LOG": str(tmp_path / "exit.log"), "OKR_WARM": "off"}  # fmt: skip
    db = tmp_path / "okr.duckdb"
    done = subprocess.run([sys.executable, "-m", "okrdata", "import", str(data), "--db", str(db)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)  # fmt: skip
    assert (tmp_path / "exit.log").read_text() == "atexit\n"
    if broken:
        assert done.returncode == 1, done.stderr
        assert "is not a quarter" in done.stdout and "Not imported" in done.stdout
        assert not db.exists()
    else:
        assert done.returncode == 0, done.stderr
        assert "Imported batch 1" in done.stdout
        assert not Path(f"{db}.wal").exists()
        assert len(Store(db).history()) == 1
