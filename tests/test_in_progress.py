"""Work in progress shown as such: Trends' quarter over quarter and calibration mark the quarter
in progress and hold it to its pace, not to a finished quarter.

The hand-built export (tests/fixtures/in_progress): 2026-Q2's aspirational P1 ended at 65 of
100; in 2026-Q3 the aspirational O1 stands at 32 and the committed C1 at 50. As of 15 Aug 2026,
46 of Q3's 92 days have passed (0.5): O1 is within its pace-scaled band (30–35 %) and C1 at its
pace (50 %), where a finished quarter's 60–70 % and 100 % would call both far below.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from okrdata import charts, views
from okrdata.ingest import load_dir
from okrdata.store import Store

FOLDER = Path(__file__).parent / "fixtures" / "in_progress"
APP = str(Path(__file__).resolve().parents[1] / "app.py")


def trends(as_of: str) -> views.Trends:
    ds = load_dir(FOLDER).dataset
    return views.trends(views.base(ds, "2026-Q3", pd.Timestamp(as_of)), views.Filters("2026-Q3"))


def test_the_quarter_in_progress_is_marked_and_held_to_its_pace():
    tr = trends("2026-08-15")
    q = tr.quarters.set_index("quarter")
    assert q.loc["2026-Q2", ["progress", "expected", "in_progress"]].tolist() == [
        pytest.approx(0.65), 1.0, False]  # fmt: skip
    assert q.loc["2026-Q3", ["progress", "expected", "in_progress"]].tolist() == [
        pytest.approx(0.41), pytest.approx(0.5), True]  # fmt: skip
    c = tr.calibration.set_index(["quarter", "okr_type"])
    assert c.loc[("2026-Q2", "aspirational"), ["target_low", "target_high"]].tolist() == [
        pytest.approx(0.6), pytest.approx(0.7)]  # fmt: skip
    assert c.loc[("2026-Q3", "aspirational"), ["mean_score", "target_low", "target_high"]].tolist(
    ) == [pytest.approx(0.32), pytest.approx(0.30), pytest.approx(0.35)]  # fmt: skip
    assert c.loc[("2026-Q3", "committed"), ["target_low", "target_high"]].tolist() == [
        pytest.approx(0.5), pytest.approx(0.5)]  # fmt: skip
    assert c["in_progress"].tolist() == [False, True, True]


def test_on_the_quarters_last_day_it_is_a_finished_quarter():
    tr = trends("2026-09-30")
    assert not tr.quarters["in_progress"].any() and not tr.calibration["in_progress"].any()
    assert views.in_progress_note(tr) is None
    c = tr.calibration.set_index(["quarter", "okr_type"])
    assert c.loc[("2026-Q3", "committed"), "target_low"] == pytest.approx(1.0)


def test_the_charts_mark_the_quarter_in_progress_and_draw_its_pace():
    tr = trends("2026-08-15")
    fig = charts.quarter_scores(tr.quarters)
    assert list(fig.data[0].x) == ["2026-Q2", "2026-Q3 (in progress)"]
    pace = next(t for t in fig.data if t.name == "pace so far")
    assert list(pace.y) == [pytest.approx(0.5)]
    fig = charts.calibration(tr.calibration)
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert list(bars["aspirational"].x) == ["2026-Q2", "2026-Q3 (in progress)"]
    assert list(bars["aspirational"].marker.pattern.shape) == ["", "/"]
    marks = {m.name: m for m in fig.layout.shapes if m.name}
    asp, com = marks["aspirational at pace"], marks["committed at pace"]
    assert (asp.y0, asp.y1) == (pytest.approx(0.30), pytest.approx(0.35))
    assert com.y0 == pytest.approx(0.5)
    # over their own bars: the second quarter (position 1), aspirational left of committed
    assert 0.5 < asp.x0 < asp.x1 <= com.x0 < com.x1 < 1.5


@pytest.mark.slow
def test_the_trends_page_says_the_quarter_is_in_progress(store_path):
    Store(store_path).import_files([FOLDER])
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"quarter": "2026-Q3", "as_of": "2026-08-15"})
    at = at.switch_page("pages/trends.py").run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("2026-Q3 is in progress (50% of it has passed)") for c in captions)
    specs = [c.proto.spec for c in at.get("plotly_chart")]
    assert sum("2026-Q3 (in progress)" in s for s in specs) == 2


def test_health_holds_a_quarter_in_progress_to_its_pace():
    """Sales in 2026-Q3: aspirational O1 at 0.32, committed C1 at 0.50. Mid-quarter (pace 0.5)
    that is within 0.30–0.35 and on the committed pace; on the last day, below 0.60–0.70 and
    0.50 short of 1.0."""
    ds = load_dir(FOLDER).dataset
    for as_of, label, gap in [("2026-08-15", "in band", 0.0), ("2026-09-30", "below band", 0.5)]:
        b = views.base(ds, "2026-Q3", pd.Timestamp(as_of))
        sales = views.overview(b, views.Filters("2026-Q3")).health.set_index("department")
        assert sales.loc["Sales", "aspirational_calibration"] == label, as_of
        assert sales.loc["Sales", "committed_gap"] == pytest.approx(gap), as_of
