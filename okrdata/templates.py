"""Canonical CSV templates with example rows, the data in force as canonical CSVs, and the
"what was recognised" table the Data page shows after an upload.

>>> from okrdata.ingest import load
>>> result = load([("okrs.csv", template_csv("okrs"))])
>>> result.report.ok, len(result.dataset.key_results)
(True, 3)
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from collections.abc import Sequence

import pandas as pd

from okrdata.columns import REQUIRED, map_columns, normalise
from okrdata.display import count, date_times, header
from okrdata.export import to_csv
from okrdata.ingest import Source
from okrdata.ledger import Ledger
from okrdata.model import SCHEMA, Dataset
from okrdata.sources import TABLE_WORDS

# (not the exporting tool's own progress, ``source_progress``: a figure read, never written)
OKRS_COLUMNS = [
    *(c for c in SCHEMA["objectives"] if c not in ("source_progress", "period")),
    *(
        c
        for c in SCHEMA["key_results"]
        if c not in ("objective_id", "source_progress", "quarter", "period")
    ),
]

EXAMPLES: dict[str, list[dict[str, object]]] = {
    "okrs": [
        {"objective_id": "CO-1", "objective": "Customers love the product", "quarter": "2026-Q4",
         "team": "Leadership", "department": "Company", "level": "company",
         "okr_type": "aspirational", "origin": "top_down", "kr_id": "CO-1-KR1",
         "key_result": "NPS from 30 to 45", "metric_type": "increase", "start_value": 30,
         "target_value": 45, "unit": "points", "weight": 1},
        {"objective_id": "WEB-1", "objective": "A checkout that never gets in the way",
         "quarter": "2026-Q4", "team": "Web", "department": "Engineering",
         "parent_objective_id": "CO-1", "okr_type": "committed", "level": "team",
         "origin": "bottom_up", "objective_owner": "web-lead@example.com", "kr_id": "WEB-1-KR1",
         "key_result": "Checkout errors down from 2.0% to 0.5%", "metric_type": "decrease",
         "start_value": 2.0, "target_value": 0.5, "unit": "%", "weight": 2},
        {"objective_id": "WEB-1", "objective": "A checkout that never gets in the way",
         "quarter": "2026-Q4", "team": "Web", "department": "Engineering",
         "parent_objective_id": "CO-1", "okr_type": "committed", "level": "team",
         "origin": "bottom_up", "kr_id": "WEB-1-KR2", "key_result": "One-click checkout live",
         "metric_type": "binary", "start_value": 0, "target_value": 1, "weight": 1},
    ],
    "checkins": [
        {"kr_id": "WEB-1-KR1", "date": "2026-10-05", "value": 1.8, "confidence": 0.7,
         "status": "on_track", "comment": "Retry fix shipped", "author": "web-lead@example.com"},
        {"kr_id": "WEB-1-KR1", "date": "2026-10-12", "value": 1.5, "confidence": 0.7,
         "status": "on_track", "comment": "", "author": "web-lead@example.com"},
        {"kr_id": "CO-1-KR1", "date": "2026-10-12", "value": 33, "confidence": 0.5,
         "status": "at_risk", "target_value": 42, "comment": "Target re-scoped after survey change"},
    ],
    "dependencies": [
        {"team": "Web", "depends_on_team": "Payments", "kr_id": "WEB-1-KR2",
         "description": "Needs the tokenised card API", "status": "open",
         "due_date": "2026-11-15", "quarter": "2026-Q4"},
    ],
    "teams": [
        {"team": "Leadership", "department": "Company", "lead": "ceo@example.com"},
        {"team": "Engineering", "department": "Engineering", "parent_team": "Leadership",
         "lead": "cto@example.com"},
        {"team": "Web", "department": "Engineering", "parent_team": "Engineering",
         "lead": "web-lead@example.com"},
        {"team": "Payments", "department": "Engineering", "parent_team": "Engineering"},
    ],
}  # fmt: skip

_COLUMNS = {
    "okrs": OKRS_COLUMNS,
    **{t: list(SCHEMA[t]) for t in ("checkins", "dependencies", "teams")},
}


def template_csv(table: str) -> bytes:
    """The canonical CSV for ``table`` (okrs, checkins, dependencies, teams) with examples."""
    if table not in _COLUMNS:
        raise ValueError(f"no template for {table!r}; choose one of {sorted(_COLUMNS)}")
    frame = pd.DataFrame(EXAMPLES[table], columns=_COLUMNS[table])
    return frame.to_csv(index=False).encode("utf-8")


def dataset_csvs(ds: Dataset) -> dict[str, bytes]:
    """The data as the four canonical CSV files, ready to edit and import again.

    An objective spanning quarters is one objective: written once, with its period as its
    quarter (``Annual 2026``), as the file that brought it said."""
    krs = ds.key_results.drop(columns=["source_progress", "period"]).merge(
        ds.objectives.drop(columns="source_progress"), on=["objective_id", "quarter"], how="right"
    )
    krs["quarter"] = krs["period"].fillna(krs["quarter"])
    krs = krs.drop_duplicates(["objective_id", "kr_id"])
    okrs = krs[OKRS_COLUMNS].sort_values(["quarter", "objective_id", "kr_id"], na_position="first")
    out = {"okrs.csv": okrs}
    for table in ("checkins", "dependencies", "teams"):
        frame = getattr(ds, table)
        if not frame.empty:
            out[f"{table}.csv"] = frame
    return {name: to_csv(_dates_iso(frame)) for name, frame in out.items()}


def dataset_zip(ds: Dataset) -> bytes:
    """``dataset_csvs`` in one zip file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in dataset_csvs(ds).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _dates_iso(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


def sources_frame(sources: list[Source], book: Ledger | None = None) -> pd.DataFrame:
    """One row per uploaded file or sheet, in an analyst's words: what it holds, which of its
    columns were read as what, which were not used, which required ones are missing.

    "Not used" is the import ledger's list for the file or sheet when ``book`` is given (a
    converted export's own columns: the tables made of it have none of their own), on the
    first row made of it.
    """
    said: set[tuple[str, str | None]] = set()

    def unused(s: Source) -> list[str]:
        where = (s.name, s.sheet)
        if book is None or where in said:
            return s.unknown_columns if book is None else []
        said.add(where)
        found = [e for e in book.entries if (e.file, e.sheet) == where]
        return found[0].unused if found else s.unknown_columns

    def used(k: str, v: str) -> str:
        same = normalise(k) in (normalise(v), normalise(header(v)))
        return header(v) if same else f"{k} → {header(v).lower()}"

    rows = [
        {
            "file": s.name,
            "sheet": s.sheet or "",
            "holds": _HOLDS.get(s.table or "", s.table or "nothing recognised"),
            "rows": s.rows,
            "columns read": ", ".join(used(k, v) for k, v in s.mapping.items()),
            "not used": ", ".join(unused(s)),
            "missing": ", ".join(header(c).lower() for c in s.missing_required),
            "notes": "; ".join(s.notes),
        }
        for s in sources
    ]
    cols = ["file", "sheet", "holds", "rows", "columns read", "not used", "missing", "notes"]
    return pd.DataFrame(rows, columns=cols)


_HOLDS = {**TABLE_WORDS, "teams": "teams", "work": "work items"}
ASIDE_KINDS = {"undated": "objective with no dated period", "work": "work item"}


def aside_frame(aside: pd.DataFrame) -> pd.DataFrame:
    """What an import keeps but shows on no page, in words: each row's kind, objective, team,
    period and title (undated objectives with their key results; work items under a key
    result or objective, in whatever period they name)."""
    out = aside.drop(columns=["_sid"], errors="ignore").copy()
    if "kind" in out.columns:
        out["kind"] = out["kind"].map(ASIDE_KINDS).fillna(out["kind"])
    return out.rename(columns={"kind": "kept as", "_row": "row"})


def shapes_seen(sources: list[Source]) -> list[str]:
    """One sentence per file saying which shape recognition saw ("… looks like a Viva Goals
    export"), in upload order, each file once.

    >>> from okrdata.ingest import Source
    >>> shapes_seen([Source("v.csv", None, "okrs", "", 3, notes=["looks like a Viva Goals export; converted"])])
    ['v.csv looks like a Viva Goals export.']
    """
    out: dict[str, str] = {}
    for s in sources:
        looks = next(
            (n for part in s.notes for n in part.split("; ") if n.startswith("looks like")), None
        )
        if looks and s.name not in out:
            out[s.name] = f"{s.name} {looks}."
    return list(out.values())


def mapping_needed(sources: list[Source]) -> list[tuple[Source, str, list[str]]]:
    """(source, required column, candidate columns) for each required column the file's own
    headers do not provide, whether or not the analyst has mapped it already."""
    out = []
    for s in sources:
        if s.table not in REQUIRED:  # not recognised, or work items / a lookup table
            continue
        auto, unknown = map_columns(s.table, s.columns)
        for col in REQUIRED[s.table]:
            if col not in auto.values():
                out.append((s, col, list(unknown)))
    return out


def mapping_question(source: Source, column: str) -> str:
    """What the Data page asks for a required ``column`` the headers of ``source`` do not
    provide (one of ``mapping_needed``): the file, its sheet when it has one, and the column.

    >>> from okrdata.ingest import Source
    >>> mapping_question(Source("okrs.xlsx", "OKRs", "okrs", "", 3), "team")
    "Which column of okrs.xlsx, sheet OKRs, holds 'team'?"
    """
    where = source.where + ("," if source.sheet else "")
    return f"Which column of {where} holds {column!r}?"


def latest_uploads(
    files: Sequence[tuple[str, bytes]],
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The files of an upload with each name once (its last upload: a fixed file uploaded
    again is added to the list, not put in place of the first), and a sentence per name
    uploaded more than once.

    >>> files, notes = latest_uploads([("okrs.csv", b"old"), ("teams.csv", b"t"),
    ...                                ("okrs.csv", b"fixed")])
    >>> files, notes
    ([('teams.csv', b't'), ('okrs.csv', b'fixed')], ['okrs.csv was uploaded 2 times: only the last upload is read. Remove the earlier one from the list of files above.'])
    """
    last = {name: i for i, (name, _) in enumerate(files)}
    times = Counter(name for name, _ in files)
    notes = [
        f"{name} was uploaded {n} times: only the last upload is read. Remove the earlier "
        f"one{'s' * (n > 2)} from the list of files above."
        for name, n in times.items()
        if n > 1
    ]
    return [f for i, f in enumerate(files) if last[f[0]] == i], notes


def history_frame(history: pd.DataFrame) -> pd.DataFrame:
    """``Store.history()`` as the Data page shows it: the time to the minute (two imports of a
    day told apart), the names of the files each batch was imported from and what it held in
    words (``8 objectives, 6 key results, 3 check-ins``)."""
    out = history.drop(columns=["content_hash"], errors="ignore").copy()
    out["imported_at"] = date_times(out["imported_at"])
    out["files"] = [_file_names(text) for text in out["files"]]
    held = [c for c in _HELD if c in out]
    out["rows"] = [", ".join(count(int(n), *_HELD[c]) for c, n in zip(held, row, strict=True) if n)
                   for row in out[held].fillna(0).itertuples(index=False)]  # fmt: skip
    return out.drop(columns=held)


_HELD = {"rows_objectives": ("objective",), "rows_key_results": ("key result",),
         "rows_checkins": ("check-in",), "rows_dependencies": ("dependency", "dependencies"),
         "rows_teams": ("team",)}  # fmt: skip


def batch_labels(history: pd.DataFrame) -> dict[int, str]:
    """Each batch of ``history_frame`` as the restore choice names it: id, time and files."""
    return {
        int(b): f"Batch {b} · {at} · {files}"
        for b, at, files in zip(history["batch_id"], history["imported_at"], history["files"],
                                strict=True)
    }  # fmt: skip


def _file_names(text: object) -> str:
    """``okrs.csv, checkins.csv`` from a batch's recorded files (JSON; a sheet in brackets).

    >>> _file_names('[{"name": "a.xlsx", "sheet": "OKRs"}, {"name": "a.xlsx", "sheet": "KRs"}]')
    'a.xlsx'
    """
    try:
        files = json.loads(str(text))
    except ValueError:
        return ""
    names = (
        [f.get("name", "") for f in files if isinstance(f, dict)] if isinstance(files, list) else []
    )
    return ", ".join(dict.fromkeys(n for n in names if n))
