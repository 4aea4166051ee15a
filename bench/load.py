"""``make load``: how many sessions one Streamlit process holds, measured without browsers.

Generates a company (``--teams``, default 2,000), imports it into a fresh store, starts
``--replicas`` app processes on that store, and then, for each count in ``--sessions``, opens
that many sessions at once (spread over the replicas, round robin) over Streamlit's websocket
protocol (``bench/stclient.py``). Each session opens the app and moves through every page
``--rounds`` times with about ``--think`` seconds between clicks (default 10). A page time is from the request to
the script's end on the server, as a browser would wait for it, without drawing. The capacity
is the largest count whose 95th-percentile page time is at most ``--target`` seconds (2 s).
Results go to ``bench/LOAD.md`` (one table per replica count) and ``bench/out/load.json``;
the servers' logs to ``bench/out/load-replica<N>.log``.

    make load LOAD_ARGS="--teams 200 --sessions 1,2,4 --replicas 1"
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import OUT, generate
from bench.stclient import Session, start_server, stop_server

LOAD = Path("bench/LOAD.md")


async def walk(url: str, rounds: int, think: float, times: dict, errors: list, seed: int) -> None:
    """One session: open the app, then every page ``rounds`` times, pausing between clicks.

    Sessions start at random moments within one pause and pause 0.5 to 1.5 times ``think``
    (seeded), as people do, rather than clicking in lockstep.
    """
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, think))
    async with Session(url) as session:
        page = await session.run()
        times.setdefault("(open)", []).append(page.seconds)
        errors.extend(page.errors)
        for _ in range(rounds):
            for title in list(session.pages):
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                page = await session.run(title)
                times.setdefault(title, []).append(page.seconds)
                errors.extend(f"{title}: {e}" for e in page.errors)


def measure(urls: list[str], sessions: int, rounds: int, think: float) -> dict:
    times: dict[str, list[float]] = {}  # page title -> seconds
    errors: list[str] = []

    async def main():
        await asyncio.gather(*(walk(urls[i % len(urls)], rounds, think, times, errors, i)
                               for i in range(sessions)))  # fmt: skip

    start = time.perf_counter()
    asyncio.run(main())
    wall = time.perf_counter() - start
    ordered = sorted(t for page in times.values() for t in page)
    return {
        "sessions": sessions,
        "page_runs": len(ordered),
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": _p95(ordered),
        "max_s": round(ordered[-1], 3),
        "pages_per_s": round(len(ordered) / wall, 2),
        "p95_by_page_s": {title: _p95(sorted(ts)) for title, ts in times.items()},
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def _p95(ordered: list[float]) -> float:
    return round(ordered[max(0, int(round(0.95 * len(ordered))) - 1)], 3)


def run(teams: int, replicas: int, counts: list[int], rounds: int, think: float,
        target: float) -> list[dict]:  # fmt: skip
    data = generate(teams)
    with tempfile.TemporaryDirectory(prefix="okr-load-") as tmp:
        db = Path(tmp) / "okr.duckdb"
        subprocess.run([sys.executable, "-m", "okrdata", "import", str(data), "--db", str(db)],
                       check=True, capture_output=True)  # fmt: skip
        OUT.mkdir(parents=True, exist_ok=True)  # server logs stay in bench/out/
        servers = [start_server(db, OUT / f"load-replica{i}.log") for i in range(replicas)]
        try:
            urls = [url for _, url in servers]
            measure(urls, replicas, 1, 0.0)  # warm every replica's caches once
            results = []
            for n in counts:
                result = measure(urls, n, rounds, think)
                print(f"  {replicas} replica(s), {n} sessions: {result}", flush=True)
                results.append(result)
                if result["p95_s"] > target * 2:
                    break  # far past the target: larger counts only take longer
        finally:
            for proc, _ in servers:
                stop_server(proc)
    return results


def capacity(results: list[dict], target: float) -> int:
    held = [r["sessions"] for r in results if r["p95_s"] <= target and not r["errors"]]
    return max(held, default=0)


def write(report: dict) -> None:
    lines = [
        "# Load: sessions per Streamlit process (websocket protocol, no browsers)",
        "",
        f"Machine: {report['machine']}. Company: {report['teams']:,} teams. Each session "
        f"opens the app, then moves through all 7 pages {report['rounds']} time(s), "
        f"about {report['think']} s between clicks (0.5-1.5x, seeded), all sessions "
        "starting within one pause. Page time: request to "
        "the script's end on the server. Written by `python -m bench.load`.",
        "",
    ]
    for replicas, results in report["runs"].items():
        cap = capacity(results, report["target"])
        lines += [
            f"## {replicas} replica(s): {cap} sessions with p95 <= {report['target']} s",
            "",
            "| sessions | page runs | p50 | p95 | slowest | pages/s | errors | slowest page (p95) |",
            "|---|---|---|---|---|---|---|---|",
            *[f"| {r['sessions']} | {r['page_runs']} | {r['p50_s']} s | {r['p95_s']} s | "
              f"{r['max_s']} s | {r['pages_per_s']} | {r['errors']} | {_slowest(r)} |"
              for r in results],
            "",
        ]  # fmt: skip
    LOAD.write_text("\n".join(lines))


def _slowest(result: dict) -> str:
    by_page = result.get("p95_by_page_s") or {"": 0}
    title = max(by_page, key=by_page.get)
    return f"{title} {by_page[title]} s"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    p.add_argument("--teams", type=int, default=2000)
    p.add_argument("--replicas", default="1,3", help="replica counts to measure, e.g. 1,3")
    p.add_argument("--sessions", default="1,5,10,20,40,80",
                   help="session counts per replica, e.g. 1,4,16")  # fmt: skip
    p.add_argument("--rounds", type=int, default=1, help="times each session walks every page")
    p.add_argument("--think", type=float, default=10.0, help="mean seconds between clicks")
    p.add_argument("--target", type=float, default=2.0, help="p95 page time to hold, seconds")
    args = p.parse_args(argv)
    counts = [int(n) for n in args.sessions.split(",")]
    report = {"machine": f"{platform.machine()}, {_cores()} cores", "teams": args.teams,
              "rounds": args.rounds, "think": args.think, "target": args.target, "runs": {}}  # fmt: skip
    for replicas in [int(n) for n in args.replicas.split(",")]:
        scaled = [n * replicas for n in counts] if replicas > 1 else counts
        report["runs"][replicas] = run(args.teams, replicas, scaled, args.rounds, args.think,
                                       args.target)  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(report, indent=2))
    write(report)
    print(LOAD.read_text())
    return 0


def _cores() -> int:
    return os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
