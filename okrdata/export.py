"""CSV downloads that are safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by Excel or Sheets (CSV injection); such cells get a leading ``'``. Numeric
columns are left alone, so negative numbers stay numbers. Rows end in CRLF (RFC 4180), so a
cell holding a line break of either kind is quoted and stays one cell.

>>> import pandas as pd
>>> to_csv(pd.DataFrame({"title": ["=HYPERLINK(1)", "ok"], "delta": [-1.5, 2.0]})).decode()
"\\ufefftitle,delta\\r\\n'=HYPERLINK(1),-1.5\\r\\nok,2.0\\r\\n"
"""

from __future__ import annotations

import hashlib

import pandas as pd

from okrdata.display import count, readable

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot start a spreadsheet formula."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        text = s.astype("string")
        risky = text.str.startswith(DANGEROUS).fillna(False).astype(bool)
        if risky.any():
            out[col] = text.where(~risky, "'" + text)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV with a byte-order mark (so Excel reads accents), formula-safe."""
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


DISPLAY_CHARS = 200  # text longer than this is cut where it is displayed (downloads keep it all)


def for_display(frame: pd.DataFrame, limit: int = DISPLAY_CHARS) -> pd.DataFrame:
    """``frame`` with text cells longer than ``limit`` cut to ``limit`` characters (…).

    >>> for_display(pd.DataFrame({"t": ["x" * 300, "ok"]}), 5)["t"].tolist()
    ['xxxx…', 'ok']
    """
    out = frame
    for col in frame.columns:
        s = frame[col]
        if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
            continue
        text = s.astype("string")
        long = (text.str.len() > limit).fillna(False).astype(bool)
        if long.any():
            out = out.copy() if out is frame else out
            out[col] = text.where(~long, text.str.slice(0, limit - 1) + "…")
    return out


def table(frame: pd.DataFrame, rows: int) -> tuple[pd.DataFrame, bytes | None]:
    """What a page's table shows of ``frame``: its first ``rows`` rows to read (codes as words,
    ``display.readable``; long text cut, ``for_display``), and its CSV when it has no more
    rows than that (None: a longer one is written when its download is clicked)."""
    shown = readable(for_display(frame.head(rows)))
    return shown, to_csv(frame) if len(frame) <= rows else None


def table_key(frame: pd.DataFrame, rows: int) -> str | None:
    """A digest of all that ``table(frame, rows)`` depends on: the first rows' values, the
    columns with their types and the number of rows; None when a cell cannot be hashed (a
    list, a dict). Not Streamlit's own hashing of a cached function's arguments: that hashes
    the whole frame, and only a sample of 10,000 rows of one of 50,000 or more, where the rows
    shown are what counts."""
    try:
        h = hashlib.sha256(pd.util.hash_pandas_object(frame.head(rows), index=False).to_numpy())
    except TypeError:
        return None
    h.update(repr((len(frame), [(c, str(t)) for c, t in frame.dtypes.items()])).encode())
    return h.hexdigest()


def signals_output(out: pd.DataFrame, fmt: str) -> str:
    """What ``python -m okrdata signals`` prints for the rows ``out``: "csv", "json" or "table"."""
    import json

    if fmt == "csv":
        return neutralise(out).to_csv(index=False)
    if fmt == "json":
        records = out.astype(object).where(out.notna(), None).to_dict(orient="records")
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    return _signals_text(out) + "\n"


def _signals_text(out: pd.DataFrame) -> str:
    """A plain-text listing for the terminal: one block per signal row."""
    if out.empty:
        return "No signals."
    head = (
        out["severity"].str.upper()
        + "  "
        + out["signal"]
        + "  "
        + out["department"]
        + " / "
        + out["team"]
    )
    where = (" / " + out["objective_id"].fillna("")).where(out["objective_id"].notna(), "")
    where = where + (" / " + out["kr_id"].fillna("")).where(out["kr_id"].notna(), "")
    text = head + where + "\n    " + out["evidence"] + "\n    ? " + out["question"]
    return "\n".join(text.tolist()) + f"\n\n{count(len(out), 'signal')}."
