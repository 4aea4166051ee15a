"""Every page at 1440×1000 as people first see it (tests/artifacts/screen-*.png, checked by eye;
taken by ``screenshots`` in ``test_pages``, which opens each page once for every per-page check),
and a click on a department bar filters the app to that department, URL included."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, open_page, wait_drawn, wait_ready

pytestmark = pytest.mark.browser

SCREENS = {
    "overview": "",
    "overview-sales": "?department=Sales",
    "alignment": "alignment",
    "trends": "trends",
    "signals": "signals",
    "team-all": "team",
    "team-onboarding": "team?team=Onboarding",
    "dependencies": "dependencies",
    "data": "data",
}


@pytest.fixture
def screen(context):
    p = open_page(context, viewport={"width": 1440, "height": 1000})
    yield p
    p.close()


def screenshots(page, name: str) -> None:
    """The screen as a person first sees it and the whole page, as ``screen-NAME.png`` and
    ``screen-NAME-full.png`` (a key of ``SCREENS``), taken by ``test_pages`` once the page is
    drawn at 1,440 × 1,000."""
    assert page.locator("[data-testid='stException']").count() == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"screen-{name}.png"))
    page.screenshot(path=str(ARTIFACTS / f"screen-{name}-full.png"), full_page=True)


def test_clicking_a_department_bar_filters_to_it(server, screen):
    screen.goto(server)
    wait_ready(screen)
    chart = screen.locator("[data-testid='stPlotlyChart']").nth(1)  # departments against pace
    chart.locator("g.point path").first.wait_for(state="attached", timeout=30_000)
    wait_drawn(screen)
    bars = chart.locator("g.point path")
    box = next(b for b in (bar.bounding_box() for bar in bars.all()) if b and b["width"] > 20)
    screen.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # as a person
    screen.wait_for_url("**department=*", timeout=30_000)
    wait_ready(screen)
    assert "department=" in screen.url
    assert screen.locator("[data-testid='stException']").count() == 0
