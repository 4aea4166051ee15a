"""Other versions of Puzzle ITC's OKR tool (github puzzle/okr, its Flyway migrations under
``backend/src/main/resources/db/migration/``), on fixtures of our own rows in each version's
layout:

- ``V1_5_0__createOverviewView.sql``: the first ``overview`` view, upper case (H2), check-ins
  still called measures (``MEASURE_ID, MEASURE_VALUE, MEASURE_DATE, CREATED_ON``) and key
  results with ``BASIS_VALUE`` / ``TARGET_VALUE`` (``joined_view/overview_v1_5.csv``);
- ``V2_1_0__createOverviewView.sql`` / ``V2_1_1__checkInRefactoringDropAttrsAddNew.sql``: the
  view after check-ins were renamed, the check-in's day a bare ``created_on`` as its last
  column (``check_in_created_on`` only from ``V2_1_2``) (``joined_view/overview_v2_1.csv``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from okrdata import ingest
from okrdata.config import Config

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


@pytest.mark.parametrize("name", ["overview_v2_1.csv", "overview_v1_5.csv"])
def test_puzzles_older_overview_views_are_read_as_the_view(name):
    result = ingest.load([FIXTURES / "joined_view" / name], config=Config(fiscal_start_month=7))
    assert result.report.ok, result.report.to_text()
    ds = result.dataset
    assert sorted(ds.objectives["objective_id"]) == ["70", "71"]
    assert sorted(ds.key_results["kr_id"]) == ["80", "81", "82"]
    ck = ds.checkins.set_index("kr_id")
    assert sorted(ck.index) == ["80", "81"]  # 82: check-in id -1, none
    assert ck.loc["80", "value"] == 4.0
    assert ck.loc["80", "date"] == pd.Timestamp("2024-11-04")  # the day measured, where given
    assert result.dataset.objectives["quarter"].unique().tolist() == ["2024-Q2"]
    entry = result.ledger.entry(name)
    assert (entry.read, entry.imported, entry.kept_aside) == (4, 3, 1)  # /hr: ids -1


def test_the_first_view_s_basis_value_is_the_start():
    result = ingest.load([FIXTURES / "joined_view" / "overview_v1_5.csv"])
    krs = result.dataset.key_results.set_index("kr_id")
    assert krs.loc["80", ["start_value", "target_value"]].tolist() == [10.0, 1.0]
    unused = next(i for i in result.report.issues if i.code == "unknown_columns")
    # the objective's own progress and the measure's creation time are listed, not lost
    assert "PROGRESS" in unused.value and "CREATED_ON" in unused.value
