"""Hostile files, settings and failures cost nothing but themselves: each class of attack or
accident is built here from a real file or setting of its kind, and must end in a message
that says what to do — never a traceback, never another return lost."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import page as page_validation
import pikepdf
import pytest
from fontTools.ttLib import TTFont
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from pipeline.filenames import TEMPLATES
from pipeline.intake import read_return
from pipeline.intake.workbook import MAX_PART_BYTES
from pipeline.render.coverage import _SURE, EMOJI, FALLBACK, PACKAGES
from pipeline.render.html import PDF_STYLESHEETS, render_html
from pipeline.render.links import split_links
from pipeline.render.view import build_view
from support import (
    QUESTIONS,
    ROOT,
    SOFFICE,
    WHEN,
    cli_env,
    libreoffice_convert,
    make_round,
    needs_ctrl_c,
    pdf_pages,
    render_pdf,
    run_cli,
)

STEM = "2011-03-17-partnership-update-report"


def _papers(inputs, output):
    result = run_cli("papers", "--inputs", str(inputs), "--output", str(output))
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def _setting(round_dir, old: str, new: str) -> None:
    path = round_dir / "paper.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- settings --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["/proc/self/environ", "../../../../etc/passwd", "/etc/hostname", "."])
def test_a_settings_path_outside_the_inputs_is_refused(round_dir, tmp_path, value):
    _setting(round_dir, "meeting_date =", f'report = "{value}"\nmeeting_date =')
    result = _papers(round_dir, tmp_path / "out")
    assert result.returncode == 2
    assert f"'report' names '{value}', which is not a file in the inputs folder" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_registry_path_is_confined_too(round_dir, tmp_path):
    _setting(round_dir, "meeting_date =", 'partnerships = "../inputs/../../partnerships.toml"\nmeeting_date =')
    result = _papers(round_dir, tmp_path / "out")
    assert result.returncode == 2 and "'partnerships' names" in result.stderr


@pytest.mark.parametrize(
    "change, says",
    [
        (("meeting_date = 2011-03-17", "meeting_date = 1011-03-17"), "1011-03-17 is not a date a meeting can fall on"),
        (("meeting_date = 2011-03-17", "meeting_date = 2211-03-17"), "2211-03-17 is not a date a meeting can fall on"),
    ],
)
def test_a_meeting_in_an_impossible_year(round_dir, tmp_path, change, says):
    _setting(round_dir, *change)
    result = _papers(round_dir, tmp_path / "out")
    assert result.returncode == 2 and says in result.stderr and "check the year" in result.stderr


def test_a_latin_1_report(round_dir, tmp_path):
    (round_dir / "report.md").write_bytes("## Purpose\n\nThe café’s £5 budget.\n".encode("cp1252"))
    result = _papers(round_dir, tmp_path / "out")
    assert result.returncode == 2 and "report.md: is not UTF-8 text" in result.stderr


def test_a_partnership_that_is_a_list(round_dir, tmp_path):
    (round_dir / "partnerships.toml").write_text("partnership = [1, 2]\n", encoding="utf-8")
    result = _papers(round_dir, tmp_path / "out")
    assert result.returncode == 2 and "partnership 1 is not a [[partnership]] section" in result.stderr


def test_toml_nested_three_thousand_deep(round_dir, tmp_path):
    (round_dir / "partnerships.toml").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    result = _papers(round_dir, tmp_path / "out")
    assert result.returncode == 2 and "nests tables or lists too deeply" in result.stderr


def test_a_line_break_in_a_recipient_is_named_and_the_others_drafted(round_dir, round_output):
    built = round_output
    _setting(round_dir, 'name = "Committee clerk"', 'name = "Committee clerk\\r\\nBcc: everyone@example.org"')
    result = run_cli("send", "--inputs", str(round_dir), "--output", str(built))
    assert "recipient 2 (Committee clerk Bcc: everyone@example.org): the name or address has a line break" in result.stderr
    drafts = sorted(p.name for p in (built / "outbox").glob("*.eml"))
    assert drafts == ["committee-members.eml", "partnership-leads.eml"]
    assert all(b"everyone@example.org" not in p.read_bytes() for p in (built / "outbox").glob("*.eml"))


def test_a_line_break_in_from_stops_with_a_message(round_dir, round_output):
    built = round_output
    _setting(round_dir, 'from = "Claire Moore <Claire.moore@oxfordshire.gov.uk>"', 'from = "Claire\\nBcc: x@example.org"')
    result = run_cli("send", "--inputs", str(round_dir), "--output", str(built))
    assert result.returncode == 2 and "'from' in [mail] has a line break" in result.stderr


# --- the output folder -----------------------------------------------------------------


def test_an_output_folder_that_cannot_be_written(round_dir, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the output folder's parent should be")
    result = _papers(round_dir, blocked / "output")
    assert result.returncode == 2 and "Cannot write" in result.stderr and "the disk has room" in result.stderr


@pytest.mark.parametrize("place, command", [("publish", "papers"), ("retired", "papers"), ("outbox", "send"),
                                            ("outbox/sent.log", "send"), (".cache", "papers")])
def test_a_folder_or_log_of_papers_made_a_link_elsewhere_is_never_written_through(round_dir, round_output, tmp_path,
                                                                                 place, command):
    # Someone with the shared drive makes one of papers' own folders a link to somewhere
    # else (or its sent log a pipe): papers refuses, names it, and writes nothing there.
    output, elsewhere = round_output, tmp_path / "elsewhere"
    (output / "publish" / "notes.txt").write_text("dropped in by hand", encoding="utf-8")  # would be moved out
    (output / "outbox").mkdir(exist_ok=True)
    target = output / place
    if target.exists():
        shutil.move(str(target), str(elsewhere))
    else:
        elsewhere.mkdir()
    if place == "outbox/sent.log":
        os.mkfifo(target)  # reading it, or appending to it, would wait for ever
    else:
        target.symlink_to(elsewhere, target_is_directory=True)
    before = sorted((p, p.stat().st_mtime_ns) for p in elsewhere.rglob("*")) if elsewhere.exists() else []
    result = run_cli(command, "--inputs", str(round_dir), "--output", str(output))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert f"{place}: is {'not a file' if place.endswith('.log') else 'a link'} where papers keeps its own" in result.stderr
    assert "then run the command again" in result.stderr
    assert (sorted((p, p.stat().st_mtime_ns) for p in elsewhere.rglob("*")) if elsewhere.exists() else []) == before


def _stopped_mid_build(round_dir: Path, output: Path) -> subprocess.Popen | None:
    """A build of ``round_dir`` stopped (SIGSTOP) while it lays out: a part of its PDF kept,
    its papers not yet recorded as written. None if it got past that before it was stopped."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "papers", "--inputs", str(round_dir), "--output", str(output)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(), stdin=subprocess.DEVNULL,
    )
    parts = output / ".cache" / "parts"
    while process.poll() is None and not (parts.is_dir() and any(parts.glob("*.pdf"))):
        time.sleep(0.002)
    process.send_signal(signal.SIGSTOP)
    if process.poll() is None and not list((output / ".cache").glob("manifest-*.json")):
        return process
    process.send_signal(signal.SIGCONT)
    process.communicate(timeout=120)
    return None


@needs_ctrl_c
def test_ctrl_c_leaves_nothing_half_written(round_dir, tmp_path):
    # The interrupt lands while the build is known to be at work (stopped there, and seen to
    # be): it must stop with status 130, saying so, and leave nothing half-written.
    for attempt in range(5):
        output = tmp_path / f"out{attempt}"
        process = _stopped_mid_build(round_dir, output)
        if process is not None:
            break
    else:
        pytest.fail("five builds finished before they could be stopped mid-way")
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGCONT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Stopped. Nothing half-written was left" in stderr and "Traceback" not in stderr
    assert not list(output.rglob("*.part"))


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or len(os.sched_getaffinity(0)) < 2,
                    reason="needs Linux's /proc and two cores, for worker processes to kill")
def test_a_worker_killed_mid_build_is_explained_and_leaves_nothing_half_written(round_dir, tmp_path):
    # The system's out-of-memory killer stops a worker laying out the PDF: the officer is
    # told what happened and what to do, with no traceback, and the output holds no part file.
    output = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "papers", "--inputs", str(round_dir), "--output", str(output)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(), stdin=subprocess.DEVNULL,
    )
    killed = False
    for _ in range(600):
        workers = _children(process.pid)
        if len(workers) >= 2 or process.poll() is not None:
            time.sleep(0.3)  # into their work
            for pid in workers[:1]:
                os.kill(pid, signal.SIGKILL)
                killed = True
            break
        time.sleep(0.02)
    stdout, stderr = process.communicate(timeout=120)
    if not killed:
        pytest.skip("the build finished before a worker could be stopped")
    assert "Traceback" not in stderr
    assert process.returncode == 2 and "was stopped" in stderr and "run the command again" in stderr, stderr
    assert not list(output.rglob("*.part"))


# --- files ------------------------------------------------------------------------------


def test_file_names_that_are_not_utf_8_or_carry_escape_codes(round_dir, tmp_path):
    os.rename(round_dir / "OSP.xlsx", os.path.join(os.fsencode(round_dir), b"OSP \xff\xfe.xlsx"))
    (round_dir / "a\x1b[2J\u202eslx.xlsx").write_bytes(b"junk")
    result = _papers(round_dir, tmp_path / "out")
    assert result.returncode == 1  # the junk file is an error; every return is read
    assert "12 of 12 returns received" in result.stdout
    assert "\x1b" not in result.stdout + result.stderr and "\u202e" not in result.stdout
    assert "OSP \ufffd\ufffd.xlsx" in result.stdout and "a\ufffd[2J\ufffdslx.xlsx" in result.stdout


def _zip(path, parts: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/sharedStrings.xml", "xl/elsewhere/sheet1.xml", "customXml/item1.xml"])
def test_a_part_far_larger_than_a_return_is_refused_before_it_is_inflated(tmp_path, part):
    book = Workbook()
    book.active.append(["Partnership", "Vale Partnership"])
    book.save(tmp_path / "base.xlsx")
    with zipfile.ZipFile(tmp_path / "base.xlsx") as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    parts[part] = b"<x>" + b" " * (95 * 1024 * 1024) + b"</x>"  # 95 MB that zips to ~100 KB
    path = _zip(tmp_path / "bomb.xlsx", parts)
    assert path.stat().st_size < 1024 * 1024 and MAX_PART_BYTES < 95 * 1024 * 1024
    # Read in a process of its own, to measure the memory reading it costs.
    # The peak from /proc (VmHWM): getrusage's would include what the forking test
    # process held before the exec.
    code = (
        "import re, pathlib; from pipeline.intake import read_return; "
        f"r, p = read_return(pathlib.Path({str(path)!r}), ()); print(p[0].message); "
        "print(re.search(r'VmHWM:\\s+(\\d+)', pathlib.Path('/proc/self/status').read_text()).group(1))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    message, peak_kb = result.stdout.splitlines()
    assert "holds a part far larger than a return form" in message
    assert int(peak_kb) < 300 * 1024, f"{int(peak_kb) // 1024} MB"


def test_formula_text_in_a_return_stays_text_in_next_rounds_form(round_dir, tmp_path):
    path = round_dir / "Vale Partnership.xlsx"
    book = load_workbook(path, rich_text=True)
    sheet = book["Return"]
    typed = '=HYPERLINK("http://evil.example/","Click")'
    for row in sheet.iter_rows():
        if row[0].value == "Contact officer":
            row[1].value = typed
            row[1].data_type = "s"  # typed as text (as Excel keeps it with a leading ')
    book.save(path)
    ret, _ = read_return(path, QUESTIONS)
    assert str(ret.values["contact_officer"]) == typed
    result = run_cli("forms", "--inputs", str(round_dir), "--output", str(tmp_path / "forms"))
    assert result.returncode == 0, result.stderr
    form = tmp_path / "forms" / "vale-partnership.xlsx"
    with zipfile.ZipFile(form) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)
    values = [c.value for row in load_workbook(form)["Return"].iter_rows() for c in row]
    assert typed in values


def test_characters_that_act_are_dropped_with_a_warning_naming_the_cell(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(["Partnership", "Vale Partnership"])
    sheet.append(["Contact officer", "Emma\u202eevil\u0085 Morris\u009b"])
    path = tmp_path / "vale.xlsx"
    book.save(path)
    ret, problems = read_return(path, QUESTIONS)
    assert str(ret.values["contact_officer"]) == "Emmaevil Morris"
    (dropped,) = [p for p in problems if "unprintable" in p.message]
    assert dropped.source.cell == "B2" and "3 unprintable" in dropped.message


def test_a_million_letter_line_is_read_and_linked_in_linear_time():
    # Time grows with the square of the length if the address patterns backtrack: this
    # would not finish within the test run's limit.
    line = "a" * 1_000_000
    assert split_links(line) == [(line, None)]
    assert split_links(line + " x@y.org")[-1] == ("x@y.org", "mailto:x@y.org")


def test_a_200000_letter_word_wraps_in_the_pdf_and_is_kept_whole():


    word = "x" * 200_000
    html = render_html(build_view(make_round([word, "b", "c", "d"], name="N")), TEMPLATES, stylesheets=PDF_STYLESHEETS)
    data = render_pdf(html, TEMPLATES, "t", "s", WHEN)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert text.count("x") == 200_000  # every letter is on a page, none run off it
    assert max(len(line) for line in text.replace("\u200b", "\n").splitlines()) < 120
    # Laid out in pieces (render.layout.breakable), and still one paragraph to a screen reader.
    report = page_validation.validate_pdf_bytes(data, profile="ua1")
    assert report.is_compliant, sorted({f.rule_id for f in report.failures})


def test_a_build_stopped_between_renames_is_never_sent(round_dir, round_output, tmp_path):
    # A build killed after writing the new Word file but before the PDF: the old PDF beside
    # the new Word file, and the killed write's temporary.
    output = round_output
    _setting(round_dir, 'title = "Partnership update report"', 'title = "Partnership update report"\nagenda_item = "7"')
    old_pdf = (output / f"{STEM}.pdf").read_bytes()
    new = tmp_path / "new"
    assert _papers(round_dir, new).returncode == 0
    shutil.copy(new / f"{STEM}.docx", output / f"{STEM}.docx")
    (output / f".{STEM}.pdf.x1y2z3.part").write_bytes(b"half a pdf")
    assert (output / f"{STEM}.pdf").read_bytes() == old_pdf
    refused = run_cli("send", "--inputs", str(round_dir), "--output", str(output))
    assert refused.returncode == 2 and "a build was stopped before it had replaced them all" in refused.stderr
    assert not (output / "outbox").exists()
    # The next build replaces the set and clears the temporary.
    assert _papers(round_dir, output).returncode == 0
    assert not list(output.glob(".*.part"))
    for suffix in (".docx", ".pdf", ".html", "-check.txt"):
        assert (output / f"{STEM}{suffix}").read_bytes() == (new / f"{STEM}{suffix}").read_bytes()
    assert run_cli("send", "--inputs", str(round_dir), "--output", str(output)).returncode == 0


FONTS_INSTALLED = all(subprocess.run(["fc-list", f":family={family}", "family"], capture_output=True, text=True,
                                     check=False).stdout.strip() for family in [*FALLBACK, *EMOJI]) \
    if shutil.which("fc-list") else False


def _contact_officer(round_dir: Path, value: str) -> str:
    """Round_dir's Vale return with ``value`` as its contact officer: the cell's reference."""
    path = round_dir / "Vale Partnership.xlsx"
    book = load_workbook(path, rich_text=True)
    (cell,) = [row[1] for row in book["Return"].iter_rows() if row[0].value == "Contact officer"]
    cell.value = value
    book.save(path)
    return cell.coordinate


@pytest.mark.skipif(not FONTS_INSTALLED, reason="the PDF's fallback fonts are not installed "
                    f"(sudo apt-get install {PACKAGES})")
def test_every_character_a_partnership_types_is_drawn_and_read_back(round_dir, round_output):
    typed = "✓ → ✅ 🙂 café 北京 हिन्दी Ελλάδα Київ"
    _contact_officer(round_dir, f"Emma Morris {typed}")
    result = _papers(round_dir, round_output)
    assert result.returncode == 0 and "can draw" not in result.stdout, result.stdout
    pdf = round_output / f"{STEM}.pdf"
    report = page_validation.validate_pdf_bytes(pdf.read_bytes(), profile="ua1")
    assert [f.rule_id for f in report.failures] == []  # no NOTDEF-GLYPH: every glyph is drawn
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=120).stdout.split())
    for word in typed.split():
        assert word in text, word  # in the text layer, as typed
    # The emoji font draws the emoji alone, never the digits and spaces it also has.
    with pikepdf.open(pdf) as opened:
        emoji = {bytes(font.ToUnicode.read_bytes()) for page in opened.pages
                 for font in page.Resources.get("/Font", {}).values() if "Emoji" in str(font.BaseFont)}
    assert emoji and all(not re.search(rb"<[0-9a-f]{4}>\s*<00[0-7][0-9a-f]>", cmap) for cmap in emoji)


def test_a_character_no_font_has_is_named_by_cell_and_never_a_blank_box(round_dir, round_output):
    cell = _contact_officer(round_dir, "Emma Morris \U0010fffd, Croeso ŵ ŷ")
    result = _papers(round_dir, round_output)
    assert result.returncode == 0
    (line,) = [l for l in result.stdout.splitlines() if "can draw" in l]
    assert f"Vale Partnership.xlsx [Return] {cell}" in line
    assert "\U0010fffd" in line and "ŵ" not in line  # Welsh is in the font
    pdf = (round_output / f"{STEM}.pdf").read_bytes()
    assert "Emma Morris [U+10FFFD], Croeso ŵ ŷ" in " ".join(pdf_pages(round_output / f"{STEM}.pdf"))
    report = page_validation.validate_pdf_bytes(pdf, profile="ua1")
    assert [f.rule_id for f in report.failures] == []
    # Word and the web page keep the character as typed: a reader with the font sees it.
    assert "Emma Morris \U0010fffd" in (round_output / f"{STEM}.html").read_text(encoding="utf-8")


def test_the_fallback_fonts_are_the_stylesheets():
    declared = re.search(r"html \{ font-family: ([^;]+);", (TEMPLATES / "report.css").read_text(encoding="utf-8"))[1]
    families = [family.strip().strip('"') for family in declared.split(",")]
    assert families == ["Paper Sans", "Arial", "Helvetica", *FALLBACK, "sans-serif"] and not set(EMOJI) & set(families)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler is not installed (apt-get install poppler-utils)")
def test_a_round_of_every_hostile_case_at_once(round_dir, tmp_path):
    # Bad files beside the good returns …
    book = Workbook()
    _full_return(book.active, "Parish Cluster Forum")
    book.save(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    _zip(round_dir / "bomb.xlsx", {**parts, "xl/styles.xml": b"<x>" + b" " * (20 * 1024 * 1024) + b"</x>"})
    os.rename(round_dir / "OSP.xlsx", os.path.join(os.fsencode(round_dir), b"OSP \xff.xlsx"))
    (round_dir / "\x1b[2Jwest.csv").write_text("Partnership,WOSP\n", encoding="utf-8")
    (round_dir / "Cherwell LSP.xlsx").write_bytes(b"PK\x03\x04 damaged")
    (round_dir / "~$le Partnership.xlsx").write_bytes(b"lock")
    # … and hostile text inside a good one.
    path = round_dir / "Vale Partnership.xlsx"
    vale = load_workbook(path, rich_text=True)
    rows = {row[0].value: row for row in vale["Return"].iter_rows()}
    rows["Contact officer"][1].value = "Emma\u202e Morris\x85 王秀英 😀 \U0010fffd"
    rows["Chairman"][1].value = '=HYPERLINK("http://evil.example/","x")'
    rows["Chairman"][1].data_type = "s"
    question = next(r for key, r in rows.items() if isinstance(key, str) and key.startswith("What is the current focus"))
    answer = vale["Return"].cell(question[0].row + 1, 1)  # the answer sits below its question
    answer.value = "• " + "y" * 30_000 + "\n• <b>R&D</b> {{ x }} " + "a" * 2_000  # under Excel's 32,767 a cell
    vale.save(path)

    output = tmp_path / "out"
    result = _papers(round_dir, output)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    report = (output / f"{STEM}-check.txt").read_text(encoding="utf-8")
    for said in ("bomb.xlsx: holds a part far larger", "OSP \ufffd.xlsx", "\ufffd[2Jwest.csv: is a CSV file",
                 "Cherwell LSP.xlsx: not a readable Excel workbook", "may be open in Excel", "can draw",
                 "unprintable character(s) dropped"):
        assert said in report, said
    # The other returns are all in the papers, which open in LibreOffice and a PDF reader.
    assert "received — UNREADABLE" in report and "9 of 12 returns received" not in report
    (converted,) = libreoffice_convert([output / f"{STEM}.docx"], "pdf", tmp_path / "lo", tmp_path / "profile") \
        if SOFFICE else (None,)
    for pdf in [output / f"{STEM}.pdf", *([converted] if converted else [])]:
        # poppler's reading (pypdf misreads a font's custom encoding once a fallback font is in).
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=120).stdout
        assert "Oxfordshire Safer Communities Partnership" in text and "R&D" in text, pdf
        rendered = subprocess.run(["pdftoppm", "-png", "-r", "20", "-f", "1", "-l", "1", str(pdf), str(tmp_path / pdf.stem)],
                                  capture_output=True, timeout=120)
        assert rendered.returncode == 0 and list(tmp_path.glob(f"{pdf.stem}*.png"))


def _full_return(sheet, name: str) -> None:
    sheet.title = "Return"
    sheet.append(["Partnership", name])
    for question in QUESTIONS:
        sheet.append([question, "• an answer"])


def test_the_characters_taken_as_drawable_are_in_the_fonts():
    # coverage.py settles most text without reading the fonts; its list must be true.


    for path in sorted((TEMPLATES / "fonts").glob("*.ttf")):
        missing = sorted(hex(c) for c in _SURE - set(TTFont(path).getBestCmap()))
        assert missing == [], (path.name, missing)
