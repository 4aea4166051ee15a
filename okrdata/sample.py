"""A believable sample company, generated from a seed: ``python -m okrdata sample``.

Departments with teams, three quarters (2026-Q2 and Q3 complete, Q4 about half through, the last
check-ins on Monday 2026-11-16), OKRs spreading from a pilot (``ADOPTED``), each department's own
goals with key results that belong to them (``GOALS``), company → department → team objectives, committed and
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
# Each department's goals, each objective with key results that belong to it. ``{area}`` is the
# team (or, for the department's own objectives, the department), so two teams never share a KR
# title by accident. (title, unit, start, target): a target below the start is a decrease.
KR = tuple[str, str, float, float]
GOALS: dict[str, list[tuple[str, list[KR]]]] = {
    "Engineering": [
        ("Make {area} boringly reliable", [
            ("Cut {area} incidents per month", "count", 12, 4),
            ("Cut {area} mean time to restore (minutes)", "min", 95, 30),
            ("Raise {area} test coverage", "%", 61, 80),
            ("Cut {area} change failure rate", "%", 18, 8)]),
        ("Ship smaller, ship sooner in {area}", [
            ("Raise {area} deploys per week", "count", 6, 20),
            ("Cut {area} lead time from merge to production (hours)", "h", 30, 6),
            ("Cut {area} median pull request review time (hours)", "h", 20, 6),
            ("Raise the share of {area} changes behind feature flags", "%", 35, 80)]),
        ("Make {area} fast", [
            ("Cut {area} p95 latency (ms)", "ms", 900, 350),
            ("Cut {area} cloud cost per customer", "$", 42, 30),
            ("Raise {area} cache hit rate", "%", 72, 92),
            ("Cut {area} build time (minutes)", "min", 24, 9)]),
        ("Pay down {area}'s technical debt", [
            ("Retire legacy {area} services", "count", 0, 6),
            ("Cut open {area} security findings", "count", 40, 10),
            ("Move {area} jobs to the new scheduler", "count", 0, 25)]),
    ],
    "Product": [
        ("Delight new customers from day one in {area}", [
            ("Cut {area} median time to first value (days)", "days", 14, 5),
            ("Lift {area} activation rate", "%", 38, 55),
            ("Raise {area} day-30 retention", "%", 41, 50),
            ("Cut {area} setup support tickets per week", "count", 60, 25)]),
        ("Know our customers better in {area}", [
            ("Run {area} customer interviews", "count", 0, 40),
            ("Ship {area} experiments", "count", 0, 12),
            ("Raise {area} survey response rate", "%", 9, 20)]),
        ("Make {area} effortless to use", [
            ("Raise {area} task success in usability tests", "%", 64, 85),
            ("Cut clicks to finish the main {area} flow", "count", 14, 7),
            ("Raise {area} in-app satisfaction score", "pts", 3.6, 4.3),
            ("Raise {area} weekly active accounts", "count", 1200, 1800)]),
        ("Turn {area} data into decisions", [
            ("Raise {area} features with usage tracking", "%", 45, 90),
            ("Cut {area} time to answer a product question (days)", "days", 6, 2),
            ("Retire unused {area} features", "count", 0, 5)]),
    ],
    "Sales": [
        ("Grow the pipeline {area} can close", [
            ("Build {area} qualified pipeline", "$", 0, 1_500_000),
            ("Raise {area} win rate", "%", 18, 26),
            ("Cut {area} sales cycle (days)", "days", 64, 45),
            ("Raise {area} average deal size", "$", 24_000, 31_000)]),
        ("Win the mid-market with {area}", [
            ("Sign new mid-market logos in {area}", "count", 0, 30),
            ("Raise {area} demo-to-trial conversion", "%", 32, 45),
            ("Raise {area} quota attainment", "%", 72, 95)]),
        ("Grow revenue with {area}'s existing customers", [
            ("Grow {area} net revenue retention", "%", 104, 112),
            ("Close {area} expansion deals", "count", 0, 25),
            ("Cut {area} discounting on renewals", "%", 14, 8)]),
        ("Open a new market with {area}", [
            ("Sign {area} first customers in the new market", "count", 0, 10),
            ("Recruit {area} reseller partners", "count", 0, 6),
            ("Build {area} new-market pipeline", "$", 0, 600_000)]),
    ],
    "Marketing": [
        ("Tell our story better through {area}", [
            ("Publish {area} customer stories", "count", 0, 12),
            ("Raise {area} share of voice", "%", 11, 18),
            ("Grow {area} newsletter subscribers", "count", 8_000, 14_000)]),
        ("Fill the funnel with {area}", [
            ("Grow {area} marketing-qualified leads", "count", 300, 520),
            ("Increase {area} trial-to-paid conversion", "%", 9, 14),
            ("Cut {area} cost per lead", "$", 180, 120),
            ("Raise {area} landing page conversion", "%", 2.1, 3.5)]),
        ("Build a brand people recommend with {area}", [
            ("Raise {area} brand awareness in target markets", "%", 14, 22),
            ("Earn {area} analyst and press mentions", "count", 0, 15),
            ("Raise {area} event attendance", "count", 400, 900)]),
        ("Take {area} into two new markets", [
            ("Localise {area} campaigns", "count", 0, 8),
            ("Grow {area} leads from new markets", "count", 0, 250),
            ("Raise {area} new-market website visits", "count", 2_000, 9_000)]),
    ],
    "Customer Success": [
        ("Make every customer successful with {area}", [
            ("Raise {area} NPS", "NPS", 31, 45),
            ("Cut {area} first response time (hours)", "h", 9, 2),
            ("Raise {area} first-contact resolution", "%", 58, 75),
            ("Cut {area} escalations per month", "count", 30, 12)]),
        ("Keep the customers {area} serves", [
            ("Cut {area} gross churn", "%", 2.4, 1.5),
            ("Run {area} quarterly business reviews", "count", 0, 40),
            ("Raise {area} health-score coverage", "%", 55, 95)]),
        ("Lower {area}'s cost to serve", [
            ("Raise {area} self-service resolution", "%", 22, 40),
            ("Cut {area} tickets per 100 customers", "count", 18, 11),
            ("Publish {area} help articles", "count", 0, 60)]),
        ("Turn {area}'s customers into advocates", [
            ("Recruit {area} customer references", "count", 5, 25),
            ("Raise {area} review site rating", "pts", 4.1, 4.6),
            ("Grow {area} community members", "count", 300, 1_200)]),
    ],
    "People": [
        ("Build a team people want to join with {area}", [
            ("Cut {area} time to hire (days)", "days", 52, 35),
            ("Raise {area} offer acceptance rate", "%", 71, 85),
            ("Raise {area} candidate experience score", "pts", 3.9, 4.5)]),
        ("Help everyone grow through {area}", [
            ("Raise {area} learning hours per person", "h", 6, 16),
            ("Run {area} mentoring pairs", "count", 0, 40),
            ("Raise {area} engagement score", "pts", 68, 76)]),
        ("Make {area} a place where people stay", [
            ("Cut {area} regretted attrition", "%", 9, 5),
            ("Raise {area} internal moves", "count", 4, 12),
            ("Raise {area} onboarding satisfaction", "pts", 3.8, 4.5)]),
        ("Help {area} lead well", [
            ("Train {area} new managers", "count", 0, 20),
            ("Raise {area} manager feedback score", "pts", 3.7, 4.3),
            ("Raise {area} regular one-to-one coverage", "%", 60, 95)]),
    ],
    "Finance": [
        ("Run {area} efficiently", [
            ("Cut {area} days to close the books", "days", 12, 6),
            ("Cut {area} days sales outstanding", "days", 48, 38),
            ("Automate {area} invoice runs", "%", 40, 90)]),
        ("Make {area} easy to buy from", [
            ("Cut {area} billing disputes per month", "count", 35, 12),
            ("Raise {area} online payment share", "%", 52, 75),
            ("Cut {area} failed payment rate", "%", 4.1, 2.0)]),
        ("Give leaders numbers they trust from {area}", [
            ("Cut {area} days to the monthly report", "days", 10, 4),
            ("Automate {area} revenue dashboards", "count", 0, 8),
            ("Cut {area} manual spreadsheet steps", "count", 45, 15)]),
        ("Plan spending with {area}", [
            ("Cut {area} forecast error", "%", 12, 5),
            ("Raise {area} budgets reviewed monthly", "%", 40, 100),
            ("Cut {area} unplanned spend", "$", 250_000, 100_000)]),
    ],
}  # fmt: skip
# committed OKRs hold a line (stay KRs) and ship something (binary KRs), in each department's words
GUARDRAILS = {
    "Engineering": ("Keep {area} uptime at or above 99.5 %", "Keep {area} open bugs at or below 50",
                    "Launch {area}'s new deploy pipeline"),
    "Product": ("Keep {area} crash-free sessions at or above 99.5 %",
                "Keep {area} open UX issues at or below 50", "Launch {area}'s redesigned setup"),
    "Sales": ("Keep {area} CRM data completeness at or above 99.5 %",
              "Keep {area} stale opportunities at or below 50", "Launch {area}'s new pricing"),
    "Marketing": ("Keep {area} site availability at or above 99.5 %",
                  "Keep {area} unanswered leads at or below 50", "Launch {area}'s new website"),
    "Customer Success": ("Keep {area} SLA compliance at or above 99.5 %",
                         "Keep {area} support backlog at or below 50",
                         "Launch {area}'s customer community"),
    "People": ("Keep {area} payroll accuracy at or above 99.5 %",
               "Keep {area} open requisitions at or below 50", "Launch {area}'s career framework"),
    "Finance": ("Keep {area} invoice accuracy at or above 99.5 %",
                "Keep {area} unreconciled items at or below 50", "Launch {area}'s new billing system"),
}  # fmt: skip
N_DRAWS = 14  # a KR's template draw (kept so the seeded numbers stay what they were)
COMMENTS = {
    "on_track": ["Steady week, on plan.", "Shipped the next milestone.", "Good momentum.",
                 "Numbers moving as expected.", "Experiment results look promising."],
    "at_risk": ["Slower than planned; re-planning.", "Waiting on a dependency.",
                "Two people out this week."],
    "off_track": ["Blocked, need help.", "Scope turned out bigger than thought.",
                  "No movement this week."],
}  # fmt: skip
# How OKRs spread: a pilot in Engineering and Product, three more departments next quarter, then
# everyone (a team seeded with a behaviour has OKRs from the start: its history is part of it).
ADOPTED = {
    "2026-Q2": {"Engineering", "Product"},
    "2026-Q3": {"Engineering", "Product", "Sales", "Marketing", "Customer Success"},
    "2026-Q4": set(DEPARTMENTS),
}
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


def _words(template: str, area: str) -> str:
    """A goal in a team's words: ``{area}`` filled in, ``Payments's`` written ``Payments'``."""
    return template.format(area=area).replace("s's ", "s' ")


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
    pool = GOALS[obj["department"]][obj["goal"]][1]
    above, below, launch = GUARDRAILS[obj["department"]]
    first, used = 0, 0  # the objective's first template, and how many of its pool are used
    for j in range(n):
        draw = int(rng.integers(N_DRAWS))
        first = draw if j == 0 else first
        title, unit, start, target = pool[(first + used) % len(pool)]
        metric = types[j % len(types)]
        if metric in ("increase", "decrease"):
            if used >= len(pool):  # an overloaded objective: more KRs than it has measures
                title = f"{title} (phase {used // len(pool) + 1})"
            elif obj["objective"].endswith(", part 2"):
                title = f"{title} (part 2)"
            used += 1
            metric = "decrease" if target < start else "increase"
        if metric == "binary":
            title, unit, start, target = launch, "", 0, 1
        elif metric in ("stay_above", "stay_below"):
            title, unit = (above, "%") if metric == "stay_above" else (below, "count")
            start, target = (99.7, 99.5) if metric == "stay_above" else (35, 50)
        elif profile == EARLY_HIT and extra.get("safe"):
            start, target = 100, 100 + int(rng.integers(4, 9))  # within 10 % of start
        company.krs.append({
            "objective_id": obj["objective_id"], "kr_id": f"{obj['objective_id']}-KR{j + 1}",
            "key_result": _words(title, obj["area"]), "kr_owner": obj["objective_owner"],
            "metric_type": metric,
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
    offset: int = 0,
) -> dict[str, Any]:
    goals = GOALS.get(dept, [("", [])])
    goal = (n - 1 + offset) % len(goals)  # teams of a department start at different goals
    area = dept if level == "department" else team
    obj = {
        "objective_id": f"O-{quarter.replace('-', '')}-{slug(team)}-{n}",
        "objective": _words(goals[goal][0], area)
        + ("" if n <= len(goals) else ", part 2"),  # an overloaded team repeats itself
        "goal": goal, "area": area,
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
        if dept not in ADOPTED[quarter]:  # not using OKRs yet: its teams align to the company
            dept_objs[dept] = [company[(di + 1) % len(company)], company[(di + 2) % len(company)]]
            continue
        for n in (1, 2):
            obj = _objective(c, quarter, f"{dept} Leadership", dept, n,
                             company[(di + n) % len(company)], "department", "aspirational",
                             "top_down", PEOPLE[(di + 1) % len(PEOPLE)], qi)  # fmt: skip
            dept_objs[dept].append(obj["objective_id"])
            _kr(rng, c, obj, 2, HEALTHY, quarter)
    current = qi == len(QUARTERS) - 1
    for ti, (team, dept) in enumerate(pairs):
        role = role_of.get(team)
        if role == "no_okrs" and current:
            continue
        if dept not in ADOPTED[quarter] and role is None:  # seeded teams keep their history
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
                             "top_down" if n == 3 else "bottom_up", owner, ti + qi)  # fmt: skip
            n_kr = 7 if role == "overload" and current and n == 1 else int(rng.integers(3, 6))
            if (
                not committed or role == "committed_early"
            ) and n_kr < 7:  # no more measures than it has
                n_kr = min(n_kr, len(GOALS[dept][obj["goal"]][1]))
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
    objectives = pd.DataFrame(c.objectives).drop(columns=["goal", "area"])
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
        _floats_as_text(frame).to_csv(out / f"{name}.csv", index=False)
        counts[name] = len(frame)
    return counts


def _floats_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its float columns written as ``to_csv(float_format="%.10g")`` writes them
    (a missing value empty), formatted here in one pass per column: pandas formats each value
    through a Python call of its own (about two thirds of generating 2,000 teams)."""
    floats = frame.select_dtypes("float").columns
    if floats.empty:
        return frame
    text = {}
    for col in floats:
        values = frame[col].to_numpy(dtype="float64", na_value=np.nan)
        text[col] = np.array(["" if v != v else f"{v:.10g}" for v in values.tolist()], object)
    return frame.assign(**text)


_DEFAULT = seeded()
SEEDED: dict[str, list[str]] = {k: v for k, v in _DEFAULT.items() if k != "committed_early"}
COMMITTED_EARLY: list[str] = _DEFAULT["committed_early"]
