"""What the Data page says about an upload (``okrdata.templates``), from files read for real."""

from __future__ import annotations

import io

import pandas as pd

from okrdata import templates
from okrdata.ingest import load

OKRS = b"objective_id,objective,quarter,Owning unit\nO-1,Grow,2026-Q3,Sales\n"


def test_the_mapping_question_names_the_file_its_sheet_and_the_column():
    csv = load([("okrs.csv", OKRS)]).sources
    buf = io.BytesIO()
    pd.read_csv(io.BytesIO(OKRS)).to_excel(buf, sheet_name="OKRs", index=False)
    xlsx = load([("okrs.xlsx", buf.getvalue())]).sources
    asked = [
        templates.mapping_question(source, column)
        for source, column, _ in templates.mapping_needed([*csv, *xlsx])
    ]
    assert asked == [
        "Which column of okrs.csv holds 'team'?",
        "Which column of okrs.xlsx, sheet OKRs, holds 'team'?",
    ]
