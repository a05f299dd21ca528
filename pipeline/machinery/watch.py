"""The inputs folder watched: the papers built again each time its files change and settle.

``papers watch`` (``make watch``) is for an officer waiting on returns and papers: it
builds once, then looks at the inputs folder ten times a second, and when a file
has been added, changed or removed, and the folder has then stayed the same for one more
look (a file still being copied in is not built half-way), it builds again. Between builds
the process stays loaded, with its workers and the layout engine in them: a rebuild skips
the start-up a one-off ``make papers`` pays (Python, papers' imports, WeasyPrint's).

It looks rather than being told (inotify): a folder of a few hundred files is read in a
millisecond, and looking works the same on a network drive, where notification does not.
"""

from __future__ import annotations

import stat
import time
from pathlib import Path
from typing import Callable

POLL = 0.1
"""Seconds between looks at the inputs folder (a look at a few hundred files takes a millisecond)."""

State = frozenset[tuple[str, int, int]]
"""What a look at the folder sees: each file's path, modification time and size."""


def look(inputs: Path) -> State:
    """Each file in ``inputs`` (and below) with its modification time and size; not the
    lock files Excel, Word and LibreOffice leave beside a file while it is open."""
    seen = set()
    for path in inputs.rglob("*"):
        if path.name.startswith(("~$", ".~lock.")):
            continue
        try:
            found = path.stat()
        except OSError:
            continue  # gone between listing and looking: the next look sees it gone
        if stat.S_ISREG(found.st_mode):  # from the same look: a file, not a folder
            seen.add((str(path.relative_to(inputs)), found.st_mtime_ns, found.st_size))
    return frozenset(seen)


def watch(inputs: Path, build: Callable[[], None], builds: int | None = None,
          sleep: Callable[[float], None] = time.sleep) -> None:
    """``build()`` now, then after each change to ``inputs`` once it has settled; for ever,
    or until ``builds`` builds have run (Ctrl-C ends it: KeyboardInterrupt)."""
    done = 0
    before = look(inputs)
    build()
    done += 1
    while builds is None or done < builds:
        sleep(POLL)
        now = look(inputs)
        if now == before:
            continue
        while True:  # settled: unchanged from one look to the next
            sleep(POLL)
            again = look(inputs)
            if again == now:
                break
            now = again
        before = now
        build()
        done += 1
