"""Work items with their own title and an optional parent objective (one row per item).

Modelled on Tarides' okra objective database (github tmcgilchrist/okra, the admin data file
``team-objectives.csv``: ``id,title,status,quarter,team,pillar,objective,funder,labels,
progress``). ``title`` is the row's own title and ``objective`` names the objective the row
sits under (empty when the row is itself an objective):

* a row with a parent objective is a key result under it: the parent is found by id, else by
  title, among the sheet's rows (taking that row's quarter and team when its own are empty);
  a parent not in the sheet is an objective of that title;
* a row without one is an objective of its own (no key result);
* ``quarter`` is the period as written (``Q2 2024``); ``Rolling`` and the like are no dated
  period: staging keeps such objectives aside and lists them;
* ``pillar`` groups teams (the department); ``progress`` is the tool's own figure, kept as text
  in the key result's ``progress`` (staging types it) and, as the tool's figure shown beside
  OKR Pulse's, in its ``source_progress``; ``funder`` and ``labels`` are not used.

>>> f = pd.DataFrame({"id": ["#1", "#2"], "title": ["Grow", "Ten deals"],
...                   "quarter": ["Q2 2024", None], "team": ["Sales", None],
...                   "objective": [None, "#1"]})
>>> convert(f, Context("o.csv", None)).tables["okrs"][["objective_id", "kr_id",
...     "key_result", "quarter"]].values.tolist()
[['#1', <NA>, <NA>, 'Q2 2024'], ['#1', '#2', 'Ten deals', 'Q2 2024']]
"""

from __future__ import annotations

import pandas as pd

from okrdata.sources import Adapter, Claim, Context, Converted, Sample
from okrdata.sources._shared import by_norm, text

ITEMS = {"id", "title", "quarter", "objective"}  # and a team, usually
_TEAM = ("team", "teams", "squad")
_PARENT = ("objective", "parent objective")
_USED = {"id", "title", "quarter", "objective", "parent objective", "team", "teams", "squad",
         "pillar", "status", "progress", "owner"}  # fmt: skip
# columns of an okrs sheet proper: with one of them the sheet is no list of work items
_KR_COLUMNS = {"key result", "kr", "key results", "key result title", "kr title", "kr id",
               "key result id", "objective id", "objective title"}  # fmt: skip


def identify(sample: Sample) -> Claim | None:
    names = set(sample.names)
    if not ITEMS <= names or names & _KR_COLUMNS:
        return None
    team = {t for t in _TEAM if t in names}  # without one: a team's own list (see ingest)
    return 100.0 + len(ITEMS) + len(team), sample.named(sorted(ITEMS | team))


def convert(frame: pd.DataFrame, ctx: Context) -> Converted | None:
    f, cols = by_norm(frame)
    item_id, title = text(f, "id"), text(f, "title")
    parent = text(f, *_PARENT)
    quarter, team = text(f, "quarter"), text(f, *_TEAM)
    dept, owner = text(f, "pillar"), text(f, "owner")
    by_id = dict(zip(item_id.dropna(), item_id.dropna().index, strict=True))
    by_title = {t.lower(): i for i, t in title.dropna().items()}
    home = [None if pd.isna(p) else by_id.get(p, by_title.get(p.lower())) for p in parent]

    def of_parent(values: pd.Series) -> pd.Series:
        """Each row's parent row's value (NA where the parent is not in the sheet)."""
        return pd.Series([pd.NA if i is None else values.iloc[i] for i in home],
                         index=f.index, dtype="string")  # fmt: skip

    is_kr = parent.notna()
    # every objective row is its own okrs row (one with key results too: the ledger counts it
    # imported, and its key results' rows repeat its columns)
    objs = pd.DataFrame({
        "objective_id": item_id, "objective": title, "quarter": quarter, "team": team,
        "department": dept, "objective_owner": owner, "_pos": f.index,
    })[~is_kr]  # fmt: skip
    krs = pd.DataFrame({
        "objective_id": of_parent(item_id), "objective": of_parent(title).fillna(parent),
        "objective_owner": of_parent(owner),
        "quarter": quarter.fillna(of_parent(quarter)), "team": team.fillna(of_parent(team)),
        "department": dept.fillna(of_parent(dept)), "kr_id": item_id, "key_result": title,
        "kr_owner": owner, "status": text(f, "status"), "progress": text(f, "progress"),
        "source_progress": text(f, "progress"), "_pos": f.index,
    })[is_kr]  # fmt: skip
    out = pd.concat([objs, krs], ignore_index=True).sort_values("_pos", kind="stable")
    out = out.reset_index(drop=True)
    if not any(t in f for t in _TEAM):  # one team's list: the import names it (sheet, file)
        out = out.drop(columns="team")
    out = out.astype({c: "string" for c in out.columns if c != "_pos"})
    notes: list[tuple[str, list[int]]] = []
    if is_kr.any():
        notes.append(("rows with a parent objective are key results under it ({rows})",
                      list(f.index[is_kr])))  # fmt: skip
    if (~is_kr).any():
        notes.append(("rows without a parent objective are objectives of their own ({rows})",
                      list(f.index[~is_kr])))  # fmt: skip
    done = text(f, "progress").notna() & ~is_kr
    if done.any():
        notes.append(("the tool's progress on objective rows ({rows}) is not used: the "
                      "progress an objective shows is its key results'", list(f.index[done])))  # fmt: skip
    unused = [name for norm, name in cols.items() if norm not in _USED]
    return Converted({"okrs": out}, unused=unused, notes=notes)


ADAPTER = Adapter("work_items", "a list of work items with parent objectives (okra)", identify,
                  convert)  # fmt: skip
