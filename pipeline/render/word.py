"""The paper as a Word document: docxtpl fills templates/report.docx from the PaperView."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline import lazy
from pipeline.records.rich_text import Block, BlockKind, Delimiter, NumberFormat, Run, Table
from pipeline.render import changes
from pipeline.render.links import split_links
from pipeline.render.view import ChangeView, EntryView, PaperView

TEMPLATE = "report.docx"

_BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
_NUMBER_STYLES = ("List Number", "List Number 2", "List Number 3")
_NUMBER_STYLE_IDS = {"ListNumber", "ListNumber2", "ListNumber3"}
_WORD_FORMATS = {
    NumberFormat.DECIMAL: "decimal",
    NumberFormat.LOWER_ALPHA: "lowerLetter",
    NumberFormat.UPPER_ALPHA: "upperLetter",
    NumberFormat.LOWER_ROMAN: "lowerRoman",
    NumberFormat.UPPER_ROMAN: "upperRoman",
}


def _style(block: Block, numbered_paragraphs: bool) -> str:
    if block.kind is BlockKind.BULLET:
        return _BULLET_STYLES[block.level]
    if block.kind is BlockKind.NUMBER:
        return _NUMBER_STYLES[block.level]
    return "Numbered Paragraph" if numbered_paragraphs and not block.unnumbered else "Normal"


LINK_COLOUR = "1A4F8B"


class _Rich:
    """Text and blocks turned into docxtpl RichText, with addresses as hyperlinks.

    Remembers the numbered blocks in document order, for _restart_numbering.
    """

    def __init__(self, template) -> None:
        self.template = template  # a docxtpl.DocxTemplate
        self._rich_text = lazy.word()[0].RichText
        self.numbered: list[Block] = []
        self.tables: list[Table] = []
        self.references: list[Run] = []

    def runs(self, runs: tuple[Run, ...]):
        """``runs`` as one docxtpl RichText."""
        rich = self._rich_text()
        for run in runs:
            if run.target:
                # A link to a return, and its page: fields docxtpl cannot write, marked here
                # and put in place by _references.
                self.references.append(run)
                rich.add(_reference_mark(len(self.references)))
                continue
            for piece, href in split_links(run.text):
                link = {"url_id": self.template.build_url_id(href), "color": LINK_COLOUR} if href else {}
                rich.add(piece, bold=run.bold, italic=run.italic, underline=run.underline or bool(href), **link)
        return rich

    def text(self, text: str):
        return self.runs((Run(text),))

    def change(self, change: ChangeView | None) -> list[dict]:
        """What changed in an answer, as paragraphs after it: its label in bold, then its
        words, each added or removed one marked in words ("[added]", "[removed]") as well as
        underlined or struck through, which Word's accessibility checker reads as text."""
        if change is None:
            return []
        label = self._rich_text()
        label.add(change.label, bold=True)
        out = [{"style": "Normal", "rich": label}]
        if change.words:
            words = self._rich_text()
            for op, text in change.words:
                mark = {"+": "[added] ", "-": "[removed] "}.get(op, "")
                if mark:
                    words.add(" " + mark, bold=True)
                words.add(text if mark else f" {text}", strike=op == "-", underline=op == "+")
            out.append({"style": "Normal", "rich": words})
        return out

    def items(self, blocks: tuple[Block, ...], numbered_paragraphs: bool = False) -> list[dict]:
        out = []
        for block in blocks:
            if block.kind is BlockKind.TABLE:
                # docxtpl writes paragraphs: the table stands in one, marked, until _tables.
                self.tables.append(block.table)
                out.append({"style": "Normal", "rich": self.text(_table_mark(len(self.tables)))})
                continue
            if block.kind is BlockKind.NUMBER:
                self.numbered.append(block)
            out.append({"style": _style(block, numbered_paragraphs), "rich": self.runs(block.runs)})
        return out


def _context(view: PaperView, rich: _Rich) -> dict:
    context = dict(vars(view))  # shallow: the lists below are replaced, the rest read as is
    # The order here is the document's order, which _restart_numbering relies on.
    context["sections"] = [
        {"heading": s.heading, "blocks": rich.items(s.blocks, numbered_paragraphs=view.numbered)}
        for s in view.sections
    ]
    context["closing"] = rich.items(view.closing)
    context["contact_lines"] = [rich.text(line) for line in view.contact_lines]
    context["entries"] = []
    for e in view.entries:
        head, *rows = [{"label": r.label, "value": rich.text(r.value + (changes.DETAIL if r.changed else ""))}
                       for r in e.rows]
        context["entries"].append(
            {
                "heading": e.heading,
                "head": head,
                "rows": rows,
                "questions": [{"text": q.text, "blocks": rich.items(q.blocks) + rich.change(q.change)}
                              for q in e.questions],
            }
        )
    return context


def _table_mark(number: int) -> str:
    """The text of the paragraph a table stands in until it is put in its place, wrapped in
    a character of Unicode's private-use area, which no officer's paragraph is made of."""
    return f"\ue000table {number}\ue000"


def _reference_mark(number: int) -> str:
    """The text of the run a reference stands in until it is put in its place (as _table_mark)."""
    return f"\ue001reference {number}\ue001"


def _references(document, references: list[Run], entries: tuple[EntryView, ...], pages: Mapping[str, int]) -> None:
    """Each return's heading bookmarked, and each reference to a return put in place of the
    run marking it: the partnership's name as a link to its return, then "(page N)", N a
    PAGEREF field, which LibreOffice works out as it lays the file out and Word when it
    prints or the reader updates fields (F9). Until then Word shows the page the return
    starts on in the PDF, the paper of record: Word's own layout may differ by a page."""
    if not references:
        return
    _, docx = lazy.word()
    parse_xml, nsdecls, qn = docx.oxml.parse_xml, docx.oxml.ns.nsdecls, docx.oxml.ns.qn
    body = document.element.body
    taken = [int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart"))]
    bookmarks: dict[str, str] = {}
    waiting = iter(entries)
    entry = next(waiting, None)
    for paragraph in document.paragraphs:
        if entry is None:
            break
        if paragraph.style.name == "Heading 2" and paragraph.text == entry.heading:
            # Hidden (a leading underscore), as Word names the bookmarks of its own cross-references.
            name, number = f"_Return_{len(bookmarks) + 1}", max(taken, default=0) + len(bookmarks) + 1
            start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{number}" w:name="{name}"/>')
            properties = paragraph._p.pPr
            if properties is not None:
                properties.addnext(start)
            else:
                paragraph._p.insert(0, start)
            paragraph._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{number}"/>'))
            bookmarks[entry.id] = name
            entry = next(waiting, None)
    marks = {_reference_mark(n): run for n, run in enumerate(references, start=1)}
    for text in [t for t in body.iter(qn("w:t")) if t.text in marks]:
        run, marker = marks[text.text], text.getparent()
        name = escape(run.text)
        bookmark = bookmarks.get(run.target)
        if bookmark is None:  # nothing to go to: the name alone
            pieces = [f'<w:r><w:t xml:space="preserve">{name}</w:t></w:r>']
        else:
            page = escape(str(pages.get(run.target, "")))
            pieces = [
                f'<w:hyperlink w:anchor="{bookmark}" w:history="1"><w:r><w:rPr><w:color w:val="{LINK_COLOUR}"/>'
                f'<w:u w:val="single"/></w:rPr><w:t xml:space="preserve">{name}</w:t></w:r></w:hyperlink>',
                '<w:r><w:t xml:space="preserve"> (page </w:t></w:r>',
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r><w:t>{page}</w:t></w:r>',
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
                '<w:r><w:t xml:space="preserve">)</w:t></w:r>',
            ]
        for piece in pieces:
            # Each piece declares the w: namespace on its outermost element, as parse_xml needs.
            marker.addprevious(parse_xml(re.sub(r"^<([\w:]+)", rf"<\1 {nsdecls('w')}", piece, count=1)))
        marker.getparent().remove(marker)


def _tables(document, tables: list[Table]) -> None:
    """Each table an officer wrote, put in place of the paragraph marking it: a grid whose
    header row is repeated on every page the table runs on to, no row split across pages."""
    marks = {_table_mark(n): table for n, table in enumerate(tables, start=1)}
    _, docx = lazy.word()
    parse_xml, nsdecls = docx.oxml.parse_xml, docx.oxml.ns.nsdecls
    style_ids = {header: document.styles["Table Label" if header else "Table Value"].style_id for header in (True, False)}
    for paragraph in list(document.paragraphs):
        table = marks.get(paragraph.text)
        if table is None:
            continue
        grid = document.add_table(rows=1 + len(table.rows), cols=len(table.head))
        grid.style = document.styles["Table Grid"]
        for index, (row, cells) in enumerate(zip(grid.rows, (table.head, *table.rows))):
            header = index == 0
            row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
            if header:
                row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
            # Each cell's proxy made from its own XML: python-docx's row.cells (and row._index)
            # look through the whole table for one row's cells, as its paragraph.style looks
            # through every style for one: a table of 20,000 cells took a minute and a half.
            row_cells = [docx.table._Cell(tc, grid) for tc in row._tr.tc_lst]
            for cell, runs, align in zip(row_cells, cells, table.align + ("",) * len(cells)):
                text = cell.paragraphs[0]
                text._p.style = style_ids[header]  # what paragraph.style = … sets, found once, not per cell
                text.alignment = getattr(docx.enum.text.WD_ALIGN_PARAGRAPH, _ALIGN[align]) if align in _ALIGN else None
                # The styles keep a return's label rows with the next; a long table may break
                # between any two rows (each row is kept whole, and the header repeated).
                text.paragraph_format.keep_with_next = header
                for run in runs:
                    added = text.add_run(run.text)
                    added.bold, added.italic = run.bold or None, run.italic or None
                if header:
                    cell._tc.get_or_add_tcPr().append(parse_xml(
                        f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="DDE4EE"/>'))
        paragraph._p.addprevious(grid._tbl)
        paragraph._p.getparent().remove(paragraph._p)


_ALIGN = {"right": "RIGHT", "center": "CENTER"}
"""A table column's alignment as Word's paragraph alignment names it."""


def _restart_numbering(document, numbered: list[Block]) -> None:
    """Give each numbered list in the answers its own Word list, so each starts at its start.

    The template's List Number styles share one Word list, which would count on from one
    answer to the next. Each list's first item (``Block.start``) gets a new w:num, with the
    list's own number format.
    """
    _, docx = lazy.word()
    parse_xml, nsdecls, qn = docx.oxml.parse_xml, docx.oxml.ns.nsdecls, docx.oxml.ns.qn
    paragraphs = [
        p for p in document.element.body.iter(qn("w:p"))
        if p.pPr is not None and p.pPr.pStyle is not None and p.pPr.pStyle.val in _NUMBER_STYLE_IDS
    ]
    if len(paragraphs) != len(numbered):
        raise AssertionError(f"{len(paragraphs)} numbered paragraphs rendered for {len(numbered)} numbered blocks")
    numbering = document.part.numbering_part.element
    styles = document.styles
    next_abstract = 1 + max(int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum")))
    next_num = 1 + max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num")))
    abstracts: dict[tuple[str, NumberFormat, Delimiter], int] = {}
    current: dict[int, int] = {}  # level → numId of the list open at that level

    def abstract_for(style_name: str, fmt: NumberFormat, delimiter: Delimiter) -> int:
        nonlocal next_abstract
        key = (style_name, fmt, delimiter)
        if key not in abstracts:
            style_num = styles[style_name].element.pPr.numPr.numId.val
            base_id = numbering.num_having_numId(style_num).abstractNumId.val
            base = next(a for a in numbering.findall(qn("w:abstractNum")) if int(a.get(qn("w:abstractNumId"))) == base_id)
            clone = copy.deepcopy(base)
            clone.set(qn("w:abstractNumId"), str(next_abstract))
            for nsid in clone.findall(qn("w:nsid")) + clone.findall(qn("w:tmpl")):
                clone.remove(nsid)
            lvl = clone.find(qn("w:lvl"))
            lvl.find(qn("w:numFmt")).set(qn("w:val"), _WORD_FORMATS[fmt])
            # The number as typed: 1. 1) (1), a. a) (a) …, as report.css draws it.
            lvl.find(qn("w:lvlText")).set(qn("w:val"), delimiter.around("%1"))
            numbering.findall(qn("w:abstractNum"))[-1].addnext(clone)
            abstracts[key] = next_abstract
            next_abstract += 1
        return abstracts[key]

    for paragraph, block in zip(paragraphs, numbered):
        style_name = _NUMBER_STYLES[block.level]
        if block.start is not None or block.level not in current:
            fmt = block.number_format or NumberFormat.DECIMAL
            abstract = abstract_for(style_name, fmt, block.delimiter or Delimiter.PERIOD)
            num = parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{next_num}">'
                f'<w:abstractNumId w:val="{abstract}"/>'
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{block.start or 1}"/></w:lvlOverride>'
                "</w:num>"
            )
            numbering.append(num)
            current[block.level] = next_num
            for deeper in [lvl for lvl in current if lvl > block.level]:
                del current[deeper]
            next_num += 1
        num_pr = paragraph.pPr.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = current[block.level]


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same .docx with every member dated ``when``, so equal inputs give equal bytes."""
    out = io.BytesIO()
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def render_docx(view: PaperView, templates: Path, when: dt.datetime, pages: Mapping[str, int] | None = None) -> bytes:
    """The paper as .docx bytes; ``when`` dates the document (the meeting date); ``pages``,
    the page each return starts on in the PDF by its partnership's id, where the paper
    refers to returns by page (what changed since the last report)."""
    docxtpl, _ = lazy.word()
    template = docxtpl.DocxTemplate(templates / TEMPLATE)
    # The title property is set below, cut to what a property holds: docxtpl would render
    # the template's own ({{ title }}) whole first, and python-docx refuse a long one.
    template.init_docx()
    template.docx.core_properties.title = ""
    rich = _Rich(template)
    # Autoescape on: docxtpl's default is off, and an '&' or '<' in a return would
    # otherwise corrupt the XML silently.
    template.render(_context(view, rich), autoescape=True)
    document = template.docx
    _restart_numbering(document, rich.numbered)
    _tables(document, rich.tables)
    _references(document, rich.references, view.entries, pages or {})
    core = document.core_properties
    # A document property holds at most 255 characters (python-docx refuses more, as Word's
    # own file format does): a longer title is cut there, with an ellipsis.
    core.title = _property(view.title)
    core.subject = _property(f"{view.committee}, {view.meeting_date}")
    core.author = "papers"
    core.last_modified_by = "papers"
    core.language = "en-GB"
    core.created = core.modified = when
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), when)


def _property(text: str, limit: int = 255) -> str:
    """``text`` as a document property can hold it: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
