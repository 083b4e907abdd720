"""The house reads one way: no package imports from a package that imports it back (docs/architecture.md).

Every import counts, at the top of a module or inside a function, and those only for type checking too:
a lazy import hides a cycle from Python's start, not from the person reading the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "samizdat"


def unit_of(module: str) -> str | None:
    """samizdat.build.writer → "build"; samizdat.config → "config"; other libraries → None."""
    parts = module.split(".")
    if parts[0] != "samizdat" or len(parts) < 2:
        return None
    unit = parts[1]  # `from samizdat import __version__` names a value of the root, not a module
    return unit if (PACKAGE / unit).is_dir() or (PACKAGE / f"{unit}.py").is_file() else None


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """Every samizdat module the file names in an import, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[:len(package) - node.level + 1], *([base] if base else [])])
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = unit_of(module_name(path))
        if source is None:
            continue
        targets = {unit_of(name) for name in imported(path)}
        graph.setdefault(source, set()).update(t for t in targets if t is not None and t != source)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one package (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_package_imports_one_that_imports_it_back() -> None:
    graph = package_graph()
    assert {"build", "publish", "outputs", "content", "serve"} <= graph.keys()  # the walk found the code
    found = cycles(graph)
    assert not found, f"packages that import each other: {found}"


@pytest.mark.parametrize(("graph", "expected"), [
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(graph) == expected


def test_imports_are_read_from_functions_and_relative_forms(tmp_path: Path) -> None:
    sample = PACKAGE / "build" / "command.py"  # imports its pipeline inside a function, on purpose
    names = imported(sample)
    assert "samizdat.build.pipeline" in names and "samizdat.build.writer" in names
