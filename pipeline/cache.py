"""What the last builds already did, kept in output/.cache so a rebuild does only what changed.

Everything is content-addressed: an intake result by the workbook's bytes, name and time,
the questions, and papers' own code; the papers by everything the renderers receive plus
the templates and code. A changed return, template, setting or version changes the key,
so nothing stale can be served.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path

from pipeline import lazy, records
from pipeline.filenames import CACHE_DIR, write_atomic
from pipeline.model import Problem, Return

PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("openpyxl", "docxtpl", "python-docx", "weasyprint", "pydyf", "pikepdf", "jinja2", "markdown-it-py")


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


class Cache:
    """The intake results and the last build's outputs, under ``output/.cache``."""

    def __init__(self, output: Path, templates: Path, code: str | None = None):
        self.root = output / CACHE_DIR
        self.code = code or code_fingerprint()
        digest = hashlib.sha256(self.code.encode())
        _hash_files(digest, templates)
        self.templates_and_code = digest.hexdigest()
        self.used: set[str] = set()

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
        self.used.add(key)
        try:
            return key, records.loads((self.root / "intake" / f"{key}.json").read_bytes())
        except (OSError, ValueError):
            return key, None  # no entry, or one damaged or tampered with: read the workbook again

    def keep_return(self, key: str, result: tuple[Return | None, list[Problem]]) -> None:
        write_atomic(self.root / "intake" / f"{key}.json", records.dumps(result))

    def prune(self) -> None:
        """Forget intake results and inspections this build did not use (files no longer in
        the inputs folder)."""
        for folder in (self.root / "intake", self.root / "inspected"):
            if folder.is_dir():
                for entry in folder.iterdir():
                    if entry.stem not in self.used or entry.suffix != ".json":
                        entry.unlink(missing_ok=True)

    # --- supplied PDFs -----------------------------------------------------------------

    def inspection(self, data: bytes) -> tuple[str, bool]:
        """Why the supplied PDF ``data`` cannot go into a pack ("" if it can), and whether it
        is tagged (pdf.inspect): kept by the file's digest, so that a meeting whose files did
        not change does not load the PDF library to read them again."""
        key = hashlib.sha256(self.code.encode() + b"\0" + data).hexdigest()
        self.used.add(key)
        path = self.root / "inspected" / f"{key}.json"
        try:
            why, tagged = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(why, str) and isinstance(tagged, bool):
                return why, tagged
        except (OSError, ValueError, TypeError):
            pass  # no entry, or one damaged or tampered with: read the file again
        why, tagged = lazy.pdf().inspect(data)
        write_atomic(path, json.dumps([why, tagged]).encode("utf-8"))
        return why, tagged

    # --- outputs -----------------------------------------------------------------------

    def render_key(self, *parts: object) -> str:
        """The key of a build: what the renderers get, with the templates and code."""
        digest = hashlib.sha256(self.templates_and_code.encode())
        for part in parts:
            # repr, not pickle: a dataclass's repr is its content, where a pickle also
            # records which equal objects happen to be shared.
            digest.update(repr(part).encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def _manifest(self, stem: str) -> Path:
        """The record of one paper's last build: each paper in the folder has its own."""
        return self.root / f"manifest-{stem}.json"

    def outputs_current(self, key: str, files: list[Path], stem: str) -> bool:
        """Whether ``files`` are exactly what the build with ``key`` wrote."""
        manifest = self._manifest(stem)
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

    def record(self, key: str, files: dict[str, bytes], stem: str, parts: tuple[str, ...] = ()) -> None:
        """Note what the build with ``key`` wrote, and the laid-out parts it was made of."""
        manifest = {"key": key, "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
                    "parts": list(parts)}
        write_atomic(self._manifest(stem), json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8"))

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
        for manifest in self.root.glob("manifest-*.json"):
            try:
                used.update(str(k) for k in json.loads(manifest.read_text(encoding="utf-8")).get("parts", []))
            except (OSError, ValueError, AttributeError, TypeError):
                continue
        for entry in parts.iterdir():
            if entry.stem not in used or entry.suffix != ".pdf":
                entry.unlink(missing_ok=True)
