"""The packages import in one direction: no import circle between packages (or top-level modules) of digest.

Why a test: a circle is how a leaf module (the record format, the language tools) starts to drag the executors
or the facade along, and how an import order bug appears only in the one process that imports things late.
"""

from __future__ import annotations

import ast
from pathlib import Path

import digest

ROOT = Path(digest.__file__).parent


def _unit(module: str) -> str:
    """`digest.run.batch` -> `run`; `digest.config` -> `config`: the packages and top-level modules."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    """Every digest module `path` imports, anywhere in the file (lazy and TYPE_CHECKING imports count too)."""
    relative = path.relative_to(ROOT.parent).with_suffix("").parts
    package = list(relative if path.name == "__init__.py" else relative[:-1])
    if path.name == "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module or ""
            found |= {target} if node.module else {f"{target}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name == "digest" or name.startswith("digest.")}


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        source = _unit(module)
        targets = {_unit(name) for name in _imports(path)} - {source, "__init__"}
        graph.setdefault(source, set()).update(targets)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_no_import_circle_between_packages() -> None:
    graph = _graph()
    assert {"run", "output", "inputs", "nlp", "engines"} <= set(graph)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
