"""An analyst's journey in a real browser: upload an XLSX workbook, import it, see it on Overview.

The workbook's titles carry HTML and markdown: they must show as typed, never run or render.
"""

from __future__ import annotations

import pandas as pd
import pytest
import xlsxwriter

from tests.browser.conftest import shot, wait_ready

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert('x')</script> **bold** [link](javascript:alert(1))"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """The sample's 2026-Q3 as one XLSX with an okrs and a checkins sheet; one title is hostile."""
    okrs = pd.read_csv("sample_data/okrs.csv", dtype=str, keep_default_na=False)
    okrs = okrs[okrs["quarter"] == "2026-Q3"].copy()
    company = okrs.loc[okrs["level"] == "company", "objective_id"].iloc[0]
    okrs.loc[okrs["objective_id"] == company, "objective"] = HOSTILE
    checkins = pd.read_csv("sample_data/checkins.csv", dtype=str, keep_default_na=False)
    checkins = checkins[checkins["kr_id"].isin(okrs["kr_id"])]
    path = tmp_path_factory.mktemp("xlsx") / "okr_export.xlsx"
    with xlsxwriter.Workbook(path, {"strings_to_formulas": False}) as book:
        for name, frame in (("OKRs", okrs), ("Check-ins", checkins)):
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, list(frame.columns))
            for i, row in enumerate(frame.itertuples(index=False), start=1):
                sheet.write_row(i, 0, list(row))
    return path


def test_upload_xlsx_import_and_see_it_on_overview(own_server, page, workbook):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{own_server}/data")
    wait_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(workbook))
    page.get_by_text("Ready to import").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Import into the store").click()
    page.get_by_text("Imported batch 1").first.wait_for(timeout=60_000)
    shot(page, "data-imported")

    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Overview").click()
    wait_ready(page)
    page.get_by_text("Showing the imported data.").wait_for(timeout=30_000)
    assert page.get_by_role("combobox", name="Quarter").input_value() == "2026-Q3"
    assert page.get_by_text("sample data").count() == 0
    chart = page.locator("[data-testid='stPlotlyChart']").first
    assert HOSTILE.replace("**", "") not in chart.inner_text()  # markdown not applied...
    assert "<script>alert('x')</script>" in chart.text_content()  # ...the title shows as typed
    assert page.locator("[data-testid='stMain'] a[href^='javascript']").count() == 0
    shot(page, "overview-imported")
    assert dialogs == []
