"""papers' own imports checked: no circle, imports at the top, pikepdf and the pdf package's insides sealed.

Reads every module of the ``pipeline`` package with ``ast`` (running none of them) and
prints each finding; exits 1 if there is any. ``make imports`` runs it, and so does the
test suite (tests/test_imports.py).

- **Circles**: module A imports B, which (through others) imports A. Every import counts,
  at the top or inside a function, since either is a dependency.
- **Imports inside functions**: only in ``pipeline/lazy.py``, the one place an import
  waits (each with its reason).
- **pikepdf** is imported by ``pipeline/pdf/_pikepdf.py`` alone (with Ctrl-C held back).
- **The pdf package's surface**: a module outside ``pipeline/pdf/`` imports ``pipeline.pdf``
  itself, never one of its modules.

Usage: python scripts/imports.py
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "pipeline"
LAZY = "pipeline.lazy"
PIKEPDF_HOME = "pipeline.pdf._pikepdf"
PDF = "pipeline.pdf"


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is, and whether it is inside a function."""

    source: str
    target: str
    line: int
    nested: bool


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> list[Import]:
    """The imports of module ``name``: to modules of the package by the module they load, to
    anything else by the name imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[Import] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend(Import(name, alias.name, child.lineno, nested) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                for alias in child.names:
                    whole = f"{child.module}.{alias.name}"
                    found.append(Import(name, whole if whole in known else child.module, child.lineno, nested))
            visit(child, inner)

    visit(tree, False)
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm), and any
    module that imports itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def findings(root: Path = ROOT) -> list[str]:
    """Every finding, as a line to print: empty when the package keeps its rules."""
    known = modules(root)
    every = [found for name, path in known.items() for found in imports(name, path, known)]
    graph: dict[str, set[str]] = {name: set() for name in known}
    for found in every:
        if found.target in known:
            graph[found.source].add(found.target)
    out = [f"circle: {' → '.join(group + group[:1])}" for group in circles(graph)]
    for found in every:
        where = f"{known[found.source].relative_to(root)}:{found.line}"
        if found.nested and found.source != LAZY:
            out.append(f"{where}: imports {found.target} inside a function (defer it in pipeline/lazy.py, with its reason)")
        if found.target.split(".")[0] == "pikepdf" and found.source != PIKEPDF_HOME:
            out.append(f"{where}: imports pikepdf (only pipeline/pdf/_pikepdf.py does)")
        inside_pdf = found.source == PDF or found.source.startswith(PDF + ".")
        if found.target.startswith(PDF + ".") and not inside_pdf:
            out.append(f"{where}: imports {found.target} (outside the pdf package, import pipeline.pdf)")
    return list(dict.fromkeys(out))  # one line for ``from x import a, b``


def main() -> int:
    lines = findings()
    for line in lines:
        print(line)
    known = modules()
    print(f"{len(known)} modules read: " + ("no circle, every rule kept." if not lines else f"{len(lines)} finding(s)."))
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
