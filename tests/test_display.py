"""Words and numbers one way (README "How numbers and dates are written"): only
``okrdata/display.py`` writes a percent, a score, a confidence or a day that people read.

The source of ``okrdata/`` and ``pages/`` is scanned (as ``test_sources`` scans the adapters):
a Python percent or date format (``f"{x:.0%}"``, ``f"{d:%d %b %Y}"``, ``.strftime(...)``), two
decimals (``:.2f``, the old way of writing a score or a confidence) or a spaced percent
(``"51 %"``) anywhere outside ``display.py`` fails, except ISO dates written for machines in
the files listed with their reason. Comments and docstrings are prose about the code, not text
shown to anyone, and are not scanned.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from okrdata import display

ROOT = Path(__file__).resolve().parents[1]
SCANNED = sorted([*(ROOT / "okrdata").rglob("*.py"), *(ROOT / "pages").glob("*.py")])
# ISO dates written for machines, never read as a sentence: file -> why
MACHINE_DATES = {
    "okrdata/filterbar.py": "the as-of day in a shareable link",
    "okrdata/landing.py": "the request a worker answers, and its cache key",
    "okrdata/precomputed.py": "the request file of the precomputed first page",
    "okrdata/views/base.py": "the cache key of a view model",
    "okrdata/triage.py": "the triage log's stored times and snooze days",
    "okrdata/store.py": "an event's time as the store keeps it",
    "okrdata/rebuild.py": "a backup's file name",
    "okrdata/readers.py": "a spreadsheet date cell read as text, before staging types it",
    "okrdata/sample.py": "the sample's CSV files",
    "okrdata/templates.py": "CSV downloads keep ISO dates",
    "okrdata/fiscal.py": "month keys of a fiscal calendar",
    "pages/weekly.py": "the as-of day as a cache key",
    "pages/overview.py": "the report's file name",
}
# text people typed, not the app's words: file -> why
TYPED_TEXT = {"okrdata/sample.py": "the sample's key result titles, as a person wrote them"}
ISO = re.compile(r"%Y-?%m")  # 2026-11-16, 2026-11, 20261116T…
PERCENT_SPEC = re.compile(r"%$|^[^%]*\.\d*%")  # ":.0%", ":%"
TWO_DECIMALS = re.compile(r"\.2f$")
SPACED_PERCENT = re.compile(r"(\d|\}) %(?![{a-zA-Z(])|^ %(?!\{)")  # "51 %", "{x} %", not "%{y}"
FORMAT_STRING = re.compile(r"(?<!%)\{[\w.\[\]]*:,?(\.\d+)?(%|\.2f)\}")  # "{:.0%}", not "%{x:.0%}"


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the module's, classes' and functions' docstring nodes."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _spec(node: ast.FormattedValue) -> str:
    spec = node.format_spec
    if not isinstance(spec, ast.JoinedStr):
        return ""
    return "".join(v.value for v in spec.values if isinstance(v, ast.Constant))


def formats_itself(source: str, name: str) -> list[str]:
    """Where ``source`` writes a percent, a score or a day people read without ``display``."""
    tree = ast.parse(source)
    docs, found = _docstrings(tree), []
    machine = name in MACHINE_DATES
    specs = {id(n.format_spec) for n in ast.walk(tree) if isinstance(n, ast.FormattedValue)}

    def date_format(fmt: str) -> bool:  # a date format that is not allowed here
        return "%" in fmt and not (machine and ISO.search(fmt))

    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.FormattedValue):
            spec = _spec(node)
            if PERCENT_SPEC.search(spec) or TWO_DECIMALS.search(spec):
                found.append(f"{where} {{:{spec}}}")
            elif "%" in spec and date_format(spec):
                found.append(f"{where} a date as {{:{spec}}}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr, args = node.func.attr, node.args
            if attr == "isoformat" and not machine:
                found.append(f"{where} .isoformat()")
            if attr == "strftime":
                fmt = args[0].value if args and isinstance(args[0], ast.Constant) else "?%"
                if date_format(str(fmt)):
                    found.append(f"{where} .strftime({fmt!r})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docs or id(node) in specs or name in TYPED_TEXT:
                continue
            if SPACED_PERCENT.search(node.value) or FORMAT_STRING.search(node.value):
                found.append(f"{where} {node.value!r}")
    return found


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_but_display_writes_a_percent_or_a_date_itself(path):
    name = path.relative_to(ROOT).as_posix()
    if name == "okrdata/display.py":
        pytest.skip("the one formatter")
    assert formats_itself(path.read_text(encoding="utf-8"), name) == []


@pytest.mark.parametrize(
    "line",
    [
        'text = f"{share:.0%} of the quarter"',
        'text = f"Score {score:.2f}"',
        'text = f"as of {day:%d %b %Y}"',
        'text = day.strftime("%Y-%m-%d")',
        "text = day.isoformat()",
        'text = s.map("{:.0f} %".format)',
        'text = "at or over 100 %"',
        'text = s.map("{:.2f}".format)',
        'text = f"expected {x:%}"',
    ],
)
def test_the_scan_catches_a_number_or_date_written_its_own_way(line):
    assert len(formats_itself(line + "\n", "okrdata/somewhere.py")) == 1


@pytest.mark.parametrize(
    "line",
    [
        'text = f"{display.pct(share)} of the quarter"',
        'hover = "%{y}<br>progress %{x:.0%}<extra></extra>"',  # Plotly's own template
        'size = f"{mb:.1f} MB"',
        '"""Docstring: under 20 % at 70 % of the quarter."""',
        'fig.update_layout(xaxis=dict(tickformat=".0%"))',
        'css = "div{max-width:100%}"',
        'hover = f"{name} %{{customdata[1]}}"',
    ],
)
def test_the_scan_lets_display_calls_plotly_templates_and_prose_pass(line):
    assert formats_itself(line + "\n", "okrdata/somewhere.py") == []


def test_iso_dates_pass_only_where_machines_read_them():
    line = 'key = {"as_of": day.isoformat(), "month": day.strftime("%Y-%m")}\n'
    assert formats_itself(line, "okrdata/filterbar.py") == []
    assert len(formats_itself(line, "okrdata/signals.py")) == 2
    # a human date is never a machine's: not even in a listed file
    assert len(formats_itself('x = f"{day:%d %b}"\n', "okrdata/filterbar.py")) == 1


def test_sql_writes_days_in_sentences_the_display_way():
    """Validation messages built in SQL write a day as ``display.DATE_FORMAT`` does."""
    fmts = [
        m.group(1)
        for path in sorted((ROOT / "okrdata" / "sql").glob("*.sql"))
        for m in re.finditer(r"strftime\([^,]+,\s*'([^']*)'\)", path.read_text(encoding="utf-8"))
    ]
    assert fmts and set(fmts) == {display.DATE_FORMAT}


# The formatters themselves (their doctests run too) ------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [(0.5109, "51%"), (0.005, "0%"), (-0.004, "0%"), (0.995, "100%"), (1.5, "150%"),
     (None, "–"), (float("nan"), "–")],
)  # fmt: skip
def test_pct_is_a_whole_percent_without_a_space_and_never_minus_zero(value, expected):
    assert display.pct(value) == expected
    assert display.pcts([value]).tolist() == [expected]


def test_scores_confidences_and_pace_are_written_like_any_share():
    assert (display.score(0.04), display.confidence(0.7), display.pct(0.51)) == ("4%", "70%", "51%")


@pytest.mark.parametrize(
    "value, expected",
    [(0.47, "47 points"), (0.01, "1 point"), (-0.02, "-2 points"), (0.0, "0 points")],
)
def test_points_are_percentage_points_singular_for_one(value, expected):
    assert display.points(value) == expected
    assert display.points_each([value]).tolist() == [expected]


@pytest.mark.parametrize(
    "value",
    [pd.Timestamp("2026-11-16"), pd.Timestamp("2026-11-16 23:59"), "2026-11-16",
     pd.Timestamp("2026-11-16").date()],
)  # fmt: skip
def test_a_day_reads_16_nov_2026_whatever_it_came_as(value):
    assert display.date(value) == "16 Nov 2026"
    assert display.dates(pd.Series([value])).tolist() == ["16 Nov 2026"]


def test_no_day_is_a_dash():
    assert display.date(None) == display.date(pd.NaT) == "–"
    assert display.dates(pd.Series([pd.NaT], dtype="datetime64[ns]")).tolist() == ["–"]


def test_days_agree_with_their_number():
    assert [display.days(n) for n in (0, 1, 28, 1200)] == [
        "0 days",
        "1 day",
        "28 days",
        "1,200 days",
    ]


def test_the_import_history_says_what_each_batch_held_in_words():
    from okrdata.templates import history_frame

    history = pd.DataFrame({
        "batch_id": [2, 1], "imported_at": pd.to_datetime(["2026-11-16 13:05:59", "2026-11-02 09:00:00"]),
        "imported_by": ["ana", ""], "files": ['[{"name": "okrs.csv"}]', '[{"name": "a.xlsx", "sheet": "OKRs"}]'],
        "quarters": ["2026-Q4", "2026-Q4"], "active_quarters": ["2026-Q4", ""],
        "rows_objectives": [8, 1], "rows_key_results": [1, 3], "rows_checkins": [0, 12],
        "rows_dependencies": [2, 0], "rows_teams": [0, 1], "content_hash": ["x", "y"],
    })  # fmt: skip
    shown = history_frame(history)
    assert shown["rows"].tolist() == [
        "8 objectives, 1 key result, 2 dependencies",
        "1 objective, 3 key results, 12 check-ins, 1 team",
    ]
    assert shown["imported_at"].tolist() == ["16 Nov 2026 13:05", "02 Nov 2026 09:00"]
    assert not any(c.startswith("rows_") or c == "content_hash" for c in shown.columns)


def test_tables_show_confidence_as_a_whole_percent_like_any_share():
    # a check-in's confidence (0-1 in the data) reads 74% in a table, as in a sentence
    shown = display.readable(pd.DataFrame({"confidence": [0.74, 0.7, None], "value": [44.15, 1, 2],
                                           "latest_confidence": [0.65, 1.0, 0.0]}))  # fmt: skip
    assert shown["confidence"].tolist()[:2] == [74, 70]
    assert shown["latest_confidence"].tolist() == [65, 100, 0]  # a key result's latest
    assert pd.isna(shown["confidence"].tolist()[2])
    assert shown["value"].tolist() == [44.15, 1, 2]  # a value is no share
