"""A goal tree written one level per column: ``Main, L1, L2, …``, each row's title in the column
of its level, the rows in tree order.

Modelled on Goalscape's CSV import and export (https://goalscape.tenderapp.com/kb/
general-questions/requirements-for-goalscape-csv-import-source-file): row 2 holds the main
goal in ``Main``, each further row a subgoal in ``L1`` … ``Ln`` under the nearest row above one
level up, and attribute columns by name in any order (``Importance``, ``Progress``, ``Start
Date``, ``Due Date``, ``Notes``, …).

Read as OKRs: the main goal and the ``L1`` goals are objectives (each ``L1`` aligned to the main
goal, by its title); an ``L2`` goal is a key result of the ``L1`` objective above it, with its
``Progress`` (0–100) as progress and its ``Importance`` as weight; deeper goals are work, kept
aside under their key result. Start and due dates decide the period; a goal without its own
dates takes its objective's. Values stay text: staging types them. There is no team column:
the sheet's or file's name names the team, as for any one team's sheet.
"""

from __future__ import annotations

import re

import pandas as pd

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import by_norm, text

_LEVEL = re.compile(r"l(\d+)")
_USED = {"main", "importance", "progress", "start date", "due date", "end date", "owner", "team"}


def identify(sample: Sample) -> Claim | None:
    names = set(sample.names)
    if "main" not in names or "l1" not in names:
        return None
    return 100.0 + sum(1 for n in names if _LEVEL.fullmatch(n)), sample.named(["main", "l1", "l2"])


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    f, cols = by_norm(frame)
    levels = ["main", *sorted((c for c in f if _LEVEL.fullmatch(c)), key=lambda c: (len(c), c))]
    cells = [text(f, c) for c in levels]
    depth: list[int | None] = []
    title: list[object] = []
    for i in range(len(f)):
        at = next((d for d, s in enumerate(cells) if pd.notna(s.iloc[i])), None)
        depth.append(at)
        title.append(pd.NA if at is None else cells[at].iloc[i])
    # each row's nearest ancestor at each depth, in tree order
    above: dict[int, int] = {}
    parent_at: list[dict[int, int]] = []
    for i, d in enumerate(depth):
        if d is not None:
            above = {k: v for k, v in above.items() if k < d}
        parent_at.append(dict(above))
        if d is not None:
            above[d] = i
    start, end = text(f, "start date"), text(f, "due date", "end date")
    owner, team = text(f, "owner"), text(f, "team")
    titles = pd.Series(title, index=f.index, dtype="string")

    def at_row(values: pd.Series, rows: list[int | None]) -> pd.Series:
        return pd.Series([pd.NA if r is None else values.iloc[r] for r in rows], index=f.index,
                         dtype="string")  # fmt: skip

    is_obj = pd.Series([d in (0, 1) for d in depth], index=f.index)
    is_kr = pd.Series([d == 2 for d in depth], index=f.index)
    is_work = pd.Series([d is not None and d > 2 for d in depth], index=f.index)
    main = [p.get(0) for p in parent_at]
    objective = [p.get(1) for p in parent_at]
    kr = [p.get(2) for p in parent_at]
    objs = pd.DataFrame({
        "objective": titles, "start_date": start, "end_date": end, "objective_owner": owner,
        "team": team, "parent_objective_id": at_row(titles, main), "_pos": f.index,
    })[is_obj]  # fmt: skip
    krs = pd.DataFrame({
        "objective": at_row(titles, objective), "start_date": at_row(start, objective).fillna(start),
        "end_date": at_row(end, objective).fillna(end), "team": at_row(team, objective),
        "objective_owner": at_row(owner, objective),
        "parent_objective_id": at_row(titles, main), "key_result": titles, "kr_owner": owner,
        "progress": text(f, "progress"), "weight": text(f, "importance"), "_pos": f.index,
    })[is_kr]  # fmt: skip
    okrs = pd.concat([objs, krs], ignore_index=True).sort_values("_pos").reset_index(drop=True)
    if "team" not in f:  # one team's tree: the import names the team (sheet, file)
        okrs = okrs.drop(columns="team")
    work = pd.DataFrame({
        "objective": at_row(titles, objective), "kr_id": pd.NA, "title": titles,
        "objective_id": pd.NA, "team": team, "period": pd.NA, "_pos": f.index,
    })[is_work]  # fmt: skip
    work["title"] = work["title"] + at_row(titles, kr)[is_work].map(
        lambda k: "" if pd.isna(k) else f" (under {k})"
    )
    tables = {"okrs": okrs, "work": work}
    tables = {
        k: t.astype({c: "string" for c in t.columns if c != "_pos"}) for k, t in tables.items()
    }
    notes: list[tuple[str, list[int]]] = []
    if is_work.any():
        notes.append(("goals below L2 are work, kept aside ({rows})", list(f.index[is_work])))
    blank = pd.Series([d is None for d in depth], index=f.index)
    aside = [(list(f.index[blank]), "no goal title in any level column")] if blank.any() else []
    used = {*_USED, *levels}
    unused = [name for norm, name in cols.items() if norm not in used]
    return Converted(tables, unused=unused, notes=notes, aside=aside)


ADAPTER = Adapter("levels", "a goal tree, one level per column (Goalscape)", identify, convert)
