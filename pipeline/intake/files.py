"""Which files in the inputs folder are returns: spreadsheets, less lock and hidden files."""

from __future__ import annotations

from pathlib import Path

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods"}


def is_return_candidate(path: Path) -> bool:
    """A spreadsheet an officer dropped in, not Excel's lock file or a hidden file."""
    name = path.name
    return (
        path.is_file()
        and not name.startswith(("~$", ".", "._"))
        and path.suffix.lower() in SPREADSHEET_SUFFIXES
    )


def find_returns(inputs: Path) -> list[Path]:
    """The spreadsheets in ``inputs``, in name order so every build reads them alike."""
    return sorted((p for p in inputs.iterdir() if is_return_candidate(p)), key=lambda p: p.name)
