"""Each agenda item's PDFs, as a pack takes them: its paper's (built by papers, or supplied) and its appendices', each supplied one made fit for a public pack.

A supplied PDF is made fit once (pdf.prepare: its active content taken out, its damage
mended, its pages fitted to A4, or refused), kept by its digest in the cache, and each
step named in the check with advice.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import pdf
from pipeline.filenames import shown
from pipeline.machinery.cache import Cache
from pipeline.records.meeting import AgendaRow, Item
from pipeline.records.problems import Problem, Severity, Source

ItemPdfs = dict[str, list[tuple[str, bytes]]]
"""Each item's PDFs by its number: its paper's and its appendices', each with its bookmark title."""


def heading(item: Item) -> str:
    """The bookmark and section title of an item's paper: "Item 3: Partnership update report"."""
    return f"Item {item.number}: {item.title}"


def row(item: Item, href: str = "", link_text: str = "", note: str = "") -> AgendaRow:
    """``item`` as an agenda lists it, linking to ``href``."""
    return AgendaRow(item.number, item.title, item.purpose, item.exempt, href, link_text, note)


def item_pdfs(item: Item, built: Path | None, supplied: dict, cache: Cache, folder: Path,
              problems: list[Problem]) -> list[tuple[str, bytes]]:
    """The item's paper (the PDF papers ``built``, or the file supplied) and its appendices,
    as PDFs, each with its bookmark title. A supplied one is made safe for the pack (kept
    in ``folder``'s cache): what was stripped from it is named in ``problems``, and one that
    cannot go in is named and left out, and one without tags named."""
    out = []
    if built is not None:  # papers made it, and its manifest vouches for the bytes
        out.append((heading(item), built.read_bytes()))
    for title, path in _supplied_files(item, built is not None):
        data = supplied[path].result()
        problems.extend(supplied[path].problems)  # what was taken out of it on the way
        if isinstance(data, Problem):
            problems.append(data)
            continue
        found = cache.prepared(data, folder)
        if found.why:
            problems.append(Problem(Severity.ERROR, Source(shown(path.name)), f"{found.why}, so it is left out of the pack",
                                    found.advice))
            continue
        if found.removed:
            problems.append(Problem(
                Severity.WARNING, Source(shown(path.name)),
                f"held content that could act when the pack is opened, which was taken out: {', '.join(found.removed)}",
                "nothing to do for the pack; if the paper needs it, ask its author for a version without it"))
        if found.mended:
            problems.append(Problem(
                Severity.WARNING, Source(shown(path.name)), f"was damaged, and was mended for the pack: {', '.join(found.mended)}",
                "check its pages in the pack; if they are wrong, ask its author to save it again as PDF"))
        if found.fitted:
            problems.append(Problem(
                Severity.WARNING, Source(shown(path.name)),
                f"has pages of another size than A4 ({', '.join(found.fitted)}): fitted to A4 in the pack",
                "nothing to do; for full-size pages, ask its author to set the paper size to A4"))
        if not found.tagged:
            problems.append(Problem(
                Severity.WARNING, Source(title), "is a PDF without tags: the pack includes it, but a screen "
                "reader cannot follow it, so the pack is not accessible; the meeting's page says so beside its "
                "link, with how to ask the clerk for another format",
                "ask its author for the Word file or a tagged PDF (in Word: Save As PDF, Options, "
                "'Document structure tags for accessibility')"))
        if found.embedded:
            problems.append(Problem(
                Severity.WARNING, Source(title), f"did not carry the fonts it uses ({', '.join(found.embedded)}): "
                "embedded for it as Liberation Sans, drawn to their metrics, so no line moves",
                "nothing to do; to keep its own fonts, ask its author to save it again with them embedded"))
        if found.unembedded:
            problems.append(Problem(
                Severity.WARNING, Source(title), f"does not carry the fonts it uses ({', '.join(found.unembedded)}): "
                "a reader's computer draws them with fonts of its own, and the pack cannot meet PDF/UA",
                "ask its author to save it again with its fonts embedded (in Word: File, Options, Save, "
                "'Embed fonts in the file'; or Save As PDF, Options, 'PDF/A compliant')"))
        out.append((title, found.data))
    return out


def _supplied_files(item: Item, built: bool) -> list[tuple[str, Path]]:
    """The files supplied for ``item`` that go into the pack, each with its bookmark title:
    its paper (unless papers ``built`` it) and its appendices."""
    files = [(heading(item), item.paper)] if not built and item.kind and item.kind.supplied else []
    return files + [(f"Item {item.number}, appendix {n}: {title}", a)
                    for n, (a, title) in enumerate(zip(item.appendices, item.appendix_titles), start=1)]


def read_ahead(items: list[tuple[Item, Path]], supplied: dict, cache: Cache, ahead: pdf.ReadAhead) -> None:
    """The supplied PDFs of ``items`` (each with the folder its papers go to), as the packs
    will take them, read into ``ahead`` — unless LibreOffice is still converting one: it is
    then using the memory they would take."""
    if not all(each.ready() for each in supplied.values()):
        return
    for item, folder in items:
        for _, path in _supplied_files(item, built=False):
            data = supplied[path].result() if path in supplied else None
            if isinstance(data, bytes):
                found = cache.prepared(data, folder)
                if not found.why:
                    ahead.read(found.data)


def appendix_title(item: Item, title: str) -> str:
    """An appendix's bookmark title under its item: "Appendix 1: Strands", from "Item 5, appendix 1: Strands"."""
    short = title.removeprefix(f"Item {item.number}, ")
    return short[:1].upper() + short[1:]
