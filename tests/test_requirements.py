"""The lock files install exactly what the human-edited requirements name, each with hashes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#\\]+)", re.M)


def pins(text: str) -> dict[str, str]:
    """{normalised name: version} of every ``name==version`` line."""
    return {re.sub(r"[-_.]+", "-", n).lower(): v for n, v in PIN.findall(text)}


def locked(path: Path) -> dict[str, str]:
    """The lock's pins; each entry must carry at least one sha256 hash."""
    text = path.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    for entry in entries:
        if PIN.match(entry):
            assert "--hash=sha256:" in entry, f"{path.name}: no hash for {entry.split()[0]}"
    return pins(text)


@pytest.mark.parametrize(
    "listed, lock",
    [
        (["requirements.txt"], "requirements.lock"),
        (["requirements.txt", "requirements-dev.txt"], "requirements-dev.lock"),
        (["requirements-uv.txt"], "requirements-uv.lock"),
    ],
)
def test_every_pinned_requirement_is_in_its_lock_at_the_same_version(listed, lock):
    wanted: dict[str, str] = {}
    for name in listed:
        wanted |= pins((ROOT / name).read_text(encoding="utf-8"))
    have = locked(ROOT / lock)
    assert {n: have.get(n) for n in wanted} == wanted, f"run `make lock` after editing {listed}"


def test_the_app_and_the_dev_tools_install_the_same_versions_of_what_they_share():
    run, dev = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-dev.lock")
    assert set(run) <= set(dev)
    assert {n: dev[n] for n in run} == run


def test_the_makefile_installs_from_the_locks_with_hashes():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    # uv itself from its lock, with hashes; then the locks through uv, with hashes
    assert "pip install -q --require-hashes -r requirements-uv.lock" in make
    install = re.search(r"^INSTALL := (.*)$", make, re.M)
    assert install and "uv pip install" in install[1] and "--require-hashes" in install[1]
    assert "$(INSTALL) --compile-bytecode -r requirements.lock" in make  # make run: see Makefile
    assert "$(INSTALL) -r requirements-dev.lock" in make
    assert re.search(r"^\$\(VENV\)/\.stamp-run: requirements\.lock\b", make, re.M)
    assert re.search(
        r"^\$\(VENV\)/\.stamp-dev: requirements\.lock requirements-dev\.lock\b", make, re.M
    )


def test_make_test_starts_chromiums_install_before_the_set_up():
    """Debian's chromium (downloads, then about 12 CPU-seconds of unpacking) is installed
    beside the set-up, whose venv and packages keep one core busy, not after it: ``test`` has
    no prerequisite, and its recipe starts the install before it builds the venv (``ruff``)."""
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:(.*)\n((?:\t.*\n)+)", make, re.M)
    assert recipe, "no test target"
    assert recipe[1].strip() == ""
    body = recipe[2]
    assert body.index("{ $(CHROMIUM); } > $(VENV)/chromium.log 2>&1 &") < body.index(
        "$(MAKE) --no-print-directory ruff"
    )
    # the tests and mypy (run in the background) wait for the set-up: grouped after `ruff &&`
    # (without the braces the `&` sent `make ruff && mypy` to the background, and pytest ran
    # before the venv existed)
    assert "$(MAKE) --no-print-directory ruff && \\\n\t{ $(call beside_mypy," in body
