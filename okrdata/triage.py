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

Actions are kept in their own DuckDB file beside the store (``triage.duckdb``), append-only,
so imports and restores of the store never touch them.

>>> found = pd.DataFrame({"signal": ["off_track"], "team": ["Sales"],
...                       "objective_id": ["O-1"], "kr_id": [None]})
>>> keys(found).tolist()
['off_track|Sales|O-1|']
"""

from __future__ import annotations

import getpass
import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from okrdata import db
from okrdata.display import words
from okrdata.signals import SEVERITIES
from okrdata.snapshot import Snapshot

KEY = ["signal", "team", "objective_id", "kr_id"]
WEEK = pd.Timedelta(days=7)
FILE_NAME = "triage.duckdb"
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
    day = pd.to_datetime(a["recorded_at"]).dt.strftime("%Y-%m-%d")
    who = a["by_user"].astype("string") + " on " + day.astype("string")
    note = (": " + a["note"].astype("string")).where(a["note"].fillna("") != "", "")
    text = np.select(
        [~handled, worse, ended, snoozed],
        [
            "",
            "back: worse than when handled by " + who,
            "back: snoozed until " + until.dt.strftime("%Y-%m-%d").astype("string"),
            "snoozed until " + until.dt.strftime("%Y-%m-%d").astype("string") + " by " + who + note,
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


class TriageBusy(RuntimeError):
    """Another process holds the triage file open for too long."""


_LOCK = threading.Lock()  # one connection at a time in this process (DuckDB shares instances)
BUSY_SECONDS = 10.0  # how long a call waits for other processes holding the file


class Triage:
    """The coaches' actions in their own small DuckDB file, opened only for each call."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self._has_schema():
            with self._connection(write=True) as con:
                db.run(con, "triage_schema")

    def _has_schema(self) -> bool:
        if not self.path.exists():
            return False
        with self._connection() as con:
            found = db.run(con, "triage_has_schema").fetchone()
        return bool(found and found[0])

    @contextmanager
    def _connection(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one call. Readers open the file read-only, so the app's replicas
        and the CLI read it at the same time; only recording an action (and creating the file)
        writes, and waits up to ``BUSY_SECONDS`` for the others to let go."""
        with _LOCK:
            deadline, pause = time.monotonic() + BUSY_SECONDS, 0.02
            while True:
                try:
                    con = db.connect(
                        self.path, allowed_dirs=[self.path.parent], read_only=not write
                    )
                    break
                except duckdb.IOException as exc:
                    if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                        raise TriageBusy(f"The triage file {self.path} is busy.") from exc
                    time.sleep(pause * random.uniform(0.5, 1.5))  # replicas do not retry in step
                    pause = min(pause * 2, 0.25)
            try:
                yield con
            finally:
                con.close()

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
            "snoozed_until": None if until is None else pd.Timestamp(until).date(),
            "severity": str(row["severity"]),
            "evidence_number": None if number is None or pd.isna(number) else float(number),
            "by_user": by,
            "recorded_at": (at or pd.Timestamp.now()).to_pydatetime(),
        }
        with self._connection(write=True) as con:
            db.run(con, "triage_insert", params)

    def current(self) -> pd.DataFrame:
        """The triage in force: each handled signal's latest action."""
        with self._connection() as con:
            return db.frame(con, db.sql("triage_current"))

    def history(self) -> pd.DataFrame:
        """Every action ever recorded, newest first."""
        with self._connection() as con:
            return db.frame(con, db.sql("triage_history"))
