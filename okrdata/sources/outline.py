"""An outline: objectives and key results in one column.

Modelled on OKR sheets people keep by hand and publish (Google Sheets and Excel OKR templates:
``OKR`` / ``Objectives & Key Results`` column with ``Objective 1: …`` then ``KR 1.1: …``,
``1.`` / ``1.1``, ``O1 -`` / ``- …`` bullets), recognised by that column's name and its values.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from okrdata.columns import normalise
from okrdata.sources import Adapter, Claim, Context, Converted, Sample

OUTLINE = "an outline of objectives and key results"
# the words a header of the one column may be made of ("Objectives & Key Results", "OKR",
# "Objective / KR", "Goals and key results"); it names objectives in some way
_OUTLINE_WORDS = {"objective", "objectives", "obj", "goal", "goals", "okr", "okrs", "key",
                  "result", "results", "kr", "krs", "and", "or", "item", "items"}  # fmt: skip
_OUTLINE_NAMING = {"objective", "objectives", "obj", "goal", "goals", "okr", "okrs"}
_SEP = r"\s*(?:[:.)\-–—|]+\s*|\s+)"
# "Objective 1: …", "Objective: …", "Obj 2 - …", "Goal 1 – …", "O1 - …", "O1: …", "1. …", "1) …"
_OBJ_LABEL = re.compile(
    r"^\s*(?:(?:objective|obj|goal)\s*#?\s*\d{0,3}\s*[:.)\-–—|]\s*|(?:objective|obj|goal)\s*#?"
    r"\s*\d{1,3}\s+|o\s*\d{1,3}" + _SEP + r"|\d{1,3}\s*[.):]\s+)(?=\S)",
    re.IGNORECASE,
)
# "KR 1.1: …", "KR1.2 – …", "Key Result 2: …", "KR: …", "1.1 …", "1.1. …", "- …", "• …", "a) …"
_KR_LABEL = re.compile(
    r"^\s*(?:(?:key\s*results?|krs?)\s*#?\s*(?:\d{1,3}(?:\.\d{1,3})*)?\s*[:.)\-–—|]\s*"
    r"|(?:key\s*results?|krs?)\s*#?\s*\d{1,3}(?:\.\d{1,3})*\s+"
    r"|\d{1,3}\.\d{1,3}(?:\s*[.):\-–—]\s*|\s+)|[-–—*]\s+|[•·▪◦‣→]\s*|[a-h][.)]\s+)(?=\S)",
    re.IGNORECASE,
)
# columns that describe the objective: a key-result row takes its objective row's value
_OBJECTIVE_LEVEL = {"team", "quarter", "department", "level", "okr_type", "origin",
                    "parent_objective_id", "start_date", "end_date", "objective_owner"}  # fmt: skip
_KR_NUMBERS = {"start_value", "target_value", "current_value", "progress"}
_NOT_IN_OUTLINE = {"objective_id", "kr_id", "key_result"}
_SCORE = {"score", "okr score", "kr score", "grade", "scoring", "final score"}
_PERIOD_IN_TEXT = re.compile(
    r"(?<![a-z0-9])(?:fy\s*'?\d{2,4}\s*[-/ ]?\s*q[1-4]|q[1-4]\s*[-/ ]?\s*(?:fy\s*)?'?\d{2,4}"
    r"|\d{4}\s*[-/ ]?\s*q[1-4]|[1-4]q\s*\d{4}|h[12]\s*[-/ ]?\s*\d{4}|\d{4}\s*[-/ ]?\s*h[12])"
    r"(?![a-z0-9])",
    re.IGNORECASE,
)


def outline_column(columns: list[str]) -> str | None:
    """The column of a sheet's header that may hold objectives and key results as an outline:
    named for objectives ("OKR", "Objectives & Key Results", "Goal"), with no key-result,
    key-result id or objective id column beside it, and some other column of an okrs table."""
    from okrdata.columns import canonical_column

    canon = {c: canonical_column("okrs", c) for c in columns}
    if set(canon.values()) & _NOT_IN_OUTLINE:
        return None
    found = [c for c in columns if (words := set(normalise(c).split()))
             and words <= _OUTLINE_WORDS and words & _OUTLINE_NAMING]  # fmt: skip
    if not found:
        return None
    column = found[0]
    others = [c for c in columns if c != column and canon[c] is not None]
    if any(canon[c] == "objective" for c in others) or not others:
        return None
    return column


def period_in(text: str) -> str | None:
    """The period a title, a sheet name or a file name names ("OKRs Q3 2026" -> "Q3 2026")."""
    from okrdata.periods import parse_period

    for m in _PERIOD_IN_TEXT.finditer(re.sub(r"[_.]", " ", text)):
        if parse_period(m.group(0)).kind in ("quarter", "span"):
            return m.group(0)
    return None


def convert_outline(
    frame: pd.DataFrame, context: list[tuple[str, str]] | None = None
) -> dict[str, Any] | None:
    """Objectives and key results in one column, as an outline, to the okrs table.

    An objective row (``Objective 1: …``, ``O1 - …``, ``1. …``, or unlabelled) is followed by
    its key results (``KR 1.1: …``, ``KR1.2 – …``, ``1.1 …``, ``- …``). The other columns keep
    their names (the okrs aliases read them): a key-result row takes its objective row's team,
    quarter, owner (as the objective's owner) and the like; an objective row's own numbers are
    no key result's. No quarter column: the first of ``context`` ((where, text): a title row,
    the sheet's name, the file's name) that names a period gives it. Returns None when the
    values are no outline (no key-result row under an objective, or mostly unlabelled rows).

    >>> f = pd.DataFrame({"OKR": ["O1 - Grow", "KR1.1 - Deals"], "Team": ["Sales", None],
    ...                   "Target": ["50%", "10"]})
    >>> out = convert_outline(f, [("sheet name", "Q3 2026")])
    >>> out["okrs"][["Objective", "Key Result", "Team", "Target", "Quarter"]].values.tolist()
    [['Grow', <NA>, 'Sales', <NA>, 'Q3 2026'], ['Grow', 'Deals', 'Sales', '10', 'Q3 2026']]
    """
    from okrdata.columns import canonical_column

    column = outline_column(list(frame.columns))
    if column is None:
        return None
    shape: dict[str, Any] = {"_shape": OUTLINE, "_unused": []}
    f = frame.reset_index(drop=True).astype("string")
    if f.empty:  # a header alone: it may be one
        return {"okrs": pd.DataFrame({"Objective": [], "_pos": []}), **shape}
    text = f[column].str.strip()
    filled = text.fillna("") != ""
    is_kr = text.str.contains(_KR_LABEL).fillna(False).astype(bool)
    obj_label = text.str.contains(_OBJ_LABEL).fillna(False).astype(bool) & ~is_kr
    is_obj = filled & ~is_kr
    if not is_kr.any() or not is_obj[: is_kr.idxmax()].any():
        return None
    if (is_kr | obj_label).sum() < 0.5 * filled.sum():
        return None
    title = text.str.replace(_KR_LABEL, "", regex=True).where(is_kr, text)
    title = title.str.replace(_OBJ_LABEL, "", regex=True).where(obj_label, title)
    at = pd.Series(f.index.where(is_obj), index=f.index).ffill()  # each row's objective row
    keep = is_kr | is_obj  # an objective's own row too: the import ledger counts every row

    def of_objective(values: pd.Series) -> pd.Series:
        """Each row's objective row's value (NA before any objective)."""
        return pd.Series(values.reindex(at).to_numpy(), index=f.index, dtype="string")

    na = pd.Series(pd.NA, index=f.index, dtype="string")
    out: dict[str, pd.Series] = {"Objective": of_objective(title), "Key Result": title.where(is_kr)}
    canon = {c: canonical_column("okrs", c) for c in f.columns if c != column}
    split_owner = "kr_owner" not in canon.values()
    numbers_on_objectives = pd.Series(False, index=f.index)
    for c, kind in canon.items():
        if kind == "objective_owner" and split_owner:
            out["Objective Owner"], out["KR Owner"] = of_objective(f[c]), f[c].where(is_kr)
        elif kind in _OBJECTIVE_LEVEL:
            out[c] = of_objective(f[c]).fillna(f[c])
        elif kind is None and normalise(c) in _SCORE and "progress" not in canon.values():
            out["Progress"] = f[c].where(is_kr)
            numbers_on_objectives |= is_obj & f[c].notna()
        elif kind is not None:
            out[c] = f[c].where(is_kr)
            if kind in _KR_NUMBERS:
                numbers_on_objectives |= is_obj & f[c].notna()
        else:
            out[c] = f[c]
    notes: list[tuple[str, list[int]]] = [(f"objectives and key results read from {column!r}", [])]
    if "quarter" not in canon.values():
        found = ((w, t, p) for w, t in context or [] if t and (p := period_in(t)))
        where, said, label = next(found, ("", "", None))
        if label:
            out["Quarter"] = na.fillna(label)
            notes.append((f"the quarter {label} is taken from the {where} {said!r}", []))
        else:
            notes.append(("no quarter column, and no title row, sheet name or file name names "
                          "a quarter", []))  # fmt: skip
    if numbers_on_objectives.any():
        notes.append(("the numbers on objective rows ({rows}) are not key-result values and are "
                      "not used", list(f.index[numbers_on_objectives])))  # fmt: skip
    skipped = ~filled & f.drop(columns=column).notna().any(axis=1)
    if skipped.any():
        notes.append((f"rows without an objective or key result in {column!r} ({{rows}}) are "
                      "not read", list(f.index[skipped])))  # fmt: skip
        shape["_aside"] = [(list(f.index[skipped]), f"no objective or key result in {column}")]
    okrs = pd.DataFrame(out, index=f.index).assign(_pos=f.index)[keep]
    return {"okrs": okrs.reset_index(drop=True), **shape, "_notes": notes}


def identify(sample: Sample) -> Claim | None:
    column = outline_column(sample.columns)
    if column is None:
        return None
    values = sample.values(normalise(column))
    labelled = sum(bool(_KR_LABEL.match(v) or _OBJ_LABEL.match(v)) for v in values)
    if sample.rows and not any(_KR_LABEL.match(v) for v in values):
        return None  # the rows say it is no outline (a header alone may be one)
    return 100.0 + labelled / max(len(values), 1), [column]


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    out = convert_outline(frame, ctx.places)
    if out is None:
        return None
    return Converted({"okrs": out["okrs"]}, unused=out["_unused"], notes=out.get("_notes", []),
                     aside=out.get("_aside", []))  # fmt: skip


ADAPTER = Adapter("outline", OUTLINE, identify, convert)
