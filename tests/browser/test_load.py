"""Monday morning, in real browsers: 2 sessions browse every page while an analyst imports.

No session may see an error, the server may log no exception, and once the import is done
every session must see the complete new data. This is the correctness check with Chromium;
how many sessions a server holds is measured without browsers by ``make load``
(``bench/load.py``), since on 2 cores many Chromiums measure themselves, not the server.
The page times are printed (and saved to tests/artifacts/load.json).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, STILL, STILL_OPTIONS

pytestmark = pytest.mark.browser

# 2 browsing sessions and the analyst's make 3 at once, each on its own websocket session of
# the same server (4 browsing took 71 CPU-seconds of 2 cores, 3 took 56 to 65: what is
# checked, that no session sees an error while another imports and all see the new data
# after, is the same; more sessions measure Chromium on 2 cores more than the server)
SESSIONS = int(os.environ.get("OKR_LOAD_SESSIONS", "2"))
ROUNDS = int(os.environ.get("OKR_LOAD_ROUNDS", "1"))  # times each session walks every page
PAGES = ["Overview", "Alignment", "Trends", "Signals", "Team", "Dependencies", "Data"]
MARKER = "Imported during the load test"
TIMEOUT_MS = 180_000  # browsers and the server share 2 cores: slow, but must not fail


async def ready(page, title: str) -> None:
    """The page titled ``title`` has rendered and its script run has finished."""
    await page.locator("h1").filter(has_text=title).first.wait_for()
    await page.wait_for_selector("[data-test-script-state='notRunning']")


async def new_page(browser, problems: list[str] | None = None):
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800}, **STILL_OPTIONS)
    await ctx.add_init_script(STILL)
    ctx.set_default_timeout(TIMEOUT_MS)
    page = await ctx.new_page()
    if problems is not None:
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return ctx, page


async def browse(browser, url: str, times: list[float], problems: list[str], rounds: int):
    """Open the app once, then move through every page with the sidebar, as people do."""
    ctx, page = await new_page(browser, problems)
    await page.goto(f"{url}/?team=Onboarding")
    await ready(page, "Overview")
    for _ in range(rounds):
        for title in PAGES:
            start = time.perf_counter()
            await page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).click()
            await ready(page, title)
            times.append(time.perf_counter() - start)
            if await page.locator("[data-testid='stException']").count():
                problems.append(f"exception shown on {title}")
    return ctx, page


async def import_through_the_ui(browser, url: str, files: list[str]) -> float:
    ctx, page = await new_page(browser)
    await page.goto(f"{url}/data")
    await ready(page, "Data")
    await page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(files)
    await page.get_by_text("Ready to import").first.wait_for()
    start = time.perf_counter()
    await page.get_by_role("button", name="Import into the store").click()
    await page.get_by_text("Imported batch 1").first.wait_for()
    took = time.perf_counter() - start
    await ctx.close()
    return took


async def sees_new_data(session, url: str, expected_objectives: int) -> bool:
    """A session that browsed during the import opens the imported quarter and sees it whole."""
    ctx, page = session
    await page.goto(f"{url}/?quarter=2026-Q4")
    await ready(page, "Overview")
    await page.get_by_text("Showing the imported data.").wait_for()
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Objectives").first
    await metric.wait_for()
    ok = (await metric.inner_text()).split() == ["Objectives", str(expected_objectives)]
    await ctx.close()
    return ok


@pytest.fixture(scope="module")
def new_data(tmp_path_factory):
    out = tmp_path_factory.mktemp("load")
    okrs = pd.read_csv("sample_data/okrs.csv", dtype=str, keep_default_na=False)
    okrs.loc[okrs["quarter"] == "2026-Q4", "objective"] = MARKER
    okrs.to_csv(out / "okrs.csv", index=False)
    for name in ("checkins.csv", "dependencies.csv", "teams.csv"):
        (out / name).write_bytes(open(f"sample_data/{name}", "rb").read())
    n = okrs.loc[okrs["quarter"] == "2026-Q4", "objective_id"].nunique()
    return [
        str(out / n_) for n_ in ("okrs.csv", "checkins.csv", "dependencies.csv", "teams.csv")
    ], n


def test_sessions_browse_while_an_import_runs(own_server, new_data):
    from playwright.async_api import async_playwright

    files, n_q4 = new_data

    async def main():
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            times: list[float] = []
            problems: list[str] = []
            sessions = [
                browse(browser, own_server, times, problems, rounds=ROUNDS) for _ in range(SESSIONS)
            ]
            importing = import_through_the_ui(browser, own_server, files)
            *opened, import_s = await asyncio.gather(*sessions, importing)
            seen = await asyncio.gather(*(sees_new_data(s, own_server, n_q4) for s in opened))
            await browser.close()
            return times, problems, import_s, seen

    # The session's sync Playwright keeps an event loop running on this thread: run ours on
    # a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        times, problems, import_s, seen = pool.submit(asyncio.run, main()).result()
    assert problems == []
    assert all(seen), f"{seen.count(False)} of {SESSIONS} sessions did not see the new data"
    figures = {"sessions": SESSIONS, "page_loads": len(times), "slowest_page_s": round(max(times), 2),
               "median_page_s": round(sorted(times)[len(times) // 2], 2), "import_s": round(import_s, 2)}  # fmt: skip
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(figures, indent=2))
    print("load test:", figures)
