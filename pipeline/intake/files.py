"""Which files in the inputs folder are returns, and which only look like one."""

from __future__ import annotations

from pathlib import Path

from pipeline.filenames import shown
from pipeline.records.problems import WHO, Problem, Severity, Source

# Read as returns: .xlsx and its kin through openpyxl, .xls and .ods as values only.
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods"}
# Spreadsheets papers does not read, which a partnership may still send as its return.
LOOKALIKE_SUFFIXES = {
    ".csv": "a CSV file (text only: no form, no labels papers can trust)",
    ".tsv": "a tab-separated text file",
    ".numbers": "an Apple Numbers spreadsheet",
    ".gsheet": "a shortcut to a Google Sheet, not the sheet itself",
    ".fods": "a flat OpenDocument spreadsheet",
    ".xlw": "an Excel 4 workbook",
    ".wk1": "a Lotus 1-2-3 spreadsheet",
    ".wks": "a Works spreadsheet",
}


def _passed_over(name: str) -> bool:
    """Hidden files, and Excel's lock files (~$…): never an officer's return."""
    return name.startswith(("~$", ".", "._"))


def is_return_candidate(path: Path) -> bool:
    """A spreadsheet an officer dropped in, not Excel's lock file or a hidden file."""
    name = path.name
    return (
        path.is_file()
        and not _passed_over(name)
        and path.suffix.lower() in SPREADSHEET_SUFFIXES
    )


def find_returns(inputs: Path) -> list[Path]:
    """The spreadsheets in ``inputs``, in name order so every build reads them alike."""
    return sorted((p for p in inputs.iterdir() if is_return_candidate(p)), key=lambda p: p.name)


def find_lookalikes(inputs: Path) -> list[tuple[Path, Problem]]:
    """Files that look like a return papers cannot read, each with the problem to report."""
    found = []
    for path in sorted(inputs.iterdir(), key=lambda p: p.name):
        what = LOOKALIKE_SUFFIXES.get(path.suffix.lower())
        if what and path.is_file() and not _passed_over(path.name):
            problem = Problem(
                Severity.ERROR,
                Source(shown(path.name)),
                f"is {what}, which papers does not read as a return",
                f"ask {WHO} to send the return form as an Excel workbook (.xlsx)",
            )
            found.append((path, problem))
    return found


def lock_file_warnings(inputs: Path) -> list[Problem]:
    """A warning for each workbook whose Excel lock file (~$name) sits beside it."""
    problems = []
    for lock in sorted(inputs.glob("~$*"), key=lambda p: p.name):
        # Excel's lock file drops the first two letters of a long name: ~$le.xlsx for Vale.xlsx.
        rest = lock.name[2:]
        owners = [
            p for p in inputs.iterdir()
            if is_return_candidate(p) and (p.name == rest or (len(p.name) == len(rest) + 2 and p.name.endswith(rest)))
        ]
        for owner in owners[:1]:
            problems.append(
                Problem(
                    Severity.WARNING,
                    Source(shown(owner.name)),
                    f"may be open in Excel with unsaved changes (its lock file {shown(lock.name)} is beside it)",
                    "if you have it open, save and close it, then run papers again; "
                    "if nobody has, delete the lock file",
                )
            )
        if not owners:
            problems.append(
                Problem(
                    Severity.WARNING,
                    Source(shown(lock.name)),
                    "is an Excel lock file with no workbook beside it",
                    "nothing to do; delete it if Excel is closed",
                )
            )
    return problems
