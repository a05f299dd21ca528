"""Opening a returned workbook safely: bytes checked before openpyxl sees them."""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

# A return is a few kilobytes; these bound what a hostile or broken file can cost us.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods"}
OPENPYXL_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}


@dataclass(frozen=True)
class Refusal:
    """Why a file could not be opened as a return workbook, and what the officer can do."""

    message: str
    advice: str


def _who(path: Path) -> str:
    return path.stem


def open_workbook(path: Path) -> Workbook | Refusal:
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

    if not zipfile.is_zipfile(io.BytesIO(data)):
        return Refusal("not a readable Excel workbook (the file is damaged or not a spreadsheet)", resave)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return Refusal("not a readable Excel workbook (the file is damaged)", resave)
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
        return Refusal("far larger inside than a return can be (possibly a zip bomb)", resave)

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation extensions, etc.);
            # they do not matter for reading values.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), data_only=True, rich_text=True, keep_links=False
            )
    except Exception as error:  # noqa: BLE001 — openpyxl raises many kinds for bad files
        detail = type(error).__name__
        return Refusal(f"not a readable Excel workbook (the file is damaged: {detail})", resave)
