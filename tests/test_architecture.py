"""The shape of the code: no import circle inside ``okrdata``.

Every ``import`` and ``from … import`` in a module counts, wherever it stands: at the top, inside
a function, under ``if TYPE_CHECKING``. A function-level import only postpones a circle to run
time; a type-only one still ties two modules' meanings together. A package's ``__init__`` is the
package itself; importing a submodule is not counted as importing its parent package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path("okrdata")


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file of every module under ``root`` (a package: ``a/__init__.py`` is ``a``)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ``known`` that the module ``name`` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # ``from pkg import mod`` imports the module ``pkg.mod`` (its package only on the
            # way, like any submodule's); ``from mod import name`` imports ``mod``
            subs = [f"{module}.{alias.name}" for alias in node.names]
            targets = [s if s in known else module for s in subs]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def graph(root: Path) -> dict[str, set[str]]:
    """Who imports whom among the modules under ``root``."""
    known = module_names(root)
    return {name: imported(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One import circle per strongly connected group of modules (Tarjan), each as a path that
    starts and ends on the same module; empty when the imports run one way."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return [_circle(group, edges) for group in groups]


def _circle(group: list[str], edges: dict[str, set[str]]) -> list[str]:
    """A path from the group's first module back to itself, inside the group (breadth first)."""
    start, members = group[0], set(group)
    came: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(edges[v] & members):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(came[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if w not in came:
                    came[w] = v
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no circle through {start}")  # a strongly connected group has one


def test_no_module_of_okrdata_imports_itself_back_through_others():
    circles = cycles(graph(PACKAGE))
    assert circles == [], "import circles in okrdata: " + "; ".join(" -> ".join(c) for c in circles)


def test_the_walk_sees_every_module_and_the_imports_hidden_in_functions():
    edges = graph(PACKAGE)
    assert {"okrdata.cli", "okrdata.sources", "okrdata.sources.viva"} <= set(edges)
    assert "okrdata.store" in edges["okrdata.cli"]  # top-level ``from okrdata.store import``
    assert "okrdata.sources._shared" in edges["okrdata.sources.viva"]


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


@pytest.mark.parametrize(
    "files, expected",
    [
        (  # the circle hides in a function: an import postponed is still an import
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "from pkg import b\n",
                "pkg/b.py": "def f():\n    from pkg.a import x\n",
            },
            [["pkg.a", "pkg.b", "pkg.a"]],
        ),
        (  # type-only, relative, and three modules long
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n",
                "pkg/b.py": "import pkg.c\n",
                "pkg/c.py": "from . import a\n",
            },
            [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]],
        ),
        (  # one way only: no circle; a submodule importing its package's helper is fine
            {
                "pkg/__init__.py": "from pkg import a\n",
                "pkg/a.py": "from pkg import b\nimport os\n",
                "pkg/b.py": "import json\n",
            },
            [],
        ),
    ],
    ids=["function-level", "type-only-relative", "one-way"],
)
def test_the_cycle_check_finds_exactly_the_circles_of_a_small_package(tmp_path, files, expected):
    assert cycles(graph(_write(tmp_path, files))) == expected


def _layout() -> str:
    readme = Path("README.md").read_text(encoding="utf-8")
    return readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_layout_names_every_module_on_a_line_of_its_own():
    layout = _layout()
    lines = layout.splitlines()
    missing = []
    for path in sorted([*PACKAGE.rglob("*.py"), *Path("pages").glob("*.py")]):
        if path.name == "__init__.py" and path.parent == PACKAGE:
            continue
        if path.parent == PACKAGE or path.parent.name == "pages":
            # its own line: `okrdata/x.py` or, for pages, `x.py` in the pages' lines
            name = path.as_posix() if path.parent == PACKAGE else path.name
            if not any(f"`{name}`" in ln or f"`pages/{path.name}`" in ln for ln in lines):
                missing.append(path.as_posix())
        else:  # a subpackage's module: named on the subpackage's line
            line = next((ln for ln in lines if f"`okrdata/{path.parent.name}/`" in ln), "")
            if f"`{path.stem}`" not in line:
                missing.append(path.as_posix())
    assert missing == [], "README's Layout does not name: " + ", ".join(missing)


# A module without a test file of its own (tests/test_<module>.py) is tested where its work is
# seen; these are the files, each of which must use the module by name.
TESTED_IN = {
    "okrdata/__main__.py": ["test_cli.py"],
    "okrdata/columns.py": ["test_ingest.py", "test_sources.py"],
    "okrdata/config.py": ["test_asof.py", "test_filterbar.py"],
    "okrdata/display.py": ["test_ingest.py"],
    "okrdata/export.py": ["test_app.py", "test_security.py"],
    "okrdata/progress.py": ["test_rules.py", "test_consistency.py"],
    "okrdata/fiscal.py": ["test_calendar.py", "test_periods.py", "test_questions.py"],
    "okrdata/health.py": ["test_metrics.py", "test_in_progress.py"],
    "okrdata/model.py": ["test_ingest.py", "test_consistency.py"],
    "okrdata/readers.py": ["test_ingest.py", "test_ledger.py"],
    "okrdata/snapshot.py": ["test_metrics.py", "test_asof.py", "test_consistency.py"],
    "okrdata/staging.py": ["test_macros.py", "test_ledger.py", "test_sources.py"],
    "okrdata/validation_report.py": ["test_security.py"],
    "okrdata/sources/_shared.py": ["test_formats.py", "test_sources.py"],
    "okrdata/sources/_sql.py": ["test_sources.py"],
    "okrdata/sources/board.py": ["test_sources_board.py"],
    "okrdata/sources/canonical.py": ["test_sources.py", "test_formats.py"],
    "okrdata/sources/database.py": ["test_sources_database.py"],
    "okrdata/sources/goals_long.py": ["test_sources_sheets.py"],
    "okrdata/sources/goals_wide.py": ["test_sources_sheets.py"],
    "okrdata/sources/joined_view.py": ["test_sources_database.py"],
    "okrdata/sources/levels.py": ["test_sources_tools.py"],
    "okrdata/sources/typed_rows.py": ["test_sources_tools.py"],
    "okrdata/sources/viva.py": ["test_sources_viva.py"],
    "okrdata/sources/work_items.py": ["test_sources_sheets.py", "test_reconcile.py"],
    "okrdata/views/base.py": ["test_one_truth.py", "test_consistency.py"],
    "okrdata/views/alignment.py": ["test_one_truth.py", "test_app.py"],
    "okrdata/views/coach.py": ["test_one_truth.py", "test_conversations.py"],
    "okrdata/views/overview.py": ["test_one_truth.py", "test_consistency.py"],
    "okrdata/views/trends.py": ["test_in_progress.py", "test_one_truth.py"],
}


def test_every_module_has_its_test_file_or_names_where_it_is_tested():
    """The README's promise: tests mirror the modules."""
    tests = Path("tests")
    lost, unused = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        key = path.as_posix()
        if path.name == "__init__.py" or (tests / f"test_{path.stem}.py").exists():
            continue
        if key not in TESTED_IN:
            lost.append(key)
            continue
        name = "views" if path.parent.name == "views" else path.stem.lstrip("_")
        name = "main" if path.stem == "__main__" else name
        for file in TESTED_IN[key]:
            text = (tests / file).read_text(encoding="utf-8") if (tests / file).exists() else ""
            if name not in text:
                unused.append(f"{file} for {key}")
    assert lost == [], "no test file of their own and none named in TESTED_IN: " + ", ".join(lost)
    assert unused == [], "named in TESTED_IN but not used there: " + ", ".join(unused)


def test_the_modules_timed_for_the_order_of_the_run_exist():
    """A renamed or deleted module must leave ``SECONDS`` too, or the order it keeps (the
    longest start first, so no worker ends the run alone) silently decays."""
    from tests.conftest import SECONDS

    assert [m for m in SECONDS if not Path(f"tests/{m}.py").exists()] == []
