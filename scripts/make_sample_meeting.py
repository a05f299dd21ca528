"""Writes the sample meeting's supplied files (run: make sample-meeting; maintainers only).

An officer drops in what others send: here, a Word paper and a PDF appendix, written from
the reference papers' text (shared/seeds 001 and 000) as their authors would have made
them: a Word document with heading styles, and the PDF Word's "Save as PDF" makes of one
(here LibreOffice's tagged export). The files are committed; this rebuilds them.
"""

from __future__ import annotations

import datetime
import sys
import tempfile
from pathlib import Path

import docx
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.meeting.convert import word_to_pdf  # noqa: E402

WORD_PAPER = (
    "Comprehensive Area Assessment",
    [
        ("p", "In December we received the findings of the first area assessment for Oxfordshire. "
              "Oxfordshire was praised for a number of strengths including:"),
        ("li", "protecting the environment for future generations"),
        ("li", "good partnership working to keep young people out of trouble"),
        ("li", "responding well to the summer floods in 2007 and 2008"),
        ("p", "Overall the Audit Commission indicate that people in Oxfordshire get good value for money "
              "from their public services."),
        ("p", "Preparation for the assessment was led by a multi-agency team which is now working to address "
              "the areas identified for development."),
    ],
)
APPENDIX = (
    "Progress through Partnership: the three strands of support",
    [
        ("p", "There are three strands to PtP support for LSPs,"),
        ("li", "Knowledge hub: a central point of information exchange and knowledge for all LSPs in the south "
               "east region, including newsletters and events"),
        ("li", "Central fund: A fund from which every LSP in the region can claim cash support for bespoke "
               "development activities"),
        ("li", "Programme of regional support: a range of specific projects and development activities for "
               "Members, Partners and Practitioners."),
    ],
)


def word(title: str, blocks: list[tuple[str, str]]) -> docx.Document:
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.language = "en-GB"
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(title, level=1)
    for kind, text in blocks:
        document.add_paragraph(text, style="List Bullet" if kind == "li" else None)
    return document


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    paper = target / "comprehensive-area-assessment.docx"
    word(*WORD_PAPER).save(paper)
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "appendix.docx"
        word(*APPENDIX).save(source)
        pdf = word_to_pdf(source, Path(work) / "cache", datetime.datetime(2011, 3, 17, 12))
    if not isinstance(pdf, bytes):
        raise SystemExit(f"could not make the appendix: {pdf}")
    (target / "progress-through-partnership-strands.pdf").write_bytes(pdf)
    print(f"wrote {paper} and the appendix in {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
