"""The covering report, written in Markdown by the officer, read into sections of blocks.

What the Markdown may hold: ``##`` headings (one section each), paragraphs (numbered in
the paper), ``**bold**``, ``*italic*``, ``-`` and ``1.`` lists, GitHub's pipe tables, the marker
``<!-- partnerships -->`` where the list of partnerships goes, ``<!-- unnumbered -->``
before a paragraph to leave it without a number, and a ``---`` line after
which come the closing paragraphs, which are not numbered. What else it holds is kept as
text where it can be (a quotation's or a code block's lines, a heading after ``---`` as a
bold paragraph) and otherwise dropped (pictures, HTML blocks); either way with a warning
naming the line.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.rich_text import Block, BlockKind, Delimiter, NumberFormat, Run, Table
from pipeline.records.settings import Section
from pipeline.settings import ConfigError

PARTNERSHIPS_MARKER = "<!-- partnerships -->"
UNNUMBERED_MARKER = "<!-- unnumbered -->"  # the next paragraph, in a numbered paper, has no number

# CommonMark, and GitHub's pipe tables (markdown-it-py's own table rule).
_md = MarkdownIt("commonmark", {"html": True}).enable("table")
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")

MAX_COLUMNS = 30
"""The widest table a paper may hold: thirty columns across an A4 page are each a few
characters wide already, and laying out thousands would take gigabytes for a table no
one could read (a 5,000-column one took 850 MB before papers refused it)."""
MAX_CELLS = 5_000
"""The most table cells a paper may hold, all its tables together: 250 rows of twenty
columns, some fifteen pages. WeasyPrint works out a table's column widths again for every
page it runs on to, so its time grows with the square of its length (3,000 cells took 10
s, 20,000 took 100 s and 450 MB); longer data goes in as a spreadsheet's PDF appendix."""


def _runs(inline: Token, dropped: list[str] | None = None) -> tuple[Run, ...]:
    """The inline's text as runs; pictures in it are named in ``dropped``."""
    dropped = dropped if dropped is not None else []
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
        elif child.type == "image":
            dropped.append(child.attrGet("src") or "a picture")
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold > 0, italic > 0))
    merged: list[Run] = []
    for run in (r for r in runs if r.text):
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            run = Run(merged.pop().text + run.text, run.bold, run.italic)
        merged.append(run)
    return tuple(merged)


def read_report(markdown: str, file: str = "report.md") -> tuple[tuple[Section, ...], tuple[Block, ...], tuple[Problem, ...]]:
    """The report's sections, its closing blocks, and a warning for each thing not kept as
    written; raises ConfigError, naming the line, for tables too large to lay out."""
    sections: list[Section] = []
    heading: str | None = None
    blocks: list[Block] = []
    lists_partnerships = False
    closing: list[Block] = []
    in_closing = False
    lists: list[tuple[BlockKind, Delimiter | None, int | None]] = []  # the open lists, outermost first
    problems: list[Problem] = []
    unnumbered_next = False

    def warn(token: Token, message: str, advice: str) -> None:
        line = f"line {token.map[0] + 1}" if token.map else None
        problems.append(Problem(Severity.WARNING, Source(file, None, line), message, advice))

    def finish() -> None:
        nonlocal blocks, lists_partnerships
        if heading is not None or blocks:
            sections.append(Section(heading or "", tuple(blocks), lists_partnerships))
        blocks, lists_partnerships = [], False

    tokens = _md.parse(markdown)
    in_table = False
    cells = 0
    for i, token in enumerate(tokens):
        target = closing if in_closing else blocks
        if token.type == "table_open":
            table = _table(tokens, i)
            cells += len(table.head) * (len(table.rows) + 1)
            _refuse_if_too_large(table, cells, token, file)
            target.append(Block(BlockKind.TABLE, (), table=table))
            in_table = True
            if lists:
                warn(token, "a table inside a list is shown after the list item, not within it",
                     "leave a blank line and no indent before the table")
        elif token.type == "table_close":
            in_table = False
        elif in_table:
            continue
        elif token.type == "blockquote_open":
            warn(token, "a block quote is shown as plain paragraphs", "nothing to do, unless it should read otherwise")
        elif token.type == "heading_open" and not in_closing:
            finish()
            heading = tokens[i + 1].content.strip()
        elif token.type == "heading_open":
            target.append(Block(BlockKind.PARAGRAPH, tuple(Run(r.text, True, r.italic) for r in _runs(tokens[i + 1]))))
            warn(token, "a heading after the '---' line is shown as a bold paragraph",
                 "move it above the '---' line if it starts a section of the report")
        elif token.type == "hr":
            finish()
            heading, in_closing = None, True
        elif token.type == "html_block" and token.content.strip() == PARTNERSHIPS_MARKER:
            lists_partnerships = True
        elif token.type == "html_block" and token.content.strip() == UNNUMBERED_MARKER:
            unnumbered_next = True
        elif token.type == "html_block":
            warn(token, "HTML is not put into the paper; it was left out",
                 "write it as plain text, or remove it")
        elif token.type in ("fence", "code_block"):
            for text in token.content.splitlines():
                if text.strip():
                    target.append(Block(BlockKind.PARAGRAPH, (Run(text.strip()),)))
            warn(token, "a code block is shown as plain paragraphs", "nothing to do, unless it should read otherwise")
        elif token.type == "bullet_list_open":
            lists.append((BlockKind.BULLET, None, None))
        elif token.type == "ordered_list_open":
            start = token.attrGet("start")
            delimiter = Delimiter.PAREN if token.markup == ")" else Delimiter.PERIOD
            lists.append((BlockKind.NUMBER, delimiter, int(start) if start is not None else 1))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            dropped: list[str] = []
            runs = _runs(token, dropped)
            if _FOOTNOTE.search(token.content):
                warn(token, "a footnote is not supported: its mark and text are shown as typed",
                     "write the note as a sentence or a paragraph of its own")
            for picture in dropped:
                warn(token, f"a picture ({picture}) is not put into the paper; it was left out",
                     "describe it in words, or supply the paper with the picture as an appendix")
            if lists:
                kind, delimiter, start = lists[-1]
                first = start is not None and tokens[i - 2].type == "list_item_open" and _first_item(tokens, i)
                target.append(Block(
                    kind, runs, level=min(len(lists) - 1, 2),
                    number_format=NumberFormat.DECIMAL if kind is BlockKind.NUMBER else None,
                    start=start if first else None,
                    delimiter=delimiter,
                ))
            elif runs:
                target.append(Block(BlockKind.PARAGRAPH, runs, unnumbered=unnumbered_next))
                unnumbered_next = False
    if not in_closing:
        finish()
    sections = [Section(s.heading, _lettered(s.blocks), s.lists_partnerships) for s in sections]
    return tuple(sections), _lettered(tuple(closing)), tuple(problems)


def _refuse_if_too_large(table: Table, cells: int, token: Token, file: str) -> None:
    """Raise ConfigError, naming the table's line, if ``table`` is wider than a page can
    show or brings the paper's table cells (``cells``, this one's included) past MAX_CELLS:
    the paper is refused before laying it out could exhaust the memory, and the rest of the
    meeting is built."""
    line = f"line {token.map[0] + 1}" if token.map else None
    if len(table.head) > MAX_COLUMNS:
        raise ConfigError(Problem(
            Severity.ERROR, Source(file, None, line),
            f"has a table of {len(table.head):,} columns, more than the {MAX_COLUMNS} a page can show",
            f"split it into tables of up to {MAX_COLUMNS} columns, or supply it as an appendix (a spreadsheet "
            "saved as PDF) and say in the paper what it shows"))
    if cells > MAX_CELLS:
        raise ConfigError(Problem(
            Severity.ERROR, Source(file, None, line),
            f"has tables of {cells:,} cells in all (by this one), more than the {MAX_CELLS:,} a paper can hold",
            "put the longest tables in an appendix (a spreadsheet saved as PDF) and a summary of them in the paper"))


def _table(tokens: list[Token], start: int) -> Table:
    """The pipe table whose ``table_open`` token is at ``start``."""
    head: list[tuple[Run, ...]] = []
    rows: list[list[tuple[Run, ...]]] = []
    align: list[str] = []
    in_head = False
    for token in tokens[start + 1:]:
        if token.type == "table_close":
            break
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open" and not in_head:
            rows.append([])
        elif token.type == "th_open":
            style = token.attrGet("style") or ""
            align.append(style.split(":", 1)[1] if style.startswith("text-align:") else "")
        elif token.type == "inline":
            (head if in_head else rows[-1]).append(_runs(token))
    width = len(head)
    # A row typed short is made up with empty cells, one typed long cut: as GitHub shows it.
    body = tuple(tuple((row + [()] * width)[:width]) for row in rows)
    return Table(tuple(head), body, tuple(align))


_LETTER = re.compile(r"([a-z])\) ")


def _lettered(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Bullet lists whose items are typed a) b) c) …, as lettered lists.

    Markdown numbers lists with digits only; an officer writes "- a) …" for a lettered one.
    """
    out = list(blocks)
    i = 0
    while i < len(out):
        j, expected = i, "a"
        while (
            j < len(out) and out[j].kind is BlockKind.BULLET and out[j].level == out[i].level
            and out[j].runs and (m := _LETTER.match(out[j].runs[0].text)) and m.group(1) == expected
        ):
            expected = chr(ord(expected) + 1)
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                first, *rest = out[k].runs
                runs = ((Run(first.text[3:], first.bold, first.italic, first.underline),) if first.text[3:] else ()) + tuple(rest)
                out[k] = Block(BlockKind.NUMBER, runs, out[k].level, NumberFormat.LOWER_ALPHA,
                               1 if k == i else None, Delimiter.PAREN)
            i = j
        else:
            i += 1
    return tuple(out)


def _first_item(tokens: list[Token], index: int) -> bool:
    """Whether the paragraph at ``index`` (inside a list item) is its list's first item's."""
    return index >= 3 and tokens[index - 3].type in ("ordered_list_open", "bullet_list_open")
