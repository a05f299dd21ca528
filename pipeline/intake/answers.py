"""An answer as officers type it (bullets, numbering, indents, bold) turned into blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from pipeline.records.rich_text import Block, BlockKind, Delimiter, NumberFormat, Run

MAX_LEVEL = 2  # three levels: Word's List Bullet, List Bullet 2, List Bullet 3

# Bullet glyphs in two kinds. Officers mix the first-level ones freely (• then - then *),
# so at one indent they are siblings; a sub-point glyph (○ under •) nests, even without
# indentation. The private-use ones are Word's Symbol and Wingdings bullets pasted in.
FIRST_LEVEL = "first"
SUB_POINT = "sub"
BULLET_GLYPHS = {
    **dict.fromkeys(
        ["•", "●", "·", "\uf0b7", "▪", "■", "\uf0a7", "►", "▶", "➢", "\uf0d8", "-", "—", "*", "✓", "✔"], FIRST_LEVEL
    ),
    **dict.fromkeys(["○", "◦", "o", "\uf06f", "–"], SUB_POINT),
}
# These also start ordinary words or numbers, so they are bullets only before a space.
_NEEDS_SPACE = {"o", "-", "*", "·"}

_NUMBER = re.compile(r"(?P<open>\()?(?P<label>\d{1,3}|[A-Za-z]|[ivxlcdmIVXLCDM]{1,6})(?P<close>[.)])\s+")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")

TAB_WIDTH = 4


@dataclass(frozen=True)
class _Marker:
    kind: str  # glyph group, or a NumberFormat value for numbering
    number: int | None
    format: NumberFormat | None
    label: str
    delimiter: Delimiter | None = None


def _lines(segments: Iterable[Run]) -> list[list[Run]]:
    """Split formatted text at line breaks, keeping each piece's formats."""
    lines: list[list[Run]] = [[]]
    for seg in segments:
        for i, piece in enumerate(seg.text.split("\n")):
            if i:
                lines.append([])
            if piece:
                lines[-1].append(Run(piece, seg.bold, seg.italic, seg.underline))
    return lines


def _strip_prefix(runs: list[Run], count: int) -> list[Run]:
    """The runs with their first ``count`` characters removed."""
    out = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(Run(run.text[count:], run.bold, run.italic, run.underline) if count else run)
        count = 0
    return out


def _tidy(runs: list[Run]) -> tuple[Run, ...]:
    """Runs with trailing space trimmed and neighbours of the same format merged."""
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].underline) == (
            run.bold, run.italic, run.underline
        ):
            last = merged.pop()
            run = Run(last.text + run.text, run.bold, run.italic, run.underline)
        merged.append(run)
    while merged and not merged[-1].text.rstrip():
        merged.pop()
    if merged:
        last = merged[-1]
        merged[-1] = Run(last.text.rstrip(), last.bold, last.italic, last.underline)
    return tuple(merged)


def _roman_value(label: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total, prev = 0, 0
    for ch in reversed(label.lower()):
        value = values[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def _marker(text: str, continuing: NumberFormat | None) -> tuple[_Marker, int] | None:
    """The list marker a line starts with, and how many characters it takes, or None."""
    if not text:
        return None
    glyph = text[0]
    if glyph in BULLET_GLYPHS:
        rest = text[1:]
        if rest[:1].isspace() or (glyph not in _NEEDS_SPACE and rest):
            size = 1 + (len(rest) - len(rest.lstrip()))
            if rest.strip():
                return _Marker(BULLET_GLYPHS[glyph], None, None, glyph), size
        return None
    match = _NUMBER.match(text)
    if not match or not text[match.end():].strip() or (match["open"] and match["close"] != ")"):
        return None
    delimiter = Delimiter.PERIOD if match["close"] == "." else Delimiter.PARENS if match["open"] else Delimiter.PAREN
    label = match["label"]
    if label.isdigit():
        fmt, number = NumberFormat.DECIMAL, int(label)
    else:
        lower = label.lower()
        is_roman = bool(_ROMAN.match(lower))
        roman_list = continuing in (NumberFormat.LOWER_ROMAN, NumberFormat.UPPER_ROMAN)
        alpha_list = continuing in (NumberFormat.LOWER_ALPHA, NumberFormat.UPPER_ALPHA)
        if is_roman and (roman_list or (lower == "i" and not alpha_list) or len(label) > 1):
            fmt = NumberFormat.LOWER_ROMAN if label.islower() else NumberFormat.UPPER_ROMAN
            number = _roman_value(lower)
        elif len(label) == 1:
            fmt = NumberFormat.LOWER_ALPHA if label.islower() else NumberFormat.UPPER_ALPHA
            number = ord(lower) - ord("a") + 1
            if number != 1 and not alpha_list:
                # "J. Smith will chair…" is a sentence, not item J of a list: a lettered
                # list starts at a (or A), or goes on from one already open.
                return None
        else:
            return None
    return _Marker(fmt.value, number, fmt, label, delimiter), match.end()


def _indent_width(text: str) -> int:
    width = 0
    for ch in text:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += TAB_WIDTH
        else:
            break
    return width


def parse_answer(cells: Iterable[tuple[Iterable[Run], int]]) -> tuple[Block, ...]:
    """Blocks from an answer's cells, each given as (runs, indent).

    ``indent`` is the cell's own indentation (Excel's "increase indent"), in spaces.
    Nesting follows indentation, and where items line up, a change of bullet glyph.
    """
    blocks: list[Block] = []
    # The open lists, outermost first: (indent, marker kind, level, number format, delimiter).
    stack: list[tuple[int, str, int, NumberFormat | None, Delimiter | None]] = []
    for segments, cell_indent in cells:
        for runs in _lines(segments):
            text = "".join(r.text for r in runs)
            if not text.strip():
                continue
            lead = len(text) - len(text.lstrip())
            indent = cell_indent + _indent_width(text)
            body = text[lead:]
            continuing = stack[-1][3] if stack else None
            found = _marker(body, continuing)
            if found is None:
                stack.clear()
                blocks.append(Block(BlockKind.PARAGRAPH, _tidy(_strip_prefix(runs, lead))))
                continue
            marker, size = found
            # Close lists indented deeper than this item.
            while stack and stack[-1][0] > indent:
                stack.pop()
            new_list = False
            if not stack:
                level, new_list = 0, True
            elif indent > stack[-1][0]:
                level, new_list = min(stack[-1][2] + 1, MAX_LEVEL), True
            elif marker.kind == stack[-1][1]:
                level = stack[-1][2]
            elif any(kind == marker.kind and ind == indent for ind, kind, *_ in stack):
                while stack[-1][1] != marker.kind:
                    stack.pop()
                level = stack[-1][2]
            elif marker.kind == FIRST_LEVEL and stack[-1][1] == SUB_POINT:
                # A point after sub-points that began the answer: a sibling, not deeper.
                level = stack[-1][2]
            else:
                # Same indent, another kind of marker: a sub-point glyph under a point
                # (the officer's way to type a sub-point without indenting), or numbers
                # under bullets.
                level, new_list = min(stack[-1][2] + 1, MAX_LEVEL), True
            if new_list:
                stack.append((indent, marker.kind, level, marker.format, marker.delimiter))
            kind = BlockKind.NUMBER if marker.format else BlockKind.BULLET
            blocks.append(
                Block(
                    kind,
                    _tidy(_strip_prefix(runs, lead + size)),
                    level=level,
                    number_format=marker.format,
                    start=marker.number if (new_list and marker.format) else None,
                    # A list keeps the delimiter its first item was typed with.
                    delimiter=stack[-1][4] if marker.format else None,
                )
            )
    return tuple(blocks)


def parse_text(text: str) -> tuple[Block, ...]:
    """Blocks from plain text, as if typed into one cell."""
    return parse_answer([([Run(text)], 0)])
