"""The sample round's returns as typed text (returns.txt): read, and written out as workbooks.

Run as a script (``make sample-inputs``) to rewrite the sample round's workbooks in inputs/.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.records.rich_text import Run
from pipeline.round.config import load_paper
from pipeline.round.forms import write_form
from pipeline.vocabulary import label_key

HERE = Path(__file__).resolve().parent
RETURNS = HERE / "returns.txt"

_INLINE = re.compile(r"(\*\*.+?\*\*|__.+?__|\*.+?\*)")


@dataclass
class SampleReturn:
    """One partnership's return as typed: header fields by label, answers as typed text."""

    file: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    answers: dict[int, list[str]] = field(default_factory=dict)

    def answer_text(self, index: int) -> str:
        return "\n".join(self.answers.get(index, []))


def read_sample(path: Path = RETURNS) -> list[SampleReturn]:
    returns: list[SampleReturn] = []
    question: int | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or (not line.strip() and question is None):
            continue
        if line.startswith("=== "):
            returns.append(SampleReturn(line[4:].strip()))
            question = None
        elif line.startswith("--- "):
            question = int(line[4:]) - 1
            returns[-1].answers[question] = []
        elif question is not None:
            if line.strip():
                returns[-1].answers[question].append(line)
        else:
            label, value = line.split(":", 1)
            returns[-1].fields.append((label.strip(), value.strip()))
    return returns


def segments(text: str):
    """Inline **bold**, *italic* and __underline__ as rich-text segments."""
    out = []
    for piece in _INLINE.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            out.append(Run(piece[2:-2], bold=True))
        elif piece.startswith("__") and piece.endswith("__") and len(piece) > 4:
            out.append(Run(piece[2:-2], underline=True))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            out.append(Run(piece[1:-1], italic=True))
        else:
            out.append(Run(piece))
    return out


def plain(text: str) -> str:
    """The typed text without its inline markup."""
    return "".join(s.text for s in segments(text))


def write_inputs(inputs: Path, sample: list[SampleReturn] | None = None) -> list[Path]:
    """Write each sample return as the workbook its partnership sent back."""

    paper, *_ = load_paper(inputs)
    written = []
    for ret in sample if sample is not None else read_sample():
        values, labels = {}, {}
        for label, value in ret.fields:
            key = label_key(label)
            values[key], labels[key] = value, label
        answers = [segments(ret.answer_text(i)) for i in range(len(paper.questions))]
        path = inputs / ret.file
        write_form(path, paper, values=values, answers=answers, labels=labels)
        written.append(path)
    return written


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    for written in write_inputs(target, read_sample(source)):
        print(f"wrote {written}")
