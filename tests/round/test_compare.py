"""What changed since the last report (pipeline/round/compare.py): two rounds run end to end, each partnership's
return set against last round's, a return sent back unchanged named."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile

import page as page_validation
import pytest
from openpyxl import load_workbook
from render.test_word_accessibility import violations

from pipeline.records.changes import State
from pipeline.records.problems import Source
from pipeline.records.returns import Answer, Return, Value
from pipeline.records.rich_text import Block, BlockKind, Run
from pipeline.render.changes import shortened
from pipeline.round.compare import _compare, _diff
from pipeline.round.read import read_round
from support import AXE, CHROMIUM, INPUTS, SOFFICE, axe_violations, html_text, libreoffice_convert, pdf_pages, run_cli

STEM = "2011-09-22-partnership-update-report"


def _edit(path, edits: dict[str, object], answer: tuple[str, str] | None = None) -> None:
    """A return as a partnership sends it back: ``edits`` to the details by label, and
    ``answer`` (the start of a question, its new answer) typed under its question."""
    book = load_workbook(path, rich_text=True)
    sheet = book["Return"]
    rows = list(sheet.iter_rows())
    for index, row in enumerate(rows):
        label = str(row[0].value) if row[0].value is not None else ""
        if label in edits:
            row[1].value = edits[label]
        if answer and label.startswith(answer[0]):
            rows[index + 1][0].value = answer[1]
    book.save(path)


@pytest.fixture(scope="module")
def second_round(tmp_path_factory):
    """The sample round, then the next, made once for the module: Vale's answer changed,
    Cherwell's contact officer, SPIP's return sent back with only a new date, West
    Oxfordshire's not returned, the Children's Trust's new (none last round). Its inputs, and
    the arguments that build it into an output folder of its own."""
    folder = tmp_path_factory.mktemp("rounds")
    round_dir, output = folder / "inputs", folder / "output"
    shutil.copytree(INPUTS, round_dir)
    (round_dir / "meeting.toml").unlink()  # the round on its own
    shutil.rmtree(round_dir / "papers")
    common = ("--inputs", str(round_dir), "--output", str(output))
    children = round_dir / "Childrens Trust.xlsx"
    kept_aside = children.read_bytes()
    children.unlink()  # no return last round
    started = run_cli("new-round", *common, "--meeting", "2011-09-22", "--deadline", "2011-09-05")
    assert started.returncode == 0, started.stdout + started.stderr
    for path in (round_dir / "last-rounds" / "2011-03-17").glob("*.xlsx"):
        if path.name != "WOSP.xlsx":
            shutil.copy(path, round_dir / path.name)
    children.write_bytes(kept_aside)
    for path in round_dir.glob("*.xlsx"):
        _edit(path, {"Date of completion": dt.datetime(2011, 9, 1)})
    _edit(round_dir / "Vale Partnership.xlsx", {}, ("What is the current focus", "• Housing, and the new town centre"))
    _edit(round_dir / "Cherwell LSP.xlsx", {"Contact officer": "Ann Other"})
    return round_dir, output, common


def test_a_second_round_says_what_changed_and_names_a_return_sent_back_unchanged(second_round, tmp_path):
    round_dir, output, common = second_round
    round_ = read_round(round_dir)
    changes = round_.changes
    assert changes.last_report == dt.date(2011, 3, 17)
    by_id = changes.comparisons
    vale = by_id["vale"]
    assert vale.state is State.CHANGED and vale.details == ("Date of completion",)
    (answer,) = vale.answers
    assert answer.question.startswith("What is the current focus") and answer.kind == "changed"
    assert [op for op, _ in answer.words] == ["-", "+"] and answer.words[1] == ("+", "Housing, and the new town centre")
    cherwell = by_id["cherwell"]
    assert cherwell.state is State.CHANGED and cherwell.answers == ()
    assert cherwell.details == ("Date of completion", "Contact officer")
    spip = by_id["spip"]
    assert spip.state is State.IDENTICAL and spip.details == ("Date of completion",)  # only a new date on top
    assert by_id["west"].state is State.NOT_RETURNED
    assert by_id["cypt"].state is State.NEW
    # The check names each return sent back unchanged, addressed to its partnership, and only those.
    built = run_cli("papers", *common)
    assert built.returncode == 1, built.stdout + built.stderr  # West Oxfordshire's return is still to come
    check = (output / f"{STEM}-check.txt").read_text(encoding="utf-8")
    said = [line for line in check.splitlines() if "identical to its return for 17 March 2011" in line]
    assert any(line.strip().startswith("SPIP.xlsx: Spatial Planning and Infrastructure Partnership's answers are "
                                       "identical to its return for 17 March 2011 — has it been updated?")
               for line in said), said
    assert not [line for line in said if "Vale" in line or "Cherwell" in line or "Children" in line]
    assert "identical to its return" in built.stdout  # and on the console
    assert "anchor" not in built.stderr  # the PDF, in parts, is given no link to another part
    _read_back(output, tmp_path)


LABEL = "Changed since the last report (17 March 2011)"
NAMES = ("Cherwell Local Strategic Partnership", "Vale Partnership", "West Oxfordshire Strategic Partnership",
         "Spatial Planning and Infrastructure Partnership", "Oxfordshire Children and Young People's Trust")
"""The partnerships the summary names."""


def _read_back(output, tmp_path) -> None:
    """The summary, the labels beside exactly the changed answer and details, the words
    marked in each output, the PDF's tags held to PDF/UA-1, the Word file read by LibreOffice."""
    page = (output / f"{STEM}.html").read_text(encoding="utf-8")
    text = html_text(page)
    assert "Changes since the last report (17 March 2011)" in text
    summary = text[text.index("Changes since the last report"):text.index("If you require further")]
    assert ("Changed since the last report: Cherwell Local Strategic Partnership: date of completion, contact officer "
            "Vale Partnership: its answer to “What is the current focus for the Partnership?” (changed), date of "
            "completion Answers identical to those for the last report: Oxfordshire Local Enterprise Partnership "
            "Spatial Planning and Infrastructure Partnership") in summary
    assert "No return this round: West Oxfordshire Strategic Partnership" in summary
    assert "Nothing to compare with: Oxfordshire Children and Young People's Trust: no return last round" in summary
    # The label stands beside Vale's changed answer alone; the details changed are marked where they stand.
    returns = text[text.index("Partnership returns"):]
    assert returns.count(LABEL) == 1 and returns.index(LABEL) > returns.index("Vale Partnership Partnership")
    cherwell = returns[returns.index("Cherwell Local Strategic Partnership Partnership"):]
    assert cherwell.index("Ann Other (changed since the last report)") < cherwell.index("What is the current focus")
    assert returns.count("(changed since the last report)") == 3  # Cherwell's date and officer, Vale's date
    assert re.search(r'<del><span class="change-mark">\[removed\]</span> Tackling disadvantage[^<]*</del>', page)
    assert '<ins><span class="change-mark">[added]</span> Housing, and the new town centre</ins>' in page
    # The PDF: tagged, PDF/UA-1 still, with the marks in its text.
    pdf = output / f"{STEM}.pdf"
    report = page_validation.validate_pdf_bytes(pdf.read_bytes(), profile="ua1")
    assert report.is_compliant, sorted({f.rule_id for f in report.failures})
    pages = pdf_pages(pdf)
    words = " ".join(" ".join(pages).split())
    assert f"{LABEL} [removed] Tackling disadvantage" in words and "[added] Housing, and the new town centre" in words
    # The PDF's summary gives the page each return starts on; the web page, which has no pages, none.
    for name in NAMES:
        starts = [n for n, page in enumerate(pages, start=1) if f"\n{name}\nPartnership " in f"\n{page}"]
        assert len(starts) == 1 and f"{name} (page {starts[0]})" in words, (name, starts)
    assert "(page " not in summary
    if CHROMIUM and AXE.is_file():  # <ins>, <del>, the labels and the links pass WCAG 2.2 AA
        assert axe_violations(output / f"{STEM}.html", tmp_path) == []
    # On the web page each name in the summary links to its return, which is there to go to.
    for pid in ("cherwell", "vale", "spip", "west", "cypt"):
        assert f'<a href="#{pid}">' in page and '<section class="entry' in page and f'id="{pid}"' in page
    # Word, as LibreOffice lays it out: the label, the words marked in words, and the summary
    # giving each return's page in the Word file's own layout (a field), each name a link to it.
    docx = output / f"{STEM}.docx"
    with zipfile.ZipFile(docx) as unzipped:
        document = unzipped.read("word/document.xml").decode("utf-8")
    anchors = re.findall(r'<w:hyperlink w:anchor="(_Return_\d+)"', document)
    compared = len(read_round(output.parent / "inputs").changes.comparisons)  # each partnership named once
    assert len(set(anchors)) == len(anchors) == compared and all(f'w:name="{a}"' in document for a in anchors)
    assert re.findall(r"PAGEREF (_Return_\d+) \\h", document) == anchors
    assert violations(docx.read_bytes()) == []  # as Word's accessibility checker reads it
    if SOFFICE:
        (converted,) = libreoffice_convert([docx], "pdf", tmp_path / "lo", tmp_path / "profile")
        pages = pdf_pages(converted)
        word = " ".join(" ".join(pages).split())
        assert f"{LABEL} [removed] Tackling disadvantage" in word
        assert "[added] Housing, and the new town centre" in word
        assert "Ann Other (changed since the last report)" in word
        for name in NAMES:
            starts = [n for n, page in enumerate(pages, start=1) if f"\n{name}\nPartnership " in f"\n{page}"]
            assert len(starts) == 1 and f"{name} (page {starts[0]})" in word, (name, starts)


def test_comparing_can_be_turned_off(second_round, tmp_path):
    round_dir = shutil.copytree(second_round[0], tmp_path / "inputs")
    settings = round_dir / "paper.toml"
    settings.write_text("compare_last_round = false\n" + settings.read_text(encoding="utf-8"), encoding="utf-8")
    round_ = read_round(round_dir)
    assert round_.changes.comparisons == {} and not [p for p in round_.problems if "identical" in p.message]


def test_what_is_no_change_is_not_a_change_and_words_are_compared_as_words():
    assert _diff("a b c".split(), "a b c".split()) == (("=", "a b c"),)
    assert _diff("the plan is agreed by all".split(), "the new plan is now agreed by all".split()) == (
        ("=", "the"), ("-", "plan is"), ("+", "new plan is now"), ("=", "agreed by all"))
    # A short word kept between a sentence removed and one added is part of the change.
    assert _diff("Tackling the fear of crime".split(), "Housing and the town".split()) == (
        ("-", "Tackling the fear of crime"), ("+", "Housing and the town"))


def _return(*answers: str | None, officer: str = "Emma Morris") -> Return:
    """A return read as intake gives one: each answer's bullets typed as given."""
    source = Source("vale.xlsx", "Return")

    def answer(text):
        return Answer(tuple(Block(BlockKind.BULLET, (Run(line, bold=bold),)) for line, bold in
                            ((line.lstrip("•◦ "), line.startswith("◦")) for line in text.splitlines())), source)

    return Return("vale.xlsx", "Return", {"contact_officer": Value(officer, source)},
                  tuple(answer(a) if a is not None else None for a in answers))


def test_a_new_answer_a_removed_one_and_what_is_not_a_change():
    questions = ("Focus?", "Achieved?", "Plans?", "Big Society?")
    old = _return("• Housing\n• Crime", "• A plan", None, "• Volunteering")
    # Bullets re-typed (◦ for •, made bold), words broken over other lines: no change.
    new = _return("◦ Housing\n◦ Crime", "• A plan", "• More homes", None)
    found = _compare("vale", old, new, questions)
    assert found.state is State.CHANGED and found.details == ()
    assert [(change.question, change.kind) for change in found.answers] == [
        ("Plans?", "new"), ("Big Society?", "removed")]
    assert found.answers[0].words == (("+", "More homes"),) and found.answers[1].words == (("-", "Volunteering"),)
    same = _compare("vale", old, _return("•   Housing\n\n• Crime", "• A  plan", None, "• Volunteering"), questions)
    assert same.state is State.IDENTICAL and same.answers == ()
    officer = _compare("vale", old, _return("• Housing\n• Crime", "• A plan", None, "• Volunteering", officer="Ann"),
                       questions)
    assert officer.state is State.CHANGED and officer.details == ("Contact officer",)


def test_long_kept_runs_are_shortened_around_each_change():
    kept = " ".join(f"w{n}" for n in range(20))
    words = (("=", kept), ("-", "old"), ("+", "new"), ("=", kept))
    assert shortened(words) == (("…", "…"), ("=", "w14 w15 w16 w17 w18 w19"), ("-", "old"), ("+", "new"),
                                ("=", "w0 w1 w2 w3 w4 w5"), ("…", "…"))
