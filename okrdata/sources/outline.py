"""An outline: objectives and key results in one column.

Modelled on OKR sheets people keep by hand and publish (Google Sheets and Excel OKR templates:
``OKR`` / ``Objectives & Key Results`` column with ``Objective 1: …`` then ``KR 1.1: …``,
``1.`` / ``1.1``, ``O1 -`` / ``- …`` bullets), recognised by that column's name and its values.
"""

from __future__ import annotations

import re

import duckdb

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


# Python's whitespace (``str.strip``, ``\s``) and digits (``\d``) in the staging SQL's regex
# dialect (RE2), so a label is read the same way in SQL as by ``identify``
_WS = r"[\x{09}-\x{0d}\x{1c}-\x{1f}\x{85}\p{Z}]"
_NOT_WS = r"[^\x{09}-\x{0d}\x{1c}-\x{1f}\x{85}\p{Z}]"


def _sql_label(label: re.Pattern[str]) -> str:
    """A label pattern (``^…(?=\\S)``) in SQL's regex dialect: the lookahead becomes a group
    holding the title's first character (``regexp_replace(…, '\\1')`` keeps it)."""
    body = label.pattern.removesuffix(r"(?=\S)")
    assert body != label.pattern and "'" not in body and not re.search(r"\((?!\?)", body)
    assert not re.search(r"\[[^\]]*\\[sd]", body)  # no \s or \d within a class
    return "(?i)" + body.replace(r"\s", _WS).replace(r"\d", r"\p{Nd}") + f"({_NOT_WS})"


_OBJ_SQL, _KR_SQL = _sql_label(_OBJ_LABEL), _sql_label(_KR_LABEL)


def _literal(text: str) -> str:
    """A period label found in a title, sheet or file name (``_PERIOD_IN_TEXT``'s letters,
    digits, spaces, ``'``, ``-`` and ``/``) as an SQL string."""
    return "'" + text.replace("'", "''") + "'"


def stage(con: duckdb.DuckDBPyConnection, ctx: Context) -> Converted | None:
    """Objectives and key results in one column, as an outline, to the okrs table (in SQL).

    An objective row (``Objective 1: …``, ``O1 - …``, ``1. …``, or unlabelled) is followed by
    its key results (``KR 1.1: …``, ``KR1.2 – …``, ``1.1 …``, ``- …``). The other columns keep
    their names (the okrs aliases read them; ``Converted.shown``): a key-result row takes its
    objective row's team, quarter, owner (as the objective's owner) and the like; an objective
    row's own numbers are no key result's. No quarter column: the first of ``ctx.places`` (a
    title row, the sheet's name, the file's name) that names a period gives it. None when the
    values are no outline (no key-result row under an objective, or mostly unlabelled rows).

    >>> import pandas as pd
    >>> from okrdata.sources import reshape
    >>> f = pd.DataFrame({"OKR": ["O1 - Grow", "KR1.1 - Deals"], "Team": ["Sales", None],
    ...                   "Target": ["50%", "10"]})
    >>> out = reshape(f, "OKRs Q3 2026.csv")[1].tables["okrs"]
    >>> out[["Objective", "Key Result", "Team", "Target", "Quarter"]].values.tolist()
    [['Grow', <NA>, 'Sales', <NA>, 'Q3 2026'], ['Grow', 'Deals', 'Sales', '10', 'Q3 2026']]
    """
    from okrdata.columns import canonical_column

    columns = list(ctx.names.values())
    column = outline_column(columns)
    if column is None:
        return None
    at = ctx.positions[next(n for n, c in ctx.names.items() if c == column)]
    counted = con.execute(f"select count(*) from {ctx.relation}").fetchone()
    if not counted or counted[0] == 0:  # a header alone: it may be one
        return Converted({"okrs": f"select _pos, c{at} as o0 from {ctx.relation}"},
                         shown={"o0": "Objective"})  # fmt: skip
    strip = f"regexp_replace(c{at}, '^{_WS}+|{_WS}+$', '', 'g')"
    rows = f"""
        with r as (
            select *, {strip} as text from {ctx.relation}),
        l as (
            select *, coalesce(text, '') <> '' as filled,
                   coalesce(regexp_matches(text, '{_KR_SQL}'), false) as is_kr,
                   coalesce(regexp_matches(text, '{_OBJ_SQL}'), false) as obj_match
            from r),
        k as (
            select *, obj_match and not is_kr as obj_label, filled and not is_kr as is_obj,
                   case when is_kr then regexp_replace(text, '{_KR_SQL}', '\\1')
                        when obj_match then regexp_replace(text, '{_OBJ_SQL}', '\\1')
                        else text end as title
            from l)
        select *, max(case when is_obj then _pos end)
                  over (order by _pos rows between unbounded preceding and current row) as home
        from k"""
    got = con.execute(f"""
        with t as ({rows})
        select bool_or(is_kr), bool_or(is_obj and _pos < (select min(_pos) from t where is_kr)),
               count(*) filter (where is_kr or obj_label), count(*) filter (where filled)
        from t""").fetchone()  # fmt: skip
    any_kr, obj_first, labelled, filled = got if got else (False, False, 0, 0)
    if not any_kr or not obj_first or labelled < 0.5 * filled:
        return None
    # the columns out, in order: generated name -> (the name shown, SQL over b (the row) and
    # o (its objective row)); a later column of one shown name replaces the earlier's SQL
    only_kr = "case when b.is_kr then b.{} end".format
    out: dict[str, str] = {"Objective": "o.title", "Key Result": only_kr("title")}
    canon = {c: canonical_column("okrs", c) for c in columns if c != column}
    split_owner = "kr_owner" not in canon.values()
    numbers: list[str] = []
    for norm, c in ctx.names.items():
        if c == column:
            continue
        kind, cell = canon[c], ctx.col(norm)
        if kind == "objective_owner" and split_owner:
            out["Objective Owner"], out["KR Owner"] = f"o.{cell}", only_kr(cell)
        elif kind in _OBJECTIVE_LEVEL:
            out[c] = f"coalesce(o.{cell}, b.{cell})"
        elif kind is None and norm in _SCORE and "progress" not in canon.values():
            out["Progress"] = only_kr(cell)
            numbers.append(cell)
        elif kind is not None:
            out[c] = only_kr(cell)
            if kind in _KR_NUMBERS:
                numbers.append(cell)
        else:
            out[c] = f"b.{cell}"
    notes: list[tuple[str, list[int]]] = [(f"objectives and key results read from {column!r}", [])]
    if "quarter" not in canon.values():
        found = ((w, t, p) for w, t in ctx.places if t and (p := period_in(t)))
        where, said, label = next(found, ("", "", None))
        if label:
            out["Quarter"] = _literal(label)
            notes.append((f"the quarter {label} is taken from the {where} {said!r}", []))
        else:
            notes.append(("no quarter column, and no title row, sheet name or file name names "
                          "a quarter", []))  # fmt: skip
    others = [f"{ctx.col(n)} is not null" for n, c in ctx.names.items() if c != column]
    got = con.execute(f"""
        with t as ({rows})
        select coalesce(list(_pos order by _pos) filter (where is_obj and
                            ({" or ".join(f"{n} is not null" for n in numbers) or "false"})), []),
               coalesce(list(_pos order by _pos) filter (where not filled and
                            ({" or ".join(others) or "false"})), [])
        from t""").fetchone()  # fmt: skip
    on_objectives, skipped = got if got else ([], [])
    if on_objectives:
        notes.append(("the numbers on objective rows ({rows}) are not key-result values and are "
                      "not used", on_objectives))  # fmt: skip
    aside = []
    if skipped:
        notes.append((f"rows without an objective or key result in {column!r} ({{rows}}) are "
                      "not read", skipped))  # fmt: skip
        aside = [(skipped, f"no objective or key result in {column}")]
    shown = {f"o{i}": name for i, name in enumerate(out)}
    cols = ", ".join(f"{sql} as o{i}" for i, sql in enumerate(out.values()))
    okrs = f"""
        with t as ({rows})
        select b._pos, {cols} from t b left join t o on o._pos = b.home
        where b.is_kr or b.is_obj"""
    return Converted({"okrs": okrs}, notes=notes, aside=aside, shown=shown)


def identify(sample: Sample) -> Claim | None:
    column = outline_column(sample.columns)
    if column is None:
        return None
    values = sample.values(normalise(column))
    labelled = sum(bool(_KR_LABEL.match(v) or _OBJ_LABEL.match(v)) for v in values)
    if sample.rows and not any(_KR_LABEL.match(v) for v in values):
        return None  # the rows say it is no outline (a header alone may be one)
    return 100.0 + labelled / max(len(values), 1), [column]


ADAPTER = Adapter("outline", OUTLINE, identify, stage=stage)
