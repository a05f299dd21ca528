"""Which characters the PDF's fonts can draw, its own or installed: a warning by cell for the rest, named in the PDF.

The PDF falls back from its own font to those installed (fontconfig's list); a character
none of them has is named by cell in the check, and given in the PDF as its name in
brackets, never an empty box."""

from __future__ import annotations

import bisect
import functools
import re
import subprocess
import unicodedata
from pathlib import Path

from pipeline import lazy
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.round import Round

FALLBACK = {"DejaVu Sans": "fonts-dejavu-core", "Noto Sans CJK SC": "fonts-noto-cjk", "Noto Sans": "fonts-noto-core"}
"""The fonts the PDF draws a character with when Liberation Sans has none, in report.css's
order (a test holds the two together), each with the Debian package that installs it:
symbols and arrows, Chinese, Japanese and Korean, and (with the rest of Noto, which
fontconfig finds unasked) every other script."""

EMOJI = {"Noto Color Emoji": "fonts-noto-color-emoji"}
"""The emoji font, found by fontconfig for an emoji and never named in report.css: named
there, the layout engine drew digits and spaces from it too (an emoji font has them, for
keycaps), and the partnership update report grew from 19 pages to 25."""

PACKAGES = " ".join([*FALLBACK.values(), *EMOJI.values()])
"""What installs every font the PDF falls back to: ``sudo apt-get install`` these."""


@functools.lru_cache(maxsize=1)
def _installed() -> tuple[list[int], list[int]]:
    """The characters some font on this computer draws, as fontconfig lists them (the fonts
    the layout engine falls back to), as sorted, merged ranges: their starts, and their ends.
    None where fontconfig is missing."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True, timeout=30,
                                check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return [], []
    ranges = []
    for token in listed.split():
        first, _, last = token.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    starts: list[int] = []
    ends: list[int] = []
    for first, last in sorted(ranges):
        if ends and first <= ends[-1] + 1:
            ends[-1] = max(ends[-1], last)
        else:
            starts.append(first)
            ends.append(last)
    return starts, ends


@functools.lru_cache(maxsize=4)
def _drawable(fonts: Path) -> frozenset[int]:
    """Every character some font in ``fonts`` has a glyph for."""
    codes: set[int] = set()
    for path in sorted(fonts.glob("*.ttf")):
        with lazy.font_tools().TTFont(path, lazy=True) as font:
            codes.update(font.getBestCmap() or {})
    return frozenset(codes)


def _draws(code: int, fonts: Path) -> bool:
    """Whether a font of ``fonts``, or one installed that the PDF falls back to, draws ``code``."""
    if code in _drawable(fonts):
        return True
    starts, ends = _installed()
    at = bisect.bisect_right(starts, code) - 1
    return at >= 0 and code <= ends[at]


def shown(text: str, fonts: Path) -> str:
    """``text`` as the PDF gives it: each character no font can draw replaced by its name in
    brackets ("[slightly smiling face]"), never an empty box."""
    missing = undrawable(text, fonts)
    if not missing:
        return text
    return re.sub(f"[{re.escape(missing)}]",
                  lambda found: f"[{unicodedata.name(found[0], '').lower() or f'U+{ord(found[0]):04X}'}]", text)


# Characters the shipped Liberation Sans draws, so that text of these alone (most English
# text) is settled without reading the fonts: Latin-1, Latin Extended-A, the common
# punctuation of U+2000–U+2022 and the euro (a test checks the fonts do).
_SURE = frozenset([*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2000, 0x2011), *range(0x2012, 0x2023), 0x20AC])


def undrawable(text: str, fonts: Path) -> str:
    """The characters of ``text`` that no font in ``fonts`` can draw, each once, in order."""
    if all(ord(ch) in _SURE or ch in "\n\t" for ch in text):
        return ""  # reading the fonts (fontTools) costs more than the rest of an up-to-date build
    return "".join(ch for ch in dict.fromkeys(text)  # each character once, in order: a paper repeats most
                   if not _draws(ord(ch), fonts) and not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Mn"))


def _texts(round_: Round):
    """Every text a return puts in the paper, with the cell it came from."""
    for entry in round_.entries:
        ret = entry.ret
        if ret is None:
            continue
        for value in ret.values.values():
            yield str(value), value.source
        for answer in ret.answers:
            if answer is not None:
                yield " ".join(b.text for b in answer.blocks), answer.source


def font_problems(round_: Round, fonts: Path) -> list[Problem]:
    """A warning for each cell holding characters the PDF's fonts cannot draw."""
    problems = []
    for text, source in _texts(round_):
        missing = undrawable(text, fonts)
        if missing:
            sample = missing[:12] + ("…" if len(missing) > 12 else "")
            problems.append(
                Problem(
                    Severity.WARNING,
                    Source(source.file, source.sheet, source.cell),
                    f"has characters no font of the PDF's can draw: {sample}",
                    "Word and the web page show them; the PDF gives each one's name in brackets instead "
                    "([slightly smiling face]). To draw them, install the fonts: sudo apt-get install " + PACKAGES,
                )
            )
    return problems
