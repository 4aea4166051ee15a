"""Every page of the sample opened once at 1,440 × 1,000, each per-page check run on it as drawn.

A page's visit costs seconds (the server runs its script, the browser draws its charts and
tables); four modules check the same pages, so each page is opened here once, and every check
whose module lists it runs on the drawn page, in this order:

1. its main content is there, no exception, no error in the browser (``test_journeys.PAGES``);
2. its screenshots, the first screen and the whole page (``test_screens.SCREENS``, in
   tests/artifacts/screen-NAME.png and screen-NAME-full.png);
3. no text cut at 1,440 px (``test_clipping.PAGES``);
4. axe-core finds no violation in our markup, expanders opened and the viewport made taller
   than the page (``test_a11y.PAGES``);
5. the charts' labels read at the contrast of text (``test_a11y.CHART_PAGES``).

The checks are the modules' own functions. A check that fails does not stop the next ones: the
test fails once with every failed check, each named with its page (``[overview-sales] no text
cut: …``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser import test_a11y, test_clipping, test_journeys, test_screens
from tests.browser.conftest import open_page, wait_drawn

pytestmark = pytest.mark.browser

# the name each page's screenshot is saved under, for the pages the screenshots leave out
OTHER_NAMES = {"?quarter=2026-Q3": "overview-2026-Q3"}
NAMES = {path: name for name, path in test_screens.SCREENS.items()} | OTHER_NAMES
PATHS = list(
    dict.fromkeys(
        [*test_screens.SCREENS.values(), *test_journeys.PAGES, *test_clipping.PAGES.values(),
         *test_a11y.PAGES, *test_a11y.CHART_PAGES]
    )
)  # fmt: skip


def checks(path: str, errors: list[str]) -> list[tuple[str, Callable[[object], None]]]:
    """The checks that the modules list ``path`` for, in the order they run on one visit."""
    name = NAMES[path]
    found: list[tuple[str, Callable[[object], None]]] = []
    if path in test_journeys.PAGES:
        found.append(("main content",
                      lambda p: test_journeys.shows_its_main_content(p, path, errors)))  # fmt: skip
    if path in test_screens.SCREENS.values():
        found.append(("screenshot", lambda p: test_screens.screenshots(p, name)))
    if path in test_clipping.PAGES.values():
        found.append(("no text cut", test_clipping.cuts_nothing))
    if path in test_a11y.PAGES:
        found.append(("axe", test_a11y.has_no_violation))
    if path in test_a11y.CHART_PAGES:
        found.append(("chart label contrast", test_a11y.chart_labels_read_at_the_contrast_of_text))
    return found


@pytest.fixture
def screen(context):
    p = open_page(context, viewport={"width": 1440, "height": 1000})
    yield p
    p.close()


@pytest.mark.parametrize("path", PATHS, ids=[NAMES[p] for p in PATHS])
def test_each_page_passes_every_check_made_on_it(server, screen, path):
    errors: list[str] = []
    screen.on("pageerror", lambda e: errors.append(str(e)))
    screen.goto(f"{server}/{path}")
    wait_drawn(screen)  # charts and tables finish drawing
    failed = []
    for check, run in checks(path, errors):
        try:
            run(screen)
        except AssertionError as exc:
            failed.append(f"[{NAMES[path]}] {check}: {exc}")
    if errors:
        failed.append(f"[{NAMES[path]}] errors in the browser during the checks: {errors}")
    assert not failed, "\n".join(failed)
