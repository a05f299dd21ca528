"""Intake: one returned workbook in, one Return (and the problems found) out.

openpyxl objects stay inside this package; what leaves it is pipeline.model records.
openpyxl itself is loaded only when a workbook is read (pipeline/lazy.py), so a rebuild
that finds every return in the cache never pays for it.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import lazy
from pipeline.intake.files import find_returns
from pipeline.model import Problem, Return

__all__ = ["find_returns", "read_return"]


def read_return(path: Path, questions: tuple[str, ...]) -> tuple[Return | None, list[Problem]]:
    """The return in the workbook at ``path``, and every problem found reading it."""
    return lazy.reader().read_return(path, questions)
