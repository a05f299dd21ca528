"""After an exemption the public keeps its pack (pipeline/meeting/withdrawn.py, redaction.py, pdf/redact.py): a redacted copy of each published pack that held the item, its pages replaced one for one, published as the next version.

One meeting is built and published once for the module (the agenda, then the supplement
that makes item 2 exempt); the tests that only read it share it, and those that go on to
publish or send more work on a copy.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import page as page_validation
import pikepdf
import pytest
import weasyprint
from pypdf import PdfReader

from pipeline import pdf
from support import CABINET_LIST, Mailbox, html_text, pdf_pages, run_cli

STEM = "2011-03-17-cabinet"
PACK, COPY = f"{STEM}-pack.pdf", f"{STEM}-pack-redacted-1.pdf"
SECRET = "The ledger of the Quince Road sale"
MEETING = """committee = "Cabinet"
date = 2011-03-17
published = 2011-03-09
web = "https://www.example.org/cabinet/"

[mail]
from = "Committee clerk <clerk@example.org>"

""" + CABINET_LIST + """
[[item]]
number = "1"
title = "Apologies"

[[item]]
number = "2"
title = "Quince Road"
paper = "papers/quince.md"
appendices = ["supplied/quince-valuation.pdf"]

[[item]]
number = "3"
title = "Library hours"
paper = "papers/library.md"
"""


def _exempt(inputs: Path, *numbers: str) -> None:
    """meeting.toml with items ``numbers`` exempt under paragraph 3, and the others public."""
    text = MEETING
    for number, title in (("2", "Quince Road"), ("3", "Library hours")):
        if number in numbers:
            text = text.replace(f'title = "{title}"\n', f'title = "{title}"\nexempt = 3\n')
    (inputs / "meeting.toml").write_text(text, encoding="utf-8")


def _publish(inputs: Path, output: Path, today: str) -> str:
    result = run_cli("publish", "--inputs", str(inputs), "--output", str(output), "--today", today)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def redacted(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The meeting published as the agenda on 9 March (kept as it was, in ``agenda``), then
    item 2 made exempt and Supplement 1 published on 10 March: inputs, output, agenda."""
    root = tmp_path_factory.mktemp("redacted")
    inputs, output = root / "inputs", root / "output"
    (inputs / "papers").mkdir(parents=True)
    (inputs / "supplied").mkdir()
    (inputs / "meeting.toml").write_text(MEETING, encoding="utf-8")
    (inputs / "papers" / "quince.md").write_text('+++\ntitle = "Quince Road"\n+++\n' + f"{SECRET}.\n\n" * 90,
                                                 encoding="utf-8")
    (inputs / "papers" / "library.md").write_text('+++\ntitle = "Library hours"\n+++\nThe libraries open at nine.\n',
                                                  encoding="utf-8")
    valuation = f"<html lang='en-GB'><head><title>Valuation</title></head><body><p>{SECRET}: the valuation</p></body></html>"
    (inputs / "supplied" / "quince-valuation.pdf").write_bytes(weasyprint.HTML(string=valuation).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True))  # tagged: the pack as published passes PDF/UA-1
    _publish(inputs, output, "2011-03-09")
    shutil.copytree(output, root / "agenda")
    _exempt(inputs, "2")
    _publish(inputs, output, "2011-03-10")
    return inputs, output, root / "agenda"


def _copy(redacted, tmp_path: Path) -> tuple[Path, Path]:
    inputs, output = tmp_path / "inputs", tmp_path / "output"
    shutil.copytree(redacted[0], inputs)
    shutil.copytree(redacted[1], output)
    return inputs, output


def _labels(path: Path) -> list[str]:
    return PdfReader(path).page_labels


def test_the_copy_withholds_the_item_s_pages_one_for_one_and_moves_no_other(redacted):
    _, output, agenda = redacted
    published, copy = agenda / PACK, output / "publish" / COPY
    before, after = pdf_pages(published), pdf_pages(copy)
    assert len(after) == len(before) == 6 and _labels(copy) == _labels(published)
    withheld = [n for n, text in enumerate(before) if SECRET in text]
    assert withheld == [1, 2, 3, 4]  # its paper's three pages, then its appendix
    for n, (was, now) in enumerate(zip(before, after)):
        assert f"Pack page {n + 1}" in now  # every page keeps its number
        if n in withheld:
            assert SECRET not in now and "exempt" in now and "paragraph 3 of Schedule 12A" in now
        else:
            assert now == was  # the front sheet and item 3, as published
    assert "Its 4 pages in this pack, from Pack page 2 to Pack page 5, are withheld" in " ".join(after[1].split())
    # Nothing of the item is left in the file: not its words, nor its bookmarks below its own.
    with pikepdf.open(copy) as document:
        raw = b"".join(obj.read_bytes() for obj in document.objects if isinstance(obj, pikepdf.Stream))
        with document.open_outline() as outline:
            marks = [(mark.title, [child.title for child in mark.children]) for mark in outline.root]
        assert str(document.docinfo.Title) == "Agenda pack, redacted with Supplement 1 – Cabinet, 17 March 2011"
    assert b"ledger" not in raw.lower()
    assert marks == [("Agenda", ["Agenda"]), ("Item 2: Quince Road", []), ("Item 3: Library hours", ["Library hours"])]


def test_the_copy_passes_pdf_ua_1_as_the_pack_it_redacts_does(redacted):
    _, output, agenda = redacted
    for path in (agenda / PACK, output / "publish" / COPY):
        report = page_validation.validate_pdf_bytes(path.read_bytes(), profile="ua1")
        assert [f.rule_id for f in report.failures] == [], path.name


def test_the_copy_is_published_as_the_next_version_in_the_pack_s_place(redacted):
    inputs, output, _ = redacted
    assert sorted(p.name for p in (output / "publish").glob("*.pdf")) == [
        COPY, f"{STEM}-supplement-1.pdf", "2011-03-17-library-hours.pdf"]
    record = json.loads((output / "versions" / STEM / "record.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in record["versions"][1]["files"] if f["name"].endswith(".pdf")] == [
        COPY, f"{STEM}-supplement-1.pdf", f"{STEM}-private-supplement-1.pdf"]  # the paper as published in v1
    page = html_text((output / "publish" / f"{STEM}-agenda.html").read_text(encoding="utf-8"))
    assert "Agenda pack Withdrawn from publication (item 2 now exempt) Published 9 March 2011" in page
    assert re.search(r"Agenda pack, redacted with Supplement 1 \(PDF\) PDF, \d+ KB, 6 pages Published 10 March 2011", page)
    data = (output / "publish" / f"{STEM}-meeting.json").read_text(encoding="utf-8")
    assert COPY in data and f'"{PACK}"' not in data
    front = " ".join(pdf_pages(output / "publish" / f"{STEM}-supplement-1.pdf"))
    assert "replaced by redacted copies" in " ".join(front.split()) and SECRET not in front
    # The private pack is rebuilt to hold the newly exempt paper, for those entitled.
    private = " ".join(pdf_pages(output / "private" / f"{STEM}-private-supplement-1.pdf"))
    assert SECRET in private and "NOT FOR PUBLICATION (Sch 12A para 3)" in private
    # And it is made again only when something changes: the build after publishing has nothing to do.
    rebuilt = run_cli("papers", "--inputs", str(inputs), "--output", str(output))
    assert f"Wrote {output / COPY}" not in rebuilt.stdout


def test_a_recipient_who_joins_late_is_sent_the_current_complete_set(redacted, tmp_path, smtp):
    inputs, output = _copy(redacted, tmp_path)
    mailbox = Mailbox()
    path = inputs / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[[item]]", (
        '[[recipient]]\nname = "Cllr Late"\nemail = "late@example.org"\n\n'
        f'[mail.smtp]\nhost = "127.0.0.1"\nport = {smtp(mailbox)}\nsecurity = "none"\n\n[[item]]'), 1), encoding="utf-8")
    sent = run_cli("send", "--inputs", str(inputs), "--output", str(output), "--pack", "--smtp")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    late = [message for (to,), message in mailbox.messages if to == "late@example.org"]
    assert [m["Subject"] for m in late] == ["Supplement 1 – Cabinet, 17 March 2011"]
    attached = {part.get_filename(): part.get_content() for part in late[0].iter_attachments()}
    assert sorted(attached) == [COPY, f"{STEM}-supplement-1.pdf"]  # the agenda pack, redacted, and the supplement
    assert attached[COPY] == (output / "publish" / COPY).read_bytes()
    assert "redacted copies" in late[0].get_body(("plain",)).get_content()
    assert "is not sent Agenda (2011-03-17-cabinet-pack.pdf)" in sent.stderr
    entitled = [m for (to,), m in mailbox.messages if to == "ann@example.org"]
    assert [sorted(p.get_filename() for p in m.iter_attachments()) for m in entitled] == [
        [PACK], [COPY, f"{STEM}-private-supplement-1.pdf", f"{STEM}-supplement-1.pdf"]]


def test_a_second_exemption_redacts_the_pack_as_first_published_and_public_again_supersedes(redacted, tmp_path):
    inputs, output = _copy(redacted, tmp_path)
    _exempt(inputs, "2", "3")
    said = _publish(inputs, output, "2011-03-11")
    second = output / "publish" / f"{STEM}-pack-redacted-2.pdf"
    assert not (output / "publish" / COPY).exists() and "pack-redacted-1.pdf" in said  # it holds item 3: taken down
    pages = pdf_pages(second)
    assert len(pages) == 6 and "Item 3: Library hours" in pages[5] and "withheld" in pages[5]
    assert "The libraries open at nine" not in " ".join(pages) and SECRET not in " ".join(pages)
    page = html_text((output / "publish" / f"{STEM}-agenda.html").read_text(encoding="utf-8"))
    assert ("Agenda pack, redacted with Supplement 1 Withdrawn from publication (item 3 now exempt) "
            "Published 10 March 2011") in page
    # Item 2 public again: the copy withholding it is superseded by one withholding item 3 alone.
    _exempt(inputs, "3")
    _publish(inputs, output, "2011-03-12")
    third = pdf_pages(output / "publish" / f"{STEM}-pack-redacted-3.pdf")
    assert SECRET in " ".join(third) and "The libraries open at nine" not in " ".join(third)
    assert not second.exists()
    page = html_text((output / "publish" / f"{STEM}-agenda.html").read_text(encoding="utf-8"))
    assert "redacted with Supplement 2 Withdrawn from publication (superseded" in page


def test_redacting_gives_the_same_bytes_each_time(redacted):
    _, _, agenda = redacted
    data = (agenda / PACK).read_bytes()
    stand_in = weasyprint.HTML(string="<html lang='en-GB'><head><title>Withheld</title></head><body>"
                                      + "".join(f"<p style='break-before: page'>Page {n} withheld</p>" for n in range(4))
                                      + "</body></html>").write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    redaction = pdf.Redaction("Item 2: Quince Road", "Item 2, appendix ", pdf.repair(stand_in))
    assert pdf.item_pages(data, redaction.title, redaction.appendices) == range(1, 5)
    once = pdf.redact(data, [redaction], "Redacted")
    assert once == pdf.redact(data, [redaction], "Redacted") and SECRET not in " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(once)).pages)
    with pytest.raises(ValueError, match="1 pages to stand in for 4"):  # a bug, never a pack with pages moved
        pdf.redact(data, [pdf.Redaction(redaction.title, redaction.appendices, pdf.repair(weasyprint.HTML(
            string="<p>one</p>").write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)))], "Redacted")
