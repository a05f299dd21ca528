"""The paper as HTML, from templates/report.html.j2: the web page, and the PDF's source."""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from pipeline import lazy
from pipeline.records.rich_text import Block, BlockKind, Delimiter, NumberFormat, Run
from pipeline.render import coverage
from pipeline.render.links import split_links
from pipeline.render.view import PaperView

TEMPLATE = "report.html.j2"
FURNITURE = "furniture.html.j2"
STYLESHEET = "report.css"
PDF_STYLESHEETS = (STYLESHEET,)
"""What the HTML laid out as PDF links (render.layout gives the fonts, fonts.css, itself)."""

_HTML_TYPES = {
    NumberFormat.DECIMAL: "1",
    NumberFormat.LOWER_ALPHA: "a",
    NumberFormat.UPPER_ALPHA: "A",
    NumberFormat.LOWER_ROMAN: "i",
    NumberFormat.UPPER_ROMAN: "I",
}


@dataclass
class ListItem:
    """One item of a list, and the lists nested in it."""

    runs: tuple[Run, ...]
    children: list = field(default_factory=list)


@dataclass
class ListNode:
    tag: str  # "ul" or "ol"
    level: int
    type: str = ""
    start: int = 1
    items: list[ListItem] = field(default_factory=list)
    delimiter: str = ""
    """``period``, ``paren`` or ``parens``: report.css draws ``1.``, ``1)`` or ``(1)``."""


@dataclass
class ParagraphNode:
    runs: tuple[Run, ...]
    number: int | None = None
    tag: str = "p"


@dataclass
class TableNode:
    """A table an officer wrote: ``id`` names its header cells (``id``-c1, -c2 …), which each
    data cell's ``headers`` points at, so that the PDF's tags tie every cell to its column."""

    id: str
    head: tuple
    rows: tuple
    align: tuple[str, ...]
    tag: str = "table"


def nodes(blocks: tuple[Block, ...], first_number: int | None = None, name: str = "table") -> list:
    """Flat blocks as nested lists: each item's sub-list inside the item, as HTML wants.

    With ``first_number``, paragraphs are numbered on from it (the covering report). Tables
    are named ``name``-1, ``name``-2 … (``name`` unique in the paper).
    """
    out: list = []
    stack: list[ListNode] = []
    number = first_number
    tables = 0
    for block in blocks:
        if block.kind is BlockKind.TABLE:
            stack.clear()
            tables += 1
            table = block.table
            out.append(TableNode(f"{name}-{tables}", table.head, table.rows,
                                 tuple(table.align) + ("",) * (len(table.head) - len(table.align))))
            continue
        if block.kind is BlockKind.PARAGRAPH:
            stack.clear()
            out.append(ParagraphNode(block.runs, None if block.unnumbered else number))
            if number is not None and not block.unnumbered:
                number += 1
            continue
        tag = "ol" if block.kind is BlockKind.NUMBER else "ul"
        kind = _HTML_TYPES.get(block.number_format, "") if tag == "ol" else ""
        level = min(block.level, len(stack))  # never skip a level
        del stack[level + 1:]
        if len(stack) == level + 1:
            top = stack[-1]
            if top.tag == tag and top.type == kind and block.start is None:
                top.items.append(ListItem(block.runs))
                continue
            stack.pop()
        delimiter = (block.delimiter or Delimiter.PERIOD).value if tag == "ol" else ""
        node = ListNode(tag, level, kind, block.start or 1, [ListItem(block.runs)], delimiter)
        if stack and stack[-1].items:
            stack[-1].items[-1].children.append(node)
        else:
            out.append(node)
        stack.append(node)
    return out


def linkify(text: str) -> Markup:
    """Escaped text with email and web addresses made links."""
    return Markup("").join(
        Markup('<a href="{}">{}</a>').format(href, piece) if href else escape(piece)
        for piece, href in split_links(text)
    )


@functools.lru_cache(maxsize=8)
def environment(templates: Path, trailing_newline: bool = True):
    """The HTML templates' environment: everything escaped, an unknown name an error, and
    the ``linkify`` filter. One for each folder, kept: it keeps each template compiled
    (50–100 ms each time, for report.html.j2), and compiles it again when its file changes
    (Jinja checks the file's time as the template is asked for: papers watch sees an edit)."""
    jinja2 = lazy.jinja2()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=trailing_newline,
    )
    env.filters["linkify"] = linkify
    return env


@dataclass(frozen=True)
class Furniture:
    """What is drawn in the margins of a paper's every page once its parts are put
    together: the running head, and "Page N of M"."""

    committee: str = ""
    date: str = ""

    def pages_html(self, total: int, templates: Path) -> list[str]:
        """Pages 1 to ``total``, each empty but for this furniture in its margins, as HTML
        documents to lay out side by side: one for a short paper, else an even number of
        them (at least two, so that two workers share it), of equal length, none longer than
        ``FURNITURE_PAGES``."""
        template = environment(templates).get_template(FURNITURE)
        head = f"{self.committee} – {self.date}" if self.date else self.committee
        documents = 2 * math.ceil(total / (2 * FURNITURE_PAGES)) if total > SHORT_PAPER else 1
        length = math.ceil(total / documents) if total else 1
        return [_furniture_html(template, "paper", [
                    [("running-head", head), ("page-number", str(number)), ("page-count", str(total))]
                    for number in range(first, min(first + length, total + 1))])
                for first in range(1, total + 1, length)]


def pack_furniture_html(label: str, total: int, marks: list[tuple[str, str]], templates: Path) -> list[str]:
    """A pack's furniture as HTML documents: first its page numbers ("Pack page N", after
    ``label``), FURNITURE_PAGES to a document, each numbering a whole hundred *whatever the
    pack's length* (enough for ``total`` pages, the last ones of the last unused), so that a
    correction that adds a page to one paper renumbers the pages after it without any being
    laid out again; then one page for each of ``marks``, a running head (on a supplied
    paper's pages) and note (the private pack's "not for publication"), laid out once and
    drawn over every page that has it."""
    template = environment(templates).get_template(FURNITURE)
    numbers = [_furniture_html(template, "pack", [[("pack-number", f"{label}{number}")]
                                                  for number in range(first, first + FURNITURE_PAGES)])
               for first in range(1, total + 1, FURNITURE_PAGES)]
    return numbers + [_furniture_html(template, "pack", [[(name, text) for name, text in
                                                          (("pack-head", head), ("note", note)) if text]])
                      for head, note in marks]


def _furniture_html(template, kind: str, pages: list[list[tuple[str, str]]]) -> str:
    """Pages of furniture (``kind``, paper or pack) from templates/furniture.html.j2, each
    page given as its texts by what they are (their class: running-head, page-number …)."""
    return template.render(kind=kind, pages=pages, stylesheet_hrefs=PDF_STYLESHEETS)


FURNITURE_PAGES = 100
"""Pages of furniture laid out together at most (a hundred of a paper's took 1.4 s on
2026-12-07, most of it WeasyPrint's margin boxes; a part costs 55 ms more, whatever its
length). Fixed, not the machine's cores: each part embeds its own font subset, and the
pack's numbers are kept from build to build by these parts."""
SHORT_PAPER = 12
"""Pages of a paper whose furniture is one part: shared, it would save less than a second
part costs (and the other worker, if it has laid out nothing yet, sets up its fonts for it)."""
ENTRIES_PER_PART = 4
"""Partnership returns laid out together, as one part of the PDF. Each return starts a
page, so how they are grouped changes no page; the number is fixed (not the machine's
cores) because each part embeds its own fonts, and equal inputs must give equal bytes."""


def render_html(
    view: PaperView, templates: Path, *, created: dt.datetime | None = None, stylesheets: tuple[str, ...] = ()
) -> str:
    """The paper as one HTML page: self-contained with the stylesheet inlined, or linking
    ``stylesheets`` (in the templates folder)."""
    page = _Page(view, templates, created, stylesheets)
    return page.render(front=True, entries=view.entries if view.with_returns else None,
                       returns_heading=view.with_returns)


def render_parts(view: PaperView, templates: Path, *, created: dt.datetime | None = None,
                 report_only: bool = False) -> list[str]:
    """The paper as the PDF lays it out, in parts each starting a page: the report, then
    (unless ``report_only``) the partnership returns a few at a time (the first part of them
    under their heading)."""
    page = _Page(view, templates, created, PDF_STYLESHEETS, laid_out=True)
    parts = [page.render(front=True, entries=None, returns_heading=False)]
    if view.with_returns and not report_only:
        chunks = [view.entries[i:i + ENTRIES_PER_PART] for i in range(0, len(view.entries), ENTRIES_PER_PART)]
        for number, chunk in enumerate(chunks or [()]):
            parts.append(page.render(front=False, entries=chunk, returns_heading=number == 0))
    return [coverage.shown(part, templates / "fonts") for part in parts]  # a name in brackets, never an empty box


class _Page:
    """The template, and what every page or part of one paper shows, made ready once."""

    def __init__(self, view: PaperView, templates: Path, created: dt.datetime | None,
                 stylesheets: tuple[str, ...], laid_out: bool = False) -> None:
        self.view = view
        self.template = environment(templates).get_template(TEMPLATE)
        context = dict(vars(view))  # shallow: the lists below are replaced, the rest read as is
        number = 1
        sections = []
        for index, section in enumerate(view.sections, start=1):
            section_nodes = nodes(section.blocks, first_number=number if view.numbered else None,
                                  name=f"section-{index}-table")
            number += sum(1 for b in section.blocks if b.kind is BlockKind.PARAGRAPH and not b.unnumbered)
            sections.append({"heading": section.heading, "nodes": section_nodes})
        context.update(
            sections=sections,
            closing=nodes(view.closing, name="closing-table"),
            author=view.contact_lines[0] if view.contact_lines else "papers",
            created=(created.isoformat(timespec="seconds") + "Z" if created else view.file_stem[:10]),
            stylesheet_hrefs=stylesheets,
            laid_out=laid_out,  # for the PDF, in parts: a link within the paper goes nowhere
            # The project's own stylesheet, inlined as written: escaping it would turn its
            # quotes into entities, which a browser's CSS parser does not read.
            stylesheet=Markup("" if stylesheets else (templates / STYLESHEET).read_text(encoding="utf-8")),
        )
        self.context = context

    def render(self, *, front: bool, entries, returns_heading: bool) -> str:
        """The title block and report (``front``), and ``entries`` (None: no returns part)."""
        return self.template.render(
            self.context,
            front=front,
            entries=None if entries is None else [
                {**vars(e), "questions": [{"text": q.text, "nodes": nodes(q.blocks), "change": q.change}
                                          for q in e.questions]}
                for e in entries
            ],
            returns_heading=self.view.returns_heading if returns_heading else "",
        )
