"""OKR health per department or team for one quarter (README "Computation", OKR health).

Columns: ``checkin_discipline`` (share of KRs with a check-in within the cadence of as of, or
of the quarter's end when it is over), ``alignment_share`` (share of objectives below company
level whose parent exists in the data), ``objectives_per_team`` (focus), ``aspirational_score`` against the
0.6–0.7 band (the mean progress of aspirational objectives that own key results;
``aspirational_calibration``: below / in band / above, the edges in band), ``committed_score``
against 1.0 (``committed_gap``), and ``top_down_share`` among objectives whose origin is given.
A quarter in progress is held to its pace: the band and the committed target are multiplied by
the share of the quarter passed by the as-of date (at mid-quarter 0.30–0.35 and 0.5), so a
quarter half done does not read "below band".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from okrdata.calendar import elapsed_fraction, quarter_bounds, quarter_of
from okrdata.config import Config
from okrdata.metrics import EPS
from okrdata.model import Dataset

_KEYS = {"department": ["department"], "team": ["department", "team"]}


def okr_health(
    ds: Dataset,
    krs: pd.DataFrame,
    objs: pd.DataFrame,
    as_of: pd.Timestamp,
    config: Config = Config(),
    by: str = "department",
    quarter: str | None = None,
) -> pd.DataFrame:
    """One row per department (or team) of ``quarter`` (default: the quarter of ``as_of``)."""
    if by not in _KEYS:
        raise ValueError(f"by must be one of {tuple(_KEYS)}, not {by!r}")
    keys = _KEYS[by]
    quarter = quarter or quarter_of(pd.Timestamp(as_of), config.fiscal_start_month)
    k = krs[krs["quarter"] == quarter]
    o = objs[objs["quarter"] == quarter]
    ref = min(
        pd.Timestamp(as_of).normalize(), quarter_bounds(quarter, config.fiscal_start_month)[1]
    )
    fresh = k["last_checkin"] >= ref - pd.Timedelta(days=config.checkin_cadence_days)
    kr_part = (
        k.assign(fresh=fresh)
        .groupby(keys, observed=True)
        .agg(n_krs=("kr_id", "size"), checkin_discipline=("fresh", "mean"))
    )
    o = o.assign(
        below=o["level"] != "company",
        linked=(o["level"] != "company") & o["aligned"],
        asp=o["progress"].where((o["okr_type"] == "aspirational") & (o["n_krs"] > 0)),
        com=o["progress"].where((o["okr_type"] == "committed") & (o["n_krs"] > 0)),
        top=(o["origin"] == "top_down").astype(float).where(o["origin"].notna()),
    )
    g = o.groupby(keys, observed=True)
    obj_part = g.agg(
        n_objectives=("objective_id", "size"),
        n_teams=("team", "nunique"),
        n_below=("below", "sum"),
        n_linked=("linked", "sum"),
        aspirational_score=("asp", "mean"),
        committed_score=("com", "mean"),
        top_down_share=("top", "mean"),
    )
    out = obj_part.join(kr_part, how="outer").reset_index()
    pace = elapsed_fraction(quarter, ref, config.fiscal_start_month)  # 1 once the quarter ended
    return _finish(out, quarter, keys, config, pace)


def _finish(
    out: pd.DataFrame, quarter: str, keys: list[str], config: Config, pace: float = 1.0
) -> pd.DataFrame:
    """Derived shares and labels, in a fixed column order; ``pace``: the share of the quarter
    passed, which the band and the committed target are held to."""
    low, high = (edge * pace for edge in config.aspirational_band)
    below = out["n_below"].astype(float)
    out["alignment_share"] = out["n_linked"].astype(float) / below.where(below > 0)
    out["objectives_per_team"] = out["n_objectives"] / out["n_teams"]
    asp = out["aspirational_score"]
    # the band's edges are in it: a mean of 0.7000000000000001 is the 0.70 it is shown as
    label = np.select([asp < low - EPS, asp > high + EPS], ["below band", "above band"], "in band")
    out["aspirational_calibration"] = pd.array(
        np.where(asp.isna(), np.array(None), label).astype(object), dtype="string"
    )
    out["committed_gap"] = config.committed_target * pace - out["committed_score"]
    out["quarter"] = quarter
    for col in ("n_objectives", "n_krs", "n_teams"):
        out[col] = out[col].fillna(0).astype("int64")
    cols = ["quarter", *keys, "n_objectives", "n_krs", "n_teams", "checkin_discipline"]
    cols += ["alignment_share", "objectives_per_team", "aspirational_score"]
    cols += ["aspirational_calibration", "committed_score", "committed_gap", "top_down_share"]
    return out[cols]
