"""papers' own imports (scripts/imports.py, ``make imports``): no circle, imports at the top but
in pipeline/lazy.py, pikepdf and the pdf package's insides sealed; and the checker's controls."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import imports  # noqa: E402 — scripts/ is not a package


def test_papers_keeps_every_rule():
    assert imports.findings() == []


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pipeline" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.mark.parametrize("files, expected", [
    ({"__init__.py": "", "a.py": "from pipeline import b\n", "b.py": "from pipeline.c import x\n",
      "c.py": "def f():\n    from pipeline.a import y\n"},
     "circle: pipeline.a → pipeline.b → pipeline.c → pipeline.a"),
    ({"__init__.py": "", "a.py": "def f():\n    import json\n"},
     "pipeline/a.py:2: imports json inside a function"),
    ({"__init__.py": "", "a.py": "import pikepdf\n"},
     "pipeline/a.py:1: imports pikepdf (only pipeline/pdf/_pikepdf.py does)"),
    ({"__init__.py": "", "pdf/__init__.py": "", "pdf/tree.py": "", "a.py": "from pipeline.pdf.tree import kids\n"},
     "pipeline/a.py:1: imports pipeline.pdf.tree (outside the pdf package, import pipeline.pdf)"),
])
def test_the_checker_finds_each_kind_of_breach(tmp_path, files, expected):
    found = imports.findings(_package(tmp_path, files))
    assert any(line.startswith(expected) for line in found), found


def test_the_checker_allows_what_the_rules_allow(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "", "lazy.py": "def layout():\n    from pipeline import layout\n    return layout\n",
        "layout.py": "import json\n", "pdf/__init__.py": "from pipeline.pdf.tree import kids\n",
        "pdf/tree.py": "from pipeline.pdf._pikepdf import Array\n", "pdf/_pikepdf.py": "import pikepdf\n",
        "a.py": "from pipeline import lazy, pdf\n",
    })
    assert imports.findings(root) == []
