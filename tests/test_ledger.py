"""The import ledger (``okrdata.ledger``): every row, packed item and column of an import is
accounted for, per file and sheet; counts in every summary are of distinct objectives and key
results; the command line and the store carry the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

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


# the Data page ----------------------------------------------------------------------------


@pytest.mark.slow  # AppTest
def test_the_data_page_says_what_was_read_after_validation_and_after_import(store_path):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at = at.switch_page("pages/data.py").run()
    at.file_uploader[0].upload(VIVA.name, VIVA.read_bytes(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    panel = next(e for e in at.expander if e.label == f"What was read: {VIVA.name}")
    text = " ".join(m.value for m in panel.markdown)
    assert "7 rows read: 5 imported, 2 kept aside (2 kept as work: rows 7–8)" in text
    assert "columns not used: Description, Created By, Created At, Last Check" in text
    next(b for b in at.button if b.label == "Import into the store").click().run()
    assert any(s.value.startswith("Imported batch 1 (2 objectives") for s in at.success)
    labels = [e.label for e in at.expander]
    assert labels.count(f"What was read: {VIVA.name}") == 2  # the batch's, and the upload's
