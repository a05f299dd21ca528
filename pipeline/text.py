"""Cell text made safe to publish: Excel's _xHHHH_ escapes decoded, unprintable characters dropped."""

from __future__ import annotations

import re

# Excel writes characters XML cannot carry as _xHHHH_, and openpyxl hands them back
# still escaped. "_x005F_" escapes a literal underscore that would otherwise start one.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# Characters XML 1.0 cannot hold (so neither Word nor the PDF's tags can), except the
# tab and newline, which mean something in an answer; and characters that act rather than
# show: C1 controls, and the bidirectional embeddings, overrides and isolates that make
# text read in another order than it was typed (U+202E turns "exe.txt" into "txt.exe").
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


def decode_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def clean(text: str) -> tuple[str, int]:
    """The text as it should be published, and how many characters had to be dropped.

    Carriage returns become line breaks (Windows line ends, and Excel's _x000D_); other
    characters XML cannot hold are dropped and counted so the caller can warn.
    """
    text = decode_escapes(text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\xa0", " ")
    cleaned, dropped = _ILLEGAL.subn("", text)
    return cleaned, dropped
