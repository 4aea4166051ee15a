"""No label cut at 1,440 px: every page on the sample, as a person sees it.

A visible text element is cut when it holds more text than it shows: its content is wider than
its box (``scrollWidth > clientWidth``) while its overflow is hidden or it ends in an ellipsis,
or any of its ancestors up to the page hides the overflow of a box narrower than the text
(metric labels and values, buttons, headings, captions, tabs, radio and select labels). A chart's
text (title, axis labels, annotations, bar labels) is cut when it reaches outside its chart. A
table is cut when its columns are wider than the table (a column off-screen).

Each page of ``PAGES`` is checked by ``cuts_nothing`` in ``test_pages`` (one visit per page for
every per-page check); the Data page after an import and a broken file is checked here.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import ROOT, settle, wait_drawn, wait_ready
from tests.browser.test_screens import SCREENS

pytestmark = pytest.mark.browser

# every page as the screenshots open it (a filtered Overview draws the same labels)
PAGES = {name: path for name, path in SCREENS.items() if name != "overview-sales"}

# Every element with text of its own in the main area and the sidebar whose box is narrower than
# its text under a hidden overflow (its own or an ancestor's); chart texts outside their chart;
# tables whose columns overflow them.
CUT = """
() => {
  const out = [];
  const hides = (s) => ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflow)
                       || s.textOverflow === 'ellipsis';
  const roots = document.querySelectorAll("[data-testid='stMain'], [data-testid='stSidebar']");
  const name = (el) => (el.closest('[data-testid]') || el).getAttribute('data-testid') || el.tagName;
  for (const root of roots) {
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('svg, canvas, [data-testid="stDataFrame"], [data-testid="stDataFrameResizable"]')) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;  // nothing, or a label only screen readers read
      const text = el.textContent.trim().slice(0, 80);
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || s.fontFamily.includes('Material')) continue;  // an icon
      if (hides(s) && el.scrollWidth > el.clientWidth + 1) {
        out.push(`${name(el)}: "${text}" shows ${el.clientWidth} of ${el.scrollWidth} px`);
        continue;
      }
      for (let a = el.parentElement; a && a !== root; a = a.parentElement) {
        const sa = getComputedStyle(a);
        if (!hides(sa)) continue;
        const ra = a.getBoundingClientRect();
        if (r.right > ra.right + 1 || r.left < ra.left - 1) {
          out.push(`${name(el)}: "${text}" reaches past a box that hides it (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(ra.left)}–${Math.round(ra.right)})`);
        }
        break;
      }
    }
  }
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const svg = plot.querySelector('svg.main-svg');
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    for (const t of plot.querySelectorAll('svg text')) {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) continue;
      if (getComputedStyle(t).opacity === '0' || t.closest('[visibility="hidden"]')) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.push(`chart text "${t.textContent.trim().slice(0, 60)}" reaches outside its chart`);
      }
    }
  }
  for (const grid of document.querySelectorAll("[data-testid='stDataFrame'] .dvn-scroller")) {
    if (grid.scrollWidth > grid.clientWidth + 1) {
      const heads = [...grid.closest("[data-testid='stDataFrame']").querySelectorAll('th')]
        .map((h) => h.textContent.trim()).join(' | ');
      out.push(`table [${heads.slice(0, 120)}] is ${grid.scrollWidth} px wide in ${grid.clientWidth} px`);
    }
  }
  return out;
}
"""


# A table draws on a canvas: its columns' widths and font come from the grid's own properties
# (React's, read from the accessible table it keeps beside the canvas); a header, or a cell of
# at most LABEL characters (a status, a date, a team's name: prose, such as a title or an
# evidence sentence, wraps nowhere in a grid and is read in full on hover or in the CSV), is cut when its text and padding are wider than its
# column.
TABLE_CUT = r"""
(grid) => {
  const table = grid.querySelector('table');
  if (!table) return [];
  const key = Object.keys(table).find((k) => k.startsWith('__reactFiber'));
  let f = table[key];
  while (f && !(f.memoizedProps && f.memoizedProps.theme && f.memoizedProps.columns)) f = f.return;
  if (!f) return ['a table whose columns cannot be read'];
  const { columns, theme } = f.memoizedProps;
  const ctx = document.createElement('canvas').getContext('2d');
  const pad = 2 * theme.cellHorizontalPadding;
  const shift = columns.length - Number(table.getAttribute('aria-colcount'));  // a row marker
  const out = [];
  const wide = (text, font) => { ctx.font = font; return ctx.measureText(text).width + pad; };
  for (const th of table.querySelectorAll('th')) {
    const col = columns[Number(th.getAttribute('aria-colindex')) - 1 + shift];
    const icon = col && col.icon ? theme.headerIconSize + theme.cellHorizontalPadding : 0;
    const need = wide(th.textContent.trim(), theme.headerFontFull) + icon;
    if (col && need > col.width + 0.5) out.push(`header "${th.textContent.trim()}" needs ${Math.ceil(need)} px, has ${col.width}`);
  }
  for (const td of table.querySelectorAll('td')) {
    const text = td.textContent.trim();
    const col = columns[Number(td.getAttribute('aria-colindex')) - 1 + shift];
    // a number is drawn in its column's format (2.9), the accessible text is its raw value
    if (!col || !text || text.length > LABEL || /^-?[\d.,]+(e-?\d+)?$/.test(text)) continue;
    const need = wide(text, theme.baseFontFull);
    if (need > col.width + 0.5) out.push(`cell "${text}" (${col.title}) needs ${Math.ceil(need)} px, has ${col.width}`);
  }
  return [...new Set(out)];
}
"""
LABEL = 30


def cut_in_tables(page) -> list[str]:
    """Every table of the page, scrolled into view (a grid draws its rows when seen). A cut
    found is looked for again once the page has settled once more, and only one that stays is
    reported: a grid replaced on a rerun can for a moment show its new cells against the old
    grid's column widths (once, under load: a header "needs 79 px, has 76" in a column 140 px
    wide), which no person reads. A grid replaced while the tables are read (once, on 7 Dec,
    the Data page's after a broken file: "Element is not attached to the DOM") starts the
    reading again once the app is ready and drawn, at most three times."""
    for attempt in range(3):
        try:
            return _cut_in_tables(page)
        except PlaywrightError as exc:
            if "not attached" not in str(exc) or attempt == 2:
                raise
            wait_ready(page)
            wait_drawn(page)
    raise AssertionError("unreachable")


def _cut_in_tables(page) -> list[str]:
    found = []
    grids = page.locator("[data-testid='stDataFrame']")
    script = TABLE_CUT.replace("LABEL", str(LABEL))
    for i in range(grids.count()):
        grid = grids.nth(i)
        grid.scroll_into_view_if_needed()
        settle(page)
        cut = grid.evaluate(script)
        if cut:
            settle(page)
            cut = [c for c in grid.evaluate(script) if c in cut]
        found += cut
    return found


def cuts_nothing(page) -> None:
    """No text of the drawn page is cut (module docstring); run on every page of ``PAGES`` by
    ``test_pages``."""
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.evaluate(CUT) + cut_in_tables(page) == []


# What a person reads of the main area, icons (ligatures such as "database_upload") left out
READ = """
() => {
  const main = document.querySelector("[data-testid='stMain']").cloneNode(true);
  const live = document.querySelectorAll("[data-testid='stMain'] *");
  const copies = main.querySelectorAll('*');
  live.forEach((el, i) => {
    if (getComputedStyle(el).fontFamily.includes('Material')) copies[i].textContent = '';
  });
  return main.innerText;
}
"""
# a table's or a check's name, or any snake_case code, where a person reads words
CODES = re.compile(r"\b(okrs|checkins|[a-z]+_[a-z_]+)\b")
VIVA = ROOT / "tests" / "fixtures" / "sources" / "viva" / "viva_goals_explorer.csv"


def test_the_data_page_speaks_words_and_cuts_nothing_after_an_import_and_a_broken_file(
    own_server, page, tmp_path
):
    broken = tmp_path / "team goals.csv"
    broken.write_text("Objective,Team,Quarter\nGrow,Web,2026-Q4\nShip,,2026-Q4\n")
    page.goto(f"{own_server}/data")
    wait_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(VIVA))
    page.get_by_text("Ready to import").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Import into the store").click()
    page.get_by_text("Imported batch").first.wait_for(timeout=60_000)
    wait_ready(page)
    for step in ("imported", "broken"):
        if step == "broken":
            page.goto(f"{own_server}/data")
            wait_ready(page)
            upload = page.locator("[data-testid='stFileUploader'] input[type='file']")
            upload.set_input_files(str(broken))
            page.get_by_text("Fix the errors").first.wait_for(timeout=60_000)
            wait_ready(page)
        wait_drawn(page)
        text = page.evaluate(READ).replace(VIVA.name, "")  # a file's own name stays as it is
        assert CODES.findall(text) == [], step
        assert page.evaluate(CUT) + cut_in_tables(page) == [], step
