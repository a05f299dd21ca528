"""The agenda pack (pipeline/meeting/packs.py): PDF/UA-1, page numbers and links that land, a bookmark per
item, every source's tags, every word of the papers; bad supplied files named, the rest built."""

from __future__ import annotations

import hashlib
import re
import subprocess

import page as page_validation
import pikepdf
import pytest
import weasyprint

from support import PACK, PAPERS, SEEDS, normalise, run_cli, seed_text, seed_words


def _pdftotext(path, first: int | None = None, last: int | None = None) -> str:
    pages = ["-f", str(first), "-l", str(last)] if first else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                          timeout=120).stdout


@pytest.fixture(scope="module")
def pack_pdf(built):
    return pikepdf.open(built / PACK)


def test_every_pdf_the_meeting_publishes_passes_pdf_ua_1(built):
    # The pack, each paper papers built, the supplied Word paper's conversion and the appendix.
    published = sorted((built / "publish").glob("*.pdf"))
    assert len(published) == 8 and PACK in {p.name for p in published}
    for path in published:
        report = page_validation.validate_pdf_bytes(path.read_bytes(), profile="ua1")
        assert report.is_compliant, (path.name, sorted({f.rule_id for f in report.failures}))


def test_the_agendas_page_numbers_and_links_land_on_the_papers(built, pack_pdf):
    index = {p.objgen: n for n, p in enumerate(pack_pdf.pages, start=1)}
    targets = [index[a.A.D[0].objgen] for a in pack_pdf.pages[0].Annots if a.get("/A", {}).get("/S") == "/GoTo"]
    front = _pdftotext(built / PACK, 1, 1)
    printed = [int(n) for n in re.findall(r"(?<!Pack )page (\d+)", front)]
    assert sorted(printed) == sorted(targets) and len(targets) == 7  # items 3 to 8 have papers, and item 5 an appendix
    targets = sorted(targets)
    titles = ["Partnership update report", "UPDATE FROM THE PARTNERSHIPS", "Progress through Partnership 2009/10",
              "the three strands of", "South East Employers", "Progress through Partnership capacity building",
              "Comprehensive Area Assessment"]
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


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the reference papers the sample was written from (a folder shared/seeds beside the checkout, as the maintainers have it) are not here")
def test_every_word_of_the_seeds_is_in_the_pack(built):
    text = normalise(_pdftotext(built / PACK).replace("“", '"').replace("”", '"'))
    for seed in sorted(PAPERS):
        position = 0
        for word in seed_words(seed_text(seed)):
            found = text.find(word, position)
            assert found >= 0, f"seed {seed}: '{word}' missing or out of order in the pack"
            position = found + len(word)


def test_an_untagged_appendix_is_named_as_what_keeps_the_pack_from_being_accessible(meeting_dir, warm_output):
    untagged = weasyprint.HTML(string="<html lang='en-GB'><body><p>Budget table</p></body></html>").write_pdf()
    (meeting_dir / "supplied" / "budget.pdf").write_bytes(untagged)
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'title = "The three strands of Progress through Partnership" }]',
        'title = "The three strands of Progress through Partnership" }, "supplied/budget.pdf"]'), encoding="utf-8")
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(warm_output))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Item 5, appendix 2: Budget: is a PDF without tags" in result.stdout  # titled by its file, given none
    assert "ask its author for the Word file or a tagged PDF" in result.stdout
    assert "Budget table" in _pdftotext(warm_output / PACK)


def test_a_damaged_supplied_pdf_is_named_and_the_pack_built(meeting_dir, warm_output):
    (meeting_dir / "supplied" / "progress-through-partnership-strands.pdf").write_bytes(b"%PDF-1.7 damaged")
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(warm_output))
    assert result.returncode == 1
    assert "progress-through-partnership-strands.pdf: is not a readable PDF" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "Wrote " + str(warm_output / PACK) in result.stdout  # made again, without it
    # Built again with nothing changed, the pack is current; the damaged file is still named.
    again = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(warm_output))
    assert again.returncode == 1 and "progress-through-partnership-strands.pdf: is not a readable PDF" in again.stdout


def _subsets(path) -> dict[str, set[bytes]]:
    """Each embedded font subset's name, and the font programs that go by it."""

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


def test_the_front_sheet_shows_only_its_pack_page_number(built):
    front = _pdftotext(built / PACK, 1, 1)
    assert "Pack page 1" in front and "Page 1 of" not in front


def test_every_page_of_the_private_pack_is_marked_with_its_paragraph(meeting_dir, warm_output):
    text = (meeting_dir / "meeting.toml").read_text(encoding="utf-8")
    for paper, paragraph in (("papers/south-east-employers-funding-for-lsp-capacity-building.md", 3),
                             ("supplied/comprehensive-area-assessment.docx", 1)):
        text = text.replace(f'paper = "{paper}"', f'paper = "{paper}"\nexempt = {paragraph}')
    (meeting_dir / "meeting.toml").write_text(text, encoding="utf-8")
    output = warm_output
    assert run_cli("papers", "--inputs", str(meeting_dir), "--output", str(output)).returncode == 0
    private = output / "private" / PACK.replace("pack.pdf", "private-pack.pdf")
    pages = [_pdftotext(private, n, n) for n in range(1, 5)]
    assert "NOT FOR PUBLICATION (Sch 12A paras 1, 3)" in pages[0]  # the front sheet: both items'
    assert all("NOT FOR PUBLICATION (Sch 12A para 3)" in page for page in pages[1:3])
    assert "NOT FOR PUBLICATION (Sch 12A para 1)" in pages[3]
    assert "NOT FOR PUBLICATION" not in _pdftotext(output / PACK)
    report = page_validation.validate_pdf_bytes(private.read_bytes(), profile="ua1")
    assert report.is_compliant, sorted({f.rule_id for f in report.failures})


def test_every_page_is_a4_and_a_supplied_paper_carries_the_meetings_running_head(built, pack_pdf):
    sizes = {tuple(round(float(v)) for v in page.mediabox) for page in pack_pdf.pages}
    assert sizes == {(0, 0, 595, 842)}  # the supplied Word paper and appendix were US Letter
    last = _pdftotext(built / PACK, len(pack_pdf.pages), len(pack_pdf.pages))
    assert "Comprehensive Area Assessment" in last
    assert "Strategy and Partnerships Scrutiny Committee – 17 March 2011" in last


def test_the_front_sheet_names_the_council_and_the_clerk_to_contact(built):
    front = " ".join(_pdftotext(built / PACK, 1, 1).split())
    assert front.startswith("Oxfordshire County Council Strategy and Partnerships Scrutiny Committee")
    assert "Contact: Committee clerk, Democratic Services, committee-clerk@example.org" in front
    page = (built / "2011-03-17-strategy-and-partnerships-scrutiny-committee-agenda.html").read_text(encoding="utf-8")
    assert '<a href="mailto:committee-clerk@example.org">committee-clerk@example.org</a>' in page


def test_an_appendix_is_listed_under_its_item_bookmarked_under_it_and_published_beside_the_page(built, pack_pdf):
    title = "Appendix 1: The three strands of Progress through Partnership"
    front = normalise(_pdftotext(built / PACK, 1, 1))
    assert re.search(r"Progress through Partnership 2009/10 .*page 23 .*Appendix 1: The three strands of Progress "
                     r"through Partnership \(page 25\)", front), front
    with pack_pdf.open_outline() as outline:
        item = next(i for i in outline.root if i.title.startswith("Item 5:"))
        assert [child.title for child in item.children] == ["Progress through Partnership 2009/10", title]
    page_html = (built / "publish" / PACK.replace("-pack.pdf", "-agenda.html")).read_text(encoding="utf-8")
    (href,) = re.findall(r'<a class="attachment-title" href="([^"]+)">' + re.escape(title), page_html)
    assert (built / "publish" / href).read_bytes()[:5] == b"%PDF-"


def test_an_agenda_over_several_pages_keeps_its_cells_tied_to_their_headers(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    items = "".join(f'\n[[item]]\nnumber = "{n}"\ntitle = "Item {n}, with a title long enough to wrap onto a second '
                    'line of the agenda"\npurpose = "information"\n' for n in range(1, 41))
    (inputs / "meeting.toml").write_text('committee = "Cabinet"\ndate = 2011-03-17\n' + items, encoding="utf-8")
    assert run_cli("papers", "--inputs", str(inputs), "--output", str(tmp_path / "out")).returncode == 0
    pack = tmp_path / "out" / "2011-03-17-cabinet-pack.pdf"
    assert "Item 40" in _pdftotext(pack, 2, 3)  # the front sheet runs on
    report = page_validation.validate_pdf_bytes(pack.read_bytes(), profile="ua1")
    assert report.is_compliant, sorted({f.rule_id for f in report.failures})  # WeasyPrint's own ties broke here
