"""The command line: every command documented, usage errors exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrdata.cli import COMMANDS, build_parser, main

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented_in_readme(command):
    assert f"python -m okrdata {command}" in README


def test_every_parser_command_is_dispatched():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)


@pytest.mark.parametrize("argv", [[], ["nope"], ["sample"], ["restore", "x"]])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err
