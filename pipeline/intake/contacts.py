"""Contact details split into the phone numbers and email addresses they hold."""

from __future__ import annotations

import re

from pipeline.records.returns import Contact

# The lookbehind makes a match start only where a run of address characters starts, so a
# long run with no "@" in it is scanned once, not once from each of its letters (which
# took time growing with the square of the line's length).
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# UK numbers as officers type them: "01865 815060", "01865 323605", "+44 1865 815060",
# "07700 900123"; also "01491 823612/01235 540324" (two numbers).
_PHONE = re.compile(r"(?<![\w@])(?:\+44\s?|0)\d(?:[\s-]?\d){8,10}(?!\w)")


def parse_contact(text: str) -> Contact:
    """The text as written, with its phone numbers (digits spaced as typed) and emails."""
    emails = tuple(m.group(0).rstrip(".") for m in EMAIL.finditer(text))
    without_emails = EMAIL.sub(" ", text)
    phones = tuple(" ".join(m.group(0).replace("-", " ").split()) for m in _PHONE.finditer(without_emails))
    return Contact(text=text, phones=phones, emails=emails)
