"""Intake: one returned workbook in, one Return (and the problems found) out.

openpyxl objects stay inside this package; what leaves it is pipeline.records. openpyxl
itself is loaded only when a workbook is read (pipeline/lazy.py), so a rebuild that finds
every return in the cache never pays for it.
"""

from __future__ import annotations

from pipeline.intake.files import find_returns
from pipeline.intake.reader import read_return

__all__ = ["find_returns", "read_return"]
