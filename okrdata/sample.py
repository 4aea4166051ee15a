"""A believable sample company, generated from a seed: ``python -m okrdata sample``.

Departments with teams, three quarters (2026-Q2 and Q3 complete, Q4 about half through, the last
check-ins on Monday 2026-11-16), company → department → team objectives, committed and
aspirational OKRs of every metric type, weekly check-ins with comments and confidence,
dependencies and a teams table. Among healthy teams, one team (or, with many teams, a few
percent of them) shows each behaviour the coach signals look for; ``SEEDED`` names them.

Check-ins are generated with numpy arrays (KR x week), so ``--teams 2000`` (~0.9M check-ins)
takes seconds.

>>> frames = build(teams=20, seed=7)
>>> sorted(frames)
['checkins', 'dependencies', 'okrs', 'teams']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from okrdata.calendar import quarter_bounds

QUARTERS = ("2026-Q2", "2026-Q3", "2026-Q4")
LAST_CHECKIN = pd.Timestamp("2026-11-16")  # a Monday; the default as-of date of the sample
DEPARTMENTS = {
    "Engineering": ["Platform", "Payments", "Mobile", "Data", "Security", "Infrastructure"],
    "Product": ["Onboarding", "Core Product", "Design"],
    "Sales": ["Sales EMEA", "Sales Americas", "Partnerships"],
    "Marketing": ["Brand", "Demand Gen", "Content"],
    "Customer Success": ["Support", "Solutions"],
    "People": ["Recruiting", "Learning"],
    "Finance": ["Billing Ops"],
}
PEOPLE = [
    "Ada Moreau", "Lin Okafor", "Sam Rivera", "Noor Haddad", "Jonas Berg", "Priya Nair",
    "Tomás Silva", "Mei Tanaka", "Ola Nowak", "Kwame Mensah", "Elif Kaya", "Ravi Iyer",
    "Hana Kim", "Luca Romano", "Zoe Martin", "Ivan Petrov", "Aisha Bello", "Finn Larsen",
]  # fmt: skip
COMPANY_OBJECTIVES = {
    "2026-Q2": ["Win the mid-market", "Make the product effortless", "Build a durable company"],
    "2026-Q3": ["Grow revenue with existing customers", "Ship a faster product", "Be a great place to work"],
    "2026-Q4": ["Expand into two new markets", "Make reliability a feature", "Run efficiently"],
}  # fmt: skip
KR_TEMPLATES: list[tuple[str, str, float, float]] = [  # title, unit, start, target (increase unless target < start)
    ("Raise weekly active accounts", "count", 1200, 1800),
    ("Grow net revenue retention", "%", 104, 112),
    ("Cut median time to first value (days)", "days", 14, 5),
    ("Lift activation rate", "%", 38, 55),
    ("Reduce p95 page load (ms)", "ms", 2400, 1200),
    ("Close new pipeline", "$", 0, 1_500_000),
    ("Publish customer stories", "count", 0, 12),
    ("Raise NPS", "NPS", 31, 45),
    ("Reduce open incidents", "count", 40, 10),
    ("Increase trial-to-paid conversion", "%", 9, 14),
    ("Hire engineers", "count", 0, 8),
    ("Cut cloud spend per customer", "$", 42, 30),
    ("Grow qualified leads", "count", 300, 520),
    ("Raise test coverage", "%", 61, 80),
]  # fmt: skip
OBJECTIVE_TEMPLATES = [
    "Delight new customers from day one", "Make our platform boringly reliable",
    "Grow the pipeline we can close", "Ship smaller, ship sooner", "Know our customers better",
    "Turn data into decisions", "Keep customers secure", "Lower the cost to serve",
    "Build a team people want to join", "Tell our story better",
]  # fmt: skip
COMMENTS = {
    "on_track": ["Steady week, on plan.", "Shipped the next milestone.", "Good momentum.",
                 "Numbers moving as expected.", "Experiment results look promising."],
    "at_risk": ["Slower than planned; re-planning.", "Waiting on a dependency.",
                "Two people out this week."],
    "off_track": ["Blocked, need help.", "Scope turned out bigger than thought.",
                  "No movement this week."],
}  # fmt: skip
ROLES = (
    "sandbagging", "committed_early", "off_track", "stale_checkins", "overload", "watermelon",
    "hockey_stick", "declining_confidence", "unaligned", "dependency_blocked", "bottleneck",
    "no_okrs",
)  # fmt: skip

# progress profiles of a KR in a quarter
HEALTHY, EARLY_HIT, STUCK, HOCKEY = 0, 1, 2, 3


@dataclass
class Company:
    """The generated rows (lists of dicts for objectives and KRs; arrays for check-ins)."""

    teams: list[dict] = field(default_factory=list)
    objectives: list[dict] = field(default_factory=list)
    krs: list[dict] = field(default_factory=list)
    dependencies: list[dict] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)


def team_names(n: int) -> list[tuple[str, str]]:
    """``n`` (team, department) pairs: the named teams first, then numbered copies."""
    base = [(t, d) for d, teams in DEPARTMENTS.items() for t in teams]
    out = []
    for i in range(n):
        team, dept = base[i % len(base)]
        out.append((team if i < len(base) else f"{team} {i // len(base) + 1}", dept))
    return out


def assign_roles(teams: list[str], rng: np.random.Generator) -> dict[str, list[str]]:
    """Seeded behaviours: one team each (a few percent of teams each with many teams)."""
    per_role = max(1, round(len(teams) * 0.02))
    order = rng.permutation(len(teams))
    roles, k = {}, 0
    for role in ROLES:
        roles[role] = [teams[i] for i in order[k : k + per_role]]
        k += per_role
    return roles


def _kr(
    rng: np.random.Generator,
    company: Company,
    obj: dict[str, Any],
    n: int,
    profile: int,
    quarter: str,
    types: Sequence[str] = ("increase",),
    **extra: Any,
) -> None:
    for j in range(n):
        title, unit, start, target = KR_TEMPLATES[rng.integers(len(KR_TEMPLATES))]
        metric = types[j % len(types)]
        if metric == "binary":
            title, unit, start, target = "Launch the new " + title.split()[-1], "", 0, 1
        elif metric in ("stay_above", "stay_below"):
            title, unit = (
                ("Keep uptime at or above 99.5 %", "%")
                if metric == "stay_above"
                else ("Keep support backlog at or below 50", "count")
            )
            start, target = (99.7, 99.5) if metric == "stay_above" else (35, 50)
        elif profile == EARLY_HIT and extra.get("safe"):
            start, target = 100, 100 + int(rng.integers(4, 9))  # within 10 % of start
        company.krs.append({
            "objective_id": obj["objective_id"], "kr_id": f"{obj['objective_id']}-KR{j + 1}",
            "key_result": title, "kr_owner": obj["objective_owner"], "metric_type": metric,
            "start_value": start, "target_value": target, "unit": unit, "weight": 1.0,
            "quarter": quarter, "profile": profile,
            "final": extra.get("final", rng.uniform(0.7, 0.82)),
            "confidence": extra.get("confidence", rng.uniform(0.62, 0.78)),
            "reports_green": extra.get("reports_green", False),
            "declining": extra.get("declining", False), "stop_after": extra.get("stop_after"),
            "lowered": extra.get("lowered", False) and j == 0,
        })  # fmt: skip


def build_company(teams: int, seed: int) -> Company:
    """Objectives, KRs (with their progress profiles), dependencies and the org chart."""
    rng = np.random.default_rng(seed)
    c = Company()
    pairs = team_names(teams)
    names = [t for t, _ in pairs]
    c.roles = assign_roles(names, rng)
    role_of = {t: r for r, ts in c.roles.items() for t in ts}
    people = iter(PEOPLE * (teams // len(PEOPLE) + 3))
    c.teams.append({"team": "Executive Team", "department": "Company", "parent_team": None,
                    "lead": next(people)})  # fmt: skip
    for dept in DEPARTMENTS:
        c.teams.append({"team": f"{dept} Leadership", "department": dept,
                        "parent_team": "Executive Team", "lead": next(people)})  # fmt: skip
    for team, dept in pairs:
        c.teams.append({"team": team, "department": dept, "parent_team": f"{dept} Leadership",
                        "lead": next(people)})  # fmt: skip
    for qi, quarter in enumerate(QUARTERS):
        _quarter(c, rng, quarter, qi, pairs, role_of)
    _dependencies(c, rng, role_of)
    return c


def slug(team: str) -> str:
    """A readable id part: ``"Sales EMEA"`` -> ``"SALES-EMEA"``."""
    return "-".join("".join(ch for ch in w if ch.isalnum()) for w in team.upper().split())


def _objective(
    c: Company,
    quarter: str,
    team: str,
    dept: str,
    n: int,
    parent: str | None,
    level: str,
    okr_type: str,
    origin: str,
    owner: str,
) -> dict[str, Any]:
    obj = {
        "objective_id": f"O-{quarter.replace('-', '')}-{slug(team)}-{n}",
        "objective": OBJECTIVE_TEMPLATES[(n + len(team)) % len(OBJECTIVE_TEMPLATES)],
        "quarter": quarter, "team": team, "department": dept, "parent_objective_id": parent,
        "objective_owner": owner, "okr_type": okr_type, "level": level, "origin": origin,
    }  # fmt: skip
    c.objectives.append(obj)
    return obj


def _quarter(
    c: Company,
    rng: np.random.Generator,
    quarter: str,
    qi: int,
    pairs: list[tuple[str, str]],
    role_of: dict[str, str],
) -> None:
    company = []
    for n, title in enumerate(COMPANY_OBJECTIVES[quarter], start=1):
        obj = _objective(c, quarter, "Executive Team", "Company", n, None, "company",
                         "aspirational", "top_down", PEOPLE[0])  # fmt: skip
        obj["objective_id"] = f"CO-{quarter.replace('-', '')}-{n}"
        obj["objective"] = title
        company.append(obj["objective_id"])
    dept_objs: dict[str, list[str]] = {}
    for di, dept in enumerate(DEPARTMENTS):
        dept_objs[dept] = []
        for n in (1, 2):
            obj = _objective(c, quarter, f"{dept} Leadership", dept, n,
                             company[(di + n) % len(company)], "department", "aspirational",
                             "top_down", PEOPLE[(di + 1) % len(PEOPLE)])  # fmt: skip
            dept_objs[dept].append(obj["objective_id"])
            _kr(rng, c, obj, 2, HEALTHY, quarter)
    current = qi == len(QUARTERS) - 1
    for ti, (team, dept) in enumerate(pairs):
        role = role_of.get(team)
        if role == "no_okrs" and current:
            continue
        n_obj = 7 if role == "overload" and current else int(rng.integers(3, 5))
        owner = PEOPLE[(ti + 3) % len(PEOPLE)]
        for n in range(1, n_obj + 1):
            parent: str | None = dept_objs[dept][n % 2]
            if role == "unaligned" and current and n == 1:
                parent = None
            committed = (n == 3) or role == "committed_early"
            obj = _objective(c, quarter, team, dept, n, parent, "team",
                             "committed" if committed else "aspirational",
                             "top_down" if n == 3 else "bottom_up", owner)  # fmt: skip
            n_kr = 7 if role == "overload" and current and n == 1 else int(rng.integers(3, 6))
            types = (
                ("increase", "stay_below", "binary", "stay_above", "decrease")
                if committed
                else ("increase", "decrease", "increase")
            )
            _team_krs(c, rng, obj, n_kr, role, quarter, current, committed, types)


def _team_krs(
    c: Company,
    rng: np.random.Generator,
    obj: dict[str, Any],
    n_kr: int,
    role: str | None,
    quarter: str,
    current: bool,
    committed: bool,
    types: Sequence[str],
) -> None:
    if role == "sandbagging" and not committed:
        _kr(rng, c, obj, n_kr, EARLY_HIT, quarter, safe=True, confidence=0.95, lowered=current)
    elif role == "committed_early":
        _kr(rng, c, obj, n_kr, EARLY_HIT, quarter, confidence=0.9)
    elif role in ("off_track", "watermelon") and current:
        green = role == "watermelon"
        _kr(rng, c, obj, n_kr, STUCK, quarter, confidence=0.8 if green else 0.3,
            reports_green=green)  # fmt: skip
    elif role == "declining_confidence" and current:
        _kr(rng, c, obj, n_kr, HEALTHY, quarter, declining=True, confidence=0.8)
    elif role == "stale_checkins" and current:
        _kr(rng, c, obj, n_kr, HEALTHY, quarter, stop_after=pd.Timestamp("2026-10-19"))
    elif committed:
        _kr(rng, c, obj, n_kr, HEALTHY, quarter, types, final=rng.uniform(0.95, 1.0))
    elif role == "hockey_stick" and quarter == QUARTERS[1]:
        _kr(rng, c, obj, n_kr, HOCKEY, quarter)
    else:
        _kr(rng, c, obj, n_kr, HEALTHY, quarter, types)


def _dependencies(c: Company, rng: np.random.Generator, role_of: dict[str, str]) -> None:
    """Seeded risky dependencies, a bottleneck provider, and healthy resolved or planned ones."""
    q4 = QUARTERS[-1]
    team_of = {o["objective_id"]: o["team"] for o in c.objectives}
    kr_of: dict[str, str] = {}
    for kr in c.krs:
        if kr["quarter"] == q4 and kr["metric_type"] == "increase":
            kr_of.setdefault(team_of[kr["objective_id"]], kr["kr_id"])
    teams = [t["team"] for t in c.teams if (t["parent_team"] or "").endswith("Leadership")]
    healthy = [t for t in teams if t not in role_of and t in kr_of]

    def dep(team: str, provider: str, status: str, due: str, desc: str, quarter: str = q4) -> None:
        c.dependencies.append({
            "team": team, "depends_on_team": provider, "kr_id": kr_of.get(team),
            "depends_on_kr_id": kr_of.get(provider), "description": desc, "status": status,
            "due_date": due, "quarter": quarter,
        })  # fmt: skip

    used = set()
    for i, team in enumerate(c.roles["dependency_blocked"]):
        x, y = healthy[(2 * i) % len(healthy)], healthy[(2 * i + 1) % len(healthy)]
        dep(team, x, "blocked", "2026-12-01", "Needs the new billing API")
        dep(team, y, "open", "2026-11-02", "Needs an SSO decision")
        used |= {x, y}
    for i, team in enumerate(c.roles["bottleneck"]):
        for j in range(3):
            asker = healthy[(3 * i + j + 2) % len(healthy)]
            dep(asker, team, "committed", "2026-12-10", "Needs data export endpoints")
    providers = rng.permutation(healthy)
    for team, provider in zip(healthy[::2], providers[::2], strict=False):
        if provider != team and provider not in used:  # no unplanned bottlenecks
            done = rng.random() < 0.5
            dep(team, str(provider), "done" if done else "committed",
                "2026-10-20" if done else "2026-12-15", "Shared component work")  # fmt: skip
    for team, provider in zip(healthy[1::3], healthy[2::3], strict=False):
        dep(team, provider, "done", "2026-09-01", "Joint launch", quarter=QUARTERS[1])


def checkins(c: Company, seed: int) -> pd.DataFrame:
    """Weekly check-ins (Mondays) for every KR, generated as KR x week arrays."""
    rng = np.random.default_rng(seed + 1)
    krs = pd.DataFrame(c.krs)
    frames = []
    for quarter in QUARTERS:
        k = krs[krs["quarter"] == quarter].reset_index(drop=True)
        start, end = quarter_bounds(quarter)
        days = pd.date_range(start, min(end, LAST_CHECKIN), freq="W-MON")
        t = ((days - start).days.to_numpy() + 1) / ((end - start).days + 1)
        n_k, n_w = len(k), len(days)
        ki, wi = np.repeat(np.arange(n_k), n_w), np.tile(np.arange(n_w), n_k)
        tt = t[wi]
        profile = k["profile"].to_numpy()[ki]
        final = k["final"].to_numpy()[ki]
        p = final * tt**0.75 + rng.normal(0, 0.015, len(ki))
        p = np.where(profile == EARLY_HIT, np.minimum(1.0, tt / 0.3), p)
        p = np.where(profile == STUCK, 0.08 * tt, p)
        hockey = np.where(tt < 0.75, 0.1 * tt / 0.75, 0.1 + (tt - 0.75) / 0.25 * 0.85)
        p = np.where(profile == HOCKEY, hockey, p)
        metric = k["metric_type"].to_numpy()[ki]
        s, g = k["start_value"].to_numpy(float)[ki], k["target_value"].to_numpy(float)[ki]
        value = s + np.clip(p, 0, 1.05) * (g - s)
        value = np.where(metric == "binary", (tt > 0.3).astype(float), value)
        value = np.where(metric == "stay_above", g + 0.2 + rng.normal(0, 0.03, len(ki)), value)
        value = np.where(metric == "stay_below", g - 12 + rng.normal(0, 3, len(ki)), value)
        value = np.round(value, 2)
        conf = k["confidence"].to_numpy()[ki] + rng.normal(0, 0.02, len(ki))
        from_end = n_w - 1 - wi
        declining = k["declining"].to_numpy()[ki]
        conf = np.where(declining & (from_end == 2), 0.75, conf)
        conf = np.where(declining & (from_end == 1), 0.6, conf)
        conf = np.where(declining & (from_end == 0), 0.4, conf)
        status = np.where(
            p >= tt - 0.15, "on_track", np.where(p >= tt - 0.3, "at_risk", "off_track")
        )
        status = np.where(k["reports_green"].to_numpy()[ki], "on_track", status)
        keep = np.ones(len(ki), bool)
        stop = k["stop_after"].to_numpy()[ki]
        has_stop = pd.notna(stop)
        keep[has_stop] = days[wi[has_stop]] <= pd.DatetimeIndex(stop[has_stop])
        skip = (rng.random(len(ki)) < 0.06) & (wi > 0) & (from_end > 1)
        keep &= ~skip
        target = np.full(len(ki), np.nan)
        lowered = k["lowered"].to_numpy()[ki] & (wi == 1)
        target[lowered] = np.round(s[lowered] + (g[lowered] - s[lowered]) * 0.8, 2)
        pick = rng.integers(0, 60, len(ki))
        comment = np.full(len(ki), "", dtype=object)
        for name, texts in COMMENTS.items():
            opts = np.array(texts, dtype=object)
            comment = np.where(status == name, opts[pick % len(opts)], comment)
        frame = pd.DataFrame({
            "kr_id": k["kr_id"].to_numpy()[ki], "date": days[wi].strftime("%Y-%m-%d"),
            "value": value, "confidence": np.round(np.clip(conf, 0, 1), 2), "status": status,
            "target_value": target, "comment": comment, "author": k["kr_owner"].to_numpy()[ki],
        })[keep]  # fmt: skip
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def build(teams: int = 20, seed: int = 7) -> dict[str, pd.DataFrame]:
    """The four canonical tables of a generated company."""
    if teams < 12:
        raise ValueError("the sample needs at least 12 teams (one per seeded behaviour)")
    c = build_company(teams, seed)
    objectives = pd.DataFrame(c.objectives)
    krs = pd.DataFrame(c.krs)
    ck = checkins(c, seed)
    # a few KRs of the first quarter are known only from the export's current value
    first = krs[krs["quarter"] == QUARTERS[0]]
    no_checkins = first.sample(frac=0.05, random_state=seed)["kr_id"]
    last = ck[ck["kr_id"].isin(no_checkins)].groupby("kr_id")["value"].last()
    krs["current_value"] = krs["kr_id"].map(last)
    ck = ck[~ck["kr_id"].isin(no_checkins)]
    kr_cols = ["kr_id", "key_result", "kr_owner", "metric_type", "start_value", "target_value",
               "current_value", "unit", "weight"]  # fmt: skip
    okrs = objectives.merge(krs[["objective_id", *kr_cols]], on="objective_id", how="left")
    return {
        "okrs": okrs,
        "checkins": ck.reset_index(drop=True),
        "dependencies": pd.DataFrame(c.dependencies),
        "teams": pd.DataFrame(c.teams),
    }


def seeded(teams: int = 20, seed: int = 7) -> dict[str, list[str]]:
    """Signal name -> the teams seeded to show it (``committed_early`` must show none)."""
    roles = build_company(teams, seed).roles
    out = {r: roles[r] for r in ROLES if r not in ("dependency_blocked", "bottleneck")}
    out["dependency_risk"] = roles["dependency_blocked"] + roles["bottleneck"]
    return out


def generate(out_dir: str | Path, teams: int = 20, seed: int = 7) -> dict[str, int]:
    """Write okrs.csv, checkins.csv, dependencies.csv and teams.csv; return their row counts."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, frame in build(teams, seed).items():
        frame.to_csv(out / f"{name}.csv", index=False, float_format="%.10g")
        counts[name] = len(frame)
    return counts


_DEFAULT = seeded()
SEEDED: dict[str, list[str]] = {k: v for k, v in _DEFAULT.items() if k != "committed_early"}
COMMITTED_EARLY: list[str] = _DEFAULT["committed_early"]
