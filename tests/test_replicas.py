"""Replicas: three Streamlit processes serve one store while the CLI imports into it.

Sessions on every replica keep moving through the pages during the import (over Streamlit's
own websocket protocol, ``bench/stclient.py``); none may see an error, and afterwards each of
those sessions, and a new one on each replica, must show the imported data.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from bench.stclient import Session, start_server, stop_server

pytestmark = pytest.mark.slow
REPLICAS = 3


@pytest.fixture
def next_year(tmp_path):
    """The sample moved to 2027: quarters no replica has shown before the import."""
    out = tmp_path / "next-year"
    out.mkdir()
    for name in ("okrs", "checkins", "dependencies", "teams"):
        frame = pd.read_csv(f"sample_data/{name}.csv", dtype=str, keep_default_na=False)
        for col in ("quarter", "date", "due_date"):
            if col in frame:
                frame[col] = frame[col].str.replace("2026", "2027")
        frame.to_csv(out / f"{name}.csv", index=False)
    return out


def watches_files(pid: int) -> bool:
    """Whether the process ``pid`` holds an inotify descriptor (Linux): Streamlit watching the
    app's source files for each session."""
    fds = f"/proc/{pid}/fd"
    for fd in os.listdir(fds):
        try:
            if os.readlink(f"{fds}/{fd}") == "anon_inode:inotify":
                return True
        except FileNotFoundError:  # closed since the listing (a session's socket)
            continue
    return False


def test_three_replicas_serve_what_one_importer_publishes(tmp_path, next_year):
    db = tmp_path / "okr.duckdb"
    servers = [start_server(db, tmp_path / f"replica{i}.log") for i in range(REPLICAS)]
    urls = [url for _, url in servers]

    async def main():
        sessions = [await Session(url).__aenter__() for url in urls]
        first = [await s.run() for s in sessions]
        # a session watches no source file (the shipped fileWatcherType): each session's start
        # registered a watch on every module the app imports, a third of a page's server CPU
        watching = [url for (proc, url) in servers if watches_files(proc.pid)]
        problems: list[str] = []
        importing = asyncio.create_task(asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "okrdata", "import", str(next_year),
                             "--db", str(db)], capture_output=True, text=True, timeout=300,
        ))  # fmt: skip

        async def browse(session: Session) -> None:
            while True:  # every page at least once, and on until the import is done
                for title in list(session.pages):
                    page = await session.run(title)
                    problems.extend(f"{title}: {e}" for e in page.errors)
                if importing.done():
                    return

        await asyncio.gather(*(browse(s) for s in sessions))
        done = await importing
        after = [await s.run("Overview") for s in sessions]
        fresh = []
        for url in urls:
            async with Session(url) as s:
                fresh.append(await s.run())
        for s in sessions:
            await s.__aexit__(None, None, None)
        return first, watching, problems, done, after, fresh

    try:
        # on a thread of its own: the session's sync Playwright holds the main thread's loop
        with ThreadPoolExecutor(1) as pool:
            first, watching, problems, done, after, fresh = pool.submit(
                asyncio.run, main()
            ).result()
    finally:
        for proc, _ in servers:
            stop_server(proc)
    assert done.returncode == 0, done.stderr
    assert watching == [], "these replicas watch the app's files"
    assert all("Showing the bundled sample data." in p.texts for p in first)
    assert problems == []
    for page in after + fresh:
        assert page.errors == []
        assert "Showing the imported data." in page.texts
        assert page.selects["Quarter"] == ["2027-Q2", "2027-Q3", "2027-Q4"]
    for i in range(REPLICAS):
        log = (tmp_path / f"replica{i}.log").read_text()
        assert "Traceback" not in log, log
