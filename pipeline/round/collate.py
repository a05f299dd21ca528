"""Returns matched to the registry: the newest of duplicates kept, the missing marked, in order."""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path

from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.returns import Return
from pipeline.records.round import Entry, Round, Status
from pipeline.records.settings import Paper, Partnership
from pipeline.vocabulary import fold

_TRAILING_ABBREVIATION = re.compile(r"\s*\(([^()]*)\)\s*$")
# How alike two folded names must be for a loose match (difflib's ratio), and how far
# ahead of the runner-up: "Safer Community" finds "Safer Communities", while
# "Oxfordshire Partnership" finds nothing rather than "South Oxfordshire Partnership".
LOOSE_CUTOFF = 0.9
LOOSE_MARGIN = 0.05


def name_keys(name: str) -> set[str]:
    """The folded forms a partnership name can be matched by: whole, and without "(OCYPT)"."""
    keys = {fold(name)}
    if m := _TRAILING_ABBREVIATION.search(name):
        keys.add(fold(name[: m.start()]))
        keys.add(fold(m.group(1)))
    keys.discard("")
    return keys


@functools.lru_cache(maxsize=4)
def _positions(registry: tuple[Partnership, ...]) -> dict[str, int]:
    """Every folded spelling of every partnership, and its place in the registry.

    Built once per registry, not per return. Places, not the partnerships: the cache
    hands this to any registry equal to the first, whose partnerships are equal but not
    the same objects, and callers compare partnerships by identity.
    """
    index: dict[str, int] = {}
    for position, partnership in enumerate(registry):
        for spelling in (partnership.name, partnership.short_name, *partnership.aliases):
            for key in name_keys(spelling) if spelling else ():
                index.setdefault(key, position)
    return index


def match(name: str, registry: tuple[Partnership, ...]) -> tuple[Partnership | None, bool]:
    """The registry partnership a return's name means, and whether the match is exact."""
    positions = _positions(registry)
    keys = name_keys(name)
    for key in sorted(keys, key=len, reverse=True):
        if key in positions:
            return registry[positions[key]], True
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, known).ratio(), known) for key in keys for known in positions),
        reverse=True,
    )
    if scored and scored[0][0] >= LOOSE_CUTOFF:
        best = positions[scored[0][1]]
        runner_up = next((score for score, known in scored[1:] if positions[known] != best), 0.0)
        if scored[0][0] - runner_up >= LOOSE_MARGIN:
            return registry[best], False
    return None, False


def _compare(a: Return, b: Return) -> int:
    """Which of two returns is newer: by completion date, then file time, then name.

    A month-only date ("Feb 2011") cannot be ordered against a day in the same month, so
    for those the file time decides.
    """
    da, db = a.completed, b.completed
    if da and db:
        if (da.year, da.month) != (db.year, db.month):
            return -1 if (da.year, da.month) < (db.year, db.month) else 1
        if da.day and db.day and da.day != db.day:
            return -1 if da.day < db.day else 1
    elif da or db:
        return 1 if da else -1  # a readable date beats none
    for x, y in ((a.modified, b.modified), (a.file, b.file)):
        if x != y:
            return -1 if x < y else 1
    return 0


def collate(
    paper: Paper,
    registry: tuple[Partnership, ...],
    returns: list[Return],
    problems: list[Problem],
    unreadable: tuple[str, ...] = (),
) -> Round:
    """The round: one entry per registry partnership, in registry order.

    ``unreadable`` names the files that arrived but could not be read as returns; each is
    matched to a partnership by its file name where it can be, so that the partnership is
    shown as having sent something unreadable rather than nothing. Every problem's advice
    names the partnership it is about.
    """
    problems = list(problems)
    who: dict[str, str] = {}  # file name → how its advice names the partnership
    faulty = {p.source.file for p in problems if p.severity is Severity.ERROR}
    by_partnership: dict[str, list[Return]] = {}
    by_id = {p.id: p for p in registry}
    for ret in returns:
        partnership, exact = match(ret.name, registry)
        who[ret.file] = ret.name or Path(ret.file).stem
        source = ret.values["partnership"].source if "partnership" in ret.values else Source(ret.file, ret.sheet)
        if ret.form_partnership in by_id:
            # The form papers sent this partnership says whose it is, whatever was typed.
            sent_to = by_id[ret.form_partnership]
            if partnership is not None and partnership is not sent_to:
                problems.append(
                    Problem(
                        Severity.WARNING,
                        source,
                        f"says '{ret.name}' on the form sent to {sent_to.name}; it is used as {sent_to.name}'s",
                        f"if it is really {partnership.name}'s return, ask them to use their own form",
                    )
                )
            partnership, exact = sent_to, True
        elif partnership is not None and not exact:
            problems.append(
                Problem(
                    Severity.WARNING,
                    source,
                    f"'{ret.name}' was taken to be {partnership.name}",
                    "if that is right, add the name to its aliases in partnerships.toml; if not, correct the return",
                )
            )
        if partnership is not None:
            who[ret.file] = partnership.name
        if partnership is None:
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

    unreadable_from: dict[str, str] = {}  # partnership id → the file
    for file in unreadable:
        partnership = match_file(file, registry)
        who[file] = partnership.name if partnership else Path(file).stem
        if partnership is not None:
            unreadable_from.setdefault(partnership.id, file)

    entries = []
    for partnership in registry:
        candidates = sorted(by_partnership.get(partnership.id, []), key=functools.cmp_to_key(_compare), reverse=True)
        old = [ret for ret in candidates if _earlier(ret, paper)]
        candidates = [ret for ret in candidates if ret not in old]
        for ret in old:
            problems.append(Problem(
                Severity.WARNING, Source(ret.file), f"is {partnership.name}'s return of an earlier round ({_earlier(ret, paper)}), "
                "so it is not counted as this round's", f"move it out of the inputs folder (make new-round does); "
                f"{partnership.name} is chased for this round's" if not candidates else "move it out of the inputs folder"))
        if not candidates and old:
            entries.append(Entry(partnership, Status.LAST_ROUND, file=old[0].file))
            continue
        if not candidates and partnership.id in unreadable_from:
            file = unreadable_from[partnership.id]
            reason = next((p.addressed(partnership.name).message for p in problems
                           if p.source.file == file and p.severity is Severity.ERROR), "")
            entries.append(Entry(partnership, Status.UNREADABLE, file=file, reason=reason))
            continue
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
        entries.append(Entry(partnership, status, chosen, file=chosen.file))
    addressed = tuple(p.addressed(who.get(p.source.file) or Path(p.source.file).stem) for p in problems)
    return Round(paper, tuple(entries), addressed)


def _earlier(ret: Return, paper: Paper) -> str:
    """Why ``ret`` is a return of an earlier round ("its form was for the meeting of
    2010-09-22"), or "" if it may be this round's."""
    if ret.form_round and ret.form_round != paper.round_id:
        return f"its form was sent out for the meeting of {ret.form_round}"
    done, before = ret.completed, paper.previous_meeting
    if done and before and (done.year, done.month, done.day or 31) < (before.year, before.month, before.day):
        return f"completed {done}, before the last meeting on {before.day} {before:%B %Y}"
    return ""


# Words officers add to a return's file name that say nothing of whose it is.
_FILE_NOISE = re.compile(r"\b(return|returns|final|draft|copy|update|form|v\d+|\d{4}|\d{1,2})\b", re.IGNORECASE)


def match_file(file: str, registry: tuple[Partnership, ...]) -> Partnership | None:
    """The partnership a file's name says it is from ("cherwell_LSP_return_final.xls"), or None."""
    stem = Path(file).stem
    words = _FILE_NOISE.sub(" ", re.sub(r"[_\-.]+", " ", stem))
    for candidate in (stem.replace("-", " "), words):
        partnership, _ = match(candidate, registry)
        if partnership is not None:
            return partnership
    # A file named by the partnership's short form: its id or a word of its name.
    folded = fold(words)
    for partnership in registry:
        if folded and folded in {fold(partnership.id), *(fold(a) for a in partnership.aliases)}:
            return partnership
    return None
