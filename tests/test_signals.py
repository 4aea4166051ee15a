"""Coach signals: the hand-built company of ``tests/builders.py`` (each team shows one
behaviour), plus edge cases.

Quarter 2026-Q3 runs 1 Jul – 30 Sep (92 days); as of 26 Aug, 57 of 92 days (0.62) have passed.
"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from okrdata import signals
from okrdata.config import Config
from tests.builders import AS_OF, Company, Q, company, healthy, pace

EXPECTED = {
    ("Lagging", "off_track"),
    ("Silent", "stale_checkins"),
    ("Sandbag", "sandbagging"),
    ("Hockey", "hockey_stick"),
    ("Melon", "watermelon"),
    ("Melon", "off_track"),  # a watermelon is off track by definition
    ("Doubt", "declining_confidence"),
    ("Busy", "overload"),
    ("Loner", "unaligned"),
    ("Waiting", "dependency_risk"),
    ("Hub", "dependency_risk"),
    ("Ghost", "no_okrs"),
}


@pytest.fixture(scope="module")
def found() -> pd.DataFrame:
    return signals.compute_signals(company().dataset(), AS_OF)


def test_every_behaviour_found_on_its_team_and_no_other_team_flagged(found):
    assert set(zip(found["team"], found["signal"], strict=True)) == EXPECTED


def test_healthy_and_committed_teams_get_no_signal(found):
    assert not found["team"].isin(["Healthy", "Committed", "Exec"]).any()


def test_columns_and_registry_names(found):
    assert list(found.columns) == signals.COLUMNS
    assert list(signals.SIGNALS) == [
        "off_track", "stale_checkins", "sandbagging", "hockey_stick", "watermelon",
        "declining_confidence", "overload", "unaligned", "dependency_risk", "no_okrs",
    ]  # fmt: skip
    hockey = found["signal"] == "hockey_stick"  # read on the previous quarter: its label
    assert set(found.loc[~hockey, "quarter"]) == {Q}
    assert set(found.loc[hockey, "quarter"]) == {"2026-Q2"}
    assert set(found["severity"]) <= {"info", "warn", "high"}
    assert found["question"].str.endswith("?").all()


def test_no_person_named_in_evidence_or_question(found):
    text = " ".join(found["evidence"]) + " ".join(found["question"])
    for name in ("Ada", "Grace", "Alan", "Lovelace", "Hopper", "Turing"):
        assert name not in text


def one(found: pd.DataFrame, team: str, signal: str) -> pd.DataFrame:
    return found[(found["team"] == team) & (found["signal"] == signal)]


def test_off_track_evidence(found):
    row = one(found, "Lagging", "off_track").iloc[0]
    assert (row["kr_id"], row["objective_id"], row["severity"]) == ("L1-1", "L1", "high")
    assert row["evidence"] == (
        "Score 10% at 62% of the quarter, 52 points behind pace; "
        "value 10 against a target of 100 from 0. The team reports off track (confidence 30%, "
        "26 Aug 2026)."
    )


def test_no_off_track_before_a_quarter_of_the_quarter():
    ds = company().dataset()
    early = pd.Timestamp("2026-07-22")  # 22 of 92 days = 0.239
    assert "off_track" not in set(signals.compute_signals(ds, early)["signal"])
    at_25 = pd.Timestamp("2026-08-05")  # 36/92 = 0.39: Lagging's 0.05 is 0.34 behind
    assert ("Lagging", "off_track") in set(
        zip(*signals.compute_signals(ds, at_25)[["team", "signal"]].T.values, strict=True)
    )


def test_stale_checkins_evidence_and_not_once_quarter_is_over(found):
    row = one(found, "Silent", "stale_checkins").iloc[0]
    assert row["evidence"] == "No check-in for 28 days (last on 29 Jul 2026)."
    assert row["severity"] == "high"
    after = signals.compute_signals(company().dataset(), pd.Timestamp("2026-10-05"), quarter=Q)
    assert "stale_checkins" not in set(after["signal"])


def test_sandbagging_evidence_names_the_indicators(found):
    row = one(found, "Sandbag", "sandbagging").iloc[0]
    assert row["kr_id"] is pd.NA and row["severity"] == "high"
    assert row["evidence"] == (
        "3 of 3 aspirational KRs at or over 100%; 3 of 3 aspirational KRs reached 100% before "
        "50% of the quarter; targets on average 5% from their start on 3 KRs; 3 KRs reported "
        "confidence ≥ 90% from the first check-in and were then hit."
    )


def test_sandbagging_needs_two_indicators():
    c = Company().team("T")
    c.objective("O", "T", parent=None).kr("O-1", "O", pace(1.6)).kr("O-2", "O", pace(1.6))
    ds = c.dataset()  # both KRs over 100 % (one indicator), nothing else
    assert signals.compute_signals(ds, AS_OF)["signal"].tolist() == []


def test_sandbagging_history_and_lowered_targets_count():
    c = Company().team("T")
    for q, dates in (("2026-Q1", ["2026-03-20"]), ("2026-Q2", ["2026-06-20"])):
        c.objective(f"P{q}", "T", parent=None, quarter=q)
        c.kr(f"P{q}-1", f"P{q}", [100.0], dates=pd.DatetimeIndex(dates))
        c.kr(f"P{q}-2", f"P{q}", [96.0], dates=pd.DatetimeIndex(dates))
    c.objective("O", "T", parent=None).kr("O-1", "O", pace(0.9)).kr("O-2", "O", pace(0.9))
    c.checkins.append(dict(kr_id="O-1", date="2026-08-20", value=60, target_value=55))
    found = signals.compute_signals(c.dataset(), AS_OF)
    row = found[found["signal"] == "sandbagging"].iloc[0]
    assert row["evidence"] == (
        "1 KRs had their target lowered mid-quarter and then hit; "
        "average score 98% in 2026-Q1 and in 2026-Q2."
    )


def test_committed_team_hitting_100_early_is_not_sandbagging(found):
    assert one(found, "Committed", "sandbagging").empty


def test_hockey_stick_on_previous_quarter_and_current_once_late():
    found = signals.compute_signals(company().dataset(), AS_OF)
    row = one(found, "Hockey", "hockey_stick").iloc[0]
    assert (row["kr_id"], row["severity"]) == ("K0-1", "info")
    assert row["evidence"] == (
        "In 2026-Q2: score 10% at 70% of the quarter, then 12% → 100% in its last 20% (+88 points)."
    )
    c = Company().team("T")
    dates = pd.date_range("2026-07-01", "2026-09-29", freq="7D")  # 13 dates
    c.objective("O", "T", parent=None).kr("O-1", "O", [0] * 11 + [30, 80], dates=dates)
    late = signals.compute_signals(c.dataset(), pd.Timestamp("2026-09-29"))
    assert late["signal"].tolist() == ["hockey_stick"] and late["severity"].tolist() == ["warn"]


def test_steady_climb_is_no_hockey_stick():
    c = Company().team("T")
    dates = pd.date_range("2026-07-01", "2026-09-29", freq="7D")
    c.objective("O", "T", parent=None).kr("O-1", "O", pace(0.9, dates), dates=dates)
    assert signals.compute_signals(c.dataset(), pd.Timestamp("2026-09-29")).empty


def test_watermelon_evidence_and_honest_red_is_not_one(found):
    row = one(found, "Melon", "watermelon").iloc[0]
    assert row["evidence"] == (
        "Latest check-in (26 Aug 2026) reports on track, confidence 80%, but the score is 10% "
        "against an expected 62% (off track)."
    )
    assert one(found, "Lagging", "watermelon").empty  # reports off_track, confidence 0.3


def test_declining_confidence_evidence(found):
    row = one(found, "Doubt", "declining_confidence").iloc[0]
    assert row["evidence"] == (
        "Confidence fell from 70% to 40% over the last 3 check-ins (12 Aug 2026 to 26 Aug 2026)."
    )
    assert row["severity"] == "warn"


def test_overload_team_and_objective(found):
    rows = one(found, "Busy", "overload")
    assert sorted(rows["evidence"]) == [
        "6 key results on this objective (more than 5).",
        "6 objectives this quarter (more than 5).",
    ]
    assert rows["objective_id"].isna().sum() == 1 and "U0" in set(rows["objective_id"])


def test_unaligned_only_where_company_objectives_exist(found):
    row = one(found, "Loner", "unaligned").iloc[0]
    assert (
        row["evidence"]
        == "Team-level objective linked to no parent while 1 company objective exists in 2026-Q3."
    )
    c = Company().team("T")
    healthy(c, "T", "O", parent=None)
    assert signals.compute_signals(c.dataset(), AS_OF).empty


def test_broken_parent_link_is_unaligned():
    c = company()
    c.objectives[-1]["parent_objective_id"] = "NOPE"  # Hub's objective
    found = signals.compute_signals(c.dataset(), AS_OF)
    assert one(found, "Hub", "unaligned")["evidence"].tolist() == [
        "Team-level objective whose parent NOPE does not exist."
    ]


def test_dependency_risk_rows_belong_to_dependent_and_bottleneck_to_provider(found):
    waiting = one(found, "Waiting", "dependency_risk").iloc[0]
    assert (waiting["kr_id"], waiting["objective_id"], waiting["severity"]) == (
        "X1-1",
        "X1",
        "high",
    )
    assert waiting["evidence"] == "Depends on team Healthy: blocked."
    hub = one(found, "Hub", "dependency_risk").iloc[0]
    assert (
        hub["evidence"]
        == "3 unresolved dependencies from 3 teams rest on this team (0 blocked, 0 overdue)."
    )


def test_dependency_overdue_and_provider_behind():
    c = company()
    c.dep("Hockey", "Lagging", due="2026-08-20", kr="K1-1", provider_kr="L1-1")
    found = signals.compute_signals(c.dataset(), AS_OF)
    assert one(found, "Hockey", "dependency_risk")["evidence"].tolist() == [
        "Depends on team Lagging: due 20 Aug 2026, 6 days overdue; its key result L1-1 is off track (score 10%)."
    ]


def test_no_okrs_not_when_the_quarter_is_empty(found):
    assert one(found, "Ghost", "no_okrs")["evidence"].tolist() == [
        "No objectives in 2026-Q3, while 13 other teams set 19."
    ]
    empty = signals.compute_signals(company().dataset(), AS_OF, quarter="2027-Q1")
    assert empty.empty


def test_thresholds_come_from_config():
    strict = dataclasses.replace(
        Config(), signals=dataclasses.replace(Config().signals, max_objectives=10)
    )
    found = signals.compute_signals(company().dataset(), AS_OF, config=strict)
    assert one(found, "Busy", "overload")["evidence"].tolist() == [
        "6 key results on this objective (more than 5)."
    ]


def test_cli_signals_csv_and_json(tmp_path, capsys):
    from okrdata.cli import main

    c = company()
    folder = tmp_path / "data"
    folder.mkdir()
    okrs = pd.DataFrame(c.objectives).merge(pd.DataFrame(c.krs), on="objective_id", how="left")
    okrs.to_csv(folder / "okrs.csv", index=False)
    pd.DataFrame(c.checkins).to_csv(folder / "checkins.csv", index=False)
    pd.DataFrame(c.deps).to_csv(folder / "dependencies.csv", index=False)
    pd.DataFrame(c.teams).to_csv(folder / "teams.csv", index=False)
    assert main(["signals", "--data", str(folder), "--as-of", "2026-08-26", "--format", "csv"]) == 0
    out = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert set(zip(out["team"], out["signal"], strict=True)) == EXPECTED
    assert (
        main(["signals", "--data", str(folder), "--as-of", "2026-08-26", "--format", "json"]) == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert {(r["team"], r["signal"]) for r in rows} == EXPECTED


def test_cli_signals_bad_as_of_and_bad_data(tmp_path, capsys):
    from okrdata.cli import main

    assert main(["signals", "--as-of", "someday"]) == 2
    assert capsys.readouterr().err == "error: --as-of is not a date: 'someday'\n"
    (tmp_path / "okrs.csv").write_text("objective_id,objective\nO1,x\n")
    assert main(["signals", "--data", str(tmp_path)]) == 1
    assert "error" in capsys.readouterr().err.lower()


def test_small_confidence_dip_is_not_declining():
    c = Company().team("T")
    c.objective("O", "T", parent=None).kr("O-1", "O", pace(0.85), conf=[0.8] * 6 + [0.7, 0.6, 0.51])
    assert signals.compute_signals(c.dataset(), AS_OF).empty  # 0.19 down: under 0.3


def test_five_objectives_of_five_krs_is_not_overload():
    c = Company().team("T")
    for i in range(5):
        c.objective(f"O{i}", "T", parent=None)
        for j in range(5):
            c.kr(f"O{i}-{j}", f"O{i}", pace(0.8))
    assert signals.compute_signals(c.dataset(), AS_OF).empty


def test_two_open_dependencies_make_no_bottleneck_and_future_due_is_no_risk():
    c = Company().team("A").team("B").team("P")
    for t in ("A", "B", "P"):
        healthy(c, t, f"{t}1", parent=None)
    c.dep("A", "P", due="2026-09-15", kr="A1-1", provider_kr="P1-1").dep(
        "B", "P", status="committed"
    )
    assert signals.compute_signals(c.dataset(), AS_OF).empty


def _seeded_teams(value) -> set[str]:
    return {value} if isinstance(value, str) else set(value)


@pytest.fixture(scope="module")
def sample_signals(tmp_path_factory) -> tuple[pd.DataFrame, dict]:
    from okrdata import sample
    from okrdata.ingest import load_dir

    folder = tmp_path_factory.mktemp("sample")
    from okrdata.cli import main

    assert main(["sample", "--out", str(folder)]) == 0
    result = load_dir(folder)
    assert result.report.ok, result.report.errors[:3]
    # as the app shows the sample: as of its last check-in (not today, weeks later)
    return signals.compute_signals(result.dataset, as_of=sample.LAST_CHECKIN), sample.SEEDED


def test_sample_shows_every_seeded_behaviour_on_its_team(sample_signals):
    found, seeded = sample_signals
    flagged = set(zip(found["signal"], found["team"], strict=True))
    missing = {(s, t) for s, v in seeded.items() for t in _seeded_teams(v) if (s, t) not in flagged}
    assert not missing
    assert set(found["signal"]) >= set(signals.SIGNALS)


def test_sample_flags_no_team_that_is_not_seeded(sample_signals):
    found, seeded = sample_signals
    allowed = set().union(*(_seeded_teams(v) for v in seeded.values()))
    assert sorted(set(found["team"]) - allowed) == []


def test_cli_signals_table_lists_each_signal(tmp_path, capsys):
    from okrdata.cli import main

    c = Company().team("T").team("Ghost")
    healthy(c, "T", "O", parent=None)
    pd.DataFrame(c.objectives).merge(pd.DataFrame(c.krs), on="objective_id").to_csv(
        tmp_path / "okrs.csv", index=False
    )
    pd.DataFrame(c.checkins).to_csv(tmp_path / "checkins.csv", index=False)
    pd.DataFrame(c.teams).to_csv(tmp_path / "teams.csv", index=False)
    assert main(["signals", "--data", str(tmp_path), "--as-of", "2026-08-26"]) == 0
    assert capsys.readouterr().out == (
        "WARN  no_okrs  Product / Ghost\n"
        "    No objectives in 2026-Q3, while 1 other team set 1.\n"
        "    ? What is the team focusing on this quarter, and would a few OKRs help others see and support it?\n"
        "\n1 signal.\n"
    )
    assert (
        main(["signals", "--data", str(tmp_path), "--as-of", "2026-08-26", "--quarter", "2027-Q1"])
        == 0
    )
    assert capsys.readouterr().out == "No signals.\n"
