"""The data-access module: named SQL files split by DuckDB's parser, parameters bound."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from okrdata import db


@pytest.fixture
def sql_dir(tmp_path, monkeypatch):
    """A folder standing in for ``okrdata/sql`` (the file caches are emptied around the test)."""
    monkeypatch.setattr(db, "SQL_DIR", tmp_path)
    db.sql.cache_clear()
    db.statements.cache_clear()
    yield tmp_path
    db.sql.cache_clear()
    db.statements.cache_clear()


def test_a_string_literal_holding_a_semicolon_and_newline_stays_one_value(sql_dir):
    (sql_dir / "literal.sql").write_text(
        "create table t (s varchar);\n"
        "insert into t values ('a;\nb'), ($extra);\n"
        "select s from t order by s;\n",
        encoding="utf-8",
    )
    con = db.connect()
    rows = db.run(con, "literal", {"extra": "c"}).fetchall()
    assert rows == [("a;\nb",), ("c",)]


def test_each_statement_binds_only_the_parameters_it_names(sql_dir):
    (sql_dir / "two.sql").write_text(
        "create table t as select $a as a;\nselect a, $b as b from t\n", encoding="utf-8"
    )
    assert db.statements("two")[0][1] == frozenset({"a"})
    assert db.run(db.connect(), "two", {"a": 1, "b": 2}).fetchall() == [(1, 2)]


def test_a_sql_file_is_parsed_once_and_its_statements_run_on_any_connection(sql_dir):
    """``run`` executes statements parsed once per process (parsing the staging's text again
    took about a tenth of a small import), on every connection, each with its own values."""
    (sql_dir / "kept.sql").write_text(
        "create table t as select $a as a;\nselect a + $b as c from t\n", encoding="utf-8"
    )
    parsed = db.statements("kept")
    assert all(isinstance(s, duckdb.Statement) for s, _ in parsed)
    assert db.statements("kept") is parsed
    for a, b in ((1, 2), (10, 20)):
        assert db.run(db.connect(), "kept", {"a": a, "b": b}).fetchall() == [(a + b,)]
    # a query built the same way import after import (a checks file without the checks its
    # gates leave out) is parsed once too
    query = "select $a * 2 as d"
    assert db.parsed(query) is db.parsed(query)
    assert db.frame(db.connect(), db.parsed(query), {"a": 4})["d"].tolist() == [8]
    with pytest.raises(ValueError):
        db.parsed("select 1; select 2")  # one statement only


def test_no_connection_draws_duckdbs_progress_bar(tmp_path):
    """A query over two seconds (an import at 20,000 teams) must not draw DuckDB's own progress
    bar on the terminal, between the command's own lines of progress. (Checked in a process of
    its own: under pytest DuckDB's client leaves its bar off by itself.)"""
    path = tmp_path / "x.duckdb"
    db.connect(path).close()
    code = textwrap.dedent(f"""
        from okrdata import db
        for opened in (db.connect, lambda: db.connect({str(path)!r}),
                       lambda: db.read_only({str(path)!r})):
            con = opened()
            print(con.execute("select current_setting('enable_progress_bar')").fetchone()[0])
            con.close()
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout  # fmt: skip
    assert out.split() == ["False"] * 3
