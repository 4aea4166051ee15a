"""The landing page computed ahead: what the first Overview shows, kept beside the store.

The first page after a cold start is the Overview of the default filters (the default quarter,
every department and team, as of the default date). Computing it needs the whole Dataset and
two snapshots with their signals (the as-of date and a week earlier, for "What changed this
week"): about 13 s at 20,000 teams. So, as ``okrdata.precomputed`` keeps the answers of
``signals --db``, the three objects that page reads are computed after every import, restore
and rebuild (``warm``, which also keeps the default ``signals --db`` answers there) and kept as
pickles in the published store file's folder (``precomputed.folder``, which this module uses and
never the other way round), ``<store>.computed/<file id>/<request id>.pkl``:

- ``options``: the filter bar's choices (``views.options``);
- ``overview``: ``views.overview`` of the default filters;
- ``changes``: ``views.changes`` of the default filters against a week earlier;
- ``earlier``: that week earlier as it is compared with (``views.earlier``), which the Signals
  page's "new since" also reads: its first visit builds no second snapshot (at 20,000 teams
  the app's memory peak, about 0.5 GB above what it holds).

A request id names what the object depends on: its name and filters, today's date (the
defaults count from today), the settings and the code that computes it (a fingerprint of
``okrdata``'s source, so a new release never reads an object pickled by an older one). The
folder names the store file (device, inode, modification time, size: the file is never written
in place), and each pickle also holds the store's data version it was computed from, which
must be the version the reader asks for. The app (``pages/cache.py``, ``pages/weekly.py``)
reads a kept object for a store version before computing it, and keeps one it had to compute
(the first visitor of a new day), so other processes and replicas reuse it; a folder that
cannot be written only means computing each time. The bundled sample and a session's uploads
never use this folder. ``python -m okrdata warm`` computes the day's objects (a nightly job).

Only this module's own files are unpickled: whoever can write beside the store can replace the
store itself.

>>> import tempfile, pathlib
>>> from okrdata.config import Config
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = pathlib.Path(tmp) / "okr.duckdb"
...     _ = store.write_bytes(b"published")
...     ask = request("options", Config())
...     before = read(store, ask, version=3)
...     _ = write(store, ask, ["kept"], precomputed.file_id(store), version=3)
...     before, read(store, ask, version=3), read(store, ask, version=4)
(None, ['kept'], None)
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from okrdata import precomputed
from okrdata.config import Config

if TYPE_CHECKING:
    from okrdata import views
    from okrdata.model import Dataset
    from okrdata.store import Store

T = TypeVar("T")

NAMES = ("options", "overview", "changes", "earlier")


@cache
def code_id() -> str:
    """A fingerprint of the code that computes the objects: every source file of ``okrdata``,
    its subpackages' (``views/``, ``sources/``) too."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted([*here.rglob("*.py"), *here.glob("sql/*.sql")]):
        digest.update(path.relative_to(here).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def request(
    name: str,
    config: Config,
    quarter: str | None = None,
    department: str | None = None,
    team: str | None = None,
    as_of: str | None = None,
) -> str:
    """The id of one landing object: its name, filters, today's date, settings and code."""
    asked = {"landing": name, "quarter": quarter or None, "department": department or None,
             "team": team or None, "as_of": as_of[:10] if as_of else None,
             "today": date.today().isoformat(), "config": asdict(config), "code": code_id()}  # fmt: skip
    text = json.dumps(asked, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def default_request(name: str, config: Config, opts: views.Options) -> str:
    """The id of ``overview`` or ``changes`` for the default filters of ``opts``."""
    as_of = opts.default_as_of.isoformat()
    return request(name, config, opts.default_quarter, None, None, as_of)


def is_default(opts: views.Options, quarter: str, department: str | None, team: str | None,
               as_of: str | None) -> bool:  # fmt: skip
    """True for the filters the landing page opens with (what is worth keeping); ``earlier``
    objects are asked for a week before the default date."""
    return (
        bool(opts.quarters)
        and quarter == opts.default_quarter
        and not department
        and not team
        and as_of is not None
        and as_of[:10] in (opts.default_as_of.date().isoformat(), week_before(opts))
    )


def week_before(opts: views.Options) -> str:
    """The day a week before the default date (what ``earlier`` is asked for)."""
    from okrdata import triage

    return (opts.default_as_of - triage.WEEK).date().isoformat()


def read(store: Path, ask: str, version: int) -> Any | None:
    """The object kept for ``ask`` on the store file as it is now, computed from data version
    ``version``; None when there is none (or it cannot be read)."""
    ident = precomputed.file_id(store)
    if ident is None:
        return None
    try:
        data = (precomputed.folder(store) / ident / f"{ask}.pkl").read_bytes()
        kept_version, obj = pickle.loads(data)
    except Exception:  # missing, cut short or not ours: computing is always possible
        return None
    return obj if kept_version == version else None


def write(store: Path, ask: str, obj: Any, ident: str | None, version: int) -> bool:
    """Keep ``obj``, computed from data version ``version`` of the store file ``ident``.

    False when that file has been replaced since or the folder cannot be written.
    """
    try:
        data = pickle.dumps((version, obj), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return False
    return precomputed.keep(store, f"{ask}.pkl", data, ident)


def _warm_page(
    store: Path, ds: Dataset, config: Config, ident: str | None, version: int
) -> views.Base | None:
    """Compute and keep the landing objects of ``ds`` (data version ``version`` of the store
    file ``ident``); the Base of the default filters (None when the data has no quarter).

    Computed as the app computes them (``pages/cache.py``, ``pages/weekly.py``), so a kept
    object is what the app would show.
    """
    from okrdata import views

    opts = views.options(ds, config)
    write(store, request("options", config), opts, ident, version)
    if not opts.quarters:
        return None
    b = views.base(ds, opts.default_quarter, opts.default_as_of, config)
    f = views.Filters(b.quarter, None, None, b.as_of)
    write(store, default_request("overview", config, opts), views.overview(b, f), ident, version)
    day = views.week_before(b)
    prev = views.earlier(views.base(ds, b.quarter, day, config))
    changed = views.changes(b, prev, f)  # as the app compares (pages/weekly.py)
    write(store, default_request("changes", config, opts), changed, ident, version)
    ask = request("earlier", config, b.quarter, None, None, day.isoformat())
    write(store, ask, prev, ident, version)
    return b


def warm(store: Store, config: Config) -> int:
    """Compute and keep the landing page's objects and the default ``signals --db`` answer in
    every format (``okrdata.precomputed``); the signals found.

    One load of the data and one snapshot serve both: the default signals are the landing
    Overview's.
    """
    from okrdata.export import signals_output
    from okrdata.signals import compute_signals
    from okrdata.snapshot import build

    ident = precomputed.file_id(store.path)
    if not store.has_data():
        return 0
    version = store.data_version()
    ds = store.dataset()
    b = _warm_page(store.path, ds, config, ident, version)
    snap = b.snap if b is not None else build(ds, config=config)
    out = b.found if b is not None else compute_signals(snap)
    for fmt in precomputed.FORMATS:
        ask = precomputed.request(None, None, config, fmt, new=False)
        precomputed.write(store.path, ask, signals_output(out, fmt), ident, snap.data_date.note())
    return len(out)


def read_or_compute(
    store: Store | None,
    version: int | None,
    name: str,
    config: Config,
    compute: Callable[[], T],
    choices: Callable[[], views.Options],
    filters: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None),
) -> T:
    """The object kept for ``store`` at data ``version`` when there is one, else ``compute()``,
    then kept for other processes when it is the landing page's: the choices, or the default
    ``filters`` (quarter, department, team, as-of) by ``choices()``. Without a store or a
    store data version (the bundled sample, a session's uploads) it is always computed."""
    if store is None or version is None:
        return compute()
    quarter, department, team, as_of = filters
    ask = request(name, config, quarter, department, team, as_of)
    found = read(store.path, ask, version)
    if found is not None:
        return found
    obj = compute()
    if name == "options" or is_default(choices(), quarter or "", department, team, as_of):
        ident = precomputed.file_id(store.path)  # the file, then its version: both must match
        if store.data_version() == version:
            write(store.path, ask, obj, ident, version)
    return obj
