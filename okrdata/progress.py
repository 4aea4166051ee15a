"""Every objective and key result of a snapshot's quarter, as ``python -m okrdata progress``
prints it (README "Command line"): the very numbers the pages show, read from the ``Snapshot``.

One row per objective, followed by its key results (in the order of the data): ``kind``
(``objective`` or ``key_result``), ``id``, ``title``, ``team``, ``department``, ``quarter``,
``value`` and ``target`` (a key result's value and target in force; empty for an objective),
``progress`` (0–1: an objective's progress, a key result's score), ``status`` and
``source_progress`` (the exporting tool's own figure, 0–1, when the export had one).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from okrdata.export import neutralise
from okrdata.snapshot import Snapshot

COLUMNS = [
    "kind", "id", "title", "team", "department", "quarter", "value", "target", "progress",
    "status", "source_progress",
]  # fmt: skip


def progress_table(snap: Snapshot) -> pd.DataFrame:
    """The quarter's objectives, each followed by its key results (see the module docstring)."""
    o = snap.qobjs.reset_index(drop=True)
    k = snap.qkrs.reset_index(drop=True)
    objs = pd.DataFrame(
        {
            "kind": "objective", "id": o["objective_id"], "title": o["objective"],
            "team": o["team"], "department": o["department"], "quarter": o["quarter"],
            "value": np.nan, "target": np.nan, "progress": o["progress"], "status": o["status"],
            "source_progress": o["source_progress"],
        }
    )  # fmt: skip
    krs = pd.DataFrame(
        {
            "kind": "key_result", "id": k["kr_id"], "title": k["key_result"], "team": k["team"],
            "department": k["department"], "quarter": k["quarter"], "value": k["current_value"],
            "target": k["target_value"], "progress": k["score"], "status": k["status"],
            "source_progress": k["source_progress"],
        }
    )  # fmt: skip
    position = pd.Series(np.arange(len(o)), index=o["objective_id"].to_numpy())
    order_o = np.arange(len(o), dtype=float)
    order_k = k["objective_id"].map(position).to_numpy(float)
    frame = pd.concat([objs, krs], ignore_index=True)
    frame["_objective"] = np.r_[order_o, order_k]
    frame["_row"] = np.r_[np.full(len(o), -1), np.arange(len(k))]
    frame = frame.sort_values(["_objective", "_row"], kind="stable")
    out = frame[COLUMNS].reset_index(drop=True)
    for col in ("value", "target", "progress", "source_progress"):
        out[col] = out[col].astype("float64")
    for col in ("kind", "id", "title", "team", "department", "quarter", "status"):
        out[col] = out[col].astype("string")
    return out


def progress_output(frame: pd.DataFrame, fmt: str) -> str:
    """What ``python -m okrdata progress`` prints: ``csv`` (formula-safe) or ``json`` records."""
    if fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    return str(neutralise(frame).to_csv(index=False))
