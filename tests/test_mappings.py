"""The Data page's confirmed column mappings and answers, kept beside the store."""

from __future__ import annotations

import os

from okrdata.mappings import save_answers, save_mapping, saved_mapping
from okrdata.store import Store
from tests.builders import fsynced


def test_saved_answers_are_on_disk_before_they_are_renamed_into_place(tmp_path, monkeypatch):
    s = Store(tmp_path / "okr.duckdb")
    seen = fsynced(monkeypatch)
    save_mapping(s, ["Goal", "Quarter"], {"objective": "Goal"})
    save_answers(s, {"canonical/okrs: goal": {"columns": {"Goal": "objective"}}})
    kept = tmp_path / "okr.duckdb.mappings.json"
    assert len(seen) == 4 and seen[1::2] == [str(tmp_path)] * 2  # each file, then its folder
    assert all(os.path.dirname(p) == str(tmp_path) for p in seen[::2])
    assert all(os.path.basename(p).startswith(".okr.duckdb.mappings.json.") for p in seen[::2])
    assert saved_mapping(Store(kept.with_name("okr.duckdb")), ["Goal", "Quarter"]) == {
        "objective": "Goal"
    }
    s.close()
