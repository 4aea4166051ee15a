"""A 2,000-team company (the benchmark's): every page works and says something at first sight."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from okrdata.cli import main
from tests.builders import imported_company

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["overview", "alignment", "trends", "signals", "team", "dependencies", "data"]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    return imported_company(tmp_path_factory.mktemp("big"), teams=2000, seed=7)


@pytest.fixture
def big_app(big_store, monkeypatch):
    monkeypatch.setenv("OKR_DB", str(big_store))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield lambda: AppTest.from_file(APP, default_timeout=300)
    st.cache_resource.clear()


def test_every_page_works_at_2000_teams_and_caps_what_it_draws(big_app):
    at = big_app().run()
    for name in PAGES:
        at.switch_page(f"pages/{name}.py").run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert at.title[0].value == name.capitalize()
        for frame in at.dataframe:  # no table asks the browser for more than a screenful of pages
            assert len(frame.value) <= 1000, name
        captions = " ".join(c.value for c in at.caption)
        if name == "alignment":  # each department's furthest behind, not every objective
            assert "Each department shows its 3 objectives furthest behind pace" in captions
            outline = at.dataframe[0].value
            groups = (outline["kind"] == "department").sum()
            assert (outline["kind"] == "objective").sum() <= 3 * groups < 300
        if name == "dependencies":  # one mark per department, never more than 40
            assert "the graph shows their 7 departments" in captions
            spec = json.loads(at.get("plotly_chart")[0].proto.spec)
            marks = [t for t in spec["data"] if t.get("name") == "teams"][0]
            assert len(marks["customdata"]) == 7
        if name == "team":  # no team chosen: every team, the furthest behind first
            assert "Showing the first 1,000 of" in captions
            assert at.dataframe[0].value["status"].iloc[0] == "✕ off track"
        if name == "overview":
            labels = [m.label for m in at.metric]  # the headline, then what changed this week
            assert labels[0] == "Objectives" and labels[-1] == "Resolved signals"


def test_a_department_and_a_team_at_2000_teams(big_app):
    at = big_app()
    at.query_params.update({"department": "Engineering"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="department").value == "Engineering"
    for name in ("alignment", "dependencies", "trends"):
        at.switch_page(f"pages/{name}.py").run()
        assert not at.exception, name
        if name == "dependencies":  # the department's dependencies at risk, at most 40 teams
            spec = json.loads(at.get("plotly_chart")[0].proto.spec)
            marks = [t for t in spec["data"] if t.get("name") == "teams"][0]
            assert 0 < len(marks["customdata"]) <= 40
    at = big_app()
    at.query_params.update({"team": "Payments 17"})
    at.run().switch_page("pages/team.py").run()
    assert not at.exception
    at.switch_page("pages/dependencies.py").run()  # the team's neighbourhood, at most 40 teams
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    marks = [t for t in spec["data"] if t.get("name") == "teams"][0]
    assert 0 < len(marks["customdata"]) <= 40 and "Payments 17" in marks["customdata"]
    assert "Payments 17 · Engineering" in at.switch_page("pages/team.py").run().text[0].value


def test_the_report_of_2000_teams_stays_a_few_pages(big_store, tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", "--db", str(big_store), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    # every table capped (departments, 25 objectives, 10 risks, 25 teams, 25 signals): it was
    # one row per team and 500 signals, 43,000 px tall
    assert page.count("<tr") < 150
    assert "<h2>In five minutes</h2>" in page and "The 25 furthest behind pace of" in page
