"""A coach's triage in a real browser: acknowledge a signal, reload, it stays acknowledged."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import shot, wait_for_text, wait_ready

pytestmark = pytest.mark.browser


def test_an_acknowledged_signal_stays_acknowledged_after_a_reload(own_server, page):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{own_server}/signals")
    wait_ready(page)
    summary = page.get_by_text("signals in 11 teams;")
    assert "0 acknowledged or snoozed (hidden)" in summary.inner_text()
    brand = page.locator("[data-testid='stExpander']").filter(has_text="Brand (Marketing)")
    warn = int(
        re.search(r"Brand \(Marketing\): (\d+) warn", brand.locator("summary").inner_text())[1]
    )
    brand.locator("summary").click()
    brand.get_by_label("Note").fill("Talked on Monday: a new pricing test")
    brand.get_by_role("button", name="Acknowledge", exact=True).click()
    wait_ready(page)
    wait_for_text(
        page, "1 acknowledged or snoozed (hidden)", 30_000, near="acknowledged or snoozed"
    )
    page.reload()
    wait_ready(page)
    assert (
        "1 acknowledged or snoozed (hidden)"
        in page.get_by_text("signals in 11 teams;").inner_text()
    )
    brand = page.locator("[data-testid='stExpander']").filter(has_text="Brand (Marketing)")
    assert f"Brand (Marketing): {warn - 1} warn" in brand.locator("summary").inner_text()
    page.get_by_text("Show handled").click()
    wait_ready(page)
    wait_for_text(page, "1 acknowledged or snoozed (shown)", 30_000, near="acknowledged or snoozed")
    shot(page, "signals-triage")
    assert page.locator("[data-testid='stException']").count() == 0
    assert not errors, errors
