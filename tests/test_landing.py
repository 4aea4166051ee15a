"""The landing page computed ahead (``okrdata.landing``): after an import the first Overview
reads the objects kept beside the store, the same as computing them, without loading the data."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from builders import SAMPLE as _SAMPLE
from builders import copy_store
from streamlit.testing.v1 import AppTest

from okrdata import landing, precomputed, versions, views
from okrdata.cli import main
from okrdata.config import Config
from okrdata.ingest import load_dir
from okrdata.store import Store

SAMPLE = _SAMPLE.resolve()  # the tests run in their own folder
APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def imported_once(tmp_path_factory) -> Path:
    """The sample imported once through the command line, computing the landing objects ahead
    before it exits (``OKR_WARM=inline``)."""
    db = tmp_path_factory.mktemp("imported") / "okr.duckdb"
    with pytest.MonkeyPatch.context() as m, contextlib.redirect_stdout(io.StringIO()):
        m.setenv("OKR_WARM", "inline")
        assert main(["import", str(SAMPLE), "--db", str(db)]) == 0
    return db


@pytest.fixture
def imported(imported_once):
    """Import the sample into the store ``db`` (with what it keeps ahead): a copy of
    ``imported_once``, as if imported there."""

    def into(db: Path) -> None:
        assert copy_store(imported_once, db.parent) == db

    return into


def _computed(db: Path) -> dict[str, object]:
    """The landing objects as the app computes them, from the data in force."""
    ds, config = Store(db).dataset(), Config()
    opts = views.options(ds, config)
    b = views.base(ds, opts.default_quarter, opts.default_as_of, config)
    f = views.Filters(b.quarter, None, None, b.as_of)
    prev = views.base(ds, b.quarter, views.week_before(b), config)
    return {"options": opts, "overview": views.overview(b, f), "changes": views.changes(b, prev, f),
            "earlier": views.earlier(prev)}  # fmt: skip


def _kept(db: Path) -> dict[str, object]:
    """The landing objects kept for the store file as it is now (None where there is none)."""
    store, config = Store(db), Config()
    version = store.data_version()
    opts = landing.read(db, landing.request("options", config), version)
    out: dict[str, object] = {"options": opts}
    for name in ("overview", "changes"):
        ask = landing.default_request(name, config, opts) if opts else "none"
        out[name] = landing.read(db, ask, version)
    week = landing.week_before(opts) if opts else None
    ask = landing.request("earlier", config, opts.default_quarter, None, None, week) if opts else ""
    out["earlier"] = landing.read(db, ask, version)
    return out


def assert_same(kept: object, computed: object) -> None:
    """Two view models field by field: frames compared as frames."""
    assert type(kept) is type(computed)
    for field in dataclasses.fields(kept):  # type: ignore[arg-type]
        a, b = getattr(kept, field.name), getattr(computed, field.name)
        if isinstance(b, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b)
        elif isinstance(b, float) and pd.isna(b):
            assert pd.isna(a), field.name
        else:
            assert a == b, field.name


def _refuse(*names: str):
    def refuse(*args, **kwargs):
        raise AssertionError(f"{names} was called")

    return refuse


def _overview() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Overview"
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_after_an_import_the_landing_objects_are_kept_as_computing_gives(tmp_path, imported):
    db = tmp_path / "okr.duckdb"
    imported(db)
    kept, computed = _kept(db), _computed(db)
    assert kept["options"] == computed["options"]
    for name in ("overview", "changes", "earlier"):
        assert kept[name] is not None, name
        assert_same(kept[name], computed[name])
    assert len(computed["changes"].moved)  # type: ignore[attr-defined]


def test_the_first_overview_reads_the_kept_objects_without_loading_the_data(
    store_path, monkeypatch, imported
):
    imported(store_path)
    kept = _kept(store_path)
    monkeypatch.setattr(Store, "dataset", _refuse("Store.dataset"))
    monkeypatch.setattr(views, "base", _refuse("views.base"))
    at = _overview()
    shown = _metrics(at)
    for name in ("overview", "changes"):
        for label, value in kept[name].headline.items():  # type: ignore[attr-defined]
            assert shown[label] == value
    assert "Showing the imported data." in [c.value for c in at.sidebar.caption]


def test_the_signals_page_reads_the_week_before_kept_by_the_import(
    store_path, monkeypatch, imported
):
    # the week before the default date is what the coaches' "new since" compares with: the
    # import keeps it, so the first Signals page builds no second snapshot (its memory peak)
    imported(store_path)
    monkeypatch.setattr(views, "earlier", _refuse("views.earlier"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/signals.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Signals"


@pytest.mark.slow  # an import and three AppTest runs
def test_the_app_keeps_a_landing_object_it_had_to_compute(store_path, monkeypatch, imported):
    imported(store_path)
    shutil.rmtree(precomputed.folder(store_path))  # e.g. the first visitor of a new day
    _overview()
    kept, computed = _kept(store_path), _computed(store_path)
    assert kept["options"] == computed["options"]
    for name in ("overview", "changes"):
        assert_same(kept[name], computed[name])
    st.cache_resource.clear()  # another process: it reads what this one kept
    st.cache_data.clear()
    monkeypatch.setattr(Store, "dataset", _refuse("Store.dataset"))
    _overview()


@pytest.mark.slow  # two imports and two AppTest runs
def test_objects_kept_for_an_earlier_store_file_are_never_used(
    store_path, q4_retitled, monkeypatch, imported
):
    imported(store_path)
    before = Store(store_path).data_version()
    old = {p.name: p.read_bytes() for p in precomputed.folder(store_path).glob("*/*.pkl")}
    assert len(old) == len(landing.NAMES)
    store = Store(store_path)  # an import that did not warm (another tool, or it was cut short)
    store.import_files([q4_retitled], scope="teams")
    assert store.data_version() == before + 1
    assert all(v is None for v in _kept(store_path).values())
    here = precomputed.folder(store_path) / str(precomputed.file_id(store_path))
    here.mkdir(parents=True)
    for name, data in old.items():  # the same requests, computed from the earlier data
        (here / name).write_bytes(data)
    assert all(v is None for v in _kept(store_path).values())
    at = _overview()
    computed = _computed(store_path)
    shown = _metrics(at)
    for label, value in computed["overview"].headline.items():  # type: ignore[attr-defined]
        assert shown[label] == value
    for name in ("overview", "changes"):
        assert_same(_kept(store_path)[name], computed[name])


def test_the_sample_never_reads_nor_keeps_landing_objects(store_path, monkeypatch):
    monkeypatch.setattr(landing, "read", _refuse("landing.read"))
    monkeypatch.setattr(landing, "write", _refuse("landing.write"))
    at = _overview()
    assert "sample data" in at.info[0].value
    assert not precomputed.folder(store_path).exists()


@pytest.mark.slow  # an AppTest run on a session's upload
def test_a_sessions_upload_never_reads_nor_keeps_landing_objects(store_path, monkeypatch, imported):
    imported(store_path)  # the store has data and kept objects: the session's data wins
    monkeypatch.setattr(landing, "read", _refuse("landing.read"))
    monkeypatch.setattr(landing, "write", _refuse("landing.write"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["session_data"] = ("uploaded", load_dir(SAMPLE).dataset)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Showing files uploaded in this session (not imported)." in [
        c.value for c in at.sidebar.caption
    ]


@pytest.mark.slow  # an import and an AppTest run
def test_a_folder_that_cannot_be_written_only_means_computing(store_path, imported):
    imported(store_path)
    shutil.rmtree(precomputed.folder(store_path))
    precomputed.folder(store_path).write_text("not a folder")
    at = _overview()
    assert _metrics(at)["Objectives"] == _computed(store_path)["overview"].headline["Objectives"]  # type: ignore[attr-defined]


def test_only_a_store_data_version_reads_or_keeps_a_landing_object(tmp_path, imported):
    db = tmp_path / "okr.duckdb"
    imported(db)
    shutil.rmtree(precomputed.folder(db))
    store, config = Store(db), Config()
    opts = views.options(store.dataset(), config)
    for key in (versions.SAMPLE, versions.session_key("uploaded")):
        number = versions.store_version(key)
        got = landing.read_or_compute(store, number, "options", config, lambda: opts, lambda: opts)
        assert got is opts
    number = store.data_version()
    assert (
        landing.read_or_compute(None, number, "options", config, lambda: opts, lambda: opts) is opts
    )
    assert not precomputed.folder(db).exists()  # computed, and kept nowhere
    number = versions.store_version(versions.store_key(store.data_version()))
    landing.read_or_compute(store, number, "options", config, lambda: opts, lambda: opts)
    assert _kept(db)["options"] == opts


def test_a_kept_object_is_keyed_by_its_filters_settings_and_day(monkeypatch):
    config = Config()
    ask = landing.request("overview", config, "2026-Q4", None, None, "2026-11-23T00:00:00")
    assert ask == landing.request("overview", config, "2026-Q4", None, None, "2026-11-23")
    assert ask != landing.request("overview", config, "2026-Q4", "Sales", None, "2026-11-23")
    assert ask != landing.request("changes", config, "2026-Q4", None, None, "2026-11-23")
    assert ask != landing.request(
        "overview", dataclasses.replace(config, committed_target=0.9), "2026-Q4", None, None,
        "2026-11-23",
    )  # fmt: skip

    class Tomorrow(landing.date):  # type: ignore[name-defined]
        @classmethod
        def today(cls):
            return landing.date(2099, 1, 1)

    monkeypatch.setattr(landing, "date", Tomorrow)
    assert ask != landing.request("overview", config, "2026-Q4", None, None, "2026-11-23")


def test_the_warm_command_keeps_the_days_landing_objects(tmp_path, capsys, imported):
    db = tmp_path / "okr.duckdb"
    imported(db)
    shutil.rmtree(precomputed.folder(db))  # a new day: yesterday's objects are of no use
    assert main(["warm", "--db", str(db)]) == 0
    assert "Kept today's first page" in capsys.readouterr().out
    kept = _kept(db)
    assert all(v is not None for v in kept.values())
    assert precomputed.read(db, precomputed.request(None, None, Config(), "csv", new=False))


def test_a_new_store_version_drops_the_data_held_for_the_earlier_one(
    store_path, q4_retitled, imported
):
    import gc
    import weakref

    from pages import cache

    imported(store_path)
    first, _ = cache.current_version()
    ds = cache.dataset(first)
    b = cache.base_of(first, cache.options(first).default_quarter, None)
    held = weakref.ref(ds)
    assert b.ds is ds
    Store(store_path).import_files([q4_retitled], scope="teams")
    assert cache.current_version()[0] != first
    del ds, b
    gc.collect()
    assert held() is None  # neither the Dataset nor a Base of the earlier version keeps it


def test_a_view_compares_the_same_with_the_week_before_or_what_is_kept_of_it(tmp_path):
    from builders import AS_OF, Q, company

    from okrdata import triage

    ds = company().dataset()
    b = views.base(ds, Q, AS_OF)
    prev = views.base(ds, Q, views.week_before(b))
    f = views.Filters(Q, None, None, b.as_of)
    assert_same(views.changes(b, views.earlier(prev), f), views.changes(b, prev, f))
    actions = triage.Triage(tmp_path / triage.FILE_NAME).current()
    assert_same(
        views.triage_view(b, views.earlier(prev), f, actions, show_hidden=True),
        views.triage_view(b, prev, f, actions, show_hidden=True),
    )


def test_kept_files_are_readable_as_the_umask_allows(tmp_path):
    import os

    store = tmp_path / "okr.duckdb"
    store.write_bytes(b"published")
    assert landing.write(store, "ask", ["kept"], precomputed.file_id(store), version=1)
    old = os.umask(0o022)
    os.umask(old)
    kept = next(precomputed.folder(store).glob("*/ask.pkl"))
    assert kept.stat().st_mode & 0o777 == 0o666 & ~old  # other users' replicas read it
    assert not list(precomputed.folder(store).glob("*/*.tmp"))


def test_the_code_fingerprint_reads_every_module_of_okrdata_in_its_subpackages_too(monkeypatch):
    read: list[Path] = []
    real = Path.read_bytes

    def spy(self):
        read.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    landing.code_id.cache_clear()
    try:
        landing.code_id()
    finally:
        landing.code_id.cache_clear()
    here = Path(landing.__file__).resolve().parent
    names = {p.relative_to(here).as_posix() for p in read}
    assert {"sources/viva.py", "landing.py", "sql/store_schema.sql"} <= names
    assert names == {
        p.relative_to(here).as_posix() for p in [*here.rglob("*.py"), *here.glob("sql/*.sql")]
    }
