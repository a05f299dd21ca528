"""Output files: where they go, names made safe from the text they come from, and written atomically."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""The templates folder: the papers' layout, the fonts, the words of the mails."""
PRIVATE = "private"
"""The folder, inside the output folder, for exempt items: never published."""
CACHE_DIR = ".cache"
LAST_ROUNDS = "last-rounds"
"""The folder, in the inputs and the output folders, where each earlier round is kept, by its meeting date."""
MEETING_FILE = "meeting.toml"
"""The file in the inputs folder that makes it a meeting's."""
"""The folder, inside an output folder, where papers keeps what its last builds did."""

# Characters that would act rather than show on a terminal or in a paper: C0 and C1
# controls (escape sequences), and the bidirectional overrides and isolates that make text
# read in another order than it is stored.
_ACTING = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(name: str) -> str:
    """A file name as it can safely be printed: bytes that are not UTF-8, and characters that
    would act on the terminal (escape codes, text direction), become \ufffd."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _ACTING.sub("\ufffd", text)


def slug(text: str) -> str:
    """A lower-case, hyphenated form of ``text``: no separators, dots or control characters."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:80].strip("-") or "untitled"


def move_into(path: Path, folder: Path) -> Path:
    """``path`` (a file or a folder) moved into ``folder``, made if need be, under a name not
    already taken there (``name-2``, ``name-3`` …): where it now is. Nothing is overwritten."""
    folder.mkdir(parents=True, exist_ok=True)
    target = free_path(folder / path.name)
    if path.is_dir() and not path.is_symlink():
        shutil.move(str(path), str(target))
    else:
        os.replace(path, target)
    return target


def free_path(path: Path) -> Path:
    """``path``, or the first of ``name-2``, ``name-3`` … beside it not taken: nothing is overwritten."""
    target, number = path, 2
    while target.exists() or target.is_symlink():
        target = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named before it is made, so that an interrupt (Ctrl-C) at any moment after it exists
    # still removes it; "x" refuses a name that is taken.
    temp = path.parent / f".{path.name}.{os.urandom(6).hex()}.part"
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def read_json_lines(path: Path) -> list[dict]:
    """The entries of a log of JSON lines; a line half-written when the machine stopped, or a
    log papers cannot read, is passed over (nothing in it counts as done)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    entries = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def append_json_line(path: Path, entry: dict) -> None:
    """Add ``entry`` to a log of JSON lines, on the disk before the caller's next step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")
        log.flush()
        os.fsync(log.fileno())


def remove_temporaries(folder: Path) -> list[Path]:
    """Remove what write_atomic leaves when a process is killed mid-write: ``.*.part`` files."""
    removed = []
    if folder.is_dir():
        for path in folder.glob(".*.part"):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass  # another build's file, in use: it removes its own
    return removed
