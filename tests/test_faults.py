"""Issue 25: what the commands and pages do when the store is missing, damaged, read-only, or
its archive altered (items 3, 4, 5 and 7 of "Nothing lost, nothing hangs")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import copy_store

from okrdata.archive import archive_dir
from okrdata.cli import main


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A store with the sample imported once through the command line, and its archive."""
    db = tmp_path_factory.mktemp("imported") / "okr.duckdb"
    assert main(["import", "sample_data", "--db", str(db)]) == 0
    return db


@pytest.fixture
def lost(imported, tmp_path) -> Path:
    """A copy of the store's archive whose store file is gone."""
    db = tmp_path / "okr.duckdb"
    shutil.copytree(archive_dir(imported), archive_dir(db))
    return db


# 3. missing means missing ------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["signals", "--db", "{db}"],
        ["signals", "--db", "{db}", "--triage"],
        ["history", "--db", "{db}"],
        ["report", "--out", "{out}", "--db", "{db}"],
        ["restore", "1", "--db", "{db}"],
        ["warm", "--db", "{db}"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_store_missing_beside_its_archive_is_missing_for_every_command(lost, argv, capsys):
    capsys.readouterr()
    out = lost.parent / "report.html"
    code = main([a.format(db=lost, out=out) for a in argv])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (f"error: The store {lost} is missing; rebuild it from its archive with "
                   f"`python -m okrdata rebuild --db {lost}`.\n")  # fmt: skip
    assert not lost.exists() and not out.exists()  # no empty store made in its place


def test_an_import_into_a_missing_store_is_refused_and_keeps_the_journal(lost, capsys):
    """A new store beside an archive would start over at batch 1 and overwrite journal entry
    1: the import says the store is missing, like every other command."""
    journal = {p.name: p.read_bytes() for p in (archive_dir(lost) / "journal").iterdir()}
    capsys.readouterr()
    assert main(["import", "sample_data/okrs.csv", "--db", str(lost)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (f"error: The store {lost} is missing; rebuild it from its "
                                    f"archive with `python -m okrdata rebuild --db {lost}`.")  # fmt: skip
    assert not lost.exists()
    assert {p.name: p.read_bytes() for p in (archive_dir(lost) / "journal").iterdir()} == journal


def test_rebuild_brings_a_missing_store_back(lost, capsys):
    assert main(["rebuild", "--db", str(lost)]) == 0
    capsys.readouterr()
    assert main(["history", "--db", str(lost), "--format", "json"]) == 0
    assert '"batch_id":1' in capsys.readouterr().out.replace(" ", "")


# 4. every page survives a damaged store ---------------------------------------------------

PAGES = ["overview", "alignment", "trends", "signals", "team", "dependencies", "data"]
APP = str(Path(__file__).resolve().parents[1] / "app.py")


def damage(db: Path) -> None:
    """Overwrite the second half of the store file: its header and first tables still read
    (the batch count, the data version), its data does not (DuckDB's block checksums)."""
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\xa5" * (size - size // 2))


def said_damaged(at, db: Path) -> bool:
    sentence = (f"The store {db} is damaged (DuckDB cannot read it); rebuild it from its "
                f"archive with `python -m okrdata rebuild --db {db}`.")  # fmt: skip
    return [e.value for e in at.error] == [sentence]


@pytest.mark.slow  # AppTest
@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_the_store_is_damaged_on_a_fresh_app(imported, store_path, page):
    from streamlit.testing.v1 import AppTest

    assert copy_store(imported, store_path.parent) == store_path  # the sample imported
    damage(store_path)
    at = AppTest.from_file(APP, default_timeout=120).run()
    at = at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    assert said_damaged(at, store_path), [e.value for e in at.error]


@pytest.mark.slow  # AppTest
@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_a_store_damaged_under_a_running_app(imported, store_path, page):
    """The app has read the store (the Overview), then the file is damaged: each page either
    shows what it already holds or says the store is damaged; none shows Streamlit's error."""
    from streamlit.testing.v1 import AppTest

    assert copy_store(imported, store_path.parent) == store_path  # the sample imported
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and not at.error
    damage(store_path)
    at = at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error or said_damaged(at, store_path), [e.value for e in at.error]


# 4 and 7. a read-only folder: reads work, writes say so in one sentence ----------------------


@pytest.fixture
def read_only_store(imported, tmp_path):
    """The imported store and its archive in a folder nothing can write (a read-only mount)."""
    from tests.readonly import read_only

    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(imported, folder / imported.name)
    shutil.copytree(archive_dir(imported), archive_dir(folder / imported.name))
    with read_only(folder) as seen:
        yield seen / imported.name


def test_signals_with_triage_in_a_read_only_folder_are_read(read_only_store, capsys):
    capsys.readouterr()
    argv = ["signals", "--db", str(read_only_store), "--as-of", "2026-11-16", "--format", "csv"]
    assert main(argv) == 0
    every = capsys.readouterr().out
    assert main([*argv, "--triage"]) == 0  # nothing acknowledged: every signal
    out, err = capsys.readouterr()
    assert out == every and every.count("\n") > 10
    assert all(line.startswith("note: Data as of") for line in err.splitlines())  # no complaint


def test_warm_in_a_read_only_folder_says_it_kept_nothing(read_only_store, capsys):
    capsys.readouterr()
    assert main(["warm", "--db", str(read_only_store)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: Computed today's first page and ") and err.count("\n") == 1
    assert err.endswith(f"but kept nothing: the folder {read_only_store.parent} is read-only.\n")


@pytest.mark.parametrize(
    "argv, cause",
    [(["import", "sample_data/okrs.csv"], "Read-only file system"),
     (["rebuild"], "Read-only file system"), (["restore", "1"], "Read-only file system")],
    ids=lambda a: a[0] if isinstance(a, list) else a,
)  # fmt: skip
def test_a_write_in_a_read_only_folder_is_one_sentence(read_only_store, capsys, argv, cause):
    capsys.readouterr()
    code = main([*argv, "--db", str(read_only_store)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    last = err.splitlines()[-1]  # after the progress lines of an import
    assert last == f"error: {read_only_store}.lock: {cause}."


# 5. rebuild restores what it can; an import checks the journal ---------------------------------


@pytest.fixture(scope="module")
def three_events_once(tmp_path_factory, q4_retitled) -> Path:
    """Two imports (the sample, then 2026-Q4 retitled) and a restore of the first."""
    from okrdata.store import Store

    db = tmp_path_factory.mktemp("three") / "okr.duckdb"
    s = Store(db)
    s.import_files(["sample_data"], imported_by="ana")
    s.import_files([q4_retitled], imported_by="ben")
    s.restore(1, restored_by="cleo")
    s.close()
    return db


@pytest.fixture
def three_events(three_events_once, tmp_path) -> Path:
    """This test's copy of ``three_events_once`` (``copy_store``), in ``tmp_path``."""
    return copy_store(three_events_once, tmp_path)


def only_in_batch_2(db: Path) -> Path:
    """An archived file of batch 2 that batch 1 does not share."""
    from okrdata.archive import Archive

    archive = Archive(archive_dir(db))
    first, second = archive.entries()[:2]
    ours = {f["sha256"] for f in second["files"]} - {f["sha256"] for f in first["files"]}
    digest = sorted(ours)[0]
    return archive.files / digest[:2] / digest


@pytest.mark.slow  # three imports and a rebuild
def test_one_altered_archive_file_loses_only_its_batch(three_events, capsys):
    from okrdata.store import Store

    db = three_events
    before = Store(db).dataset()
    blob = only_in_batch_2(db)
    blob.write_bytes(blob.read_bytes() + b"\n")
    db.unlink()
    capsys.readouterr()
    assert main(["rebuild", "--db", str(db)]) == 0
    out = capsys.readouterr().out.strip()
    assert out == (f"Rebuilt {db} from its archive: 1 batch and 1 restore. Batch 2 could not "
                   f"be rebuilt: The archived file {blob} does not match its checksum.")  # fmt: skip
    after = Store(db)
    assert after.history()["batch_id"].tolist() == [1]
    for table, frame in before.tables().items():  # batch 1 was in force: the same data
        import pandas as pd

        pd.testing.assert_frame_equal(getattr(after.dataset(), table), frame)


@pytest.mark.slow  # three imports and a rebuild
def test_a_tampered_journal_entry_loses_only_its_event(three_events, capsys):
    from okrdata.store import Store

    db = three_events
    entry = archive_dir(db) / "journal" / "00000003.json"  # the restore of batch 1
    entry.write_text(entry.read_text().replace('"cleo"', '"eve"'))
    capsys.readouterr()
    assert main(["rebuild", "--db", str(db)]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"Rebuilt {db} from its archive: 2 batches and 0 restores; the file "
                          "it replaced is kept as ")  # fmt: skip
    assert out.endswith(f". The journal entry {entry} does not match its checksum.")
    history = Store(db).history()
    assert history["batch_id"].tolist() == [2, 1]
    assert set(history.set_index("batch_id").loc[2, "active_quarters"].split(", ")) == {
        "2026-Q4"
    }  # without the restore, batch 2 stays in force for its quarter


@pytest.mark.slow  # three imports
def test_an_import_into_a_store_whose_journal_was_tampered_with_is_refused(
    three_events, q4_retitled, capsys
):
    from okrdata.store import Store

    db = three_events
    entry = archive_dir(db) / "journal" / "00000002.json"
    entry.write_text(entry.read_text().replace('"ben"', '"eve"'))
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["import", str(q4_retitled), "--db", str(db)]) == 1
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == (f"Not imported: The journal entry {entry} does not match its checksum. The "
                    "archive could no longer rebuild this store whole: put the entry back from "
                    "a backup (or move it out of the journal folder to go on without it) and "
                    "try again.")  # fmt: skip
    assert db.read_bytes() == before
    assert Store(db).history()["batch_id"].tolist() == [2, 1]
