"""The sample round built end to end: every partnership, value and answer item in both papers."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

from pipeline.intake.dates import parse_date
from pipeline.round.config import load_config
from pipeline.vocabulary import label_key
from sample_round.sample import read_sample
from support import INPUTS, answer_items, docx_paragraphs, docx_text, normalise, pdf_pages, pdf_text

STEM = "2011-03-17-partnership-update-report"
HEAD = "Strategy and Partnerships Scrutiny Committee – 17 March 2011"

SAMPLE = read_sample()
REGISTRY = load_config(INPUTS).registry


def _expected_values(ret) -> list[str]:
    values = []
    for label, value in ret.fields:
        if label_key(label) == "completed":
            value = str(parse_date(value))  # the paper shows dates normalised
        values.append(value)
    return values


@pytest.fixture(scope="module")
def papers(sample_build):
    result, output = sample_build
    assert result.returncode == 0, result.stdout + result.stderr
    docx, pdf = output / f"{STEM}.docx", output / f"{STEM}.pdf"
    return {"docx": docx_text(docx), "pdf": pdf_text(pdf, HEAD)}


def test_build_writes_word_pdf_and_check_report(sample_build):
    result, output = sample_build
    names = sorted(p.name for p in output.iterdir() if p.name.startswith(STEM))
    assert names == [f"{STEM}-check.txt", f"{STEM}.docx", f"{STEM}.html", f"{STEM}.pdf"]
    assert "12 of 12 returns received" in result.stdout
    assert (output / f"{STEM}-check.txt").read_text(encoding="utf-8").count("received") >= 12


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_every_partnership_in_registry_order(papers, kind):
    text = papers[kind]
    positions = [text.find(p.name) for p in REGISTRY]
    assert all(pos >= 0 for pos in positions), [p.name for p, pos in zip(REGISTRY, positions) if pos < 0]
    # The returns follow the covering report, in the registry's order.
    returns_start = text.find("Partnership returns")
    after = [text.find(p.name, returns_start) for p in REGISTRY]
    assert after == sorted(after)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("ret", SAMPLE, ids=[r.file for r in SAMPLE])
def test_every_header_value_and_answer_item(papers, kind, ret):
    text = papers[kind]
    missing = [v for v in _expected_values(ret) + answer_items(ret) if normalise(v) not in text]
    assert not missing, f"{ret.file}: not in the {kind}: {missing}"


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_covering_report_and_questions(papers, kind):
    text = papers[kind]
    for phrase in (
        "Strategy and Partnerships Scrutiny Committee",
        "17 March 2011",
        "Partnership update report",
        "Purpose / Recommendation",
        "Members are asked to note the partnership changes",
        "All District LSPs",
        "Claire Moore",
        "What has the Partnership achieved since the last update? (given in September 2010)",
    ):
        assert phrase in text, phrase
    assert "SYP10" not in text and "<ul" not in text  # the seed's conversion debris stays out


def test_word_uses_its_own_list_styles_with_nesting(sample_build):
    _, output = sample_build
    paragraphs = docx_paragraphs(output / f"{STEM}.docx")
    styles = {style for style, _ in paragraphs}
    assert {"ListBullet", "ListBullet2", "ListNumber2", "NumberedParagraph", "Heading1", "Heading2"} <= styles
    nested = [text for style, text in paragraphs if style == "ListBullet2"]
    assert "Funding of East West Rail that will enable the development of 100,000 jobs and 100,000 homes" in nested
    assert not any(text.lstrip().startswith(("•", "○")) for _, text in paragraphs)
    numbered = [text for style, text in paragraphs if style == "NumberedParagraph"]
    assert len(numbered) == 9 and numbered[0].startswith("This paper provides an update")


def test_pdf_is_a4_with_page_numbers_and_embedded_fonts(sample_build):
    _, output = sample_build
    reader = PdfReader(output / f"{STEM}.pdf")
    pages = reader.pages
    assert len(pages) > 5
    box = pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    texts = pdf_pages(output / f"{STEM}.pdf")
    assert f"Page 1 of {len(pages)}" in texts[0] and f"Page {len(pages)} of {len(pages)}" in texts[-1]
    fonts = set()
    for page in pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.add("/FontFile2" in descriptor)
    assert fonts == {True}


def test_no_question_stands_alone_at_the_foot_of_a_page(sample_build):
    _, output = sample_build
    questions = load_config(INPUTS).paper.questions
    for number, text in enumerate(pdf_pages(output / f"{STEM}.pdf"), start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("Page ")]
        assert lines and lines[-1] not in questions, f"page {number} ends with a question"


def test_source_date_epoch_dates_the_papers(round_dir, tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1300000000"}  # 13 March 2011, 07:06:40 UTC
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "papers", "--inputs", str(round_dir), "--output", str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    created = Document(tmp_path / f"{STEM}.docx").core_properties.created
    assert created.replace(tzinfo=None) == dt.datetime(2011, 3, 13, 7, 6, 40)
    assert PdfReader(tmp_path / f"{STEM}.pdf").metadata["/CreationDate"].startswith("D:20110313070640")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_first_and_partnership_pages_render_with_ink(sample_build, tmp_path):
    _, output = sample_build
    for page in (1, 3):
        subprocess.run(
            ["pdftoppm", "-png", "-gray", "-r", "30", "-f", str(page), "-l", str(page), "-singlefile",
             str(output / f"{STEM}.pdf"), str(tmp_path / f"p{page}")],
            check=True,
        )
        with Image.open(tmp_path / f"p{page}.png") as image:
            dark = sum(1 for value in image.tobytes() if value < 128)
        assert dark > 1000, f"page {page} is nearly blank"
