"""Nothing of an exempt item left outside the private folder: what earlier builds made of it while it was public, and drafts that carry it, moved in.

An item made exempt after a build (or after publication) leaves behind, in the output
folder, what was made of it while it was public: its paper's Word, PDF and web page and
check report, their manifest and laid-out parts in the cache, the copies of its supplied
paper and appendices beside the meeting's page, LibreOffice's conversion of its Word
paper; and in the outbox, drafts that carry its paper, or a published pack that holds it,
to someone not entitled to it. Every build of a meeting moves all of these into
``output/private/retired/<when>/``, where only the clerk looks, and says each: nothing is
deleted (each kept under the same path it had in the output folder), and nothing is left
where it could be sent or uploaded.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.build import Build
from pipeline.filenames import CACHE_DIR, PRIVATE, move_into, shown, slug
from pipeline.meeting.supplements import PackPlan
from pipeline.records.meeting import Item, Meeting
from pipeline.records.problems import Problem, Severity, Source

RETIRED = Path(PRIVATE) / "retired"
"""Where what is moved in goes, in the output folder."""
OUTBOX = "outbox"


@dataclass(frozen=True)
class Leftover:
    """A file of an exempt item's found outside the private folder, and what it is."""

    path: Path
    what: str


def privatise(meeting: Meeting, builds: dict[str, Build], converted: dict[Path, tuple[str, ...]], plan: PackPlan,
              output: Path, now: dt.datetime) -> list[Problem]:
    """Move every leftover of an exempt item (``builds``: the papers this build made, by item
    number; ``converted``: the names each supplied Word file's conversion is kept under; the
    packs ``plan`` takes out of publication) into the private folder: a warning for each,
    saying where it went and what to do."""
    exempt = [item for item in meeting.items if item.exempt]
    found = [*_papers(meeting, exempt, builds, converted, output), *_packs(plan, output),
             *_drafts(meeting, exempt, builds, plan, output)]
    stamp = now.strftime("%Y-%m-%d-%H%M%S")
    problems, moved = [], set()
    for leftover in found:
        if leftover.path in moved:
            continue  # a part two exempt papers share (their page furniture, alike): moved once
        moved.add(leftover.path)
        # Kept where it was, below the private folder's retired one: outbox/agenda/… , .cache/…
        target = move_into(leftover.path, output / RETIRED / stamp / leftover.path.parent.relative_to(output))
        problems.append(Problem(
            Severity.WARNING, Source(shown(leftover.path.name)),
            f"{leftover.what}: moved into the private folder ({shown(str(target.relative_to(output)))})",
            "do not send or upload it; if it was uploaded or sent before, take it down or tell those who had it"
            if leftover.path.suffix == ".eml" or leftover.path.parent == output else
            "nothing to do: it was kept from a build made while the item was public"))
    return problems


def private_names(meeting: Meeting, builds: dict[str, Build], plan: PackPlan) -> frozenset[str]:
    """The names of the public files that would hold an exempt item's paper: its own, and
    the published packs that hold it (``plan.withdrawn``)."""
    return frozenset([*(name for item in meeting.items if item.exempt
                        for name in _names(meeting, item, builds.get(item.number))), *plan.withdrawn])


def _names(meeting: Meeting, item: Item, build: Build | None) -> list[str]:
    """The names a public build gives an item's files beside the papers: its paper's four
    (where papers builds it), and the copies of its supplied paper and appendices."""
    names = [path.name for path in build.written] if build else []
    stem = f"{meeting.stem}-item-{slug(item.number)}"
    if item.paper is not None and not build:
        names.append(f"{stem}-{slug(item.title)}.pdf")
    names += [f"{stem}-appendix-{number}.pdf" for number in range(1, len(item.appendices) + 1)]
    return names


def _papers(meeting: Meeting, exempt: list[Item], builds: dict[str, Build], converted: dict[Path, tuple[str, ...]],
            output: Path) -> list[Leftover]:
    """Each exempt item's files, and their cache, left outside the private folder."""
    found = []
    cache = output / CACHE_DIR
    for item in exempt:
        what = f"item {item.number} is exempt (Sch 12A para {item.exempt}), and this was made of it while public"
        build = builds.get(item.number)
        found += [Leftover(output / name, what) for name in _names(meeting, item, build)]
        if build:
            manifest = cache / f"manifest-{build.written[0].stem}.json"
            found += [Leftover(cache / "parts" / f"{key}.pdf", what) for key in _parts(manifest)]
            found.append(Leftover(manifest, what))
        for path in [item.paper, *item.appendices]:
            found += [Leftover(cache / "converted" / name, what) for name in converted.get(path, ())]
    return [leftover for leftover in found if _ours(leftover.path)]


def _packs(plan: PackPlan, output: Path) -> list[Leftover]:
    """The packs built beside the papers that hold an item exempt since they were published."""
    found = [Leftover(output / pack, f"it holds item{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}, exempt "
                      "since it was published") for pack, numbers in plan.withdrawn.items()]
    return [leftover for leftover in found if _ours(leftover.path)]


def _parts(manifest: Path) -> list[str]:
    """The laid-out parts a paper's manifest says it was made of (none if it cannot be read)."""
    try:
        parts = json.loads(manifest.read_text(encoding="utf-8")).get("parts", []) if _ours(manifest) else []
    except (OSError, ValueError, AttributeError):
        return []
    return [str(key) for key in parts if isinstance(key, str) and key.isalnum()]


def _drafts(meeting: Meeting, exempt: list[Item], builds: dict[str, Build], plan: PackPlan,
            output: Path) -> list[Leftover]:
    """Each draft in the outbox that carries an exempt item's paper, or a published pack that
    holds one, to someone not entitled to exempt papers."""
    carried = {name: f"item {item.number}'s paper, exempt" for item in exempt
               for name in _names(meeting, item, builds.get(item.number))}
    carried.update({pack: f"{pack}, which holds item{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}, "
                          "exempt since it was published" for pack, numbers in plan.withdrawn.items()})
    entitled = _entitled(meeting)
    found = []
    outbox = output / OUTBOX
    for draft in sorted(outbox.rglob("*.eml")) if outbox.is_dir() and not outbox.is_symlink() else []:
        if not _ours(draft) or draft.relative_to(outbox).parts[0] == "chase":
            continue  # a reminder carries a form, never a paper
        to, names = _read(draft)
        held = [carried[name] for name in names if name in carried]
        if held and not (draft.parent.name == "agenda" and to and all(a in entitled for a in to)):
            found.append(Leftover(draft, f"a draft to {', '.join(to) or 'someone'} carries {'; '.join(held)}"))
    return found


def _read(draft: Path) -> tuple[list[str], list[str]]:
    """A draft's addresses, and the names of the files it carries (attached, or linked in its text)."""
    try:
        message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
        to = [address.addr_spec.casefold() for address in message["To"].addresses] if message["To"] else []
        names = [part.get_filename() or "" for part in message.iter_attachments()]
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
    except (OSError, ValueError, TypeError, AttributeError, LookupError):
        return [], []
    return to, names + [word.rsplit("/", 1)[-1] for word in text.split() if "/" in word]


def _entitled(meeting: Meeting) -> set[str]:
    """The addresses entitled to exempt papers: those every entry of meeting.toml's list for
    them marks ``exempt = true``."""
    recipients = meeting.mail.recipients if meeting.mail else ()
    return {r.email.casefold() for r in recipients if r.exempt} - {r.email.casefold() for r in recipients if not r.exempt}


def _ours(path: Path) -> bool:
    """Whether ``path`` is a file papers may move: a file of its own, not a link to elsewhere."""
    return path.is_file() and not path.is_symlink()

