"""Every surface that shows a number for a selection shows the same number.

For the bundled sample and for seeded generated companies: the Overview headline and department
bars, the Team page, the Trends burn-up on the as-of day, the HTML report and the CLI
(``signals``, ``report``) agree, and the app itself (AppTest) shows the headline the report shows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from okrdata import metrics, report, sample, views
from okrdata.cli import main
from okrdata.ingest import load_dir
from okrdata.model import export_day

pytestmark = pytest.mark.slow  # every surface on three companies: make test, not the check loop

ROOT = Path(__file__).resolve().parents[1]


def pct(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:.0%}"


@pytest.fixture(scope="module", params=["sample", 3, 11])
def company(request, tmp_path_factory) -> tuple[Path, views.Base]:
    """A folder of exports and its Base as the app computes it by default."""
    if request.param == "sample":
        folder = ROOT / "sample_data"
    else:
        folder = tmp_path_factory.mktemp(f"company{request.param}")
        sample.generate(folder, teams=14, seed=request.param)
    ds = load_dir(folder).dataset
    opts = views.options(ds, today=export_day(ds.checkins))
    return folder, views.base(ds, opts.default_quarter, opts.default_as_of)


def burn_at(b: views.Base, f: views.Filters) -> float:
    line = views.trends(b, f).burnup.set_index("date")["progress"]
    return float(line.loc[b.as_of])


def test_headline_burnup_and_report_agree(company):
    _, b = company
    whole = views.Filters(b.quarter)
    headline = views.overview(b, whole).headline
    assert headline["Average progress"] == pct(burn_at(b, whole))
    page = report.render(b)
    for label, value in headline.items():
        assert f"<b>{value}</b><span>{label}</span>" in page


def test_department_bars_match_each_departments_own_view(company):
    _, b = company
    bars = views.overview(b, views.Filters(b.quarter)).departments.set_index("department")
    assert len(bars) >= 3
    for dept, row in bars.iterrows():
        f = views.Filters(b.quarter, department=dept)
        assert views.overview(b, f).headline["Average progress"] == pct(row["progress"]), dept
        if pd.notna(row["progress"]):
            assert burn_at(b, f) == pytest.approx(row["progress"]), dept


def teams_to_check(b: views.Base) -> list[str]:
    """A sample of the quarter's teams that holds every case: the first team of each department,
    the teams with the best and the worst progress, one without progress (when there is one),
    and the team with the most signals."""
    progress = metrics.team_progress(b.snap.qobjs, b.config)
    progress = progress[progress["quarter"] == b.quarter]
    chosen = set(progress.groupby("department")["team"].min())
    scored = progress.dropna(subset=["progress"]).sort_values(["progress", "team"])
    chosen |= {scored["team"].iloc[0], scored["team"].iloc[-1]}
    chosen |= set(progress.loc[progress["progress"].isna(), "team"].sort_values()[:1])
    counts = b.found.loc[b.found["team"].isin(progress["team"]), "team"].value_counts()
    chosen.add(min(counts.index, key=lambda t: (-counts[t], t)))
    return sorted(chosen)


def test_the_teams_checked_hold_every_department_and_the_extremes(company):
    _, b = company
    teams = sorted(set(b.snap.qobjs["team"]))
    assert len(teams) >= 10
    chosen = teams_to_check(b)
    assert set(chosen) <= set(teams)
    assert set(b.snap.qobjs.loc[b.snap.qobjs["team"].isin(chosen), "department"]) == set(
        b.snap.qobjs["department"]
    )
    assert len(chosen) < len(teams)  # a sample, not every team
    signals = views.signals_table(b, views.Filters(b.quarter))["team"].value_counts()
    assert signals[signals.index.isin(chosen)].max() == signals[signals.index.isin(teams)].max()


def test_team_page_matches_team_overview_and_burnup(company):
    _, b = company
    for team in teams_to_check(b):
        f = views.Filters(b.quarter, team=team)
        tv = views.team_view(b, f, team)
        assert views.overview(b, f).headline["Average progress"] == pct(tv.progress), team
        if pd.notna(tv.progress):
            assert burn_at(b, f) == pytest.approx(tv.progress), team


def test_cli_signals_and_report_show_what_the_app_shows(company, tmp_path, capsys):
    folder, b = company
    when = ["--data", str(folder), "--quarter", b.quarter, "--as-of", f"{b.as_of:%Y-%m-%d}"]
    assert main(["signals", *when, "--format", "json"]) == 0
    cli = pd.DataFrame(json.loads(capsys.readouterr().out))
    app = views.signals_table(b, views.Filters(b.quarter))
    assert len(cli) == len(app) > 0
    key = ["signal", "team", "objective_id", "kr_id", "evidence"]
    assert cli[key].fillna("").values.tolist() == app[key].fillna("").values.tolist()
    out = tmp_path / "report.html"
    assert main(["report", *when, "--out", str(out)]) == 0
    headline = views.overview(b, views.Filters(b.quarter)).headline
    cards = re.findall(r"<b>([^<]*)</b><span>([^<]*)</span>", out.read_text())
    assert [(label, value) for value, label in cards] == list(headline.items())


def test_the_app_shows_the_reports_headline_on_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("OKR_DB", str(tmp_path / "empty.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    ds = load_dir(ROOT / "sample_data").dataset
    text = report.build_report(ds, today=export_day(ds.checkins))
    assert f"<b>{shown['Average progress']}</b><span>Average progress</span>" in text
    assert f"<b>{shown['Objectives']}</b><span>Objectives</span>" in text
    st.cache_resource.clear()


def test_cli_defaults_on_the_sample_are_the_apps_defaults(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    ds = load_dir(ROOT / "sample_data").dataset
    opts = views.options(ds, today=export_day(ds.checkins))
    b = views.base(ds, opts.default_quarter, opts.default_as_of)
    assert main(["signals", "--format", "json"]) == 0
    cli = pd.DataFrame(json.loads(capsys.readouterr().out))
    assert cli.loc[cli["signal"] != "hockey_stick", "quarter"].unique().tolist() == [b.quarter]
    assert (
        cli["evidence"].tolist()
        == views.signals_table(b, views.Filters(b.quarter))["evidence"].tolist()
    )
