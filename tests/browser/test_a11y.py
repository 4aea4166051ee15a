"""Accessible and usable on a phone: axe-core finds nothing wrong with the project's own markup
on any page, and at 390 px the filters can be reached and a table scrolls instead of being cut.

axe-core is the copy bundled in the ``axe-playwright-python`` package (no network needed).
Streamlit's own widget internals are excused, each by one rule id and the narrowest selector
(``STREAMLIT_OWN``): nothing of the project's can match them, and nothing else is excused.

The pages of ``PAGES`` (axe) and ``CHART_PAGES`` (the charts' label contrast) are checked by
``has_no_violation`` and ``chart_labels_read_at_the_contrast_of_text`` in ``test_pages`` (one
visit per page for every per-page check).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_page, open_page, settle, shot, wait_drawn, wait_ready

pytestmark = pytest.mark.browser

# every page, one team, and a past quarter (the sidebar then says so in a caption)
PAGES = ["", "alignment", "trends", "signals", "team", "team?team=Onboarding", "dependencies",
         "data", "?quarter=2026-Q3"]  # fmt: skip

# Violations in Streamlit's own markup, which no page of ours draws or can change:
STREAMLIT_OWN = {
    # The sidebar's page navigation: Streamlit wraps each group of <li> in a <div> inside the
    # <ul> (a <div> may not be a child of <ul>, and the <li> then has no <ul> parent).
    "list": "[data-testid='stSidebarNavItems']",
    "listitem": "[data-testid='stSidebarNavItems']",
    # The file uploader's drop zone: a <section role="presentation"> that has an aria-label.
    "presentation-role-conflict": "[data-testid='stFileUploaderDropzone']",
}

OWN_NODE = """([target, selector]) => {
    const node = document.querySelector(target);
    return node !== null && node.closest(selector) !== null;
}"""


@pytest.fixture(scope="module")
def tall(context):
    """A viewport taller than any page, so every element is on screen for the contrast rule."""
    p = open_page(context, viewport={"width": 1440, "height": 6000})
    yield p
    p.close()


def axe_violations(page) -> list[dict]:
    """The violations axe-core reports on the page as it is, less Streamlit's own."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    ours = []
    for rule in found:
        nodes = [
            n
            for n in rule["nodes"]
            if not (
                rule["id"] in STREAMLIT_OWN
                and len(n["target"]) == 1  # not inside a frame or a shadow root
                and page.evaluate(OWN_NODE, [n["target"][0], STREAMLIT_OWN[rule["id"]]])
            )
        ]
        ours += [
            {"rule": rule["id"], "help": rule["help"], "html": n["html"][:160],
             "why": n["failureSummary"]}
            for n in nodes
        ]  # fmt: skip
    return ours


# a click on each closed expander's summary, all in one go (a click apiece from Playwright waits
# for the page to stand still between them: 12 s for the Signals page's fourteen)
OPEN_ALL = """() => {
    const expanders = document.querySelectorAll("[data-testid='stExpander'] details");
    for (const details of expanders) {
        if (!details.open) details.querySelector("summary").click();
    }
}"""
ALL_OPEN = """() => [...document.querySelectorAll("[data-testid='stExpander'] details")]
    .every(details => details.open)"""


def open_expanders(page) -> None:
    """Open every closed expander (an open one stays open), and wait until all are open."""
    page.evaluate(OPEN_ALL)
    page.wait_for_function(ALL_OPEN, timeout=30_000, polling=50)


def has_no_violation(page) -> None:
    """axe-core finds nothing wrong with our markup on the drawn page, what is folded away
    included, every element on screen for the contrast rule; run on every page of ``PAGES`` by
    ``test_pages``."""
    open_expanders(page)  # what is folded away is checked too
    wait_drawn(page)  # the expanders open and what they hold draws
    assert page.locator("[data-testid='stException']").count() == 0
    height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": 1440, "height": max(6000, height + 200)})  # all on screen
    page.evaluate("() => window.scrollTo(0, 0)")
    wait_drawn(page)  # what the taller screen shows draws
    assert page.locator("h1").count() == 1  # the page's title; its sections are h2
    violations = axe_violations(page)
    assert not violations, "\n".join(f"{v['rule']}: {v['html']}\n  {v['why']}" for v in violations)


def test_axe_sees_a_violation_we_put_there(server, tall):
    """The check can fail: a low-contrast paragraph and a skipped heading level are reported."""
    tall.goto(f"{server}/trends")
    wait_ready(tall)
    tall.evaluate("""() => {
        const main = document.querySelector("[data-testid='stMain']");
        main.insertAdjacentHTML("beforeend",
            "<h4>Skipped a level</h4><p style='color:#bbbbbb'>Grey on white</p>");
    }""")
    rules = {v["rule"] for v in axe_violations(tall)}
    assert {"heading-order", "color-contrast"} <= rules


@pytest.fixture
def phone(browser):
    ctx, p = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                      has_touch=True)  # fmt: skip
    yield p
    ctx.close()


def test_at_390_px_the_filters_open_and_a_quarter_can_be_chosen(server, phone):
    phone.goto(f"{server}/team")
    wait_ready(phone)
    quarter = phone.get_by_role("combobox", name="Quarter")
    hidden = quarter.bounding_box()
    assert hidden is None or hidden["x"] + hidden["width"] <= 0  # the sidebar starts closed
    before = quarter.input_value()
    phone.get_by_test_id("stExpandSidebarButton").click()
    settle(phone)  # the sidebar slides in
    box = quarter.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390  # all of it on screen
    violations = axe_violations(phone)  # the open sidebar on a phone
    assert not violations, "\n".join(f"{v['rule']}: {v['html']}" for v in violations)
    quarter.click()
    options = phone.locator("[role='option']")
    choice = next(t for t in options.all_inner_texts() if t.strip() and t.strip() != before)
    options.filter(has_text=choice.strip()).first.click()
    wait_ready(phone)
    assert f"quarter={choice.strip()}" in phone.url
    assert quarter.input_value() == choice.strip()
    assert phone.locator("[data-testid='stException']").count() == 0
    shot(phone, "phone-filters")


def drawn_columns(grid) -> set[int]:
    """The columns the grid has drawn (it draws those on screen: cells are glide-cell-COL-ROW)."""
    ids = grid.locator("[data-testid^='glide-cell-']").evaluate_all(
        "cells => cells.map(c => c.dataset.testid)"
    )
    return {int(i.split("-")[2]) for i in ids}


def test_at_390_px_a_table_scrolls_sideways_instead_of_being_cut(server, phone):
    phone.goto(f"{server}/team")
    wait_ready(phone)
    grid = phone.locator("[data-testid='stDataFrame']").first
    grid.wait_for()
    box = grid.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390  # the table fits the screen
    scroller = grid.locator(".dvn-scroller").first
    wide, shown = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert wide > shown  # more columns than the screen shows ...
    before = drawn_columns(grid)
    scroller.evaluate("e => e.scrollTo(e.scrollWidth, 0)")
    phone.wait_for_function(  # the grid draws the columns scrolled into view (or the asserts fail)
        """([grid, before]) => [...grid.querySelectorAll("[data-testid^='glide-cell-']")]
            .some(c => !before.includes(Number(c.dataset.testid.split("-")[2])))""",
        arg=[grid.element_handle(), sorted(before)],
        timeout=10_000,
    )
    assert scroller.evaluate("e => e.scrollLeft") > 0  # ... and they scroll into view
    assert drawn_columns(grid) - before, before  # columns that were not drawn before
    shot(phone, "phone-table")


CHART_TEXT = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .main-svg text")]
    .filter(t => t.textContent.trim() && !t.closest("g.point"))  // a bar's own label: inside it
    .map(t => [t.textContent.trim(), getComputedStyle(t).fill,
               Number(getComputedStyle(t).fillOpacity)])"""


def contrast_on_white(rgb: str, alpha: float) -> float:
    """WCAG contrast of an ``rgb(r, g, b)`` fill drawn at ``alpha`` over white."""
    channels = [float(c) for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    lin = []
    for c in channels:
        c = (alpha * c + (1 - alpha) * 255) / 255
        lin.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 1.05 / (lum + 0.05)


# the pages with charts: the Overview, Trends and Dependencies
CHART_PAGES = ["", "trends", "dependencies"]


def chart_labels_read_at_the_contrast_of_text(page) -> None:
    """axe-core does not check SVG text: the charts' axis labels (department names), titles,
    annotations (the expected pace) and the graph's team names are held to 4.5:1 here; run on
    the drawn pages of ``CHART_PAGES`` by ``test_pages``."""
    page.locator("[data-testid='stPlotlyChart'] .main-svg text").first.wait_for(state="attached")
    wait_drawn(page)
    labels = page.evaluate(CHART_TEXT)
    assert labels
    faint = {(text, fill) for text, fill, alpha in labels if contrast_on_white(fill, alpha) < 4.5}
    assert not faint, sorted(faint)[:10]


def test_axe_finds_no_violation_in_the_validation_report(server, tall):
    """The Data page once files are uploaded: what each file holds, the report, the import."""
    tall.set_viewport_size({"width": 1440, "height": 6000})
    tall.goto(f"{server}/data")
    wait_ready(tall)
    files = ["tests/fixtures/messy/okr_export.csv", "tests/fixtures/messy/check-ins.csv"]
    tall.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(files)
    tall.get_by_role("heading", name="3 · Validation report").wait_for(timeout=60_000)
    wait_ready(tall)
    open_expanders(tall)
    wait_drawn(tall)
    assert tall.locator("[data-testid='stException']").count() == 0
    violations = axe_violations(tall)
    assert not violations, "\n".join(f"{v['rule']}: {v['html']}\n  {v['why']}" for v in violations)
    shot(tall, "a11y-data-report")
