"""Issue 25: what the commands and pages do when the store is missing, damaged, read-only, or
its archive altered (items 3, 4, 5 and 7 of "Nothing lost, nothing hangs")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


def test_rebuild_brings_a_missing_store_back(lost, capsys):
    assert main(["rebuild", "--db", str(lost)]) == 0
    capsys.readouterr()
    assert main(["history", "--db", str(lost), "--format", "json"]) == 0
    assert '"batch_id":1' in capsys.readouterr().out.replace(" ", "")
