"""What the last builds already did, kept in output/.cache so a rebuild does only what changed.

Everything is content-addressed: an intake result by the workbook's bytes, name and time,
the questions, and papers' own code; the papers by everything the renderers receive plus
the templates and code. A changed return, template, setting or version changes the key,
so nothing stale can be served.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path

from pipeline import pdf
from pipeline.filenames import CACHE_DIR, PRIVATE, write_atomic
from pipeline.machinery import record_json
from pipeline.records.meeting import SuppliedPdf
from pipeline.records.problems import Problem
from pipeline.records.returns import Return

PACKAGE = Path(__file__).resolve().parent.parent
"""papers' own code (the pipeline package), whose every file is in the key of what the cache keeps."""
_LIBRARIES = ("openpyxl", "docxtpl", "python-docx", "weasyprint", "pydyf", "pikepdf", "jinja2", "markdown-it-py",
              "holidays")  # the last dates an agenda: its bank holidays decide the date of publication


def _hash_files(digest, root: Path) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")


def code_fingerprint(package: Path = PACKAGE) -> str:
    """papers' code, the Python and library versions it runs on: what makes a result valid."""
    digest = hashlib.sha256(platform.python_version().encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?".encode())
    _hash_files(digest, package)
    return digest.hexdigest()


KEPT_COUNTS = 20_000
"""The page counts kept in a folder's cache at most, the latest learned kept (a meeting has
a few hundred PDFs and parts; a long-lived output folder gathers old ones)."""

_PREPARED = {f.name for f in dataclasses.fields(SuppliedPdf)} - {"data"}


def _plain(value) -> bool:
    """Whether a field read back from a record is what a SuppliedPdf holds: text, a flag, a list of text."""
    return isinstance(value, (str, bool)) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


class Cache:
    """The intake results and the last build's outputs, under ``output/.cache``."""

    def __init__(self, output: Path, templates: Path, code: str | None = None):
        self.root = output / CACHE_DIR
        self.code = code or code_fingerprint()
        digest = hashlib.sha256(self.code.encode())
        _hash_files(digest, templates)
        self.templates_and_code = digest.hexdigest()
        self.used: set[Path] = set()
        """Each entry this build used, by where it is kept (without its ending): an entry of
        the same key in another folder (a public copy of what is now private) was not used."""
        self.intake = self.root / "intake"
        """Where returns' intake results are kept: beside the paper they go into (see keep_intake_in)."""
        self._counts: dict[Path, dict[str, int]] = {}  # each folder's page counts by digest, as read
        self._counted: set[Path] = set()  # the folders whose counts this build added to
        self._recounting = False  # kept counts no longer trusted (recount)

    def keep_intake_in(self, folder: Path) -> None:
        """Keep the returns' intake results in ``folder``'s cache: the private folder's, when
        the round's paper is exempt, since they hold every return's text."""
        self.intake = folder / CACHE_DIR / "intake"

    # --- intake ------------------------------------------------------------------------

    def _intake_key(self, path: Path, questions: tuple[str, ...]) -> str:
        stat = path.stat()
        digest = hashlib.sha256(self.code.encode())
        digest.update(os.fsencode(path.name) + f"\0{stat.st_mtime_ns}\0".encode())
        digest.update("\0".join(questions).encode("utf-8"))
        digest.update(path.read_bytes())
        return digest.hexdigest()

    def kept_return(self, path: Path, questions: tuple[str, ...]) -> tuple[str, tuple[Return | None, list[Problem]] | None]:
        """The key of reading ``path``, and what the reading gave when the file is unchanged."""
        key = self._intake_key(path, questions)
        self.used.add(self.intake / key)
        try:
            return key, record_json.loads((self.intake / f"{key}.json").read_bytes())
        except (OSError, ValueError):
            return key, None  # no entry, or one damaged or tampered with: read the workbook again

    def keep_return(self, key: str, result: tuple[Return | None, list[Problem]]) -> None:
        write_atomic(self.intake / f"{key}.json", record_json.dumps(result))

    def prune(self) -> None:
        """Forget intake results and inspections this build did not use (files no longer in
        the inputs folder); keep the page counts it learned."""
        self._keep_counts()
        private = self.root.parent / PRIVATE / CACHE_DIR
        for folder in (self.root / "intake", self.root / "prepared", self.root / "alone", private / "intake",
                       private / "prepared"):
            if folder.is_dir():
                for entry in folder.iterdir():
                    # An entry is its record (.json) and, for a PDF changed to fit a pack, the PDF.
                    if folder / entry.stem not in self.used or entry.suffix not in (".json", ".pdf"):
                        entry.unlink(missing_ok=True)

    # --- supplied PDFs -----------------------------------------------------------------

    def prepared(self, data: bytes, folder: Path) -> SuppliedPdf:
        """The supplied PDF ``data`` as a pack takes it (pdf.prepare: active content stripped,
        or why it cannot go in), kept by the file's digest beside the paper it belongs to
        (``folder``: an exempt item's in the private folder), so that a meeting whose files
        did not change does not load the PDF library to read them again."""
        key = hashlib.sha256(self.code.encode() + b"\0" + data).hexdigest()
        kept = folder / CACHE_DIR / "prepared"
        self.used.add(kept / key)
        record, changed = kept / f"{key}.json", kept / f"{key}.pdf"
        try:
            # Every field but the bytes, by name: the bytes are the file's own, or the changed
            # PDF kept beside the record when preparing it changed them.
            fields = json.loads(record.read_text(encoding="utf-8"))
            if set(fields) == _PREPARED and all(_plain(value) for value in fields.values()):
                found = SuppliedPdf(b"", **{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
                return dataclasses.replace(found, data=b"" if found.why else (
                    changed.read_bytes() if changed.is_file() else data))
        except (OSError, ValueError, TypeError, AttributeError):
            pass  # no entry, or one damaged or tampered with: read the file again
        found = pdf.prepare(data)
        if found.data not in (data, b""):
            write_atomic(changed, found.data)
        fields = {f.name: getattr(found, f.name) for f in dataclasses.fields(found) if f.name != "data"}
        write_atomic(record, json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in fields.items()}).encode())
        return found

    def alone(self, data: bytes, title: str) -> tuple[bytes, bool]:
        """The supplied PDF ``data`` as it is published beside the meeting's page (pdf.alone,
        titled ``title``), and whether it has tags; kept by digest, so that a meeting rebuilt
        for one changed paper does not make every supplied paper's copy again."""
        kept = self._alone_kept(data, title)
        record, copy = kept.with_suffix(".json"), kept.with_suffix(".pdf")
        try:
            fields = json.loads(record.read_text(encoding="utf-8"))
            made = copy.read_bytes()
            # The copy is checked against its digest: a cache in the output folder is untrusted.
            if isinstance(fields.get("tagged"), bool) and fields.get("sha256") == hashlib.sha256(made).hexdigest():
                return made, fields["tagged"]
        except (OSError, ValueError, TypeError, AttributeError):
            pass  # no entry, or one damaged or tampered with: made again
        made, tagged = pdf.alone(pdf.TitledPdf(data, title)), bool(pdf.inspect(data)[1])
        write_atomic(copy, made)
        write_atomic(record, json.dumps({"tagged": tagged, "sha256": hashlib.sha256(made).hexdigest()}).encode())
        return made, tagged

    def _alone_kept(self, data: bytes, title: str) -> Path:
        """Where the copy of ``data`` titled ``title`` is kept (without its ending), noted as used."""
        key = hashlib.sha256(self.code.encode() + b"\0" + title.encode("utf-8", "surrogateescape") + b"\0" + data).hexdigest()
        self.used.add(self.root / "alone" / key)
        return self.root / "alone" / key

    def still_wanted(self, data: bytes, title: str) -> None:
        """Keep the copy of ``data`` titled ``title`` (:meth:`alone`) through this build's
        prune, though the build did not need it: a build whose page is current makes no
        copy, and the next one, for a changed paper, would otherwise make every copy again."""
        self._alone_kept(data, title)

    # --- page counts -----------------------------------------------------------------------
    # A pack needs every source's length, a paper every part's, the meeting's page every
    # file's: each PDF is counted once, when it is laid out or first read, and the count kept
    # by the PDF's digest (beside the paper, an exempt one's in the private folder). A PDF
    # whose bytes changed in any way has another digest, and is counted afresh.

    def pages(self, data: bytes, folder: Path, counted: int | None = None) -> int:
        """How many pages the PDF ``data`` (kept in ``folder``) has, 0 if it is not a readable
        PDF: ``counted`` when the caller knows it (it laid the PDF out), else as kept from an
        earlier build, else counted now."""
        counts = self._counts_in(folder)
        digest = hashlib.sha256(data).hexdigest()
        if counted is None:
            counted = None if self._recounting else counts.get(digest)
            if counted is not None:
                return counted
            counted = pdf.page_count(data)
        if counts.get(digest) != counted:
            counts[digest] = counted
            self._counted.add(folder)
        return counted

    def recount(self) -> None:
        """From now on, count each PDF asked of :meth:`pages` afresh (and keep that count):
        a kept count proved wrong."""
        self._recounting = True

    def _counts_in(self, folder: Path) -> dict[str, int]:
        if folder not in self._counts:
            try:
                kept = json.loads((folder / CACHE_DIR / "pages.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                kept = {}
            # Untrusted, as the whole output folder is: only well-formed entries are taken.
            self._counts[folder] = {k: v for k, v in (kept.items() if isinstance(kept, dict) else [])
                                    if isinstance(k, str) and len(k) == 64 and type(v) is int and v >= 0}
        return self._counts[folder]

    def _keep_counts(self) -> None:
        """Write the page counts a build added to, the latest ``KEPT_COUNTS`` of each folder's."""
        for folder in sorted(self._counted):
            counts = self._counts[folder]
            latest = dict(list(counts.items())[-KEPT_COUNTS:])
            write_atomic(folder / CACHE_DIR / "pages.json", json.dumps(latest).encode("utf-8"))
        self._counted.clear()

    # --- outputs -----------------------------------------------------------------------

    def render_key(self, *parts: object) -> str:
        """The key of a build: what the renderers get, with the templates and code."""
        digest = hashlib.sha256(self.templates_and_code.encode())
        for part in parts:
            # repr, not pickle: a dataclass's repr is its content, where a pickle also
            # records which equal objects happen to be shared.
            digest.update(repr(part).encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    @staticmethod
    def _manifest(folder: Path, stem: str) -> Path:
        """The record of one paper's last build, in the cache of the folder it was written to
        (an exempt paper's in the private folder, so that not even its name is published)."""
        return folder / CACHE_DIR / f"manifest-{stem}.json"

    def outputs_current(self, key: str, files: list[Path], stem: str) -> bool:
        """Whether ``files`` (all in one folder) are exactly what the build with ``key`` wrote."""
        manifest = self._manifest(files[0].parent, stem)
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if recorded.get("key") != key or sorted(recorded.get("files", {})) != sorted(p.name for p in files):
            return False
        for path in files:
            try:
                if hashlib.sha256(path.read_bytes()).hexdigest() != recorded["files"][path.name]:
                    return False
            except OSError:
                return False
        return True

    def record(self, key: str, folder: Path, files: dict[str, bytes], stem: str, parts: tuple[str, ...] = (),
               front_pages: int = 0) -> None:
        """Note what the build with ``key`` wrote into ``folder``, the laid-out parts it was
        made of, and (a pack's) how many pages its front sheet has."""
        manifest = {"key": key, "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
                    "parts": list(parts), **({"front_pages": front_pages} if front_pages else {})}
        write_atomic(self._manifest(folder, stem), json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8"))

    def front_pages(self, folder: Path, stem: str) -> int:
        """How many pages the front sheet of the pack last recorded as ``stem`` in ``folder``
        had (1 if none was): the first guess at its length, which only saves laying it out
        twice when the numbers it prints change."""
        try:
            pages = json.loads(self._manifest(folder, stem).read_text(encoding="utf-8")).get("front_pages")
        except (OSError, ValueError, AttributeError):
            return 1
        return pages if isinstance(pages, int) and 1 <= pages <= 1000 else 1

    # --- laid-out parts of PDFs ------------------------------------------------------------
    # Kept beside the paper they belong to (``folder``, the paper's output folder), not with
    # the rest: an exempt paper's parts stay in the private folder, as its papers do.

    @staticmethod
    def _parts(folder: Path) -> Path:
        return folder / CACHE_DIR / "parts"

    def part(self, folder: Path, key: str) -> bytes | None:
        """The part of a PDF laid out under ``key``, if a build of a paper in ``folder`` kept it."""
        try:
            return (self._parts(folder) / f"{key}.pdf").read_bytes()
        except OSError:
            return None

    def keep_part(self, folder: Path, key: str, data: bytes) -> None:
        write_atomic(self._parts(folder) / f"{key}.pdf", data)

    def prune_parts(self, folder: Path) -> None:
        """Forget the parts in ``folder`` that no paper's last build was made of."""
        parts = self._parts(folder)
        if not parts.is_dir():
            return
        used: set[str] = set()
        for manifest in (folder / CACHE_DIR).glob("manifest-*.json"):
            try:
                used.update(str(k) for k in json.loads(manifest.read_text(encoding="utf-8")).get("parts", []))
            except (OSError, ValueError, AttributeError, TypeError):
                continue
        for entry in parts.iterdir():
            if entry.stem not in used or entry.suffix != ".pdf":
                entry.unlink(missing_ok=True)
