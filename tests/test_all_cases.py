"""One round holding every kind of trouble at once: it builds both papers, exits 1, names all."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import Workbook, load_workbook

from sample_round.sample import read_sample, write_inputs
from support import HOSTILE, docx_text, normalise, pdf_text, run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STEM = "2011-03-17-partnership-update-report"


def _sample(name: str):
    return next(r for r in read_sample() if r.file == name)


def test_a_round_with_everything_wrong(round_dir, tmp_path):
    (round_dir / "Cherwell LSP.xlsx").write_bytes(b"PK\x03\x04 damaged in the post")
    shutil.copy(FIXTURES / "password-protected.xlsx", round_dir / "Locked.xlsx")
    (round_dir / "South Oxfordshire Partnership.xlsx").unlink()
    (round_dir / "~$Vale Partnership.xlsx").write_bytes(b"lock")
    (round_dir / ".DS_Store").write_bytes(b"\0")
    (round_dir / "covering email.txt").write_text("Here you go")

    vale = _sample("Vale Partnership.xlsx")
    vale.fields = [(label, value) for label, value in vale.fields if label != "Chairman"]
    health = _sample("Health and Wellbeing.xlsx")
    health.answers[0].append(f"• {HOSTILE}")
    health.answers[1].append("• A bell_x0007_ rang")
    osca = _sample("OSCA.xlsx")
    older_west = _sample("WOSP.xlsx")
    older_west.file = "WOSP draft.xlsx"
    older_west.fields = [(l, "14 Jan 2011" if l == "Date of completion" else v) for l, v in older_west.fields]
    stranger = _sample("Vale Partnership.xlsx")
    stranger.file = "Parish cluster.xlsx"
    stranger.fields = [(l, "Parish Cluster Forum" if l == "Partnership" else v) for l, v in stranger.fields]
    write_inputs(round_dir, [vale, health, osca, older_west, stranger])

    # A formula never calculated: written by openpyxl, which stores no value for it.
    book = load_workbook(round_dir / "OSCA.xlsx")
    (chair,) = [row[1] for row in book["Return"].iter_rows() if row[0].value == "Chairman"]
    chair.value = '=UPPER("x")'
    book.save(round_dir / "OSCA.xlsx")

    book = Workbook()
    book.active.append(["Budget", 100])
    book.save(round_dir / "budget.xlsx")

    output = tmp_path / "out"
    result = run_cli("papers", "--inputs", str(round_dir), "--output", str(output))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    report = (output / f"{STEM}-check.txt").read_text(encoding="utf-8")
    assert report.strip() in result.stdout  # the console shows the report written beside the papers

    expected = [
        "Cherwell LSP.xlsx: not a readable Excel workbook",
        "Locked.xlsx: password-protected",
        "budget.xlsx: no return sheet",
        "Vale Partnership.xlsx [Return] A9: 'Chairman' is blank",
        "Health and Wellbeing.xlsx [Return] A16: 1 unprintable character(s) dropped",
        "OSCA.xlsx [Return] B9: holds a formula that was never calculated",
        "WOSP draft.xlsx: a second return from West Oxfordshire Strategic Partnership; the newer one, WOSP.xlsx, is used",
        "Parish cluster.xlsx [Return] B5: 'Parish Cluster Forum' is not a partnership in the registry",
        "South Oxfordshire Partnership — no return yet: chase Emma Morris",
        # Its file arrived, damaged: received, unreadable, and chased for a readable copy.
        "Cherwell Local Strategic Partnership — Cherwell LSP.xlsx could not be read",
        "for a readable copy",
        "received — UNREADABLE Cherwell Local Strategic Partnership",
        "MISSING South Oxfordshire Partnership",
        "PROBLEM Vale Partnership",
        # Advice names the partnership, not the file.
        "ask Cherwell Local Strategic Partnership to open it in Excel",
        "ask Oxfordshire Stronger Communities Alliance to type the value in B9",
        # Excel's lock file beside a return is explained.
        "Vale Partnership.xlsx: may be open in Excel with unsaved changes",
    ]
    folded = " ".join(report.split())
    missing = [line for line in expected if line not in folded]
    assert not missing, report
    for quiet in ("DS_Store", "covering email"):
        assert quiet not in report

    docx = docx_text(output / f"{STEM}.docx")
    pdf = pdf_text(output / f"{STEM}.pdf", "Strategy and Partnerships Scrutiny Committee – 17 March 2011")
    for text in (docx, pdf):
        assert normalise(HOSTILE) in text
        assert "A bell rang" in text
        assert "South Oxfordshire Partnership Partnership South Oxfordshire Partnership Return No return received" in text
        assert "Parish Cluster Forum" not in text
