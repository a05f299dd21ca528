"""Any text an officer types comes out in the paper, every word of it, literally."""

from __future__ import annotations

import html
import io
import re

from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.filenames import TEMPLATES
from pipeline.intake.answers import BULLET_GLYPHS
from pipeline.render.html import render_html
from pipeline.render.view import build_view
from pipeline.render.word import render_docx
from pipeline.text import clean
from support import WHEN, make_round

# Words of letters, digits and the characters that break markup: & < > { } % " ' and so on.
word = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S"), exclude_characters="\x7f"),
    min_size=1,
    max_size=10,
)
line = st.lists(word, min_size=1, max_size=5).map(" ".join)
prefix = st.sampled_from(["", "• ", "    ○ ", "- ", "1. ", "  a) ", "* "])
answer = st.lists(st.tuples(prefix, line).map("".join), min_size=1, max_size=6).map("\n".join)


def words_of(text: str) -> list[str]:
    cleaned, _ = clean(text)
    return cleaned.split()


def docx_words(data: bytes) -> str:
    body = Document(io.BytesIO(data)).element.body
    return " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def html_words(page: str) -> str:
    body = page.split("<main", 1)[1].split(">", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(answer, min_size=4, max_size=4))
def test_every_word_reaches_word_and_html(answers):
    round_ = make_round(answers)
    view = build_view(round_)
    in_docx = set(docx_words(render_docx(view, TEMPLATES, WHEN)).split())
    in_html = set(html_words(render_html(view, TEMPLATES)).split())
    for block_text in answers:
        for token in words_of(block_text):
            # A bullet glyph ("o", "–" too) or number that starts a line is the list's marker.
            if token in BULLET_GLYPHS or re.fullmatch(r"\(?(\d{1,3}|[A-Za-z]|[ivxlcdmIVXLCDM]{1,6})[.)]", token):
                continue
            assert token in in_docx, token
            assert token in in_html, token
