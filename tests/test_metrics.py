"""Progress, pace, status, forecast, roll-ups and health against hand-computed numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from okrdata import health, metrics, snapshot
from okrdata.config import Config
from okrdata.model import Dataset

AS_OF = pd.Timestamp("2026-08-15")  # 2026-Q3: day 46 of 92 -> elapsed 0.5


def objective(oid="O1", team="T1", department="D1", parent=None, quarter="2026-Q3", **kw):
    return dict(objective_id=oid, objective=f"Objective {oid}", quarter=quarter, team=team,
                department=department, parent_objective_id=parent, **kw)  # fmt: skip


def kr(kid, oid="O1", start=0.0, target=100.0, current=None, metric=None, weight=1.0):
    return dict(kr_id=kid, objective_id=oid, start_value=start, target_value=target,
                current_value=current, metric_type=metric, weight=weight)  # fmt: skip


def checkin(kid, date, value, target=None, confidence=None, status=None):
    return dict(
        kr_id=kid, date=date, value=value, target_value=target, confidence=confidence, status=status
    )


def data(objectives, krs, checkins=(), exported="2026-07-01") -> Dataset:
    """Frames as an export made on ``exported``: its current values count from that day."""
    return Dataset.from_frames(
        export_date=pd.Timestamp(exported),
        objectives=pd.DataFrame(objectives),
        key_results=pd.DataFrame(krs),
        checkins=pd.DataFrame(list(checkins), columns=["kr_id", "date", "value", "target_value"]),
    )


def progress(ds: Dataset, as_of=AS_OF, config=Config()) -> pd.DataFrame:
    return metrics.kr_progress(ds, as_of, config).set_index("kr_id")


def test_default_quarter_has_started_and_as_of_is_today_capped_at_its_end():
    ds = data(
        [objective("O2", quarter="2026-Q2"), objective(), objective("O4", quarter="2026-Q4")],
        [kr("K1")],
        [checkin("K1", "2027-08-09", 2)],  # a mistyped year: never moves a default
    )
    today = pd.Timestamp("2026-09-10")
    assert metrics.default_quarter(ds, today) == "2026-Q3"
    assert metrics.default_as_of("2026-Q3", today) == today
    assert metrics.default_as_of("2026-Q2", today) == pd.Timestamp("2026-06-30")
    assert metrics.default_quarter(ds, pd.Timestamp("2026-01-05")) == "2026-Q2"  # none started


@pytest.mark.parametrize(
    "metric, start, target, current, raw, score",
    [
        ("increase", 0, 200, 50, 0.25, 0.25),
        ("increase", 10, 20, 25, 1.5, 1.0),  # over 100 % kept raw, clipped as score
        ("decrease", 10, 5, 12, -0.4, 0.0),  # decrease ending above its start: negative
        ("decrease", 10, 5, 6, 0.8, 0.8),
        (None, 50, 20, 35, 0.5, 0.5),  # inferred decrease (target < start)
        ("binary", 0, 1, 1, 1.0, 1.0),
        ("binary", 0, 1, 0, 0.0, 0.0),
        ("stay_above", 0, 99.5, 99.5, 1.0, 1.0),  # equality holds the line
        ("stay_above", 0, 99.5, 99.4, 0.0, 0.0),
        ("stay_below", 0, 200, 200, 1.0, 1.0),
        ("stay_below", 0, 200, 201, 0.0, 0.0),
        ("increase", 5, 5, 4, 0.0, 0.0),  # target equal to start: no division error
        ("increase", 5, 5, 5, 1.0, 1.0),
    ],
)
def test_raw_progress_and_score(metric, start, target, current, raw, score):
    ds = data(
        [objective()],
        [kr("K1", start=start, target=target, metric=metric)],
        [checkin("K1", "2026-08-01", current)],
    )
    row = progress(ds).loc["K1"]
    assert row["raw_progress"] == pytest.approx(raw)
    assert row["score"] == pytest.approx(score)


def test_current_value_latest_checkin_then_export_value_then_start():
    ds = data(
        [objective()],
        [kr("K1", current=90), kr("K2", current=30), kr("K3", start=5, target=15)],
        [
            checkin("K1", "2026-07-10", 20),
            checkin("K1", "2026-08-01", 40),
            checkin("K1", "2026-08-20", 70),
        ],
    )
    p = progress(ds)
    assert p.loc["K1", "current_value"] == 40  # the 20 Aug check-in is after as of
    assert p.loc["K1", "last_checkin"] == pd.Timestamp("2026-08-01")
    assert p.loc["K1", "n_checkins"] == 2
    assert p.loc["K2", ["current_value", "score", "n_checkins"]].tolist() == [30, 0.3, 0]
    assert pd.isna(p.loc["K2", "last_checkin"])
    assert p.loc["K3", ["current_value", "score"]].tolist() == [5, 0.0]


def test_target_rescoped_mid_quarter_applies_from_its_date():
    ds = data(
        [objective()],
        [kr("K1", target=100)],
        [
            checkin("K1", "2026-07-15", 30),
            checkin("K1", "2026-08-01", 40, target=80),
            checkin("K1", "2026-08-10", 60),
        ],
    )
    before = progress(ds, pd.Timestamp("2026-07-20")).loc["K1"]
    assert (before["target_value"], before["score"]) == (100, 0.3)
    after = progress(ds).loc["K1"]
    assert (after["target_value"], after["raw_progress"]) == (80, 0.75)


def test_elapsed_expected_and_status_thresholds():
    krs = [kr("A", current=100), kr("B", current=35), kr("C", current=20), kr("D", current=19)]
    p = progress(data([objective()], krs))
    assert p["elapsed"].tolist() == [0.5] * 4 and p["expected"].tolist() == [0.5] * 4
    assert p["status"].tolist() == ["done", "on_track", "at_risk", "off_track"]  # 1, .35, .20, .19


def test_fiscal_year_offset_quarter():
    config = Config(fiscal_start_month=2)  # fiscal 2026-Q1 = 1 Feb – 30 Apr 2026 (89 days)
    ds = data([objective(quarter="2026-Q1")], [kr("K1", current=10)], exported="2026-02-01")
    row = progress(ds, pd.Timestamp("2026-03-01"), config).loc["K1"]
    assert row["elapsed"] == pytest.approx(29 / 89)
    assert row["status"] == "at_risk"  # 0.10 vs expected 0.326: at most 0.30 behind


def test_quarters_before_and_after_as_of():
    ds = data(
        [objective("O1", quarter="2026-Q2"), objective("O2", quarter="2026-Q4")],
        [kr("K1"), kr("K2", "O2")],
    )
    p = progress(ds)
    assert p.loc["K1", "elapsed"] == 1.0 and p.loc["K2", "elapsed"] == 0.0


def test_forecast_theil_sen_ignores_one_outlier():
    checkins = [
        checkin("K1", f"2026-07-{d:02d}", v)
        for d, v in [(2, 10), (9, 17), (16, 90), (23, 31), (30, 38)]
    ]
    row = progress(data([objective()], [kr("K1", target=200)], checkins)).loc["K1"]
    # slope: median of pairwise slopes = 1/day; intercept at 2 Jul is 10 -> 30 Sep (day +90) is 100
    assert row["forecast_value"] == pytest.approx(100.0)
    assert row["forecast_score"] == pytest.approx(0.5)


def test_forecast_needs_two_checkins_a_week_apart_and_past_quarters_keep_value():
    ds = data(
        [objective(), objective("O2", quarter="2026-Q2")],
        [kr("K1"), kr("K2", "O2"), kr("K3", current=25), kr("K4", target=1, metric="binary"),
         kr("K5"), kr("K6")],
        [
            checkin("K1", "2026-07-31", 30),
            checkin("K2", "2026-06-01", 40),
            checkin("K4", "2026-08-01", 0),
            checkin("K5", "2026-07-31", 30), checkin("K5", "2026-08-01", 33),  # one day apart
            checkin("K6", "2026-07-31", 30), checkin("K6", "2026-08-07", 37),  # a week apart
        ],
    )  # fmt: skip
    p = progress(ds)
    assert pd.isna(p.loc["K1", "forecast_value"])  # one check-in: not enough
    assert pd.isna(p.loc["K3", "forecast_value"])  # an export value alone: not enough
    assert pd.isna(p.loc["K5", "forecast_score"])  # two a day apart say nothing about a trend
    assert p.loc["K6", "forecast_value"] == pytest.approx(30 + 61)  # +1/day from 31 Jul to 30 Sep
    assert p.loc["K2", "forecast_value"] == 40  # quarter over: its value stays
    assert pd.isna(p.loc["K4", "forecast_value"])  # binary: no trend


def test_forecast_is_clipped_to_minus_one_and_two_in_progress_units():
    steep = [checkin("K1", "2026-07-01", 0), checkin("K1", "2026-07-08", 70)]
    p = progress(data([objective()], [kr("K1")], steep))
    assert p.loc["K1", "forecast_score"] == 2.0


def test_latest_confidence_and_reported_status():
    ds = Dataset.from_frames(
        objectives=pd.DataFrame([objective()]),
        key_results=pd.DataFrame([kr("K1")]),
        checkins=pd.DataFrame(
            [
                checkin("K1", "2026-07-10", 5, confidence=0.9, status="on_track"),
                checkin("K1", "2026-08-10", 9, confidence=0.4, status="at_risk"),
            ]
        ),  # fmt: skip
    )
    row = progress(ds).loc["K1"]
    assert (row["latest_confidence"], row["latest_reported_status"]) == (0.4, "at_risk")


def company() -> Dataset:
    objectives = [
        objective("C", team="Exec", department="Lead", level="company"),
        objective("O1", parent="C", okr_type="aspirational", origin="top_down"),
        objective("O2", parent="C", okr_type="committed", origin="bottom_up"),
        objective("O3", team="T2", parent=None, okr_type="aspirational"),
    ]
    krs = [
        kr("K1", "O1", current=60, weight=3),
        kr("K2", "O1", current=20, weight=1),
        kr("K3", "O2", current=40, weight=0),
        kr("K4", "O2", current=80, weight=0),
        kr("K5", "C", current=10),
    ]
    return data(objectives, krs, [checkin("K1", "2026-08-10", 60), checkin("K3", "2026-07-01", 40)])


def test_objective_weighted_mean_and_all_zero_weights_equal():
    krs = metrics.kr_progress(company(), AS_OF)
    o = metrics.objective_progress(company(), krs).set_index("objective_id")
    assert o.loc["O1", "progress"] == pytest.approx((3 * 0.6 + 0.2) / 4)  # 0.5
    assert o.loc["O2", "progress"] == pytest.approx(0.6)  # zero weights -> equal
    assert o.loc["C", "progress"] == pytest.approx(0.1)  # has a KR: KRs only
    assert pd.isna(o.loc["O3", "progress"]) and o.loc["O3", "n_krs"] == 0
    assert o.loc["O1", ["expected", "status"]].tolist() == [0.5, "on_track"]


def test_objective_without_krs_takes_aligned_mean():
    ds = data(
        [objective("C", team="Exec"), objective("O1", parent="C")], [kr("K1", "O1", current=40)]
    )
    o = metrics.objective_progress(ds, metrics.kr_progress(ds, AS_OF)).set_index("objective_id")
    assert o.loc["C", ["progress", "level"]].tolist() == [0.4, "company"]
    assert o.loc["O1", "level"] == "team"


def test_team_and_department_progress():
    ds = company()
    o = metrics.objective_progress(ds, metrics.kr_progress(ds, AS_OF))
    teams = metrics.team_progress(o).set_index("team")
    assert teams.loc["T1", ["progress", "n_objectives", "status"]].tolist() == [
        pytest.approx(0.55),
        2,
        "on_track",
    ]
    depts = metrics.department_progress(o).set_index("department")
    assert depts.loc["D1", "progress"] == pytest.approx(0.55)  # O3 has no progress: left out
    assert depts.loc["Lead", ["progress", "status"]].tolist() == [pytest.approx(0.1), "off_track"]


def burn(ds: Dataset, as_of, quarter: str, team: str | None = None) -> pd.DataFrame:
    snap = snapshot.build(ds, quarter, as_of)
    krs = snap.qkrs if team is None else snap.qkrs[snap.qkrs["team"] == team]
    return metrics.burnup(krs, snap.history, snap.as_of, quarter)


def test_burnup_weekly_progress_expected_and_forecast():
    ds = data(
        [objective()],
        [kr("K1"), kr("K2")],
        [
            checkin("K1", "2026-07-05", 10),
            checkin("K1", "2026-07-20", 30),
            checkin("K2", "2026-07-10", 50),
        ],
    )
    b = burn(ds, pd.Timestamp("2026-07-22"), "2026-Q3")
    assert b["date"].iloc[:4].dt.strftime("%m-%d").tolist() == ["07-01", "07-08", "07-15", "07-22"]
    assert b["progress"].iloc[:4].tolist() == pytest.approx([0.0, 0.05, 0.3, 0.4])
    assert b["expected"].iloc[3] == pytest.approx(22 / 92)
    assert b["date"].iloc[-1] == pd.Timestamp("2026-09-30") and pd.isna(b["progress"].iloc[-1])
    assert b["forecast"].iloc[3] == pytest.approx(0.4)
    p = metrics.kr_progress(ds, pd.Timestamp("2026-07-22"))  # K2 (one check-in) keeps its score
    assert b["forecast"].iloc[-1] == pytest.approx(
        p["forecast_score"].clip(0, 1).fillna(p["score"]).mean()
    )
    assert b["forecast"].iloc[:3].isna().all()


def test_burnup_counts_only_the_selected_quarter_and_team():
    ds = data(
        [objective(), objective("O2", team="T2"), objective("O0", quarter="2026-Q2")],
        [kr("K1"), kr("K2", oid="O2"), kr("K0", oid="O0")],
        [
            checkin("K1", "2026-07-20", 30),
            checkin("K2", "2026-07-20", 90),
            checkin("K0", "2026-06-20", 100),  # an earlier quarter's KR, done: not in Q3's line
        ],
    )
    as_of = pd.Timestamp("2026-07-22")
    whole = burn(ds, as_of, "2026-Q3")
    assert whole.loc[whole["date"] == as_of, "progress"].item() == pytest.approx(0.6)
    t1 = burn(ds, as_of, "2026-Q3", team="T1")
    assert t1.loc[t1["date"] == as_of, "progress"].item() == pytest.approx(0.3)


def test_health_by_department_and_team():
    ds = company()
    krs = metrics.kr_progress(ds, AS_OF)
    objs = metrics.objective_progress(ds, krs)
    h = health.okr_health(ds, krs, objs, AS_OF, by="department").set_index("department")
    d1 = h.loc["D1"]
    assert d1["n_objectives"] == 3 and d1["n_krs"] == 4
    assert d1["checkin_discipline"] == pytest.approx(1 / 4)  # only K1 within 7 days
    assert d1["alignment_share"] == pytest.approx(2 / 3)
    assert d1["objectives_per_team"] == pytest.approx(1.5)
    assert d1["aspirational_score"] == pytest.approx(0.5)  # O1; O3 has no progress
    # mid-quarter (pace 0.5) the band is 0.30-0.35 and the committed target 0.5
    assert d1["aspirational_calibration"] == "above band"
    assert (d1["committed_score"], d1["committed_gap"]) == (pytest.approx(0.6), pytest.approx(-0.1))
    assert d1["top_down_share"] == pytest.approx(0.5)
    teams = health.okr_health(ds, krs, objs, AS_OF, by="team")
    assert set(teams["team"]) == {"Exec", "T1", "T2"}
    wide = dataclasses.replace(Config(), checkin_cadence_days=60)
    assert (
        health.okr_health(ds, krs, objs, AS_OF, wide)
        .set_index("department")
        .loc["D1", "checkin_discipline"]
        == 0.5
    )


def test_kr_progress_vectorised_on_many_checkins():
    n_krs, per_kr = 2000, 20
    rng = np.random.default_rng(1)
    objs = [objective(f"O{i}") for i in range(n_krs // 4)]
    krs = [kr(f"K{i}", f"O{i // 4}") for i in range(n_krs)]
    days = pd.date_range("2026-07-01", periods=per_kr, freq="3D")
    checkins = pd.DataFrame(
        {"kr_id": np.repeat([f"K{i}" for i in range(n_krs)], per_kr),
         "date": np.tile(days, n_krs), "value": rng.uniform(0, 100, n_krs * per_kr)}
    ).sample(frac=1, random_state=1)  # fmt: skip
    ds = Dataset.from_frames(
        objectives=pd.DataFrame(objs), key_results=pd.DataFrame(krs), checkins=checkins
    )
    p = metrics.kr_progress(ds, AS_OF).set_index("kr_id")
    latest = (
        checkins[checkins["date"] <= AS_OF].sort_values("date").groupby("kr_id")["value"].last()
    )
    assert np.allclose(p.loc[latest.index, "current_value"], latest)


def test_key_result_progress_goes_to_arrow_whole_without_a_warning(sample):
    """Its attributes (the day it is as of, whether objectives span quarters) are JSON, so
    Arrow keeps them with the frame (a table drawn, an answer kept on disk): pyarrow warned
    "Could not serialize pd.DataFrame.attrs: Object of type Timestamp" and dropped them."""
    import warnings

    import pyarrow as pa

    as_of = pd.Timestamp("2026-11-16")
    krs = metrics.kr_progress(sample, as_of)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = pa.Table.from_pandas(krs).to_pandas()
    assert back.attrs == krs.attrs and krs.attrs["spanning"] in (True, False)
    objs = metrics.objective_progress(sample, back)  # read from the attributes Arrow kept
    pd.testing.assert_frame_equal(objs, metrics.objective_progress(sample, krs))
