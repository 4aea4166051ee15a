"""Every page's first visit in a real browser, on the sample and on 2,000 teams, side by side.

``python -m bench.first_visit [--rounds 3] [--teams 2000]`` (also a step of ``make bench``):
imports the bundled sample and the benchmark's generated company into two stores with
``python -m okrdata import`` (the answers computed ahead before it exits, as an import leaves
them), serves each with its own Streamlit server, opens each server once (its very first
request is not timed), then opens every page in a fresh browser context (headless Chromium,
1,440 × 900) and times it from navigation start to the drawn page: the page's title shown,
Streamlit's running indicator gone, no spinner, and every chart and table of the page drawn.
The two sizes alternate (sample, 2,000, sample, 2,000…) so both see the same machine load;
the median of the rounds is written to ``bench/RESULTS.md`` (section "First visit in a
browser") with the ratio and the target: within 1.5× the sample.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bench.stclient import start_server, stop_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## First visit in a browser"
TARGET = 1.5  # a page's first visit at 2,000 teams within 1.5x its first visit on the sample
CHROMIUM = os.environ.get("OKR_CHROMIUM", "/usr/bin/chromium")
PAGES = {  # title -> url path (the Overview is the default page)
    "Overview": "",
    "Alignment": "alignment",
    "Trends": "trends",
    "Signals": "signals",
    "Team": "team",
    "Dependencies": "dependencies",
    "Data": "data",
}

# True once the page is drawn: its title, the script finished, no spinner or skeleton, and each
# chart and table rendered (Plotly's svg, Vega's canvas or svg, the data grid's canvas; a table
# in a closed expander is drawn when opened).
DRAWN = """(title) => {
  const main = document.querySelector("[data-testid='stMain']");
  if (!main) return false;
  if (!document.querySelector("[data-test-script-state='notRunning']")) return false;
  const h1 = [...main.querySelectorAll('h1')].some(h => h.innerText.trim().startsWith(title));
  if (!h1) return false;
  if (document.querySelector("[data-testid='stSpinner'], [data-testid='stSkeleton']"))
    return false;
  for (const c of main.querySelectorAll("[data-testid='stPlotlyChart']"))
    if (!c.querySelector('.main-svg')) return false;
  for (const c of main.querySelectorAll("[data-testid='stVegaLiteChart']"))
    if (!c.querySelector('canvas, svg')) return false;
  for (const c of main.querySelectorAll("[data-testid='stDataFrame']"))
    if (c.checkVisibility() && !c.querySelector('canvas, table')) return false;
  return performance.now();
}"""


def build_store(data: Path, db: Path) -> Path:
    """A new store: ``okrdata import DATA --db DB`` with the answers computed ahead before it
    exits (a store of an earlier run is replaced: its answers may be an older code's)."""
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    settings = db.parent / "okr.toml"
    settings.write_text("max_upload_mb = 5000\n")  # the largest companies are over the limit
    env = {**os.environ, "OKR_WARM": "inline", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "okrdata", "import", str(data), "--db", str(db),
         "--config", str(settings)],
        env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
    )  # fmt: skip
    return db


def visit(browser: Browser, url: str, title: str, timeout: float = 120_000) -> float:
    """Seconds from navigation start to the drawn page, in a fresh context (a new session)."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="commit")
        while True:
            handle = page.wait_for_function(DRAWN, arg=title, polling="raf", timeout=timeout)
            drawn = float(handle.json_value())
            page.wait_for_timeout(500)  # still drawn a moment later: not a rerun's gap
            if page.evaluate(DRAWN, title):
                break
        if page.locator("[data-testid='stException']").count() or errors:
            raise RuntimeError(f"{url} raised: {errors or 'an exception on the page'}")
        return drawn / 1000
    finally:
        ctx.close()


def measure(urls: dict[str, str], rounds: int) -> dict[str, dict[str, list[float]]]:
    """Times per page and size; sizes alternate within each page and round."""
    from playwright.sync_api import sync_playwright

    times: dict[str, dict[str, list[float]]] = {p: {s: [] for s in urls} for p in PAGES}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )  # fmt: skip
        for url in urls.values():  # each server's very first request, not timed
            visit(browser, url, "Overview")
        for r in range(rounds):
            for title, path in PAGES.items():
                for size, url in urls.items():
                    t = visit(browser, f"{url}/{path}", title)
                    times[title][size].append(t)
                    print(f"  round {r + 1} {title:<13} {size:>7}: {t:.2f} s", flush=True)
        browser.close()
    return times


def report(times: dict[str, dict[str, list[float]]], sizes: list[str], teams: int,
           load: tuple[float, float]) -> str:  # fmt: skip
    small, big = sizes
    rounds = len(times["Overview"][small])
    lines = [
        SECTION,
        "",
        f"Every page's first visit in a fresh browser session (headless Chromium, 1,440 × 900),"
        f" from navigation start to the drawn page, on the bundled sample and on {teams:,}"
        f" teams, the two servers side by side in one run, alternating; median of"
        f" {rounds} round{'s' * (rounds != 1)} (`python -m bench.first_visit`). Load average"
        f" (1 min) {load[0]:.1f} at the start, {load[1]:.1f} at the end, on"
        f" {os.cpu_count()} cores. Each round opens every page once per size in a new session; the"
        " first round is also the server's first visit of the page (its caches filled then).",
        "",
        f"Target: every page at {teams:,} teams within {TARGET}× its time on the sample.",
        "",
        f"| page | sample | {teams:,} teams | ratio | each round (sample / {teams:,}) |",
        "|---|---|---|---|---|",
    ]
    worst = 0.0
    for title in PAGES:
        a, b = statistics.median(times[title][small]), statistics.median(times[title][big])
        worst = max(worst, b / a)
        each = ", ".join(
            f"{x:.2f} / {y:.2f}"
            for x, y in zip(times[title][small], times[title][big], strict=True)
        )
        mark = "" if b / a <= TARGET else " MISSED"
        lines.append(f"| {title} | {a:.2f} s | {b:.2f} s | {b / a:.2f}×{mark} | {each} |")
    verdict = "met" if worst <= TARGET else "MISSED"
    lines += ["", f"Highest ratio: {worst:.2f}× — {verdict}.", ""]
    return "\n".join(lines)


def write_section(text: str, results: Path = RESULTS) -> None:
    """Replace (or add) the first-visit section of the results, leaving the rest as it is."""
    old = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(SECTION) + r".*?(?=^## |\Z)", re.S | re.M)
    new = pattern.sub(lambda _: text + "\n", old) if pattern.search(old) else (
        old.rstrip("\n") + "\n\n" + text + "\n"
    )  # fmt: skip
    results.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    from bench.run import generate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--teams", type=int, default=2000)
    args = parser.parse_args(argv)
    folder = OUT / "first-visit"
    stores = {
        "sample": build_store(ROOT / "sample_data", folder / "sample" / "okr.duckdb"),
        f"{args.teams}": build_store(
            generate(args.teams).resolve(), folder / str(args.teams) / "okr.duckdb"
        ),  # fmt: skip
    }
    servers = {}
    try:
        for size, db in stores.items():
            servers[size] = start_server(db, db.parent / "streamlit.log")
        urls = {size: url for size, (_, url) in servers.items()}
        start_load = os.getloadavg()[0]
        times = measure(urls, args.rounds)
        load = (start_load, os.getloadavg()[0])
    finally:
        for proc, _ in servers.values():
            stop_server(proc)
    text = report(times, list(stores), args.teams, load)
    (OUT / "first_visit.json").write_text(json.dumps({"times": times, "load": load}, indent=1))
    write_section(text)
    print(text)


if __name__ == "__main__":
    main()
