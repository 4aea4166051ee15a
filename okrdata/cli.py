"""``python -m okrdata``: validate, import, history, restore, rebuild, signals, report, sample.

Each command is a small function ``cmd_<name>(args) -> int`` (the exit status) in the module
that does its work, listed in ``COMMANDS`` and imported lazily so ``--help`` stays fast.
Exit status: 0 fine, 1 the data has errors (or the command failed on it), 2 usage errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMANDS = {
    "validate": "okrdata.ingest:cmd_validate",
    "sample": "okrdata.sample:cmd_sample",
    "signals": "okrdata.signals:cmd_signals",
    "report": "okrdata.report:cmd_report",
    "import": "okrdata.store:cmd_import",
    "history": "okrdata.store:cmd_history",
    "restore": "okrdata.store:cmd_restore",
    "rebuild": "okrdata.cli:cmd_rebuild",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2 with a one-line reason
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _data_source(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group()
    src.add_argument("--data", metavar="DIR", help="folder (or files) of CSV/XLSX exports")
    src.add_argument("--db", metavar="PATH", help="store file (default: $OKR_DB)")
    p.add_argument("--as-of", metavar="DATE", help="compute as of this date (default: latest)")
    p.add_argument("--quarter", metavar="Q", help="quarter, e.g. 2026-Q3 (default: of --as-of)")
    p.add_argument("--config", metavar="TOML", help="settings file (default: ./okr.toml)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m okrdata", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="check export files and print the validation report")
    p.add_argument("files", nargs="+", metavar="FILE", help="CSV or XLSX files, or folders")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")

    p = sub.add_parser("sample", help="generate a believable sample company")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write CSVs into")
    p.add_argument("--teams", type=int, default=20, metavar="N", help="number of teams")
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")

    p = sub.add_parser("signals", help="coach signals for a quarter")
    _data_source(p)
    p.add_argument("--format", choices=["csv", "json", "table"], default="table")

    p = sub.add_parser("report", help="write a self-contained HTML leadership report")
    _data_source(p)
    p.add_argument("--out", required=True, metavar="FILE.html")

    p = sub.add_parser("import", help="validate files and import them into the store")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--db", metavar="PATH", help="store file (default: $OKR_DB)")
    p.add_argument("--by", metavar="NAME", help="who imports (default: $USER)")

    p = sub.add_parser("history", help="list the store's import batches")
    p.add_argument("--db", metavar="PATH")
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = sub.add_parser("restore", help="make an earlier import batch active again")
    p.add_argument("batch", type=int, metavar="BATCH")
    p.add_argument("--db", metavar="PATH")

    p = sub.add_parser("rebuild", help="recreate the store from its archive of imported files")
    p.add_argument("--db", metavar="PATH", help="store file (default: $OKR_DB)")
    return parser


def cmd_rebuild(args) -> int:
    """``python -m okrdata rebuild``: recreate the store, with its batch history, from its archive."""
    from okrdata.store import Store

    store = Store(args.db, create=False)  # a missing store file is what rebuild makes
    print(store.rebuild(progress=lambda f, t: print(f"  {t}…", file=sys.stderr)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module, func = COMMANDS[args.command].split(":")
    try:
        return getattr(importlib.import_module(module), func)(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        store = sys.modules.get("okrdata.store")  # loaded by every command that can raise it
        if store is not None and isinstance(exc, store.StoreError):
            print(f"error: {exc}", file=sys.stderr)  # one sentence: what happened, what to do
            return 1
        raise
