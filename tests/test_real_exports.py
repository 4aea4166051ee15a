"""Real exports written by other tools, imported as found, give the counts a correct import
gives (``../shared/real-exports/expected.json``: ``[low, high]``, ``high`` may be open).

The folder holds other people's files and is not part of the repository: where it is absent
these tests skip, saying so. Fixtures of our own reproduce each shape and run everywhere
(``tests/fixtures/sources``, see ``test_sources.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from okrdata.ingest import load

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-exports"
EXPECTED = json.loads((REAL / "expected.json").read_text()) if REAL.is_dir() else {}

pytestmark = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"no real exports at {REAL} (kept outside the repository)"
)


def counts(case: str) -> dict[str, int]:
    """Distinct objectives and key results (an annual objective shown in four quarters is
    one), check-ins, and errors, of an import of the case's folder as found."""
    result = load([REAL / case])
    ds = result.dataset
    base = lambda s: s.str.replace(r"@.*$", "", regex=True)  # noqa: E731
    objectives = base(ds.objectives["objective_id"]).nunique()
    key_results = base(ds.key_results["kr_id"]).nunique()
    return {
        "objectives": objectives,
        "key_results": key_results,
        "items": objectives + key_results,
        "checkins": len(
            ds.checkins.assign(kr_id=base(ds.checkins["kr_id"])).drop_duplicates(
                ["kr_id", "date", "value", "status", "comment"]
            )
        ),
        "errors": len(result.report.errors),
    }


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_real_export_imports_as_found(case):
    got = counts(case)
    assert got["errors"] == 0, load([REAL / case]).report.to_text()
    for what, (low, high) in EXPECTED[case].items():
        assert got[what] >= low, (what, got)
        assert high is None or got[what] <= high, (what, got)


def test_the_viva_exports_packed_check_ins_are_each_placed():
    """Viva's 78 check-ins, packed one per cell: 31 on key results, 44 on deliverables (kept
    as work), 3 on objectives (kept aside), the counts the issue names."""
    (entry,) = load([REAL / "viva"]).ledger.entries
    assert entry.packed == {"check-ins": {"read": 78, "on key results": 31,
                                          "on work items (kept as work)": 44,
                                          "on objectives (kept aside)": 3}}  # fmt: skip
