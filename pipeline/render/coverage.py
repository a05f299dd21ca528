"""Which characters the PDF's own fonts can draw, and a warning, by cell, for those they cannot."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from pipeline import lazy
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.round import Round


@functools.lru_cache(maxsize=4)
def _drawable(fonts: Path) -> frozenset[int]:
    """Every character some font in ``fonts`` has a glyph for."""
    codes: set[int] = set()
    for path in sorted(fonts.glob("*.ttf")):
        with lazy.font_tools().TTFont(path, lazy=True) as font:
            codes.update(font.getBestCmap() or {})
    return frozenset(codes)


# Characters the shipped Liberation Sans draws, so that text of these alone (most English
# text) is settled without reading the fonts: Latin-1, Latin Extended-A, the common
# punctuation of U+2000–U+2022 and the euro (a test checks the fonts do).
_SURE = frozenset([*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2000, 0x2011), *range(0x2012, 0x2023), 0x20AC])


def undrawable(text: str, fonts: Path) -> str:
    """The characters of ``text`` that no font in ``fonts`` can draw, each once, in order."""
    if all(ord(ch) in _SURE or ch in "\n\t" for ch in text):
        return ""  # reading the fonts (fontTools) costs more than the rest of an up-to-date build
    drawable = _drawable(fonts)
    seen: dict[str, None] = {}
    for ch in text:
        if ord(ch) not in drawable and not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Mn"):
            seen.setdefault(ch, None)
    return "".join(seen)


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
                    f"has characters the PDF's font cannot draw: {sample}",
                    "Word and the web page show them; the PDF shows them only if this computer has a "
                    "font with them (as empty boxes otherwise) — check the PDF before publishing it",
                )
            )
    return problems
