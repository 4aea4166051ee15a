"""Rebuild and replay (``okrdata.rebuild``): a store recreated from its archive, under the lock."""

from __future__ import annotations

import pandas as pd
import pytest

from okrdata import files
from okrdata.rebuild import rebuild
from okrdata.store import Store, StoreBusy
from tests import test_archive

three_events_once = test_archive.three_events_once  # made once per module
three_events = test_archive.three_events  # a copy: two imports by two people, a restore


def test_a_rebuild_waits_for_the_writers_lock_and_is_refused_after_its_timeout(three_events):
    db = three_events
    before = db.read_bytes()
    s = Store(db, lock_timeout=0.3)
    with files.lock(db.with_name(db.name + ".lock"), timeout=0):
        with pytest.raises(StoreBusy, match=r"still running after 0\.3 s"):
            rebuild(s)
    s.close()
    assert db.read_bytes() == before
    assert not list(db.parent.glob("*.before-rebuild-*"))


def test_a_rebuild_replays_every_import_and_restore_and_keeps_the_old_file_aside(three_events):
    db = three_events
    s = Store(db)
    history, data, old = s.history(), s.dataset(), db.read_bytes()
    message = rebuild(s)
    kept = next(db.parent.glob(f"{db.name}.before-rebuild-*"))
    assert message == (
        f"Rebuilt {db} from its archive: 2 batches and 1 restore; the file it replaced "
        f"is kept as {kept}."
    )
    assert kept.read_bytes() == old
    cols = ["batch_id", "imported_at", "imported_by", "quarters", "active_quarters"]
    pd.testing.assert_frame_equal(s.history()[cols], history[cols])
    for table, frame in data.tables().items():
        pd.testing.assert_frame_equal(getattr(s.dataset(), table), frame)
    s.close()
