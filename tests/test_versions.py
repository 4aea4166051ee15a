"""The app's cache keys: the data version keys (``okrdata.versions``) and the filters as a key
(``views.Filters.key``), on the sample as imported into a store."""

from __future__ import annotations

from pathlib import Path

from okrdata import versions, views
from okrdata.config import Config
from okrdata.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def test_a_store_key_names_the_stores_data_version_and_no_other_key_does(tmp_path):
    store = Store(tmp_path / "okr.duckdb")
    try:
        store.import_files([SAMPLE])
        key = versions.store_key(store.data_version())
        assert versions.store_version(key) == store.data_version()
    finally:
        store.close()
    assert not versions.is_session(key)
    session = versions.session_key("3f2a9c")
    assert versions.is_session(session)
    assert versions.store_version(session) is None
    assert versions.store_version(versions.SAMPLE) is None
    assert not versions.is_session(versions.SAMPLE)
    assert len({key, session, versions.SAMPLE}) == 3


def test_the_filters_key_holds_the_as_of_date_as_text_and_none_for_the_default(tmp_path):
    store = Store(tmp_path / "okr.duckdb")
    try:
        store.import_files([SAMPLE])
        opts = views.options(store.dataset(), Config())
    finally:
        store.close()
    team = opts.teams[opts.departments[0]][0]
    chosen = views.Filters(opts.default_quarter, opts.departments[0], team, opts.default_as_of)
    assert chosen.key() == (
        opts.default_quarter,
        opts.departments[0],
        team,
        opts.default_as_of.isoformat(),
    )
    assert views.Filters(opts.default_quarter).key() == (opts.default_quarter, None, None, None)
