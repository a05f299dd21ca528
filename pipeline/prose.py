"""The covering report, written in Markdown by the officer, read into sections of blocks.

What the Markdown may hold: ``##`` headings (one section each), paragraphs (numbered in
the paper), ``**bold**``, ``*italic*``, ``-`` lists, the marker ``<!-- partnerships -->``
where the list of partnerships goes, and a ``---`` line after which come the closing
paragraphs, which are not numbered.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.model import Block, BlockKind, Run, Section

PARTNERSHIPS_MARKER = "<!-- partnerships -->"

_md = MarkdownIt("commonmark", {"html": True})


def _runs(inline: Token) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = 0
    for child in inline.children or []:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type == "em_open":
            italic += 1
        elif child.type == "em_close":
            italic -= 1
        elif child.type in ("text", "code_inline", "html_inline"):
            runs.append(Run(child.content, bold > 0, italic > 0))
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold > 0, italic > 0))
    merged: list[Run] = []
    for run in (r for r in runs if r.text):
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            run = Run(merged.pop().text + run.text, run.bold, run.italic)
        merged.append(run)
    return tuple(merged)


def read_report(markdown: str) -> tuple[tuple[Section, ...], tuple[Block, ...]]:
    """The report's sections and its closing blocks."""
    sections: list[Section] = []
    heading: str | None = None
    blocks: list[Block] = []
    lists_partnerships = False
    closing: list[Block] = []
    in_closing = False
    list_depth = -1

    def finish() -> None:
        nonlocal blocks, lists_partnerships
        if heading is not None or blocks:
            sections.append(Section(heading or "", tuple(blocks), lists_partnerships))
        blocks, lists_partnerships = [], False

    tokens = _md.parse(markdown)
    for i, token in enumerate(tokens):
        target = closing if in_closing else blocks
        if token.type == "heading_open" and not in_closing:
            finish()
            heading = tokens[i + 1].content.strip()
        elif token.type == "hr":
            finish()
            heading, in_closing = None, True
        elif token.type == "html_block" and token.content.strip() == PARTNERSHIPS_MARKER:
            lists_partnerships = True
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            if list_depth >= 0:
                target.append(Block(BlockKind.BULLET, _runs(token), level=min(list_depth, 2)))
            else:
                target.append(Block(BlockKind.PARAGRAPH, _runs(token)))
    if not in_closing:
        finish()
    return tuple(sections), tuple(closing)
