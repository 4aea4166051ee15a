"""Import fast paths agree with their full definitions: the cell-typing macros on any text, and
the parent walk with networkx on any graph.

``okr_clean`` keeps a cell that starts and ends in printable ASCII as it is, and ``okr_number``
casts a plain decimal directly (``okrdata/sql/macros.sql``); both are there for speed only, so
for every text they must give what trimming and the number patterns give.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from okrdata import db

# characters people's cells hold around numbers: digits, signs, separators, units, spaces of
# every kind (DuckDB's trim removes Unicode spaces but not tabs or newlines), words
NUMERIC = st.text(alphabet="0123456789.,-+_eEkmbKMB%$€() \t\n\u00a0\u3000xnaifINF", max_size=12)
ANY = st.text(max_size=12)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.run(con, "macros")
    return con


# a file's decimal mark (macros.sql): 0 a point, 1 a comma, 2 a comma in a text file
MARK = st.sampled_from([0, 1, 2])


# Each example is a batch of texts, checked in one query as the column ``t`` (as the import
# applies the macros, to a column): planning the macros' expressions costs about 0.02 s a
# query and the texts next to nothing, so 50 batches of 10 to 40 texts check some 1,000 texts
# in the time 60 texts took one query each (400 single texts took 12 s on 2 busy cores).
def batches(texts: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(texts, min_size=10, max_size=40)


def fifty(**strategies: st.SearchStrategy) -> Callable[[Callable], Callable]:
    """A property over 50 examples of ``strategies`` (batches of texts among them)."""
    return lambda test: settings(max_examples=50, deadline=None)(given(**strategies)(test))


def _same(con: duckdb.DuckDBPyConnection, fast: str, full: str, texts: list[str]) -> None:
    rows = con.execute(f"select t, {fast}, {full} from (select unnest($texts) as t)",
                       {"texts": texts}).fetchall()  # fmt: skip
    assert sorted(t for t, _, _ in rows) == sorted(texts)  # every text of the batch, once
    for text, got, want in rows:
        assert got == want or (got != got and want != want), (text, got, want)


# a vertical tab after a number: DuckDB's cast skips it as space, and so must the patterns
# (RE2's \s does not match it)
@example(texts=["0\x0b", " 7\x0b\x0b"], comma=0)
@fifty(texts=batches(st.one_of(NUMERIC, ANY)), comma=MARK)
def test_number_fast_path_agrees_with_the_patterns(con, texts, comma):
    full = (f"case when abs(okr_number_any(okr_numtext(t, {comma}))) < 1e15 "
            f"then okr_number_any(okr_numtext(t, {comma})) end")  # fmt: skip
    _same(con, f"okr_number(t, {comma})", full, texts)


@fifty(texts=batches(st.one_of(NUMERIC, ANY)), comma=MARK)
def test_number_text_agrees_with_its_steps_written_out(con, texts, comma):
    steps = (f"regexp_replace(okr_numtext_plain(regexp_replace(lower(trim(t)), '[\\s\\v$€£¥%]', "
             f"'', 'g'), {comma}), '^\\+', '')")  # fmt: skip
    _same(con, f"okr_numtext(t, {comma})", steps, texts)


@fifty(texts=batches(st.one_of(NUMERIC, ANY)), comma=MARK)
def test_a_plain_number_is_the_number_okr_number_reads(con, texts, comma):
    """stg_okrs casts the plain decimals with okr_number_plain and reads only the other cells
    with okr_number: together they must give okr_number's value for every text."""
    _same(con, f"coalesce(okr_number_plain(t, {comma}), okr_number(t, {comma}))",
          f"okr_number(t, {comma})", texts)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "value"),
    [("45", 45.0), ("-1.5", -1.5), (" 7 ", 7.0), ("1e3", 1000.0), ("45%", None), ("1,234", None),
     ("1_000", None), ("inf", None), ("2e15", None), ("", None)],
)  # fmt: skip
def test_plain_number_spellings(con, text, value):
    assert con.execute("select okr_number_plain($t, 0)", {"t": text}).fetchall()[0][0] == value


@fifty(texts=batches(st.one_of(NUMERIC, ANY)))
def test_a_number_problem_is_what_its_steps_written_out_say(con, texts):
    """okr_number_problem binds the number's text once (a lambda); written out, it is this."""
    full = ("'''' || trim(t) || ''' ' || case when okr_number_any(okr_numtext(t, false)) "
            "is not null then 'is too large to be a value (over 10^15).' "
            "else 'is not a number.' end")  # fmt: skip
    _same(con, "okr_number_problem(t)", full, texts)


@pytest.mark.parametrize(
    ("text", "said"),
    [("lots", "'lots' is not a number."),
     (" 2e15 ", "'2e15' is too large to be a value (over 10^15)."),
     ("$3,000,000,000,000,000", "'$3,000,000,000,000,000' is too large to be a value (over 10^15).")],
)  # fmt: skip
def test_number_problems(con, text, said):
    assert con.execute("select okr_number_problem($t)", {"t": text}).fetchall()[0][0] == said


CONFIDENCE = st.one_of(
    st.text(alphabet="0123456789/ .ofut", max_size=10),
    st.sampled_from(["High", " very-high ", "MED", "amber", "Low", "lo", "🟢", "⚠ at risk",
                     "❌", "7/10", "4 of 5", "3 out of 5", "11/10", "2/3", "green!", "n/a", "5/5",
                     "10 of 10", "0/5"]),
    ANY,
)  # fmt: skip


@fifty(texts=batches(CONFIDENCE))
def test_a_confidence_word_is_what_its_steps_written_out_say(con, texts):
    """okr_confidence_word binds the text's key and numbers once (lambdas); written out, it is
    this."""
    full = """case
        when contains(t, '🟢') or contains(t, '✅') or contains(t, '✔')
            or okr_key(t) in ('high', 'hi', 'green', 'confident', 'veryhigh', 'ontrack') then 0.9
        when contains(t, '🟡') or contains(t, '🟠') or contains(t, '⚠')
            or okr_key(t) in ('medium', 'med', 'mid', 'moderate', 'amber', 'yellow', 'atrisk') then 0.5
        when contains(t, '🔴') or contains(t, '❌')
            or okr_key(t) in ('low', 'lo', 'red', 'verylow', 'offtrack') then 0.2
        when okr_fraction(t, 2) in (5, 10) and okr_fraction(t, 1) <= okr_fraction(t, 2)
            then okr_fraction(t, 1) / okr_fraction(t, 2)
    end"""
    _same(con, "okr_confidence_word(t)", full, texts)
    types = con.execute(f"select typeof(okr_confidence_word(t)), typeof({full}) "
                        "from (select unnest($texts) as t)", {"texts": texts}).fetchall()  # fmt: skip
    assert len(types) == len(texts) and all(got == want for got, want in types), types[0]


def test_a_number_plans_each_pattern_once(con):
    """A macro's argument is copied wherever the macro names it: okr_number named its cleaned
    text in every pattern of every step, 166 regular expressions to plan for one cell (0.02 s,
    six times in the okrs statement alone, at any company size)."""
    con.execute("create or replace table cells (t varchar, comma integer)")
    plan = con.execute("explain select okr_number(t, comma) from cells").fetchall()[0][1]
    assert plan.count("regexp_") <= 12, plan.count("regexp_")


@fifty(texts=batches(st.one_of(NUMERIC, ANY)))
def test_clean_fast_path_agrees_with_trim(con, texts):
    _same(con, "okr_clean(t)", "nullif(trim(t), '')", texts)


@pytest.mark.parametrize(
    ("text", "value"),
    [(" 45 ", 45.0), ("+5", 5.0), ("1e3", 1000.0), ("1_000", None), ("inf", None),
     ("nan", None), ("1e400", None), ("1,234", 1234.0), ("45%", 45.0), ("(12)", -12.0),
     ("1.5k", 1500.0), ("\u00a012\u00a0", 12.0), ("2e15", None)],
)  # fmt: skip
def test_number_spellings(con, text, value):
    assert con.execute("select okr_number($t, 0)", {"t": text}).fetchall()[0][0] == value


@settings(max_examples=300, deadline=None)
@given(edges=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=30))
def test_the_parent_walk_finds_a_cycle_exactly_when_networkx_does(edges):
    import networkx as nx

    from okrdata.staging import _acyclic

    parents: dict[str, list[str]] = {}
    for child, parent in edges:
        parents.setdefault(str(child), []).append(str(parent))
    graph = nx.DiGraph((str(c), str(p)) for c, p in edges)
    assert _acyclic(parents) == nx.is_directed_acyclic_graph(graph)


@settings(max_examples=300, deadline=None)
@given(edges=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=30),
       rounds=st.sampled_from([0, 1, 2, 64]))  # fmt: skip
def test_peeling_the_links_finds_a_cycle_exactly_when_networkx_does(edges, rounds):
    """The import's check peels leaf links in NumPy, a few rounds, then walks what is left
    depth first: the same answer however many rounds it peels."""
    import networkx as nx
    import numpy as np

    from okrdata.staging import _acyclic_links

    child = np.array([c for c, _ in edges], dtype=np.int64)
    parent = np.array([p for _, p in edges], dtype=np.int64)
    graph = nx.DiGraph(edges)
    assert _acyclic_links(child, parent, rounds) == nx.is_directed_acyclic_graph(graph)
