"""The sample generator: seeded, believable, and showing every behaviour on its team."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from okrdata import ingest, sample

SAMPLE_DATA = Path(__file__).parents[1] / "sample_data"


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return sample.build(teams=20, seed=7)


def test_same_seed_same_files_different_seed_different(tmp_path):
    sample.generate(tmp_path / "a", teams=14, seed=3)
    sample.generate(tmp_path / "b", teams=14, seed=3)
    sample.generate(tmp_path / "c", teams=14, seed=4)
    names = ["okrs.csv", "checkins.csv", "dependencies.csv", "teams.csv"]
    assert filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)[0] == names
    assert not filecmp.cmp(tmp_path / "a" / "checkins.csv", tmp_path / "c" / "checkins.csv",
                           shallow=False)  # fmt: skip


def test_committed_sample_data_is_the_default_output(tmp_path):
    sample.generate(tmp_path, teams=20, seed=7)
    for name in ("okrs.csv", "checkins.csv", "dependencies.csv", "teams.csv"):
        assert filecmp.cmp(tmp_path / name, SAMPLE_DATA / name, shallow=False), name


def test_sample_passes_validation_with_no_problems():
    result = ingest.load_dir(SAMPLE_DATA)
    assert result.report.issues == []
    assert result.dataset.quarters == ["2026-Q2", "2026-Q3", "2026-Q4"]


def test_company_shape(frames):
    okrs, teams = frames["okrs"], frames["teams"]
    assert okrs["department"].nunique() == 8  # seven departments and the company level
    assert set(okrs["level"]) == {"company", "department", "team"}
    assert set(okrs["okr_type"]) == {"committed", "aspirational"}
    assert set(okrs["origin"]) == {"top_down", "bottom_up"}
    assert set(okrs["metric_type"].dropna()) == set(("increase", "decrease", "binary",
                                                       "stay_above", "stay_below"))  # fmt: skip
    assert len(teams) == 20 + 1 + 7  # teams, the executive team, department leadership teams
    assert frames["checkins"]["date"].max() == "2026-11-16"
    assert frames["checkins"]["comment"].notna().all()
    assert okrs["current_value"].notna().any()  # some KRs known only from the export


def q4(frames, team) -> pd.DataFrame:
    okrs = frames["okrs"]
    return okrs[(okrs["team"] == team) & (okrs["quarter"] == "2026-Q4")]


def test_seeded_shapes(frames):
    seeded = sample.SEEDED
    ck = frames["checkins"].assign(date=lambda f: pd.to_datetime(f["date"]))
    stale_krs = q4(frames, seeded["stale_checkins"][0])["kr_id"]
    last = ck[ck["kr_id"].isin(stale_krs)]["date"].max()
    assert (pd.Timestamp("2026-11-16") - last).days >= 14
    overload = q4(frames, seeded["overload"][0])
    assert overload["objective_id"].nunique() == 7
    assert overload.groupby("objective_id")["kr_id"].count().max() == 7
    assert q4(frames, seeded["no_okrs"][0]).empty
    assert seeded["no_okrs"][0] in set(frames["teams"]["team"])
    unaligned = q4(frames, seeded["unaligned"][0]).drop_duplicates("objective_id")
    assert unaligned["parent_objective_id"].isna().sum() == 1
    deps = frames["dependencies"]
    blocked = deps[deps["team"] == seeded["dependency_risk"][0]]
    assert set(blocked["status"]) == {"blocked", "open"}
    assert (deps["depends_on_team"] == seeded["dependency_risk"][1]).sum() == 3
    early = q4(frames, sample.COMMITTED_EARLY[0])
    assert set(early["okr_type"]) == {"committed"}


def test_every_other_team_is_healthy_and_weekly(frames):
    seeded = set().union(*sample.SEEDED.values(), sample.COMMITTED_EARLY)
    okrs = frames["okrs"]
    healthy = okrs[~okrs["team"].isin(seeded) & (okrs["quarter"] == "2026-Q4")]
    per_team = healthy.groupby("team")["objective_id"].nunique()
    assert per_team.max() <= 5
    team_level = healthy[healthy["level"] != "company"].drop_duplicates("objective_id")
    assert team_level["parent_objective_id"].notna().all()
    ck = frames["checkins"]
    last = ck[ck["kr_id"].isin(healthy["kr_id"])].groupby("kr_id")["date"].max()
    assert (last == "2026-11-16").all()


def test_scales_to_many_teams_with_behaviours_repeated():
    seeded = sample.seeded(teams=200, seed=7)
    assert all(len(teams) == 4 for name, teams in seeded.items() if name != "dependency_risk")
    assert len(sample.team_names(2000)) == len(set(sample.team_names(2000))) == 2000


def test_cli_refuses_too_few_teams(tmp_path, capsys):
    from okrdata.cli import main

    assert main(["sample", "--out", str(tmp_path), "--teams", "3"]) == 2
    assert "at least 12 teams" in capsys.readouterr().err
