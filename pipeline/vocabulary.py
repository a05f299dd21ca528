"""The labels and questions of the return form: what the form writes is what intake reads."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A header field of the return: the label the form writes, and the ones we also accept."""

    key: str
    text: str
    synonyms: tuple[str, ...] = ()
    hint: str = ""

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.text, *self.synonyms)


LABELS: tuple[Label, ...] = (
    Label("partnership", "Partnership", ("Partnership name",), "the partnership's name"),
    Label(
        "completed",
        "Date of completion",
        ("Date completed", "Completed on"),
        "the date the return was completed, e.g. 25/02/2011",
    ),
    Label("contact_officer", "Contact officer", ("Lead officer",), "the officer to contact"),
    Label("contact_details", "Contact details", ("Contact",), "a phone number and email address"),
    Label("chair", "Chairman", ("Chair", "Chairperson"), "who chairs the partnership"),
    Label(
        "cabinet_member",
        "OCC Cabinet Member",
        ("OCC Member", "Cabinet Member"),
        "the county council's cabinet member for the partnership",
    ),
)

LABEL_BY_KEY = {label.key: label for label in LABELS}


def fold(text: str) -> str:
    """Text reduced for comparison: case, accents, punctuation, '&' and spacing ignored."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


_SPELLINGS = {fold(s): label.key for label in LABELS for s in label.spellings}


def label_key(text: str) -> str | None:
    """The field a cell's text labels (any case, trailing colon or not), or None."""
    return _SPELLINGS.get(fold(text))


def question_stem(question: str) -> str:
    """A question's leading words: the part before any bracketed aside, folded.

    The aside changes from round to round ("(given in September 2010)"); the stem doesn't.
    """
    return fold(question.split("(", 1)[0])


def question_index(text: str, questions: tuple[str, ...]) -> int | None:
    """Which of the round's questions a cell's text asks, by leading words, or None."""
    folded = fold(text)
    if not folded:
        return None
    for index, question in enumerate(questions):
        stem = question_stem(question)
        if stem and (folded == stem or folded.startswith(stem + " ")):
            return index
    return None


def long_date(date) -> str:
    """A date as the paper and the forms write it: 17 March 2011."""
    return f"{date.day} {date:%B %Y}"


# The hidden sheet a form papers writes carries, and what it says: intake reads it to
# know the partnership and round even if the officer renamed everything else.
FILL_IN = "Fill in the white cells on the Return sheet; the shaded labels cannot be changed."
"""Which cells a partnership fills in: the form's own instructions and the chase email say it alike."""
WRITING = "start each point on a new line (Alt+Enter) with a bullet (•) or a dash (-)"
"""How an answer's points are typed, as the chase email says it."""

MARKER_SHEET = "papers"
MARKER_KEYS = ("form", "version", "partnership", "round")
FORM_VERSION = 1
