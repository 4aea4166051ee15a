"""Test builders: a tiny company of objectives, KRs, check-ins, dependencies and teams.

``company()`` is the hand-built company the signal and report tests share: each team shows one
behaviour (see ``EXPECTED`` in ``test_signals.py``). Quarter 2026-Q3 runs 1 Jul – 30 Sep
(92 days); as of 26 Aug, 57 of 92 days (0.62) have passed.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pandas as pd

from okrdata.calendar import elapsed_fraction, quarter_bounds, quarter_of
from okrdata.ingest import LoadResult, load
from okrdata.model import Dataset
from okrdata.store import Store
from okrdata.templates import dataset_csvs

Q = "2026-Q3"
AS_OF = pd.Timestamp("2026-08-26")
WEEKS = pd.date_range("2026-07-01", AS_OF, freq="7D")  # 9 weekly check-ins


def pace(share_at_end: float, dates=WEEKS, quarter: str = Q) -> list[float]:
    """Values 0..100 that grow linearly to ``share_at_end`` of the target by quarter end."""
    return [round(100 * share_at_end * elapsed_fraction(quarter, d), 2) for d in dates]


class Company:
    """A tiny builder of objectives, KRs and check-ins for signal tests."""

    def __init__(self) -> None:
        self.objectives, self.krs, self.checkins, self.deps = [], [], [], []
        self.teams = []

    def team(self, name: str, department: str = "Product") -> Company:
        self.teams.append({"team": name, "department": department})
        return self

    def objective(self, oid, team, parent="C1", quarter=Q, okr_type="aspirational", level=None):
        self.objectives.append(
            dict(objective_id=oid, objective=f"Objective {oid}", quarter=quarter, team=team,
                 department=self._dept(team), parent_objective_id=parent, okr_type=okr_type,
                 level=level, objective_owner="Ada Lovelace")
        )  # fmt: skip
        return self

    def kr(
        self,
        kid,
        oid,
        values,
        dates=WEEKS,
        start=0.0,
        target=100.0,
        conf=0.7,
        status="on_track",
        **kw,
    ):
        self.krs.append(dict(kr_id=kid, objective_id=oid, key_result=f"KR {kid}", start_value=start,
                             target_value=target, kr_owner="Grace Hopper", **kw))  # fmt: skip
        confs = conf if isinstance(conf, list) else [conf] * len(values)
        stats = status if isinstance(status, list) else [status] * len(values)
        for d, v, c, s in zip(dates, values, confs, stats, strict=True):
            self.checkins.append(
                dict(kr_id=kid, date=d, value=v, confidence=c, status=s, author="Alan Turing")
            )
        return self

    def dep(self, team, provider, status="open", due=None, kr=None, provider_kr=None):
        self.deps.append(dict(team=team, depends_on_team=provider, status=status, due_date=due,
                              kr_id=kr, depends_on_kr_id=provider_kr, quarter=Q))  # fmt: skip
        return self

    def write_csvs(self, folder: Path) -> Path:
        """The company as canonical CSV files in ``folder`` (created), ready to import."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in dataset_csvs(self.dataset()).items():
            (folder / name).write_bytes(data)
        return folder

    def _dept(self, team):
        return next((t["department"] for t in self.teams if t["team"] == team), "Product")

    def dataset(self) -> Dataset:
        return Dataset.from_frames(
            objectives=pd.DataFrame(self.objectives),
            key_results=pd.DataFrame(self.krs),
            checkins=pd.DataFrame(self.checkins),
            dependencies=pd.DataFrame(self.deps),
            teams=pd.DataFrame(self.teams),
        )


def old_company(newest: pd.Timestamp) -> Company:
    """Two teams of the quarter holding ``newest``, weekly check-ins up to ``newest``: one on
    pace, one stuck at 0 (off track once the quarter is under way)."""
    q = quarter_of(newest)
    dates = list(pd.date_range(quarter_bounds(q)[0], newest, freq="7D"))
    if dates[-1] != newest:
        dates.append(newest)
    c = Company().team("Alpha", "Product").team("Beta", "Sales")
    c.objective("A1", "Alpha", parent=None, quarter=q)
    c.kr("A1-1", "A1", pace(0.9, dates, q), dates=dates)
    c.objective("B1", "Beta", parent=None, quarter=q)
    c.kr("B1-1", "B1", [0.0] * len(dates), dates=dates, status="off_track", conf=0.2)
    return c


def healthy(c: Company, team: str, oid: str, parent: str = "C1") -> Company:
    """A team on pace (about 0.85 by quarter end), weekly check-ins, steady confidence, aligned."""
    return (
        c.objective(oid, team, parent)
        .kr(f"{oid}-1", oid, pace(0.85))
        .kr(f"{oid}-2", oid, pace(0.8))
    )


def company() -> Company:
    c = Company()
    for t in ("Exec", "Healthy", "Lagging", "Silent", "Sandbag", "Committed", "Hockey", "Melon",
              "Doubt", "Busy", "Loner", "Waiting", "Hub", "Ghost"):  # fmt: skip
        c.team(t, "Leadership" if t == "Exec" else "Product")
    healthy(c, "Exec", "C1", parent=None)
    c.objectives[-1]["level"] = "company"
    healthy(c, "Healthy", "H1")
    c.objective("L1", "Lagging").kr(
        "L1-1", "L1", [0, 1, 2, 3, 5, 6, 8, 9, 10], conf=0.3, status="off_track"
    )
    healthy(c, "Lagging", "L2")
    c.objective("S1", "Silent").kr("S1-1", "S1", [0, 10, 25, 40, 50], dates=WEEKS[:5])
    c.objective("B1", "Sandbag")
    for i in range(3):
        c.kr(
            f"B1-{i}",
            "B1",
            [100, 102, 105, 105, 105, 106, 106, 106, 106],
            start=100,
            target=105,
            conf=0.95,
        )
    c.objective("M1", "Committed", okr_type="committed")
    for i in range(3):
        c.kr(
            f"M1-{i}",
            "M1",
            [100, 102, 105, 105, 105, 106, 106, 106, 106],
            start=100,
            target=105,
            conf=0.95,
        )
    q2_weeks = pd.date_range("2026-04-01", "2026-06-30", freq="7D")  # 13 dates, last 24 Jun
    q2_values = [0, 0, 2, 3, 4, 5, 6, 8, 10, 10, 12, 60, 100]
    c.objective("K0", "Hockey", parent=None, quarter="2026-Q2").kr(
        "K0-1", "K0", q2_values, dates=q2_weeks
    )
    healthy(c, "Hockey", "K1")
    c.objective("W1", "Melon").kr("W1-1", "W1", [0, 1, 2, 3, 5, 6, 8, 9, 10], conf=0.8)
    c.objective("D1", "Doubt").kr("D1-1", "D1", pace(0.85), conf=[0.8] * 6 + [0.7, 0.5, 0.4])
    for i in range(6):
        healthy(c, "Busy", f"U{i}")
    for i in range(3, 7):
        c.kr(f"U0-{i}", "U0", pace(0.8))
    healthy(c, "Loner", "N1", parent=None)
    healthy(c, "Waiting", "X1")
    healthy(c, "Hub", "Y1")
    c.dep("Waiting", "Healthy", status="blocked", kr="X1-1", provider_kr="H1-1")
    c.dep("Healthy", "Hub", due="2026-09-20").dep("Doubt", "Hub").dep(
        "Busy", "Hub", status="committed"
    )
    c.dep("Loner", "Hub", status="done", due="2026-08-01")
    return c


SAMPLE = Path("sample_data")
TABLES = ("batches", "active", "events", "objectives", "key_results", "checkins",
          "dependencies", "teams")  # fmt: skip


def snapshot(s: Store) -> dict[str, list[tuple]]:
    """Every row of every store table, in a fixed order."""
    cur = s.cursor()
    return {t: cur.execute(f"select * from {t} order by all").fetchall() for t in TABLES}


def adjusted_between_imports(folder: Path) -> tuple[Path, Path]:
    """Two imports of one small company (``folder``/first, ``folder``/second), 2026-Q3 and Q4.

    Between them the teams adjusted three goals: KR A1-1's target 100 → 80 (Alpha), objective
    B1 moved from 2026-Q3 to 2026-Q4 (Beta), and KR G1-2 moved from G1 (2026-Q3) to G2
    (2026-Q4) (Gamma). Nothing else changes.
    """

    def build(a1_target: float, b1_quarter: str, g12_objective: str) -> Company:
        c = Company().team("Alpha").team("Beta").team("Gamma")
        c.objective("A1", "Alpha", parent=None).kr("A1-1", "A1", pace(0.5), target=a1_target)
        c.objective("B1", "Beta", parent=None, quarter=b1_quarter).kr("B1-1", "B1", [], dates=[])
        c.objective("G1", "Gamma", parent=None).kr("G1-1", "G1", [], dates=[])
        c.objective("G2", "Gamma", parent=None, quarter="2026-Q4")
        return c.kr("G1-2", g12_objective, [], dates=[])

    first = build(100, "2026-Q3", "G1").write_csvs(folder / "first")
    second = build(80, "2026-Q4", "G2").write_csvs(folder / "second")
    return first, second


class ImportClock(datetime):
    """The store's clock, set by a test (``monkeypatch.setattr(store, "datetime", ImportClock)``):
    imports happen on ``ImportClock.day``."""

    day = datetime(2026, 10, 5, 9, 30)

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return cls.day


def eventually(check, timeout: float = 120.0):
    """``check()``'s first true answer, waiting for another process (up to ``timeout`` s)."""
    import time

    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"still nothing after {timeout:g} s"
        time.sleep(0.2)
    return found


def fsynced(monkeypatch) -> list[str]:
    """The paths every ``os.fsync`` flushes from now on, in order (the flush still happens)."""
    import os

    seen: list[str] = []
    real = os.fsync

    def spy(fd):
        seen.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    return seen


def copy_store(src: Path, folder: Path) -> Path:
    """A copy of the store file ``src`` and of everything kept beside it (its archive, lock,
    saved answers, the answers computed ahead) in ``folder``, as if it had been imported there.

    Stores built once per module or session are copied for each test that may change them. The
    answers computed ahead are kept under the published file's identity (device, inode,
    modification time, size); the copy keeps the time and size, and its answers are moved to its
    own identity.
    """
    import shutil

    from okrdata import precomputed

    folder.mkdir(parents=True, exist_ok=True)
    for item in sorted(src.parent.iterdir()):
        if item.name.startswith(src.name):
            if item.is_dir():
                shutil.copytree(item, folder / item.name)
            else:
                shutil.copy2(item, folder / item.name)
    dst = folder / src.name
    old, new = precomputed.file_id(src), precomputed.file_id(dst)
    kept = precomputed.folder(dst)
    if old and new and (kept / old).is_dir():
        (kept / old).rename(kept / new)
    return dst


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    """``folder`` (made if missing) holding each named file with its text (UTF-8) or bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def load_texts(folder: Path, files: dict[str, str | bytes]) -> LoadResult:
    """``ingest.load`` of the files ``write`` puts in ``folder``."""
    return load([write(folder, files)])


def run_main(*args: str) -> subprocess.CompletedProcess:
    """``python -m okrdata ARGS`` run in this process (``okrdata.cli.main``, what
    ``okrdata/__main__.py`` runs): its exit code (argparse's ``SystemExit`` too), stdout and
    stderr, without starting Python and importing pandas and DuckDB again (about a second)."""
    import contextlib
    import io

    from okrdata.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return subprocess.CompletedProcess(["okrdata", *args], code, out.getvalue(), err.getvalue())


COMPANIES = Path(__file__).resolve().parents[1] / ".pytest_cache" / "okr-companies"


def imported_company(folder: Path, teams: int, seed: int = 7) -> Path:
    """A store in ``folder`` holding the generated company of ``teams`` teams (``okrdata.sample``
    with ``seed``), imported whole, as ``Store.import_files`` leaves it (with its archive).

    Building one of 2,000 teams takes 10-20 s (generating, then importing 600,000 check-ins);
    two modules in two pytest runs of ``make test`` use it (the AppTests at scale and the
    browser's coach at scale), so it is built once into ``.pytest_cache/okr-companies/`` and
    copied. Its name is everything it depends on: the team count, the seed, the fingerprint of
    okrdata's code (``landing.code_id``: the generator, the import, the store's format) and
    DuckDB's version, so a change of either builds it again. Built under a lock (two workers may
    ask at once) into a folder renamed into place when complete."""
    import shutil

    import duckdb

    from okrdata import files, landing, sample

    built = COMPANIES / f"{teams}-{seed}-{landing.code_id()}-duckdb{duckdb.__version__}"
    with files.lock(COMPANIES / "lock", timeout=600):
        if not built.exists():
            work = COMPANIES / f"{built.name}.building"
            shutil.rmtree(work, ignore_errors=True)
            sample.generate(work / "data", teams=teams, seed=seed)
            store = Store(work / "store" / "okr.duckdb")
            result, imported = store.import_files([work / "data"])
            store.close()
            assert result.report.ok and imported.batch_id is not None, result.report.summary()
            shutil.rmtree(work / "data")
            work.rename(built)
    return copy_store(built / "store" / "okr.duckdb", folder)
