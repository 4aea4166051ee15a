"""Other tools' documented import and export formats, each written with rows of our own in
the tool's real header (the source is named in each test's docstring): each lands in the
adapter, or the generic family, that reads it, with the right counts and a balanced ledger."""

from __future__ import annotations

import pandas as pd
import pytest

from okrdata.ingest import load
from okrdata.questions import ask
from tests.test_sources_variants import FIXTURES, accounted, base, counts


def test_okr_for_jira_import_file_with_order_numbers():
    """OKR for Jira (Appfire), its CSV import format: ``Order, Type, Summary, Status, Period,
    Owner, Weight, OKR type, Labels, Teams, Expected start date, Expected end date, Start value,
    Current value, Target value, Description``; ``Order`` numbers each row under its parent
    (``1.2.1``), ``Type`` says Objective, Key result or work item. Source:
    https://appfire.atlassian.net/wiki/spaces/OFJ/pages/603652686/Import+OKRs"""
    result = load([FIXTURES / "okr_for_jira"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (3, 4, 0)
    accounted(result)
    ds = result.dataset
    krs = ds.key_results.assign(kr_id=base(ds.key_results["kr_id"])).drop_duplicates("kr_id")
    krs = krs.set_index("kr_id")
    assert base(krs["objective_id"]).to_dict() == {"1.1": "1", "1.2": "1", "1.3.1": "1.3",
                                                   "2.1": "2"}  # fmt: skip
    assert krs.loc["1.1", ["start_value", "current_value", "target_value"]].tolist() == [20, 31, 45]
    objs = ds.objectives.assign(objective_id=base(ds.objectives["objective_id"]))
    objs = objs.drop_duplicates("objective_id").set_index("objective_id")
    assert objs.loc["1.3", "parent_objective_id"] == "1"
    assert objs.loc["1.3", "team"] == "Front desk"
    assert set(ds.objectives.loc[base(ds.objectives["objective_id"]) == "2", "quarter"]) == {
        "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"}  # fmt: skip
    assert result.aside["kind"].tolist() == ["work"]
    notes = " ".join(n for s in result.sources for n in s.notes)
    assert "OKR for Jira" in notes


def test_betterworks_upload_goals_and_their_milestones():
    """Betterworks' OKR upload file: ``name, type, progress, start_date, end_date, owner_email,
    categories, description``, ``type`` = goal or milestone; a milestone belongs to the goal
    above it. Source: https://support.betterworks.com/hc/en-us/articles/360032818992-OKR-Uploads
    """
    result = load([FIXTURES / "betterworks" / "okr_upload.csv"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (2, 3, 0)
    accounted(result)
    krs = result.dataset.key_results.set_index("key_result")
    assert krs.loc["Sign 10 resellers", "current_value"] == 40
    assert krs.loc["Self-serve setup wizard", "current_value"] == 100
    assert set(result.dataset.objectives["quarter"]) == {"2025-Q4"}
    assert set(result.dataset.key_results["kr_owner"]) == {"ana@example.com", "raj@example.com"}


def test_peoplebox_goals_import_with_row_ids_and_dates():
    """Peoplebox's goals import (V2): ``Row ID, Parent Row IDs, Parent Goal IDs, Goal ID,
    Action, Goal Title, Owner Emails, Goal Cycle, Goal Type, Scope, Departments, Start Date,
    End Date, Description, Starting Value, Target Value, Current Value, Progress Status,
    Check-in Type, Tags``: new goals have a Row ID and no Goal ID, the cycle is a word
    (Quarterly) and the dates decide, Goal Type is how the goal is measured. Source:
    https://help.peoplebox.ai/hc/peoplebox-help-center/articles/1756218434-goals-import-via-csv-v2
    """
    result = load([FIXTURES / "peoplebox" / "goals_import.csv"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (2, 2, 0)
    accounted(result)
    assert not [i for i in result.report.warnings if i.code in ("undated", "unknown_value")], (
        result.report.to_text()
    )
    krs = result.dataset.key_results.set_index("key_result")
    assert krs.loc["ARR from 2M to 4M", ["start_value", "target_value", "current_value"]].tolist() == [
        2_000_000, 4_000_000, 2_600_000]  # fmt: skip
    assert krs.loc["ARR from 2M to 4M", "unit"] == "$"
    objs = result.dataset.objectives
    assert set(objs.loc[objs["objective"] == "Double recurring revenue", "quarter"]) == {"2025-Q3"}
    assert objs.loc[objs["objective"] == "Be a great place to work", "quarter"].nunique() == 4


def test_peoplecues_bulk_update_is_check_ins_and_asks_which_column_names_the_key_result():
    """PeopleCues' bulk update of objectives (a Google Sheet, format 1): ``Objective ID, Metric
    Value`` and optional ``Check-in Date, Status, Check-in Comments``; statuses Not Started,
    Off Track, On Track, Dropped, Achieved, Not Achieved. A PeopleCues objective is measured by
    its metric, so its id stands for the key result checked in on: that is asked, once, and the
    answer imports every check-in (one with a status and a comment alone counts too). Source:
    https://docs.xto10x.com/peoplecues/objectives/bulk-update-of-objectives"""
    folder = FIXTURES / "peoplecues"
    first = load([folder])
    asked = [q for q in ask(first) if q.kind == "column" and q.column == "kr_id"]
    assert [q.choices for q in asked] == [["Objective ID"]]
    accounted(first)
    result = load(
        [folder], mapping_overrides={("bulk_update.csv", None): {"Objective ID": "kr_id"}}
    )
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (1, 2, 4)
    accounted(result)
    ci = result.dataset.checkins.set_index(["kr_id", "date"]).sort_index()
    assert ci["value"].tolist()[:3] == [4, 9, 55.5]
    assert ci["status"].tolist()[:2] == ["on_track", "off_track"]
    assert ci["comment"].iloc[-1] == "Deprioritised" and pd.isna(ci["value"].iloc[-1])


def test_culture_amp_individual_goals_import_keeps_owner_and_completion():
    """Culture Amp's individual goals import template: ``email, name, description, visibility,
    individual_emails, due_at, created_at, priority, status, completion, key_result_1_title,
    key_result_1_completion, …`` (completions 0.0–1.0; ``completion`` only for a goal without
    key results) lands in the wide goals family; the owner's address is the owner and a goal's
    own completion is kept as the tool's progress, never dropped. Source:
    https://support.cultureamp.com/hc/en-us/articles/4408073513106-Guide-to-populating-Individual-Goals-Import-template
    """
    result = load([FIXTURES / "cultureamp" / "individual_goals.csv"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (3, 5, 0)
    accounted(result)
    assert {s.notes[0].split(":")[0] for s in result.sources} == {
        "looks like a wide goals export (one row per objective)"
    }
    objs = result.dataset.objectives.set_index("objective")
    assert objs.loc["Grow my mentoring", "objective_owner"] == "omar@example.com"
    assert objs.loc["Grow my mentoring", "source_progress"] == pytest.approx(0.4)
    krs = result.dataset.key_results.set_index("key_result")
    assert krs.loc["Write the billing runbook", "current_value"] == 25
    assert "email" not in result.ledger.entries[0].unused


def test_goalscape_goal_tree_one_level_per_column():
    """Goalscape's CSV import and export: ``Main, L1, L2, …`` hold each goal's title in the
    column of its level, rows in tree order, attribute columns by name (``Importance,
    Progress, Start Date, Due Date, Notes``). Main and L1 goals are objectives, L2 their key
    results, deeper goals work. Source:
    https://goalscape.tenderapp.com/kb/general-questions/requirements-for-goalscape-csv-import-source-file
    """
    result = load([FIXTURES / "goalscape" / "goalscape_export.csv"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (3, 3, 0)
    accounted(result)
    ds = result.dataset
    krs = ds.key_results.set_index("key_result")
    objs = ds.objectives.drop_duplicates("objective").set_index("objective")
    assert (
        krs.loc["Sell 120 e-bikes", "objective_id"] == objs.loc["Sell more bikes", "objective_id"]
    )
    assert krs.loc["Sell 120 e-bikes", ["current_value", "weight"]].tolist() == [40, 50]
    assert objs.loc["Sell more bikes", "quarter"] == "2026-Q2"
    main = base(ds.objectives.loc[ds.objectives["objective"] == "Run the best bike shop in town",
                                  "objective_id"]).unique().tolist()  # fmt: skip
    assert base(pd.Series([objs.loc["Sell more bikes", "parent_objective_id"]])).tolist() == main
    assert result.aside["kind"].tolist() == ["work"]
    assert result.ledger.entries[0].unused == ["Notes"]


def test_a_goal_tree_with_a_header_alone_imports_no_rows_and_no_crash(tmp_path):
    (tmp_path / "Support.csv").write_text("Main,L1,L2,Progress\n")
    result = load([tmp_path / "Support.csv"])
    (entry,) = result.ledger.entries
    assert (entry.shape, entry.read, entry.imported) == ("levels", 0, 0)
    assert result.ledger.balanced and result.dataset.objectives.empty


@pytest.mark.parametrize(
    ("path", "adapter"),
    [
        ("okr_for_jira/okr_for_jira_export.csv", "typed_rows"),
        ("betterworks/okr_upload.csv", "typed_rows"),
        ("peoplebox/goals_import.csv", "goals_long"),
        ("cultureamp/individual_goals.csv", "goals_wide"),
        ("goalscape/goalscape_export.csv", "levels"),
    ],
)
def test_each_tools_file_is_read_by_the_adapter_of_its_family(path, adapter):
    """Recognition names the adapter (``okrdata/sources/<adapter>.py``) that read the file,
    and says why in the ledger."""
    entry = load([FIXTURES / path]).ledger.entries[0]
    assert entry.shape == adapter, (entry.shape, entry.why)
    assert entry.why


def test_notion_okr_databases_linked_by_relation_titles():
    """Notion's OKR template keeps objectives and key results in two databases; a workspace
    export writes each as ``<Database> <32-hex id>.csv``, with no id columns, a relation
    written as the related page's title and its link (``Grow self-serve revenue
    (https://www.notion.so/Grow-self-serve-revenue-7e6d…?pvs=21)``, several separated by
    ``, ``), selects and people as text. Sources: notion.vip "Achieve Your Goals: OKRs in
    Notion" (Objectives: Objective, Quarter, Owner; Key Results: Key Result, Current Value,
    Target Value, Progress, related to their Objective); relation cells as exported,
    github connertennery/Notion-to-Obsidian-Converter issue #3. The key results take their
    objective's quarter and team through the relation; nothing is refused."""
    result = load([FIXTURES / "notion"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (2, 3, 0)
    accounted(result)
    ds = result.dataset
    objs = ds.objectives.set_index("objective_id")
    krs = ds.key_results.set_index("key_result")
    assert objs.loc[krs.loc["Reach 400 paid trials", "objective_id"], "objective"] == (
        "Grow self-serve revenue")  # fmt: skip
    assert objs.loc[krs.loc["Median first reply under 2h", "objective_id"], "team"] == "Support"
    assert krs.loc["Cut churn to 2%", ["current_value", "target_value"]].tolist() == [2.6, 2]
    assert set(ds.objectives["quarter"]) == {"2026-Q3"} == set(ds.key_results["quarter"])
    assert {e.shape for e in result.ledger.entries} == {"database"}
    assert all("linked by titles" in e.why for e in result.ledger.entries)


def test_notion_one_database_with_sub_items_names_its_team_without_the_database_id():
    """Notion's OKR database kept as one list, objectives and key results told apart by a
    ``Type`` select, key results as sub-items (``Parent item`` / ``Sub-item`` relations, each
    written ``Title (https://www.notion.so/…)``); the export's file is named after the
    database and its 32-hex id (``Growth OKRs 5a6b….csv``, ``…_all.csv``: Notion's workspace
    export). The team taken from the file's name is the database's name, not its id."""
    result = load([FIXTURES / "notion_subitems"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (1, 2, 0)
    accounted(result)
    assert set(result.dataset.objectives["team"]) == {"Growth"}


# --- OKR tools whose exports name periods, results and owners their own way -----------------


def _krs(result) -> pd.DataFrame:
    ds = result.dataset
    return ds.key_results.assign(kr_id=base(ds.key_results["kr_id"])).drop_duplicates("kr_id")


def test_tability_plan_column_names_each_rows_period():
    """Tability keeps a team's objectives and outcomes (its key results) in a plan, named, as
    its guide recommends, after the team and the period ("Sales OKRs 2024 Q4"); a plan export
    writes that name on every row: ``Plan, Objective, Outcome, Owner, Start, Target, Current,
    Progress, Confidence, Last check-in, Analysis``. Sources: the guide
    https://guides.tability.app/docs/features/plans/creating-and-editing-plans-and-sub-plans
    (plan names, calendar quarters), its API v2 (outcomes, checkins with ``checkin_date``,
    ``confidence`` red / yellow / green). The plan's name is the period; the team is the file's
    name when no column names it."""
    result = load([FIXTURES / "tability" / "sales_okrs.csv"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result)[:2] == (3, 4)
    accounted(result)
    objs = result.dataset.objectives.set_index("objective")
    assert objs.loc["Build a repeatable pipeline", "quarter"] == "2026-Q3"
    assert objs.loc["Open the Nordics", "quarter"] == "2026-Q4"
    assert set(result.dataset.objectives["team"]) == {"Sales"}
    krs = _krs(result).set_index("key_result")
    assert str(krs.loc["Close 15 new logos", "current_as_of"])[:10] == "2026-08-12"
    assert "Plan" not in result.ledger.entries[0].unused


def test_perdoo_results_export_owner_group_lead_person_and_initiatives():
    """Perdoo: an objective is owned by a group (its team) and led by a person; its results
    are key results or initiatives (``type`` KEY_RESULT / INITIATIVE), each with its own lead,
    in a timeframe; statuses No status, Off track, Needs attention, On track, Accomplished.
    Export, one row per result: ``Objective, Objective owner, Objective lead, Timeframe,
    Result, Type, Lead, Start value, Current value, Target value, Progress, Status``. Sources:
    https://support.perdoo.com/en/articles/5157896-how-do-i-add-objectives (Owner = group,
    Lead = person, Timeframe) and Perdoo's GraphQL types (``keyResult.type``,
    ``CommitStatus``) as a public MCP server's ``types.ts`` lists them."""
    result = load([FIXTURES / "perdoo" / "results_export.csv"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result)[:2] == (2, 4)
    accounted(result)
    objs = result.dataset.objectives.set_index("objective")
    assert objs.loc["Win the mid-market", ["team", "objective_owner"]].tolist() == [
        "Sales", "Ines Duarte"]  # fmt: skip
    assert objs.loc["Ship a faster product", "team"] == "Engineering"
    krs = _krs(result).set_index("key_result")
    assert krs.loc["Raise win rate to 30%", "kr_owner"] == "Paul Weber"
    assert krs.loc["Sign 12 mid-market accounts", "current_value"] == 5
    assert result.aside["kind"].tolist() == ["work"]
    assert not [i for i in result.report.warnings if i.code == "unknown_value"], (
        result.report.to_text()
    )
    assert not result.ledger.entries[0].unused


def test_quantive_sessions_attainment_and_last_check_in():
    """Quantive Results (formerly Gtmhub): OKRs live in sessions (``title``, ``start``,
    ``end``: a session's name is often its quarter and team, "Q3 2026 - Marketing", or a half
    year), a key result's progress is its attainment, and it is checked in on a day
    (``lastCheckInDate``). Export: ``Session, Team, Objective, Objective owner, Key result, Key
    result owner, Initial value, Target, Actual, Attainment, Confidence, Last check-in``.
    Sources: https://help.quantive.com/en/articles/3831332-reference-quantive-results-data-source
    (sessions, their fields) and github gtmhub/gtmhub-cli ``model/metric.go`` (``actual``,
    ``target``, ``lastCheckInDate``, ``confidence``)."""
    result = load([FIXTURES / "quantive" / "okrs_export.csv"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result)[:2] == (2, 3)
    accounted(result)
    objs = result.dataset.objectives
    dach = objs.loc[objs["objective"] == "Make the brand known in DACH", "quarter"]
    assert set(dach) == {"2026-Q3"}
    onboarding = objs.loc[objs["objective"] == "Make onboarding effortless", "quarter"]
    assert set(onboarding) == {"2026-Q3", "2026-Q4"}
    krs = _krs(result).set_index("key_result")
    assert str(krs.loc["Get 3 analyst mentions", "current_as_of"])[:10] == "2026-08-18"
    unused = result.ledger.entries[0].unused
    assert "Session" not in unused and "Attainment" not in unused, unused


def test_workboard_objective_target_date_sets_its_last_quarter():
    """WorkBoard: an objective has a start date and a target date (API ``goal_start_date``,
    ``goal_target_date``), a team, an owner; each key result its owner and target. Export:
    ``Team, Objective, Objective Owner, Key Result, Key Result Owner, Start, Target, Current,
    Progress, Status, Start Date, Target Date, Last Updated, Last Comment``. Source: WorkBoard's
    API as github crunchtools/mcp-workboard ``tools/objectives.py`` reads it. An objective
    from July to December is in Q3 and Q4."""
    result = load([FIXTURES / "workboard" / "okr_export.csv"])
    assert not result.report.errors, result.report.to_text()
    assert counts(result)[:2] == (2, 3)
    accounted(result)
    objs = result.dataset.objectives
    cloud = objs.loc[objs["objective"] == "Cut cloud spend", "quarter"]
    assert set(cloud) == {"2026-Q3", "2026-Q4"}
    assert "Target Date" not in result.ledger.entries[0].unused


@pytest.mark.parametrize(
    ("path", "objective", "quarters"),
    [
        ("quantive/sessions_with_dates.csv", "Win back churned accounts",
         {"2026-Q3", "2026-Q4"}),
        ("tability/company_plan.csv", "Become default choice for SMBs", {"2026-Q3", "2026-Q4"}),
    ],
)  # fmt: skip
def test_a_session_or_plan_named_without_a_period_is_dated_by_its_start_and_end(
    path, objective, quarters
):
    """A Quantive session ("Autumn push") or a Tability plan ("Company OKRs", a custom time
    period) named without a quarter: the export's ``Session start`` / ``Session end`` (``Plan
    start`` / ``Plan end``) date it (a session has ``start`` and ``end``: the Quantive data
    source reference; a plan its time period: Tability's guide, both cited above)."""
    result = load([FIXTURES / path])
    assert not result.report.errors, result.report.to_text()
    accounted(result)
    assert result.aside.empty, result.aside
    objs = result.dataset.objectives
    assert set(objs.loc[objs["objective"] == objective, "quarter"]) == quarters
    # every column read but a key result row's confidence (it comes with check-ins)
    assert set(result.ledger.entries[0].unused) <= {"Confidence"}


def test_tability_check_ins_name_the_outcome_and_give_a_score_and_a_colour():
    """Tability's check-ins (API v2 ``checkins``: ``score``, ``checkin_date``, ``body``,
    ``confidence`` red / yellow / green; its guide's check-in asks for Progress, Confidence
    and Analysis): ``Outcome, Check-in date, Score, Confidence, Analysis, Author``, the outcome
    named by its title. Sources: github (a Tability API v2 client, ``createCheckin``) and
    https://guides.tability.app/docs/tability-accelerator/goal-execution/writing-check-ins-in-tability
    """
    result = load([FIXTURES / "tability" / "sales_okrs.csv",
                   FIXTURES / "tability" / "sales_checkins.csv"])  # fmt: skip
    assert not result.report.errors, result.report.to_text()
    assert counts(result) == (3, 4, 3)
    accounted(result)
    ci = result.dataset.checkins.sort_values(["date", "value"])
    assert ci["value"].tolist() == [62, 6, 86]
    assert ci["confidence"].tolist() == [0.9, 0.9, 0.5]
    assert ci["comment"].iloc[2] == "Webinar leads slower than planned"
    assert set(ci["author"]) == {"Nadia Okafor", "Tom Becker"}


def test_quantive_workbook_of_objectives_and_key_results_linked_by_ids(tmp_path):
    """Quantive's import/export utility works in Excel, one sheet per kind of data (sessions,
    objectives and key results, ...; https://help.quantive.com/en/articles/5993028): objectives
    in their session, key results under their objective's id, each with its ``Actual`` value
    (``actual``, ``target``, ``initialValue``: github gtmhub/gtmhub-cli ``model/metric.go``)."""
    from tests.test_shapes import workbook

    path = workbook(tmp_path / "quantive_okrs.xlsx", {
        "Objectives": [["Objective ID", "Name", "Session", "Owner", "Team", "Parent objective ID"],
                       ["64f1a", "Make the brand known in DACH", "Q3 2026", "Hanna Berg",
                        "Marketing", ""],
                       ["64f1b", "Own the SEO category", "Q3 2026 - Marketing", "Jonas Weiss",
                        "Marketing", "64f1a"]],
        "Key results": [["Key result ID", "Objective ID", "Name", "Owner", "Initial value",
                         "Target", "Actual", "Attainment", "Confidence"],
                        ["77a1", "64f1a", "Get 3 analyst mentions", "Clara Voss", 0, 3, 1, 0.33,
                         0.5],
                        ["77a2", "64f1b", "Grow organic traffic to 80k visits", "Jonas Weiss",
                         50000, 80000, 62000, 0.4, 0.7]],
    })  # fmt: skip
    result = load([path])
    assert not result.report.errors, result.report.to_text()
    assert counts(result)[:2] == (2, 2)
    accounted(result)
    assert result.aside.empty, result.aside
    assert set(result.dataset.objectives["quarter"]) == {"2026-Q3"}
    krs = _krs(result).set_index("kr_id")
    assert krs.loc["77a2", ["start_value", "target_value", "current_value"]].tolist() == [
        50000, 80000, 62000]  # fmt: skip
