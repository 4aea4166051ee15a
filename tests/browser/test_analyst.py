"""The analyst's journey in a real browser: a tracker exported without a team column and named by
fiscal quarters is uploaded, the Data page asks what it cannot guess (the team, how the fiscal
year runs), the analyst answers by typing and choosing, and the import holds the answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrdata.ingest import load
from okrdata.model import distinct_counts
from tests.browser.conftest import shot, wait_ready

pytestmark = pytest.mark.browser

TRACKER = (
    Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "questions" / "Platform.csv"
)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box ``label`` (its list opens on a click once drawn)."""
    from playwright.sync_api import TimeoutError as Timeout

    for _ in range(3):
        page.get_by_label(label).click()
        try:
            page.get_by_role("option", name=option).click(timeout=5_000)
            return
        except Timeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"{label!r} did not offer {option!r}")


def test_analyst_answers_the_questions_of_a_tracker_and_imports_it(own_server, page):
    held = distinct_counts(load([TRACKER]).dataset)
    page.goto(f"{own_server}/data")
    wait_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(TRACKER))
    page.get_by_text("Apply these answers and validate again").wait_for(timeout=60_000)
    wait_ready(page)

    # the team: no column holds it, so the analyst types the team every row belongs to
    team = page.get_by_placeholder("Type a team name")
    team.fill("Developer Platform")
    team.press("Tab")
    # the fiscal year: FY27 starts in February 2026 and is named by the year it ends in
    choose(page, "The fiscal year starts in", "February")
    page.get_by_text("ends in", exact=True).click()
    page.get_by_role("button", name="Apply these answers and validate again").click()
    wait_ready(page)
    page.get_by_text("Ready to import").first.wait_for(timeout=60_000)

    page.get_by_role("button", name="Import into the store").click()
    done = page.get_by_text("Imported batch").first
    done.wait_for(timeout=60_000)
    message = done.inner_text()
    assert f"{held['objectives']:,} objectives" in message, message
    assert f"{held['key_results']:,} key results" in message, message
    shot(page, "analyst-imported")

    # the answers are in the data: the team's page in the fiscal year's first quarter
    page.goto(f"{own_server}/team?team=Developer+Platform&quarter=2026-Q1")
    wait_ready(page)
    # (a table's cells are drawn on a canvas; the grid keeps them as hidden cells for readers)
    page.get_by_text("Make the build fast").first.wait_for(state="attached", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    quarter = page.get_by_label("Quarter")  # the quarter the fiscal answer dated it in
    assert quarter.input_value() == "2026-Q1" or "2026-Q1" in quarter.inner_text()
