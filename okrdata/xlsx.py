"""What OKR Pulse reads of an XLSX workbook's own XML, beside its cell values.

python-calamine (through pandas) reads the cells; this module looks into the workbook's zip
for what calamine does not give: whether the file is safe to unpack at all (a password, the old
.xls format, a damaged zip, a zip bomb: ``excel_problem``), which number cells are shown as a
percentage (``percent_cells``: the cell holds 0.18, the sheet shows 18 %) and how many formula
cells carry no saved value (``formulas_without_values``). Regular expressions over the XML, not
an XML parser: only a few attributes are read, and a hostile file cannot expand entities.
"""

from __future__ import annotations

import io
import re
import zipfile


def excel_problem(data: bytes, max_bytes: int) -> str | None:
    """Why an XLSX file cannot be opened safely, judged before anything is unpacked."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "The workbook is password-protected or in the old .xls format. Remove the "
            "password and save it as .xlsx."
        )
    if not data.startswith(b"PK"):
        return "This is not an XLSX workbook (it is not a zip archive)."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "The workbook is damaged (its zip structure cannot be read)."
    if declared > 10 * max_bytes or (declared > 50_000_000 and declared > 100 * len(data)):
        return (
            f"The workbook would unpack to {declared / 1e6:.0f} MB; it is refused as a "
            "possible zip bomb."
        )
    if "xl/workbook.xml" not in names and not any(re.match(r"xl/.*\.xml$", n) for n in names):
        return "This zip archive is not an XLSX workbook."
    return None


_XF = re.compile(rb"<xf\b[^>]*?\bnumFmtId=\"(\d+)\"")
_NUMFMT = re.compile(rb"<numFmt\b[^>]*?numFmtId=\"(\d+)\"[^>]*?formatCode=\"([^\"]*)\"")
_SHEET = re.compile(rb"<sheet\b[^>]*?name=\"([^\"]*)\"[^>]*?r:id=\"([^\"]*)\"")
_REL = re.compile(rb"<Relationship\b[^>]*?Id=\"([^\"]*)\"[^>]*?Target=\"([^\"]*)\"")
_REL_REVERSED = re.compile(rb"<Relationship\b[^>]*?Target=\"([^\"]*)\"[^>]*?Id=\"([^\"]*)\"")
_CELL = re.compile(rb"<c\b([^>]*)>")
_CELL_REF = re.compile(rb"\br=\"([A-Z]+)(\d+)\"")
_CELL_STYLE = re.compile(rb"\bs=\"(\d+)\"")
_CELL_TYPE = re.compile(rb"\bt=\"([a-z]+)\"")


def percent_cells(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, the (row, column) positions, from 0, of number cells shown as a
    percentage (format ``0%``, ``0.0%``, …): the cell holds 0.18 and the sheet shows 18 %.

    python-calamine reads values without their formats; the workbook's XML says which style
    each cell has (``s="2"``) and which styles are percentages (``xl/styles.xml``). A workbook
    without percentage styles is not looked at further."""
    from html import unescape

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "xl/styles.xml" not in names or "xl/workbook.xml" not in names:
            return {}
        styles = archive.read("xl/styles.xml")
        codes = {int(i): unescape(c.decode("utf-8", "replace")) for i, c in _NUMFMT.findall(styles)}
        cell_xfs = re.search(rb"<cellXfs\b.*?</cellXfs>", styles, re.S)
        xfs = [int(i) for i in _XF.findall(cell_xfs.group(0))] if cell_xfs else []
        wanted = {
            str(k).encode()
            for k, fmt in enumerate(xfs)
            if fmt in (9, 10) or "%" in re.sub(r'"[^"]*"|\[[^]]*\]|\\.', "", codes.get(fmt, ""))
        }
        if not wanted:
            return {}
        book = archive.read("xl/workbook.xml")
        rels_name = "xl/_rels/workbook.xml.rels"
        rels = archive.read(rels_name) if rels_name in names else b""
        target = dict(_REL.findall(rels)) | {i: t for t, i in _REL_REVERSED.findall(rels)}
        out: dict[str, set[tuple[int, int]]] = {}
        for sheet, rid in _SHEET.findall(book):
            path = target.get(rid, b"").decode("utf-8", "replace").lstrip("/")
            path = path if path.startswith("xl/") else f"xl/{path}"
            if path not in names:
                continue
            cells = set()
            for attrs in _CELL.findall(archive.read(path)):
                style, ref = _CELL_STYLE.search(attrs), _CELL_REF.search(attrs)
                kind = _CELL_TYPE.search(attrs)
                if (
                    style
                    and ref
                    and style.group(1) in wanted
                    and (not kind or kind.group(1) == b"n")
                ):
                    col = 0
                    for ch in ref.group(1):
                        col = col * 26 + ch - 64
                    cells.add((int(ref.group(2)) - 1, col - 1))
            if cells:
                out[unescape(sheet.decode("utf-8", "replace"))] = cells
    return out


def formulas_without_values(data: bytes) -> int:
    """How many formula cells of an XLSX carry no saved (cached) value."""
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                body = archive.read(name)
                count += len(re.findall(rb"</f>(?!<v>)|<f[^>]*/>(?!<v>)", body))
    return count
