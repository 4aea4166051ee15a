"""Fixtures shared by the store tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

SAMPLE = Path("sample_data")


@pytest.fixture(scope="module")
def q4_retitled(tmp_path_factory) -> Path:
    """The sample's 2026-Q4 only, with one objective retitled: a second, smaller import."""
    out = tmp_path_factory.mktemp("q4")
    okrs = pd.read_csv(SAMPLE / "okrs.csv", dtype=str, keep_default_na=False)
    okrs = okrs[okrs["quarter"] == "2026-Q4"].copy()
    first = okrs["objective_id"].iloc[0]
    okrs.loc[okrs["objective_id"] == first, "objective"] = "Retitled in the second import"
    okrs.to_csv(out / "okrs.csv", index=False)
    checkins = pd.read_csv(SAMPLE / "checkins.csv", dtype=str, keep_default_na=False)
    checkins[checkins["kr_id"].isin(okrs["kr_id"])].to_csv(out / "checkins.csv", index=False)
    return out
