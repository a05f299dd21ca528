"""papers' own imports (scripts/imports.py, ``make imports``): the floors kept, no circle, imports at
the top but lazy.py's (outside libraries alone, a dozen at most), each library used where it
belongs, the pdf package's insides sealed; and the checker's controls."""

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


LAZY = "def pikepdf():\n    import pikepdf\n    return pikepdf\n"


@pytest.mark.parametrize("files, expected", [
    ({"__init__.py": "", "a.py": "from pipeline import b\n", "b.py": "from pipeline.c import x\n",
      "c.py": "def f():\n    from pipeline.a import y\n"},
     "circle: pipeline.a → pipeline.b → pipeline.c → pipeline.a"),
    ({"__init__.py": "", "a.py": "def f():\n    import json\n"},
     "pipeline/a.py:2: imports json inside a function"),
    ({"__init__.py": "", "lazy.py": LAZY, "a.py": "import pikepdf\n"},
     "pipeline/a.py:1: imports pikepdf at the top (lazy.py defers it"),
    ({"__init__.py": "", "lazy.py": "def layout():\n    from pipeline.render import layout\n    return layout\n",
      "render/__init__.py": "", "render/layout.py": ""},
     "pipeline/lazy.py:2: lazy.py loads pipeline.render.layout, a papers module"),
    ({"__init__.py": "", "lazy.py": "".join(f"def l{n}():\n    import m{n}\n" for n in range(13))},
     "pipeline/lazy.py defers 13 imports (at most 12)"),
    ({"__init__.py": "", "lazy.py": LAZY, "render/__init__.py": "", "render/a.py": "from pipeline import lazy\nlazy.pikepdf()\n"},
     "pipeline/render/a.py:2: uses lazy.pikepdf (only pipeline.pdf may)"),
    ({"__init__.py": "", "records/__init__.py": "", "records/a.py": "from pipeline.meeting import b\n",
      "meeting/__init__.py": "", "meeting/b.py": ""},
     "pipeline/records/a.py:1: imports pipeline.meeting.b, a floor above it"),
    ({"__init__.py": "", "round/__init__.py": "", "round/a.py": "from pipeline.meeting.b import c\n",
      "meeting/__init__.py": "", "meeting/b.py": ""},
     "pipeline/round/a.py:1: imports pipeline.meeting.b, a floor above it"),
    ({"__init__.py": "", "pdf/__init__.py": "", "pdf/tree.py": "", "a.py": "from pipeline.pdf.tree import kids\n"},
     "pipeline/a.py:1: imports pipeline.pdf.tree (outside the pdf package, import pipeline.pdf)"),
])
def test_the_checker_finds_each_kind_of_breach(tmp_path, files, expected):
    found = imports.findings(_package(tmp_path, files))
    assert any(line.startswith(expected) for line in found), found


def test_the_checker_allows_what_the_rules_allow(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "", "lazy.py": LAZY, "pdf/__init__.py": "from pipeline.pdf.tree import kids\n",
        "pdf/tree.py": "from pipeline.pdf import _pikepdf\n",
        "pdf/_pikepdf.py": "from pipeline import lazy\ndef get():\n    return lazy.pikepdf()\n",
        "meeting/__init__.py": "", "meeting/a.py": "from pipeline import lazy, pdf\nfrom pipeline.round import b\n",
        "round/__init__.py": "", "round/b.py": "from pipeline.records import c\n",
        "records/__init__.py": "", "records/c.py": "",
    })
    assert imports.findings(root) == []
