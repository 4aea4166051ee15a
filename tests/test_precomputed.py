"""``signals --db`` prints the answer kept beside the store, the same text it would compute."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

import pytest
from builders import SAMPLE as _SAMPLE
from builders import copy_store, fsynced

from okrdata import precomputed
from okrdata.cli import main
from okrdata.store import Store

SAMPLE = _SAMPLE.resolve()  # the tests run in their own folder
pytestmark = pytest.mark.usefixtures("warm_inline")  # every import computes its answers ahead


def _signals(capsys, db, *more) -> str:
    assert main(["signals", "--db", str(db), *more]) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def imported_once(tmp_path_factory):
    """The sample imported once through the command line (its answers computed ahead)."""
    folder = tmp_path_factory.mktemp("imported")
    db = folder / "okr.duckdb"
    with pytest.MonkeyPatch.context() as m, contextlib.redirect_stdout(io.StringIO()):
        m.chdir(folder)  # no okr.toml: the default settings
        m.setenv("OKR_WARM", "inline")  # computed before the command exits
        assert main(["import", str(SAMPLE), "--db", str(db)]) == 0
    return db


@pytest.fixture
def imported(imported_once, tmp_path, monkeypatch):
    """Each test's own copy of the imported sample, and its folder as the working directory."""
    monkeypatch.chdir(tmp_path)
    return copy_store(imported_once, tmp_path)


def _no_data(monkeypatch):
    def refuse(self):
        raise AssertionError("the data was loaded")

    monkeypatch.setattr(Store, "dataset", refuse)


@pytest.mark.parametrize("fmt", precomputed.FORMATS)
def test_after_an_import_signals_prints_the_kept_answer_without_loading(
    imported, capsys, monkeypatch, fmt
):
    with monkeypatch.context() as m:
        _no_data(m)
        kept = _signals(capsys, imported, "--format", fmt)
    shutil.rmtree(precomputed.folder(imported))
    computed = _signals(capsys, imported, "--format", fmt)
    assert kept == computed
    assert computed.count("\n") > 10  # the sample has signals


def test_a_kept_answer_is_printed_without_importing_pandas_or_the_store(imported):
    # what makes `signals --db` about 0.1 s after an import: the interpreter, the CLI and one
    # small file (pandas, DuckDB and the store module take about 0.4 s to import)
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; from okrdata.cli import main; "
            f"code = main(['signals', '--db', {str(imported)!r}, '--format', 'csv']); "
            "print(sorted(m for m in ('pandas', 'okrdata.store') if m in sys.modules), "
            "file=sys.stderr); sys.exit(code)")  # fmt: skip
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=imported.parent, text=True,
                          capture_output=True, env={"PYTHONPATH": str(root)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") > 10
    assert done.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_a_request_is_kept_on_first_use(imported, capsys, monkeypatch):
    first = _signals(capsys, imported, "--as-of", "2026-10-01", "--format", "csv")
    with monkeypatch.context() as m:
        _no_data(m)
        again = _signals(capsys, imported, "--as-of", "2026-10-01", "--format", "csv")
    assert again == first
    assert first != _signals(capsys, imported, "--format", "csv")  # another date, another answer


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_triage_is_always_computed(imported, capsys, monkeypatch):
    _no_data(monkeypatch)
    with pytest.raises(AssertionError, match="the data was loaded"):
        main(["signals", "--db", str(imported), "--triage"])


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_a_new_import_is_answered_from_its_own_data(imported, q4_retitled, capsys):
    before = _signals(capsys, imported, "--format", "json")
    assert main(["import", str(q4_retitled), "--db", str(imported), "--scope", "teams"]) == 0
    capsys.readouterr()
    kept = _signals(capsys, imported, "--format", "json")
    shutil.rmtree(precomputed.folder(imported))
    assert kept == _signals(capsys, imported, "--format", "json")
    folders = list(precomputed.folder(imported).iterdir())
    assert [f.name for f in folders] == [precomputed.file_id(imported)]  # older answers removed
    assert before  # the first import had its own answer


def test_an_answer_about_a_replaced_file_is_not_kept(tmp_path):
    store = tmp_path / "okr.duckdb"
    store.write_bytes(b"one")
    ident = precomputed.file_id(store)
    store.write_bytes(b"two, replaced")
    ask = precomputed.request(None, None, precomputed.Config(), "csv", new=False)
    assert not precomputed.write(store, ask, "stale", ident)
    assert precomputed.read(store, ask) is None


def test_by_default_the_import_exits_before_the_first_page_is_computed_ahead(tmp_path):
    # the analyst waits for the import, not for the answers computed ahead: a process of its
    # own keeps them, and they appear shortly after the command has exited
    import subprocess
    import sys
    import time
    from pathlib import Path

    db = tmp_path / "okr.duckdb"
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "OKR_WARM": "background", "PYTHONPATH": root}
    done = subprocess.run([sys.executable, "-m", "okrdata", "import", str(SAMPLE), "--db", str(db)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "computed ahead in the background" in done.stderr
    ask = precomputed.request(None, None, __import__("okrdata.config").config.Config(), "csv",
                              new=False)  # fmt: skip
    deadline = time.monotonic() + 90
    while precomputed.read(db, ask) is None and time.monotonic() < deadline:
        time.sleep(0.5)
    assert precomputed.read(db, ask) is not None


def test_the_process_computing_ahead_is_reaped_when_it_ends(tmp_path):
    # the app starts it after each import from the Data page and goes on serving: a child
    # nobody waits for stays a defunct process until the app exits
    import time
    from pathlib import Path

    proc = precomputed.warm_apart(tmp_path / "none.duckdb")  # no store: it ends at once
    deadline = time.monotonic() + 60
    while Path(f"/proc/{proc.pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Path(f"/proc/{proc.pid}").exists(), "a defunct process was left behind"


def test_a_kept_answer_is_on_disk_before_it_is_renamed_into_place(tmp_path, monkeypatch):
    store = tmp_path / "okr.duckdb"
    store.write_bytes(b"published")
    ask = precomputed.request(None, None, precomputed.Config(), "csv", new=False)
    seen = fsynced(monkeypatch)
    assert precomputed.write(store, ask, "a,b\n", precomputed.file_id(store))
    here = precomputed.folder(store) / str(precomputed.file_id(store))
    assert [Path(p).parent for p in seen] == [here, here.parent]  # the file, then its folder
    assert Path(seen[0]).name.endswith(".tmp") and str(here) == seen[1]
    assert (here / f"{ask}.out").read_text() == "a,b\n"


def test_with_okr_warm_off_nothing_is_computed_ahead(tmp_path, monkeypatch, capsys):
    # the test suite's setting: an import keeps no answer and starts no process; the first
    # `signals --db` computes its answer and keeps it
    monkeypatch.setenv("OKR_WARM", "off")
    db = tmp_path / "okr.duckdb"
    assert main(["import", str(SAMPLE), "--db", str(db)]) == 0
    assert "ahead" not in capsys.readouterr().err
    assert not precomputed.folder(db).exists()
    assert precomputed.warm_apart(db) is None
    ask = precomputed.request(None, None, precomputed.Config(), "csv", new=False)
    printed = _signals(capsys, db, "--format", "csv")
    assert precomputed.read(db, ask) == printed
