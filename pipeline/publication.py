"""The folder a clerk publishes, ``output/publish/``: exactly the current public papers, packs and page, and nothing else.

Everything else papers writes stays outside it: the check reports, the cache, the
outbox, the private folder. After every build the folder is made to hold exactly the
build's public files (each paper's Word, PDF and web page, the agenda pack, the meeting's
page and the supplied papers it links to), each a copy of the build's own: a paper
corrected is replaced; a file that is not one of them — last build's paper of an item now
exempt, a paper no longer on the agenda, another meeting's files, anything dropped in by
hand — is moved out, to ``output/retired/<when>/``, where the clerk can find it; nothing
is deleted unseen. What goes out goes first, so that a build stopped half way leaves the
folder short of a file, never holding one it should not.
"""

from __future__ import annotations

import datetime as dt
import filecmp
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.filenames import PRIVATE, move_into, write_atomic

PUBLISH = "publish"
RETIRED = "retired"
PUBLIC_SUFFIXES = (".pdf", ".docx", ".html", ".json")
"""What of a build is public: its papers, packs, pages and open data (its check reports are not)."""


@dataclass
class Publication:
    """The publication folder after a build: what it holds, and what was moved out of it."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    retired: list[Path] = field(default_factory=list)
    """Where each file moved out now is (in the retired folder)."""


def public(output: Path, written: list[Path]) -> list[Path]:
    """Those of a build's ``written`` files that may be published: its papers, packs and
    pages in ``output`` itself (not the private folder), never a check report."""
    return [path for path in written if path.parent == output and path.suffix in PUBLIC_SUFFIXES]


def take_out(output: Path, private: frozenset[str], now: dt.datetime) -> Publication:
    """Leave ``output/publish/`` as the last publishing left it, but for the files that hold
    an exempt paper (``private``), moved out to ``output/private/retired/<now>/publish/``: once
    a meeting's agenda is published, only publishing changes the folder, but for privacy."""
    folder = output / PUBLISH
    publication = Publication(folder)
    for found in sorted(folder.iterdir()) if folder.is_dir() else []:
        if found.name in private:
            publication.retired.append(move_into(found, output / PRIVATE / RETIRED / now.strftime("%Y-%m-%d-%H%M%S")
                                                 / PUBLISH))
        elif found.is_file() and not found.name.startswith("."):
            publication.files.append(found)
    return publication


def stage(output: Path, files: list[Path], now: dt.datetime, private: frozenset[str] = frozenset()) -> Publication:
    """Make ``output/publish/`` hold exactly ``files`` (copies of them, by name): anything
    else there moved to ``output/retired/<now>/``, or, if it is one of ``private`` (the
    files that hold an exempt paper), to ``output/private/retired/<now>/publish/``."""
    folder = output / PUBLISH
    wanted = {path.name: path for path in files}
    stamp = now.strftime("%Y-%m-%d-%H%M%S")
    publication = Publication(folder)
    if folder.is_dir():
        for found in sorted(folder.iterdir()):
            if found.name in wanted and found.is_file() and not found.is_symlink():
                continue  # a copy of a paper published now: put right below, if it differs
            if found.name.startswith(".") and found.name.endswith(".part"):
                found.unlink(missing_ok=True)  # a copy a stopped build left half-written
                continue
            retired = output / PRIVATE / RETIRED / stamp / PUBLISH if found.name in private else output / RETIRED / stamp
            publication.retired.append(move_into(found, retired))
    elif folder.exists() or folder.is_symlink():
        publication.retired.append(move_into(folder, output / RETIRED / stamp))
    for name, source in wanted.items():
        target = folder / name
        if not (target.is_file() and filecmp.cmp(target, source, shallow=False)):
            write_atomic(target, source.read_bytes())
        publication.files.append(target)
    return publication
