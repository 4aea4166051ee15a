"""Nothing lost: the archive of original files, rebuild, damaged and foreign stores, a full disk."""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from okrdata import archive as archive_mod
from okrdata import store as store_mod
from okrdata.archive import Archive, ArchiveDamaged, contents
from okrdata.cli import main
from okrdata.ingest import expand, load, load_dir
from okrdata.store import Store
from tests.builders import SAMPLE, copy_store, snapshot

pytestmark = pytest.mark.slow  # damage, rebuild and full-disk runs: make test, not the check loop

HISTORY_COLUMNS = ["batch_id", "imported_at", "imported_by", "files", "quarters",
                   "active_quarters", "rows_objectives", "rows_key_results", "rows_checkins",
                   "rows_dependencies", "rows_teams", "content_hash"]  # fmt: skip


def damage(path: Path) -> None:
    """Flip 64 bytes at the start of every 256 KiB block after DuckDB's three headers."""
    data = bytearray(path.read_bytes())
    for offset in range(3 * 4096 + 64, len(data), 256 * 1024):
        for i in range(offset, min(offset + 64, len(data))):
            data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def sentence(db: Path, what: str) -> str:
    return (
        f"error: The store {db} {what}; rebuild it from its archive with "
        f"`python -m okrdata rebuild --db {db}`.\n"
    )


def listing(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def three_events_once(tmp_path_factory, q4_retitled) -> Path:
    """A store with two imports by two people and a restore, made once per module."""
    db = tmp_path_factory.mktemp("three") / "okr.duckdb"
    s = Store(db)
    s.import_files([SAMPLE], imported_by="ana")
    s.import_files([q4_retitled], imported_by="ben")
    s.restore(1, restored_by="cleo")
    s.close()
    return db


@pytest.fixture
def three_events(three_events_once, tmp_path) -> Path:
    """This test's copy of ``three_events_once`` (``copy_store``), in ``tmp_path``."""
    return copy_store(three_events_once, tmp_path)


def test_every_import_keeps_its_original_files_by_checksum(three_events):
    archive = Archive(three_events.with_name("okr.duckdb.archive"))
    entries = archive.entries()
    assert [(e["event_id"], e["kind"], e["batch_id"], e["by"]) for e in entries] == [
        (1, "import", 1, "ana"),
        (2, "import", 2, "ben"),
        (3, "restore", 1, "cleo"),
    ]
    names = [f["name"] for f in entries[0]["files"]]
    assert names == [name for name, _ in expand([SAMPLE])]
    for _, item in expand([SAMPLE]):
        data = contents(item)
        digest = hashlib.sha256(data).hexdigest()
        assert archive.read(digest) == data
        assert (archive.files / digest[:2] / digest).read_bytes() == data
    assert entries[0]["rows"]["checkins"] == len(load_dir(SAMPLE).dataset.checkins)
    assert not archive.pending()


def test_a_tampered_archive_file_is_refused(three_events):
    archive = Archive(three_events.with_name("okr.duckdb.archive"))
    digest = archive.entries()[0]["files"][0]["sha256"]
    blob = archive.files / digest[:2] / digest
    blob.write_bytes(blob.read_bytes() + b"x")
    with pytest.raises(ArchiveDamaged, match="does not match its checksum"):
        archive.read(digest)
    entry = sorted(archive.journal.glob("*.json"))[1]
    entry.write_text(entry.read_text().replace('"ben"', '"eve"'))
    with pytest.raises(ArchiveDamaged, match="00000002.json does not match its checksum"):
        archive.entries()


def test_a_damaged_store_says_so_in_one_sentence_and_rebuilds_with_every_batch(
    three_events, q4_retitled, capsys
):
    db = three_events
    before = Store(db)
    history, version, data = before.history(), before.data_version(), before.dataset()
    events = before.cursor().execute("select * from events order by all").fetchall()
    before.close()
    damage(db)
    for argv in (["signals", "--db", str(db)], ["history", "--db", str(db)],
                 ["import", str(SAMPLE), "--db", str(db)]):  # fmt: skip
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert err.endswith(sentence(db, "is damaged (DuckDB cannot read it)")), argv
        assert "Traceback" not in err
    damaged_bytes = db.read_bytes()

    assert main(["rebuild", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Rebuilt {db} from its archive: 2 batches and 1 restore;")
    kept = Path(out.split("kept as ")[1].strip().rstrip("."))
    assert kept.read_bytes() == damaged_bytes  # the damaged file is kept, not deleted

    after = Store(db)
    pd.testing.assert_frame_equal(after.history()[HISTORY_COLUMNS], history[HISTORY_COLUMNS])
    assert after.data_version() == version
    assert after.cursor().execute("select * from events order by all").fetchall() == events
    for table, frame in data.tables().items():
        pd.testing.assert_frame_equal(getattr(after.dataset(), table), frame)
    _, outcome = after.import_files([q4_retitled])  # the rebuilt store takes new imports
    assert outcome.batch_id == 3 and after.data_version() == 4


def test_a_missing_store_is_rebuilt_too(three_events, capsys):
    history = Store(three_events).history()
    three_events.unlink()
    assert main(["rebuild", "--db", str(three_events)]) == 0
    assert capsys.readouterr().out.endswith("2 batches and 1 restore.\n")
    assert Store(three_events).history()["batch_id"].tolist() == history["batch_id"].tolist()


def test_rebuild_without_an_archive_says_there_is_nothing(tmp_path, capsys):
    db = tmp_path / "okr.duckdb"
    assert main(["rebuild", "--db", str(db)]) == 1
    assert capsys.readouterr().err == (
        f"error: The archive {db}.archive holds no imports: there is nothing to rebuild {db} "
        "from.\n"
    )


@pytest.mark.parametrize(
    ("content", "what"),
    [
        ("text", "is not a DuckDB database"),
        ("duckdb", "is a DuckDB database but not an OKR Pulse store"),
    ],
)
def test_a_foreign_file_says_so_in_one_sentence(tmp_path, capsys, content, what):
    db = tmp_path / "foreign.duckdb"
    if content == "text":
        db.write_text("name,value\nnot,a database\n" * 1000)
    else:
        con = duckdb.connect(str(db))
        con.execute("create table accounts as select 1 as id")
        con.close()
    original = db.read_bytes()
    for argv in (["signals", "--db", str(db)], ["history", "--db", str(db)]):
        assert main(argv) == 1
        assert capsys.readouterr().err == sentence(db, what)
    if content == "text":
        assert main(["import", str(SAMPLE), "--db", str(db)]) == 1
        assert capsys.readouterr().err.endswith(sentence(db, what))
    assert db.read_bytes() == original


@pytest.mark.parametrize("step", ["archive", "publish"])
def test_a_full_disk_leaves_the_store_and_the_archive_as_they_were(
    sample_once,
    tmp_path,
    q4_retitled,
    monkeypatch,
    step,
):
    db = copy_store(sample_once, tmp_path)  # the sample imported
    s = Store(db)
    before, files, stored = snapshot(s), listing(db.parent), db.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if step == "archive":
        monkeypatch.setattr(archive_mod, "write_atomic", full)
    else:
        monkeypatch.setattr(store_mod, "_publish", full)
    _, outcome = s.import_files([q4_retitled])
    assert outcome.batch_id is None and not outcome.changed
    assert outcome.message == (
        f"Not imported: the disk holding {tmp_path} is full; the store and its archive are as "
        "they were. Free some space and try again."
    )
    assert db.read_bytes() == stored and snapshot(s) == before
    assert listing(db.parent) == files  # no new archived file, journal entry or scratch copy
    monkeypatch.undo()
    _, again = s.import_files([q4_retitled])
    assert again.batch_id == 2


def test_a_killed_import_leaves_no_claim_in_the_journal(sample_once, tmp_path, q4_retitled):
    db = copy_store(sample_once, tmp_path)  # the sample imported
    s = Store(db)
    archive = s.archive
    # what a writer killed after archiving, before publishing, leaves behind
    archive.write_pending({"event_id": 2, "kind": "import", "batch_id": 2})
    (db.parent / f".{db.name}.123.abcd.tmp").write_bytes(b"half a copy")
    _, outcome = s.import_files([q4_retitled])
    assert outcome.batch_id == 2
    assert [e["event_id"] for e in archive.entries()] == [1, 2]
    assert archive.entries()[1]["kind"] == "import" and archive.entries()[1]["batch_id"] == 2
    assert not archive.pending() and not list(db.parent.glob(".*.tmp"))
    assert json.loads((archive.journal / "00000002.json").read_text())["entry"]["by"]


def test_rebuild_names_the_batches_the_archive_lacks(sample_once, tmp_path, q4_retitled, capsys):
    db = copy_store(sample_once, tmp_path)  # the sample imported
    s = Store(db)
    s.import_files([q4_retitled])
    (s.archive.journal / "00000001.json").unlink()  # as for a batch from an older version
    assert main(["rebuild", "--db", str(db)]) == 0
    out = capsys.readouterr().out.rstrip()
    assert out.endswith(
        "Not in the archive, so not rebuilt: batch 1 (imported before the archive existed, "
        "or their journal entries are lost)."
    )
    assert Store(db).history()["batch_id"].tolist() == [2]


def test_a_file_changed_while_it_is_imported_is_not_imported(sample_once, tmp_path, q4_retitled):
    """Files on disk are read when used, not held: one changed between its validation and its
    archiving (another export written over it) would archive what was not imported."""
    db = copy_store(sample_once, tmp_path / "store")  # the sample imported
    s = Store(db)
    before, files, stored = snapshot(s), listing(db.parent), db.read_bytes()
    folder = tmp_path / "export"
    folder.mkdir()
    for p in Path(q4_retitled).iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    named = expand([folder])
    result = load(named)
    okrs = folder / "okrs.csv"
    okrs.write_bytes(okrs.read_bytes() + b"\n")
    outcome = s.import_dataset(result, files=named)
    assert outcome.batch_id is None and not outcome.changed
    assert outcome.message == (
        "okrs.csv changed while it was being imported; nothing was imported. Import it again."
    )
    assert db.read_bytes() == stored and snapshot(s) == before
    assert listing(db.parent) == files
    _, again = s.import_files([folder])
    assert again.batch_id == 2
