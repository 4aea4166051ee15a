"""Issue 25, item 1: coaches' actions are never lost while others write, read and import.

Four writer processes record actions one after another (5 ms apart: without a pause the four
took the 2 cores from the importer they are there to overlap, and wrote on for longer; with it
they still record about 150 actions a second between them), the Signals page runs (AppTest) and
reads the triage, and a fifth process imports and rebuilds the store beside it ``ROUNDS`` times
once every writer has recorded its first action; writers and pages go on until the importer is
done (they ran for a fixed 20 s before: most of it after the rounds that matter). Afterwards
every action a writer was told was recorded is in the journal, once, and no writer was refused.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from okrdata import triage
from okrdata.store import Store

pytestmark = pytest.mark.slow  # seconds of contention plus AppTest

ROUNDS = 2
WRITERS = 4
APP = str(Path(__file__).resolve().parents[1] / "app.py")

WRITER = """
import json, os, sys, time
import pandas as pd
from okrdata import triage
path, name, stop = sys.argv[1], sys.argv[2], sys.argv[3]
log, done, failed, n = triage.Triage(path), [], [], 0
while n < 10 or not os.path.exists(stop):  # at least 10 actions, and on until the importer ends
    n += 1
    row = pd.Series({"quarter": "2026-Q4", "signal": "off_track", "team": f"{name}-{n % 7}",
                     "objective_id": "O-1", "kr_id": f"K-{n}", "severity": "high",
                     "evidence_number": n / 100})
    try:
        log.record(row, "snooze" if n % 3 else "acknowledge", name, note=f"{name}:{n}",
                   until=pd.Timestamp("2026-12-31"))
        done.append(f"{name}:{n}")
    except Exception as exc:
        failed.append(f"{name}:{n}: {exc!r}")
    if n % 10 == 0:
        log.current()  # a coach also reads between actions
    if n == 1:
        open(f"{stop}.{name}", "w").close()  # this writer is writing
    time.sleep(0.005)
print(json.dumps({"done": done, "failed": failed}))
"""

IMPORTER = """
import os, sys, time
from okrdata.cli import main
db, stop, writers, rounds = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4])
while not all(os.path.exists(f"{stop}.{name}") for name in writers):
    time.sleep(0.05)  # until every writer has recorded its first action
runs = 0
for _ in range(rounds):
    assert main(["import", "sample_data", "--db", db]) == 0
    assert main(["rebuild", "--db", db]) == 0
    runs += 1
print("RUNS", runs)
"""


def test_four_writers_the_app_and_import_rebuild_lose_no_action(store_path):
    Store(store_path).import_files(["sample_data"])
    path = triage.path_for(store_path)
    root = str(Path(__file__).resolve().parents[1])
    stop = store_path.with_name("stop")  # the importer is done; and, per writer, it is writing
    names = [f"coach{i}" for i in range(WRITERS)]
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(stop)],
                         cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in names
    ]  # fmt: skip
    importer = subprocess.Popen([sys.executable, "-c", IMPORTER, str(store_path), str(stop),
                                 ",".join(names), str(ROUNDS)], cwd=root, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip
    pages, reads, start, ok = 0, 0, time.monotonic(), False
    try:
        while pages == 0 or importer.poll() is None:
            assert all(w.poll() is None for w in writers), "a writer ended before the importer"
            at = AppTest.from_file(APP, default_timeout=120).run()
            at = at.switch_page("pages/signals.py").run()
            assert not at.exception, at.exception
            assert not at.error, [e.value for e in at.error]
            pages += 1
            triage.Triage(path).current()  # the app's reader, beside the page's own read
            reads += 1
        ok = True
    finally:
        if not ok:
            importer.kill()  # it may be waiting for a writer that ended
        imported, import_err = importer.communicate(timeout=600)
        stop.touch()
        outs = [w.communicate(timeout=300) for w in writers]
    assert importer.returncode == 0, import_err[-2000:]
    done: list[str] = []
    for (out, err), w in zip(outs, writers, strict=True):
        assert w.returncode == 0, err[-2000:]
        result = json.loads(out)
        assert result["failed"] == [], result["failed"][:5]
        done += result["done"]
    history = triage.Triage(path).history()
    assert sorted(history["note"].tolist()) == sorted(done)  # every action, once
    assert len(done) >= WRITERS * 10 and pages >= 1 and rounds(imported) == ROUNDS
    print(
        f"{len(done)} actions by {WRITERS} writers, {pages} Signals pages, {reads} reads, "
        f"{rounds(imported)} import+rebuild rounds in {time.monotonic() - start:.1f} s"
    )


def rounds(out: str) -> int:
    """The import + rebuild rounds the importer process reported on its last line."""
    last = out.strip().splitlines()[-1]
    assert last.startswith("RUNS "), last
    return int(last.split()[1])
