"""An analyst uploads real exports as they come out of their tool, in a real browser.

A Viva Goals export (check-ins packed in a cell, deliverables kept as work) and a database
export with one CSV per table are recognised, imported without edits, and hold exactly what the
files hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from okrdata.ingest import load
from okrdata.model import distinct_counts
from tests.browser.conftest import shot, wait_ready

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("files", "shape"),
    [
        (["formats/viva_goals_export.csv"], "looks like a Viva Goals export"),
        (
            [
                f"relational/{n}.csv"
                for n in ("objective", "key_result", "check_in", "quarter", "team")
            ],
            "looks like the objective table of a database export",
        ),
    ],
    ids=["viva_goals", "one_file_per_table"],
)
def test_a_real_export_imports_as_it_comes(own_server, page, files, shape):
    paths = [str(FIXTURES / f) for f in files]
    held = distinct_counts(load(paths).dataset)  # an annual objective is one objective
    page.goto(f"{own_server}/data")
    wait_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(paths)
    page.get_by_text("Ready to import").first.wait_for(timeout=60_000)
    assert page.get_by_text(shape).count() > 0  # recognition says which shape it saw
    page.get_by_role("button", name="Import into the store").click()
    done = page.get_by_text("Imported batch").first
    done.wait_for(timeout=60_000)
    message = done.inner_text()
    for table, noun in (("objectives", "objectives"), ("key_results", "key results"),
                        ("checkins", "check-ins")):  # fmt: skip
        assert f"{held[table]:,} {noun}" in message, message
    shot(page, f"data-imported-{files[0].split('/')[0]}")
