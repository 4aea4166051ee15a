"""Fixtures shared by several test modules: an empty store for the app, the sample, a second import."""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import sys
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import local_script_runner

from okrdata import archive, ingest, views
from okrdata.config import Config
from okrdata.ingest import LoadResult, load_dir
from okrdata.store import Store
from pages import source

SAMPLE = Path("sample_data")
SLOW_LIST = Path(__file__).with_name("slow_tests.txt")


# Seconds of CPU each module took (7 Dec, night, 2 workers; its own process and the processes
# it started and waited for; test_scale with the 2,000-team company it builds in a clean
# clone), the ones of 5 s or more; the browser modules' are seconds of wall time (7 Dec, late
# night, the browser part on 2 workers; the load test's, in 2 sessions now, estimated: their
# order is what counts). `make` hands modules to the workers longest first (with
# `--no-loadscope-reorder`: pytest-xdist's own order is the most tests first), so a run does
# not end on one worker finishing a long module while the other waits. Other modules follow
# in collection order. Measure again with `pytest --durations=0` and add up by module (CPU
# time, unlike wall time, does not grow with what else the machine runs).
SECONDS = {
    "test_ingest": 36, "test_ledger": 35, "test_app": 35, "test_scale": 30,
    "test_consistency": 25, "test_app_data": 22, "test_bad_inputs": 21, "test_one_truth": 19,
    "test_replicas": 18, "test_triage_concurrency": 15, "test_store": 15, "test_faults": 15,
    "test_small_import": 13, "test_landing": 12, "test_triage": 12, "test_crash": 9,
    "test_annual": 8, "test_bench": 7, "test_sources_viva": 7, "test_signals": 6,
    "test_triage_app": 6, "test_sources_variants": 6, "test_precomputed": 5, "test_scope": 5,
    "test_cli": 5, "test_macros": 5, "test_sources_database": 5,
    "browser/test_pages": 78, "browser/test_journeys": 33, "browser/test_load": 30,
    "browser/test_coach_scale": 25, "browser/test_a11y": 19, "browser/test_analyst": 19,
    "browser/test_real_exports": 17, "browser/test_import": 14, "browser/test_clipping": 13,
    "browser/test_coach_triage": 13, "browser/test_leader": 11, "browser/test_first_visit": 8,
    "browser/test_screens": 7,
}  # fmt: skip


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``slow`` the tests ``slow_tests.txt`` lists (measured, see its header): ``make
    check`` leaves them out, ``make test`` runs them. Refuse a browser test outside
    tests/browser. Then the longest modules first."""
    lines = SLOW_LIST.read_text(encoding="utf-8").splitlines()
    listed = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    for item in items:
        if item.nodeid in listed:
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("browser") and not item.nodeid.startswith("tests/browser/"):
            # `make test` runs the browser tests from tests/browser alone
            raise pytest.UsageError(f"{item.nodeid} is marked browser: move it to tests/browser")
    items.sort(key=lambda item: -SECONDS.get(module_of(item), 0))  # stable: tests keep order


def pytest_collection_finish(session: pytest.Session) -> None:
    """Leave what collection imported (pandas, Streamlit, hypothesis, every module: about a
    million objects) out of the garbage collector's scans, and collect young objects every
    100,000 allocations instead of 700: the collector took 2.7 s of 81 in test_app and
    test_ingest, 0.6 s so."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def module_of(item: pytest.Item) -> str:
    """``test_ingest``, ``browser/test_pages``: a test's module as ``SECONDS`` names it."""
    path = item.nodeid.split("::")[0].removeprefix("tests/")
    return path.removesuffix(".py")


_READ: dict[tuple[Path, str], LoadResult] = {}


def read_once(folder: str | Path, config: Config | None = None) -> LoadResult:
    """``load_dir`` of a folder that never changes (the bundled sample), read once per test
    process and settings. The app holds the Dataset it reads through ``st.cache_resource``,
    shared and never changed by a page; every AppTest starts with empty caches (a store's data
    version numbers repeat from test to test), so without this each would read the sample again.
    """
    key = (Path(folder).resolve(), repr(config))
    if key not in _READ:
        _READ[key] = load_dir(folder, config=config)
    return _READ[key]


_BASES: dict[tuple, views.Base] = {}
_base = views.base


def base_once(
    ds: object,
    quarter: str | None,
    as_of: pd.Timestamp | None,
    config: Config = Config(),
    today: pd.Timestamp | None = None,
) -> views.Base:
    """``views.base``, computed once per test process for a Dataset ``read_once`` read (the
    app holds Bases through ``st.cache_resource`` too, shared and never changed); any other
    Dataset's is computed each time."""
    if not any(ds is r.dataset for r in _READ.values()):
        return _base(ds, quarter, as_of, config, today)
    key = (id(ds), quarter, as_of, repr(config), today)
    if key not in _BASES:
        _BASES[key] = _base(ds, quarter, as_of, config, today)
    return _BASES[key]


# Loads memoized per test process: the same files (paths and bytes), settings, overrides and
# memory cap, read by the same code, give the same LoadResult, so a repeat gets a copy of the
# first (a pickle round trip: a test may change what it gets) instead of reading again. About a
# quarter of the suite's imports repeat one (the sample, the fixture folders, hypothesis's
# repeated draws). "The same code" is every okrdata module's attributes (a monkeypatched
# function or constant, or a registry grown in place, is another key); the OKR_* environment
# too. Modules that patch below okrdata (the file system, DuckDB), count what a load does, or
# compare two ways of loading the same files always read.
_NO_MEMO = {"test_faults", "test_crash", "test_small_import", "test_import_memory", "test_db",
            "test_macros"}  # fmt: skip
_LOADS: dict[str, bytes] = {}
_memo = {"on": False}
_real_load = ingest._load


def _code_state() -> list:
    return [
        (name, [(k, id(v), len(v) if isinstance(v, (list, dict, set, tuple)) else -1)
                for k, v in vars(module).items()])
        for name, module in sorted(sys.modules.items())
        if name == "okrdata" or name.startswith("okrdata.")
    ]  # fmt: skip


def _load_key(files, config, overrides, memory_mb) -> str | None:
    h = hashlib.sha256()
    try:
        for name, item in files:
            where = str(item.resolve()) if isinstance(item, Path) else ""
            h.update(repr((name, where)).encode())
            h.update(archive.sha256(archive.contents(item)).encode())
    except OSError:  # unreadable, missing: the load itself says what is wrong
        return None
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith("OKR_"))
    h.update(repr((config, overrides, memory_mb, env, _code_state())).encode())
    return h.hexdigest()


def _memo_load(files, config, overrides, memory_mb):
    key = _load_key(files, config, overrides, memory_mb) if _memo["on"] else None
    if key is not None and key in _LOADS:
        return pickle.loads(_LOADS[key])
    result = _real_load(files, config, overrides, memory_mb)
    if key is not None:
        _LOADS[key] = pickle.dumps(result)
    return result


ingest._load = _memo_load


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _memo["on"] = module_of(item).split("/")[-1] not in _NO_MEMO


# Every AppTest scans the metadata of every installed package for Streamlit components (its
# ``BidiComponentManager``), about 0.12 s of parsing METADATA files each time: the packages do
# not change while the tests run, so one scan per test process serves every AppTest.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)


# AppTest waits for a run by waking every millisecond to scan the run's events for the last
# one (``require_widgets_deltas``): about a tenth of an AppTest's CPU, and the script's thread
# losing the GIL to it a thousand times a second. The run's thread sends that event just before
# it ends, so waiting for the thread to end is the same wait, and the same error once the time
# is up.
def _wait_for_the_run(runner: local_script_runner.LocalScriptRunner, timeout: float = 3) -> None:
    thread = runner._script_thread
    if thread is not None:
        thread.join(timeout)
    if runner.script_stopped():
        return
    runner.request_stop()
    runner.join()
    raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")


local_script_runner.require_widgets_deltas = _wait_for_the_run

# imports (the CLI's, the Data page's) compute nothing ahead: about a second of CPU each, and
# a background process racing the test otherwise. The tests that read what is computed ahead
# ask for it (``warm_inline``, or ``OKR_WARM=background`` where they test that process).
os.environ.setdefault("OKR_WARM", "off")


@pytest.fixture
def warm_inline(monkeypatch) -> None:
    """Imports compute the first page and signals ahead before they return (``OKR_WARM``)."""
    monkeypatch.setenv("OKR_WARM", "inline")


@pytest.fixture(scope="module")
def sample_once(tmp_path_factory) -> Path:
    """The sample imported once (batch 1) into a store of the module's; a test that changes
    the store works on a copy (``copy_store``)."""
    db = tmp_path_factory.mktemp("sample") / "okr.duckdb"
    Store(db).import_files([SAMPLE])
    return db


@pytest.fixture(scope="module")
def q4_retitled(tmp_path_factory) -> Path:
    """The sample's 2026-Q4 only, with one objective retitled: a second, smaller import."""
    out = tmp_path_factory.mktemp("q4")
    okrs = pd.read_csv(SAMPLE / "okrs.csv", dtype=str, keep_default_na=False)
    okrs = okrs[okrs["quarter"] == "2026-Q4"].copy()
    first = okrs["objective_id"].iloc[0]
    okrs.loc[okrs["objective_id"] == first, "objective"] = "Retitled in the second import"
    okrs.to_csv(out / "okrs.csv", index=False)
    checkins = pd.read_csv(SAMPLE / "checkins.csv", dtype=str, keep_default_na=False)
    checkins[checkins["kr_id"].isin(okrs["kr_id"])].to_csv(out / "checkins.csv", index=False)
    return out


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    """Each test gets its own empty store, and the app's caches start empty."""
    path = tmp_path / "okr.duckdb"
    monkeypatch.setenv("OKR_DB", str(path))
    monkeypatch.setattr(source, "load_dir", read_once)  # the sample, read once per process
    monkeypatch.setattr(views, "base", base_once)  # and its Bases computed once
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    Store(path).close()


@pytest.fixture(scope="module")
def sample():
    """The bundled sample, read once per test process (the app's copy when AppTest read it)."""
    return read_once(source.SAMPLE_DIR).dataset
