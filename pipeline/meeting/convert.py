"""Supplied Word papers as tagged PDF, through LibreOffice's own PDF/UA export, as untrusted data.

LibreOffice is a real component, not a Python package: where it is missing, the problem
names its install line and the rest of the meeting is built. The file is checked first
(docx_safety.py: a real .docx, of a paper's size, with its links outside taken out), then
converted in a process group of its own, with no network where the system can give it
none (Linux's ``unshare``), its memory and time bounded, and only so many at once; a limit
hit is named, and the whole group ended, so nothing is left running.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from pipeline import pdf
from pipeline.filenames import shown, write_atomic
from pipeline.machinery.forking import forking
from pipeline.machinery.workers import cores
from pipeline.meeting import docx_safety
from pipeline.meeting.docx_safety import check_docx
from pipeline.records.problems import Problem, Severity, Source

# Tagged, and PDF/UA-1: LibreOffice's export filter options, as JSON (LibreOffice 7.4 on).
EXPORT = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
          '"PDFUACompliance":{"type":"boolean","value":"true"},'
          '"ExportBookmarks":{"type":"boolean","value":"true"}}')
INSTALL = "sudo apt-get install libreoffice-writer-nogui fonts-liberation2"
TIMEOUT = 60
"""Seconds a conversion may take: a paper takes two or three."""
MEMORY = 700 * 1024 * 1024
"""Bytes of memory LibreOffice may use for one conversion (it needs about 220 MB for a paper)."""
MAX_FILE = 100 * 1024 * 1024
"""The largest .docx papers reads at all."""
_AT_ONCE = threading.BoundedSemaphore(max(1, cores() // 2))
"""LibreOffice conversions running at once, in this process: one for every two cores, since
the workers laying out the papers use the cores too, and each LibreOffice takes about
200 MB (seven Word papers converted at once took a council's pack to 1 GB)."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def word_to_pdf(path: Path, cache: Path, when: dt.datetime) -> bytes | Problem:
    """The Word file at ``path`` as tagged PDF bytes, dated ``when`` (kept in ``cache`` by the
    file's bytes and the date)."""
    return Conversion(path, cache, when).result()


class Conversion:
    """A Word file being converted to tagged PDF by LibreOffice, in its own process: started
    when made, so that the build goes on meanwhile; :meth:`result` waits for it.
    ``problems`` holds what was taken out of the file (a linked picture, say)."""

    def __init__(self, path: Path, cache: Path, when: dt.datetime) -> None:
        self.name, self.when = shown(path.name), when
        self.done: bytes | Problem | None = None
        self.process: subprocess.Popen | None = None
        self.problems: list[Problem] = []
        self.names: tuple[str, ...] = ()
        """What the check and the conversion are kept as in the cache (by the file's bytes)."""
        try:
            if path.stat().st_size > MAX_FILE:
                self.done = self._problem(f"is larger than a paper can be ({path.stat().st_size // 1_048_576} MB)",
                                          "ask its author for the paper again, with its pictures made smaller")
                return
            data = path.read_bytes()
        except OSError as error:
            self.done = self._problem(f"could not be read ({error.strerror or error})",
                                      "check that the file is there and yours to read")
            return
        # What the check found is kept too, by the file's bytes and the checker's code: an
        # unchanged file is not unpacked and read again on every build.
        noted = cache / f"{hashlib.sha256(_checker() + data + when.isoformat().encode()).hexdigest()}.json"
        before = _noted(noted)
        self.names = (noted.name, before.kept) if before is not None else (noted.name,)
        if before is not None and (before.refused or (cache / before.kept).is_file()):
            self._checked(before.refused, before.advice, before.removed)
            if not before.refused:
                self.done = (cache / before.kept).read_bytes()
            return
        checked = check_docx(data)
        # Kept by the bytes converted (the checked ones) and the date: a file converted
        # before its links were taken out is never served again.
        self.kept = cache / f"{hashlib.sha256(checked.data + when.isoformat().encode()).hexdigest()}.pdf"
        self.names = (noted.name, self.kept.name)
        write_atomic(noted, json.dumps({"refused": checked.refused, "advice": checked.advice,
                                        "removed": checked.removed, "kept": self.kept.name}).encode("utf-8"))
        if not self._checked(checked.refused, checked.advice, checked.removed):
            return
        if self.kept.is_file():
            self.done = self.kept.read_bytes()
            return
        program = soffice()
        if program is None:
            self.done = self._problem("cannot be converted: LibreOffice is not installed",
                                      f"install it ({INSTALL}), or supply the paper as a tagged PDF")
            return
        self.work = tempfile.TemporaryDirectory()
        source = Path(self.work.name) / "paper.docx"
        source.write_bytes(checked.data)
        profile = Path(self.work.name) / "profile"
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", EXPORT, "--outdir", self.work.name, str(source)]
        self.started = threading.Event()
        self.status: int | None = None
        self.unstarted = ""  # why LibreOffice could not be started, if it could not
        limits = _limits()
        self.waiting = threading.Thread(target=self._convert, args=([*_offline(), *limits, *command], not limits),
                                        daemon=True)
        self.waiting.start()

    def _convert(self, command: list[str], bound_here: bool) -> None:
        """LibreOffice run (once one of the build's few at a time may start), waited for to
        its time limit, and its whole process group ended: in a thread of its own, which
        only waits. With ``bound_here``, its memory is bounded in the forked child (no prlimit)."""
        with _AT_ONCE:
            try:
                with forking:
                    self.process = subprocess.Popen(
                        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        start_new_session=True, preexec_fn=_bounded if bound_here else None,
                    )
            except OSError as error:
                self.unstarted = error.strerror or str(error)
                return
            finally:
                self.started.set()
            try:
                self.status = self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.status = None
            _end_group(self.process)

    def _checked(self, refused: str, advice: str, removed: list[str]) -> bool:
        """What the check found made this conversion's problems: whether the file goes on to be converted."""
        if refused:
            self.done = self._problem(refused, advice)
            return False
        self.problems = [
            Problem(Severity.WARNING, Source(self.name), f"has {what}, which papers does not fetch: it is left out",
                    "embed it in the document instead (in Word: Insert > Pictures > This Device, not "
                    "'Link to File'), and send the paper again")
            for what in removed
        ]
        return True

    def _problem(self, message: str, advice: str) -> Problem:
        return Problem(Severity.ERROR, Source(self.name), message, advice)

    def ready(self) -> bool:
        """Whether :meth:`result` answers without waiting for LibreOffice (kept from an earlier
        build, or refused)."""
        return self.done is not None

    def result(self) -> bytes | Problem:
        """The PDF, or the problem that kept it from being made."""
        if self.done is not None:
            return self.done
        self.waiting.join()
        status = self.status
        converted = Path(self.work.name) / "paper.pdf"
        if self.unstarted:
            self.done = self._problem(f"cannot be converted: LibreOffice could not be started ({self.unstarted})",
                                      f"check that LibreOffice is installed whole ({INSTALL}), or supply the paper "
                                      "as a tagged PDF")
        elif status is None:
            self.done = self._problem(f"took longer than {TIMEOUT} s to convert: LibreOffice was stopped",
                                      "open it in Word and save it again (a damaged part or a huge picture can "
                                      "make it slow), or supply it as a tagged PDF")
        elif status != 0 or not converted.is_file():
            # Out of memory, LibreOffice either aborts or says only that it could not load
            # the file (and exits 0): the second cannot be told from a damaged file, so both
            # are named.
            limit = f"more memory than a paper may ({MEMORY // 1_048_576} MB)"
            aborted = status in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL, 134, 139)
            self.done = self._problem(
                f"needed {limit}: LibreOffice was stopped" if aborted
                else f"LibreOffice could not convert it to PDF: it is damaged, or needed {limit}",
                "open it in Word and save it again as .docx (with its pictures made smaller, if large), "
                "or supply it as a tagged PDF")
        else:
            self.done = pdf.steady(converted.read_bytes(), self.when)
            write_atomic(self.kept, self.done)
        self.work.cleanup()
        return self.done


def _limits() -> tuple[str, ...]:
    """The command that runs a program with its memory bounded (and its children's) and no
    core dump: util-linux's prlimit, where there is one. It is set there rather than in the
    forked child (``_bounded``), because the fork is made from a thread of a process with
    others, where running Python between fork and exec can deadlock."""
    prlimit = shutil.which("prlimit")
    return (prlimit, f"--as={MEMORY}", "--core=0", "--") if prlimit else ()


def _bounded() -> None:
    """In LibreOffice's process, before it starts, where there is no prlimit: its memory
    bounded (and its children's)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@dataclass(frozen=True)
class _Noted:
    """What checking a Word file found, as kept: why it was refused, or the links taken out
    of it and the name its conversion is kept under."""

    refused: str
    advice: str
    removed: list[str]
    kept: str


def _noted(path: Path) -> _Noted | None:
    """The check kept at ``path``; None when there is none, or it is not one papers wrote (the
    output folder is not trusted): the file is checked again."""
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
        noted = _Noted(**fields)
    except (OSError, ValueError, TypeError):
        return None
    texts = [noted.refused, noted.advice, noted.kept, *noted.removed] if isinstance(noted.removed, list) else [None]
    if not all(isinstance(text, str) for text in texts) or not re.fullmatch(r"[0-9a-f]{64}\.pdf", noted.kept):
        return None
    return noted


@functools.cache
def _checker() -> bytes:
    """The digest of docx_safety.py: a check kept by an older checker is not trusted."""
    return hashlib.sha256(Path(docx_safety.__file__).read_bytes()).digest()


@functools.lru_cache(maxsize=1)
def _offline() -> tuple[str, ...]:
    """The command that runs a program with no network (a network namespace of its own, no
    privilege needed), where this system offers one: else nothing, and the checked file's
    lack of outside links is what keeps LibreOffice from fetching."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    try:
        works = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        works = False
    return (unshare, "-rn") if works else ()


def _end_group(process: subprocess.Popen) -> None:
    """End LibreOffice's whole process group (soffice starts soffice.bin, which outlives a
    killed wrapper), and wait for the process papers started."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is gone already
    process.wait()
