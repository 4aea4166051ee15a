"""Crash safety: an importing process killed (SIGKILL) at random points never damages the store.

A child process imports two data sets in turn, forever, noting each batch it committed. The
test kills it 30 times. The first child is let commit one import (so the store always has
batches to check, restore and rebuild, however slow the machine) and is killed during its
second; the time its first import took, and a quarter more, is the window the others are
killed in, each at a random moment of its own 29th of it (stratified: evenly over every phase
of an import, the commit and the publishing included, and past it, on any machine; a fixed
window of 0.4 s covered only the start of an import on a slow or busy machine and could end
with nothing committed); after each kill the store must open, hold exactly
the batches committed so far (the one being written is gone or complete, never half there),
every batch's rows must match its recorded counts, the archive's journal must claim no event
the store lacks, and a restore must work. At the end the store is rebuilt from its archive and
must hold the same batches.

The children are forked from one process that has imported the store's modules and loaded the
data sets once (starting Python and importing pandas and DuckDB took most of the test's time in
50 children of their own); each child opens the store itself after the fork, as a new process
would, and is killed from outside, by its process id.
"""

from __future__ import annotations

import os
import pickle
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from okrdata.ingest import expand, load
from okrdata.rebuild import rebuild
from okrdata.store import Store

KILLS = int(os.environ.get("OKR_CRASH_KILLS", "30"))
TABLES = ("objectives", "key_results", "checkins", "dependencies", "teams")

# one process imports the store's modules and the loads the fixture made (pickled) once, then
# forks a child for each line it reads (the file the child notes its progress in), says the
# child's pid, and after the child died its wait status. Every kill lands in the import itself.
ZYGOTE = textwrap.dedent("""
    import os, pickle, sys
    from okrdata.store import Store
    with open(sys.argv[2], "rb") as f:
        files, loads = pickle.load(f)
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                note = os.open(line.strip(), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
                store = Store(sys.argv[1])
                os.write(note, b"ready\\n")
                i = 0
                while True:
                    outcome = store.import_dataset(loads[i % len(loads)], files=files[i % len(loads)])
                    os.write(note, f"committed {outcome.batch_id}\\n".encode())
                    i += 1
            finally:
                os._exit(1)
        print(pid, flush=True)
        print(os.waitpid(pid, 0)[1], flush=True)
""")


@pytest.fixture(scope="module")
def two_data_sets(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("crash")
    okrs = pd.read_csv("sample_data/okrs.csv", dtype=str, keep_default_na=False)
    checkins = pd.read_csv("sample_data/checkins.csv", dtype=str, keep_default_na=False)
    paths = []
    for quarter in ("2026-Q3", "2026-Q4"):
        d = out / quarter
        d.mkdir()
        part = okrs[okrs["quarter"] == quarter]
        part.to_csv(d / "okrs.csv", index=False)
        checkins[checkins["kr_id"].isin(part["kr_id"])].to_csv(d / "checkins.csv", index=False)
        paths.append(str(d))
    paths.append("sample_data")  # all three quarters: replaces both
    return paths


@pytest.fixture(scope="module")
def loads_file(two_data_sets, tmp_path_factory) -> str:
    """The three loads (and their files) the children import, loaded once and pickled."""
    files = [expand([p]) for p in two_data_sets]
    path = tmp_path_factory.mktemp("loads") / "loads.pickle"
    path.write_bytes(pickle.dumps((files, [load(f) for f in files])))
    return str(path)


def check_consistent(path: Path) -> list[int]:
    """Open the store, check every invariant, and return its batch ids."""
    store = Store(path)
    try:
        cur = store.cursor()
        history = store.history()
        for _, batch in history.iterrows():
            for table in TABLES:
                n = cur.execute(
                    f"select count(*) from {table} where batch_id = $b",
                    {"b": int(batch["batch_id"])},
                ).fetchone()[0]
                assert n == batch[f"rows_{table}"], (table, batch["batch_id"])
        orphans = cur.execute(
            "select count(*) from active where batch_id not in (select batch_id from batches)"
        ).fetchone()[0]
        assert orphans == 0
        imports = cur.execute("select count(*) from events where kind = 'import'").fetchone()[0]
        assert imports == len(history)
        events = {r[0] for r in cur.execute("select event_id from events").fetchall()}
        journal = {e["event_id"] for e in store.archive.entries()}
        pending = {int(p.name.split(".")[0]) for p in store.archive.pending()}
        assert journal <= events <= journal | pending
        ids = sorted(history["batch_id"].tolist())
        if ids:
            ds = store.dataset()
            assert ds.quarters and not ds.key_results.empty
            restored = store.restore(ids[0])
            assert restored.batch_id == ids[0]
            assert set(store.dataset().quarters) >= set(restored.quarters)
        return ids
    finally:
        store.close()


def noted(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.slow
def test_kill_during_import_leaves_the_store_consistent(tmp_path, loads_file):
    db = tmp_path / "crash.duckdb"
    rng = random.Random(20261122)
    committed: list[int] = []
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, str(db), loads_file],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for kill in range(KILLS):
            note = tmp_path / f"child{kill}.txt"
            zygote.stdin.write(f"{note}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            deadline = time.monotonic() + 120
            while noted(note)[:1] != ["ready"]:
                assert time.monotonic() < deadline, "the child never got ready"
                time.sleep(0.005)
            if kill == 0:  # the first child commits once: how long an import takes here
                ready = time.monotonic()
                while not any(line.startswith("committed") for line in noted(note)):
                    assert time.monotonic() < deadline, "the first child never committed"
                    time.sleep(0.005)
                window = 1.25 * (time.monotonic() - ready)  # an import, and into the next
                time.sleep(rng.uniform(0.0, window - (time.monotonic() - ready)))
            else:  # a random moment of its own slice of the window
                time.sleep(window * (kill - 1 + rng.random()) / (KILLS - 1))
            os.kill(pid, signal.SIGKILL)
            status = int(zygote.stdout.readline())
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            reported = [
                int(line.split()[1]) for line in noted(note) if line.startswith("committed")
            ]
            committed.extend(reported)
            ids = check_consistent(db)
            # every batch the child said it committed is there; at most one more (committed,
            # then killed before it could say so); nothing half-written
            assert set(committed) <= set(ids) and len(ids) - len(set(committed)) <= 1
            committed = ids
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=60)
    assert zygote.returncode == 0
    assert len(committed) > 0
    before = Store(db).history()
    rebuild(Store(db))
    after = Store(db).history()
    cols = ["batch_id", "imported_at", "quarters", "active_quarters", "rows_checkins"]
    pd.testing.assert_frame_equal(after[cols], before[cols])
