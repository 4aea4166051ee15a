"""The benchmark's first visit in a real browser: it waits for the page as drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench import first_visit

pytestmark = pytest.mark.browser


def test_a_first_visit_is_timed_until_the_page_is_drawn(server, browser):
    seconds = first_visit.visit(browser, f"{server}/alignment", "Alignment")
    assert 0 < seconds < 60
    # a title the page never shows is never "drawn": the wait does not stop at the script's end,
    # though it goes on for twice the time the page just took to draw (and at least 4 s)
    with pytest.raises(PlaywrightTimeout):
        first_visit.visit(browser, f"{server}/alignment", "Dependencies",
                          timeout=max(4_000, 2_000 * seconds))  # fmt: skip
