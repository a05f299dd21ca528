"""Opening a returned workbook safely: bytes checked before openpyxl sees them."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

# A return is a few kilobytes; these bound what a hostile or broken file can cost us.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000
# openpyxl holds every cell of a sheet in memory (its read-only mode would not, but it
# drops the formatting of inline rich text, which is how many producers write answers).
# A return's sheet is some kilobytes of XML; 8 MB is far beyond any real one.
MAX_SHEET_XML_BYTES = 8 * 1024 * 1024
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")



@dataclass
class Opened:
    """A workbook's cell values (as last saved), and its formulas when it has any."""

    values: Workbook
    formulas: Workbook | None

    def close(self) -> None:
        self.values.close()
        if self.formulas is not None:
            self.formulas.close()


@dataclass(frozen=True)
class Refusal:
    """Why a file could not be opened as a return workbook, and what the officer can do."""

    message: str
    advice: str


def _who(path: Path) -> str:
    return path.stem


def _caused_by_defusedxml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML, however deep openpyxl wrapped its exception."""
    seen = 0
    while error is not None and seen < 10:
        if type(error).__module__.startswith("defusedxml"):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _load(data: bytes, data_only: bool) -> Workbook:
    with warnings.catch_warnings():
        # openpyxl warns about parts it drops (data validation extensions, slicers…);
        # they do not matter for reading values.
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, rich_text=True, keep_links=False)


def open_workbook(path: Path) -> Opened | Refusal:
    """The workbook at ``path``, read into memory (so the input is never locked), or a Refusal."""
    who = _who(path)
    resave = f"ask {who} to open it in Excel and save it again as an Excel Workbook (.xlsx)"
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Refusal(f"too large for a return ({size // 1_048_576} MB)", resave)
        data = path.read_bytes()
    except OSError as error:
        return Refusal(f"could not be read ({error.strerror or error})", "check the file is not open elsewhere and try again")

    if data.startswith(OLE_SIGNATURE):
        if _ENCRYPTION_STREAM in data:
            return Refusal(
                "password-protected",
                f"ask {who} to remove the password (File > Info > Protect Workbook) and send it again",
            )
        return Refusal("an old-style Excel 97–2003 workbook (.xls), which papers does not read", resave)

    suffix = path.suffix.lower()
    if suffix == ".ods":
        return Refusal("an OpenDocument spreadsheet (.ods), which papers does not read", resave)
    if suffix == ".xlsb":
        return Refusal("an Excel binary workbook (.xlsb), which papers does not read", resave)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            sheets = [e for e in entries if e.filename.lower().startswith(("xl/worksheets/", "/xl/worksheets/"))]
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
                return Refusal("far larger inside than a return can be (possibly a zip bomb)", resave)
            if any(e.file_size > MAX_SHEET_XML_BYTES for e in sheets):
                return Refusal("holds a sheet far larger than a return form", f"ask {who} to send the return form on its own")
            # ZipExtFile never returns more than an entry's declared size, so a lying
            # header cannot make this read larger than the checks above allowed.
            has_formulas = any(_FORMULA.search(archive.read(e)) for e in sheets)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return Refusal("not a readable Excel workbook (the file is damaged or not a spreadsheet)", resave)

    try:
        values = _load(data, data_only=True)
        formulas = _load(data, data_only=False) if has_formulas else None
    except Exception as error:  # noqa: BLE001 — openpyxl raises many kinds for bad files
        if _caused_by_defusedxml(error):
            return Refusal("contains unsafe XML (entity declarations) and was not opened", resave)
        return Refusal(f"not a readable Excel workbook (the file is damaged: {type(error).__name__})", resave)
    return Opened(values, formulas)
