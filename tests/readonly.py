"""A folder that cannot be written, for tests of what happens in one (a read-only mount).

As root, permissions do not stop a write, so the folder is bind-mounted read-only (``mount``);
otherwise its permission bits are cleared. A machine where neither is possible skips the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder``'s content seen through a path nothing can write; yields that path."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield folder
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    seen = folder.with_name(folder.name + "-ro")
    seen.mkdir()
    mount = shutil.which("mount")
    done = mount and subprocess.run([mount, "--bind", "-o", "ro", str(folder), str(seen)],
                                    capture_output=True).returncode == 0  # fmt: skip
    if not done:
        seen.rmdir()
        pytest.skip("no read-only mount can be made here")
    try:
        yield seen
    finally:
        subprocess.run(["umount", str(seen)], check=True)
        seen.rmdir()
