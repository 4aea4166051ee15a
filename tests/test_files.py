"""Atomic, durable writes and the writer's lock (``okrdata.files``), on a real file system."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from okrdata import files
from tests.builders import fsynced
from tests.test_store import hold_the_writer_lock


def test_a_write_is_flushed_then_renamed_then_its_folder_flushed(tmp_path, monkeypatch):
    target = tmp_path / "entry.json"
    seen = fsynced(monkeypatch)
    files.write_atomic(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    assert len(seen) == 2
    assert Path(seen[0]).parent == tmp_path and Path(seen[0]).name.startswith(".entry.json.")
    assert seen[1] == str(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.json"]  # nothing left aside


def test_a_write_that_fails_leaves_the_old_file_whole_and_nothing_aside(tmp_path, monkeypatch):
    target = tmp_path / "entry.json"
    target.write_bytes(b"old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        files.write_atomic(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]


def test_a_written_file_is_readable_by_others_as_the_umask_allows(tmp_path):
    old = os.umask(0o022)
    try:
        files.write_atomic(tmp_path / "answer.out", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "answer.out").stat().st_mode & 0o777 == 0o644


def test_a_lock_waits_for_its_holder_and_names_it(tmp_path):
    path = tmp_path / "okr.duckdb.lock"
    holder = hold_the_writer_lock(tmp_path / "okr.duckdb", 1.0)  # through files.lock
    told: list[str] = []
    start = time.monotonic()
    try:
        with files.lock(path, timeout=30, waiting=told.append):
            waited = time.monotonic() - start
            assert path.read_text() == f"{os.getpid()}\n"  # the new holder says who it is
    finally:
        holder.wait()
    assert told == [str(holder.pid)]
    assert 0.3 < waited < 30


def test_a_lock_held_too_long_is_refused_with_its_holder(tmp_path):
    path = tmp_path / "okr.duckdb.lock"
    holder = hold_the_writer_lock(tmp_path / "okr.duckdb", 60)
    try:
        with pytest.raises(files.LockTimeout) as refused, files.lock(path, timeout=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
    assert (refused.value.holder, refused.value.waited) == (str(holder.pid), 0.3)
    with files.lock(path, timeout=0):  # a killed holder's lock is free at once
        pass
