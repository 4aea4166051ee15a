"""The import ledger: every row and every cell of an import accounted for, per file and sheet.

For each file or sheet an import read, the ledger says which shape it was read as and why
(``Match.why``), and where each of its data rows went:

    rows read = rows imported + rows kept aside + rows refused

A row is *refused* when the validation report has an error on it (or on the whole sheet: a
required column missing, a file in no known shape); *kept aside* when an adapter set it aside,
the reader skipped it (a summary row, a header repeated above a block, that block's title) or
staging kept it out of the quarters (an objective in no quarter, a work item); *imported* when
it reached the typed tables (objectives and key results, check-ins, dependencies, teams). Each
row is counted once, in that order. A row in none of them is *unaccounted*: the import then
warns, naming the rows, so nothing vanishes without a word. Blank rows hold no value and are
not counted.

Items packed in cells (Viva's check-ins, several to a cell) are counted the same way, per kind:
``{"read": 78, "on key results": 31, ...}``, read = the sum of the others. Every column that
holds a value is listed as used or as not used.

>>> e = Entry("okrs.csv", None, "canonical", "looks like objectives and key results", read=4,
...           imported=2, aside={"summary row": [44]}, refused=[12], unused=["Creator"])
>>> e.sentences()[0]
'okrs.csv: 4 rows read: 2 imported, 1 kept aside (1 summary row: row 44), 1 refused (row 12)'
>>> e.balanced
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from okrdata.display import agree, count

IN_NO_QUARTER = "in no quarter"
AS_WORK = "kept as work"
# staging's aside kinds (ds_aside.sql) as the ledger words them
ASIDE_KINDS = {"undated": IN_NO_QUARTER, "work": AS_WORK}
# reasons that are nouns take a plural; the others read the same for any number
PLURALS = {
    "summary row": "summary rows",
    "repeated header row": "repeated header rows",
    "block title row": "block title rows",
    "group title row": "group title rows",
    "subitems header row": "subitems header rows",
}
MAX_ROWS_SHOWN = 12


@dataclass
class Entry:
    """What became of one file or sheet's rows, packed items and columns."""

    file: str
    sheet: str | None
    shape: str | None  # the adapter that read it (canonical, viva, …), None: no known shape
    why: str  # "looks like a Viva Goals export: Object Type, Aligned To, Checkins"
    read: int = 0
    imported: int = 0
    aside: dict[str, list[int]] = field(default_factory=dict)  # reason -> spreadsheet rows
    refused: list[int] = field(default_factory=list)
    unaccounted: list[int] = field(default_factory=list)
    packed: dict[str, dict[str, int]] = field(default_factory=dict)
    packed_aside: dict[str, list[int]] = field(default_factory=dict)  # reason -> rows holding them
    used: list[str] = field(default_factory=list)  # columns
    unused: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """``okrs.csv`` or ``book.xlsx [OKRs]``."""
        return self.file + (f" [{self.sheet}]" if self.sheet else "")

    @property
    def kept_aside(self) -> int:
        return sum(len(rows) for rows in self.aside.values())

    @property
    def balanced(self) -> bool:
        """Rows read = imported + aside + refused, none unaccounted, packed items add up."""
        rows = self.read == self.imported + self.kept_aside + len(self.refused)
        return rows and not self.unaccounted and not self.packed_gaps()

    def packed_gaps(self) -> dict[str, int]:
        """Per kind of packed item, how many read are not placed (none when they add up)."""
        gaps = {}
        for kind, parts in self.packed.items():
            placed = sum(n for where, n in parts.items() if where != "read")
            if parts.get("read", 0) != placed:
                gaps[kind] = parts.get("read", 0) - placed
        return gaps

    def sentences(self) -> list[str]:
        """The entry in sentences: rows, packed items, columns not used (and why it was read
        so)."""
        parts = [f"{count(self.imported, 'imported', 'imported')}"]
        if self.aside:
            why = "; ".join(
                f"{_reason(reason, len(rows))}: {rows_text(rows)}"
                for reason, rows in self.aside.items()
            )
            parts.append(f"{self.kept_aside:,} kept aside ({why})")
        if self.refused:
            parts.append(f"{len(self.refused):,} refused ({rows_text(self.refused)})")
        if self.unaccounted:
            parts.append(f"{len(self.unaccounted):,} unaccounted ({rows_text(self.unaccounted)})")
        out = [f"{self.name}: {count(self.read, 'row')} read: {', '.join(parts)}"]
        for kind, where in self.packed.items():
            placed = [f"{n:,} {w}" for w, n in where.items() if w != "read"]
            out.append(f"{kind} packed in cells: {where.get('read', 0):,} read: "
                       f"{', '.join(placed) or 'none placed'}")  # fmt: skip
        for reason, rows in self.packed_aside.items():
            out.append(f"  kept aside: {reason} ({rows_text(rows)})")
        if self.unused:
            out.append(f"columns not used: {', '.join(self.unused)}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Ledger:
    """One entry per file and sheet an import read, in the order read."""

    entries: list[Entry] = field(default_factory=list)

    def entry(self, file: str, sheet: str | None = None) -> Entry:
        return next(e for e in self.entries if e.file == file and e.sheet == sheet)

    def by_file(self) -> dict[str, list[Entry]]:
        """The entries of each file (a workbook's sheets together), files in the order read."""
        out: dict[str, list[Entry]] = {}
        for e in self.entries:
            out.setdefault(e.file, []).append(e)
        return out

    @property
    def balanced(self) -> bool:
        return all(e.balanced for e in self.entries)

    def text(self) -> str:
        """Every entry in sentences, one per line, a blank line between files."""
        return "\n\n".join("\n".join(lines(entries)) for entries in self.by_file().values())

    def section(self) -> str:
        """``What was read:`` and the sentences (what ``validate`` and ``import`` print)."""
        return "What was read:\n" + (self.text() or "nothing")

    def to_list(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.entries]

    def to_json(self) -> str:
        return json.dumps(self.to_list(), ensure_ascii=False)

    @classmethod
    def from_list(cls, items: Iterable[dict[str, Any]]) -> Ledger:
        return cls([Entry(**item) for item in items])

    @classmethod
    def from_json(cls, text: str | None) -> Ledger:
        """A ledger stored with a batch (none for a batch imported before the ledger was)."""
        return cls.from_list(json.loads(text)) if text else cls()


def lines(entries: Sequence[Entry]) -> list[str]:
    """The sentences of some entries (a file's sheets), what each was read as first."""
    out = []
    for e in entries:
        said = e.sentences()
        out.append(said[0] + (f" ({e.why})" if e.why else ""))
        out.extend(f"  {s}" for s in said[1:])
    return out


def panels(book: Ledger) -> list[tuple[str, str]]:
    r"""One panel per file, as the Data page shows them: its title ("What was read: okrs.csv")
    and its sentences as a Markdown list (each sheet's first sentence, the rest under it).

    >>> panels(Ledger([Entry("a_b.csv", None, "canonical", "", read=1, imported=1)]))
    [('What was read: a_b.csv', '- a\\_b.csv: 1 row read: 1 imported')]
    """
    out = []
    for file, entries in book.by_file().items():
        items = []
        for e in entries:
            said = [_markdown(s) for s in e.sentences()]
            why = f" ({_markdown(e.why)})" if e.why else ""
            items.append(f"- {said[0]}{why}")
            items.extend(f"    - {s}" for s in said[1:])
        out.append((f"What was read: {file}", "\n".join(items)))
    return out


def _markdown(text: str) -> str:
    """Text a person wrote (file and column names) shown as itself in Markdown."""
    return re.sub(r"([\\`*_\[\]<>#|~$])", r"\\\1", text)


def _reason(reason: str, n: int) -> str:
    """ "2 in no quarter", "1 summary row", "3 summary rows"."""
    return f"{n:,} {PLURALS.get(reason, reason) if n != 1 else reason}"


def rows_text(rows: Sequence[int]) -> str:
    """ "row 4", "rows 4, 9", "rows 7–12, 15", the first few then "… and 40 more".

    >>> rows_text([9, 7, 8, 12]), rows_text(list(range(2, 40, 2)))[-20:]
    ('rows 7–9, 12', '22, 24, … and 7 more')
    """
    ordered = sorted(set(int(r) for r in rows))
    runs: list[str] = []
    at = 0
    while at < len(ordered) and len(runs) < MAX_ROWS_SHOWN:
        end = at
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        runs.append(str(ordered[at]) if end == at else f"{ordered[at]}–{ordered[end]}")
        at = end + 1
    rest = len(ordered) - at
    more = f", … and {rest:,} more" if rest else ""
    return f"{agree(len(ordered), 'row', 'rows')} {', '.join(runs)}{more}"


# building a ledger: what ingest records of the sheets it read and of the tables it made -----


@dataclass
class Sheet:
    """An original file or sheet as read: its data rows (spreadsheet numbers, blank rows
    left out), the rows the reader skipped, its columns holding a value, and what the adapter
    that read it said."""

    file: str
    sheet: str | None
    rows: np.ndarray
    header_row: int = 1
    filled: list[str] = field(default_factory=list)  # columns holding at least one value
    skipped: list[tuple[int, str]] = field(default_factory=list)
    shape: str | None = None
    why: str = ""
    unused: list[str] | None = None  # as an adapter listed them (None: read by column names)
    aside: list[tuple[list[int], str]] = field(default_factory=list)  # spreadsheet rows
    packed: dict[str, dict[str, int]] = field(default_factory=dict)
    items_aside: list[tuple[list[int], str]] = field(default_factory=list)  # spreadsheet rows

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.file, self.sheet)


@dataclass
class Part:
    """A table made from an original sheet (the sheet itself, or a canonical table an adapter
    made of it), at the position staging numbers its source (``_sid``)."""

    file: str
    sheet: str | None
    rows: np.ndarray  # the spreadsheet rows it holds
    fate: str = "staged"  # staged | aside | refused
    reason: str = ""
    mapped: list[str] = field(default_factory=list)  # the sheet's columns it reads by name


def _by_reason(items: list[tuple[list[int], str]]) -> dict[str, list[int]]:
    """Rows gathered per reason, each reason once, rows sorted."""
    out: dict[str, set[int]] = {}
    for rows, why in items:
        out.setdefault(why, set()).update(int(r) for r in rows)
    return {why: sorted(rows) for why, rows in out.items()}


def build(
    sheets: Sequence[Sheet],
    parts: Sequence[Part],
    staged: pd.DataFrame,
    aside: pd.DataFrame,
    errors: Iterable[tuple[str, str | None, int | None]],
) -> Ledger:
    """The ledger of an import.

    ``staged``: the ``_sid``, ``_row`` pairs that reached the typed tables; ``aside``:
    staging's ``_sid``, ``_row``, ``kind`` (``ds_aside``); ``errors``: the file, sheet and row
    of each error of the report (a row of None or the header's: the whole sheet)."""
    Key = tuple[str, str | None]
    by_key = {s.key: s for s in sheets}
    refused: dict[Key, list[np.ndarray]] = {k: [] for k in by_key}
    whole: set[Key] = set()
    for file, sheet, row in errors:
        key = (file, sheet)
        if key not in by_key:
            continue
        if row is None or row <= by_key[key].header_row:
            whole.add(key)
        else:
            refused[key].append(_rows([row]))
    set_aside: dict[Key, dict[str, list[np.ndarray]]] = {k: {} for k in by_key}
    imported: dict[Key, list[np.ndarray]] = {k: [] for k in by_key}
    used: dict[Key, set[str]] = {k: set() for k in by_key}
    for s in sheets:
        for row, reason in s.skipped:
            set_aside[s.key].setdefault(reason, []).append(_rows([row]))
        for rows, reason in s.aside:
            set_aside[s.key].setdefault(reason, []).append(_rows(rows))
    for part in parts:
        key = (part.file, part.sheet)
        if key not in by_key:
            continue
        used[key].update(part.mapped)
        if part.fate == "refused":
            refused[key].append(_rows(part.rows))
        elif part.fate == "aside":
            set_aside[key].setdefault(part.reason, []).append(_rows(part.rows))
    keys = [(p.file, p.sheet) for p in parts]
    if not aside.empty:
        aside = aside.assign(kind=aside["kind"].map(ASIDE_KINDS).fillna(aside["kind"]))
        for (sid, kind), group in aside.groupby(["_sid", "kind"], sort=False):
            sid = int(sid)
            if 0 <= sid < len(keys) and keys[sid] in by_key:
                set_aside[keys[sid]].setdefault(str(kind), []).append(
                    _rows(group["_row"].to_numpy())
                )
    for sid, found in _by_sid(staged):
        if 0 <= sid < len(keys) and keys[sid] in by_key:
            imported[keys[sid]].append(found)
    out = []
    for s in sheets:
        key = s.key
        refused_rows = _union(refused[key])
        aside_rows = {reason: _union(parts) for reason, parts in set_aside[key].items()}
        read = _union([_rows(s.rows), refused_rows, *aside_rows.values()])
        if key in whole:  # the sheet itself is refused: every row of it
            refused_rows = read
        gone = refused_rows
        kept: dict[str, list[int]] = {}
        for reason, these in aside_rows.items():
            mine = _minus(these, gone)
            if len(mine):
                kept[reason] = mine.tolist()
                gone = _union([gone, mine])
        kept = dict(sorted(kept.items(), key=lambda item: item[1][0]))  # by their first row
        found = _union(imported[key])
        taken = _minus(found[np.isin(found, read, assume_unique=True)], gone)
        gone = _union([gone, taken])
        if s.unused is not None:  # an adapter said which columns it left
            unused = [c for c in s.filled if c in s.unused]
            in_use = [c for c in s.filled if c not in s.unused]
        else:
            in_use = [c for c in s.filled if c in used[key]]
            unused = [c for c in s.filled if c not in used[key]]
        out.append(
            Entry(
                s.file,
                s.sheet,
                s.shape,
                s.why,
                read=len(read),
                imported=len(taken),
                aside=kept,
                refused=refused_rows.tolist(),
                unaccounted=_minus(read, gone).tolist(),
                packed={k: dict(v) for k, v in s.packed.items()},
                packed_aside=_by_reason(s.items_aside),
                used=in_use,
                unused=unused,
            )  # fmt: skip
        )
    return Ledger(out)


def _by_sid(staged: pd.DataFrame) -> list[tuple[int, np.ndarray]]:
    """The staged rows of each table staging read (``_sid``), as row sets. The pairs come
    sorted by ``_sid`` from the import (else they are sorted here): each table's rows are one
    slice, with no pandas group-by over every check-in row (0.9 s at 20,000 teams)."""
    if staged.empty:
        return []
    sids = staged["_sid"].to_numpy(dtype=np.int64)
    rows = staged["_row"].to_numpy(dtype=np.int64)
    if len(sids) > 1 and not (sids[1:] >= sids[:-1]).all():
        order = np.argsort(sids, kind="stable")
        sids, rows = sids[order], rows[order]
    starts = np.concatenate(([0], np.flatnonzero(sids[1:] != sids[:-1]) + 1))
    ends = np.append(starts[1:], len(sids))
    return [(int(sids[a]), _rows(rows[a:b])) for a, b in zip(starts, ends, strict=True)]


def _rows(values: Iterable[Any] | np.ndarray) -> np.ndarray:
    """Spreadsheet row numbers as a sorted array without repeats (by sorting: numpy's hashed
    ``unique`` takes seconds on the 300,000 check-in rows of 1,000 teams)."""
    a = np.asarray(list(values) if not isinstance(values, np.ndarray) else values,
                   dtype=np.int64)  # fmt: skip
    if len(a) > 1 and not (a[1:] >= a[:-1]).all():  # most arrive sorted: one pass tells
        a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if len(a) else a


def _union(arrays: Sequence[np.ndarray]) -> np.ndarray:
    return _rows(np.concatenate(arrays)) if arrays else np.empty(0, dtype=np.int64)


def _minus(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The rows of ``a`` not in ``b`` (both sorted, without repeats)."""
    return a[~np.isin(a, b, assume_unique=True)] if len(b) else a


def unaccounted_message(entry: Entry) -> str:
    """The warning for rows read that went nowhere."""
    n = len(entry.unaccounted)
    return (
        f"{count(n, 'row')} read {agree(n, 'is', 'are')} neither imported, kept aside nor "
        f"refused ({rows_text(entry.unaccounted)}): please report this, the import lost "
        f"{agree(n, 'it', 'them')}."
    )


def packed_message(entry: Entry, kind: str, gap: int) -> str:
    """The warning for items packed in cells that do not add up."""
    return (
        f"{count(abs(gap), kind, kind)} packed in cells {agree(abs(gap), 'is', 'are')} "
        f"{'read but not placed' if gap > 0 else 'placed more than read'}: "
        + "; ".join(f"{w} {n:,}" for w, n in entry.packed[kind].items())
        + "."
    )
