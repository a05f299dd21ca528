"""Returns matched to the registry: the newest of duplicates kept, the missing marked, in order."""

from __future__ import annotations

import re

from pipeline.model import Entry, Paper, Partnership, Problem, Return, Round, Severity, Source, Status
from pipeline.vocabulary import fold

_TRAILING_ABBREVIATION = re.compile(r"\s*\(([^()]*)\)\s*$")


def name_keys(name: str) -> set[str]:
    """The folded forms a partnership name can be matched by: whole, and without "(OCYPT)"."""
    keys = {fold(name)}
    if m := _TRAILING_ABBREVIATION.search(name):
        keys.add(fold(name[: m.start()]))
        keys.add(fold(m.group(1)))
    keys.discard("")
    return keys


def _index(registry: tuple[Partnership, ...]) -> dict[str, Partnership]:
    index: dict[str, Partnership] = {}
    for partnership in registry:
        for spelling in (partnership.name, partnership.short_name, *partnership.aliases):
            for key in name_keys(spelling) if spelling else ():
                index.setdefault(key, partnership)
    return index


def match(name: str, registry: tuple[Partnership, ...]) -> Partnership | None:
    """The registry partnership a return's name means, or None."""
    index = _index(registry)
    for key in sorted(name_keys(name), key=len, reverse=True):
        if key in index:
            return index[key]
    return None


def _newest_first(ret: Return) -> tuple:
    completed = ret.completed
    return (completed.sort_key if completed else (0, 0, 0), ret.modified, ret.file)


def collate(
    paper: Paper,
    registry: tuple[Partnership, ...],
    returns: list[Return],
    problems: list[Problem],
) -> Round:
    """The round: one entry per registry partnership, in registry order."""
    problems = list(problems)
    faulty = {p.source.file for p in problems if p.severity is Severity.ERROR}
    by_partnership: dict[str, list[Return]] = {}
    for ret in returns:
        partnership = match(ret.name, registry)
        if partnership is None:
            source = ret.values["partnership"].source if "partnership" in ret.values else Source(ret.file, ret.sheet)
            problems.append(
                Problem(
                    Severity.ERROR,
                    source,
                    f"'{ret.name or '(blank)'}' is not a partnership in the registry",
                    "correct the name in the return, or add the partnership (or this spelling as an alias) to partnerships.toml",
                )
            )
            continue
        by_partnership.setdefault(partnership.id, []).append(ret)

    entries = []
    for partnership in registry:
        candidates = sorted(by_partnership.get(partnership.id, []), key=_newest_first, reverse=True)
        if not candidates:
            entries.append(Entry(partnership, Status.MISSING))
            continue
        chosen, *older = candidates
        for other in older:
            problems.append(
                Problem(
                    Severity.WARNING,
                    Source(other.file),
                    f"a second return from {partnership.name}; the newer one, {chosen.file}, is used",
                    f"remove {other.file} from the inputs folder if it is out of date",
                )
            )
        status = Status.PROBLEM if chosen.file in faulty else Status.RECEIVED
        entries.append(Entry(partnership, status, chosen))
    return Round(paper, tuple(entries), tuple(problems))
