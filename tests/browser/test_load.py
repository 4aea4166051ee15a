"""Monday morning: 20 browser sessions browse every page while an analyst imports new data.

No session may see an error, the server may log no exception, and once the import is done
every session must see the complete new data. The slowest page seen is printed (and saved to
tests/artifacts/load.json) for the README's figures.
"""

from __future__ import annotations

import asyncio
import json
import os
import time

import pandas as pd
import pytest

from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

SESSIONS = int(os.environ.get("OKR_LOAD_SESSIONS", "20"))
PATHS = ["", "alignment", "trends", "signals", "team?team=Onboarding", "dependencies", "data"]
MARKER = "Imported during the load test"


async def ready(page) -> None:
    await page.wait_for_selector("[data-testid='stMain']", timeout=120_000)
    await page.wait_for_timeout(200)
    await page.wait_for_selector("[data-test-script-state='notRunning']", timeout=120_000)


async def browse(browser, url: str, times: list[float], problems: list[str], rounds: int) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await ctx.new_page()
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    for _ in range(rounds):
        for path in PATHS:
            start = time.perf_counter()
            await page.goto(f"{url}/{path}")
            await ready(page)
            times.append(time.perf_counter() - start)
            if await page.locator("[data-testid='stException']").count():
                problems.append(f"exception shown on /{path}")
    await ctx.close()


async def import_through_the_ui(browser, url: str, files: list[str]) -> float:
    ctx = await browser.new_context()
    page = await ctx.new_page()
    await page.goto(f"{url}/data")
    await ready(page)
    await page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(files)
    await page.get_by_text("no errors").first.wait_for(timeout=120_000)
    start = time.perf_counter()
    await page.get_by_role("button", name="Import into the store").click()
    await page.get_by_text("Imported batch 1").first.wait_for(timeout=120_000)
    took = time.perf_counter() - start
    await ctx.close()
    return took


async def sees_new_data(browser, url: str, expected_objectives: int) -> bool:
    ctx = await browser.new_context()
    page = await ctx.new_page()
    await page.goto(f"{url}/?quarter=2026-Q4")
    await ready(page)
    ok = (await page.get_by_text("Showing the imported data.").count() == 1
          and await page.get_by_text(f"{expected_objectives}", exact=True).count() >= 1)  # fmt: skip
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


def test_sessions_browse_while_an_import_runs(server, new_data):
    from playwright.async_api import async_playwright

    files, n_q4 = new_data

    async def main():
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            times: list[float] = []
            problems: list[str] = []
            sessions = [browse(browser, server, times, problems, rounds=2) for _ in range(SESSIONS)]
            importing = import_through_the_ui(browser, server, files)
            *_, import_s = await asyncio.gather(*sessions, importing)
            seen = await asyncio.gather(
                *(sees_new_data(browser, server, n_q4) for _ in range(SESSIONS))
            )
            await browser.close()
            return times, problems, import_s, seen

    times, problems, import_s, seen = asyncio.run(main())
    assert problems == []
    assert all(seen), f"{seen.count(False)} of {SESSIONS} sessions did not see the new data"
    figures = {"sessions": SESSIONS, "page_loads": len(times), "slowest_page_s": round(max(times), 2),
               "median_page_s": round(sorted(times)[len(times) // 2], 2), "import_s": round(import_s, 2)}  # fmt: skip
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(figures, indent=2))
    print("load test:", figures)
