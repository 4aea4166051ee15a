"""The leader's pages through AppTest on the sample: the Alignment outline (company →
department → objectives, status in words, readable headings), the Dependencies page at any size,
and the Overview's report download."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow  # AppTest pages: make test, not the check loop

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_page(name: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if query:
        at.query_params.update(query)
    at.run()
    at = at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def headings(table) -> list[str]:
    """The column headings a person sees (hidden and index columns left out)."""
    config = json.loads(table.proto.columns)
    order = list(table.proto.column_order) or list(table.value.columns)
    return [config[c]["label"] for c in order if not config.get(c, {}).get("hidden")]


def test_alignment_reads_company_department_objective_with_status_in_words(store_path, sample):
    at = open_page("alignment")
    outline = at.dataframe[0].value
    assert headings(at.dataframe[0]) == ["Company → department → objective", "Team", "Status",
                                         "Progress", "Objectives", "Behind pace"]  # fmt: skip
    q4 = sample.objectives.drop_duplicates("objective_id").query("quarter == '2026-Q4'")
    company = q4[q4["level"] == "company"].sort_values("objective_id")
    # company objectives in order, each followed by the departments aligned to it
    tops = outline[outline["kind"] == "company"]
    assert tops["label"].tolist() == company["objective"].tolist()
    first_dept = outline.iloc[1]
    assert first_dept["kind"] == "department" and pd.isna(first_dept["team"])
    # every objective below company level is in the outline once (the sample is small)
    shown = outline[outline["kind"] == "objective"]
    assert sorted(shown["objective_id"]) == sorted(q4[q4["level"] != "company"]["objective_id"])
    # status in words with a symbol, never a bare code or colour
    assert set(shown["status"]) <= {"✓ done", "● on track", "▲ at risk", "✕ off track",
                                    "– not measured"}  # fmt: skip
    assert not at.get("plotly_chart")  # the ring chart is gone


def test_alignment_share_table_names_its_columns_apart(store_path):
    at = open_page("alignment")
    shares = next(t for t in at.dataframe if "alignment_share" in t.value.columns)
    names = headings(shares)
    assert len(names) == len(set(names)), names  # two columns were both called "Aligned"
    assert names == ["Department", "Objectives", "Aligned objectives", "Share aligned"]


def test_alignment_of_a_department_lists_all_its_objectives(store_path, sample):
    at = open_page("alignment", {"department": "Engineering"})
    outline = at.dataframe[0].value
    q4 = sample.objectives.drop_duplicates("objective_id").query("quarter == '2026-Q4'")
    eng = q4[(q4["department"] == "Engineering") & (q4["level"] != "company")]
    shown = outline[outline["kind"] == "objective"]
    assert sorted(shown["objective_id"]) == sorted(eng["objective_id"])
    assert set(outline.loc[outline["kind"] == "department", "department"]) == {"Engineering"}


def test_overview_offers_the_report_of_the_view(store_path):
    at = open_page("overview", {"department": "Sales"})
    buttons = [b for b in at.get("download_button") if b.proto.label == "Download the report"]
    assert len(buttons) == 1
    assert buttons[0].proto.deferred_file_id  # written when clicked, not on every rerun


def test_dependencies_name_key_results_and_status_in_words(store_path, sample):
    at = open_page("dependencies")
    table = at.dataframe[0]  # at risk or overdue
    assert headings(table) == ["Team", "Key result", "Waits on", "Provider key result", "Status",
                               "Risk", "Reason"]  # fmt: skip
    rows = table.value
    krs = sample.key_results.drop_duplicates("kr_id").set_index("kr_id")["key_result"]
    assert rows["key_result"].tolist() == rows["kr_id"].map(krs).tolist()
    assert set(rows["state"]) <= {"✕ blocked", "● committed", "○ open", "✓ done"}
    assert set(rows["risk"]) <= {"✕ blocked", "◆ overdue", "▲ at risk"}


MAIN_WIDTH = 980  # the page's main column at 1,440 px (the sidebar open), in pixels


@pytest.mark.parametrize(("name", "query", "kinds"), [
    ("overview", None, [{"reason"}, {"checkin_discipline"}]),
    ("overview", {"department": "Sales"}, [{"team", "n_krs"}]),
    ("alignment", None, [{"behind"}]),
    ("dependencies", None, [{"provider_key_result"}]),
])  # fmt: skip
def test_tables_fit_the_page_at_1440_px(store_path, name, query, kinds):
    """Every shown column of these tables has a width, and together they fit the page: no
    heading or status is cut (``✕ off trac``) or pushed off-screen."""
    at = open_page(name, query)
    for kind in kinds:
        table = next(t for t in at.dataframe if kind <= set(t.value.columns))
        config = json.loads(table.proto.columns)
        order = list(table.proto.column_order) or list(table.value.columns)
        shown = [c for c in order if not config.get(c, {}).get("hidden")]
        widths = [config.get(c, {}).get("width") for c in shown]
        assert all(isinstance(w, int) for w in widths), dict(zip(shown, widths, strict=True))
        marks = 32 if table.proto.selection_mode else 2  # the row selection boxes, the border
        assert sum(widths) + marks <= MAIN_WIDTH, (kind, sum(widths))
