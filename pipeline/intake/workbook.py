"""Opening a returned workbook safely: bytes checked before openpyxl sees them."""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline import lazy
from pipeline.intake.cells import MAX_COLS, MAX_ROWS, CellText, error_cell, unusable_cell, within_limit
from pipeline.intake.plain import PlainBook, open_plain
from pipeline.intake.plain import errors as plain_errors
from pipeline.records.problems import WHO
from pipeline.records.rich_text import Run
from pipeline.text import clean
from pipeline.vocabulary import MARKER_KEYS, MARKER_SHEET

# A return is a few kilobytes; these bound what a hostile or broken file can cost us.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000
# openpyxl holds every cell of a sheet in memory (its read-only mode would not, but it
# drops the formatting of inline rich text, which is how many producers write answers).
# A return's parts are some kilobytes of XML; 8 MB is far beyond any real one.
MAX_PART_BYTES = 8 * 1024 * 1024
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")




def _underlined(value: object) -> bool:
    return value not in (None, False, "none")


def _cell_text(cell, formula: str | None) -> CellText | None:
    value = cell.value
    if value is None:
        if formula:
            return unusable_cell(cell.row, cell.column, "holds a formula that was never calculated, so it has no value to show")
        return None
    if cell.data_type == "e":
        return unusable_cell(cell.row, cell.column, f"shows the Excel error {str(value).strip()}")
    if isinstance(value, str) and (error := error_cell(cell.row, cell.column, value)) is not None:
        return error
    font = cell.font
    base = (bool(font and font.b), bool(font and font.i), bool(font and _underlined(font.u)))
    pieces: list[tuple[str, bool, bool, bool]] = []
    rich_text = lazy.openpyxl().cell.rich_text
    if isinstance(value, rich_text.CellRichText):
        for part in value:
            if isinstance(part, rich_text.TextBlock):
                f = part.font
                pieces.append(
                    (
                        part.text,
                        base[0] if f.b is None else bool(f.b),
                        base[1] if f.i is None else bool(f.i),
                        base[2] if f.u is None else _underlined(f.u),
                    )
                )
            else:
                pieces.append((str(part), *base))
    else:
        pieces.append((value if isinstance(value, str) else _plain(value), *base))
    segments, dropped = [], 0
    for text, bold, italic, underline in pieces:
        text, lost = clean(text)
        dropped += lost
        if text:
            segments.append(Run(text, bold, italic, underline))
    if not "".join(s.text for s in segments).strip():
        return None
    indent = _indent(cell)
    kept, cut = within_limit(tuple(segments))
    return CellText(cell.row, cell.column, kept, value, indent, dropped, cut=cut)


def _indent(cell) -> int:
    """The cell's own indentation (Excel's "increase indent"), in spaces; 0 if unreadable."""
    try:
        level = float(cell.alignment.indent or 0) if cell.alignment else 0.0
    except (TypeError, ValueError):
        return 0
    if not math.isfinite(level) or level <= 0:
        return 0
    return int(min(level, 15)) * 4  # Excel allows 0 to 15


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _formulas(sheet) -> dict[tuple[int, int], str]:
    if sheet is None:
        return {}
    return {
        (cell.row, cell.column): str(cell.value)
        for row in sheet.iter_rows(min_row=1, max_row=MAX_ROWS, min_col=1, max_col=MAX_COLS)
        for cell in row
        if cell.data_type == "f"
    }


def _grid(sheet, formulas: dict[tuple[int, int], str]) -> list[list[CellText]]:
    rows = []
    max_row = min(sheet.max_row or 0, MAX_ROWS)
    max_col = min(sheet.max_column or 0, MAX_COLS)
    if max_row == 0 or max_col == 0:
        return rows
    for row in sheet.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col):
        cells = [c for c in (_cell_text(cell, formulas.get((cell.row, cell.column))) for cell in row) if c is not None]
        if cells:
            rows.append(cells)
    return rows


@dataclass
class Opened:
    """A workbook's cell values (as last saved), and its formulas when it has any."""

    values: object
    """The workbook as openpyxl read it, values as last saved."""
    formulas: object | None
    """The same, read for its formulas (None when it has none)."""
    formatting = True
    """Whether bold, italic and underline were read (they are, from .xlsx)."""

    def sheets(self):
        """Each worksheet in order: (title, visible, its non-empty cells by row), read lazily."""
        worksheet = lazy.openpyxl().worksheet.worksheet.Worksheet
        for sheet in self.values.worksheets:
            if not isinstance(sheet, worksheet) or sheet.title == MARKER_SHEET:
                continue  # a chart sheet, or the form's marker
            formulas_sheet = self.formulas[sheet.title] if self.formulas is not None else None
            yield sheet.title, sheet.sheet_state == "visible", _grid(sheet, _formulas(formulas_sheet))

    def marker_facts(self) -> dict[str, str]:
        """What the hidden marker sheet of a form papers wrote says, or nothing if it is gone."""
        if MARKER_SHEET not in self.values.sheetnames:
            return {}
        sheet = self.values[MARKER_SHEET]
        if not isinstance(sheet, lazy.openpyxl().worksheet.worksheet.Worksheet):
            return {}
        facts = {}
        for key_cell, value_cell in sheet.iter_rows(min_row=1, max_row=len(MARKER_KEYS) + 5, max_col=2):
            if isinstance(key_cell.value, str) and key_cell.value in MARKER_KEYS and value_cell.value is not None:
                facts[key_cell.value] = str(value_cell.value).strip()
        return facts if facts.get("form") == "papers return form" else {}

    def close(self) -> None:
        self.values.close()
        if self.formulas is not None:
            self.formulas.close()


@dataclass(frozen=True)
class Refusal:
    """Why a file could not be opened as a return workbook, and what the officer can do."""

    message: str
    advice: str


def _caused_by_defusedxml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML, however deep openpyxl wrapped its exception."""
    seen = 0
    while error is not None and seen < 10:
        if type(error).__module__.startswith("defusedxml"):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _load(data: bytes, data_only: bool):
    with warnings.catch_warnings():
        # openpyxl warns about parts it drops (data validation extensions, slicers…);
        # they do not matter for reading values.
        warnings.simplefilter("ignore")
        return lazy.openpyxl().load_workbook(io.BytesIO(data), data_only=data_only, rich_text=True, keep_links=False)


def open_workbook(path: Path) -> Opened | PlainBook | Refusal:
    """The workbook at ``path``, read into memory (so the input is never locked), or a Refusal.

    Advice names the partnership as ``WHO``, which collate replaces with its name.
    """
    resave = f"ask {WHO} to open it in Excel and save it again as an Excel Workbook (.xlsx)"
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Refusal(f"too large for a return ({size // 1_048_576} MB)", resave)
        data = path.read_bytes()
    except OSError as error:
        return Refusal(
            f"could not be read ({error.strerror or error})",
            "check that you can open the file yourself (its permissions, or whether it is still "
            "downloading), then run papers again",
        )

    suffix = path.suffix.lower()
    if data.startswith(OLE_SIGNATURE):
        if _ENCRYPTION_STREAM in data:
            return Refusal(
                "password-protected",
                f"ask {WHO} to remove the password (File > Info > Protect Workbook) and send it again",
            )
        return _values_only(data, "an Excel 97–2003 workbook (.xls)", resave)
    if suffix == ".xlsb":
        return Refusal("an Excel binary workbook (.xlsb), which papers does not read", resave)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
                return Refusal("far larger inside than a return can be (possibly a zip bomb)", resave)
            # Every part a reader may inflate is bounded, wherever it sits in the package
            # (a sheet, the styles, the shared strings, or a part a relationship points at
            # in an unusual folder): a return's parts are kilobytes.
            if any(e.file_size > MAX_PART_BYTES for e in entries):
                return Refusal("holds a part far larger than a return form", f"ask {WHO} to send the return form on its own")
            if suffix == ".ods" or "mimetype" in archive.namelist() and archive.read("mimetype").startswith(b"application/vnd.oasis"):
                opendocument = True
            else:
                opendocument = False
                # ZipExtFile never returns more than an entry's declared size, so a lying
                # header cannot make this read larger than the checks above allowed.
                has_formulas = any(_FORMULA.search(archive.read(e)) for e in entries if e.filename.lower().endswith(".xml"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return Refusal("not a readable Excel workbook (the file is damaged or not a spreadsheet)", resave)
    if opendocument:
        return _values_only(data, "an OpenDocument spreadsheet (.ods)", resave)

    try:
        values = _load(data, data_only=True)
        formulas = _load(data, data_only=False) if has_formulas else None
    except Exception as error:  # noqa: BLE001 — openpyxl raises many kinds for bad files
        if _caused_by_defusedxml(error):
            return Refusal("contains unsafe XML (entity declarations) and was not opened", resave)
        return Refusal(f"not a readable Excel workbook (the file is damaged: {type(error).__name__})", resave)
    return Opened(values, formulas)


def _values_only(data: bytes, what: str, resave: str) -> PlainBook | Refusal:
    try:
        return open_plain(data)
    except plain_errors() as error:
        return Refusal(f"{what} that could not be read (the file is damaged: {type(error).__name__})", resave)
