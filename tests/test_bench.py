"""The benchmark's bound steps run on the bundled sample (``make bench`` runs them at scale)."""

from __future__ import annotations

from argparse import Namespace

from bench import steps


def test_import_floor_reads_casts_and_writes_the_sample(tmp_path):
    args = Namespace(data="sample_data", db=str(tmp_path / "unused.duckdb"), repeat=2)
    out = steps.STEPS["import_floor"](args)
    assert len(out["times"]) == 2 and all(t > 0 for t in out["times"])
