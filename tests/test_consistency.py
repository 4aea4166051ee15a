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
from tests.builders import old_company

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


def _progress_cli(args: list[str], capsys) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``python -m okrdata progress --format json`` as (objectives, key results) by id; each
    key result gets the objective whose row precedes it (``objective``)."""
    capsys.readouterr()
    assert main(["progress", *args, "--format", "json"]) == 0
    cli = pd.DataFrame(json.loads(capsys.readouterr().out))
    is_obj = cli["kind"] == "objective"
    cli["objective"] = cli["id"].where(is_obj).ffill()
    return cli[is_obj].set_index("id"), cli[~is_obj].set_index("id")


def _headline_of(objs: pd.DataFrame, krs: pd.DataFrame) -> dict[str, str]:
    """The Overview's first four cards from the progress command's rows, by their rules: the
    counts; the share of rated key results done or on track; the mean progress of the
    objectives that own key results."""
    rated = krs["status"].dropna()
    measured = objs.loc[objs.index.isin(krs["objective"]), "progress"].astype(float)
    return {
        "Objectives": f"{len(objs):,}",
        "Key results": f"{len(krs):,}",
        "On track": pct(rated.isin(["done", "on_track"]).mean()),
        "Average progress": pct(measured.mean()),
    }


def test_cli_progress_shows_the_snapshot_the_team_pages_and_the_report(company, capsys):
    folder, b = company
    when = ["--data", str(folder), "--quarter", b.quarter, "--as-of", f"{b.as_of:%Y-%m-%d}"]
    objs, krs = _progress_cli(when, capsys)
    snap_o = b.snap.qobjs.set_index("objective_id")
    snap_k = b.snap.qkrs.set_index("kr_id")
    assert sorted(objs.index) == sorted(snap_o.index) and len(objs) >= 10
    assert sorted(krs.index) == sorted(snap_k.index)
    assert (krs["objective"] == snap_k.loc[krs.index, "objective_id"]).all()
    for team in sorted(set(snap_o["team"])):
        tv = views.team_view(b, views.Filters(b.quarter, team=team), team)
        page_o, page_k = tv.objectives.set_index("objective_id"), tv.krs.set_index("kr_id")
        mine_o, mine_k = objs.loc[page_o.index], krs.loc[page_k.index]
        assert (mine_o["team"] == team).all() and (mine_k["team"] == team).all()
        assert mine_o["status"].tolist() == page_o["status"].tolist(), team
        assert mine_k["status"].tolist() == page_k["status"].tolist(), team
        for cli, page, col in ((mine_o, page_o, "progress"), (mine_k, page_k, "score")):
            assert cli["progress"].astype(float).to_numpy() == pytest.approx(
                page[col].astype(float).to_numpy(), nan_ok=True
            ), team
        for cli_col, col in (("value", "current_value"), ("target", "target_value")):
            assert mine_k[cli_col].astype(float).to_numpy() == pytest.approx(
                page_k[col].astype(float).to_numpy(), nan_ok=True
            ), team
    mine = _headline_of(objs, krs)
    headline = views.overview(b, views.Filters(b.quarter)).headline
    assert {k: headline[k] for k in mine} == mine
    page = report.render(b)
    for label, value in mine.items():
        assert f"<b>{value}</b><span>{label}</span>" in page


def test_the_app_shows_the_progress_commands_numbers_on_the_sample(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OKR_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.chdir(ROOT)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    objs, krs = _progress_cli([], capsys)  # the sample as of its own last check-in, as the app
    mine = _headline_of(objs, krs)
    assert {k: shown[k] for k in mine} == mine
    st.cache_resource.clear()


def test_report_cli_and_app_agree_on_a_store_whose_data_is_old(tmp_path, monkeypatch, capsys):
    """Newest check-in 20 days before today: every surface shows that day and says so."""
    today = pd.Timestamp.today().normalize()
    newest = today - pd.Timedelta(days=20)
    note = f"Data as of {newest:%d %b %Y}, 20 days ago."
    c = old_company(newest)
    monkeypatch.setenv("OKR_WARM", "inline")  # the import keeps the signals ahead
    db = tmp_path / "okr.duckdb"
    assert main(["import", str(c.write_csvs(tmp_path / "old")), "--db", str(db)]) == 0
    capsys.readouterr()
    out = tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--out", str(out)]) == 0
    assert note in capsys.readouterr().err
    html = out.read_text()
    assert f"As of {newest:%d %b %Y}:" in html and note in html
    cards = {
        label: value for value, label in re.findall(r"<b>([^<]*)</b><span>([^<]*)</span>", html)
    }
    listed = []
    for _ in range(2):  # the answer the import kept ahead, then again
        assert main(["signals", "--db", str(db), "--format", "json"]) == 0
        printed = capsys.readouterr()
        assert printed.err.strip() == f"note: {note}"
        listed.append(pd.DataFrame(json.loads(printed.out))["evidence"].tolist())
    b = views.base(c.dataset(), None, None, today=today)
    assert (
        listed[0]
        == listed[1]
        == views.signals_table(b, views.Filters(b.quarter))["evidence"].tolist()
    )
    monkeypatch.setenv("OKR_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert at.date_input(key="as_of").value == newest.date()
    assert note in [w.value for w in at.warning]
    shown = {m.label: m.value for m in at.metric}
    assert {label: shown[label] for label in cards} == cards
    assert shown["Teams that checked in"] == "2 of 2"  # both checked in on the data's last day
    st.cache_resource.clear()
