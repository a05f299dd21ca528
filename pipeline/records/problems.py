"""What went wrong with an input, and where: a Problem names the file, sheet and cell, and says what to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Source:
    """The place in an input a value was read from: file, and sheet and cell when known."""

    file: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.cell:
            where += f" {self.cell}"
        return where


class Severity(str, Enum):
    """How much a problem matters: an error costs a return; a warning is only reported."""

    ERROR = "error"
    WARNING = "warning"


WHO = "\x00partnership\x00"
"""Stands for the partnership in a problem's advice until collate knows its name."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, said so an officer can act on it.

    ``advice`` names the partnership as ``WHO`` where intake could not yet know its name;
    :meth:`addressed` puts the name in.
    """

    severity: Severity
    source: Source
    message: str
    advice: str = ""

    def addressed(self, name: str) -> Problem:
        """This problem with ``name`` in its advice wherever the partnership is meant."""
        if WHO not in self.advice and WHO not in self.message:
            return self
        return Problem(self.severity, self.source, self.message.replace(WHO, name), self.advice.replace(WHO, name))

    def __str__(self) -> str:
        text = f"{self.source}: {self.message}"
        return f"{text} — {self.advice}" if self.advice else text
