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


@pytest.mark.slow
def test_five_megabyte_single_line_is_refused_quickly(tmp_path):
    path = tmp_path / "one_line.csv"
    path.write_text("x" * 5_000_000, encoding="utf-8")
    result = ingest.load([path])
    assert [i.code for i in result.report.errors] == ["unrecognised_table", "no_okrs"]


@pytest.mark.slow
def test_ten_thousand_columns_are_reported_not_fatal(tmp_path):
    extra = [f"extra_{i}" for i in range(9_992)]
    path = tmp_path / "wide.csv"
    row = "O-1,Grow,2026-Q3,Sales,KR-1,ARR,0,100"
    path.write_text(",".join([HEADER, *extra]) + "\n" + row + "," * len(extra) + "\n")
    result = ingest.load([path])
    assert result.report.ok
    assert [(i.code, i.message) for i in result.report.warnings] == [
        (
            "unknown_columns",
            "9,992 columns are not part of the okrs table; they are kept aside and not used: "
            + ", ".join(f"extra_{i}" for i in range(20))
            + ", … and 9972 more.",
        )
    ]
    assert result.dataset.key_results["target_value"].tolist() == [100.0]


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
@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
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
@settings(max_examples=40, deadline=5000)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".tsv"]))
def test_random_bytes_always_get_a_report(data, suffix):
    result = ingest.load([("fuzz" + suffix, data)])
    assert result.report.issues  # nothing usable in random bytes: at least "no okrs"
    assert_every_row_accounted(result, "fuzz" + suffix, data)
