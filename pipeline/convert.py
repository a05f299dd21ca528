"""Supplied Word papers as tagged PDF, through LibreOffice's own PDF/UA export.

LibreOffice is a real component, not a Python package: where it is missing, the problem
names its install line and the rest of the meeting is built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.filenames import shown, write_atomic
from pipeline.model import Problem, Severity, Source

# Tagged, and PDF/UA-1: LibreOffice's export filter options, as JSON (LibreOffice 7.4 on).
EXPORT = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
          '"PDFUACompliance":{"type":"boolean","value":"true"},'
          '"ExportBookmarks":{"type":"boolean","value":"true"}}')
INSTALL = "sudo apt-get install libreoffice-writer-nogui fonts-liberation2"
TIMEOUT = 300


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def word_to_pdf(path: Path, cache: Path, when: dt.datetime) -> bytes | Problem:
    """The Word file at ``path`` as tagged PDF bytes, dated ``when`` (kept in ``cache`` by the
    file's bytes and the date)."""
    from pipeline.render.pack import steady

    name = shown(path.name)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Problem(Severity.ERROR, Source(name), f"could not be read ({error.strerror or error})",
                       "check that the file is there and yours to read")
    kept = cache / f"{hashlib.sha256(data + when.isoformat().encode()).hexdigest()}.pdf"
    if kept.is_file():
        return kept.read_bytes()
    program = soffice()
    if program is None:
        return Problem(Severity.ERROR, Source(name), "cannot be converted: LibreOffice is not installed",
                       f"install it ({INSTALL}), or supply the paper as a tagged PDF")
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "paper.docx"
        source.write_bytes(data)
        profile = Path(work) / "profile"
        try:
            result = subprocess.run(
                [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                 "--convert-to", EXPORT, "--outdir", work, str(source)],
                capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            result = None
        converted = Path(work) / "paper.pdf"
        if result is None or result.returncode != 0 or not converted.is_file():
            return Problem(Severity.ERROR, Source(name), "LibreOffice could not convert it to PDF",
                           "open it in Word and save it again as .docx, or supply it as a tagged PDF")
        pdf = steady(converted.read_bytes(), when)
    write_atomic(kept, pdf)
    return pdf
