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
    assert [i.number for i in meeting.items] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert meeting.items[-1].kind is PaperKind.WORD and meeting.items[4].appendices
    assert [i.kind for i in meeting.items][:4] == [None, None, PaperKind.ROUND, PaperKind.SHORT]
    assert meeting.problems == ()


def test_mistakes_in_the_agenda_are_named_and_the_rest_built(meeting_dir, tmp_path):
    path = meeting_dir / "meeting.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[item]]\nnumber = "9"\ntitle = "A paper not yet in"\npaper = "papers/not-here.md"\n'
        + '\n[[item]]\nnumber = "7"\ntitle = "Twice numbered"\n'
        + '\n[[item]]\nnumber = "10"\ntitle = "Outside"\npaper = "../../etc/passwd"\n',
        encoding="utf-8",
    )
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "meeting.toml item 9: its paper 'papers/not-here.md' is not there" in result.stdout
    assert "meeting.toml item 7: has the number 7, which another item has" in result.stdout
    assert "meeting.toml item 10: its paper '../../etc/passwd' is not a .md, .docx or .pdf file" in result.stdout
    assert (tmp_path / "out" / f"{PAPERS['004']}.pdf").is_file()
    assert (tmp_path / "out" / "2011-03-17-partnership-update-report.pdf").is_file()


def test_a_round_folder_without_a_meeting_still_builds_its_one_paper(round_dir, tmp_path):
    result = run_cli("papers", "--inputs", str(round_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "2011-03-17-partnership-update-report-check.txt", "2011-03-17-partnership-update-report.docx",
        "2011-03-17-partnership-update-report.html", "2011-03-17-partnership-update-report.pdf",
    ]


# --- the agenda pack -------------------------------------------------------------------

PACK = "2011-03-17-strategy-and-partnerships-scrutiny-committee-pack.pdf"


@pytest.fixture(scope="module")
def pack_pdf(built):
    import pikepdf

    return pikepdf.open(built / PACK)


def _pdftotext(path, first: int | None = None, last: int | None = None) -> str:
    import subprocess

    pages = ["-f", str(first), "-l", str(last)] if first else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                          timeout=120).stdout


def test_the_pack_passes_pdf_ua_1(built):
    import page

    report = page.validate_pdf_bytes((built / PACK).read_bytes(), profile="ua1")
    assert report.is_compliant, sorted({f.rule_id for f in report.failures})


def test_the_agendas_page_numbers_and_links_land_on_the_papers(built, pack_pdf):
    index = {p.objgen: n for n, p in enumerate(pack_pdf.pages, start=1)}
    targets = [index[a.A.D[0].objgen] for a in pack_pdf.pages[0].Annots if a.get("/A", {}).get("/S") == "/GoTo"]
    front = _pdftotext(built / PACK, 1, 1)
    printed = [int(n) for n in re.findall(r"(?<!Pack )page (\d+)", front)]
    assert printed == targets and len(targets) == 6  # items 3 to 8 have papers
    titles = ["Partnership update report", "UPDATE FROM THE PARTNERSHIPS", "Progress through Partnership 2009/10",
              "South East Employers", "Progress through Partnership capacity building", "Comprehensive Area Assessment"]
    for number, title in zip(targets, titles):
        text = _pdftotext(built / PACK, number, number)
        assert title in text and f"Pack page {number}" in text, (number, title)
    # The same numbers in every viewer: page labels 1, 2, 3 … from the first page.
    nums = pack_pdf.Root.PageLabels.Nums
    assert len(nums) == 2 and nums[0] == 0 and nums[1].S == "/D" and "/St" not in nums[1]
    assert f"Pack page {len(pack_pdf.pages)}" in _pdftotext(built / PACK, len(pack_pdf.pages), len(pack_pdf.pages))


def test_the_pack_has_a_bookmark_for_every_item_over_its_papers_own(pack_pdf):
    with pack_pdf.open_outline() as outline:
        top = [item.title for item in outline.root]
        report = next(item for item in outline.root if item.title == "Item 3: Partnership update report")
        inner = [child.title for child in report.children[0].children]
    assert top[0] == "Agenda" and top[1:3] == ["Item 3: Partnership update report",
                                               "Item 4: Update from the Partnerships and Communities Team"]
    assert "Item 8: Comprehensive Area Assessment" in top
    assert "Purpose / Recommendation" in inner and "Partnership returns" in inner


def test_the_pack_keeps_every_sources_structure_tree(pack_pdf):
    document = pack_pdf.Root.StructTreeRoot.K[0]
    sections = [str(kid.T) for kid in document.K]
    assert sections[0] == "Agenda" and "Item 8: Comprehensive Area Assessment" in sections
    assert len(sections) == 8  # the agenda, six papers and an appendix
    # Every page's tagged content maps into the tree.
    for page in pack_pdf.pages:
        assert "/StructParents" in page


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are not beside this checkout (shared/seeds)")
def test_every_word_of_the_seeds_is_in_the_pack(built):
    text = normalise(_pdftotext(built / PACK).replace("“", '"').replace("”", '"'))
    for seed in sorted(PAPERS):
        position = 0
        for word in _words(_seed(seed)):
            found = text.find(word, position)
            assert found >= 0, f"seed {seed}: '{word}' missing or out of order in the pack"
            position = found + len(word)


def test_an_untagged_appendix_is_named_as_what_keeps_the_pack_from_being_accessible(meeting_dir, tmp_path):
    import weasyprint

    untagged = weasyprint.HTML(string="<html lang='en-GB'><body><p>Budget table</p></body></html>").write_pdf()
    (meeting_dir / "supplied" / "budget.pdf").write_bytes(untagged)
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'appendices = ["supplied/progress-through-partnership-strands.pdf"]',
        'appendices = ["supplied/progress-through-partnership-strands.pdf", "supplied/budget.pdf"]'), encoding="utf-8")
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Item 5, appendix 2: budget: is a PDF without tags" in result.stdout
    assert "ask its author for the Word file or a tagged PDF" in result.stdout
    assert "Budget table" in _pdftotext(tmp_path / "out" / PACK)


def _outputs(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def test_a_meeting_built_twice_is_byte_identical_and_so_is_a_rebuild_after_a_change(meeting_dir, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_cli("papers", "--inputs", str(meeting_dir), "--output", str(first)).returncode == 0
    assert run_cli("papers", "--inputs", str(meeting_dir), "--output", str(second)).returncode == 0
    assert _outputs(first) == _outputs(second)  # the converted Word paper and the pack included
    # One paper changes: the rebuild of the folder that had the old papers equals a clean build.
    paper = meeting_dir / "papers" / "progress-through-partnership-capacity-building.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")
    clean = tmp_path / "clean"
    rebuilt = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(first))
    assert rebuilt.returncode == 0
    assert run_cli("papers", "--inputs", str(meeting_dir), "--output", str(clean)).returncode == 0
    assert _outputs(first) == _outputs(clean)
    assert _outputs(first) != _outputs(second)
    # The run says what it wrote anew (the changed paper, the pack) and what was up to date.
    wrote = {line.split()[-1].rsplit("/", 1)[-1] for line in rebuilt.stdout.splitlines() if line.startswith("Wrote ")}
    assert wrote and all(name.startswith(("2007-05-21-progress", "2011-03-17-strategy")) for name in wrote), wrote
    again = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(first)).stdout
    assert "Wrote " not in again and "Up to date:" in again


def test_a_damaged_supplied_pdf_is_named_and_the_pack_built(meeting_dir, tmp_path):
    (meeting_dir / "supplied" / "progress-through-partnership-strands.pdf").write_bytes(b"%PDF-1.7 damaged")
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "progress-through-partnership-strands.pdf: is not a readable PDF" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert (tmp_path / "out" / PACK).is_file()
    # Built again with nothing changed, the pack is current; the damaged file is still named.
    again = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(tmp_path / "out"))
    assert again.returncode == 1 and "progress-through-partnership-strands.pdf: is not a readable PDF" in again.stdout


def _subsets(path) -> dict[str, set[bytes]]:
    """Each embedded font subset's name, and the font programs that go by it."""
    import hashlib

    import pikepdf

    names: dict[str, set[bytes]] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor" and "/FontFile2" in obj:
                names.setdefault(str(obj.FontName), set()).add(hashlib.sha256(obj.FontFile2.read_raw_bytes()).digest())
    return names


def test_each_font_subset_has_a_name_of_its_own(built):
    # Each part of a paper, and each paper of the pack, embeds its own subsets of the same
    # fonts; ISO 32000-1 (9.6.4) wants different subsets in one file named differently.
    # A paper's parts' subsets are merged: one subset a font (regular, bold, italic, both).
    paper = _subsets(built / "2011-03-17-partnership-update-report.pdf")
    assert sorted(name.split("+")[1] for name in paper) == [
        "Paper-Sans", "Paper-Sans-Bold", "Paper-Sans-Bold-Italic", "Paper-Sans-Italic"]
    # A pack keeps each paper's (and LibreOffice's) subsets, each under a name of its own.
    pack = _subsets(built / PACK)
    assert len(pack) > 4
    for subsets in (paper, pack):
        assert all(len(programs) == 1 for programs in subsets.values()), subsets
