"""``make bench``: generate data at several sizes, measure every step, write bench/RESULTS.md.

Each step runs several times, each time in a fresh process (``bench.steps``); the median time
is reported with the largest peak resident memory of one run. Options:
``--sizes 20,200,2000,20000 --repeat 3 --large-runs 1`` (``make bench BENCH_ARGS="--sizes 20,200"``);
``--reuse 20000`` takes those sizes' rows from the previous run's ``bench/out/results.json``
instead of measuring them again (the results say which rows were reused). When 2,000 teams are
measured, every page's first visit in Chromium beside the sample's follows
(``bench/first_visit.py``; ``--no-browser`` skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path("bench/out")
RESULTS = Path("bench/RESULTS.md")
STEPS = [
    "parse_duckdb",
    "parse_pandas",
    "import_floor",  # the least any import must do: a bound on the import's ratio
    "import",
    "import_cli",  # the command, start to exit: what the analyst waits for
    "load",
    "metrics_signals",
    "signals_cli",
    "pages_warm",
    "cold_start",
]
TARGETS = {  # at 2,000 teams
    "import_ratio": 3.0,  # validate + import <= 3x the bare DuckDB parse
    "metrics_signals": 1.0,
    "signals_cli": 1.0,  # python -m okrdata signals --db, end to end
    "pages_warm": 0.3,
    "cold_start": 5.0,
    "peak_mb": 1536.0,
}


def generate(teams: int) -> Path:
    data = OUT / f"data-{teams}"
    if not (data / "checkins.csv").exists():
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "okrdata", "sample", "--out", str(data), "--teams", str(teams)],
            check=True,
        )
        print(f"  generated {teams} teams in {time.perf_counter() - start:.1f}s", flush=True)
    return data


def count_rows(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def run_step(step: str, data: Path, db: Path, repeat: int) -> dict:
    """Run ``step`` ``repeat`` times, each in a fresh process: its own peak memory, no leftovers."""
    runs = []
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, "-m", "bench.steps", step, "--data", str(data), "--db", str(db)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return {"step": step, "error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    out = {
        "step": step,
        "times": [t for r in runs for t in r["times"]],
        "peak_mb": max(r["peak_mb"] for r in runs),
        "extra": {},
    }
    for key in runs[0].get("extra", {}):
        values = [r["extra"][key] for r in runs]
        out["extra"][key] = statistics.median(values) if isinstance(values[0], float) else values[0]
    out["median"] = statistics.median(out["times"])
    return out


def measure(teams: int, repeat: int) -> dict:
    data = generate(teams)
    db = OUT / f"store-{teams}.duckdb"
    for old in (db, db.with_suffix(".duckdb.wal")):
        old.unlink(missing_ok=True)
    row = {
        "teams": teams,
        "checkins": count_rows(data / "checkins.csv"),
        "krs": count_rows(data / "okrs.csv"),
        "steps": {},
    }
    for step in STEPS:
        result = run_step(step, data, db, repeat)
        row["steps"][step] = result
        shown = f"{result['median']:.3f}s" if "median" in result else f"FAILED {result['error']}"
        print(
            f"  {teams:>6} teams  {step:<16} {shown}  peak {result.get('peak_mb', 0):.0f} MB",
            flush=True,
        )
    return row


def _med(row: dict, step: str) -> float | None:
    return row["steps"].get(step, {}).get("median")


IMPORT_STEPS = ("import", "import_cli")  # validate + import, and the command
APP_STEPS = ("load", "metrics_signals", "pages_warm", "cold_start")  # what serving the app holds


def _peak(row: dict, steps: tuple[str, ...]) -> float:
    return max(row["steps"].get(s, {}).get("peak_mb", 0) for s in steps)


def _fmt(x: float | None, unit: str = "s") -> str:
    if x is None:
        return "failed"
    return f"{x:.3f} {unit}" if unit == "s" else f"{x:.0f} {unit}"


def _ratio_of(row: dict, step: str, parse: float | None) -> float | None:
    t = _med(row, step)
    return t / parse if t and parse else None


def _ratio(time: float | None, parse: float | None) -> str:
    return f"{time / parse:.1f}x" if time and parse else ""


def table(rows: list[dict]) -> str:
    head = [
        "teams",
        "check-ins",
        "parse duckdb",
        "parse pandas",
        "validate+import",
        "import / parse",
        "least import / parse",
        "import command",
        "command / parse",
        "load store",
        "metrics+signals",
        "signals --db",
        "slowest page (warm)",
        "cold start",
        "peak memory: import",
        "peak memory: app",
        "import growth / check-in growth",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    prev = None
    for row in rows:
        imp, parse = _med(row, "import"), _med(row, "parse_duckdb")
        ratio = imp / parse if imp and parse else None
        growth = ""
        if prev and imp and _med(prev, "import"):
            growth = f"{(imp / _med(prev, 'import')) / (row['checkins'] / prev['checkins']):.2f}"
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{row['teams']:,}",
                    f"{row['checkins']:,}",
                    _fmt(parse),
                    _fmt(_med(row, "parse_pandas")),
                    _fmt(imp),
                    f"{ratio:.1f}x" if ratio else "",
                    _ratio(_med(row, "import_floor"), parse),
                    _fmt(_med(row, "import_cli")),
                    _ratio(_med(row, "import_cli"), parse),
                    _fmt(_med(row, "load")),
                    _fmt(_med(row, "metrics_signals")),
                    _fmt(_med(row, "signals_cli")),
                    _fmt(_med(row, "pages_warm")),
                    _fmt(_med(row, "cold_start")),
                    _fmt(_peak(row, IMPORT_STEPS), "MB"),
                    _fmt(_peak(row, APP_STEPS), "MB"),
                    growth,
                ]
            )
            + " |"
        )
        prev = row
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    out = []
    row = next((r for r in rows if r["teams"] == 2000), None)
    if row is None:
        out.append("(2,000 teams not measured in this run: no verdict on its targets)")
    else:
        imp, parse = _med(row, "import"), _med(row, "parse_duckdb")
        checks = [
            ("validate + import <= 3x bare DuckDB parse", imp and parse and imp / parse,
             TARGETS["import_ratio"], "x"),
            ("`okrdata import`, start to exit, <= 4x bare DuckDB parse",
             _ratio_of(row, "import_cli", parse), 4.0, "x"),
            ("metrics + signals <= 1 s", _med(row, "metrics_signals"), TARGETS["metrics_signals"],
             "s"),
            ("signals --db end to end <= 1 s", _med(row, "signals_cli"), TARGETS["signals_cli"],
             "s"),
            ("every page rerun (warm) <= 0.3 s", _med(row, "pages_warm"), TARGETS["pages_warm"],
             "s"),
            ("first page after cold start <= 5 s", _med(row, "cold_start"), TARGETS["cold_start"],
             "s"),
            ("peak memory <= 1.5 GB", max(_peak(row, IMPORT_STEPS), _peak(row, APP_STEPS)),
             TARGETS["peak_mb"], " MB"),
        ]  # fmt: skip
        floor = _ratio(_med(row, "import_floor"), parse)
        out += ["At 2,000 teams:", "", *_marks(checks)]
        if floor:
            out.append(
                f"  (the least any import must do, `import_floor` in bench/steps.py: {floor} the parse)"
            )
        out.append("")
    big = next((r for r in rows if r["teams"] == 20000), None)
    if big is None:
        out.append("(20,000 teams not measured in this run: no verdict on its targets)")
    else:
        checks = [
            (
                "`okrdata import`, start to exit, <= 6x bare DuckDB parse",
                _ratio_of(big, "import_cli", _med(big, "parse_duckdb")),
                6.0,
                "x",
            ),
            ("first page after cold start <= 5 s", _med(big, "cold_start"), 5.0, "s"),
            ("peak memory of the app <= 4 GB", _peak(big, APP_STEPS), 4096.0, " MB"),
            ("peak memory of an import <= 4 GB", _peak(big, IMPORT_STEPS), 4096.0, " MB"),
        ]
        out += ["At 20,000 teams:", "", *_marks(checks)]
    return out


def _marks(checks: list[tuple]) -> list[str]:
    out = []
    for name, value, target, unit in checks:
        if value is None:
            out.append(f"- {name}: not measured (step failed)")
        else:
            mark = "met" if value <= target else "MISSED"
            out.append(f"- {name}: {value:.2f}{unit} — {mark}")
    return out


def _reused_note(rows: list[dict]) -> list[str]:
    sizes = ", ".join(f"{r['teams']:,}" for r in rows if r.get("reused"))
    if not sizes:
        return []
    return [f"The rows of {sizes} teams are from the previous run (`--reuse`)."]


def _first_visits_before() -> str:
    """The first-visit section the previous results hold (``bench/first_visit.py``), marked as
    from the run before; empty when they hold none."""
    from bench.first_visit import SECTION

    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if SECTION not in old:
        return ""
    body = old.split(SECTION, 1)[1]
    body = body.split("\n## ", 1)[0].strip("\n")
    note = "(From the run before: this run opened no browser.)"
    if body.startswith("(From the run before"):
        body = body.split("\n", 1)[1].lstrip("\n") if "\n" in body else ""
    return f"\n{SECTION}\n\n{note}\n\n{body}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,200,2000,20000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs per step for sizes over 2,000 teams")  # fmt: skip
    parser.add_argument("--reuse", default="", help="sizes whose rows the last run measured")
    parser.add_argument("--no-browser", action="store_true",
                        help="skip the first visits in Chromium (bench/first_visit.py)")  # fmt: skip
    args = parser.parse_args()
    reuse = {int(s) for s in args.reuse.split(",") if s}
    previous = {}
    if reuse and (OUT / "results.json").exists():
        previous = {r["teams"]: r for r in json.loads((OUT / "results.json").read_text())}
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for teams in [int(s) for s in args.sizes.split(",")]:
        print(f"size {teams} teams", flush=True)
        if teams in reuse and teams in previous:
            print("  reused from the previous run", flush=True)
            rows.append({**previous[teams], "reused": True})
            continue
        rows.append(measure(teams, args.repeat if teams <= 2000 else args.large_runs))
    pages = {}
    for row in rows:
        for page, t in row["steps"].get("pages_warm", {}).get("extra", {}).items():
            pages.setdefault(page, {})[row["teams"]] = t
    page_lines = [
        "| page | " + " | ".join(f"{r['teams']:,} teams" for r in rows) + " |",
        "|---|" + "---|" * len(rows),
    ]
    for page, by_size in sorted(pages.items()):
        page_lines.append(
            f"| {page} | " + " | ".join(_fmt(by_size.get(r["teams"])) for r in rows) + " |"
        )
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}."
            f" Median of {args.repeat} runs per step ({args.large_runs} over 2,000 teams),"
            " each run in a fresh process.",
            f"Reproduce: `make bench` (sizes {args.sizes}).",
            *_reused_note(rows),
            "",
            table(rows),
            "",
            "Warm rerun per page (median):",
            "",
            *page_lines,
            "",
            "Targets:",
            "",
            *verdicts(rows),
            "",
        ]
    )
    profile = Path("bench/PROFILE.md")  # the hand-written profile of any missed target
    if profile.exists():
        text += "\n" + profile.read_text(encoding="utf-8")
    browse = 2000 in [r["teams"] for r in rows] and not args.no_browser
    if not browse:  # no first visit measured: the last one stays, said to be from before
        text += _first_visits_before()
    RESULTS.write_text(text, encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps(rows, indent=1))
    print(text)
    if browse:
        # every page's first visit in Chromium, the sample beside 2,000 teams (its own section)
        from bench import first_visit

        print("first visit in a browser: sample and 2,000 teams", flush=True)
        first_visit.main(["--rounds", str(args.repeat)])
    failed = [
        f"{r['teams']} teams: {s}" for r in rows for s, v in r["steps"].items() if "error" in v
    ]
    if failed:  # a step that raised (a page among them) fails the benchmark
        sys.exit("failed steps: " + "; ".join(failed))


if __name__ == "__main__":
    main()
