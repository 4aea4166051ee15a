"""Fixtures shared by several test modules: an empty store for the app, the sample, a second import."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from okrdata.ingest import load_dir
from okrdata.store import Store

SAMPLE = Path("sample_data")

# imports compute the first page ahead before they exit, so that a test that reads it right
# after is not racing a background process (the default; ``test_precomputed`` tests that one)
os.environ.setdefault("OKR_WARM", "inline")


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


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    """Each test gets its own empty store, and the app's caches start empty."""
    path = tmp_path / "okr.duckdb"
    monkeypatch.setenv("OKR_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    Store(path).close()


@pytest.fixture(scope="module")
def sample():
    """The bundled sample, read once per module."""
    return load_dir("sample_data").dataset
