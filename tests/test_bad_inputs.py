"""Bad input never crashes: every file of the corpus gets exactly the report it must produce.

The corpus is ``tests/fixtures/bad/`` (written by its ``make_corpus.py``), the expected reports
are in its ``expected.json``. Huge cases are built here so the repository stays small.
"""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdata import ingest
from okrdata.config import Config
from okrdata.readers import long_lines

BAD = Path(__file__).parent / "fixtures" / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
HEADER = "objective_id,objective,quarter,team,kr_id,key_result,start_value,target_value"


def issues_of(result: ingest.LoadResult) -> list[list]:
    return [[i.severity, i.code, i.row, i.message] for i in result.report.sorted()]


def test_corpus_has_at_least_30_files():
    assert len(EXPECTED) >= 30
    on_disk = {p.name for p in BAD.iterdir() if p.suffix in (".csv", ".xlsx")} - {"base_okrs.csv"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gets_its_report(name):
    spec = EXPECTED[name]
    inputs = [BAD / name, *(BAD / w for w in spec.get("with", []))]
    assert issues_of(ingest.load(inputs)) == spec["issues"]


def test_text_is_kept_verbatim_never_interpreted():
    ds = ingest.load([BAD / "html_titles.csv"]).dataset
    assert ds.objectives["objective"].tolist() == [
        "<script>alert(1)</script>",
        "![img](http://example.com/x.png)",
    ]
    ds = ingest.load([BAD / "emoji_rtl.csv"]).dataset
    assert ds.objectives["team"].tolist() == ["فريق 🌍"]


def test_rows_in_two_encodings_are_read_right_row_by_row():
    """Rows appended in Latin-1 to a UTF-8 file: each row reads as it was written, one team."""
    ds = ingest.load([BAD / "mixed_encodings.csv"]).dataset
    assert ds.objectives["objective"].tolist() == ["Café growth", "Café growth", "Crème"]
    assert ds.objectives["team"].unique().tolist() == ["Équipe Café"]
    assert ds.key_results["key_result"].tolist() == ["Rôle clair", "Thé au menu", "Qualité"]


@pytest.mark.slow
def test_five_megabyte_single_line_is_refused_quickly(tmp_path):
    path = tmp_path / "one_line.csv"
    path.write_text("x" * 5_000_000, encoding="utf-8")
    result = ingest.load([path])
    assert [i.code for i in result.report.errors] == ["unrecognised_table", "no_okrs"]


@pytest.mark.slow
def test_a_thousand_columns_are_read_with_the_unknown_ones_reported(tmp_path):
    extra = [f"extra_{i}" for i in range(992)]
    path = tmp_path / "wide.csv"
    row = "O-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100"
    path.write_text(",".join([HEADER, *extra]) + "\n" + row + "," * len(extra) + "\n")
    result = ingest.load([path])
    assert result.report.ok
    assert [(i.code, i.message) for i in result.report.warnings] == [
        (
            "unknown_columns",
            "992 columns are not part of the okrs table; they are kept aside and not used: "
            + ", ".join(f"extra_{i}" for i in range(20))
            + ", … and 972 more.",
        )
    ]
    assert result.dataset.key_results["target_value"].tolist() == [100.0]


def too_many(n: int) -> str:
    return (f"The file has {n:,} columns; OKR Pulse reads at most 1,000, and no OKR table has "
            "that many: it is not an OKR table. Export the table of objectives and key results "
            "(or check-ins) on its own.")  # fmt: skip


@pytest.mark.slow  # 10,000 and 20,000 columns made on the fly
@pytest.mark.parametrize("n", [10_000, 20_000])
@pytest.mark.parametrize("okr_header", [False, True], ids=["no okr names", "okr names first"])
def test_ten_and_twenty_thousand_columns_are_no_okr_table_answered_in_seconds(
    tmp_path, n, okr_header
):
    import time

    names = (HEADER.split(",") if okr_header else []) + [f"col_{i}" for i in range(n)]
    names = names[:n]
    path = tmp_path / "wide.csv"
    rows = [",".join(str(r * i) for i in range(n)) for r in range(5)]
    path.write_text("\n".join([",".join(names), *rows]) + "\n")
    start = time.monotonic()
    result = ingest.load([path])
    took = time.monotonic() - start
    assert issues_of(result) == [
        ["error", "no_okrs", None, "No file holds the okrs table (objective_id, objective, "
         "quarter, team, …): it is the one table every import needs."],
        ["error", "too_many_columns", 1, too_many(n)],
    ]  # fmt: skip
    assert took < 10, f"{n:,} columns took {took:.1f} s"


ROW_LIMIT_MB = 20


@pytest.mark.slow  # 21 MB and 50 MB rows made on the fly
@pytest.mark.parametrize("mb", [21, 50])
def test_a_row_over_the_limit_is_an_error_naming_its_row_and_column(tmp_path, mb):
    path = tmp_path / "long_row.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER + "\n" + "O-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100\n")
        fh.write("O-2,Hire,2026-Q3,People,KR-2," + "x" * (mb * 1_000_000) + ",0,5\n")
        fh.write("O-3,Keep,2026-Q3,People,KR-3,Retention,0,5\n")
    result = ingest.load([path])
    assert [[i.severity, i.code, i.row, i.column, i.message] for i in result.report.errors] == [
        ["error", "row_too_long", 3, "key_result",
         f"The row is {mb + 0.0:.1f} MB long, over the {ROW_LIMIT_MB} MB a row may have (its "
         f"cell in key_result holds {mb + 0.0:.1f} MB): nothing of the file is imported. "
         "Shorten that cell."],
    ]  # fmt: skip


@given(st.lists(st.integers(0, 12), max_size=30), st.integers(0, 8), st.booleans())
@settings(max_examples=300, deadline=None)
def test_long_lines_finds_exactly_the_lines_over_the_limit(lengths, limit, final_newline):
    """``long_lines`` jumps from newline to newline a limit apart: it names the same lines, with
    the same sizes, as splitting every line and measuring it."""
    data = b"\n".join(b"x" * n for n in lengths) + (b"\n" if final_newline else b"")
    split = [(at, len(line)) for at, line in enumerate(data.split(b"\n"), start=1)
             if len(line) > limit]  # fmt: skip
    assert long_lines(data, limit) == (split if len(data) > limit else [])


def test_file_over_upload_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + "O-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100\n" * 40_000)
    result = ingest.load([path], config=Config(max_upload_mb=1))
    assert issues_of(result)[0][:2] == ["error", "file_too_large"]
    assert result.dataset.is_empty


# --- properties: whatever the bytes, a report comes back and every row is accounted for ------


def assert_every_row_accounted(result: ingest.LoadResult, name: str, data: bytes) -> None:
    """The import ledger balances for each file and sheet read (rows read = imported + kept
    aside + refused, none unaccounted), and every row it names is one the file can hold."""
    assert [i for i in result.report.issues if i.code == "unaccounted_rows"] == []
    breaks = data.count(b"\n") + data.count(b"\r")  # at most one row per line, in any encoding
    for entry in result.ledger.entries:
        assert entry.file == name
        assert entry.balanced, entry
        assert entry.read == entry.imported + entry.kept_aside + len(entry.refused)
        named = [*entry.refused, *(r for rows in entry.aside.values() for r in rows)]
        assert len(set(named)) == len(named), entry  # each row counted once
        if name.endswith((".csv", ".tsv")):  # header = row 1, data rows after it
            assert all(2 <= r <= breaks + 2 for r in named), (entry, breaks)
    if not result.ledger.entries:  # nothing read: the report says why, about the file itself
        assert result.report.errors


cells = st.text(alphabet=string.printable + "éß€🚀\u202e\x00", max_size=12)
rows = st.lists(st.lists(cells, min_size=0, max_size=10), max_size=8)
delimiters = st.sampled_from([",", ";", "\t", "|"])


@pytest.mark.slow  # a fuzzing loop: `make test` runs it, `make check` does not
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=rows,
    delim=delimiters,
    header=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_malformed_csv_always_gets_a_report(rows, delim, header, encoding):
    lines = ([HEADER.replace(",", delim)] if header else []) + [delim.join(r) for r in rows]
    data = "\n".join(lines).encode(encoding, errors="replace")
    result = ingest.load([("fuzz.csv", data)])
    assert result.report.issues or not result.dataset.is_empty  # nothing loaded: it says why
    for issue in result.report.issues:
        assert issue.severity in ("error", "warning") and issue.message
    assert_every_row_accounted(result, "fuzz.csv", data)


@pytest.mark.slow  # a fuzzing loop: `make test` runs it, `make check` does not
@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".tsv"]))
def test_random_bytes_always_get_a_report(data, suffix):
    result = ingest.load([("fuzz" + suffix, data)])
    assert result.report.issues  # nothing usable in random bytes: at least "no okrs"
    assert_every_row_accounted(result, "fuzz" + suffix, data)


@pytest.mark.slow  # a 10,000-column workbook made on the fly
def test_a_ten_thousand_column_sheet_is_no_okr_table_answered_in_seconds(tmp_path):
    import time

    import xlsxwriter

    path = tmp_path / "wide.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Wide")
    sheet.write_row(0, 0, [f"col_{i}" for i in range(10_000)])
    for r in range(1, 4):
        sheet.write_row(r, 0, [r * i for i in range(10_000)])
    book.close()
    start = time.monotonic()
    result = ingest.load([path])
    took = time.monotonic() - start
    assert [[i.severity, i.code, i.sheet, i.message] for i in result.report.sorted()] == [
        ["error", "no_okrs", None, "No file holds the okrs table (objective_id, objective, "
         "quarter, team, …): it is the one table every import needs."],
        ["error", "too_many_columns", "Wide", "The sheet has 10,000 columns; OKR Pulse reads at "
         "most 1,000, and no OKR table has that many: it is not an OKR table. Export the table "
         "of objectives and key results (or check-ins) on its own."],
    ]  # fmt: skip
    assert took < 120, f"took {took:.1f} s"  # a guard against a hang, not a speed target
