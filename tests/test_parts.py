"""A paper's PDF in parts (pipeline/parts.py): a changed return lays out its own part alone; kept parts
are checked before use; the parts' grouping, not the cores, decides the bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from pipeline.filenames import TEMPLATES
from pipeline.machinery.workers import Workers
from pipeline.parts import Part, lay_out
from pipeline.round.build import build_round
from support import NOW, cli_env, needs_workers

STEM = "2011-03-17-partnership-update-report"
SUFFIXES = (".docx", ".pdf", ".html", "-check.txt")


def outputs(folder: Path) -> dict[str, bytes]:
    return {s: (folder / f"{STEM}{s}").read_bytes() for s in SUFFIXES}


def _parts(output: Path) -> set[str]:
    return {p.name for p in (output / ".cache" / "parts").glob("*.pdf")}


def test_one_changed_return_lays_out_only_its_own_part(round_dir, round_output):
    # The PDF is laid out in parts (the report, then a few returns at a time); a correction
    # to one return lays out the part it is in, and nothing else.
    output = round_output
    before = _parts(output)
    assert len(before) >= 4  # the report, the returns in parts, the page furniture
    path = round_dir / "Vale Partnership.xlsx"
    book = load_workbook(path, rich_text=True)
    book["Return"]["B10"] = "Cllr Jane Newchair"
    book.save(path)
    build_round(round_dir, output, NOW)
    after = _parts(output)
    assert len(after - before) == 1 and len(before - after) == 1  # the old part is pruned


@needs_workers  # a second core to compare against
def test_the_papers_are_the_same_on_one_core_and_leave_no_temporary_folder(round_dir, tmp_path):
    # On two cores the parts are laid out side by side; on one, one after another. And
    # WeasyPrint copies the fonts into a temporary folder for each font configuration: the
    # one each process shares is freed as the process ends, workers included (they end
    # without running exit handlers), with no error on the way out.
    built = {}
    for cores, affinity in (("two", None), ("one", {min(os.sched_getaffinity(0))})):
        temporary, output = tmp_path / f"tmp-{cores}", tmp_path / f"out-{cores}"
        temporary.mkdir()
        result = subprocess.run([sys.executable, "-m", "pipeline", "papers", "--inputs", str(round_dir),
                                 "--output", str(output)], capture_output=True, text=True,
                                env=cli_env(TMPDIR=str(temporary)), stdin=subprocess.DEVNULL,
                                preexec_fn=affinity and (lambda: os.sched_setaffinity(0, affinity)))
        assert result.returncode == 0, result.stderr
        assert "Exception" not in result.stderr and "Traceback" not in result.stderr
        assert list(temporary.iterdir()) == []
        built[cores] = outputs(output)
    assert built["two"] == built["one"]


def test_a_damaged_kept_part_is_laid_out_again(round_dir, round_output):
    output = round_output
    clean = outputs(output)
    for part in (output / ".cache" / "parts").glob("*.pdf"):
        part.write_bytes(part.read_bytes()[:100])  # cut short, as by a full disk
    (output / ".cache" / f"manifest-{STEM}.json").unlink()
    assert build_round(round_dir, output, NOW).rebuilt
    assert outputs(output) == clean


def test_parts_are_laid_out_longest_first_and_given_back_in_order():
    # The longest part first, so that two workers end together; each result in its part's
    # place, and told to ``done`` by it.
    sizes = [1, 3, 2]
    laying = [Part("<html lang='en-GB'><head><title>t</title><link rel='stylesheet' href='report.css'></head><body>"
                   + "".join(f"<p style='break-after: page'>Page {n}</p>" for n in range(pages)) + "</body></html>",
                   "t", "", NOW) for pages in sizes]
    told = {}
    with Workers(usable=False) as workers:
        laid, _ = lay_out(laying, TEMPLATES, workers, done=lambda index, result: told.setdefault(index, result.pages))
    assert [part.pages for part in laid] == sizes
    assert told == dict(enumerate(sizes))
    assert list(told) == [1, 2, 0]  # laid out longest first
