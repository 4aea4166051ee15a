"""The import ledger (``okrdata.ledger``): every row, packed item and column of an import is
accounted for, per file and sheet; counts in every summary are of distinct objectives and key
results; the command line and the store carry the ledger."""

from __future__ import annotations

from pathlib import Path

from okrdata.ingest import load
from okrdata.scope import preview
from okrdata.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
VIVA = FIXTURES / "formats" / "viva_goals_export.csv"  # one annual objective in four quarters


# distinct counts --------------------------------------------------------------------------


def test_an_annual_objective_is_one_objective_in_the_import_summary_and_history(tmp_path):
    store = Store(tmp_path / "okr.duckdb")
    try:
        result, outcome = store.import_files([VIVA])
        assert len(result.dataset.objectives) == 5  # shown in four quarters, plus one
        assert outcome.message.startswith("Imported batch 1 (2 objectives, 3 key results"), (
            outcome.message
        )
        history = store.history()
        assert history.loc[0, "rows_objectives"] == 2
        assert history.loc[0, "rows_key_results"] == 3
    finally:
        store.close()


def test_distinct_counts_strip_the_quarter_of_a_copy():
    from okrdata.model import distinct_counts

    ds = load([VIVA]).dataset
    assert distinct_counts(ds) == {
        "objectives": 2, "key_results": 3, "checkins": 4, "dependencies": 0, "teams": 0,
    }  # fmt: skip


def test_the_import_preview_counts_an_annual_objective_once():
    ds = load([VIVA]).dataset
    empty = ds.__class__(**{t: f.iloc[0:0] for t, f in ds.tables().items()})
    assert preview(empty, ds).sentence.startswith("This import changes: 2 objectives added, 3 key")
