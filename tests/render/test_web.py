"""The web pages: the meeting's agenda page links every public paper and the pack, an exempt
item's text is in no public output, and every page passes axe-core's WCAG 2.2 AA rules in
headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from support import AXE, CHROMIUM, axe_violations, docx_text, reflow_overflow, run_cli

AGENDA = "2011-03-17-strategy-and-partnerships-scrutiny-committee-agenda.html"


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (make test installs it with npm)")
def test_every_web_page_passes_axe_wcag_2_2_aa(built, tmp_path):
    pages = sorted(built.glob("*.html"))
    assert len(pages) == 6  # five papers and the agenda
    for page in pages:
        assert axe_violations(page, tmp_path) == [], page.name


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (make test installs it with npm)")
def test_axe_catches_what_it_should(tmp_path):
    # The control: a page with an image without alternative text and no language.
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><img src="x.png"></body></html>')
    rules = {rule for rule, _ in axe_violations(bad, tmp_path)}
    assert {"image-alt", "html-has-lang"} <= rules


def test_the_agenda_page_links_every_file_published_each_papers_web_page_first(built):
    page = (built / AGENDA).read_text(encoding="utf-8")
    hrefs = [h for h in re.findall(r'href="([^"]+)"', page) if not h.startswith("mailto:")]  # the clerk's address
    published = {p.name for p in (built / "publish").iterdir()} - {AGENDA, AGENDA.replace("agenda.html", "meeting.json")}
    assert sorted(hrefs) == sorted(published)  # every paper in each format, item 5's appendix, the pack: once each
    report = [h for h in hrefs if h.startswith("2011-03-17-partnership-update-report.")]
    assert report == [f"2011-03-17-partnership-update-report.{suffix}" for suffix in ("html", "pdf", "docx")]
    assert any(h.endswith("comprehensive-area-assessment.pdf") for h in hrefs)  # a supplied paper: its PDF
    assert hrefs[-1].endswith("-pack.pdf")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_the_agenda_page_reflows_at_400_percent_zoom(built, tmp_path):
    assert reflow_overflow(built / AGENDA, tmp_path) <= 0
    # The control: a table wider than the window does not reflow.
    wide = tmp_path / "wide.html"
    wide.write_text('<!DOCTYPE html><html lang="en"><body><table><tr>' + "<td>column</td>" * 60
                    + "</tr></table></body></html>", encoding="utf-8")
    assert reflow_overflow(wide, tmp_path) > 0


def _public_text(output) -> str:
    """Every public output's text: the PDFs and Word files read, the rest as bytes."""
    texts = []
    for path in output.rglob("*"):
        if not path.is_file() or "private" in path.relative_to(output).parts:
            continue
        if path.suffix == ".pdf":
            texts.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout)
        elif path.suffix == ".docx":
            texts.append(docx_text(path))
        elif zipfile.is_zipfile(path):
            continue
        else:
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed (apt-get install poppler-utils)")
def test_an_exempt_items_text_is_in_no_public_output(meeting_dir, warm_output):
    (meeting_dir / "papers" / "staffing.md").write_text(
        '+++\ntitle = "Staffing of the partnerships team"\n+++\n\n## Proposals\n\n'
        "The post of Zephyrine Quillfeather is to be deleted.\n", encoding="utf-8")
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[[item]]\nnumber = "9"\ntitle = "Staffing"\n'
                    'purpose = "decision"\npaper = "papers/staffing.md"\nexempt = 1\n', encoding="utf-8")
    output = warm_output
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    public = _public_text(output)
    assert "Quillfeather" not in public and "Zephyrine" not in public
    # The public pack and page list the item, with its paragraph of Schedule 12A.
    agenda = (output / AGENDA).read_text(encoding="utf-8")
    assert "Staffing" in agenda and "Exempt: paragraph 1 of Schedule 12A" in agenda
    front = subprocess.run(["pdftotext", "-l", "1", str(output / AGENDA.replace("agenda.html", "pack.pdf")), "-"],
                           capture_output=True, text=True).stdout
    assert "Staffing" in front and "paragraph 1 of Schedule 12A" in " ".join(front.split())
    # The private pack holds it.
    private = output / "private" / AGENDA.replace("agenda.html", "private-pack.pdf")
    text = subprocess.run(["pdftotext", str(private), "-"], capture_output=True, text=True).stdout
    assert "Zephyrine Quillfeather" in text
