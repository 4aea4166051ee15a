"""Triage for coaches (README "The app"): what is new since last week, and what was handled.

A signal's identity is (signal, team, objective_id, kr_id). **New** means the identity was not
among the signals a week earlier (a second snapshot as of seven days before). A coach can
**acknowledge** a signal with a note or **snooze** it until a date; both hide it from the
default list. It comes back when the snooze date is reached (as of the date shown) or, for either
action, as soon as its evidence is **worse** than when it was handled: its severity rose, or
its evidence number grew by a step:

- ``off_track``, ``watermelon``: points behind pace (expected − score), step 0.10;
- ``declining_confidence``: doubt (1 − latest confidence), step 0.10;
- ``stale_checkins``: days without a check-in, step ``stale_days`` (14 by default);
- ``overload``: objectives of the team (or key results of the objective), step 1;
- every other signal: severity only.

Actions are kept in their own file beside the store, ``triage.sqlite``: an append-only journal
in SQLite's WAL mode (Python's standard ``sqlite3``). Each action is one ``INSERT`` in its own
transaction; any number of processes (the app's replicas, the CLI) write it at once, SQLite
queueing them for up to ``BUSY_SECONDS``; readers never wait for a writer. What is in force is
each signal's latest action. No import, restore, rebuild or publish of the store opens it.

Why not DuckDB any more (issue 25, "Triage lost, once"). Until this version the actions lived in
``triage.duckdb``, a DuckDB database file. DuckDB lets one process at a time open a file for
writing, and keeps the others out only with an advisory ``fcntl`` lock taken at open; it has no
protocol for several processes sharing one file. So every action opened the whole database for
writing, appended, checkpointed (rewrote its blocks and header in place) and closed it; every
Signals page opened it read-only; a process that found it locked retried for 10 s; and *any*
``IOException`` became "The triage file … is busy" (a read-only folder too, item 7 of the issue).
The failure in the issue, ``Could not read enough bytes from file ".../triage.duckdb"`` on 111
of 160 actions and on every read after, is DuckDB finding the file shorter than its header says:
a copy of a triage file cut short gives exactly that message on every open (tested by hand
while writing this), so the file had been left torn by a write that did not complete, and
since a DuckDB file is one structure rewritten in place, not a log, every earlier action went
with it. We could not reproduce the tear (nor could the 8 further tries in the issue); what we
did reproduce is the design's fragility under the same load: with 4 writer processes, the
Signals page and import + rebuild running together for 20 s, the old code refused a coach's
action ("busy") in 2 of 7 runs. The cure is structural: in SQLite's WAL mode each action is
appended to the log in its own transaction and processes coordinate through the log's shared
index, so a write that fails or is cut short loses at most that action, never the ones before
it, and readers never wait for writers (``tests/test_triage_concurrency.py`` runs the load
above and counts every action).

An existing ``triage.duckdb`` is copied into ``triage.sqlite`` on first open (in one
transaction, recorded in ``triage_migrations`` so it happens once) and kept, renamed
``triage.duckdb.migrated``.

>>> found = pd.DataFrame({"signal": ["off_track"], "team": ["Sales"],
...                       "objective_id": ["O-1"], "kr_id": [None]})
>>> keys(found).tolist()
['off_track|Sales|O-1|']
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from okrdata import db, display
from okrdata.display import words
from okrdata.signals import SEVERITIES
from okrdata.snapshot import Snapshot

KEY = ["signal", "team", "objective_id", "kr_id"]
WEEK = pd.Timedelta(days=7)
FILE_NAME = "triage.sqlite"
OLD_FILE_NAME = "triage.duckdb"  # before issue 25: migrated on first open
STEPS = {"off_track": 0.10, "watermelon": 0.10, "declining_confidence": 0.10, "overload": 1.0}
_EPS = 1e-9
_RANK = {s: len(SEVERITIES) - i for i, s in enumerate(SEVERITIES)}  # high 3, warn 2, info 1


def keys(found: pd.DataFrame, with_quarter: bool = False) -> pd.Series:
    """Each row's identity as one text: ``signal|team|objective_id|kr_id`` ('' for none)."""
    cols = (["quarter"] if with_quarter else []) + KEY
    parts = found[cols].astype("string").fillna("")
    out = parts[cols[0]].str.cat([parts[c] for c in cols[1:]], sep="|")
    return pd.Series(out.to_numpy(object), index=found.index, dtype="string")


def new_since(now: pd.DataFrame, before: pd.DataFrame) -> pd.Series:
    """Per row of ``now``: True when no signal of the same identity was found ``before``."""
    return pd.Series(~keys(now).isin(set(keys(before))).to_numpy(bool), index=now.index)


def resolved(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """The signals found ``before`` whose identity is no longer among ``now``'s."""
    gone = ~keys(before).isin(set(keys(now))).to_numpy(bool)
    return before[gone].drop_duplicates(KEY).reset_index(drop=True)


def evidence_numbers(snap: Snapshot, found: pd.DataFrame) -> pd.Series:
    """Per signal row, the number "worse" is measured on (NaN for kinds measured by severity)."""
    k = snap.qkrs.drop_duplicates("kr_id").set_index("kr_id")
    per_kr = {
        "off_track": k["expected"] - k["score"],
        "watermelon": k["expected"] - k["score"],
        "declining_confidence": 1 - k["latest_confidence"],
        "stale_checkins": (snap.as_of - k["last_checkin"].fillna(snap.bounds[0])).dt.days,
    }
    out = pd.Series(np.nan, index=found.index, dtype="float64")
    for kind, numbers in per_kr.items():
        rows = (found["signal"] == kind).to_numpy(bool, na_value=False)
        out[rows] = found.loc[rows, "kr_id"].map(numbers).astype("float64")
    o = snap.qobjs
    per_team = o.groupby("team", observed=True)["objective_id"].size()
    rows = (found["signal"] == "overload").to_numpy(bool, na_value=False)
    team_rows = rows & found["objective_id"].isna().to_numpy(bool)
    out[team_rows] = found.loc[team_rows, "team"].map(per_team).astype("float64")
    obj_rows = rows & ~team_rows
    n_krs = o.drop_duplicates("objective_id").set_index("objective_id")["n_krs"]
    out[obj_rows] = found.loc[obj_rows, "objective_id"].map(n_krs).astype("float64")
    return out


def step(signal: str, stale_days: int) -> float:
    """How much an evidence number must grow to count as worse (NaN: severity only)."""
    return float(stale_days) if signal == "stale_checkins" else STEPS.get(signal, np.nan)


def apply(
    found: pd.DataFrame, actions: pd.DataFrame, as_of: pd.Timestamp, stale_days: int
) -> pd.DataFrame:
    """``found`` (with ``evidence_number``) plus its triage: state, hidden and a sentence.

    ``state`` is ``open``, ``acknowledged``, ``snoozed`` or ``back`` (handled, but the snooze
    ended or the evidence got worse); ``hidden`` is True for acknowledged and snoozed rows.
    """
    acts = actions.assign(_key=keys(actions, with_quarter=True)).drop_duplicates("_key")
    acts = acts.set_index("_key")
    row_keys = keys(found, with_quarter=True)
    a = acts.reindex(row_keys.to_numpy(object)).set_axis(found.index)
    handled = a["action"].notna().to_numpy(bool)
    snoozed = (a["action"] == "snooze").to_numpy(bool, na_value=False)
    until = pd.to_datetime(a["snoozed_until"])
    ended = snoozed & (until <= as_of).to_numpy(bool, na_value=False)
    rank_now = found["severity"].map(_RANK).astype("float64")
    rank_then = a["severity"].map(_RANK).astype("float64")
    steps = found["signal"].map(lambda s: step(s, stale_days)).astype("float64")
    grown = (
        found["evidence_number"].astype("float64")
        >= a["evidence_number"].astype("float64") + steps - _EPS
    )
    worse = handled & ((rank_now > rank_then) | grown).to_numpy(bool, na_value=False)
    back = worse | ended
    state = np.select(
        [~handled, back, snoozed], ["open", "back", "snoozed"], "acknowledged"
    ).astype(object)
    day = display.dates(pd.to_datetime(a["recorded_at"]))
    who = a["by_user"].astype("string") + " on " + day.astype("string")
    note = (": " + a["note"].astype("string")).where(a["note"].fillna("") != "", "")
    text = np.select(
        [~handled, worse, ended, snoozed],
        [
            "",
            "back: worse than when handled by " + who,
            "back: snoozed until " + display.dates(until),
            "snoozed until " + display.dates(until) + " by " + who + note,
        ],
        "acknowledged by " + who + note,
    )
    out = found.copy()
    out["state"] = pd.array(state, dtype="string")
    out["hidden"] = pd.Series(np.isin(state, ["acknowledged", "snoozed"]), index=found.index)
    out["triage"] = pd.array(np.asarray(text, dtype=object), dtype="string")
    return out


def by_team(found: pd.DataFrame) -> pd.DataFrame:
    """One row per team, strongest first: department, counts by severity, new, strongest.

    ``strongest`` reads "severity · signal in words: evidence" (a display column).

    ``found`` is ordered most severe first (``compute_signals``) and has a boolean ``new``.
    """
    cols = ["department", "team", *SEVERITIES, "new", "strongest"]
    if found.empty:
        return pd.DataFrame(columns=cols)
    f = found.assign(team=found["team"].fillna(""))
    counts = pd.crosstab(f["team"], f["severity"]).reindex(columns=list(SEVERITIES), fill_value=0)
    first = f.drop_duplicates("team").set_index("team")
    out = counts.assign(
        department=first["department"],
        new=f.groupby("team")["new"].sum().astype("int64"),
        strongest=first["severity"] + " · " + first["signal"].map(words) + ": " + first["evidence"],
    ).reset_index()
    out.columns.name = None
    order = np.lexsort([out["team"], *(-out[s] for s in reversed(SEVERITIES))])
    return out.iloc[order][cols].reset_index(drop=True)


def who(email: str | None = None) -> str:
    """Who acts: the signed-in e-mail, else ``$USER``, else ``anonymous``."""
    if email:
        return email
    try:
        return os.environ.get("USER") or getpass.getuser() or "anonymous"
    except (KeyError, OSError):
        return "anonymous"


def path_for(store_path: str | Path | None = None) -> Path:
    """The triage file beside the store (``$OKR_DB`` or ``data/okr.duckdb`` by default)."""
    from okrdata.store import default_path

    return Path(store_path or default_path()).parent / FILE_NAME


class TriageError(RuntimeError):
    """The triage file cannot be read or written; the message is one sentence saying why."""


class TriageBusy(TriageError):
    """Other processes kept the triage file's writer slot longer than ``BUSY_SECONDS``."""


BUSY_SECONDS = 10.0  # how long a write waits for other processes writing the file
COLUMNS = ["quarter", *KEY, "action", "note", "snoozed_until", "severity", "evidence_number",
           "by_user", "recorded_at"]  # fmt: skip


_INSERT = (f"insert into triage_actions ({', '.join(COLUMNS)}) "
           f"values ({', '.join('?' * len(COLUMNS))})")  # fmt: skip


def _problem(path: Path, exc: BaseException) -> TriageError:
    """The one sentence a failed triage call says, naming the real cause."""
    text = str(exc).lower()
    writable = os.access(path.parent, os.W_OK) if path.parent.exists() else True
    if isinstance(exc, PermissionError) or "readonly" in text or not writable:
        return TriageError(f"The triage file {path} cannot be written: its folder or the file "
                           "is read-only. Nothing was recorded.")  # fmt: skip
    if "disk is full" in text or "no space" in text:
        return TriageError(f"The disk holding the triage file {path} is full. Nothing was "
                           "recorded; free some space and try again.")  # fmt: skip
    if "locked" in text or "busy" in text:
        return TriageBusy(f"The triage file {path} is busy: other processes kept writing it for "
                          f"{BUSY_SECONDS:g} s. Nothing was recorded; try again.")  # fmt: skip
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return TriageError(f"The triage file {path} is damaged ({exc}).")
    return TriageError(f"The triage file {path} cannot be opened ({exc}).")


class Triage:
    """The coaches' actions in their own SQLite journal (WAL), a connection per call."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.old = self.path.with_name(OLD_FILE_NAME)

    @contextmanager
    def _connection(self, write: bool) -> Iterator[sqlite3.Connection]:
        """A connection for one call. A reader of a file that does not exist yet gets an
        empty in-memory journal (nothing is created by reading); a folder that cannot be
        written is read through SQLite's read-only (immutable) mode."""
        try:
            if not write and self.old.exists() and not os.access(self.path.parent, os.W_OK):
                con = sqlite3.connect(":memory:")  # a read-only folder: read the old file
                con.executescript(db.sql("triage_schema"))
                con.executemany(_INSERT, _old_actions(self.old) or [])
            elif write or self.old.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                con = self._open(f"file:{self.path}?mode=rwc")
                try:
                    self._prepare(con)
                except BaseException:
                    con.close()
                    raise
            elif not self.path.exists():
                con = sqlite3.connect(":memory:")
                con.executescript(db.sql("triage_schema"))
            elif os.access(self.path.parent, os.W_OK) and os.access(self.path, os.W_OK):
                con = self._open(f"file:{self.path}?mode=rw")
            else:  # nothing can write it here, so nothing changes it while it is read
                con = self._open(f"file:{self.path}?mode=ro&immutable=1")
        except (sqlite3.Error, OSError) as exc:
            raise _problem(self.path, exc) from exc
        try:
            with closing(con):
                yield con
        except sqlite3.Error as exc:
            raise _problem(self.path, exc) from exc

    def _open(self, uri: str) -> sqlite3.Connection:
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, isolation_level=None)
        con.execute(f"pragma busy_timeout = {int(BUSY_SECONDS * 1000)}")
        return con

    def _prepare(self, con: sqlite3.Connection) -> None:
        """WAL mode and the schema (both idempotent), then the old DuckDB file's actions."""
        if con.execute("pragma journal_mode").fetchone()[0] != "wal":
            con.execute("pragma journal_mode = wal")
        con.executescript(db.sql("triage_schema"))
        if self.old.exists():
            self._migrate(con)

    def _migrate(self, con: sqlite3.Connection) -> None:
        """Copy every action of ``triage.duckdb`` in, once (one transaction, marked in
        ``triage_migrations``), then keep the old file as ``triage.duckdb.migrated``. An old
        file that cannot be read stays where it is, untouched, and is tried again next time."""
        con.execute("begin immediate")  # one process migrates; the others wait, then see it
        try:
            done = con.execute("select 1 from triage_migrations where source = ?",
                               (OLD_FILE_NAME,)).fetchone()  # fmt: skip
            if not done:
                rows = _old_actions(self.old)
                if rows is None:
                    con.execute("rollback")
                    return
                con.executemany(_INSERT, rows)
                con.execute("insert into triage_migrations values (?, ?, ?)",
                            (OLD_FILE_NAME, len(rows), _now()))  # fmt: skip
            con.execute("commit")
        except BaseException:
            if con.in_transaction:
                con.execute("rollback")
            raise
        try:
            os.replace(self.old, self.old.with_name(OLD_FILE_NAME + ".migrated"))
            wal = self.old.with_name(OLD_FILE_NAME + ".wal")
            if wal.exists():
                os.replace(wal, self.old.with_name(OLD_FILE_NAME + ".migrated.wal"))
        except FileNotFoundError:
            pass  # another process renamed it first

    def record(
        self,
        row: pd.Series,
        action: str,
        by: str,
        *,
        note: str | None = None,
        until: pd.Timestamp | None = None,
        at: pd.Timestamp | None = None,
    ) -> None:
        """Acknowledge (``acknowledge``), snooze (``snooze``, needs ``until``) or ``reopen`` a
        signal row (quarter, signal, team, objective_id, kr_id, severity, evidence_number)."""
        if action not in ("acknowledge", "snooze", "reopen"):
            raise ValueError(f"unknown triage action: {action!r}")
        if action == "snooze" and until is None:
            raise ValueError("a snooze needs a date to end")
        number = row.get("evidence_number")
        params: dict[str, object] = {
            c: "" if pd.isna(row.get(c)) else str(row[c]) for c in ["quarter", *KEY]
        }
        params |= {
            "action": action,
            "note": (note or "").strip()[:500] or None,
            "snoozed_until": None if until is None else pd.Timestamp(until).date().isoformat(),
            "severity": str(row["severity"]),
            "evidence_number": None if number is None or pd.isna(number) else float(number),
            "by_user": by,
            "recorded_at": _stamp(at or pd.Timestamp.now()),
        }
        with self._connection(write=True) as con:
            con.execute(db.sql("triage_insert"), params)  # autocommit: its own transaction

    def current(self) -> pd.DataFrame:
        """The triage in force: each handled signal's latest action."""
        return self._frame("triage_current")

    def history(self) -> pd.DataFrame:
        """Every action ever recorded, newest first."""
        return self._frame("triage_history")

    def _frame(self, name: str) -> pd.DataFrame:
        with self._connection(write=False) as con:
            cur = con.execute(db.sql(name))
            names = [d[0] for d in cur.description]
            out = pd.DataFrame(cur.fetchall(), columns=names)
        for c in names:
            if c == "evidence_number":
                out[c] = out[c].astype("float64")
            elif c == "action_id":
                out[c] = out[c].astype("int64")
            elif c == "recorded_at":
                out[c] = pd.to_datetime(out[c], format="ISO8601")
            elif c == "snoozed_until":
                out[c] = pd.to_datetime(out[c], format="ISO8601")
            else:
                out[c] = out[c].astype("string")
        return out


def _stamp(at: pd.Timestamp) -> str:
    return pd.Timestamp(at).strftime("%Y-%m-%d %H:%M:%S.%f")


def _now() -> str:
    return _stamp(pd.Timestamp.now())


def _old_actions(path: Path) -> list[tuple] | None:
    """Every action in a DuckDB triage file of an earlier version (None: it cannot be read)."""
    import duckdb

    try:
        con = db.connect(path, allowed_dirs=[path.parent], read_only=True)
    except duckdb.Error:
        return None
    try:
        found = con.execute(
            f"select {', '.join(COLUMNS)} from triage_actions order by action_id"
        ).fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    out = []
    for found_row in found:
        r = list(found_row)
        r[7] = None if r[7] is None else pd.Timestamp(r[7]).date().isoformat()  # snoozed_until
        r[11] = _stamp(pd.Timestamp(r[11]))  # recorded_at
        out.append(tuple(r))
    return out
