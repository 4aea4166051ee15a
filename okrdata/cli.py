"""``python -m okrdata``: validate, import, history, restore, rebuild, warm, signals, progress, report, sample.

Every command lives here, as ``cmd_<name>(args) -> int`` (the exit status): it reads the
arguments, calls the logic modules (which never print or parse arguments) and prints the
outcome. Logic modules are imported inside the commands, so ``--help`` stays fast.
Exit status: 0 fine, 1 the data has errors (or the command failed on it), 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import pandas as pd

    from okrdata.config import Config
    from okrdata.model import Dataset
    from okrdata.snapshot import Snapshot
    from okrdata.store import Store


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with a one-line reason
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _config_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="TOML", help="settings file (default: ./okr.toml)")


def _mapping_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mapping", metavar="ANSWERS.json",
                   help="answers to the Data page's questions (its 'Save these answers' file):"
                   " columns, fixed values and the fiscal year, per source shape")  # fmt: skip


def _data_source(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group()
    src.add_argument("--data", metavar="DIR", help="folder (or files) of CSV/XLSX exports")
    src.add_argument("--db", metavar="PATH", help="store file (default: $OKR_DB)")
    p.add_argument("--as-of", metavar="DATE", help="compute as of this date (default: latest)")
    p.add_argument("--quarter", metavar="Q", help="quarter, e.g. 2026-Q3 (default: of --as-of)")
    _config_option(p)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m okrdata", description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="check export files and print the validation report")
    p.add_argument("files", nargs="+", metavar="FILE", help="CSV or XLSX files, or folders")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    _config_option(p)
    _mapping_option(p)

    p = sub.add_parser("sample", help="generate a believable sample company")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write CSVs into")
    p.add_argument("--teams", type=int, default=20, metavar="N", help="number of teams")
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")

    p = sub.add_parser("signals", help="coach signals for a quarter")
    _data_source(p)
    p.add_argument("--format", choices=["csv", "json", "table"], default="table")
    p.add_argument("--new", action="store_true", help="only signals new since a week before")
    p.add_argument(
        "--triage",
        action="store_true",
        help="leave out acknowledged and snoozed signals (triage.sqlite beside the store)",
    )

    p = sub.add_parser(
        "progress", help="every objective and key result of a quarter with its progress"
    )
    _data_source(p)
    p.add_argument("--format", choices=["csv", "json"], default="csv")

    p = sub.add_parser("report", help="write a self-contained HTML leadership report")
    _data_source(p)
    p.add_argument("--out", required=True, metavar="FILE.html")

    p = sub.add_parser("import", help="validate files and import them into the store")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--db", metavar="PATH", help="store file (default: $OKR_DB)")
    p.add_argument("--by", metavar="NAME", help="who imports (default: $USER)")
    _config_option(p)
    _mapping_option(p)
    p.add_argument("--scope", choices=["quarters", "teams"], default="quarters",
                   help="replace the files' quarters (a full export, default) or only their "
                   "teams' objectives in them (one team's sheet)")  # fmt: skip
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = sub.add_parser("history", help="list the store's import batches")
    p.add_argument("--db", metavar="PATH")
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = sub.add_parser("restore", help="make an earlier import batch active again")
    p.add_argument("batch", type=int, metavar="BATCH")
    p.add_argument("--db", metavar="PATH")

    p = sub.add_parser("rebuild", help="recreate the store from its archive of imported files")
    p.add_argument("--db", metavar="PATH", help="store file (default: $OKR_DB)")

    p = sub.add_parser("warm", help="compute today's first page and signals ahead (nightly)")
    p.add_argument("--db", metavar="PATH", help="store file (default: $OKR_DB)")
    _config_option(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = getattr(args, "db", None)
    if db and os.path.isdir(db):
        _error(
            f"--db {db} is a folder; give the store file, e.g. --db {os.path.join(db, 'okr.duckdb')}."
        )
        return 2
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a file that cannot be read or written (vanished, a folder, denied)
        if exc.filename is None:
            raise
        _error(f"{exc.filename}: {exc.strerror or exc}.")
        return 1
    except Exception as exc:
        store = sys.modules.get("okrdata.store")  # loaded by every command that can raise it
        triage = sys.modules.get("okrdata.triage")
        if (store is not None and isinstance(exc, store.StoreError)) or (
            triage is not None and isinstance(exc, triage.TriageError)
        ):
            _error(str(exc))  # one sentence: what happened, what to do
            return 1
        raise


# shared helpers ---------------------------------------------------------------------------


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _note(note: str | None) -> None:
    """The one "as of" sentence ("Data as of 16 Nov 2026, 20 days ago.") on stderr, when the
    data is old (``okrdata.asof``): stdout stays the CSV, JSON or table asked for."""
    if note:
        print(f"note: {note}", file=sys.stderr)


def _missing_files(files: Sequence[str]) -> bool:
    """Say which of ``files`` do not exist (a usage error, exit status 2); True when some don't."""
    from pathlib import Path

    missing = [f for f in files if not Path(f).exists()]
    if missing:
        _error(f"no such file: {', '.join(missing)}")
    return bool(missing)


def load_config_arg(args: argparse.Namespace) -> Config | None:
    """The settings ``--config`` names (default ``./okr.toml`` when present); None after an error."""
    import tomllib

    from okrdata.config import load_config

    try:
        return load_config(getattr(args, "config", None))
    except tomllib.TOMLDecodeError as exc:
        name = getattr(args, "config", None) or "okr.toml"
        _error(f"The settings file {name} is not valid TOML ({exc}).")
        return None
    except (FileNotFoundError, ValueError) as exc:
        _error(str(exc))
        return None


def load_args(
    args: argparse.Namespace, config: Config | None = None
) -> tuple[Dataset, Config, pd.Timestamp | None] | None:
    """The Dataset, Config and "today" a ``signals``/``report`` command asked for.

    None after an error (a store file missing beside its archive is said to be missing, as
    every command says it). "Today" is None (the real today) for every source, the bundled sample
    (no ``--data`` and no ``--db``) too: ``okrdata.asof`` shows old data as of its newest
    check-in, as in the app.
    ``config``: the settings when the command has already read them.
    """
    if getattr(args, "db", None) and _missing_store(args):
        return None
    config = config or load_config_arg(args)
    if config is None:
        return None
    if getattr(args, "db", None):
        from okrdata.store import Store

        return Store(args.db, create=False).dataset(), config, None
    from okrdata.ingest import load

    data = getattr(args, "data", None)
    result = load([data or "sample_data"], config=config)
    if not result.report.ok:
        print(result.report.to_text(), file=sys.stderr)
        return None
    return result.dataset, config, None


def load_answers(args: argparse.Namespace) -> dict | None:
    """The answers ``--mapping`` names ({} without it); None after an error (said in one
    sentence)."""
    from okrdata import questions

    if not getattr(args, "mapping", None):
        return {}
    try:
        return questions.read(args.mapping)
    except ValueError as exc:
        _error(str(exc))
        return None


def _progress(fraction: float, text: str) -> None:
    """A step of an import or rebuild on stderr; the last one is the outcome, printed once after."""
    if fraction < 1.0:
        print(f"  {text}…", file=sys.stderr)


def _warm(store: Store, config: Config | None, args: argparse.Namespace) -> None:
    """Compute the landing page and this quarter's signals ahead (``landing.warm``), so the
    app's first Overview and the next ``signals --db`` need not load the data.

    The analyst need not wait for it: by default it runs in a process of its own
    (``python -m okrdata warm``) and the command exits once the import is published; until
    it is done, a page or ``signals --db`` computes its answer itself, as without it.
    ``OKR_WARM=inline`` computes it before the command exits (a nightly job that wants it
    done), ``OKR_WARM=off`` not at all (``precomputed.warm_mode``)."""
    from okrdata import landing, precomputed

    if config is None or precomputed.warm_mode() == "off":
        return
    if precomputed.warm_mode() == "inline":
        print("  Computing the first page and this quarter's signals ahead…", file=sys.stderr)
        landing.warm(store, config)
        return
    precomputed.warm_apart(store.path, getattr(args, "config", None))
    print("  The first page and this quarter's signals are computed ahead in the background.",
          file=sys.stderr)  # fmt: skip


def parse_as_of(text: str | None) -> pd.Timestamp | None:
    """``--as-of`` as a date (None when not given); ValueError on text that is not a date.

    >>> parse_as_of("2026-08-26 14:30"), parse_as_of(None)
    (Timestamp('2026-08-26 00:00:00'), None)
    """
    import pandas as pd

    if not text:
        return None
    day = pd.to_datetime(text, errors="coerce")
    if pd.isna(day):
        raise ValueError(f"--as-of is not a date: {text!r}")
    return pd.Timestamp(day).normalize()


def _no_store(args: argparse.Namespace) -> str | None:
    """The store path when its file does not exist and there is no archive to rebuild it from
    (a mistyped ``--db``, or nothing imported yet); None otherwise. Commands that only read
    the store say so instead of creating an empty one."""
    from pathlib import Path

    from okrdata.archive import archive_dir

    if getattr(args, "db", None):
        path = Path(args.db)
    else:  # the store module imports pandas: only when no --db says where the store is
        from okrdata.store import default_path

        path = default_path()
    return None if path.exists() or archive_dir(path).exists() else str(path)


def _missing_store(args: argparse.Namespace) -> bool:
    """Say that the store does not exist (``_no_store``), or is missing beside its archive
    (``_lost_store``); True in either case. Only ``import`` and ``rebuild`` create a store."""
    path = _no_store(args)
    if path is not None:
        _error(f"There is no store at {path}; import files into it first with "
               f"`python -m okrdata import FILE… --db {path}`.")  # fmt: skip
        return True
    lost = _lost_store(args)
    if lost is not None:  # the app's sentence (store.damaged), without loading the store module
        _error(f"The store {lost} is missing; rebuild it from its archive with "
               f"`python -m okrdata rebuild --db {lost}`.")  # fmt: skip
        return True
    return False


def _lost_store(args: argparse.Namespace) -> str | None:
    """The store path when its file does not exist but its archive does (rebuild it)."""
    from pathlib import Path

    from okrdata.archive import archive_dir

    if getattr(args, "db", None):
        path = Path(args.db)
    else:
        from okrdata.store import default_path

        path = default_path()
    return str(path) if not path.exists() and archive_dir(path).exists() else None


def _open(args: argparse.Namespace) -> Store:
    """The store of ``--db``; none is created (``import`` publishes a new one with its batch)."""
    from okrdata.store import Store

    return Store(getattr(args, "db", None), create=False)


# the commands -----------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    """``python -m okrdata validate FILES…``: print the report; exit 1 when it has errors."""
    from okrdata import display, export
    from okrdata.ingest import load
    from okrdata.questions import resolve

    if _missing_files(args.files):
        return 2
    answers = load_answers(args)
    if answers is None:
        return 2
    config = load_config_arg(args)
    if config is None:
        return 1
    result = resolve(args.files, answers, config) if answers else load(args.files, config=config)
    if args.format == "json":
        body = json.loads(result.report.to_json())
        body["ledger"] = result.ledger.to_list()
        print(json.dumps(body, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(export.neutralise(result.report.to_frame()).to_csv(index=False), end="")
    else:
        for src in result.sources:
            where = src.name + (f" [{src.sheet}]" if src.sheet else "")
            what = src.table or "not recognised"
            notes = f" ({'; '.join(src.notes)})" if src.notes else ""
            print(f"{where}: {what}, {display.count(src.rows, 'row')}{notes}")
        print()
        print(result.ledger.section())
        print()
        print(result.report.to_text())
    return 0 if result.report.ok else 1


def cmd_import(args: argparse.Namespace) -> int:
    """``python -m okrdata import FILES…``: print the report, then import or refuse (exit 1)."""
    if _missing_files(args.files):
        return 2
    answers = load_answers(args)
    if answers is None:
        return 2
    config = load_config_arg(args)
    if config is None:
        return 1
    overrides = None
    if answers:
        from okrdata.questions import plan

        overrides, config = plan(args.files, answers, config)
    # a new store is published with its first batch (an empty one first would be copied)
    store = _open(args)
    result, outcome = store.import_files(
        args.files,
        config=config,
        mapping_overrides=overrides,
        imported_by=args.by,
        progress=_progress,
        scope=args.scope,
    )
    if getattr(args, "format", "table") == "json":
        body = json.loads(result.report.to_json())
        print(json.dumps({"batch_id": outcome.batch_id, "changed": outcome.changed,
                          "message": outcome.message, "report": body,
                          "ledger": result.ledger.to_list()}, indent=2, ensure_ascii=False))  # fmt: skip
    else:  # what was read, the problems, then the verdict
        print(result.ledger.section())
        print()
        if result.report.issues:
            print(result.report.to_text())
        print(outcome.message)
    if outcome.changed:
        _warm(store, config, args)
    return 0 if result.report.ok and outcome.batch_id is not None else 1


def cmd_history(args: argparse.Namespace) -> int:
    """``python -m okrdata history``: the import batches, newest first."""
    path = _no_store(args)
    if path is not None:
        print(f"There is no store at {path} yet; import files into it with "
              f"`python -m okrdata import FILE… --db {path}`.")  # fmt: skip
        return 0
    if _missing_store(args):
        return 1
    store = _open(args)
    frame = store.history()
    if args.format == "json":
        print(frame.to_json(orient="records", date_format="iso", indent=2))
    elif frame.empty:
        print(f"The store {store.path} has no imports yet.")
    else:
        from okrdata.templates import history_frame

        cols = ["batch_id", "imported_at", "imported_by", "quarters", "active_quarters", "rows",
                "files"]  # fmt: skip
        print(history_frame(frame)[cols].to_string(index=False))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``python -m okrdata restore BATCH``: make an earlier batch active again."""
    if _missing_store(args):
        return 1
    store = _open(args)
    outcome = store.restore(args.batch)
    ok = outcome.batch_id is not None
    if ok:
        print(outcome.message)
    else:
        _error(outcome.message)
    if outcome.changed:
        _warm(store, load_config_arg(args), args)
    return 0 if ok else 1


def cmd_rebuild(args: argparse.Namespace) -> int:
    """``python -m okrdata rebuild``: recreate the store, with its batch history, from its archive."""
    from okrdata.rebuild import rebuild
    from okrdata.store import Store

    store = Store(args.db, create=False)  # a missing store file is what rebuild makes
    print(rebuild(store, progress=_progress))
    _warm(store, load_config_arg(args), args)
    return 0


def cmd_warm(args: argparse.Namespace) -> int:
    """``python -m okrdata warm``: keep today's landing page and default signals beside the
    store (what every import does), for a nightly job: the defaults count from today."""
    from okrdata import display, landing, precomputed

    if _missing_store(args):
        return 1
    config = load_config_arg(args)
    if config is None:
        return 1
    store = _open(args)
    if not store.has_data():
        print(f"The store {store.path} has no imports yet: nothing to compute.")
        return 0
    found = landing.warm(store, config)
    ask = precomputed.request(None, None, config, precomputed.FORMATS[0], new=False)
    if precomputed.read(store.path, ask) is None:  # the folder could not be written
        where = store.path.parent
        why = "is read-only" if not os.access(where, os.W_OK) else "could not be written"
        _error(f"Computed today's first page and {display.count(found, 'signal')} but kept "
               f"nothing: the folder {where} {why}.")  # fmt: skip
        return 1
    print(f"Kept today's first page and {display.count(found, 'signal')} beside {store.path}.")
    return 0


def cmd_signals(args: argparse.Namespace) -> int:
    """``python -m okrdata signals``: print the quarter's signals as a table, CSV or JSON.

    From a store (``--db``) without ``--triage``, an answer kept beside it is printed when there
    is one (``okrdata.precomputed``), and a computed one is kept for next time.
    """
    from pathlib import Path

    from okrdata import precomputed

    if getattr(args, "db", None) and _missing_store(args):
        return 1
    kept = ask = ident = config = None
    if getattr(args, "db", None) and not args.triage:
        config = load_config_arg(args)
        if config is None:
            return 1
        ask = precomputed.request(args.quarter, args.as_of, config, args.format, new=args.new)
        ident = precomputed.file_id(Path(args.db))
        kept = precomputed.read(Path(args.db), ask)
    if kept is not None and ask is not None:
        _note(precomputed.read_note(Path(args.db), ask))
        sys.stdout.write(kept)
        return 0
    from okrdata.export import signals_output
    from okrdata.signals import compute_signals
    from okrdata.snapshot import build

    loaded = load_args(args, config)  # the settings read once
    if loaded is None:
        return 1
    ds, config, today = loaded
    try:
        snap = build(ds, args.quarter, parse_as_of(args.as_of), config, today)
        out = compute_signals(snap)
    except ValueError as exc:
        _error(str(exc))
        return 2
    if args.new or args.triage:
        out = _triaged(out, snap, args)
    text = signals_output(out, args.format)
    note = snap.data_date.note()
    if ask is not None:
        precomputed.write(Path(args.db), ask, text, ident, note)
    _note(note)
    sys.stdout.write(text)
    return 0


def _triaged(out: pd.DataFrame, snap: Snapshot, args: argparse.Namespace) -> pd.DataFrame:
    """The signals new since a week before (``--new``) and not handled (``--triage``)."""
    from okrdata import triage
    from okrdata.signals import COLUMNS, compute_signals
    from okrdata.snapshot import build

    if args.new:
        before = compute_signals(build(snap.ds, snap.quarter, snap.as_of - triage.WEEK,
                                       snap.config, snap.today))  # fmt: skip
        out = out[triage.new_since(out, before).to_numpy(bool)]
    if args.triage:
        actions = triage.Triage(triage.path_for(getattr(args, "db", None))).current()
        found = out.assign(evidence_number=triage.evidence_numbers(snap, out))
        found = triage.apply(found, actions, snap.as_of, snap.config.signals.stale_days)
        out = out[~found["hidden"].to_numpy(bool)]
    return out[COLUMNS].reset_index(drop=True)


def cmd_progress(args: argparse.Namespace) -> int:
    """``python -m okrdata progress``: every objective and key result of the quarter as of the
    date, with the numbers the pages show (``okrdata.progress``), as CSV or JSON."""
    from okrdata.progress import progress_output, progress_table
    from okrdata.snapshot import build

    loaded = load_args(args)
    if loaded is None:
        return 1
    ds, config, today = loaded
    try:
        snap = build(ds, args.quarter, parse_as_of(args.as_of), config, today)
    except ValueError as exc:
        _error(str(exc))
        return 2
    sys.stdout.write(progress_output(progress_table(snap), args.format))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``python -m okrdata report --out FILE.html``: write the leadership report."""
    from pathlib import Path

    from okrdata.asof import data_date
    from okrdata.report import build_report

    loaded = load_args(args)
    if loaded is None:
        return 1
    ds, config, today = loaded
    try:
        text = build_report(ds, parse_as_of(args.as_of), args.quarter, config, today)
    except ValueError as exc:
        _error(str(exc))
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    _note(data_date(ds, today, config).note())
    print(f"wrote {out} ({len(text) // 1024} KiB)")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    """``python -m okrdata sample --out DIR [--teams N] [--seed S]``."""
    from okrdata.sample import generate

    try:
        counts = generate(args.out, args.teams, args.seed)
    except ValueError as exc:
        _error(str(exc))
        return 2
    print(", ".join(f"{n:,} {name}" for name, n in counts.items()) + f" written to {args.out}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": cmd_validate,
    "sample": cmd_sample,
    "signals": cmd_signals,
    "progress": cmd_progress,
    "report": cmd_report,
    "import": cmd_import,
    "history": cmd_history,
    "restore": cmd_restore,
    "rebuild": cmd_rebuild,
    "warm": cmd_warm,
}
