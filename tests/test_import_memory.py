"""An import works within a memory cap: DuckDB spills beyond it, and a load that needs more
at once runs again without the cap, with the same result."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from okrdata import ingest
from okrdata.config import Config

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def _same(a: ingest.LoadResult, b: ingest.LoadResult) -> None:
    for table, frame in a.dataset.tables().items():
        pd.testing.assert_frame_equal(frame, b.dataset.tables()[table], check_exact=True)
    assert [i.message for i in a.report.issues] == [i.message for i in b.report.issues]


@pytest.mark.parametrize("memory_mb", [1, 80])
def test_a_capped_load_gives_what_an_uncapped_one_gives(memory_mb, monkeypatch):
    retried = []
    real = ingest._load

    def spy(files, config, overrides, memory):
        retried.append(memory)
        return real(files, config, overrides, memory)

    monkeypatch.setattr(ingest, "_load", spy)
    free = ingest.load([SAMPLE], config=Config(import_memory_mb=0))
    capped = ingest.load([SAMPLE], config=Config(import_memory_mb=memory_mb))
    _same(free, capped)
    # 1 MB is too little for any load: it is run again without the cap; 80 MB is enough
    assert retried == ([0, 1, 0] if memory_mb == 1 else [0, 80])


def test_the_cap_reaches_duckdb(monkeypatch):
    seen = []
    real = ingest.db.connect

    def spy(*args, **kwargs):
        con = real(*args, **kwargs)
        seen.append(con.execute("select current_setting('memory_limit')").fetchall()[0][0])
        return con

    monkeypatch.setattr(ingest.db, "connect", spy)
    ingest.load([SAMPLE], config=replace(Config(), import_memory_mb=300))
    assert seen and seen[0].replace(" ", "") in ("286.1MiB", "300.0MB", "300MB")


def test_out_of_memory_without_a_cap_is_not_hidden(monkeypatch):
    def boom(*args, **kwargs):
        raise duckdb.OutOfMemoryException("no memory")

    monkeypatch.setattr(ingest, "_load", boom)
    with pytest.raises(duckdb.OutOfMemoryException):
        ingest.load([SAMPLE], config=Config(import_memory_mb=0))
