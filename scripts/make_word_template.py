"""Builds templates/report.docx, the Word template officers restyle (run: make word-template).

The template is committed; officers change its styles in Word. Rebuilding it from here
discards their changes, so this is for maintainers changing its structure: the Jinja
tags docxtpl fills, and the styles the renderer names.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"
BLACK = RGBColor(0, 0, 0)

# The styles a block may take; pipeline/render/word.py names the same ones.
BLOCK_STYLES = (
    "Numbered Paragraph",
    "Normal",
    "List Bullet",
    "List Bullet 2",
    "List Bullet 3",
    "List Number",
    "List Number 2",
    "List Number 3",
)


def _plain_font(style, size: float, bold: bool = False, italic: bool = False) -> None:
    rpr = style.element.get_or_add_rPr()
    for fonts in rpr.findall(qn("w:rFonts")):
        rpr.remove(fonts)
    rpr.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'))
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = BLACK


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _plain_font(normal, 11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1

    # British English wherever Word looks for the language: the default run properties.
    rpr_default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for lang in rpr_default.findall(qn("w:lang")):
        rpr_default.remove(lang)
    rpr_default.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'))

    title = styles["Title"]
    _plain_font(title, 16, bold=True)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(18)

    subtitle = styles["Subtitle"]
    _plain_font(subtitle, 12, bold=True)
    for spacing in subtitle.element.get_or_add_rPr().findall(qn("w:spacing")):
        spacing.getparent().remove(spacing)
    subtitle.paragraph_format.space_after = Pt(6)

    for name, size, before in (("Heading 1", 12, 18), ("Heading 2", 12, 18), ("Heading 3", 11, 12)):
        style = styles[name]
        _plain_font(style, size, bold=True)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True

    # No style of the template sets text under 9 pt, the smallest Word's checker accepts
    # (python-docx's default template has two at 8 pt).
    for style in styles.element.findall(qn("w:style")):
        for size in style.iter(qn("w:sz")):
            size.set(qn("w:val"), str(max(18, int(size.get(qn("w:val"))))))

    numbered = styles.add_style("Numbered Paragraph", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    numbered.base_style = normal
    numbered.quick_style = True
    numbered.paragraph_format.space_after = Pt(8)

    contact = styles.add_style("Contact Line", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    contact.base_style = normal
    contact.paragraph_format.space_after = Pt(0)

    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3"):
        styles[name].paragraph_format.space_after = Pt(3)

    normal.paragraph_format.widow_control = True  # no lone first or last line on a page

    # Label and value rows keep with the next row, so the label block stays on one page.
    label = styles.add_style("Table Label", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = normal
    label.font.bold = True
    label.paragraph_format.space_after = Pt(3)
    label.paragraph_format.keep_with_next = True
    value = styles.add_style("Table Value", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    value.base_style = normal
    value.paragraph_format.space_after = Pt(3)
    value.paragraph_format.keep_with_next = True
    question = styles.add_style("Table Question", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    question.base_style = normal
    question.font.bold = True
    question.paragraph_format.keep_with_next = True
    answer_label = styles.add_style("Table Answer Label", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    answer_label.base_style = normal
    answer_label.font.bold = True
    answer_label.paragraph_format.space_after = Pt(3)
    question.paragraph_format.space_after = Pt(3)


def _numbering(document) -> None:
    """Give Numbered Paragraph a numbering of its own: 1. 2. 3. … through the report."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids) + 1, max(num_ids) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    last_abstract = numbering.findall(qn("w:abstractNum"))[-1]
    last_abstract.addnext(abstract)
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    )
    ppr = document.styles["Numbered Paragraph"].element.get_or_add_pPr()
    ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num_id}"/></w:numPr>'))


def _bullet_glyphs(document) -> None:
    """Bullets • ◦ ▪ by level, drawn in the document's own font, as the PDF and web page draw them.

    Word's defaults take them from Symbol, Courier New and Wingdings, which a reader may
    not have (LibreOffice shows Courier's "o").
    """
    numbering = document.part.numbering_part.element
    for name, glyph in (("List Bullet", "\u2022"), ("List Bullet 2", "\u25e6"), ("List Bullet 3", "\u25aa")):
        num_id = document.styles[name].element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
        abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == str(abstract_id))
        level = abstract.find(qn("w:lvl"))
        level.find(qn("w:lvlText")).set(qn("w:val"), glyph)
        fonts = level.find(qn("w:rPr")).find(qn("w:rFonts"))
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> {instruction} </w:instrText>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    paragraph.add_run("1")
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


def _page_furniture(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    header = section.header.paragraphs[0]
    header.text = "{{ committee }} – {{ meeting_date }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.style = document.styles["Header"]
    for run in header.runs:
        run.font.size = Pt(9)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(9)


def _tag(container, text: str) -> None:
    container.add_paragraph(text)


def _block_loop(container, items: str) -> None:
    """The paragraphs that render a list of blocks, one styled paragraph per style."""
    _tag(container, f"{{%p for b in {items} %}}")
    for i, style in enumerate(BLOCK_STYLES):
        keyword = "if" if i == 0 else "elif"
        _tag(container, f"{{%p {keyword} b.style == '{style}' %}}")
        container.add_paragraph("{{r b.rich }}", style=style)
    _tag(container, "{%p endif %}")
    _tag(container, "{%p endfor %}")


def _shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


_NO_SPLIT = f'<w:cantSplit {nsdecls("w")}/>'
_HEADER_ROW = f'<w:tblHeader {nsdecls("w")}/>'


def _row_properties(row, *xml: str) -> None:
    properties = row._tr.get_or_add_trPr()
    for fragment in xml:
        properties.append(parse_xml(fragment))


def _label_row(document, row, label: str, value: str) -> None:
    label_cell, value_cell = row.cells
    label_cell.paragraphs[0].text = label
    label_cell.paragraphs[0].style = document.styles["Table Label"]
    _shade(label_cell, "DDE4EE")
    value_cell.paragraphs[0].text = value
    value_cell.paragraphs[0].style = document.styles["Table Value"]
    # A label row never splits across pages (Word would leave half a row and an empty
    # bordered one behind).
    _row_properties(row, _NO_SPLIT)


def _grid(table, widths) -> None:
    table.style = table.part.document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid, which LibreOffice and Word lay out by
        for cell in column.cells:
            cell.width = width
    # Room around the text in every cell, as the seed's tables have.
    table._tbl.tblPr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
    ))


def _return_table(document) -> None:
    """One partnership's return as one table on a regular grid, with no merged cell.

    Label rows (label | value); then for each question a row "Question N | the question"
    over a row "Answer | the answer". The left column holds every row's header. The
    Partnership row heads the table and is repeated on every page the table runs onto.
    """
    table = document.add_table(rows=8, cols=2)
    _grid(table, (Cm(4.8), Cm(11.8)))
    rows = table.rows
    _label_row(document, rows[0], "{{ e.head.label }}", "{{r e.head.value }}")
    _row_properties(rows[0], _HEADER_ROW)
    rows[1].cells[0].paragraphs[0].text = "{%tr for row in e.rows %}"
    _label_row(document, rows[2], "{{ row.label }}", "{{r row.value }}")
    rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    rows[4].cells[0].paragraphs[0].text = "{%tr for q in e.questions %}"
    label, question = rows[5].cells
    label.paragraphs[0].text = "Question {{ loop.index }}"
    label.paragraphs[0].style = document.styles["Table Label"]
    question.paragraphs[0].text = "{{ q.text }}"
    question.paragraphs[0].style = document.styles["Table Question"]
    _shade(label, "DDE4EE")
    _shade(question, "DDE4EE")
    # A question's row never splits, and keeps with its answer's (Table Question keeps
    # with next), so a question never ends a page without its answer.
    _row_properties(rows[5], _NO_SPLIT)
    label, answer = rows[6].cells
    label.paragraphs[0].text = "Answer"
    label.paragraphs[0].style = document.styles["Table Answer Label"]
    _shade(label, "DDE4EE")
    # An answer's row may split across pages (answers can be long); Word's widow control
    # keeps at least two lines of the answer on each side of the break.
    _block_loop(answer, "q.blocks")
    # A new cell holds one empty paragraph; the loop's tags follow it. Drop it.
    empty = answer.paragraphs[0]
    empty._p.getparent().remove(empty._p)
    rows[7].cells[0].paragraphs[0].text = "{%tr endfor %}"


def build(path: Path) -> None:
    document = docx.Document()
    _styles(document)
    _numbering(document)
    _bullet_glyphs(document)
    _page_furniture(document)
    body = document
    # python-docx starts a document with no paragraphs; tags go in order.
    _tag(body, "{%p if agenda_item %}")
    body.add_paragraph("Agenda item {{ agenda_item }}", style="Subtitle")
    _tag(body, "{%p endif %}")
    body.add_paragraph("{{ committee }}", style="Subtitle")
    body.add_paragraph("{{ meeting_date }}", style="Subtitle")
    body.add_paragraph("{{ title }}", style="Title")
    _tag(body, "{%p for section in sections %}")
    _tag(body, "{%p if section.heading %}")
    body.add_paragraph("{{ section.heading }}", style="Heading 1")
    _tag(body, "{%p endif %}")
    _block_loop(body, "section.blocks")
    _tag(body, "{%p endfor %}")
    _block_loop(body, "closing")
    _tag(body, "{%p for line in contact_lines %}")
    body.add_paragraph("{{r line }}", style="Contact Line")
    _tag(body, "{%p endfor %}")

    _tag(body, "{%p if with_returns %}")
    heading = body.add_paragraph("{{ returns_heading }}", style="Heading 1")
    heading.paragraph_format.page_break_before = True
    _tag(body, "{%p for e in entries %}")
    body.add_paragraph("{{ e.heading }}", style="Heading 2")
    _return_table(body)
    _tag(body, "{%p endfor %}")
    _tag(body, "{%p endif %}")

    core = document.core_properties
    core.title = "{{ title }}"
    core.author = "papers"
    document.save(path)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
    print(f"wrote {sys.argv[1]}")
