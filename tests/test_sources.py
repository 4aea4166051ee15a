"""The registry of export shapes: every adapter found, documented, recognised for the right
reasons, and none of them typing a value itself (typing happens once, in the staging SQL)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import okrdata.sources as sources
from okrdata.sources import ADAPTERS, Sample, best

MODULES = [m.name for m in pkgutil.iter_modules(sources.__path__) if not m.name.startswith("_")]


def test_every_module_of_the_package_is_one_registered_adapter():
    assert sorted(a.name for a in ADAPTERS) == sorted(MODULES)
    assert len({a.name for a in ADAPTERS}) == len(ADAPTERS)


@pytest.mark.parametrize("name", MODULES)
def test_each_adapter_names_the_tool_and_file_it_was_modelled_on(name):
    doc = importlib.import_module(f"okrdata.sources.{name}").__doc__ or ""
    assert "Modelled on" in " ".join(doc.split()), f"{name}: docstring names no model"


# calls that turn a cell's text into a number or a date: staging's job, never an adapter's
_TYPING_CALLS = {"to_numeric", "to_datetime", "float", "int", "Decimal", "_number", "_fraction",
                 "_fmt", "_quarter_from_dates", "strptime", "fromisoformat"}  # fmt: skip


# the same in SQL text: a cast to a number or a date, or a typing macro of the staging SQL
_TYPING_SQL = re.compile(
    r"::\s*(double|float|real|int\w*|bigint|smallint|hugeint|decimal|numeric|date|timestamp\w*"
    r"|bool\w*)\b|\b(try_)?cast\s*\(|\bstrptime\b|\bokr_\w+\s*\(",
    re.IGNORECASE,
)


def _typing_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [f"{path.name}:{node.lineno} SQL {m.group(0)}"
                      for m in _TYPING_SQL.finditer(node.value)]  # fmt: skip
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in _TYPING_CALLS:
                found.append(f"{path.name}:{node.lineno} {name}()")
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "astype":
            text = ast.unparse(node)
            if any(t in text for t in ("float", "int", "Int64", "datetime")):
                found.append(f"{path.name}:{node.lineno} {text}")
    return found


@pytest.mark.parametrize("name", [*MODULES, "_shared"])
def test_no_adapter_types_a_value_itself(name):
    path = Path(sources.__file__).parent / f"{name}.py"
    assert _typing_calls(path) == []


def test_the_typing_check_catches_typing(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import pandas as pd\nx = pd.to_numeric(s)\ny = s.astype(float)\n"
                   "q = f'select try_cast({c} as double), {c}::DATE, okr_number({c}), {c}::varchar'\n")  # fmt: skip
    assert len(_typing_calls(bad)) == 5


def _stage_of(sql: str, **kw: object) -> sources.Adapter:
    """An adapter claiming any sheet with a ``Goal`` column, reshaping it by ``sql``."""

    def identify(sample: Sample) -> tuple[float, list[str]] | None:
        return (150.0, ["Goal"]) if "goal" in sample.names else None

    def stage(con, ctx):
        return sources.Converted({"okrs": sql.format(v=ctx.relation, goal=ctx.col("goal"),
                                                     team=ctx.text("team"))}, **kw)  # fmt: skip

    return sources.Adapter("test_sql", "a test shape", identify, stage=stage)


def test_a_staging_adapter_reshapes_in_sql_keeping_input_order_and_text(monkeypatch):
    # two output rows of one input row keep their order by _seq; values stay text
    sql = ("select _pos, 1 as _seq, {goal} as objective, {team} as team from {v} "
           "union all select _pos, 0, {goal} || ' (again)', NULL from {v}")  # fmt: skip
    monkeypatch.setattr(sources, "ADAPTERS", [_stage_of(sql), *sources.ADAPTERS])
    frame = pd.DataFrame({"Goal": ["Grow", "Ship"], 'Team ("; drop table x; --)': [" Sales ", ""]})
    match, converted = sources.reshape(frame, "goals.csv") or (None, None)
    assert match is not None and match.adapter.name == "test_sql"
    okrs = converted.tables["okrs"]
    assert okrs["objective"].tolist() == ["Grow (again)", "Grow", "Ship (again)", "Ship"]
    assert okrs["_pos"].tolist() == [0, 0, 1, 1]
    assert okrs["team"].isna().tolist() == [True, False, True, True]  # "" is no team
    assert okrs["team"][1] == "Sales"  # stripped, still text


def test_a_staged_cell_is_stripped_of_the_white_space_python_strips(monkeypatch):
    # tabs, line breaks and no-break spaces too (the pandas adapters' .str.strip()), not only
    # the spaces DuckDB's trim removes; white space inside stays
    sql = "select _pos, {goal} as objective, {team} as team from {v}"
    monkeypatch.setattr(sources, "ADAPTERS", [_stage_of(sql), *sources.ADAPTERS])
    frame = pd.DataFrame({"Goal": ["Grow", "Ship"], "Team": ["\u00a0Sales\tnorth\r\n", "\t \n"]})
    okrs = sources.reshape(frame, "goals.csv")[1].tables["okrs"]  # type: ignore[index]
    assert okrs["team"][0] == "Sales\tnorth"
    assert okrs["team"].isna().tolist() == [False, True]


def test_a_staging_query_without_the_input_row_is_refused(monkeypatch):
    monkeypatch.setattr(sources, "ADAPTERS", [_stage_of("select {goal} as objective from {v}")])
    with pytest.raises(ValueError, match="_pos"):
        sources.reshape(pd.DataFrame({"Goal": ["Grow"]}), "goals.csv")


def test_a_staged_table_shows_the_names_the_adapter_gives_its_generated_columns(
    tmp_path, monkeypatch
):
    # generated names in SQL; the reshaped table shows names the okrs aliases read
    sql = "select _pos, {goal} as o0, {team} as o1, 'Q3 2026' as o2 from {v}"
    shown = {"o0": "Objective Title", "o1": "Squad", "o2": "Quarter"}
    monkeypatch.setattr(sources, "ADAPTERS", [_stage_of(sql, shown=shown), *sources.ADAPTERS])
    frame = pd.DataFrame({"Goal": ["Grow", "Ship"], "Team": ["Sales", "Eng"]})
    _, converted = sources.reshape(frame, "goals.csv") or (None, None)
    assert list(converted.tables["okrs"].columns) == ["_pos", "Objective Title", "Squad", "Quarter"]
    from okrdata import ingest

    frame.to_csv(tmp_path / "goals.csv", index=False)
    result = ingest.load([tmp_path / "goals.csv"])
    objectives = result.dataset.objectives.sort_values("objective")
    assert objectives["objective"].tolist() == ["Grow", "Ship"]
    assert objectives["team"].tolist() == ["Sales", "Eng"]
    assert set(objectives["quarter"]) == {"2026-Q3"}


def test_an_import_reshapes_work_items_in_sql(tmp_path):
    from okrdata import ingest

    (tmp_path / "objectives.csv").write_text(
        "id,title,status,quarter,team,pillar,objective,progress\n"
        "#1,Grow revenue,active,Q2 2026,Sales,Growth,,\n"
        "#2,Ten new deals,active,,,,#1,40\n"
        "#3,Fix churn,active,Q2 2026,Sales,Growth,,\n"
    )
    result = ingest.load_dir(tmp_path)
    krs = result.dataset.key_results
    assert krs["kr_id"].tolist() == ["#2"]
    assert krs["objective_id"].tolist() == ["#1"]
    assert sorted(result.dataset.objectives["objective_id"]) == ["#1", "#3"]


# one fixture per adapter that reshapes in SQL, and what a reader counts in it by hand:
# objectives, key results (distinct ids) and rows kept aside (work items)
_STAGED_FIXTURES = [
    ("formats/wide_goals.csv", "goals_wide", 3, 3, 0),  # KR 1, 2 of the first; 1; none
    ("formats/long_goals.csv", "goals_long", 3, 3, 0),  # G3, G4, G5 have targets under a goal
    ("sources/goalscape/goalscape_export.csv", "levels", 3, 3, 1),  # Main + 2 L1; L2; one L3
    ("sources/okr_for_jira/okr_for_jira_export.csv", "typed_rows", 3, 4, 1),  # 1 work item
    ("outline/outline_labelled.csv", "outline", 3, 4, 0),  # Objective 1-3; KR 1.1, 1.2, 2.1, 2.2
]


# calls that copy a DuckDB result into pandas, or a frame into DuckDB
_PANDAS_TRIPS = {"df", "fetchdf", "fetch_df", "to_df", "register", "from_df"}


def _pandas_trips(path: Path) -> list[str]:
    """Where a module copies between DuckDB and pandas (``sources._sql.run`` and ``combined``,
    which run a reshape on a frame for the tests and the doctests, and their ``_load`` and
    ``_fetch``, are not the import's path)."""
    found = []
    for fn in ast.walk(ast.parse(path.read_text())):
        if isinstance(fn, ast.FunctionDef) and fn.name in ("run", "combined", "_load", "_fetch"):
            continue
        for node in ast.iter_child_nodes(fn) if isinstance(fn, ast.FunctionDef) else ():
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") in _PANDAS_TRIPS:
                    found.append(f"{path.name}:{call.lineno} {call.func.attr}()")  # type: ignore[attr-defined]
    return found


def test_the_import_reshapes_no_sheet_through_pandas():
    """Adapters reshape in SQL in the import's connection: no adapter module, and none of
    ``ingest``'s reshaping, copies a sheet to pandas and back (the round trip it once made:
    ``_frame`` read each sheet with ``.df()``, ``_store`` wrote it back with ``register``)."""
    import okrdata.ingest as ingest

    package = Path(sources.__file__).parent
    modules = [package / f"{m}.py" for m in [*MODULES, "_shared", "_sql", "__init__"]]
    assert [t for m in modules for t in _pandas_trips(m)] == []
    assert not any(a.reshapes and a.stage is None for a in ADAPTERS)
    assert _pandas_trips(Path(ingest.__file__)) == []


def test_the_pandas_trip_check_catches_one(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(con, s):\n    frame = con.execute(s).df()\n"
                   "    con.register('x', frame)\n")  # fmt: skip
    assert len(_pandas_trips(bad)) == 2


@pytest.mark.parametrize(("fixture", "adapter", "objectives", "krs", "aside"), _STAGED_FIXTURES)
def test_each_staged_adapter_imports_its_fixture(fixture, adapter, objectives, krs, aside):
    from okrdata import ingest

    assert next(a for a in sources.ADAPTERS if a.name == adapter).stage is not None
    result = ingest.load([Path(__file__).parent / "fixtures" / fixture])
    assert {s.shape.split("/")[0] for s in result.sources} == {adapter}
    ds = result.dataset
    assert ds.objectives["objective_id"].nunique() == objectives
    assert ds.key_results["kr_id"].nunique() == krs
    assert sum(e.kept_aside for e in result.ledger.entries) == aside
    assert result.ledger.balanced


# one fixture per adapter reshaping in SQL (beside work_items' above): its shape, the file or
# folder, and the canonical tables it must give
_STAGED = Path(__file__).parent / "fixtures" / "sources"
STAGED = {
    "joined_view": (_STAGED / "joined_view", ("okrs", "checkins")),
    "database": (_STAGED / "database", ("okrs", "checkins", "teams")),
    "viva": (_STAGED / "viva", ("okrs", "checkins")),
}


@pytest.mark.parametrize("shape", sorted(STAGED))
def test_an_import_of_each_staged_shape_balances_and_gives_its_tables(shape):
    from okrdata import ingest

    path, tables = STAGED[shape]
    result = ingest.load([path])
    entries = [e for e in result.ledger.entries if e.shape == shape]
    assert entries and all(e.balanced for e in entries), result.ledger.text()
    assert sum(e.imported for e in entries) > 0
    ds = result.dataset
    got = {"okrs": len(ds.key_results), "checkins": len(ds.checkins), "teams": len(ds.teams)}
    assert all(got[t] > 0 for t in tables), got


def test_recognition_says_which_shape_won_and_why():
    viva = Sample("export.csv", None, ["Id", "Title", "Team", "Aligned To (weight, Objective ID)",
                                       "Object Type", "Target", "Checkins"])  # fmt: skip
    match = best(viva)
    assert match is not None and match.adapter.name == "viva"
    assert (
        match.why == "looks like a Viva Goals export: Object Type, Aligned To (weight, "
        "Objective ID), Checkins"
    )
    checkins = best(Sample("updates.csv", None, ["KR", "Date", "Value"]))
    assert checkins is not None and checkins.table == "checkins"
    assert checkins.why == "looks like check-ins: KR, Date, Value"
    assert best(Sample("notes.csv", None, ["Colour", "Size"])) is None


def test_a_tool_shape_beats_a_look_alike_canonical_table():
    # a Viva export also has a Title, Team and Target: the canonical reading scores lower
    sample = Sample("x.csv", None, ["Title", "Team", "Period", "Target", "Aligned To",
                                    "Object Type"])  # fmt: skip
    ranked = sources.recognise(sample)
    assert [m.adapter.name for m in ranked][:1] == ["viva"]
    assert all(m.score < 100 for m in ranked if m.adapter.name == "canonical")


def test_values_decide_an_outline_not_only_names():
    cols = ["OKR", "Team", "Quarter"]
    outline = Sample("o.csv", None, cols, [("Objective 1: Grow", "Sales", "Q3 2026"),
                                           ("KR 1.1: Close deals", None, None)])  # fmt: skip
    plain = Sample("o.csv", None, cols, [("Grow", "Sales", "Q3 2026"),
                                         ("Ship", "Eng", "Q3 2026")])  # fmt: skip
    assert (m := best(outline)) is not None and m.adapter.name == "outline"
    assert (m := best(plain)) is None or m.adapter.name != "outline"


def test_reshape_returns_none_for_a_canonical_sheet():
    frame = pd.DataFrame({"Objective": ["Grow"], "Quarter": ["Q3 2026"], "Team": ["Sales"]})
    assert sources.reshape(frame, "okrs.csv") is None


def _closest_as_before(table: str, column: str, names: list[str]) -> str | None:
    """closest_name as it was written first: every name against every spelling."""
    import difflib

    from okrdata.columns import ALIASES, normalise

    spellings = [normalise(s) for s in (column, *ALIASES[table][column])]
    by_norm = {normalise(n): n for n in names if normalise(n)}
    best, best_score = None, 0.0
    for norm, name in by_norm.items():
        score = max(difflib.SequenceMatcher(None, norm, s).ratio() for s in spellings)
        if score > best_score:
            best, best_score = name, score
    return best if best_score >= 0.75 else None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Team", "Tema", "Teams", "team name", "Owning team", "Objectve",
                                 "Quartr", "quarter", "Quater", "Period", "Goal", "KR", "Dept",
                                 "Objective Title", "Due", "Stat", "x", "", "Tean", "Squad"]),
                max_size=12),
       st.sampled_from([("okrs", "team"), ("okrs", "objective"), ("okrs", "quarter"),
                        ("checkins", "date"), ("teams", "team")]))  # fmt: skip
def test_the_closest_name_is_the_one_every_pair_compared_would_give(names, where):
    from okrdata.sources.canonical import closest_name

    table, column = where
    assert closest_name(table, column, names) == _closest_as_before(table, column, names)
