"""Email and web addresses found in text, so every renderer can make them links."""

from __future__ import annotations

import re

from pipeline.intake.contacts import EMAIL

_LINK = re.compile(rf"({EMAIL.pattern})|(https?://[^\s<>\"']+[^\s<>\"'.,;:)])")


def split_links(text: str) -> list[tuple[str, str | None]]:
    """``text`` cut into pieces, each with the address it links to, or None."""
    pieces: list[tuple[str, str | None]] = []
    last = 0
    for match in _LINK.finditer(text):
        if match.start() > last:
            pieces.append((text[last:match.start()], None))
        address = match.group(0)
        pieces.append((address, f"mailto:{address}" if match.group(1) else address))
        last = match.end()
    if last < len(text) or not pieces:
        pieces.append((text[last:], None))
    return pieces
