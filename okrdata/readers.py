"""Read CSV and XLSX files into DuckDB tables of text, one table per file or sheet.

Every cell stays text here (typing happens in the staging SQL), each table gets ``_row``:
the row number a person sees in a spreadsheet (header = 1). Columns are named by position
(``c0``, ``c1``, …); ``RawSheet.columns`` keeps the names as the file gives them. Problems that stop a file from
being read at all (empty, binary, encrypted, too big, a zip bomb) go to the report.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from okrdata.archive import FileIdentity, file_identity
from okrdata.display import agree, count
from okrdata.validation_report import Report
from okrdata.xlsx import excel_problem, formulas_without_values, percent_cells

_GLOB = re.compile(r"[*?\[\]{}]")
_CP1252_ONLY = re.compile(rb"[\x80-\x9f]")
# the first filled cell of a row that sums or averages the rows above it
_SUMMARY = re.compile(
    r"(grand |sub ?)?(total|totals|sum|average|avg|mean|overall|summary|gesamt|summe)"
    r"( (progress|score|scores|value|values|krs|okrs|key results|objectives|attainment))?"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n(?=.)", re.S)
# why the reader set a data row aside (``RawSheet.skipped``, listed in the import ledger)
SUMMARY_ROW = "summary row"
REPEATED_HEADER = "repeated header row"
BLOCK_TITLE = "block title row"
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Cells (and a header line) up to 50 MB are read, from the first file on: set once at import,
# so how a file is read never depends on what was read before it in the process.
csv.field_size_limit(50_000_000)
# Bounded work per input (issue 25): no OKR table has a thousand columns (the widest export
# known has 50), and a sheet wider than that is answered at once instead of matched name by name;
# a row (a line of a CSV) over 20 MB is an error naming it (DuckDB reads lines up to that size,
# and silently skipped longer ones).
MAX_COLUMNS = 1_000
MAX_ROW_BYTES = 20_000_000
# a UTF-8 sequence of two to four bytes: Latin-1 and Windows-1252 text almost never holds one
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a zip archive (an XLSX file? give it the .xlsx extension)",
    b"\xd0\xcf\x11\xe0": "an encrypted or old-style Office file",
    b"\x1f\x8b": "a gzip archive",
}


@dataclass
class RawSheet:
    """One file or sheet loaded as a text table (``relation``) in the connection (columns ``c0``…)."""

    file: str
    sheet: str | None
    relation: str  # the DuckDB table or view holding its text cells
    columns: list[str]
    rows: int
    sha256: str
    notes: list[str] = field(default_factory=list)
    kind: str | None = None  # the input table, when a converter already knows it
    unnamed: list[str] = field(default_factory=list)  # columns whose header cell was blank
    header_row: int = 1  # the row holding the column names, as a spreadsheet numbers it
    above: list[str] = field(default_factory=list)  # the rows above the header (a title), as text
    shape: str = ""  # the adapter that recognised it (``sources``), when one did
    origin: list[str] = field(default_factory=list)  # a converted sheet: the export's own header
    seen_as: str | None = None  # a sheet whose table was chosen: the table recognition saw
    # data rows the reader set aside, and why (a summary row, a repeated header): the ledger
    skipped: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class OnDisk:
    """A file on disk as it was before its bytes were read (``identity``)."""

    path: Path
    identity: FileIdentity | None

    @classmethod
    def before_reading(cls, path: Path) -> OnDisk:
        path = path.resolve()
        return cls(path, file_identity(path))


def positions(n: int) -> list[str]:
    """The database names of a sheet's columns: by position (c0, c1, …), never the user's text,
    so no header a person typed ever reaches SQL text."""
    return [f"c{i}" for i in range(n)]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (BOM or not), UTF-16 (BOM), else
    Windows-1252 (what Excel saves as "CSV" on Windows: € “ ” – are bytes 0x80-0x9F, which
    Latin-1 reads as invisible control characters), else Latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data) and not _looks_utf16le(data):
        text, others = decode_rows(data)
        if others and _utf8_beside(data, others):
            return text, MIXED
    if _looks_utf16le(data):
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    regional = _regional(data)
    if regional is not None:
        return regional
    if _CP1252_ONLY.search(data):  # else both read the same
        try:
            return data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"


# the Windows and East Asian code pages spreadsheets save "CSV" in, beside Western (cp1252)
REGIONAL = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp932", "gb18030", "big5",
            "euc_kr")  # fmt: skip
_NAMES = {"cp1250": "windows-1250", "cp1251": "windows-1251", "cp1253": "windows-1253",
          "cp1254": "windows-1254", "cp932": "shift_jis (cp932)"}  # fmt: skip


def _regional(data: bytes) -> tuple[str, str] | None:
    """Text of a file in a regional code page other than Western (Central European, Cyrillic,
    Greek, Turkish, Japanese, Chinese, Korean), among ``REGIONAL``; None when Western reads it
    as well (then Windows-1252 or Latin-1 decide: on short Western text no detector can tell
    cp1252 from its neighbours).

    charset-normalizer lists the code pages that read the bytes without a mess; of those, the
    one that reads the most of the non-ASCII characters as letters wins (a Japanese file read
    as Windows-1250 is punctuation: ``‚â‚·``), the detector's order breaking ties.
    """
    from charset_normalizer import from_bytes

    found = list(from_bytes(data, cp_isolation=list(REGIONAL)))
    if not found or any(m.encoding == "cp1252" for m in found):
        return None
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None

    def letters(text: str) -> float:
        wide = [c for c in text if ord(c) > 127]
        return sum(c.isalpha() for c in wide) / len(wide) if wide else 0.0

    texts = [(str(m), m.encoding) for m in found]
    if any(text == western for text, _ in texts):  # a neighbour reads it as Western does
        return None
    text, encoding = max(texts, key=lambda t: (round(letters(t[0]), 2), -texts.index(t)))
    return text, _NAMES.get(encoding, encoding)


MIXED = "utf-8, some rows windows-1252"  # the encoding ``decode`` names for a mixed file


def decode_rows(data: bytes) -> tuple[str, list[int]]:
    """Text read line by line: each line as UTF-8 when it is, else as Windows-1252 (else
    Latin-1); the numbers of the lines (1 = the first) that were not UTF-8. A file saved in
    two encodings (rows appended by another program) reads right row by row."""
    lines = data.split(b"\n")
    out, others = [], []
    for at, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                out.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                out.append(line.decode("latin-1"))
            others.append(at)
    return "\n".join(out), others


def _utf8_beside(data: bytes, others: list[int]) -> bool:
    """Whether a line beside the ``others`` (not UTF-8) holds UTF-8 beyond ASCII: a file in
    two encodings, not one multi-byte code page whose bytes look like UTF-8 by chance."""
    skip = set(others)
    return any(
        at not in skip and _UTF8_MULTIBYTE.search(line)
        for at, line in enumerate(data.split(b"\n"), start=1)
    )


def long_lines(data: bytes, limit: int = MAX_ROW_BYTES) -> list[tuple[int, int]]:
    r"""The lines of ``data`` longer than ``limit`` bytes: (line number, 1 = the first; bytes).

    Only for data longer than the limit. From a line's start, the last newline within the
    next ``limit`` + 1 bytes ends every line before it within the limit, so the search jumps
    there (a step of up to ``limit`` bytes, searched in C); a window without one is a line over
    it. Lines are counted only for those (a NumPy pass over every byte took 2.5 s at 20,000
    teams).

    >>> long_lines(b"ab\nabcdef\nabc", 3)
    [(2, 6)]
    """
    size = len(data)
    if size <= limit:
        return []
    found = []
    start = 0  # the first byte of a line
    while start + limit < size:
        newline = data.rfind(b"\n", start, start + limit + 1)
        if newline != -1:
            start = newline + 1
            continue
        end = data.find(b"\n", start + limit + 1)
        end = size if end == -1 else end
        found.append((data.count(b"\n", 0, start) + 1, end - start))
        start = end + 1
    return found


def _looks_utf16le(data: bytes) -> bool:
    head = data[:2000]
    return len(head) > 4 and head[1::2].count(0) > 0.8 * len(head[1::2])


def binary_kind(data: bytes) -> str | None:
    """A description of ``data`` if it is not text (None when it looks like text)."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:4096]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16le(head):
        return None
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if b"\x00" in head or (head and controls / len(head) > 0.05):
        return "binary data"
    return None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields.

    Kept instead of DuckDB's ``sniff_csv``, measured on every CSV of the test fixtures and the
    real exports: that sniffer agrees on 73 of 74, but cannot read a file that is not UTF-8
    (Windows-1252, UTF-16, mixed rows: it stops at the first such byte) and picks ``|`` for a
    ragged comma file; this one reads the text already decoded, whatever its encoding.
    """
    lines = text[:65536].splitlines()[:30]
    best, best_score = ",", -1.0
    for delim in CANDIDATE_DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(c == counts[0] for c in counts) / len(counts)
        score = consistent * 100 + counts[0]
        if score > best_score:
            best, best_score = delim, score
    return best


def too_many_columns(n: int, what: str = "file") -> str:
    """The sentence for a sheet wider than ``MAX_COLUMNS``."""
    return (f"The {what} has {n:,} columns; OKR Pulse reads at most {MAX_COLUMNS:,}, and no OKR "
            "table has that many: it is not an OKR table. Export the table of objectives and "
            "key results (or check-ins) on its own.")  # fmt: skip


def _numbers(rows: list[int], shown: int = 10) -> str:
    """Row numbers as a person reads them: "3, 7, 9" or "3, 7, … (12 in all)"."""
    head = ", ".join(map(str, rows[:shown]))
    return head if len(rows) <= shown else f"{head}, … ({len(rows):,} in all)"


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique for the database ('Owner', 'Owner' -> 'Owner', 'Owner (2)')."""
    seen: dict[str, int] = {}
    out = []
    for raw in names:
        name = raw.strip() or "column"
        count = seen.get(name.lower(), 0)
        seen[name.lower()] = count + 1
        out.append(name if count == 0 else f"{name} ({count + 1})")
    return out


class SheetReader:
    """Loads files into text tables of one DuckDB connection, reporting what it cannot read."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, workdir: Path, report: Report, max_bytes: int
    ):
        self.con, self.workdir, self.report, self.max_bytes = con, workdir, report, max_bytes
        self._n = 0

    def read(
        self, name: str, data: bytes, digest: str | None = None, source: OnDisk | None = None
    ) -> list[RawSheet]:
        """Read one file's bytes (``digest``: their SHA-256, when the caller has it); returns
        its sheets (none if the file cannot be used).

        ``source``: the file on disk ``data`` was read from, if the connection may read it
        (``allowed_paths``); a UTF-8 CSV is then parsed there instead of from a copy, as long
        as the file is unchanged from before the read to after the parse (else the copy is)."""
        digest = digest or sha256(data)
        if len(data) > self.max_bytes:
            mb = self.max_bytes / 1_000_000
            self.report.add(
                "error",
                "file_too_large",
                name,
                f"The file is {len(data) / 1_000_000:.1f} MB, over the {mb:g} MB "
                "limit. Split it or export fewer columns.",
            )
            return []
        if not data or data.isspace():  # (isspace stops at the first other byte; strip copies)
            self.report.add("error", "empty_file", name, "The file is empty.")
            return []
        if Path(name).suffix.lower() in EXCEL_SUFFIXES:
            sheets = self._read_excel(name, data, digest)
        else:
            kind = binary_kind(data)
            if kind:
                self.report.add(
                    "error",
                    "not_text",
                    name,
                    f"This is {kind}, not a CSV file. Export the sheet as CSV or XLSX.",
                )
                return []
            sheets = self._read_csv(name, data, digest, source)
        for sheet in sheets:
            self._without_summary_rows(sheet)
        return sheets

    def _without_summary_rows(self, sheet: RawSheet) -> None:
        """A sheet that ends in a total or average row (``Total``, ``Grand total``, ``Average
        progress`` as its first filled cell) loses that row, and up to two more such rows just
        above it, with a note: they sum or average the rows above, they are no objective,
        key result or check-in. Only the last three rows are looked at."""
        if not sheet.columns or not sheet.rows:
            return
        cols = ", ".join(positions(len(sheet.columns)))
        last = self.con.execute(
            f"select _row, {cols} from {sheet.relation} order by _row desc limit 3"
        ).fetchall()
        drop = []
        for _row, *cells in last:
            first = next((c for c in cells if c is not None and str(c).strip()), None)
            if first is None or not _SUMMARY.fullmatch(_normalised(first)):
                break
            drop.append(int(_row))
        if not drop:
            return
        body = f"{sheet.relation}_body"
        self.con.execute(
            f"create or replace view {body} as select * from {sheet.relation} "
            f"where _row not in ({', '.join(map(str, drop))})"
        )
        sheet.relation, sheet.rows = body, sheet.rows - len(drop)
        sheet.skipped.extend((row, SUMMARY_ROW) for row in sorted(drop))
        rows = ", ".join(map(str, sorted(drop)))
        many = len(drop) > 1
        sheet.notes.append(
            f"the summary row{'s' if many else ''} at the bottom (row{'s' if many else ''} {rows}) "
            f"{'are' if many else 'is'} skipped"
        )

    def _relation(self) -> str:
        self._n += 1
        return f"raw_{self._n}"

    def _read_csv(
        self, name: str, data: bytes, digest: str, source: OnDisk | None = None
    ) -> list[RawSheet]:
        text, encoding = decode(data)
        delim = sniff_delimiter(text)
        try:
            header = next(csv.reader(io.StringIO(text[:1_000_000]), delimiter=delim))
        except (StopIteration, csv.Error):
            header = []
        if len(header) > MAX_COLUMNS:
            self.report.add("error", "too_many_columns", name, row=1,
                            message=too_many_columns(len(header)))  # fmt: skip
            return []
        if encoding == MIXED:
            rows = decode_rows(data)[1]
            self.report.add("warning", "mixed_encoding", name, row=rows[0], message=(
                f"{agree(len(rows), 'Row', 'Rows')} {_numbers(rows)} "
                f"{agree(len(rows), 'is', 'are')} not UTF-8 like the rest of the file: "
                f"read as Windows-1252 (é, ü, € …), row by row. Save the file in one encoding."
            ))  # fmt: skip
        whole = text
        if not encoding.startswith("utf-16"):
            text = self._without_long_rows(name, data, text, header, delim)
        skip = self._title_rows(text, delim, header)
        above: list[str] = []
        if skip:  # a sheet saved with a title above its table: read past it
            records = list(
                itertools.islice(csv.reader(io.StringIO(text), delimiter=delim), skip + 1)
            )
            header = records[-1]
            above = [" ".join(c.strip() for c in r if c.strip()) for r in records[:-1]]
        if not any(h.strip() for h in header):
            self.report.add(
                "error",
                "no_header",
                name,
                "The first row is empty: it should hold the column names.",
                row=1,
            )
            return []
        names = unique_names(header)
        self._report_duplicate_headers(name, None, header, skip + 1)
        sheet = RawSheet(name, None, self._relation(), names, 0, digest)
        sheet.unnamed = [n for n, h in zip(names, header, strict=True) if not h.strip()]
        sheet.header_row = skip + 1
        sheet.above = [line for line in above if line]
        if encoding not in ("utf-8",):
            sheet.notes.append(f"read as {encoding}")
        if skip:
            sheet.notes.append(f"header found on row {skip + 1}")
        if skip or text is not whole or _BLANK_LINE.search(text):  # DuckDB skips blank lines
            self._load_csv_python(sheet, text, delim, skip)
            return [sheet]
        try:
            if not (encoding == "utf-8" and self._load_in_place(sheet, source, len(data), delim)):
                path = self.workdir / f"{sheet.relation}.csv"
                if encoding == "utf-8":
                    path.write_bytes(data)
                else:
                    path.write_text(text, encoding="utf-8")
                self._load_csv_duckdb(sheet, path, delim)
        except duckdb.Error:
            self._load_csv_python(sheet, text, delim)
        return [sheet]

    def _without_long_rows(
        self, name: str, data: bytes, text: str, header: list[str], delim: str
    ) -> str:
        """``text`` with each line over ``MAX_ROW_BYTES`` reported (an error naming its row and
        its longest cell's column) and left blank, so no other row moves."""
        found = long_lines(data)
        if not found:
            return text
        lines = text.split("\n")
        for at, size in found:
            cells = lines[at - 1].split(delim)
            widest = max(range(len(cells)), key=lambda i: len(cells[i]))
            column = header[widest].strip() if widest < len(header) else f"column {widest + 1}"
            cell = len(cells[widest].encode("utf-8", errors="replace"))
            self.report.add("error", "row_too_long", name, row=at, column=column, message=(
                f"The row is {size / 1_000_000:.1f} MB long, over the "
                f"{MAX_ROW_BYTES // 1_000_000} MB a row may have (its cell in {column} holds "
                f"{cell / 1_000_000:.1f} MB): nothing of the file is imported. Shorten that cell."
            ))  # fmt: skip
            lines[at - 1] = ""
        return "\n".join(lines)

    @staticmethod
    def _title_rows(text: str, delim: str, header: list[str]) -> int:
        """How many records precede the header (a title, a date, blank lines): none unless the
        first record names no OKR table and a later one of the first 30 does."""
        if _names_a_table([h for h in header if h.strip()]):
            return 0
        try:
            head = list(
                itertools.islice(csv.reader(io.StringIO(text[:1_000_000]), delimiter=delim), 30)
            )
        except csv.Error:
            return 0
        for at, record in enumerate(head):
            names = [c for c in record if c.strip()]
            if at and _names_a_table(names):
                # a title, a date or a blank line above the table, never a row of data
                above = [sum(1 for c in r if c.strip()) for r in head[:at]]
                return at if _sparse_above(above, len(names)) else 0
        return 0

    def _load_in_place(self, sheet: RawSheet, source: OnDisk | None, size: int, delim: str) -> bool:
        """Parse the file where it is (no copy) when it still is what was read and hashed."""
        if source is None or source.identity is None or source.identity.size != size:
            return False
        if _GLOB.search(str(source.path)):  # DuckDB would read the name as a pattern
            return False
        self._load_csv_duckdb(sheet, source.path, delim)
        return file_identity(source.path) == source.identity

    def _load_csv_duckdb(self, sheet: RawSheet, path: Path, delim: str) -> None:
        """Read with DuckDB in parallel pieces; a file it cannot read so (a quoted newline, a
        line over 2 MB) is read again in pieces large enough for lines up to 20 MB."""
        columns = {f"c{i}": "VARCHAR" for i in range(len(sheet.columns))}
        query = (
            f"create or replace table {sheet.relation}_data as select * from read_csv($path, "
            "delim = $delim, quote = '\"', escape = '\"', header = true, auto_detect = false, "
            "columns = $columns, null_padding = true, strict_mode = true{})"
        )
        params = {"path": str(path), "delim": delim, "columns": columns}
        try:
            made = self.con.execute(query.format(""), params)
        except duckdb.Error:
            made = self.con.execute(query.format(", max_line_size = 20000000"), params)
        (sheet.rows,) = made.fetchone() or (0,)  # the rows the create inserted
        # rows are stored in file order (no blank lines here), so the row a person sees in a
        # spreadsheet is rowid + 2 (header = row 1): no window over the whole file needed
        self.con.execute(
            f"create or replace view {sheet.relation} as "
            f"select (rowid + 2)::integer as _row, * from {sheet.relation}_data"
        )

    def _load_csv_python(self, sheet: RawSheet, text: str, delim: str, skip: int = 0) -> None:
        """Tolerant reader for files DuckDB refuses or where blank lines shift row numbers.

        Each record (a blank line too) is one spreadsheet row; bad rows are reported, the
        readable ones kept.
        """
        rows, numbers = [], []
        reader = csv.reader(io.StringIO(text), delimiter=delim, strict=False)
        row = 1 + skip
        records: list[tuple[int, list[str]]] = []
        try:
            for _ in range(skip + 1):
                next(reader)
            for row, record in enumerate(reader, start=skip + 2):
                records.append((row, record))
        except csv.Error as exc:
            self.report.add(
                "error",
                "bad_csv",
                sheet.file,
                row=row + 1,
                message=f"The file cannot be read past this row ({exc}).",
            )
        width = self._widen_unnamed(sheet, records)
        for row, record in records:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > width and not any(cell.strip() for cell in record[width:]):
                record = record[:width]  # a delimiter more on data rows than on the header
            if len(record) > width:
                self.report.add(
                    "error",
                    "ragged_row",
                    sheet.file,
                    row=row,
                    value=delim.join(record[width:]),
                    message=f"The row has {len(record)} cells but the header has {width} "
                    "columns; the extra cells are not read.",
                )
                record = record[:width]
            rows.append(record + [None] * (width - len(record)))
            numbers.append(row)
        if text.count('"') % 2 and rows and any("\n" in (c or "") for c in rows[-1]):
            self.report.add(
                "error",
                "unterminated_quote",
                sheet.file,
                row=numbers[-1],
                message="A quote opened in this row is never closed, so the rest "
                "of the file is read as one cell. Close the quote.",
            )
            rows.pop()
            numbers.pop()
        frame = pd.DataFrame(rows, columns=positions(len(sheet.columns)), dtype="object")
        frame = frame.map(lambda v: None if v is None or str(v).strip() == "" else v)
        frame.insert(0, "_row", pd.Series(numbers, dtype="int32"))
        self._store_frame(sheet, frame)

    @staticmethod
    def _widen_unnamed(sheet: RawSheet, records: list[tuple[int, list[str]]]) -> int:
        """The sheet's width: a header that ends in unnamed columns (an export packing items
        in the cells after its last named column, Viva's check-ins) is widened to its longest
        row, so the cells past it are read as more unnamed columns, not refused."""
        width = len(sheet.columns)
        longest = max((len(r) for _, r in records), default=0)
        if longest <= width or not sheet.columns or sheet.columns[-1] not in sheet.unnamed:
            return width
        header = [("" if c in sheet.unnamed else c) for c in sheet.columns]
        names = unique_names(header + [""] * (longest - width))
        sheet.unnamed = [*sheet.unnamed, *names[width:]]
        sheet.columns = names
        sheet.notes.append(
            f"rows longer than the header: the {longest - width} cells past it are read as "
            "more unnamed columns"
        )
        return longest

    def _store_frame(self, sheet: RawSheet, frame: pd.DataFrame) -> None:
        frame = frame.astype({c: "string" for c in frame.columns if c != "_row"})
        self.con.register("_incoming", frame)
        self.con.execute(f"create or replace table {sheet.relation} as select * from _incoming")
        self.con.unregister("_incoming")
        sheet.rows = len(frame)

    def _read_excel(self, name: str, data: bytes, digest: str) -> list[RawSheet]:
        problem = excel_problem(data, self.max_bytes)
        if problem:
            self.report.add("error", "bad_xlsx", name, problem)
            return []
        try:
            book = pd.read_excel(
                io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="calamine"
            )
        except Exception as exc:  # calamine raises its own error types for broken files
            self.report.add(
                "error",
                "bad_xlsx",
                name,
                f"The workbook cannot be read ({type(exc).__name__}: {exc}).",
            )
            return []
        missing = formulas_without_values(data)
        if missing:
            self.report.add(
                "warning",
                "formula_without_value",
                name,
                f"{count(missing, 'formula cell')} {agree(missing, 'has', 'have')} no saved value"
                f" and {agree(missing, 'reads', 'read')} as empty. "
                "Open the workbook in a spreadsheet program and save it again.",
            )
        shown_as_percent = percent_cells(data)
        sheets, refused = [], False
        for sheet_name, grid in book.items():
            for r, c in shown_as_percent.get(str(sheet_name), ()):
                if r < grid.shape[0] and c < grid.shape[1]:
                    value = grid.iat[r, c]
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        grid.iat[r, c] = _cell_text(round(float(value) * 100, 9)) + "%"
            grid = grid.dropna(how="all")
            if grid.shape[1] > MAX_COLUMNS:  # answered before any row is matched name by name
                grid = grid.dropna(axis=1, how="all")
            if grid.shape[1] > MAX_COLUMNS:
                self.report.add("error", "too_many_columns", name, sheet=str(sheet_name),
                                message=too_many_columns(grid.shape[1], "sheet"))  # fmt: skip
                refused = True
                continue
            at = header_row(grid)
            above = [" ".join(_cell_text(v) for v in row if not pd.isna(v))
                     for row in grid.loc[:at].iloc[:-1].itertuples(False)]  # fmt: skip
            grid = grid.loc[at:].dropna(axis=1, how="all")
            if grid.empty:
                continue
            header_at = grid.index[0]
            header = ["" if pd.isna(v) else _cell_text(v) for v in grid.iloc[0]]
            self._report_duplicate_headers(name, sheet_name, header, int(header_at) + 1)
            names = unique_names(header)
            body = grid.iloc[1:].map(lambda v: None if pd.isna(v) else _cell_text(v))
            body.columns = positions(len(names))
            repeated: list[str] = []
            skipped: list[tuple[int, str]] = []
            if not _reads_own_blocks(names):
                body, repeated, skipped = _without_repeated_headers(body, header)
            body.insert(0, "_row", (body.index.to_numpy() + 1).astype("int32"))
            sheet = RawSheet(name, str(sheet_name), self._relation(), names, 0, digest)
            sheet.header_row = int(header_at) + 1
            sheet.above = above
            if header_at != 0:
                sheet.notes.append(f"header found on row {header_at + 1}")
            sheet.notes.extend(repeated)
            sheet.skipped.extend(skipped)
            self._store_frame(sheet, body.reset_index(drop=True))
            sheets.append(sheet)
        if not sheets and not refused:
            self.report.add("error", "empty_file", name, "The workbook has no data in any sheet.")
        return sheets

    def _report_duplicate_headers(
        self, name: str, sheet: str | None, header: list[str], row: int = 1
    ) -> None:
        seen = set()
        for h in header:
            key = h.strip().lower()
            if key and key in seen:
                self.report.add(
                    "warning",
                    "duplicate_header",
                    name,
                    sheet=sheet,
                    row=row,
                    column=h,
                    value=h,
                    message=f"The column name {h!r} appears more than once; "
                    "only the first is used.",
                )
            seen.add(key)


def header_row(grid: pd.DataFrame, look: int = 30) -> object:
    """The index of the row of a sheet (blank rows dropped) that holds the column names.

    Exports and templates put a title, a date or a logo above the table: the header is the
    first of the first ``look`` rows that names an OKR table's columns or another tool's
    export shape, when every row above it is sparse (a title, a date: at most half its cells;
    a row of data that says Objective, Team, … in its cells is no header); else the first row
    filled at least half as much as the fullest (and in two cells or more); else the first row.
    """
    head = grid.iloc[:look]
    texts = [[_cell_text(v) for v in row if not pd.isna(v)] for row in head.itertuples(False)]
    for k, (at, names) in enumerate(zip(head.index, texts, strict=True)):
        if _names_a_table(names):
            if _sparse_above([len(t) for t in texts[:k]], len(names)):
                return at
            break  # a row of data names OKR words: the header is the fuller row above
    fullest = max((len(names) for names in texts), default=0)
    for at, names in zip(head.index, texts, strict=True):
        if len(names) >= max(2, fullest / 2):
            return at
    return grid.index[0] if len(grid) else 0


def _sparse_above(above: list[int], width: int) -> bool:
    """Whether the rows above a would-be header (their filled cells) are a title, a date or
    blank lines: each fills at most half as many cells as the header."""
    return all(2 * n <= width for n in above)


def _normalised(text: object) -> str:
    from okrdata.columns import normalise

    return normalise(text)


def _names_a_table(names: list[str]) -> bool:
    """Whether a row's texts are the column names of an OKR table or another tool's export."""
    from okrdata import sources

    return (
        len(names) >= 2 and sources.best(sources.Sample("", None, unique_names(names))) is not None
    )


def _reads_own_blocks(names: list[str]) -> bool:
    """Whether the shape a header names sets aside its own repeated headers and block titles
    (a monday.com board: each group's title and header, read by the adapter)."""
    from okrdata import sources

    match = sources.best(sources.Sample("", None, names))
    return match is not None and match.adapter.own_blocks


def _without_repeated_headers(
    body: pd.DataFrame, header: list[str]
) -> tuple[pd.DataFrame, list[str], list[tuple[int, str]]]:
    """A sheet laid out in blocks (one per team, say) repeats its header above each block,
    often under the block's title (a row with one cell): both are skipped, with a note each.

    A row repeats the header when at least half of the header's named cells, and two or
    more, are there again (any case)."""
    named = [(c, h.strip().lower()) for c, h in zip(body.columns, header, strict=True) if h.strip()]
    if len(named) < 2 or body.empty:
        return body, [], []
    same = sum(body[c].str.strip().str.lower().eq(h).fillna(False) for c, h in named)
    repeats = body.index[same >= max(2, len(named) / 2)]
    if not len(repeats):
        return body, [], []
    filled = body.notna().sum(axis=1)
    notes, drop, skipped = [], [], []
    for at in repeats:
        pos = body.index.get_loc(at)
        title = body.index[pos - 1] if pos > 0 and filled.iloc[pos - 1] == 1 else None
        drop.extend([at] if title is None else [title, at])
        if title is not None:
            skipped.append((int(title) + 1, BLOCK_TITLE))
        skipped.append((int(at) + 1, REPEATED_HEADER))
        with_title = " (with a title above)" if title is not None else ""
        notes.append(f"the header repeated on row {at + 1}{with_title} is skipped")
    return body.drop(index=drop), notes, skipped


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a person sees (dates ISO, whole numbers without '.0')."""
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
