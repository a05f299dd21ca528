"""Round after round (pipeline/round/new_round.py): the next round started in one step, last round's returns
known for what they are, reminders drafted then sent, and a covering report with a table."""

from __future__ import annotations

import datetime as dt
import shutil

import page as page_validation
from docx import Document
from openpyxl import load_workbook

from pipeline.round.config import load_paper
from pipeline.round.forms import SHEET
from pipeline.vocabulary import label_key, question_index
from support import Mailbox, docx_text, run_cli

BUDGET = """
## Budget

The partnerships' contributions this year:

| Partner | Contribution | Share |
| --- | ---: | ---: |
| County Council | £4,000 | 50% |
| District councils | £4,000 | 50% |
"""


def _fill(form, target, questions) -> None:
    """Type a return into a form papers wrote, as an officer would: a date beside its label,
    an answer under each question."""
    book = load_workbook(form)
    sheet = book[SHEET]
    for row in sheet.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            if label_key(cell.value) == "completed":
                sheet.cell(cell.row, cell.column + 1).value = dt.datetime(2011, 9, 1)
            elif question_index(cell.value, questions) is not None:
                sheet.cell(cell.row + 1, 1).value = "• Working with the county on the autumn plan"
    book.save(target)


def test_two_rounds(round_dir, tmp_path, smtp):
    output = tmp_path / "output"
    common = ("--inputs", str(round_dir), "--output", str(output))
    # Round one, one return short: its reminder drafted (a log to put away); then the next round in one step.
    (round_dir / "WOSP.xlsx").unlink()
    assert run_cli("chase", *common, "--today", "2011-02-25").returncode == 0
    started = run_cli("new-round", *common, "--meeting", "2011-09-22", "--deadline", "2011-09-05")
    assert started.returncode == 0, started.stdout + started.stderr
    kept = round_dir / "last-rounds" / "2011-03-17"
    assert len(list(kept.glob("*.xlsx"))) == 11 and not list(round_dir.glob("*.xlsx"))
    assert (output / "last-rounds" / "2011-03-17" / "chase.log").is_file() and not (output / "outbox" / "chase.log").exists()
    settings = (round_dir / "paper.toml").read_text(encoding="utf-8")
    assert "meeting_date = 2011-09-22" in settings and "deadline = 2011-09-05" in settings
    assert "previous_meeting = 2011-03-17" in settings and 'last_update = "March 2011"' in settings
    assert "# The paper's own facts." in settings  # the officer's comments kept
    forms = sorted((output / "forms").glob("*.xlsx"))
    assert len(forms) == 12

    # Two forms filled and returned; one of last round's returns left behind by mistake.
    questions = load_paper(round_dir)[0].questions
    assert any("(given in March 2011)" in q for q in questions)
    _fill(output / "forms" / "vale-partnership.xlsx", round_dir / "Vale Partnership.xlsx", questions)
    _fill(output / "forms" / "oxfordshire-local-enterprise-partnership.xlsx", round_dir / "LEP return.xlsx", questions)
    shutil.copy(kept / "OSP.xlsx", round_dir / "OSP.xlsx")
    check = run_cli("check", *common, "--today", "2011-08-30")
    assert "2 of 12 returns received and read without errors." in check.stdout, check.stdout
    assert "LAST ROUND'S" in check.stdout
    assert "Oxford Strategic Partnership — only last round's return is here (OSP.xlsx)" in check.stdout

    # Reminders drafted (shown as drafted), then sent through a real SMTP server (shown as reminded).
    chase = ("chase", *common, "--today", "2011-08-30")
    assert run_cli(*chase).returncode == 0
    drafted = run_cli("check", *common, "--today", "2011-08-31").stdout
    assert "Oxford Strategic Partnership — only last round's return is here (OSP.xlsx): chase" in drafted
    assert drafted.count("reminder drafted 30 August 2011, not sent yet") == 10 and "reminded 30" not in drafted
    mailbox = Mailbox()
    path = round_dir / "paper.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "[mail]\n", f'[mail.smtp]\nhost = "127.0.0.1"\nport = {smtp(mailbox)}\nsecurity = "none"\n\n[mail]\n', 1),
        encoding="utf-8")
    sent = run_cli(*chase, "--smtp")
    assert sent.returncode == 0 and "10 reminded" in sent.stdout, sent.stdout + sent.stderr
    assert len(mailbox.messages) == 10
    reminded = run_cli("check", *common, "--today", "2011-08-31").stdout
    assert reminded.count("; reminded 30 August 2011") == 10 and "not sent yet" not in reminded

    # The covering report with a budget table: a real table in all three outputs.
    (round_dir / "report.md").write_text((round_dir / "report.md").read_text(encoding="utf-8").replace(
        "\n---", BUDGET + "\n---", 1), encoding="utf-8")
    built = run_cli("papers", *common)
    assert built.returncode == 1 and "Traceback" not in built.stderr  # ten returns are still to come
    stem = output / "2011-09-22-partnership-update-report"
    report = page_validation.validate_pdf_bytes(stem.with_suffix(".pdf").read_bytes(), profile="ua1")
    assert report.is_compliant, sorted({f.rule_id for f in report.failures})
    html = stem.with_suffix(".html").read_text(encoding="utf-8")
    assert '<th scope="col" id="section-' in html and 'headers="section-' in html
    document = Document(stem.with_suffix(".docx"))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Partner"]
    assert [c.text for c in table.rows[1].cells] == ["County Council", "£4,000", "50%"]
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # the header row repeats on every page
    assert "| Partner |" not in docx_text(stem.with_suffix(".docx"))


def test_the_next_meeting_starts_clean_of_the_last_ones_supplements(meeting_dir, tmp_path):
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'paper = "papers/progress-through-partnership-capacity-building.md"',
        'paper = "papers/progress-through-partnership-capacity-building.md"\nwithdrawn = "Not ready."').replace(
        'paper = "papers/south-east-employers-funding-for-lsp-capacity-building.md"',
        'paper = "papers/south-east-employers-funding-for-lsp-capacity-building.md"\nexempt = 3\n'
        'correction = "A figure."'), encoding="utf-8")
    started = run_cli("new-round", "--inputs", str(meeting_dir), "--output", str(tmp_path / "out"),
                      "--meeting", "2011-09-22", "--deadline", "2011-09-05")
    assert started.returncode == 0, started.stdout + started.stderr
    assert ("Cleared, as the last meeting's: web now ends in 2011-09-22; item 6's correction; item 7's withdrawn."
            in started.stdout)
    assert "Still marked exempt: item 6: check each is exempt at the new meeting too." in started.stdout
    text = path.read_text(encoding="utf-8")
    assert 'web = "https://www.example.org/committees/scrutiny/2011-09-22/"' in text
    assert "\nwithdrawn =" not in text and "\ncorrection =" not in text and "\nexempt = 3" in text
    assert "# The meeting: its facts" in text  # the clerk's comments kept
