"""Word, HTML and PDF carry the same text, block by block, in the same order."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from docx import Document
from docx.oxml.ns import qn

from support import normalise, pdf_text

STEM = "2011-03-17-partnership-update-report"
HEAD = "Strategy and Partnerships Scrutiny Committee – 17 March 2011"


def docx_blocks(path) -> list[str]:
    """Every non-empty paragraph of the body, tables included, with Word's paragraph numbers."""
    blocks, number = [], 0
    for p in Document(path).element.body.iter(qn("w:p")):
        text = normalise("".join(t.text or "" for t in p.iter(qn("w:t"))))
        style = p.pPr.pStyle.val if p.pPr is not None and p.pPr.pStyle is not None else ""
        if style == "NumberedParagraph":  # numbered by Word, so not in the text
            number += 1
            text = f"{number}. {text}"
        # The Word table's row headers "Question N" and "Answer" are its layout's, not text
        # the HTML and PDF carry (there a question heads its answer across the table).
        if style == "TableAnswerLabel" or (style == "TableLabel" and re.fullmatch(r"Question \d+", text)):
            continue
        if text:
            blocks.append(text)
    return blocks


class _Blocks(HTMLParser):
    """The text of each block-level element, innermost first claiming its own text."""

    BLOCKS = {"p", "h1", "h2", "h3", "li", "th", "td"}
    LINES = {"span"}  # the contact lines are displayed as blocks

    def __init__(self):
        super().__init__()
        self.stack: list[list[str]] = []
        self.kinds: list[str] = []
        self.blocks: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        classes = dict(attrs).get("class", "")
        if tag in self.BLOCKS or (tag in self.LINES and "contact-line" in classes):
            if self.stack:  # a block inside a block (a sub-list in an item): the item's text comes first
                self._emit(self.stack[-1])
                self.stack[-1] = []
            self.stack.append([])
            self.kinds.append(tag)

    def _emit(self, parts: list[str]) -> None:
        text = normalise("".join(parts))
        if text:
            self.blocks.append(text)

    def handle_endtag(self, tag):
        if self.kinds and self.kinds[-1] == tag:
            self.kinds.pop()
            self._emit(self.stack.pop())

    def handle_data(self, data):
        if self.in_body and self.stack:
            self.stack[-1].append(data)


def html_blocks(path) -> list[str]:
    parser = _Blocks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.blocks


@pytest.fixture(scope="module")
def outputs(sample_build):
    _, output = sample_build
    return {suffix: output / f"{STEM}.{suffix}" for suffix in ("docx", "pdf", "html")}


def test_word_and_html_have_the_same_blocks_in_the_same_order(outputs):
    word, html = docx_blocks(outputs["docx"]), html_blocks(outputs["html"])
    assert len(word) > 300
    for index, (w, h) in enumerate(zip(word, html)):
        assert w == h, f"block {index}: Word {w!r} / HTML {h!r}"
    assert len(word) == len(html)


def test_the_pdf_has_every_block_in_the_same_order(outputs):
    text = pdf_text(outputs["pdf"], HEAD)
    position = 0
    for index, block in enumerate(docx_blocks(outputs["docx"])):
        found = text.find(block, position)
        assert found >= 0, f"block {index} missing or out of order in the PDF: {block!r}"
        position = found + len(block)
