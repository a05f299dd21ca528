"""papers' own imports checked against the house's seams: layers, no circle, imports at the top, outside libraries loaded in one place and used where they belong.

Reads every module of the ``pipeline`` package with ``ast`` (running none of them) and
prints each finding; exits 1 if there is any. ``make imports`` runs it, and so does the
test suite (tests/test_imports.py).

- **Layers**: the package's parts stand in floors (:data:`LAYERS`); a module imports its
  own floor and those below, never one above: the records and the machinery know nothing
  of a round or a meeting, a round nothing of a meeting, and only the command line
  imports the command line.
- **Circles**: module A imports B, which (through others) imports A. Every import counts,
  at the top or inside a function, since either is a dependency.
- **Imports inside functions**: only in ``pipeline/lazy.py``, the one place an import
  waits, and only of outside libraries (never a papers module), at most
  :data:`MAX_DEFERRED` of them. A library it defers is imported at no module's top.
- **Sealed libraries**: each of lazy.py's loaders is called only where its library
  belongs (:data:`SEALED`): pikepdf only inside ``pipeline/pdf/``, WeasyPrint only in
  ``render/layout.py``, and so on.
- **The pdf package's surface**: a module outside ``pipeline/pdf/`` imports
  ``pipeline.pdf`` itself, never one of its modules.

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
PDF = "pipeline.pdf"
MAX_DEFERRED = 12
LAYERS = (
    ("lazy", "vocabulary", "filenames", "text", "records"),  # what every stage uses
    ("machinery", "settings", "prose", "intake", "pdf", "mail"),  # machinery, readers, PDF surgery, mail
    ("render",),  # a round presented: Word, HTML, PDF
    ("build", "parts", "publication"),  # a paper built; the folder to publish
    ("round",),  # the officer's round
    ("meeting",),  # the clerk's meeting
    ("cli", "__main__"),  # the command line
)
"""The floors of the house, lowest first: each entry a top-level module or package of pipeline."""
SEALED = {
    "pikepdf": ("pipeline.pdf",),
    "weasyprint": ("pipeline.render.layout",),
    "word": ("pipeline.render.word",),
    "openpyxl": ("pipeline.intake", "pipeline.round.forms"),
    "calamine": ("pipeline.intake",),
    "smtp": ("pipeline.mail.smtp",),
}
"""Each of lazy.py's loaders, and the modules (or packages) that alone may call it."""


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


def imports(name: str, tree: ast.AST, known: dict[str, Path]) -> list[Import]:
    """The imports of module ``name``: to modules of the package by the module they load, to
    anything else by the name imported."""
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


def lazy_calls(tree: ast.AST) -> list[tuple[str, int]]:
    """Each ``lazy.<loader>`` a module names, with its line."""
    return [(node.attr, node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "lazy"]


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


def floor(module: str) -> int | None:
    """The floor of ``module`` (a dotted name in the package), or None if it is on none."""
    part = module.split(".")[1] if "." in module else ""
    return next((number for number, names in enumerate(LAYERS) if part in names), None)


def within(module: str, places: tuple[str, ...]) -> bool:
    return any(module == place or module.startswith(place + ".") for place in places)


def findings(root: Path = ROOT) -> list[str]:
    """Every finding, as a line to print: empty when the package keeps its rules."""
    known = modules(root)
    trees = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in known.items()}
    every = [found for name, tree in trees.items() for found in imports(name, tree, known)]
    graph: dict[str, set[str]] = {name: set() for name in known}
    for found in every:
        if found.target in known:
            graph[found.source].add(found.target)
    out = [f"circle: {' → '.join(group + group[:1])}" for group in circles(graph)]
    deferred = {found.target.split(".")[0] for found in every if found.nested and found.source == LAZY}
    nested_in_lazy = [found for found in every if found.nested and found.source == LAZY]
    if len({found.line for found in nested_in_lazy}) > MAX_DEFERRED:
        out.append(f"pipeline/lazy.py defers {len({f.line for f in nested_in_lazy})} imports (at most {MAX_DEFERRED})")
    for found in every:
        where = f"{known[found.source].relative_to(root)}:{found.line}"
        ours = found.target == PACKAGE or found.target.startswith(PACKAGE + ".")
        if found.nested and found.source != LAZY:
            out.append(f"{where}: imports {found.target} inside a function (defer it in pipeline/lazy.py, with its reason)")
        if found.nested and found.source == LAZY and ours:
            out.append(f"{where}: lazy.py loads {found.target}, a papers module (it loads outside libraries alone)")
        if not found.nested and found.target.split(".")[0] in deferred:
            out.append(f"{where}: imports {found.target} at the top (lazy.py defers it: ask lazy for it when needed)")
        inside_pdf = within(found.source, (PDF,))
        if found.target.startswith(PDF + ".") and not inside_pdf:
            out.append(f"{where}: imports {found.target} (outside the pdf package, import pipeline.pdf)")
        if ours and found.target in known:
            source, target = floor(found.source), floor(found.target)
            if source is not None and target is not None and target > source:
                out.append(f"{where}: imports {found.target}, a floor above it "
                           f"({'/'.join(LAYERS[target])} over {'/'.join(LAYERS[source])})")
    for name, tree in trees.items():
        for loader, line in lazy_calls(tree):
            if loader in SEALED and not within(name, SEALED[loader]):
                out.append(f"{known[name].relative_to(root)}:{line}: uses lazy.{loader} "
                           f"(only {', '.join(SEALED[loader])} may)")
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
