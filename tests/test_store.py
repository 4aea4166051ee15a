"""The store: batches, per-quarter snapshots, restore, atomic imports, identical re-imports."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from okrdata import store as store_mod
from okrdata import views
from okrdata.cli import main
from okrdata.ingest import load_dir
from okrdata.store import Store
from tests.builders import SAMPLE, adjusted_between_imports, copy_store, snapshot


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "okr.duckdb")
    yield s
    s.close()


@pytest.fixture
def sample_store(sample_once, tmp_path):
    """This test's store holding the sample as batch 1: a copy of ``sample_once``."""
    s = Store(copy_store(sample_once, tmp_path))
    yield s
    s.close()


def test_empty_store_has_no_data(store):
    assert not store.has_data()
    assert store.data_version() == 0
    assert store.dataset().is_empty
    assert store.history().empty


def test_import_holds_the_sample_exactly(store):
    expected = load_dir(SAMPLE).dataset
    _, outcome = store.import_files([SAMPLE], imported_by="analyst@example.com")
    assert outcome.changed and outcome.batch_id == 1
    assert outcome.quarters == ["2026-Q2", "2026-Q3", "2026-Q4"]
    got = store.dataset()
    today = pd.Timestamp.today().normalize()  # a current_value counts from its import day
    assert (got.key_results["current_as_of"] == today).all()
    for table, frame in expected.tables().items():
        frame = frame.drop(columns=["current_as_of"], errors="ignore")
        key = list(frame.columns)
        pd.testing.assert_frame_equal(
            getattr(got, table)[key].sort_values(key).reset_index(drop=True),
            frame.sort_values(key).reset_index(drop=True),
        )
    row = store.history().iloc[0]
    assert row["imported_by"] == "analyst@example.com"
    assert row["rows_checkins"] == len(expected.checkins)
    assert row["active_quarters"] == "2026-Q2, 2026-Q3, 2026-Q4"


def test_second_import_replaces_only_its_quarters_and_the_first_is_restorable(
    sample_store, q4_retitled
):
    store = sample_store
    before = store.dataset()
    _, second = store.import_files([q4_retitled])
    assert second.batch_id == 2 and second.replaced == {"2026-Q4": 1}
    assert "Replaced: 2026-Q4 (was batch 1)" in second.message

    history = store.history()
    assert history["batch_id"].tolist() == [2, 1]
    assert history["active_quarters"].tolist() == ["2026-Q4", "2026-Q2, 2026-Q3"]
    now = store.dataset()
    assert "Retitled in the second import" in set(now.objectives["objective"])
    assert now.quarters == before.quarters  # Q2 and Q3 still served from batch 1
    assert (now.objectives["quarter"] != "2026-Q4").sum() == (
        before.objectives["quarter"] != "2026-Q4"
    ).sum()

    restored = store.restore(1)
    assert restored.changed and restored.message == (
        "Restored batch 1 for 2026-Q2, 2026-Q3, 2026-Q4."
    )
    back = store.dataset()
    assert "Retitled in the second import" not in set(back.objectives["objective"])
    assert len(back.checkins) == len(before.checkins)
    assert store.history()["active_quarters"].tolist() == ["", "2026-Q2, 2026-Q3, 2026-Q4"]
    assert store.data_version() == 3  # import, import, restore


def test_identical_reimport_changes_nothing(sample_store):
    store = sample_store
    before, version = snapshot(store), store.data_version()
    _, again = store.import_files([SAMPLE])
    assert not again.changed and again.batch_id == 1
    assert (
        again.message == "These files are identical to batch 1, which is in force; nothing changed."
    )
    assert snapshot(store) == before and store.data_version() == version


def test_a_broken_file_among_good_ones_leaves_the_store_as_it_was(sample_store, tmp_path):
    store = sample_store
    before = snapshot(store)
    bad = tmp_path / "bad"
    shutil.copytree(SAMPLE, bad)
    (bad / "more_okrs.csv").write_text(
        "objective_id,objective,quarter,team,kr_id,key_result,target_value\n"
        "X-1,Broken,Q5 2026,Web,X-1-KR1,Ship,lots\n"
    )
    result, outcome = store.import_files([bad])
    assert not result.report.ok and outcome.batch_id is None and not outcome.changed
    assert outcome.message.startswith("Not imported: the report lists")
    assert snapshot(store) == before


def test_an_error_while_writing_rolls_everything_back(sample_store, q4_retitled, monkeypatch):
    store = sample_store
    before = snapshot(store)

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store_mod, "_activate", fail)
    with pytest.raises(OSError, match="disk full"):
        store.import_files([q4_retitled])
    assert snapshot(store) == before


def test_restore_of_unknown_or_active_batch_says_so(sample_store):
    store = sample_store
    assert store.restore(9).message == (
        f"There is no batch 9 in {store.path}; "
        f"`python -m okrdata history --db {store.path}` lists them."
    )
    assert store.restore(1).message == "Batch 1 is already in force; nothing changed."


def test_adjustments_lists_targets_and_quarters_changed_between_imports(store, tmp_path):
    first, second = adjusted_between_imports(tmp_path)
    store.import_files([first])
    assert store.adjustments().empty  # one batch: nothing to compare with
    store.import_files([second])
    at = store.history().set_index("batch_id").loc[2, "imported_at"]
    got = store.adjustments()
    cols = ["kind", "objective_id", "kr_id", "old", "new", "imported_at", "batch_id"]
    assert list(got.columns) == cols
    rows = [tuple(None if pd.isna(v) else v for v in r) for r in got.itertuples(index=False)]
    assert rows == [
        ("target", "A1", "A1-1", "100.0", "80.0", at, 2),
        ("period", "B1", None, "2026-Q3", "2026-Q4", at, 2),
        ("period", "G2", "G1-2", "2026-Q3", "2026-Q4", at, 2),
    ]
    store.restore(1)  # batch 1 in force again: what batch 2 changed is no longer in force
    assert store.adjustments().empty


def test_adoption_shows_a_moved_goal_in_its_old_and_its_new_quarter(store, tmp_path):
    for folder in adjusted_between_imports(tmp_path):
        store.import_files([folder])
    ds, rows = store.dataset(), store.adjustments()
    cols = ["date", "team", "change", "objective", "key_result", "adjustment", "source"]

    def shown(quarter: str, team: str | None = None) -> list[tuple]:
        b = views.base(ds, quarter, None)
        adjusted = views.adoption(b, views.Filters(quarter, team=team), rows).adjusted[cols]
        return [tuple(None if pd.isna(v) else v for v in r) for r in adjusted.itertuples(False)]

    at = rows["imported_at"].iloc[0]
    rescoped = (at, "Alpha", "target", "Objective A1", "KR A1-1", "100 → 80", "import")
    moved_b1 = (at, "Beta", "period", "Objective B1", None, "2026-Q3 → 2026-Q4", "import")
    moved_g12 = (at, "Gamma", "period", "Objective G2", "KR G1-2", "2026-Q3 → 2026-Q4", "import")
    assert shown("2026-Q3") == [rescoped, moved_b1, moved_g12]
    assert shown("2026-Q4") == [moved_b1, moved_g12]  # moved: in its old and its new quarter
    assert shown("2026-Q3", "Beta") == [moved_b1]
    without = views.adoption(views.base(ds, "2026-Q3", None), views.Filters("2026-Q3"))
    assert without.adjusted.empty  # files read directly: no store, no imports to compare


def test_okr_db_environment_variable_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("OKR_DB", str(tmp_path / "sub" / "env.duckdb"))
    s = Store()
    try:
        assert s.path == tmp_path / "sub" / "env.duckdb" and s.path.exists()
    finally:
        s.close()


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_cli_import_history_restore(tmp_path, q4_retitled, capsys):
    db = str(tmp_path / "cli.duckdb")
    assert main(["import", str(SAMPLE), "--db", db, "--by", "ana"]) == 0
    assert "Imported batch 1" in capsys.readouterr().out
    assert main(["import", str(q4_retitled), "--db", db]) == 0
    capsys.readouterr()
    assert main(["history", "--db", db]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["batch_id", "imported_at"]
    assert [line.split()[0] for line in lines[1:]] == ["2", "1"] and "ana" in lines[2]
    assert lines[0].split()[-1] == "files" and lines[1].endswith(" checkins.csv, okrs.csv")
    # the day as every surface writes it, and the time to the minute: 16 Nov 2026 22:29
    assert re.fullmatch(r"\d\d [A-Z][a-z]{2} 20\d\d \d\d:\d\d", " ".join(lines[1].split()[1:5]))
    assert "objectives" in lines[1] and "key results" in lines[1]  # what the batch held, in words
    assert main(["restore", "1", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == "Restored batch 1 for 2026-Q2, 2026-Q3, 2026-Q4."
    assert main(["restore", "7", "--db", db]) == 1
    assert capsys.readouterr().err == (
        f"error: There is no batch 7 in {db}; `python -m okrdata history --db {db}` lists them.\n"
    )
    assert main(["signals", "--db", db, "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("quarter,department,team,")
    Store(db).close()


def test_cli_import_refuses_a_broken_file(tmp_path, capsys):
    bad = tmp_path / "okrs.csv"
    bad.write_text("objective_id,objective,quarter,team\nO-1,Grow,Q5 2026,Web\n")
    db = str(tmp_path / "cli.duckdb")
    assert main(["import", str(bad), "--db", db]) == 1
    out = capsys.readouterr().out
    assert "Q5 2026" in out and "Not imported" in out
    s = Store(db)
    assert not s.has_data()
    s.close()


# readers and writers ------------------------------------------------------------------------

READER = textwrap.dedent("""
    import sys
    from okrdata.store import Store
    store = Store(sys.argv[1])
    cur = store.cursor()  # a connection held open for the whole test, as the app holds one
    print(store.data_version(), len(store.dataset().objectives), flush=True)
    for _ in sys.stdin:
        titles = set(store.dataset().objectives["objective"])
        print(store.data_version(), "Retitled in the second import" in titles, flush=True)
        print(cur.execute("select count(*) from batches").fetchone()[0], flush=True)
""")


def cli(*argv: str, **env: str) -> subprocess.CompletedProcess:
    """``python -m okrdata ARGV…`` in a process of its own."""
    return subprocess.run([sys.executable, "-m", "okrdata", *argv], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)  # fmt: skip


def hold_the_writer_lock(db: Path, seconds: float | None) -> subprocess.Popen:
    """Another importer in the middle of its write: it holds the lock for ``seconds``, or, with
    None, until a line is written to its stdin."""
    wait = "sys.stdin.readline()" if seconds is None else f"time.sleep({seconds})"
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from okrdata.store import Store
            with Store({str(db)!r})._locked(None):
                print("locked", flush=True)
                {wait}
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout.readline().strip() == "locked"
    return child


@pytest.mark.slow
def test_a_cli_import_runs_while_the_app_holds_the_store_open(sample_once, tmp_path, q4_retitled):
    db = copy_store(sample_once, tmp_path)  # the sample imported
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        n_objectives = len(load_dir(SAMPLE).dataset.objectives)
        assert reader.stdout.readline().split() == ["1", str(n_objectives)]
        done = cli("import", str(q4_retitled), "--db", str(db))
        assert done.returncode == 0, done.stderr
        assert "Imported batch 2" in done.stdout
        reader.stdin.write("next\n")
        reader.stdin.flush()
        # the reader's next interaction sees the new version; a cursor it held sees its own
        assert reader.stdout.readline().split() == ["2", "True"]
        assert reader.stdout.readline().strip() == "1"
    finally:
        reader.kill()
        reader.wait()


@pytest.mark.slow
def test_a_second_importer_waits_for_the_first_and_says_so(
    sample_once, tmp_path, q4_retitled, capsys
):
    db = copy_store(sample_once, tmp_path)  # the sample imported
    first = hold_the_writer_lock(db, None)  # until the second one says it waits
    said = f"Another import into {db} is running (process {first.pid}); waiting for it to finish"
    codes: list[int] = []
    second = threading.Thread(target=lambda: codes.append(
        main(["import", str(q4_retitled), "--db", str(db)])))  # fmt: skip
    second.start()
    out, err = "", ""
    try:
        deadline = time.monotonic() + 120
        while said not in err and second.is_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
            more = capsys.readouterr()
            out, err = out + more.out, err + more.err
    finally:
        first.communicate("go\n", timeout=60)
        second.join(120)
    more = capsys.readouterr()
    out, err = out + more.out, err + more.err
    assert said in err
    assert codes == [0]
    assert "Imported batch 2" in out
    assert sorted(Store(db).history()["batch_id"]) == [1, 2]


@pytest.mark.slow
def test_a_second_importer_is_refused_when_the_first_takes_too_long(
    sample_once, tmp_path, q4_retitled, capsys, monkeypatch
):
    db = copy_store(sample_once, tmp_path)  # the sample imported
    before = snapshot(Store(db))
    monkeypatch.setenv("OKR_LOCK_TIMEOUT", "0.5")
    first = hold_the_writer_lock(db, 60)
    try:
        assert main(["import", str(q4_retitled), "--db", str(db)]) == 1
    finally:
        first.kill()
        first.wait()
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: Another import into {db} is still running after 0.5 s (process {first.pid}); "
        "nothing was imported: try again when it has finished."
    )
    assert snapshot(Store(db)) == before


@pytest.mark.slow
def test_two_importers_at_once_both_land_whole(tmp_path, q4_retitled):
    db = tmp_path / "race.duckdb"
    argv = [sys.executable, "-m", "okrdata", "import", "--db", str(db)]
    procs = [subprocess.Popen([*argv, str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for src in (SAMPLE, q4_retitled)]  # fmt: skip
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    s = Store(db)
    assert sorted(s.history()["batch_id"]) == [1, 2] and s.data_version() == 2
    for _, batch in s.history().iterrows():
        for table in ("objectives", "key_results", "checkins"):
            n = s.cursor().execute(f"select count(*) from {table} where batch_id = $b",
                                   {"b": int(batch["batch_id"])}).fetchone()[0]  # fmt: skip
            assert n == batch[f"rows_{table}"]


def test_the_data_in_force_export_imports_again_unchanged(tmp_path, monkeypatch):
    """OKR Pulse's own "data in force" export, imported again on a later day, gives the same
    data: each key result's current_value still counts from the day it was first imported."""
    from datetime import datetime

    from okrdata.templates import dataset_csvs
    from tests.builders import ImportClock as Day

    monkeypatch.setattr(store_mod, "datetime", Day)
    monkeypatch.setattr(Day, "day", datetime(2026, 10, 5, 9, 30))
    first = Store(tmp_path / "first.duckdb")
    first.import_files([SAMPLE])
    before = first.dataset()
    export = tmp_path / "export"
    export.mkdir()
    for name, data in dataset_csvs(before).items():
        (export / name).write_bytes(data)
    Day.day = datetime(2026, 11, 16, 9, 30)
    again = Store(tmp_path / "again.duckdb")
    result, outcome = again.import_files([export])
    assert outcome.changed
    assert not [s.unknown_columns for s in result.sources if s.unknown_columns]
    after = again.dataset()
    assert set(after.key_results["current_as_of"]) == {pd.Timestamp("2026-10-05")}
    for table, frame in before.tables().items():
        key = list(frame.columns)
        pd.testing.assert_frame_equal(
            getattr(after, table)[key].sort_values(key).reset_index(drop=True),
            frame.sort_values(key).reset_index(drop=True),
        )
    first.close()
    again.close()


def test_an_import_writes_its_check_ins_without_a_pandas_copy(store, monkeypatch):
    """The batch is written from the typed tables DuckDB made: an import that only stores
    (the command line's) never builds the pandas Dataset, and stores what it would hold."""
    from okrdata import model

    built = []
    real = model.Typed.dataset
    monkeypatch.setattr(model.Typed, "dataset", lambda self: built.append(1) or real(self))
    result, outcome = store.import_files([SAMPLE])
    assert outcome.changed and built == []
    expected = result.dataset.checkins  # built now, on first use
    assert built == [1]
    got = store.dataset().checkins
    key = list(expected.columns)
    pd.testing.assert_frame_equal(
        got[key].sort_values(["kr_id", "date"]).reset_index(drop=True),
        expected.sort_values(["kr_id", "date"]).reset_index(drop=True),
    )
