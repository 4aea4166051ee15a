"""What an import cannot guess is asked, once, and remembered per source shape.

A load (``ingest.load``) may leave questions open: a required column no header provides
(``Source.missing_required``: which column holds it, or, for a team, a quarter or a
department, one FIXED value for the whole sheet, typed or taken from the file or sheet name),
period labels named by fiscal year (``FY22-Q1``: in which month the fiscal year starts and
whether it is named by the year it starts or ends), and columns no name matched
(``Source.unknown_columns``: which canonical column, if any, each holds). ``ask`` lists them,
each with the first 3 non-empty values of its candidate columns.

Answers are kept per SOURCE SHAPE (``Source.shape``: the adapter that read the sheet, its table
and its normalised column names), not per file, so next month's export of the same tool is
answered already. ``overrides`` and ``config_for`` turn them into what ``load`` takes;
``resolve`` loads files with them. ``dumps``/``loads`` are the answers file the Data page's
"Save these answers" writes and ``python -m okrdata import|validate --mapping FILE`` reads::

    {"okr_pulse_answers": 1,
     "shapes": {"canonical/okrs: key result, objective, quarter": {
         "columns": {"Owning unit": "team"},
         "fixed": {"team": {"value": "Sales"}},          # or {"from": "file name"}
         "fiscal": {"start_month": 2, "named_by": "end"}}}}

>>> text = dumps({"canonical/okrs: objective, quarter": {"fixed": {"team": {"value": "Sales"}}}})
>>> loads(text)["canonical/okrs: objective, quarter"]["fixed"]
{'team': {'value': 'Sales'}}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any

from okrdata.columns import ALIASES, normalise
from okrdata.config import Config
from okrdata.ingest import (
    FIXED,
    ROWS_COLUMN,
    ROWS_TITLE,
    ROWS_VALUE,
    Input,
    LoadResult,
    Overrides,
    Source,
    closest_known,
    load,
)

FORMAT = 1  # the answers file's version ("okr_pulse_answers")
FIXABLE = ("team", "quarter", "department")  # columns a sheet may have one value for
FROM_NAMES = ("file name", "sheet name")  # where a fixed value may be taken from
NAMED_BY = ("start", "end")  # a fiscal year named by the calendar year it starts or ends in
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
_KEYS = {"columns", "fixed", "fiscal", "rows", "table"}
TABLES = tuple(ALIASES)  # okrs, checkins, dependencies, teams: what a sheet may be said to hold
SEP = " = "  # an objective-rows choice: "Level = Objective"

ShapeAnswers = dict[str, Any]  # {"columns": {...}, "fixed": {...}, "fiscal": {...}}
Answers = dict[str, ShapeAnswers]  # source shape -> its answers


@dataclass(frozen=True)
class Question:
    """One thing a load could not decide, about one source (file, sheet) of a shape.

    ``kind``: ``table`` (which table a sheet holds: none was recognised, or no sheet was read
    as objectives and key results), ``column`` (which column holds a required column),
    ``fixed`` (the same, or one
    value for the whole sheet), ``fiscal`` (how the fiscal year runs), ``rows`` (which rows are
    objectives, by a column's value; ``titles``: the columns that may hold the titles) or
    ``unknown`` (which canonical column an unmatched column holds, if any). ``choices``: the
    candidate columns (``column``/``fixed``), the canonical columns (``unknown``), the months
    (``fiscal``) or "column = value" (``rows``).
    ``samples``: the first 3 non-empty values of each candidate column (for ``fixed``, also
    the file and sheet name; for ``fiscal``, the labels read; for ``unknown``, the column's).
    """

    kind: str
    file: str
    sheet: str | None
    shape: str
    table: str | None
    column: str | None
    text: str
    choices: list[str] = field(default_factory=list)
    samples: dict[str, list[str]] = field(default_factory=dict)
    suggested: str | None = None  # the closest choice, when one is close
    titles: list[str] = field(default_factory=list)  # ``rows``: columns that may hold titles
    also: list[str] = field(default_factory=list)  # ``fiscal``: other shapes the answer is for


def name_value(file: str, sheet: str | None, which: str) -> str:
    """The value a fixed column takes from the file name (without its suffix) or sheet name.

    >>> name_value("Sales.csv", None, "file name"), name_value("okrs.xlsx", "Ops", "sheet name")
    ('Sales', 'Ops')
    """
    if which == "sheet name":
        return (sheet or "").strip()
    return PurePath(file).stem.strip()


def _where(src: Source) -> str:
    return src.where + ("," if src.sheet else "")


def ask(result: LoadResult, then: LoadResult | None = None) -> list[Question]:
    """Every question the load's sources raise, each once per source shape (its answer is the
    shape's: several files of one shape are asked about once, about the first): which rows
    are objectives and the missing required columns, source by source, then how the fiscal
    year runs, then the columns no name matched. ``then``: the same files loaded with the
    answers so far, whose new questions follow (a sheet said to hold another table may lack
    some of its columns)."""
    asked = _questions(result)
    if then is not None:  # a sheet now read as another table: its new questions, not the old
        before = {(s.shape, s.table) for s in result.sources}
        moved = {s.shape for s in then.sources if (s.shape, s.table) not in before}
        asked = [q for q in asked if q.shape not in moved or q.kind == "table"]
        asked += _questions(then)
    seen: set[tuple[str, str, str | None]] = set()
    out = []
    for q in asked:
        if (q.kind, q.shape, q.column) not in seen:
            seen.add((q.kind, q.shape, q.column))
            out.append(q)
    return out


def _questions(result: LoadResult) -> list[Question]:
    out: list[Question] = []
    fiscal = list(dict.fromkeys(s.shape for s in result.sources if s.fiscal_labels))
    no_okrs = not any(s.table == "okrs" for s in result.sources)
    for src in result.sources:
        as_is = src.shape.startswith(("canonical/", "unknown/"))  # not another tool's export
        alone = sum(s.name == src.name for s in result.sources) == 1  # not a workbook's tab
        if as_is and ((src.table is None and alone) or (no_okrs and src.table in (None, *TABLES))):
            shown = {c: src.samples.get(c, []) for c in src.columns[:8]}
            out.append(Question(
                "table", src.name, src.sheet, src.shape, src.table, None,
                f"Which table does {_where(src)} hold?"
                + (" No file was read as objectives and key results." if src.table else ""),
                list(TABLES), shown, src.table))  # fmt: skip
    for src in result.sources:
        if src.table not in ALIASES:
            continue
        candidates = list(src.unknown_columns) or [c for c in src.columns if c not in src.mapping]
        samples = {c: src.samples.get(c, []) for c in candidates}
        mapped = set(src.mapping.values())
        rows = (
            src.table == "okrs"
            and bool(src.row_kinds)
            and not {"objective", "key_result"} <= mapped
        )
        if rows:
            titles = [c for c in src.columns if c not in src.row_kinds]
            titles.sort(key=lambda c: c not in src.unknown_columns)  # unmatched ones first
            out.append(Question(
                "rows", src.name, src.sheet, src.shape, src.table, "objective",
                f"Which rows of {_where(src)} are objectives (the others are key results under "
                "the objective above them), and which column holds their titles?",
                [f"{c}{SEP}{v}" for c, vals in src.row_kinds.items() for v in vals],
                {**{c: v for c, v in src.row_kinds.items()},
                 **{c: src.samples.get(c, []) for c in titles}},
                next((f"{c}{SEP}{v}" for c, vals in src.row_kinds.items() for v in vals
                      if normalise(v) in ("objective", "objectives", "goal", "obj")), None),
                titles))  # fmt: skip
        for col in [*src.missing_required, *(c for c in src.guessed if c in FIXABLE)]:
            if rows and col in ("objective", "key_result", "objective_id", "kr_id"):
                continue  # the titles answer it
            if col in FIXABLE:
                names = {w: [v] for w in FROM_NAMES if (v := name_value(src.name, src.sheet, w))}
                guess = (f" (read as {src.fixed[col]!r}, from the {src.guessed[col]}, until you "
                         "say otherwise)" if col in src.guessed else "")  # fmt: skip
                out.append(Question(
                    "fixed", src.name, src.sheet, src.shape, src.table, col,
                    f"{_where(src)} has no {col} column: which column holds it, or which "
                    f"{col} are all its rows?{guess}", candidates, {**samples, **names},
                    src.fixed.get(col) if col in src.guessed else None))  # fmt: skip
            else:
                out.append(Question(
                    "column", src.name, src.sheet, src.shape, src.table, col,
                    f"Which column of {_where(src)} holds {col!r}?", candidates, samples))  # fmt: skip
        if src.fiscal_labels and src.shape == fiscal[0]:  # one fiscal year for the whole load
            labels = sorted({x for s in result.sources for x in s.fiscal_labels})
            out.append(Question(
                "fiscal", src.name, src.sheet, src.shape, src.table, "quarter",
                f"{_where(src)} names periods by fiscal year ({', '.join(labels[:3])}):"
                " in which month does the fiscal year start, and is it named by the year it "
                "starts or the year it ends?", list(MONTHS),
                {"labels": labels[:3]}, also=fiscal[1:]))  # fmt: skip
    for src in result.sources:
        if src.table not in ALIASES:
            continue
        free = [c for c in ALIASES[src.table] if c not in src.mapping.values()]
        for col in src.unknown_columns:
            out.append(Question(
                "unknown", src.name, src.sheet, src.shape, src.table, col,
                f"{col!r} of {_where(src)} matched no column name: is it one of these?",
                free, {col: src.samples.get(col, [])}, closest_known(src.table, col)))  # fmt: skip
    return out


# answering ------------------------------------------------------------------------------------


def _entry(answers: Answers, shape: str) -> ShapeAnswers:
    return answers.setdefault(shape, {})


def answer_column(answers: Answers, q: Question, column: str | None) -> None:
    """``column`` holds ``q.column`` (a ``column``/``fixed`` question), or for an ``unknown``
    question, the column ``q.column`` holds the canonical ``column``; None clears it."""
    cols = _entry(answers, q.shape).setdefault("columns", {})
    if q.kind == "unknown":
        source, canonical = q.column or "", column
    else:
        source, canonical = column or "", q.column
        for k in [k for k, v in cols.items() if v == canonical]:
            del cols[k]
    if source and canonical:
        cols[source] = canonical
        _entry(answers, q.shape).get("fixed", {}).pop(canonical, None)
    elif q.kind == "unknown":
        cols.pop(source, None)


def answer_fixed(answers: Answers, q: Question, value: str = "", from_name: str = "") -> None:
    """Every row of ``q``'s sheet has the same ``q.column``: ``value`` as typed, or the
    ``from_name`` (``file name`` / ``sheet name``) of each file of the shape."""
    fixed = _entry(answers, q.shape).setdefault("fixed", {})
    if from_name in FROM_NAMES:
        fixed[q.column] = {"from": from_name}
    elif value.strip():
        fixed[q.column] = {"value": value.strip()}
    else:
        fixed.pop(q.column, None)
        return
    cols = _entry(answers, q.shape).get("columns", {})
    for k in [k for k, v in cols.items() if v == q.column]:
        del cols[k]


def answer_sheet(
    answers: Answers, q: Question, column: str | None, value: str = "", from_name: str = ""
) -> None:
    """A ``fixed`` question's three answers in one: a typed ``value`` or a ``from_name``
    (``file name`` / ``sheet name``) is the whole sheet's ``q.column``; with neither, the
    ``column`` chosen holds it (None clears both)."""
    if from_name in FROM_NAMES or value.strip():
        answer_fixed(answers, q, value, from_name)
    else:
        answer_fixed(answers, q)
        answer_column(answers, q, column)


def answer_table(answers: Answers, q: Question, table: str | None) -> None:
    """``q``'s sheet holds ``table`` (one of ``TABLES``); None, or the table it was read as,
    clears it."""
    entry = _entry(answers, q.shape)
    if table in TABLES and table != q.table:
        entry["table"] = table
    else:
        entry.pop("table", None)


def answer_rows(answers: Answers, q: Question, choice: str | None, title: str | None) -> None:
    """Rows whose column has the value of ``choice`` ("Level = Objective") are objectives, the
    others key results; ``title`` holds each row's title. None clears it."""
    entry = _entry(answers, q.shape)
    if not choice or SEP not in choice or not title:
        entry.pop("rows", None)
        return
    column, value = choice.split(SEP, 1)
    entry["rows"] = {"column": column, "objective": value, "title": title}


def answer_fiscal(answers: Answers, q: Question, start_month: int, named_by: str) -> None:
    """The fiscal year of ``q``'s shapes starts in ``start_month`` and is named by ``named_by``."""
    for shape in (q.shape, *q.also):
        _entry(answers, shape)["fiscal"] = {"start_month": int(start_month), "named_by": named_by}


def answered(answers: Answers, q: Question) -> dict[str, Any]:
    """What ``answers`` say to ``q`` (the Data page's default): ``{"column": …}``,
    ``{"value": …}``, ``{"from": …}`` or the fiscal answer; {} when nothing."""
    entry = answers.get(q.shape, {})
    if q.kind == "table":
        return {"table": entry["table"]} if entry.get("table") else {}
    if q.kind == "fiscal":
        return dict(entry.get("fiscal", {}))
    if q.kind == "rows":
        rows = entry.get("rows")
        if not rows:
            return {}
        return {"choice": f"{rows['column']}{SEP}{rows['objective']}", "title": rows["title"]}
    if q.kind == "unknown":
        canonical = entry.get("columns", {}).get(q.column)
        return {"column": canonical} if canonical else {}
    fixed = entry.get("fixed", {}).get(q.column)
    if fixed:
        return dict(fixed)
    column = next((k for k, v in entry.get("columns", {}).items() if v == q.column), None)
    return {"column": column} if column else {}


# applying -------------------------------------------------------------------------------------


def overrides(answers: Answers, sources: Iterable[Source]) -> Overrides:
    """The answers for each source's shape as ``load``'s mapping overrides per (file, sheet):
    ``{source column: canonical}`` and ``{"=team": "Sales"}`` for a fixed value (a value taken
    from the file or sheet name is that source's own name)."""
    out: Overrides = {}
    for src in sources:
        entry = answers.get(src.shape)
        if not entry:
            continue
        chosen = out.setdefault((src.name, src.sheet), {})
        for column, canonical in entry.get("columns", {}).items():
            if column in src.columns:
                chosen[column] = canonical
        for canonical, how in entry.get("fixed", {}).items():
            value = how.get("value") or name_value(src.name, src.sheet, how.get("from", ""))
            if value:
                chosen[FIXED + canonical] = value
        if entry.get("table") in TABLES:
            chosen["__table__"] = entry["table"]
        rows = entry.get("rows")
        if rows and rows["column"] in src.columns and rows["title"] in src.columns:
            chosen.update({ROWS_COLUMN: rows["column"], ROWS_VALUE: rows["objective"],
                           ROWS_TITLE: rows["title"]})  # fmt: skip
    return {k: v for k, v in out.items() if v}


def config_for(answers: Answers, sources: Iterable[Source], config: Config) -> Config:
    """``config`` with the fiscal year the answers give for the shapes of ``sources``."""
    for src in sources:
        fiscal = answers.get(src.shape, {}).get("fiscal")
        if fiscal:
            return replace(config, fiscal_start_month=int(fiscal["start_month"]),
                           fiscal_year_named_by=fiscal["named_by"])  # fmt: skip
    return config


def plan(
    files: Iterable[Input], answers: Answers, config: Config | None = None
) -> tuple[Overrides, Config]:
    """The overrides and settings the answers give for ``files`` (their shapes read by a
    first load): what ``load`` (or ``Store.import_files``) then takes."""
    config = config or Config()
    first = load(list(files), config=config)
    return overrides(answers, first.sources), config_for(answers, first.sources, config)


def resolve(
    files: Iterable[Input], answers: Answers | None = None, config: Config | None = None
) -> LoadResult:
    """``files`` loaded with the answers for their shapes (the shapes of a first load: answers
    fill what it lacked, and a second load with them gives the same shapes again)."""
    config = config or Config()
    files = list(files)
    first = load(files, config=config)
    if not answers:
        return first
    chosen = overrides(answers, first.sources)
    fiscal = config_for(answers, first.sources, config)
    if not chosen and fiscal == config:
        return first
    return load(files, config=fiscal, mapping_overrides=chosen)


def for_sources(answers: Answers, sources: Iterable[Source]) -> Answers:
    """The answers of the shapes among ``sources`` (what an import confirms)."""
    shapes = {s.shape for s in sources}
    kept = {k: {p: v for p, v in e.items() if v} for k, e in answers.items() if k in shapes}
    return {k: e for k, e in kept.items() if e}


# the answers file -----------------------------------------------------------------------------


def dumps(answers: Answers) -> str:
    """The answers file (JSON), shapes sorted, empty answers left out."""
    shapes = {k: {p: v for p, v in e.items() if v} for k, e in sorted(answers.items())}
    body = {"okr_pulse_answers": FORMAT, "shapes": {k: e for k, e in shapes.items() if e}}
    return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def loads(text: str | bytes) -> Answers:
    """An answers file read and checked; ValueError, one sentence, when it is not one."""
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"it is not JSON ({exc})") from None
    if not isinstance(body, dict) or not isinstance(body.get("shapes"), dict):
        raise ValueError('it is not an answers file (no "shapes" object)')
    canonical = {c for cols in ALIASES.values() for c in cols}
    out: Answers = {}
    for shape, entry in body["shapes"].items():
        if not isinstance(entry, dict) or set(entry) - _KEYS:
            raise ValueError(
                f"the answers for {shape!r} hold more than columns, fixed, fiscal, rows, table"
            )
        cols = entry.get("columns", {})
        if not isinstance(cols, dict) or not all(
            isinstance(k, str) and v in canonical for k, v in cols.items()
        ):
            raise ValueError(f'"columns" of {shape!r} must map file columns to known columns')
        fixed = entry.get("fixed", {})
        if not isinstance(fixed, dict) or not all(
            k in canonical and _fixed_ok(v) for k, v in fixed.items()
        ):
            raise ValueError(
                f'"fixed" of {shape!r} must give each column {{"value": text}} or '
                '{"from": "file name" or "sheet name"}'
            )
        fiscal = entry.get("fiscal")
        if fiscal is not None and not (
            isinstance(fiscal, dict) and fiscal.get("start_month") in range(1, 13)
            and fiscal.get("named_by") in NAMED_BY
        ):  # fmt: skip
            raise ValueError(
                f'"fiscal" of {shape!r} must be {{"start_month": 1 to 12, "named_by": "start" '
                'or "end"}'
            )
        if entry.get("table") is not None and entry["table"] not in TABLES:
            raise ValueError(f'"table" of {shape!r} must be one of {", ".join(TABLES)}')
        rows = entry.get("rows")
        if rows is not None and not (
            isinstance(rows, dict) and set(rows) == {"column", "objective", "title"}
            and all(isinstance(v, str) and v for v in rows.values())
        ):  # fmt: skip
            raise ValueError(
                f'"rows" of {shape!r} must be {{"column": …, "objective": …, "title": …}}'
            )
        out[str(shape)] = {k: v for k, v in entry.items() if v}
    return out


def _fixed_ok(how: object) -> bool:
    if not isinstance(how, dict) or len(how) != 1:
        return False
    if "value" in how:
        return isinstance(how["value"], str) and bool(how["value"].strip())
    return how.get("from") in FROM_NAMES


def read(path: str | Path) -> Answers:
    """The answers file at ``path``; ValueError, one sentence naming it, when it cannot be
    used (missing, unreadable or not an answers file)."""
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"The answers file {path} cannot be read ({exc.strerror}).") from None
    try:
        return loads(text)
    except ValueError as exc:
        raise ValueError(f"The answers file {path} cannot be used: {exc}.") from None
