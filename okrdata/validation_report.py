"""The validation report: every problem found in the input, where it is and what to do.

Rows are numbered as a person sees them in a spreadsheet: the header is row 1, the first data
row is row 2. Errors block an import; warnings don't.

>>> r = Report()
>>> r.add("error", "bad_number", "okrs.csv", row=3, column="Target", value="lots",
...       message="Target is not a number.")
>>> r.ok, len(r.errors)
(False, 1)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import pandas as pd

SEVERITIES = ("error", "warning")
COLUMNS = ("severity", "code", "file", "sheet", "row", "column", "value", "message")
_MAX_VALUE = 80


@dataclass(frozen=True)
class Issue:
    """One problem: severity, a stable code, where it is, the offending value, a sentence."""

    severity: str
    code: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str


@dataclass
class Report:
    """All issues of one validation run."""

    issues: list[Issue] = field(default_factory=list)

    def add(
        self,
        severity: str,
        code: str,
        file: str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}")
        shown = None if value is None else str(value)
        if shown is not None and len(shown) > _MAX_VALUE:
            shown = shown[: _MAX_VALUE - 1] + "…"
        self.issues.append(
            Issue(
                severity,
                code,
                file,
                sheet,
                None if row is None else int(row),
                column,
                shown,
                message,
            )
        )

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks an import."""
        return not self.errors

    def sorted(self) -> list[Issue]:
        """Errors first, then by file, sheet, row, code and column (a stable order)."""
        return sorted(
            self.issues,
            key=lambda i: (i.severity != "error", i.file, i.sheet or "", i.row or 0, i.code,
                           i.column or "", i.message),
        )  # fmt: skip

    def to_frame(self) -> pd.DataFrame:
        rows = [asdict(i) for i in self.sorted()]
        frame = pd.DataFrame(rows, columns=list(COLUMNS))
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_json(self) -> str:
        return json.dumps(
            {
                "ok": self.ok,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "issues": [asdict(i) for i in self.sorted()],
            },
            indent=2,
            ensure_ascii=False,
        )

    def summary(self) -> str:
        """One sentence: whether the files can be imported, and what there is to read.

        >>> Report().summary()
        'Ready to import: no problems found.'
        """
        e, w = len(self.errors), len(self.warnings)
        warned = f"{w} warning{'s' * (w != 1)}"
        if e:
            errors = f"{e} error{'s' * (e != 1)} block{'s' * (e == 1)} the import"
            return (
                f"{errors}, and {warned} {'is' if w == 1 else 'are'} listed." if w else f"{errors}."
            )
        if w:
            return f"Ready to import: no errors, {warned} to read below."
        return "Ready to import: no problems found."

    def to_text(self, limit: int | None = 200) -> str:
        """A readable table for the terminal (long reports are cut after ``limit`` rows)."""
        if not self.issues:
            return "No problems found."
        issues = self.sorted()
        shown = issues if limit is None else issues[:limit]
        head = ("severity", "file", "sheet", "row", "column", "value", "message")
        rows = [
            (
                i.severity,
                i.file,
                i.sheet or "",
                "" if i.row is None else str(i.row),
                i.column or "",
                i.value or "",
                i.message,
            )
            for i in shown
        ]
        widths = [min(40, max(len(h), *(len(r[k]) for r in rows))) for k, h in enumerate(head)]
        widths[-1] = max(len(head[-1]), *(len(r[-1]) for r in rows))

        def line(cells: Sequence[str]) -> str:
            return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        out = [line(head), line(["-" * w for w in widths]), *(line(r) for r in rows)]
        if len(shown) < len(issues):
            out.append(f"… and {len(issues) - len(shown)} more (use --format json for all).")
        out.append(self.summary())
        return "\n".join(out)
