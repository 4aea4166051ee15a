"""What is read of an XLSX workbook's own XML (``okrdata.xlsx``), on workbooks made here."""

from __future__ import annotations

import io
import zipfile

import pytest
import xlsxwriter

from okrdata.xlsx import excel_problem, formulas_without_values, percent_cells


def workbook(write) -> bytes:
    """An XLSX written by xlsxwriter; ``write(book)`` fills it."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    write(book)
    book.close()
    return out.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def test_cells_shown_as_a_percentage_are_found_per_sheet_by_row_and_column():
    def write(book):
        pct, tenth = book.add_format({"num_format": "0%"}), book.add_format({"num_format": "0.0%"})
        okrs = book.add_worksheet("OKRs")
        okrs.write_row(0, 0, ["kr", "progress", "target"])
        okrs.write_number(1, 1, 0.18, pct)  # B2
        okrs.write_number(2, 1, 0.255, tenth)  # B3
        okrs.write_number(2, 2, 40)  # a plain number stays a number
        okrs.write_string(3, 1, "18%", pct)  # text with a percent style is no number cell
        book.add_worksheet("Plain & simple").write_number(0, 0, 0.5)

    assert percent_cells(workbook(write)) == {"OKRs": {(1, 1), (2, 1)}}


def test_a_workbook_without_percentage_styles_has_no_percent_cells():
    assert percent_cells(workbook(lambda b: b.add_worksheet().write_number(0, 0, 0.5))) == {}


def test_formula_cells_without_a_saved_value_are_counted():
    sheet = (
        b'<worksheet><sheetData><row r="1">'
        b'<c r="A1"><f>1+1</f><v>2</v></c>'  # saved by a spreadsheet program
        b'<c r="B1"><f>A1*2</f></c>'  # written by a script: no value
        b'<c r="C1"><f t="shared" si="0"/></c>'
        b"</row></sheetData></worksheet>"
    )
    data = zipped({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": sheet})
    assert formulas_without_values(data) == 2


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "The workbook is password-protected or in the old "
         ".xls format. Remove the password and save it as .xlsx."),
        (b"objective,quarter\n", "This is not an XLSX workbook (it is not a zip archive)."),
        (b"PK\x03\x04 cut short", "The workbook is damaged (its zip structure cannot be read)."),
        (zipped({"notes.txt": b"hello"}), "This zip archive is not an XLSX workbook."),
        (zipped({"xl/workbook.xml": b"<workbook/>", "xl/big.xml": b"\0" * 2_000_000}),
         "The workbook would unpack to 2 MB; it is refused as a possible zip bomb."),
    ],
    ids=["encrypted", "not-zip", "damaged", "not-xlsx", "zip-bomb"],
)  # fmt: skip
def test_a_workbook_that_cannot_be_opened_safely_says_why(data, problem):
    assert excel_problem(data, max_bytes=100_000) == problem


def test_a_real_workbook_has_no_problem():
    assert excel_problem(workbook(lambda b: b.add_worksheet()), max_bytes=100_000) is None
