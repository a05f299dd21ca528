"""A meeting built (pipeline/meeting/build.py): the seeds' house-style papers from Markdown, each standing
alone, and the whole meeting byte-identical from build to build."""

from __future__ import annotations

import html
import json
import re

import page as page_validation
import pytest
from docx import Document
from docx.oxml.ns import qn

from support import (
    PAPERS,
    SEEDS,
    docx_paragraphs,
    docx_text,
    normalise,
    pdf_pages,
    pdf_text,
    run_cli,
    seed_text,
    seed_words,
)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the reference papers the sample was written from (a folder shared/seeds beside the checkout, as the maintainers have it) are not here")
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
        for word in seed_words(seed_text(seed)):
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
    assert "Agenda item 7" in docx_text(built / f"{PAPERS['004']}.docx")


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
    for stem in PAPERS.values():
        assert 'class="returns"' not in (built / f"{stem}.html").read_text(encoding="utf-8")
        report = page_validation.validate_pdf_bytes((built / f"{stem}.pdf").read_bytes(), profile="ua1")
        assert report.is_compliant, (stem, sorted({f.rule_id for f in report.failures}))


def _outputs(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def test_a_meeting_built_twice_is_byte_identical_and_so_is_a_rebuild_after_a_change(built, meeting_dir, warm_output, tmp_path):
    second = tmp_path / "b"
    assert run_cli("papers", "--inputs", str(meeting_dir), "--output", str(second)).returncode == 0
    # Every output, the converted Word paper and the pack included, though built from a copy
    # of the inputs elsewhere.
    assert _outputs(built) == _outputs(second)
    # One paper changes: the rebuild of the folder that had the old papers equals a clean build.
    paper = meeting_dir / "papers" / "progress-through-partnership-capacity-building.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")
    clean, first = tmp_path / "clean", warm_output
    rebuilt = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(first))
    assert rebuilt.returncode == 0
    assert run_cli("papers", "--inputs", str(meeting_dir), "--output", str(clean)).returncode == 0
    assert _outputs(first) == _outputs(clean)
    assert _outputs(first) != _outputs(second)
    # The run says what it wrote anew (the changed paper, the pack) and what was up to date.
    wrote = {line.split()[-1].rsplit("/", 1)[-1] for line in rebuilt.stdout.splitlines() if line.startswith("Wrote ")}
    assert wrote and all(name.startswith(("2011-03-17-progress-through-partnership-capacity", "2011-03-17-strategy")) for name in wrote), wrote
    again = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(first)).stdout
    assert "Wrote " not in again and "file(s) already up to date" in again


def test_a_correction_that_adds_a_page_renumbers_the_pack_without_laying_its_pages_out_again(
        meeting_dir, warm_output, tmp_path):
    # The pack's page numbers are parts kept from the last build, a hundred pages each
    # whatever the pack's length: the pages after the longer paper are renumbered from them.
    pack = next(warm_output.glob("*-pack.pdf"))
    pages, kept = len(pdf_pages(pack)), set((warm_output / ".cache" / "parts").iterdir())
    paper = meeting_dir / "papers" / "progress-through-partnership-capacity-building.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\n" + "A late paragraph, with more to say. " * 150 + "\n",
                     encoding="utf-8")
    assert run_cli("papers", "--inputs", str(meeting_dir), "--output", str(warm_output)).returncode == 0
    assert len(pdf_pages(pack)) > pages
    laid = set((warm_output / ".cache" / "parts").iterdir()) - kept
    assert laid and not any("Pack page" in " ".join(pdf_pages(part)) for part in laid)  # the paper's and front sheet's
    # A build with nothing to do keeps the supplied papers' copies beside the page, which it
    # does not make (cache.alone): pruned, the next build made every one again.
    copies = sorted(p.name for p in (warm_output / ".cache" / "alone").iterdir())
    again = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(warm_output)).stdout
    assert copies and "Wrote " not in again
    assert sorted(p.name for p in (warm_output / ".cache" / "alone").iterdir()) == copies
    clean = tmp_path / "clean"
    assert run_cli("papers", "--inputs", str(meeting_dir), "--output", str(clean)).returncode == 0
    assert _outputs(warm_output) == _outputs(clean)


def test_a_wrong_page_count_kept_in_the_cache_never_numbers_a_pack(built, meeting_dir, warm_output):
    # The counts a build keeps (by each PDF's digest) are as untrusted as the rest of the
    # output folder: each one made wrong, the pack made again still numbers its pages truly.
    record = warm_output / ".cache" / "pages.json"
    counts = json.loads(record.read_text(encoding="utf-8"))
    record.write_text(json.dumps({digest: count + 1 for digest, count in counts.items()}), encoding="utf-8")
    next((warm_output / ".cache").glob("manifest-*-meeting.json")).unlink()  # the pack and page made again
    assert run_cli("papers", "--inputs", str(meeting_dir), "--output", str(warm_output)).returncode == 0
    assert _outputs(warm_output) == _outputs(built)
    assert json.loads(record.read_text(encoding="utf-8")) != {d: c + 1 for d, c in counts.items()}  # put right


def test_a_paper_shows_its_meetings_committee_date_and_item_and_one_that_says_otherwise_is_named(tmp_path):
    inputs = tmp_path / "inputs"
    (inputs / "papers").mkdir(parents=True)
    (inputs / "meeting.toml").write_text(
        'committee = "Cabinet"\ndate = 2011-03-17\n'
        '[[item]]\nnumber = "4"\ntitle = "Budget"\npaper = "papers/budget.md"\n'
        '[[item]]\nnumber = "5"\ntitle = "Roads"\npaper = "papers/roads.md"\n', encoding="utf-8")
    (inputs / "papers" / "budget.md").write_text(
        '+++\ntitle = "Budget"\ncommittee = "LSP Executive"\nmeeting_date = 2007-05-21\nagenda_item = "9"\n+++\nText.\n',
        encoding="utf-8")
    (inputs / "papers" / "roads.md").write_text('+++\ntitle = "Roads"\n+++\nText.\n', encoding="utf-8")
    result = run_cli("papers", "--inputs", str(inputs), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    said = [line for line in result.stdout.splitlines() if "says " in line]
    assert said == ["  budget.md: says committee 'LSP Executive', meeting date '21 May 2007', agenda item '9', "
                    "but it is item 4 of the Cabinet on 17 March 2011: it is shown with the meeting's"], result.stdout
    for name, item in (("2011-03-17-budget", "4"), ("2011-03-17-roads", "5")):  # named by the meeting's date
        text = docx_text(tmp_path / "out" / f"{name}.docx")
        assert f"Agenda item {item}" in text and "Cabinet" in text and "17 March 2011" in text
        assert "LSP Executive" not in text and "2007" not in text


def test_a_table_longer_than_a_page_repeats_its_head_on_every_page(tmp_path):
    inputs = tmp_path / "inputs"
    (inputs / "papers").mkdir(parents=True)
    (inputs / "meeting.toml").write_text('committee = "Cabinet"\ndate = 2011-03-17\n'
                                         '[[item]]\nnumber = "1"\ntitle = "Budget"\npaper = "papers/budget.md"\n',
                                         encoding="utf-8")
    rows = "\n".join(f"| Partner {n} | £{n},000 |" for n in range(1, 81))
    (inputs / "papers" / "budget.md").write_text(f'+++\ntitle = "Budget"\n+++\n| Partner | Contribution |\n'
                                                 f"| --- | ---: |\n{rows}\n", encoding="utf-8")
    assert run_cli("papers", "--inputs", str(inputs), "--output", str(tmp_path / "out")).returncode == 0
    pages = pdf_pages(tmp_path / "out" / "2011-03-17-budget.pdf")
    assert len(pages) >= 2
    for text in pages:
        assert "Partner Contribution" in " ".join(text.split()), text[:200]
