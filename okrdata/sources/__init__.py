"""Sources: one adapter per export shape, one registry, and recognition in one place.

Each module of this package that defines ``ADAPTER`` is an export shape: the columns (and
values) that identify it, how its rows become the canonical tables (``okrs``, ``checkins``,
``dependencies``, ``teams``, ``work``), and, in its docstring, the tool and the real file or
header it was modelled on. Adding a tool is one new module here and its fixture; the registry
finds it (``ADAPTERS``), nothing else changes.

Recognition (``recognise``) scores every adapter against each sheet, by its column names and a
sample of its first rows, and keeps the best; the winner says why ("looks like a Viva Goals
export: Object Type, Aligned To, Checkins"). A sheet no adapter claims is reported as
unrecognised, with what it lacks. Scores: a tool's own shape (its signature columns all there)
scores 100 and more, by how much of the sheet it explains; the canonical tables score below
100, so a tool's export is never read as a look-alike canonical table.

Adapters only rename and reshape text: every number, date, percent, status, confidence and
period is typed once, in the staging SQL (``okrdata/sql/macros.sql`` and ``stg_*.sql``), so the
same cell gives the same value whatever shape it came in (``tests/test_sources.py`` fails if an
adapter module types a value itself).

>>> [a.name for a in ADAPTERS][:2]
['board', 'canonical']
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from okrdata.columns import normalise
from okrdata.sources import _sql


@dataclass
class Source:
    """What one file or sheet was recognised as, and how its columns were mapped (the import's
    record of a source: ``ingest`` fills it, staging, the checks and the questions read it)."""

    name: str
    sheet: str | None
    table: str | None
    sha256: str
    rows: int
    mapping: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header_row: int = 1  # the row holding the column names, as a spreadsheet numbers it
    # canonical column -> one value for every row, for a column the sheet lacks (a company
    # sheet's team from its name, a team typed on the Data page); staging binds it as a literal
    fixed: dict[str, str] = field(default_factory=dict)
    guessed: dict[str, str] = field(default_factory=dict)  # a fixed value guessed: from where
    shape: str = ""  # the source shape (``shape_key``): answers to questions are kept by it
    samples: dict[str, list[str]] = field(default_factory=dict)  # column -> first 3 values
    fiscal_labels: list[str] = field(default_factory=list)  # period labels named by fiscal year
    # columns whose values mark rows as objectives or key results ({"Level": ["Objective",
    # "Key Result"]}): which rows are objectives is then a question
    row_kinds: dict[str, list[str]] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """The file, and its sheet when it has one, as the report names them: ``okrs.xlsx,
        sheet OKRs``."""
        return self.name + (f", sheet {self.sheet}" if self.sheet else "")


def shape_key(adapter: str, table: str | None, columns: Iterable[str]) -> str:
    """The source shape a sheet has, the same for next month's export of the same tool: the
    adapter that read it, the table, and its normalised column names (sorted, each once; blank
    headers left out, since a tool may write more or fewer of them).

    >>> shape_key("canonical", "okrs", ["Quarter", "Objective", "Key Result", "", "quarter"])
    'canonical/okrs: key result, objective, quarter'
    """
    names = sorted({n for c in columns if (n := normalise(str(c)))})
    return f"{adapter or 'unknown'}/{table or 'none'}: {', '.join(names)}"


TABLE_WORDS = {"okrs": "objectives and key results", "checkins": "check-ins",
               "dependencies": "dependencies", "teams": "a teams table"}  # fmt: skip


@dataclass
class Sample:
    """What recognition sees of a sheet: its column names and its first rows, as text."""

    file: str
    sheet: str | None
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """The column names normalised (``Aligned To (weight, Objective ID)`` -> ``aligned to``)."""
        return [normalise(c) for c in self.columns]

    def values(self, norm: str) -> list[str]:
        """The sample's non-empty cells of the first column whose normalised name is ``norm``."""
        if norm not in self.names:
            return []
        i = self.names.index(norm)
        return [str(r[i]).strip() for r in self.rows if r[i] is not None and str(r[i]).strip()]

    def named(self, norms: Sequence[str]) -> list[str]:
        """The columns as written whose normalised names are among ``norms`` (in sheet order)."""
        return [c for c, n in zip(self.columns, self.names, strict=True) if n in norms]


@dataclass
class Context:
    """Where a sheet came from, and the settings a reshape may need."""

    file: str
    sheet: str | None
    date_order: str = "mdy"
    above: list[str] = field(default_factory=list)  # the rows above the header (a title)
    # for a staging adapter (``_sql``): the view of the sheet (``_pos``, ``_row``, ``c0``…),
    # each normalised column name's position, and the names as written
    relation: str = ""
    positions: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def col(self, *norms: str) -> str:
        """The first of ``norms`` that names a column, as SQL (``c3``), else a text NULL.

        >>> Context("f.csv", None, positions={"title": 3}).col("name", "title")
        'c3'
        """
        found = next((self.positions[n] for n in norms if n in self.positions), None)
        return "NULL::VARCHAR" if found is None else f"c{found}"

    def text(self, *norms: str) -> str:
        """``col``'s cell stripped, an empty cell NULL (still text)."""
        return f"nullif({_sql.strip(self.col(*norms))}, '')"

    @property
    def places(self) -> list[tuple[str, str]]:
        """Where a sheet's period or team may be written besides its columns, in order."""
        return [
            *(("title row", t) for t in self.above),
            ("sheet name", self.sheet or ""),
            ("file name", self.file),
        ]


@dataclass
class Converted:
    """A sheet reshaped to canonical tables, its values still text for staging to type.

    ``tables``: canonical table -> a query over the sheet's view (``_sql``) giving canonical
    column names and ``_pos``, the input row (0-based position among the sheet's data rows)
    each output row came from; in what ``reshape`` returns, the frame that query gives.
    ``aside``: input positions kept out of the canonical tables, and why (listed in the ledger).
    ``packed``: items packed in cells (Viva's check-ins), per kind: how many were read and
    where each went (``{"check-ins": {"read": 78, "on key results": 31, ...}}``), and
    ``items_aside`` lists those kept aside by the row that held them (no row fate changes).
    """

    tables: dict[str, str | pd.DataFrame]
    unused: list[str] = field(default_factory=list)
    notes: list[tuple[str, list[int]]] = field(default_factory=list)  # "{rows}" filled in
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # column, value, sentence
    aside: list[tuple[list[int], str]] = field(default_factory=list)
    packed: dict[str, dict[str, int]] = field(default_factory=dict)
    # packed items kept aside (a check-in on an objective), listed by the input row that held
    # them; the row itself keeps its own fate (an objective row is still imported)
    items_aside: list[tuple[list[int], str]] = field(default_factory=list)
    # a staging query's generated output column -> the name the reshaped table shows, for a
    # shape that keeps the sheet's own column names for the aliases to read (an outline)
    shown: dict[str, str] = field(default_factory=dict)


# a score and the evidence, and for a sheet read as it is, the canonical table it holds
Claim = tuple[float, list[str]] | tuple[float, list[str], str]
Identify = Callable[[Sample], Claim | None]
# a reshape in SQL over ``Context.relation`` in the import's connection (see ``_sql``)
Stage = Callable[[duckdb.DuckDBPyConnection, Context], Converted | None]
CombineStage = Callable[[duckdb.DuckDBPyConnection, dict[str, Context]], dict[str, dict] | None]


@dataclass(frozen=True)
class Adapter:
    """One export shape. ``identify`` returns a score and the evidence (the columns or values
    that gave it away), or None; ``stage`` reshapes the sheet in SQL (``_sql``),
    ``combine_stage`` several sheets together in SQL (neither: the sheet is read as it is, by
    its column names, see ``canonical``). No adapter copies a sheet to pandas."""

    name: str
    tool: str  # "a Viva Goals export"
    identify: Identify
    table: str | None = None  # the canonical table a sheet of this shape holds as it is
    stage: Stage | None = None
    # several sheets reshaped together in SQL (database tables), each by its ``Context``:
    # {entity: context} -> {entity: {"tables": {table: query}, "unused": [...]}}, see database
    combine_stage: CombineStage | None = None
    # the shape repeats its header and a block title itself (a monday.com board's groups): the
    # reader leaves those rows to ``stage``, which sets them aside with its own reasons
    own_blocks: bool = False

    @property
    def reshapes(self) -> bool:
        """Whether a sheet of this shape is reshaped (else it is read as it is)."""
        return self.stage is not None


@dataclass(frozen=True)
class Match:
    """An adapter's claim on a sheet."""

    adapter: Adapter
    score: float
    evidence: tuple[str, ...]
    table: str | None = None  # for a sheet read as it is: which canonical table

    @property
    def why(self) -> str:
        """ "looks like a Viva Goals export: Object Type, Aligned To, Checkins"."""
        said = f": {', '.join(self.evidence)}" if self.evidence else ""
        what = TABLE_WORDS.get(self.table or "", self.adapter.tool)
        return f"looks like {self.adapter.tool if self.adapter.reshapes else what}{said}"


def _discover() -> list[Adapter]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        adapter = getattr(module, "ADAPTER", None)
        if isinstance(adapter, Adapter):
            found.append(adapter)
    return found


ADAPTERS: list[Adapter] = _discover()


def recognise(sample: Sample) -> list[Match]:
    """Every adapter's claim on a sheet, the best first (ties: the registry's order)."""
    matches = []
    for adapter in ADAPTERS:
        claim = adapter.identify(sample)
        if claim is not None:
            table = claim[2] if len(claim) == 3 else adapter.table
            matches.append(Match(adapter, claim[0], tuple(claim[1]), table))
    return sorted(matches, key=lambda m: -m.score)


def best(sample: Sample) -> Match | None:
    """The adapter that wins a sheet, if any claims it."""
    matches = recognise(sample)
    return matches[0] if matches else None


def reshape(
    frame: pd.DataFrame, file: str = "", context: Context | None = None
) -> tuple[Match, Converted] | None:
    """A text frame (a sheet's own column names) in another tool's shape, reshaped by the
    adapter that wins it; None for a sheet read as it is or in no known shape."""
    head = [tuple(r) for r in frame.head(20).itertuples(index=False)]
    match = best(Sample(file, None, [str(c) for c in frame.columns], head))
    if match is None or not match.adapter.reshapes:
        return None
    ctx = context or Context(file, None)
    assert match.adapter.stage is not None
    converted = _sql.run(match.adapter.stage, frame, ctx)
    return None if converted is None else (match, converted)
