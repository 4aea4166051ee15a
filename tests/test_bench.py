"""The benchmark's steps run on the bundled sample (``make bench`` runs them at scale): each
step produces its result, and the results file has a row per size and the steps it measured."""

from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

import pandas as pd
import pytest

from bench import first_visit, run, steps

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


def test_a_run_without_the_browser_keeps_the_first_visits_measured_before(tmp_path, monkeypatch):
    """``--no-browser`` (or no 2,000-team size) measures no first visit: the results keep the
    section the run before wrote, saying where it comes from, instead of dropping it."""
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\nold table\n\n" + first_visit.SECTION
                       + "\n\n| Overview | 1.00 s | 1.10 s | 1.10× |\n", encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(run, "OUT", tmp_path / "out")
    monkeypatch.setattr(run, "RESULTS", results)
    monkeypatch.setattr(run, "STEPS", ["parse_duckdb"])
    monkeypatch.setattr("sys.argv", ["bench.run", "--sizes", "20", "--repeat", "1", "--no-browser"])
    run.main()
    text = results.read_text(encoding="utf-8")
    assert "old table" not in text  # the rest is this run's
    assert text.count(first_visit.SECTION) == 1
    assert "| Overview | 1.00 s | 1.10 s | 1.10× |" in text
    assert "From the run before" in text.split(first_visit.SECTION)[1]


def test_first_visits_are_reported_with_their_ratio_and_the_target(tmp_path):
    from bench import first_visit

    pages = list(first_visit.PAGES)
    times = {p: {"sample": [1.0, 2.0, 9.0], "2000": [1.5, 2.5, 2.9]} for p in pages}
    times["Alignment"] = {"sample": [2.0, 2.0, 2.0], "2000": [3.0, 3.4, 3.2]}  # 1.6x: over
    text = first_visit.report(times, ["sample", "2000"], 2000, (3.25, 4.5))
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    assert "| 2.00 s | 2.50 s | 1.25× |" in rows["Overview"]  # medians 2.0 and 2.5
    assert "| 2.00 s | 3.20 s | 1.60× MISSED |" in rows["Alignment"]
    assert "1.00 / 1.50, 2.00 / 2.50, 9.00 / 2.90" in rows["Trends"]  # each round, in order
    assert "Load average (1 min) 3.2 at the start, 4.5 at the end" in text
    assert "Highest ratio: 1.60× — MISSED." in text


def test_the_first_visit_section_replaces_its_earlier_self_and_keeps_the_rest(tmp_path):
    from bench import first_visit

    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n| teams |\n\n## The import\n\nslow.\n")
    first_visit.write_section(f"{first_visit.SECTION}\n\nfirst run\n", results)
    first_visit.write_section(f"{first_visit.SECTION}\n\nsecond run\n", results)
    text = results.read_text()
    assert text.count(first_visit.SECTION) == 1 and "second run" in text
    assert "first run" not in text
    assert text.startswith("# Benchmark results\n\n| teams |\n\n## The import\n\nslow.\n")
