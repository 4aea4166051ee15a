"""Import scope: replace whole quarters, or update only the teams of the upload; the preview
says what changes before anything is stored; confirmed column mappings are remembered."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from okrdata.cli import main
from okrdata.ingest import load
from okrdata.mappings import save_mapping, saved_mapping
from okrdata.store import Store
from tests.builders import copy_store

SAMPLE = Path("sample_data")


@pytest.fixture
def store(sample_once, tmp_path):
    """This test's store holding the sample: a copy of ``sample_once`` (``copy_store``)."""
    s = Store(copy_store(sample_once, tmp_path))
    yield s
    s.close()


@pytest.fixture(scope="module")
def one_team(tmp_path_factory) -> tuple[Path, str, pd.DataFrame]:
    """One team's 2026-Q4 sheet: one objective retitled, one dropped, one new objective."""
    okrs = pd.read_csv(SAMPLE / "okrs.csv", dtype=str, keep_default_na=False)
    q4 = okrs[(okrs["quarter"] == "2026-Q4") & (okrs["kr_id"] != "")]
    team = q4.groupby("team")["objective_id"].nunique().pipe(lambda n: n[n >= 2]).index[0]
    mine = okrs[(okrs["quarter"] == "2026-Q4") & (okrs["team"] == team)].copy()
    ids = mine["objective_id"].unique()
    assert len(ids) >= 2
    mine.loc[mine["objective_id"] == ids[0], "objective"] = "Retitled by the team"
    mine = mine[mine["objective_id"] != ids[1]]
    new = mine.iloc[[0]].assign(objective_id="NEW-1", objective="A new objective",
                                kr_id="NEW-1-KR1", key_result="A new key result")  # fmt: skip
    sheet = pd.concat([mine, new])
    path = tmp_path_factory.mktemp("team") / "team_sheet.csv"
    sheet.to_csv(path, index=False)
    return path, team, okrs


def test_update_only_these_teams_keeps_other_teams_objectives(store, one_team):
    path, team, okrs = one_team
    before = store.dataset().objectives
    q4_before = before[before["quarter"] == "2026-Q4"]
    _, outcome = store.import_files([path], scope="teams")
    assert outcome.changed and outcome.quarters == ["2026-Q4"]
    after = store.dataset().objectives
    q4 = after[after["quarter"] == "2026-Q4"]
    others = q4_before[q4_before["team"] != team]
    assert set(others["objective_id"]) <= set(q4["objective_id"])
    assert len(q4) == len(q4_before)  # one dropped, one added
    assert "NEW-1" in set(q4["objective_id"])
    kept = store.dataset()
    assert kept.objectives[kept.objectives["quarter"] != "2026-Q4"].equals(
        before[before["quarter"] != "2026-Q4"].reset_index(drop=True)
    )


def test_replace_these_quarters_keeps_only_the_upload(store, one_team):
    path, team, _ = one_team
    store.import_files([path], scope="quarters")
    q4 = store.dataset().objectives.query("quarter == '2026-Q4'")
    assert set(q4["team"]) == {team}


def test_preview_says_what_changes_before_importing(store, one_team):
    path, team, okrs = one_team
    result = load([path])
    teams = store.preview(result, "teams")
    mine = okrs[(okrs["quarter"] == "2026-Q4") & (okrs["team"] == team)]
    dropped = mine[mine["objective_id"] == mine["objective_id"].unique()[1]]["kr_id"].nunique()
    assert teams.counts == {
        "objectives added": 1,
        "objectives changed": 1,
        "objectives no longer shown": 1,
        "key results added": 1,
        "key results changed": 0,
        "key results no longer shown": dropped,
        "check-ins added": 0,  # the team's sheet holds no check-ins: its own are no longer shown
        "check-ins no longer shown": store.dataset().checkins["kr_id"].isin(mine["kr_id"]).sum(),
    }
    assert teams.sentence.startswith("This import changes: 1 objective added, 1 objective changed")
    assert teams.sentence.endswith("upload the check-ins file with it to keep them.")
    row = teams.changes.query("change == 'changed'").iloc[0]
    assert (row["kind"], row["title"]) == ("objective", "Retitled by the team")
    quarters = store.preview(result, "quarters")
    q4 = okrs[okrs["quarter"] == "2026-Q4"]
    others = q4[q4["team"] != team]["objective_id"].nunique()
    assert quarters.counts["objectives no longer shown"] == 1 + others


def test_cli_import_scope_flag(tmp_path, one_team, capsys):
    path, team, _ = one_team
    db = str(tmp_path / "cli.duckdb")
    assert main(["import", str(SAMPLE), "--db", db]) == 0
    assert main(["import", str(path), "--db", db, "--scope", "teams"]) == 0
    s = Store(db)
    try:
        q4 = s.dataset().objectives.query("quarter == '2026-Q4'")
        assert len(set(q4["team"])) > 1
    finally:
        s.close()
    with pytest.raises(SystemExit):
        main(["import", str(path), "--db", db, "--scope", "everything"])


def test_a_confirmed_mapping_is_remembered_for_the_same_header(tmp_path):
    s = Store(tmp_path / "okr.duckdb")
    try:
        header = ["Objective", "Quarter", "Owning unit"]
        assert saved_mapping(s, header) == {}
        save_mapping(s, header, {"team": "Owning unit"})
        assert saved_mapping(s, header) == {"team": "Owning unit"}
        assert saved_mapping(s, ["Objective", "Quarter"]) == {}
    finally:
        s.close()


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_a_team_scoped_import_is_rebuilt_the_same_way(store, one_team, capsys):
    path, _, _ = one_team
    store.import_files([path], scope="teams")
    before = store.dataset()
    db = store.path
    store.close()
    db.write_bytes(b"damaged" * 1000)
    assert main(["rebuild", "--db", str(db)]) == 0
    capsys.readouterr()
    after = Store(db)
    for table, frame in before.tables().items():
        key = list(frame.columns)  # current_as_of too: each batch counts from its own day
        pd.testing.assert_frame_equal(
            getattr(after.dataset(), table)[key].sort_values(key).reset_index(drop=True),
            frame[key].sort_values(key).reset_index(drop=True),
        )
    after.close()


def test_a_confirmed_mapping_survives_an_import(tmp_path):
    s = Store(tmp_path / "okr.duckdb")
    save_mapping(s, ["Goal", "Key Result"], {"objective": "Goal"})
    s.import_files([SAMPLE])
    assert saved_mapping(Store(tmp_path / "okr.duckdb"), ["Goal", "Key Result"]) == {
        "objective": "Goal"
    }


def test_update_only_these_teams_keeps_when_other_teams_values_were_imported(
    tmp_path, one_team, monkeypatch
):
    """``current_value`` counts from the day it was imported: an update of one team, on a
    later day, leaves the other teams' key results counting from their own import day."""
    from datetime import datetime

    from okrdata import store as store_mod
    from tests.builders import ImportClock as Day

    monkeypatch.setattr(store_mod, "datetime", Day)
    monkeypatch.setattr(Day, "day", datetime(2026, 10, 5, 9, 30))
    s = Store(tmp_path / "okr.duckdb")
    s.import_files([SAMPLE])
    Day.day = datetime(2026, 11, 16, 9, 30)
    path, team, _ = one_team
    _, outcome = s.import_files([path], scope="teams")
    assert outcome.changed
    ds = s.dataset()
    krs = ds.key_results.merge(ds.objectives[["objective_id", "team", "quarter"]])
    q4 = krs[krs["quarter"] == "2026-Q4"]
    days = q4.groupby(q4["team"] == team)["current_as_of"].unique()
    assert [str(d) for d in days[False]] == ["2026-10-05 00:00:00"]  # the other teams
    assert [str(d) for d in days[True]] == ["2026-11-16 00:00:00"]  # the updated team
    s.close()


def test_the_preview_of_files_already_in_force_says_nothing_changes(store):
    """The day a current_value was read is bookkeeping, not a change to a goal: files the store
    already holds (imported on another day) preview as changing nothing."""
    from okrdata.scope import preview

    incoming = load([SAMPLE]).dataset
    assert (
        preview(store.dataset(), incoming).sentence == "This import changes nothing that is shown."
    )


def test_the_preview_says_when_check_ins_will_no_longer_be_shown(store):
    """Only the okrs file of a full export: every check-in of its quarters leaves the data in
    force (earlier batches keep them). The preview says so, and what to do, before importing."""
    from okrdata.scope import preview

    current = store.dataset()
    incoming = load([SAMPLE / "okrs.csv"]).dataset
    seen = preview(current, incoming)
    n = len(current.checkins)
    assert seen.counts["check-ins no longer shown"] == n
    assert seen.counts["check-ins added"] == 0
    assert seen.sentence == (
        f"This import changes: {n:,} check-ins no longer shown. The upload holds no check-ins: "
        "upload the check-ins file with it to keep them."
    )


def test_the_preview_counts_check_ins_added_and_says_one_in_the_singular(store, tmp_path):
    from okrdata.scope import preview

    current = store.dataset()
    okrs = pd.read_csv(SAMPLE / "okrs.csv", dtype=str, keep_default_na=False)
    first = okrs["objective_id"].iloc[0]
    okrs.loc[okrs["objective_id"] == first, "objective"] = "Retitled"
    okrs.to_csv(tmp_path / "okrs.csv", index=False)
    checkins = pd.read_csv(SAMPLE / "checkins.csv", dtype=str, keep_default_na=False)
    extra = checkins.iloc[[-1]].assign(date="2026-12-30", comment="one more")
    pd.concat([checkins, extra]).to_csv(tmp_path / "checkins.csv", index=False)
    seen = preview(current, load([tmp_path / "okrs.csv", tmp_path / "checkins.csv"]).dataset)
    assert seen.sentence == "This import changes: 1 objective changed, 1 check-in added."


def test_the_preview_into_an_empty_store_without_check_ins(tmp_path):
    from okrdata.scope import preview

    empty = Store(tmp_path / "okr.duckdb")
    seen = preview(empty.dataset(), load([SAMPLE / "okrs.csv"]).dataset)
    assert seen.counts["check-ins added"] == seen.counts["check-ins no longer shown"] == 0
    assert seen.sentence.startswith("This import changes: ")
    empty.close()
