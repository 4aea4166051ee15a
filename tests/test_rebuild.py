"""Rebuild and replay (``okrdata.rebuild``): a store recreated from its archive, under the lock."""

from __future__ import annotations

import pandas as pd
import pytest

from okrdata import files
from okrdata.rebuild import rebuild
from okrdata.store import Store, StoreBusy
from tests.builders import SAMPLE


@pytest.fixture(scope="module")
def imported(tmp_path_factory, q4_retitled):
    """A store with two imports and a restore of the first."""
    db = tmp_path_factory.mktemp("rebuild") / "okr.duckdb"
    s = Store(db)
    s.import_files([SAMPLE], imported_by="ana")
    s.import_files([q4_retitled], imported_by="ben")
    s.restore(1, restored_by="cy")
    s.close()
    return db


def test_a_rebuild_waits_for_the_writers_lock_and_is_refused_after_its_timeout(imported):
    before = imported.read_bytes()
    s = Store(imported, lock_timeout=0.3)
    with files.lock(imported.with_name(imported.name + ".lock"), timeout=0):
        with pytest.raises(StoreBusy, match=r"still running after 0\.3 s"):
            rebuild(s)
    s.close()
    assert imported.read_bytes() == before
    assert not list(imported.parent.glob("*.before-rebuild-*"))


def test_a_rebuild_replays_every_import_and_restore_and_keeps_the_old_file_aside(imported):
    s = Store(imported)
    history, data, old = s.history(), s.dataset(), imported.read_bytes()
    message = rebuild(s)
    kept = next(imported.parent.glob(f"{imported.name}.before-rebuild-*"))
    assert message == (
        f"Rebuilt {imported} from its archive: 2 batches and 1 restore; the file it replaced "
        f"is kept as {kept}."
    )
    assert kept.read_bytes() == old
    cols = ["batch_id", "imported_at", "imported_by", "quarters", "active_quarters"]
    pd.testing.assert_frame_equal(s.history()[cols], history[cols])
    for table, frame in data.tables().items():
        pd.testing.assert_frame_equal(getattr(s.dataset(), table), frame)
    s.close()
