"""The leader's journey in a real browser: from the Alignment outline to a team, and to a
department, by clicking the rows a person reads (titles and teams as the sample files hold
them)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.browser.conftest import ROOT, shot, wait_ready

pytestmark = pytest.mark.browser

ROW = 35  # the table's row height in pixels (its header has the same)


@pytest.fixture(scope="module")
def okrs() -> pd.DataFrame:
    """The sample's objectives of its latest quarter (the one the app opens on)."""
    frame = pd.read_csv(ROOT / "sample_data" / "okrs.csv").drop_duplicates("objective_id")
    return frame[frame["quarter"] == frame["quarter"].max()]


def open_alignment(page, server: str):
    page.goto(f"{server}/alignment")
    wait_ready(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.get_by_role("columnheader", name="Company → department → objective",
                     include_hidden=True).wait_for(state="attached", timeout=30_000)  # fmt: skip
    return grid


def row_of(grid, pattern: str) -> int | None:
    """The row number (0 = first row) of the outline whose first cell matches ``pattern``,
    among the rows the table has drawn; None when none does."""
    cell = grid.locator("td[aria-colindex='1']").filter(has_text=re.compile(pattern))
    if not cell.count():
        return None
    return int(cell.first.locator("xpath=..").get_attribute("aria-rowindex")) - 2


def click_row(page, grid, index: int) -> None:
    """Click the selection box of row ``index``, as a person would."""
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + ROW + ROW * index + ROW / 2)


def test_leader_drills_from_the_alignment_view_to_a_team(server, page, okrs):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    grid = open_alignment(page, server)
    shot(page, "leader-alignment")
    found = [(row_of(grid, f"└ {re.escape(o.objective)}$"), o.team)
             for o in okrs[okrs["level"] == "team"].itertuples()]  # fmt: skip
    index, team = min((i, t) for i, t in found if i is not None)  # the first team objective
    row = grid.locator(f"tr[aria-rowindex='{index + 2}']")
    assert row.locator("td[aria-colindex='2']").inner_text() == team  # the row names its team
    status = row.locator("td[aria-colindex='3']").inner_text()
    assert re.fullmatch(r"[✓●▲✕] (done|on track|at risk|off track)", status)  # icon and words
    click_row(page, grid, index)
    page.wait_for_function("() => location.pathname.endsWith('/team')", timeout=30_000)
    page.wait_for_function("() => location.search.includes('team=')", timeout=10_000)
    wait_ready(page)
    assert page.get_by_role("combobox", name="Team").input_value() == team
    assert page.get_by_role("heading", name="Team", exact=True).count() == 1
    shot(page, "leader-team")
    assert not errors, errors


def test_leader_opens_a_department_from_the_alignment_view(server, page, okrs):
    grid = open_alignment(page, server)
    departments = sorted(set(okrs["department"]) - {"Company"})
    found = [(row_of(grid, rf"^\s*{re.escape(d)}$"), d) for d in departments]
    index, department = min((i, d) for i, d in found if i is not None)
    click_row(page, grid, index)
    page.wait_for_function("() => location.search.includes('department=')", timeout=30_000)
    wait_ready(page)
    assert page.get_by_role("combobox", name="Department").input_value() == department
    assert page.url.split("?")[0].endswith("/alignment")


def test_leader_downloads_the_report_of_the_view(server, page):
    page.goto(f"{server}/?department=Sales")
    wait_ready(page)
    objectives = page.locator("[data-testid='stMetric']").filter(has_text="Objectives").first
    count = objectives.locator("[data-testid='stMetricValue']").inner_text()
    as_of = page.get_by_text(re.compile(r", as of \d\d \w{3} \d{4}:")).first.inner_text()
    button = page.get_by_role("button", name="Download the report")
    button.wait_for(state="visible")
    asked = page.evaluate("window.__okrSentAt")  # when the page last asked for a run
    with page.expect_download(timeout=60_000) as info:
        button.click()
    assert info.value.suggested_filename.startswith("okr-report-")
    # the click ran nothing on the server: a rerun raced the download it asked for
    assert page.evaluate("window.__okrSentAt") == asked
    html = info.value.path().read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "Department: Sales. As of " + as_of.split(", as of ")[1].split(":")[0] in html
    assert f"<b>{count}</b><span>Objectives</span>" in html  # what the Overview shows
    assert html.index("In five minutes") < html.index("Objectives needing attention")
