"""The HTML leadership report: self-contained, escaped, with the quarter's numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from okrdata import report
from okrdata.cli import main
from tests.builders import AS_OF, company


@pytest.fixture(scope="module")
def page() -> str:
    c = company()
    c.objectives[0]["objective"] = "<script>alert(1)</script> Grow"
    c.krs[0]["key_result"] = "[x](javascript:alert(1))"
    return report.build_report(c.dataset(), AS_OF)


def test_plotly_inlined_once_and_nothing_fetched(page):
    assert len(re.findall(r"plotly\.js v\d", page)) == 1  # the library, inlined once
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert page.count("Plotly.newPlot") == 3


def test_user_text_is_escaped(page):
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Grow" in page


def test_headline_and_sections(page):
    assert "<h1>OKR Pulse — 2026-Q3</h1>" in page
    assert "As of 26 Aug 2026: 62% of the quarter has passed" in page
    assert "<b>19</b><span>Objectives</span>" in page
    for section in (
        "Departments against pace",
        "Company objectives",
        "Top risks",
        "Signals for coaches (13)",
    ):
        assert section in page
    assert "No check-in for 28 days (last on 29 Jul 2026)." in page


def test_top_risks_lists_most_behind_first():
    b = report.views.base(company().dataset(), None, AS_OF)
    risks = report.views.top_risks(b.krs, b.as_of)
    assert risks["key_result"].tolist()[:2] == ["KR L1-1", "KR W1-1"]
    assert (risks["expected"] - risks["progress"]).iloc[0] == pytest.approx(57 / 92 - 0.10)


def test_cli_report_writes_file(tmp_path, capsys):
    c = company()
    folder = tmp_path / "data"
    folder.mkdir()
    okrs = pd.DataFrame(c.objectives).merge(pd.DataFrame(c.krs), on="objective_id", how="left")
    okrs.to_csv(folder / "okrs.csv", index=False)
    pd.DataFrame(c.checkins).to_csv(folder / "checkins.csv", index=False)
    out = tmp_path / "r" / "report.html"
    assert main(["report", "--data", str(folder), "--out", str(out), "--as-of", "2026-08-26"]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["report", "--data", str(folder), "--out", str(out), "--as-of", "someday"]) == 2
    assert "--as-of is not a date" in capsys.readouterr().err


def test_health_per_team_lists_every_team_of_the_quarter(page):
    b = report.views.base(company().dataset(), None, AS_OF)
    teams = report.views.team_health(b)
    quarter_teams = set(b.snap.qobjs["team"].dropna()) | set(b.krs["team"].dropna())
    assert set(teams["team"]) == quarter_teams and len(teams) > 2
    section = page.split("<h2>OKR health per team</h2>")[1].split("<h2>")[0]
    assert section.count("<tr>") == len(teams) + 1  # the header and one row per team
    for team in teams["team"]:
        assert f"<td>{team}</td>" in section
    assert "<th>Teams</th>" not in section  # one team each: no count of teams


def test_health_per_team_of_a_large_company_lists_the_lowest_discipline(monkeypatch):
    b = report.views.base(company().dataset(), None, AS_OF)
    teams = report.views.team_health(b)
    monkeypatch.setattr(report, "MAX_TEAM_ROWS", 2)
    section = report.render(b).split("<h2>OKR health per team</h2>")[1].split("<h2>")[0]
    assert f"The 2 teams of {len(teams)} with the lowest check-in discipline" in section
    lowest = teams.sort_values("checkin_discipline", kind="stable")["team"].head(2)
    assert section.count("<tr>") == 3 and all(f"<td>{t}</td>" in section for t in lowest)


# a report a leader reads in five minutes: summary first, detail after, capped, for a selection


def test_the_summary_comes_before_the_detail(page):
    summary = page.index("<h2>In five minutes</h2>")
    assert summary < page.index("<h2>Departments against pace</h2>")
    assert summary < page.index("<div class='detail'>") < page.index("<h2>Top risks</h2>")
    first = page[summary:].split("</ul>")[0]
    assert first.count("<li>") >= 3  # sentences, not a table
    assert "@media print" in page and "break-before:page" in page


def test_the_summary_names_what_needs_attention_in_words():
    b = report.views.base(company().dataset(), None, AS_OF)
    objs = b.objs[b.objs["quarter"] == b.quarter]
    late = objs[objs["status"].isin(["at_risk", "off_track"])]
    off = int((late["status"] == "off_track").sum())
    gap = late.assign(gap=late["expected"] - late["progress"])
    furthest = gap.sort_values(["gap", "objective_id"], ascending=[False, True]).iloc[0]
    text = report.render(b).split("<h2>In five minutes</h2>")[1].split("</ul>")[0]
    assert (
        f"{len(late)} objectives need attention ({off} off track, {len(late) - off} at risk)"
        in text
    )
    assert f"the furthest behind: {furthest['objective']} ({furthest['team']}" in text
    assert f"{len(b.found)} signals for coaches in {b.found['team'].nunique()} teams" in text


def test_the_detail_is_capped_and_says_how_many_more(monkeypatch):
    b = report.views.base(company().dataset(), None, AS_OF)
    objs = b.objs[b.objs["quarter"] == b.quarter]
    late = objs[objs["status"].isin(["at_risk", "off_track"])]
    assert len(late) > 1 and len(b.found) > 3
    monkeypatch.setattr(report, "MAX_ATTENTION_ROWS", 1)
    monkeypatch.setattr(report, "MAX_SIGNAL_ROWS", 3)
    page = report.render(b)
    section = page.split("<h2>Objectives needing attention</h2>")[1].split("<h2>")[0]
    assert f"The 1 furthest behind pace of {len(late)}" in section
    assert section.count("<tr>") == 2  # the header and one objective
    signals = page.split("<h2>Signals for coaches")[1]
    assert signals.count("<tr class=") == 3 and f"{len(b.found) - 3} more on the app's" in signals


def test_a_report_of_a_department_shows_only_that_department():
    b = report.views.base(company().dataset(), None, AS_OF)
    f = report.views.Filters(b.quarter, "Product", as_of=b.as_of)
    page = report.render(b, f)
    assert "<p class='sub'>Department: Product. As of 26 Aug 2026" in page
    ov = report.views.overview(b, f)
    assert f"<b>{ov.headline['Objectives']}</b><span>Objectives</span>" in page
    assert (
        ov.headline["Objectives"]
        != report.views.overview(b, report.views.Filters(b.quarter)).headline["Objectives"]
    )
    section = page.split("<h2>Objectives needing attention</h2>")[1].split("<h2>")[0]
    assert "<td>Product</td>" in section and "<td>Leadership</td>" not in section
    found = report.views.signals_table(b, f)
    assert f"Signals for coaches ({len(found)})" in page and set(found["department"]) == {"Product"}
