"""The benchmark's steps run on the bundled sample (``make bench`` runs them at scale): each
step produces its result, and the results file has a row per size and the steps it measured."""

from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

import pandas as pd
import pytest

from bench import run, steps

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def test_import_floor_writes_every_key_result_and_one_checkin_per_kr_and_day(tmp_path):
    args = Namespace(data=str(SAMPLE), db=str(tmp_path / "unused.duckdb"), repeat=2)
    out = steps.STEPS["import_floor"](args)
    assert len(out["times"]) == 2 and all(t > 0 for t in out["times"])
    okrs = pd.read_csv(SAMPLE / "okrs.csv", dtype=str)
    checkins = pd.read_csv(SAMPLE / "checkins.csv", dtype=str)
    assert out["extra"] == {
        "key_results": len(okrs),
        "checkins": len(checkins.drop_duplicates(["kr_id", "date"])),
    }


# the steps that run in a second or two on 20 teams (the others open the app through AppTest)
QUICK = ["parse_duckdb", "parse_pandas", "import_floor", "import", "signals_cli"]


@pytest.mark.slow  # a generated company and five steps, each in a process of its own
def test_a_run_writes_a_row_per_size_with_every_step_it_measured(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "OUT", tmp_path / "out")
    monkeypatch.setattr(run, "RESULTS", tmp_path / "RESULTS.md")
    monkeypatch.setattr(run, "STEPS", QUICK)
    monkeypatch.setattr("sys.argv", ["bench.run", "--sizes", "20", "--repeat", "1"])
    run.main()  # exits non-zero when a step failed
    (row,) = json.loads((tmp_path / "out" / "results.json").read_text())
    generated = pd.read_csv(tmp_path / "out" / "data-20" / "checkins.csv")
    assert (row["teams"], row["checkins"]) == (20, len(generated))
    assert sorted(row["steps"]) == sorted(QUICK)
    for name, step in row["steps"].items():
        assert "error" not in step, name
        assert len(step["times"]) == 1 and step["median"] == step["times"][0] > 0, name
        assert step["peak_mb"] > 0, name
    assert row["steps"]["import_floor"]["extra"]["checkins"] == len(
        generated.drop_duplicates(["kr_id", "date"])
    )
    text = (tmp_path / "RESULTS.md").read_text()
    table = [line for line in text.splitlines() if line.startswith("| 20 |")]
    assert len(table) == 1
    cells = [c.strip() for c in table[0].strip("|").split("|")]
    assert cells[1] == f"{len(generated):,}"
    assert cells[2] == f"{row['steps']['parse_duckdb']['median']:.3f} s"  # parse duckdb
    assert cells[4] == f"{row['steps']['import']['median']:.3f} s"  # validate+import
    assert cells[13] == "failed"  # cold start: not measured in this run, and the table says so
