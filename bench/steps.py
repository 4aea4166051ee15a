"""One benchmark step, run in its own process so its peak memory is its own.

``python -m bench.steps STEP --data DIR --db PATH [--repeat N]`` prints one JSON line:
``{"step": ..., "times": [seconds...], "peak_mb": ..., "extra": {...}}``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def parse_duckdb(args) -> dict:
    import duckdb

    files = sorted(Path(args.data).glob("*.csv"))

    def run():
        con = duckdb.connect()
        for i, f in enumerate(files):
            con.execute(f"create table t{i} as select * from read_csv($p)", {"p": str(f)})
        con.close()

    return {"times": _timed(run, args.repeat)}


def import_floor(args) -> dict:
    """The least any import of these files must do, as a bound on the import's ratio.

    Hash every file (the archive keeps it), read the okrs and check-ins as text, cast their
    values with plain casts, run one check (check-ins of unknown key results), and write the
    check-ins (one per key result and day, sorted) and key results into a DuckDB file, durably.
    No other check, no period, no report, no Dataset: what the real import does on top is the
    product.
    """
    import hashlib

    import duckdb

    data = Path(args.data)
    written: dict[str, int] = {}  # rows in the durable file, per table (the last run's)

    def run():
        with tempfile.TemporaryDirectory() as tmp:
            for f in sorted(data.glob("*.csv")):
                hashlib.sha256(f.read_bytes()).hexdigest()
            con = duckdb.connect()
            for name in ("checkins", "okrs"):
                con.execute(
                    f"create table {name}_text as select * from read_csv($p, all_varchar = true)",
                    {"p": str(data / f"{name}.csv")},
                )
            con.execute(
                "create table checkins as select kr_id, try_cast(date as date) as date,"
                " try_cast(value as double) as value, try_cast(confidence as double) as"
                " confidence, status, try_cast(target_value as double) as target_value,"
                " comment, author from checkins_text"
            )
            con.execute(
                "create table key_results as select objective_id, objective, quarter, team,"
                " kr_id, key_result, try_cast(start_value as double) as start_value,"
                " try_cast(target_value as double) as target_value,"
                " try_cast(current_value as double) as current_value from okrs_text"
            )
            con.execute(
                "select count(*) from checkins anti join key_results using (kr_id)"
            ).fetchall()
            con.execute("attach $p as store", {"p": str(Path(tmp) / "floor.duckdb")})
            con.execute(
                "create table store.checkins as select * from checkins qualify row_number()"
                " over (partition by kr_id, date order by date) = 1 order by kr_id, date"
            )
            con.execute("create table store.key_results as select * from key_results")
            con.execute("checkpoint store")
            for table in ("key_results", "checkins"):
                written[table] = con.execute(f"select count(*) from store.{table}").fetchone()[0]
            con.close()

    return {"times": _timed(run, args.repeat), "extra": written}


def parse_pandas(args) -> dict:
    import pandas as pd

    files = sorted(Path(args.data).glob("*.csv"))
    return {"times": _timed(lambda: [pd.read_csv(f) for f in files], args.repeat)}


def import_store(args) -> dict:
    import shutil

    from okrdata.config import Config
    from okrdata.store import Store

    times = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "bench.duckdb")
            start = time.perf_counter()
            # the largest sizes are over the upload limit meant for people's exports
            result, imported = store.import_files([args.data], config=Config(max_upload_mb=5000))
            times.append(time.perf_counter() - start)
            assert result.report.ok and imported is not None, result.report.summary()
            store.close()
            if not Path(args.db).exists():  # the store the later steps read
                shutil.copy(store.path, args.db)
    return {"times": times}


def import_cli(args) -> dict:
    """``python -m okrdata import DIR --db NEW`` timed as the analyst waits for it: from the
    command's start to its exit (the interpreter, reading, checking, writing, publishing; the
    answers computed ahead run after it, in a process of their own)."""
    import os
    import subprocess

    times = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            settings = Path(tmp) / "okr.toml"
            settings.write_text("max_upload_mb = 5000\n")  # the largest sizes are over it
            cmd = [sys.executable, "-m", "okrdata", "import", args.data,
                   "--db", str(Path(tmp) / "okr.duckdb"), "--config", str(settings)]  # fmt: skip
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
                   "OKR_WARM": "background"}  # fmt: skip
            start = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
            times.append(time.perf_counter() - start)
            # the warm process the import started keeps answers beside the store: let it
            # finish (its files stop changing) before the next run and the clean-up
            from okrdata.precomputed import FORMATS

            computed, deadline = Path(tmp) / "okr.duckdb.computed", time.monotonic() + 600
            seen: list[str] = []
            while time.monotonic() < deadline:
                now = sorted(str(p) for p in computed.glob("*/*"))
                if len([p for p in now if p.endswith(".out")]) >= len(FORMATS) and now == seen:
                    break
                seen = now
                time.sleep(2.0)
    return {"times": times}


def load_store(args) -> dict:
    from okrdata.store import Store

    store = Store(args.db)
    return {"times": _timed(store.dataset, args.repeat)}


def metrics_signals(args) -> dict:
    import pandas as pd

    from okrdata import metrics, views
    from okrdata.calendar import quarter_bounds, quarter_of
    from okrdata.config import Config
    from okrdata.model import export_day
    from okrdata.store import Store

    ds = Store(args.db).dataset()
    config = Config()
    as_of = export_day(ds.checkins)  # the generated company reads as of its last check-in
    quarter = quarter_of(as_of, config.fiscal_start_month)
    found = {}

    def run(as_of=as_of, quarter=quarter):
        # what the app computes once per data version, quarter and as-of date (views.base):
        # every KR's progress, forecast and history, objective roll-ups and the ten signals
        b = views.base(ds, quarter, as_of, config)
        metrics.team_progress(b.objs)
        metrics.department_progress(b.objs)
        found["signals"] = len(b.found)

    # The app's server is long-lived: it has computed some other view before. Warm up on the
    # previous quarter (other numbers, same code paths), then time the latest quarter.
    start, _ = quarter_bounds(quarter, config.fiscal_start_month)
    before = start - pd.Timedelta(days=1)
    run(before, quarter_of(before, config.fiscal_start_month))

    times = _timed(run, args.repeat)
    return {"times": times, "extra": {"signals": found["signals"], "krs": len(ds.key_results)}}


def signals_cli(args) -> dict:
    """``python -m okrdata signals --db`` end to end, a process each run, as after an import.

    Times the answer computed ahead (``okrdata.precomputed``, what an import leaves); ``extra``
    has the time of the same command computing it (its folder removed first).
    """
    import os
    import shutil
    import subprocess

    from okrdata import landing, precomputed
    from okrdata.config import Config
    from okrdata.store import Store

    db = Path(args.db)
    env = {**os.environ, "OKR_LOCK_TIMEOUT": "0"}
    cmd = [sys.executable, "-m", "okrdata", "signals", "--db", str(db), "--format", "csv"]

    def run():
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)

    def computed():
        shutil.rmtree(precomputed.folder(db), ignore_errors=True)
        run()

    landing.warm(Store(db), Config())  # what every import does after publishing
    ahead = _timed(run, args.repeat)
    cold = _timed(computed, 1)
    landing.warm(Store(db), Config())
    return {"times": ahead, "extra": {"computed": cold[0]}}


def pages_warm(args) -> dict:
    import os
    import re

    from streamlit.testing.v1 import AppTest

    from okrdata import db

    os.environ["OKR_DB"] = str(Path(args.db).resolve())
    # every page of the app's navigation (pages/ also holds the shared helper modules)
    pages = re.findall(r'"pages/(\w+\.py)"', Path("pages/navigation.py").read_text())
    # one team, read without loading the data: the step measures the app's memory, not a copy
    # of the data this harness would hold beside it
    con = db.read_only(args.db)
    team = con.execute("select max(team) from active_objectives").fetchone()[0]
    con.close()
    per_page = {}
    for page in pages:
        # each page as people first see it (the whole company), and the Team page on one team
        for query in [{}, {"team": team}] if page == "team.py" else [{}]:
            at = AppTest.from_file(str(Path("app.py").resolve()), default_timeout=600)
            at.query_params.update(query)
            at.run()
            at.switch_page(f"pages/{page}")
            at.run()  # first visit fills the caches

            def rerun(at=at, page=page):
                at.run()
                if at.exception:  # a page that raises fails the step, it is not timed
                    raise RuntimeError(f"{page} raised: {at.exception[0].value}")

            rerun()
            name = page if not query else f"{page} (one team)"
            per_page[name] = _timed(rerun, args.repeat)
    times = [max(t[i] for t in per_page.values()) for i in range(args.repeat)]
    return {"times": times, "extra": {p: sorted(t)[len(t) // 2] for p, t in per_page.items()}}


def cold_start(args) -> dict:
    """The first page (the Overview) in a fresh process, after what every import does after
    publishing: the landing page kept beside the store (``okrdata.landing``).

    That is computed in a process of its own first, and the peak memory is each cold start's
    own (``wait4``): a child forked from a large process would report the parent's size.
    """
    import os
    import subprocess

    db = str(Path(args.db).resolve())
    warm = "from okrdata import landing, store, config; "
    warm += f"landing.warm(store.Store({db!r}), config.Config())"
    subprocess.run([sys.executable, "-c", warm], check=True)
    env = {**os.environ, "OKR_DB": db}
    code = (
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=600)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
    )
    peaks = []

    def run():
        proc = subprocess.Popen([sys.executable, "-c", code], env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, proc.args)
        peaks.append(usage.ru_maxrss / 1024)

    times = _timed(run, args.repeat)
    return {"times": times, "peak_mb": max(peaks)}


STEPS = {
    "parse_duckdb": parse_duckdb,
    "parse_pandas": parse_pandas,
    "import_floor": import_floor,
    "import": import_store,
    "import_cli": import_cli,
    "load": load_store,
    "metrics_signals": metrics_signals,
    "signals_cli": signals_cli,
    "pages_warm": pages_warm,
    "cold_start": cold_start,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--data", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    out = STEPS[args.step](args)
    out.setdefault("peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps({"step": args.step, **out}))


if __name__ == "__main__":
    main()
