"""A meeting's papers: the seeds' house-style papers built from Markdown, each standing alone,
and the agenda in meeting.toml read with every mistake named."""

from __future__ import annotations

import html
import re

import pytest
from conftest import ROOT, docx_paragraphs, docx_text, normalise, pdf_text, run_cli
from docx import Document
from docx.oxml.ns import qn

from pipeline.meeting import PaperKind, load_meeting

SEEDS = ROOT.parent / "shared" / "seeds"
PAPERS = {
    "000": "2008-11-26-progress-through-partnership-2009-10",
    "001": "2010-02-24-update-from-the-partnerships-and-communities-team",
    "002": "2007-10-23-south-east-employers-funding-for-lsp-capacity-building",
    "004": "2007-05-21-progress-through-partnership-capacity-building",
}


def _seed(number: str) -> str:
    """The seed's text less its meeting line ("LSP Executive – 21 May 2007"), which the paper
    carries as its committee and date in the house style's title block."""
    (path,) = SEEDS.glob(f"{number}_*.txt")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    meeting = next(i for i, line in enumerate(lines) if re.search(r"\b20\d\d\b", line))
    return "\n".join(lines[:meeting] + lines[meeting + 1:])


def _words(text: str) -> list[str]:
    """The words of a seed's content: list markers, paragraph numbers and markup left aside."""
    text = normalise(text.replace("“", '"').replace("”", '"').replace("**", ""))
    words = []
    for word in text.split():
        if word in ("-", "·", "•") or re.fullmatch(r"\d\.|[a-c]\)", word):
            continue
        words.append(word)
    return words


@pytest.fixture(scope="module")
def built(sample_build):
    result, output = sample_build
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are not beside this checkout (shared/seeds)")
@pytest.mark.parametrize("seed", sorted(PAPERS))
def test_every_word_of_each_seed_is_in_its_paper(built, seed):
    stem = PAPERS[seed]
    texts = {
        "docx": docx_text(built / f"{stem}.docx"),
        "pdf": pdf_text(built / f"{stem}.pdf"),
        "html": normalise(html.unescape(re.sub(r"<[^>]+>", " ", (built / f"{stem}.html").read_text(encoding="utf-8").split("<body", 1)[1]))),
    }
    for kind, text in texts.items():
        text = text.replace("&amp;", "&").replace("“", '"').replace("”", '"')
        position = 0
        for word in _words(_seed(seed)):
            found = text.find(word, position)
            assert found >= 0, f"{kind} of seed {seed}: '{word}' missing or out of order"
            position = found + len(word)


def test_seed_004_numbers_its_paragraphs_and_leaves_one_unnumbered(built):
    page = (built / f"{PAPERS['004']}.html").read_text(encoding="utf-8")
    numbers = re.findall(r'<span class="number">(\d+)\.</span>', page)
    assert numbers == ["1", "2", "3", "4", "5", "6"]
    assert "<p>Further information about the project" in page  # unnumbered, as in the seed
    styles = [style for style, text in docx_paragraphs(built / f"{PAPERS['004']}.docx") if text.startswith("Further information")]
    assert styles == ["Normal"]
    headings = [text for style, text in docx_paragraphs(built / f"{PAPERS['004']}.docx") if style == "Heading1"]
    assert headings == ["Background", "Main issues", "Recommendations"]
    assert "Agenda item 9" in docx_text(built / f"{PAPERS['004']}.docx")


def test_seed_002_letters_its_items_a_to_c(built):
    page = (built / f"{PAPERS['002']}.html").read_text(encoding="utf-8")
    assert re.search(r'<ol type="a" class="level-0 paren">\s*<li>Specific training', page)
    text = pdf_text(built / f"{PAPERS['002']}.pdf")
    assert "Working in a 3-tier area" in text
    document = Document(built / f"{PAPERS['002']}.docx")
    numbered = [p for p in document.element.body.iter(qn("w:p"))
                if p.pPr is not None and p.pPr.pStyle is not None and p.pPr.pStyle.val == "ListNumber"]
    assert len(numbered) == 3


def test_seed_001_bold_run_in_headings_and_the_contact_block(built):
    document = Document(built / f"{PAPERS['001']}.docx")
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "Communications:" in bold and "Networking event:" in bold and "Wednesday 21st April 12-2pm" in bold
    page = (built / f"{PAPERS['001']}.html").read_text(encoding="utf-8")
    assert "<strong>Communications:</strong>" in page
    assert "Claire Phillips" in page.split("<address>", 1)[1]


def test_house_style_papers_have_no_returns_part_and_pass_pdf_ua(built):
    import page

    for stem in PAPERS.values():
        assert 'class="returns"' not in (built / f"{stem}.html").read_text(encoding="utf-8")
        report = page.validate_pdf_bytes((built / f"{stem}.pdf").read_bytes(), profile="ua1")
        assert report.is_compliant, (stem, sorted({f.rule_id for f in report.failures}))


def test_the_agenda_is_read_in_order(meeting_dir):
    meeting = load_meeting(meeting_dir)
    assert [i.number for i in meeting.items] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [i.kind for i in meeting.items][:4] == [None, None, PaperKind.ROUND, PaperKind.SHORT]
    assert meeting.problems == ()


def test_mistakes_in_the_agenda_are_named_and_the_rest_built(meeting_dir, tmp_path):
    path = meeting_dir / "meeting.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[item]]\nnumber = "8"\ntitle = "A paper not yet in"\npaper = "papers/not-here.md"\n'
        + '\n[[item]]\nnumber = "7"\ntitle = "Twice numbered"\n'
        + '\n[[item]]\nnumber = "9"\ntitle = "Outside"\npaper = "../../etc/passwd"\n',
        encoding="utf-8",
    )
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "meeting.toml item 8: its paper 'papers/not-here.md' is not there" in result.stdout
    assert "meeting.toml item 7: has the number 7, which another item has" in result.stdout
    assert "meeting.toml item 9: its paper '../../etc/passwd' is not a .md, .docx or .pdf file" in result.stdout
    assert (tmp_path / "out" / f"{PAPERS['004']}.pdf").is_file()
    assert (tmp_path / "out" / "2011-03-17-partnership-update-report.pdf").is_file()


def test_a_round_folder_without_a_meeting_still_builds_its_one_paper(round_dir, tmp_path):
    result = run_cli("papers", "--inputs", str(round_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "2011-03-17-partnership-update-report-check.txt", "2011-03-17-partnership-update-report.docx",
        "2011-03-17-partnership-update-report.html", "2011-03-17-partnership-update-report.pdf",
    ]
