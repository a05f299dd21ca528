"""The meeting over time (pipeline/meeting/publish.py, supplements.py, versions.py, send.py): a clerk's weeks, step by step.

Build, publish the agenda (v1), add a late item and correct a paper, build (a supplement;
the published pack untouched), publish it (v2), send (each version once to each recipient,
the private pack only to those entitled), make an item exempt (nothing of it left in the
publication folder), start the next meeting (its files alone published). A small meeting of
house-style papers, written here, so that it runs in seconds.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import page as page_validation
import pikepdf
import pytest

from support import CABINET_LIST, Mailbox, pdf_text, run_cli

STEM = "2011-03-17-cabinet"
SECRET = "The ledger of the Quince Road sale"  # item 2's words: never published once it is exempt
MEETING = """council = "Example County Council"
committee = "Cabinet"
date = 2011-03-17
time = "10:00"
venue = "County Hall"
published = 2011-03-09
web = "https://www.example.org/cabinet/2011-03-17/"

[clerk]
name = "Committee clerk"
email = "clerk@example.org"

[mail]
from = "Committee clerk <clerk@example.org>"
[mail.smtp]
host = "127.0.0.1"
port = {port}
security = "none"

""" + CABINET_LIST + """
[[item]]
number = "1"
title = "Apologies"

[[item]]
number = "2"
title = "Quince Road"
paper = "papers/quince.md"

[[item]]
number = "3"
title = "Staffing"
paper = "papers/staffing.md"
exempt = 1
"""
LATE = """
[[item]]
number = "2A"
title = "Flood grant"
paper = "papers/flood.md"
late = "The grant must be claimed by 20 March 2011."
"""


def _paper(folder: Path, name: str, title: str, text: str) -> None:
    (folder / "papers" / name).write_text(f'+++\ntitle = "{title}"\n+++\n{text}\n', encoding="utf-8")


def _run(*args: str) -> subprocess.CompletedProcess:
    return run_cli(*args)


def _every_file(folder: Path) -> list[tuple[str, str]]:
    """Each file in ``folder``: its name, and its text (a PDF's read, the rest as bytes)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            text = pdf_text(path) if path.suffix == ".pdf" else path.read_bytes().decode("utf-8", "replace")
            if path.suffix == ".docx":
                text = subprocess.run(["unzip", "-p", str(path)], capture_output=True).stdout.decode("utf-8", "replace")
            found.append((path.name, text))
    return found


@dataclass
class Weeks:
    """The meeting's folders as the clerk's weeks go on, and what each step leaves for the next."""

    inputs: Path
    output: Path
    mailbox: Mailbox
    v1: bytes = b""

    @property
    def common(self) -> tuple[str, ...]:
        return ("--inputs", str(self.inputs), "--output", str(self.output))

    @property
    def publish(self) -> Path:
        return self.output / "publish"

    @property
    def pack(self) -> Path:
        return self.publish / f"{STEM}-pack.pdf"

    @property
    def supplement(self) -> Path:
        return self.publish / f"{STEM}-supplement-1.pdf"

    def edit(self, change) -> None:
        path = self.inputs / "meeting.toml"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _week_1_the_agenda_built_and_published_on_the_day_its_front_sheet_gives(weeks: Weeks) -> None:
    built = _run("papers", *weeks.common)
    assert built.returncode == 0, built.stdout + built.stderr
    early = _run("publish", *weeks.common, "--today", "2011-03-08")
    assert early.returncode == 2 and "the front sheet's date of publication is 9 March 2011" in early.stderr
    first = _run("publish", *weeks.common, "--today", "2011-03-09")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Published version 1 (agenda), 9 March 2011" in first.stdout and "Warning" not in first.stdout
    weeks.v1 = weeks.pack.read_bytes()
    record = json.loads((weeks.output / "versions" / STEM / "record.json").read_text(encoding="utf-8"))
    (version,) = record["versions"]
    assert version["published"] == "2011-03-09" and version["pack"] == weeks.pack.name
    assert {f["name"] for f in version["files"] if not f["private"]} == {p.name for p in weeks.publish.iterdir()}
    assert [f["name"] for f in version["files"] if f["private"]] == [f"{STEM}-private-pack.pdf"]
    assert _run("publish", *weeks.common, "--today", "2011-03-09").stdout.strip().endswith("nothing has changed since.")


def _week_2_a_late_item_and_a_corrected_paper_make_a_supplement(weeks: Weeks) -> None:
    weeks.edit(lambda text: text.replace("\n[[item]]\nnumber = \"3\"", LATE + "\n[[item]]\nnumber = \"3\"").replace(
        "published = 2011-03-09\n", "").replace(
        'paper = "papers/quince.md"', 'paper = "papers/quince.md"\ncorrection = "The sale price is corrected."'))
    _paper(weeks.inputs, "flood.md", "Flood grant", "A grant for flood defences.")
    _paper(weeks.inputs, "quince.md", "Quince Road", f"{SECRET}, as corrected.")
    second = _run("papers", *weeks.common)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Supplement 1 is ready to publish, with 2 change(s)" in second.stdout
    assert weeks.pack.read_bytes() == weeks.v1  # the published pack, byte for byte: its page numbers cannot move
    # Built beside the papers, and in the folder to publish only once it is published.
    assert not weeks.supplement.exists()
    built = weeks.output / weeks.supplement.name
    front = pdf_text(built)
    assert "Supplementary agenda 1" in front and "Supplement 1, page 1" in front
    assert "Reason for urgency: The grant must be claimed by 20 March 2011." in front
    assert "Corrected paper, replacing the one in the agenda pack (9 March 2011): The sale price is corrected." in front
    with pikepdf.open(built) as pdf:
        assert [item.title for item in pdf.open_outline().root] == [
            "Supplementary agenda 1", "Item 2: Quince Road", "Item 2A: Flood grant"]
        assert pdf.Root.PageLabels.Nums[1].P == "S1-"
    report = page_validation.validate_pdf_bytes(built.read_bytes(), profile="ua1")
    assert report.is_compliant, sorted({f.rule_id for f in report.failures})


def _week_2_the_supplement_published_the_agenda_kept(weeks: Weeks) -> None:
    # Dated by the day it is published, given with --today as the clerk's clock would.
    second_publish = _run("publish", *weeks.common, "--today", "2011-03-11")
    assert "Published version 2 (Supplement 1)" in second_publish.stdout, second_publish.stdout + second_publish.stderr
    record = json.loads((weeks.output / "versions" / STEM / "record.json").read_text(encoding="utf-8"))
    assert [v["published"] for v in record["versions"]] == ["2011-03-09", "2011-03-11"]
    assert (weeks.output / "versions" / STEM / "v1" / weeks.pack.name).read_bytes() == weeks.v1
    page_html = (weeks.publish / f"{STEM}-agenda.html").read_text(encoding="utf-8")
    assert f'href="{weeks.pack.name}"' in page_html and f'href="{weeks.supplement.name}"' in page_html
    assert "Item 2A, Flood grant: added as a late item – The grant must be claimed by 20 March 2011." in page_html


def _each_version_sent_once_the_private_pack_only_to_the_member_entitled(weeks: Weeks) -> None:
    sent = _run("send", *weeks.common, "--pack", "--smtp")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    got = {}
    for (to,), message in weeks.mailbox.messages:
        got.setdefault(to, []).append((message["Subject"], sorted(p.get_filename() for p in message.iter_attachments())))
    assert got == {
        "ann@example.org": [("Agenda – Cabinet, 17 March 2011", [f"{STEM}-pack.pdf", f"{STEM}-private-pack.pdf"]),
                            ("Supplement 1 – Cabinet, 17 March 2011", [weeks.supplement.name])],
        "press@example.org": [("Agenda – Cabinet, 17 March 2011", [f"{STEM}-pack.pdf"]),
                              ("Supplement 1 – Cabinet, 17 March 2011", [weeks.supplement.name])],
    }
    again = _run("send", *weeks.common, "--pack", "--smtp")
    assert again.returncode == 0 and "Nothing new to send" in again.stdout and len(weeks.mailbox.messages) == 4


def _an_item_made_exempt_leaves_nothing_of_it_in_the_publication_folder(weeks: Weeks) -> None:
    weeks.edit(lambda text: text.replace('paper = "papers/quince.md"', 'paper = "papers/quince.md"\nexempt = 3'))
    third = _run("papers", *weeks.common)
    assert third.returncode == 1  # an error: a published pack held it, and is taken out of publication
    assert f"item 2 now exempt, but {weeks.pack.name} was published with the paper in it" in third.stdout
    for name, text in _every_file(weeks.publish):
        assert "quince" not in name.lower()
        assert "Quince Road sale" not in text, name
    assert not weeks.pack.exists() and not weeks.supplement.exists()
    assert (weeks.output / "versions" / STEM / "v1" / weeks.pack.name).read_bytes() == weeks.v1  # kept as published
    # The page built says so; the one published changes only when the exemption is published.
    assert "Withdrawn from publication (item 2 now exempt)" in (
        weeks.output / f"{STEM}-agenda.html").read_text(encoding="utf-8")


def _someone_added_to_the_list_now_is_not_sent_the_packs_that_hold_it(weeks: Weeks) -> None:
    weeks.edit(lambda text: text.replace(
        "\n[[item]]", '\n[[recipient]]\nname = "Radio desk"\nemail = "radio@example.org"\n\n[[item]]', 1))
    late_comer = _run("send", *weeks.common, "--pack", "--smtp")
    assert len(weeks.mailbox.messages) == 4, [m["Subject"] for _, m in weeks.mailbox.messages]
    assert f"is not sent Agenda ({weeks.pack.name}): it holds item 2, exempt since it was published" in late_comer.stderr


def _the_next_meeting_alone_is_published_the_last_retired_not_lost(weeks: Weeks) -> None:
    weeks.edit(lambda text: text.replace("date = 2011-03-17", "date = 2011-04-21"))
    fourth = _run("papers", *weeks.common)
    assert fourth.returncode == 0, fourth.stdout + fourth.stderr
    names = sorted(p.name for p in weeks.publish.iterdir())
    assert names and all(name.startswith("2011-04-21-") for name in names), names
    retired = [p.name for p in (weeks.output / "retired").rglob("*") if p.is_file()]
    assert f"{STEM}-agenda.html" in retired


WEEKS = [_week_1_the_agenda_built_and_published_on_the_day_its_front_sheet_gives,
         _week_2_a_late_item_and_a_corrected_paper_make_a_supplement,
         _week_2_the_supplement_published_the_agenda_kept,
         _each_version_sent_once_the_private_pack_only_to_the_member_entitled,
         _an_item_made_exempt_leaves_nothing_of_it_in_the_publication_folder,
         _someone_added_to_the_list_now_is_not_sent_the_packs_that_hold_it,
         _the_next_meeting_alone_is_published_the_last_retired_not_lost]
"""The clerk's weeks, step by step: each builds on the folders the last left."""


def test_the_clerks_weeks(tmp_path, smtp):
    # Each step reports: a step that fails is named with its failure, and the weeks go on,
    # so that one failure does not hide the rest (a step after it may fail in its wake).
    mailbox = Mailbox()
    weeks = Weeks(tmp_path / "inputs", tmp_path / "output", mailbox)
    (weeks.inputs / "papers").mkdir(parents=True)
    (weeks.inputs / "meeting.toml").write_text(MEETING.format(port=smtp(mailbox)), encoding="utf-8")
    _paper(weeks.inputs, "quince.md", "Quince Road", f"{SECRET}, as first written.")
    _paper(weeks.inputs, "staffing.md", "Staffing", "Names of the staff concerned.")
    failed = []
    for step in WEEKS:
        try:
            step(weeks)
        except AssertionError as error:
            failed.append(f"{step.__name__.strip('_').replace('_', ' ')}: {error}")
    assert not failed, "\n\n".join(failed)


def test_publishing_with_too_few_clear_days_is_warned_naming_the_days(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "meeting.toml").write_text('committee = "Cabinet"\ndate = 2011-03-17\npublished = 2011-03-14\n'
                                         '[[item]]\nnumber = "1"\ntitle = "Apologies"\n', encoding="utf-8")
    result = _run("publish", "--inputs", str(inputs), "--output", str(tmp_path / "output"), "--today", "2011-03-14")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("Warning: published on 14 March 2011, the agenda gives 2 clear day(s) before the meeting on 17 March 2011 "
            "(Tue 15 Mar, Wed 16 Mar); the law asks for 5. The last day to publish was 9 March 2011") in result.stdout
    assert "Published version 1 (agenda), 14 March 2011" in result.stdout


def test_a_typo_after_publication_is_refused_never_published_as_a_withdrawal(tmp_path):
    inputs, output = tmp_path / "inputs", tmp_path / "output"
    (inputs / "papers").mkdir(parents=True)
    meeting = ('committee = "Cabinet"\ndate = 2011-03-17\npublished = 2011-03-09\n'
               '[[item]]\nnumber = "1"\ntitle = "Apologies"\n'
               '[[item]]\nnumber = "8a"\ntitle = "Quince Road"\npaper = "papers/quince.md"\n')
    (inputs / "meeting.toml").write_text(meeting, encoding="utf-8")
    _paper(inputs, "quince.md", "Quince Road", "The sale.")
    common = ("--inputs", str(inputs), "--output", str(output))
    assert _run("publish", *common, "--today", "2011-03-09").returncode == 0
    page = (output / "publish" / f"{STEM}-agenda.html").read_bytes()
    # A typo drops the item from the build: named, and nothing published as a decision.
    (inputs / "meeting.toml").write_text(meeting.replace("paper =", "papr ="), encoding="utf-8")
    refused = _run("publish", *common, "--today", "2011-03-10")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "Not published: the meeting's inputs have 2 errors (above)" in refused.stderr
    assert "unknown setting papr — did you mean paper?" in refused.stdout
    assert "item 8a: (Quince Road) was published, and is no longer on the agenda: it is not published as withdrawn" \
        in refused.stdout
    versions = json.loads((output / "versions" / STEM / "record.json").read_text(encoding="utf-8"))["versions"]
    assert [v["number"] for v in versions] == [1]
    # Mended, nothing has changed since the agenda: nothing to publish, and the page as published.
    (inputs / "meeting.toml").write_text(meeting, encoding="utf-8")
    mended = _run("publish", *common, "--today", "2011-03-10")
    assert mended.returncode == 0 and "Nothing new to publish" in mended.stdout, mended.stdout + mended.stderr
    assert (output / "publish" / f"{STEM}-agenda.html").read_bytes() == page


LAW = ('committee = "Cabinet"\ndate = 2011-03-17\n'
       '[[item]]\nnumber = "1"\ntitle = "Quince Road"\npaper = "papers/quince.md"\n')


@pytest.mark.parametrize("today, refused", [
    ("2011-03-18", "the meeting was on 17 March 2011, and nothing is published for a meeting after its day"),
    ("2011-03-17", "the agenda would be published on the day of the meeting (17 March 2011), which gives no notice"),
    ("9999-12-31", "9999-12-31 is not a day a meeting's papers are published on"),
    ("1900-01-01", "1900-01-01 is not a day a meeting's papers are published on"),
])
def test_the_agenda_is_never_published_on_or_after_the_meetings_day(tmp_path, today, refused):
    inputs, output = tmp_path / "inputs", tmp_path / "output"
    (inputs / "papers").mkdir(parents=True)
    (inputs / "meeting.toml").write_text(LAW.replace("date = 2011-03-17", f"date = 2011-03-17\npublished = {today}")
                                         if today.startswith("2011") else LAW, encoding="utf-8")
    _paper(inputs, "quince.md", "Quince Road", "The sale.")
    result = _run("publish", "--inputs", str(inputs), "--output", str(output), "--today", today)
    assert result.returncode == 2 and f"Not published: {refused}" in result.stderr, result.stdout + result.stderr
    assert "set published = 9999" not in result.stderr and "set published = 1900" not in result.stderr
    assert not (output / "versions").exists()


def test_a_supplement_is_dated_after_the_last_and_tabled_on_the_day_only_with_its_reasons(tmp_path):
    inputs, output = tmp_path / "inputs", tmp_path / "output"
    (inputs / "papers").mkdir(parents=True)
    (inputs / "meeting.toml").write_text(LAW, encoding="utf-8")
    _paper(inputs, "quince.md", "Quince Road", "The sale.")
    common = ("--inputs", str(inputs), "--output", str(output))
    assert _run("publish", *common, "--today", "2011-03-09").returncode == 0
    _paper(inputs, "quince.md", "Quince Road", "The sale, corrected.")
    before = _run("publish", *common, "--today", "2011-03-08")
    assert "Not published: Supplement 1 would be published before the agenda (9 March 2011)" in before.stderr
    tabled = _run("publish", *common, "--today", "2011-03-17")
    assert "Not published: Supplement 1, tabled on the day of the meeting, gives no reason for item 1" in tabled.stderr
    (inputs / "meeting.toml").write_text(LAW + 'correction = "The price was wrong."\n', encoding="utf-8")
    tabled = _run("publish", *common, "--today", "2011-03-17")
    assert tabled.returncode == 0 and "Published version 2 (Supplement 1), 17 March 2011" in tabled.stdout, tabled.stderr
    assert "Tabled at the meeting on 17 March 2011." in pdf_text(output / "publish" / f"{STEM}-supplement-1.pdf")
