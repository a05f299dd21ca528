"""The return forms: what they hold, and the round trip an officer makes with them."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.intake import read_return
from pipeline.intake.dates import parse_date
from pipeline.records.returns import CompletionDate
from pipeline.records.rich_text import BlockKind, Run
from pipeline.round.collate import collate
from pipeline.round.forms import GUIDANCE_SHEET, SHEET, _rich
from pipeline.round.read import read_round
from pipeline.vocabulary import MARKER_SHEET, label_key, question_index
from sample_round.sample import read_sample, segments
from support import INPUTS, libreoffice_convert, needs_libreoffice, run_cli

ROUND = read_round(INPUTS)
PAPER, REGISTRY = ROUND.paper, tuple(e.partnership for e in ROUND.entries)
TYPED = {ret.values["partnership"].value: sample for ret, sample in zip(
    (e.ret for e in ROUND.entries), [next(s for s in read_sample() if s.file == e.ret.file) for e in ROUND.entries]
)}
_MARKER = re.compile(r"^(?P<marker>[•○]|\d+\.)\s+")


def by_id(pid: str):
    return next(p for p in REGISTRY if p.id == pid)


def entry_index(pid: str) -> int:
    return REGISTRY.index(by_id(pid))


@pytest.fixture(scope="module")
def forms_dir(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("forms")
    result = run_cli("forms", "--inputs", str(INPUTS), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


def form_of(forms_dir: Path, partnership) -> Path:
    return next(p for p in forms_dir.iterdir() if load_workbook(p)[MARKER_SHEET]["B3"].value == partnership.id)


def test_a_form_per_partnership_with_safe_names(forms_dir):
    names = sorted(p.name for p in forms_dir.iterdir())
    assert len(names) == 12
    assert "oxfordshire-children-and-young-people-s-trust.xlsx" in names
    assert all(re.fullmatch(r"[a-z0-9-]+\.xlsx", n) for n in names)


def test_form_layout_prefill_protection_and_marker(forms_dir):
    vale = by_id("vale")
    book = load_workbook(forms_dir / "vale-partnership.xlsx")
    assert book.sheetnames == [SHEET, GUIDANCE_SHEET, MARKER_SHEET]
    sheet = book[SHEET]
    labels = {label_key(str(c.value)): c for row in sheet.iter_rows() for c in row if c.value and label_key(str(c.value))}
    assert len(labels) == 6

    def right(key):
        return sheet.cell(labels[key].row, labels[key].column + 1)

    assert right("partnership").value == vale.name
    assert right("contact_officer").value == "Emma Morris"  # from the newest return received
    assert right("chair").value == "John Robertson"
    assert right("completed").value is None  # this round's date is the partnership's to give
    questions = [c for row in sheet.iter_rows() for c in row if c.value and question_index(str(c.value), PAPER.questions) is not None]
    assert [c.value for c in questions] == list(PAPER.questions)
    assert "given in September 2010" in questions[1].value

    assert sheet.protection.sheet and not sheet.protection.password
    assert all(c.protection.locked for c in labels.values())
    assert all(not right(key).protection.locked for key in labels)
    for question in questions:
        answer = sheet.cell(question.row + 1, 1)
        assert question.protection.locked and not answer.protection.locked
        assert answer.alignment.wrap_text and sheet.row_dimensions[answer.row].height >= 100
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "date" and str(validation.sqref) == right("completed").coordinate
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) and sheet.sheet_properties.pageSetUpPr.fitToPage

    guidance = " ".join(str(c.value) for row in book[GUIDANCE_SHEET].iter_rows() for c in row if c.value)
    assert "1 March 2011" in guidance and "partnerships@oxfordshire.gov.uk" in guidance and "Alt+Enter" in guidance
    marker = book[MARKER_SHEET]
    assert marker.sheet_state == "veryHidden"
    assert {marker.cell(r, 1).value: marker.cell(r, 2).value for r in range(1, 5)} == {
        "form": "papers return form", "version": "1", "partnership": "vale", "round": "2011-03-17",
    }


def fill_in(form: Path, sample, target: Path) -> None:
    """Type a return into a form as an officer would: values beside labels, answers below questions."""
    book = load_workbook(form, rich_text=True)
    sheet = book[SHEET]
    typed = {label_key(label): value for label, value in sample.fields}
    for row in sheet.iter_rows():
        for cell in row:
            key = label_key(str(cell.value)) if isinstance(cell.value, str) else None
            if key and key != "partnership":
                value = typed[key]
                if key == "completed":
                    date = parse_date(value)  # Excel turns a typed date into a date
                    value = dt.datetime(date.year, date.month, date.day or 1)
                sheet.cell(cell.row, cell.column + 1).value = value
            index = question_index(str(cell.value), PAPER.questions) if isinstance(cell.value, str) else None
            if index is not None:
                sheet.cell(cell.row + 1, 1).value = _rich(segments(sample.answer_text(index)))
    book.save(target)


def expected_blocks(lines: list[str]) -> list[tuple]:
    """The blocks an officer meant by the lines typed, worked out without papers' parser."""
    out = []
    for line in lines:
        indented = line.startswith("    ")
        body = line.strip()
        match = _MARKER.match(body)
        if match is None:
            kind, level, text = BlockKind.PARAGRAPH, 0, body
        else:
            marker = match["marker"]
            kind = BlockKind.NUMBER if marker[0].isdigit() else BlockKind.BULLET
            level = 1 if indented or marker == "○" else 0
            text = body[match.end():]
        runs: list[Run] = []
        for run in segments(text):
            if runs and (runs[-1].bold, runs[-1].italic, runs[-1].underline) == (run.bold, run.italic, run.underline):
                run = Run(runs.pop().text + run.text, run.bold, run.italic, run.underline)
            runs.append(run)
        out.append((kind, level, tuple(runs)))
    return out


def assert_read_back_as_typed(path: Path, partnership) -> None:
    ret, problems = read_return(path, PAPER.questions)
    assert problems == [], problems
    sample = TYPED[next(e.ret.values["partnership"].value for e in ROUND.entries if e.partnership is partnership)]
    typed = {label_key(label): value for label, value in sample.fields}
    assert ret.name == partnership.name
    date = parse_date(typed["completed"])
    assert ret.completed == CompletionDate(date.year, date.month, date.day or 1)
    for key in ("contact_officer", "contact_details", "chair", "cabinet_member"):
        assert str(ret.values[key]) == typed[key], key
    for index, answer in enumerate(ret.answers):
        got = [(b.kind, b.level, b.runs) for b in answer.blocks]
        assert got == expected_blocks(sample.answers[index]), (partnership.id, index)
    assert collate(PAPER, REGISTRY, [ret], []).entries[REGISTRY.index(partnership)].ret is ret


@pytest.fixture(scope="module")
def filled(forms_dir, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("filled")
    paths = {}
    for partnership in REGISTRY:
        sample = TYPED[next(e.ret.values["partnership"].value for e in ROUND.entries if e.partnership is partnership)]
        paths[partnership.id] = folder / f"{partnership.id}.xlsx"
        fill_in(form_of(forms_dir, partnership), sample, paths[partnership.id])
    return paths


@pytest.mark.parametrize("partnership", REGISTRY, ids=[p.id for p in REGISTRY])
def test_a_filled_form_reads_back_as_typed(filled, partnership):
    ret, _ = read_return(filled[partnership.id], PAPER.questions)
    assert (ret.form_partnership, ret.form_round) == (partnership.id, "2011-03-17")
    assert_read_back_as_typed(filled[partnership.id], partnership)


@needs_libreoffice
def test_filled_forms_resaved_by_libreoffice_read_back_as_typed(filled, tmp_path):
    files = [filled[p.id] for p in REGISTRY]
    resaved = libreoffice_convert(files, "xlsx:Calc MS Excel 2007 XML", tmp_path / "resaved", tmp_path / "profile")
    for partnership, path in zip(REGISTRY, resaved):
        assert path.read_bytes() != filled[partnership.id].read_bytes()
        assert_read_back_as_typed(path, partnership)
        ret, _ = read_return(path, PAPER.questions)
        assert ret.form_partnership == partnership.id  # the hidden marker survives LibreOffice


@needs_libreoffice
def test_blank_forms_open_in_libreoffice(forms_dir, tmp_path):
    files = sorted(forms_dir.iterdir())
    pdfs = libreoffice_convert(files, "pdf", tmp_path / "pdf", tmp_path / "profile")
    for form, pdf in zip(files, pdfs):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "What is the current focus for the Partnership?" in text, form.name
        assert "OCC Cabinet Member" in text


def test_the_marker_identifies_the_partnership_whatever_name_is_typed(filled, tmp_path):
    path = tmp_path / "renamed.xlsx"
    book = load_workbook(filled["vale"], rich_text=True)
    book[SHEET]["B5"] = "VP Board"
    book.save(path)
    ret, _ = read_return(path, PAPER.questions)
    round_ = collate(PAPER, REGISTRY, [ret], [])
    assert round_.entries[entry_index("vale")].ret is ret
    assert round_.problems == ()


def test_without_the_marker_intake_falls_back_to_the_labels(filled, tmp_path):
    path = tmp_path / "no-marker.xlsx"
    book = load_workbook(filled["south"], rich_text=True)
    del book[MARKER_SHEET]
    book.save(path)
    ret, problems = read_return(path, PAPER.questions)
    assert problems == [] and ret.form_partnership == ""
    assert collate(PAPER, REGISTRY, [ret], []).entries[entry_index("south")].ret is ret


def test_last_rounds_form_is_a_warning(filled, tmp_path):
    path = tmp_path / "old.xlsx"
    book = load_workbook(filled["west"], rich_text=True)
    book[MARKER_SHEET]["B4"] = "2010-09-20"
    book.save(path)
    ret, _ = read_return(path, PAPER.questions)
    problems = collate(PAPER, REGISTRY, [ret], []).problems
    assert len(problems) == 1, [str(p) for p in problems]
    (problem,) = problems
    assert "2010-09-20" in problem.message and problem.source.file == "old.xlsx"


def test_tracker_for_the_sample_round(round_dir):
    # Every return is in: the deadline is named, and no days are counted to or past it,
    # however long after the round the check is run.
    for today in ("2011-02-25", "2026-11-24"):
        result = run_cli("check", "--inputs", str(round_dir), "--today", today)
        assert result.returncode == 0
        assert "Returns due by 1 March 2011.\n" in result.stdout
        assert "overdue" not in result.stdout and "left" not in result.stdout
        assert re.subn(r"  received +", "", result.stdout)[1] == 12 and "Still to come" not in result.stdout


def test_tracker_counts_the_days_while_returns_are_outstanding(round_dir):
    (round_dir / "Vale Partnership.xlsx").unlink()
    result = run_cli("check", "--inputs", str(round_dir), "--today", "2011-02-25")
    assert "Returns due by 1 March 2011: 4 days left." in result.stdout


def test_tracker_with_returns_taken_away(round_dir):
    for name in ("Vale Partnership.xlsx", "Childrens Trust.xlsx"):
        (round_dir / name).unlink()
    result = run_cli("check", "--inputs", str(round_dir), "--today", "2011-03-04")
    assert result.returncode == 1
    assert "Returns due by 1 March 2011: 3 days overdue." in result.stdout
    assert re.search(r"MISSING +Vale Partnership", result.stdout)
    assert (
        "Still to come:\n"
        "  Oxfordshire Children and Young People's Trust — no return yet: chase Sarah Breton, "
        "sarah.breton@oxfordshire.gov.uk (3 days overdue)\n"
        "  Vale Partnership — no return yet: chase Emma Morris, emma.morris@southoxon.gov.uk (3 days overdue)"
    ) in result.stdout
    assert re.subn(r"  received +", "", result.stdout)[1] == 10
