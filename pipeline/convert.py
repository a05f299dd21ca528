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

from pipeline import lazy
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
    return Conversion(path, cache, when).result()


class Conversion:
    """A Word file being converted to tagged PDF by LibreOffice, in its own process: started
    when made, so that the build goes on meanwhile; :meth:`result` waits for it."""

    def __init__(self, path: Path, cache: Path, when: dt.datetime) -> None:
        self.name, self.when = shown(path.name), when
        self.done: bytes | Problem | None = None
        self.process: subprocess.Popen | None = None
        try:
            data = path.read_bytes()
        except OSError as error:
            self.done = Problem(Severity.ERROR, Source(self.name), f"could not be read ({error.strerror or error})",
                                "check that the file is there and yours to read")
            return
        self.kept = cache / f"{hashlib.sha256(data + when.isoformat().encode()).hexdigest()}.pdf"
        if self.kept.is_file():
            self.done = self.kept.read_bytes()
            return
        program = soffice()
        if program is None:
            self.done = Problem(Severity.ERROR, Source(self.name), "cannot be converted: LibreOffice is not installed",
                                f"install it ({INSTALL}), or supply the paper as a tagged PDF")
            return
        self.work = tempfile.TemporaryDirectory()
        source = Path(self.work.name) / "paper.docx"
        source.write_bytes(data)
        profile = Path(self.work.name) / "profile"
        self.process = subprocess.Popen(
            [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", EXPORT, "--outdir", self.work.name, str(source)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def result(self) -> bytes | Problem:
        """The PDF, or the problem that kept it from being made."""
        if self.done is not None:
            return self.done
        try:
            status = self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            status = None
        converted = Path(self.work.name) / "paper.pdf"
        if status != 0 or not converted.is_file():
            self.done = Problem(Severity.ERROR, Source(self.name), "LibreOffice could not convert it to PDF",
                                "open it in Word and save it again as .docx, or supply it as a tagged PDF")
        else:
            self.done = lazy.pdf().steady(converted.read_bytes(), self.when)
            write_atomic(self.kept, self.done)
        self.work.cleanup()
        return self.done
