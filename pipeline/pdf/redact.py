"""A published pack redacted: an item made exempt since has its pages replaced, one for one, by pages saying so, and nothing else of the pack moves.

When an item is made exempt after the pack that holds its paper was published, the public
keeps a pack: a copy of the published one whose pages of that item (its paper and its
appendices, from its bookmark to the next one's) are replaced by pages laid out to say the
item is exempt, and under which paragraph. Every other page, the page labels and each page's
"Pack page N" stay as published, so that no page number moves and every reference to the
pack still holds. What goes with the item's pages goes everywhere: its sections of the
structure tree, its marked content's entries in the parent tree, its links, its bookmarks
below the item's own, its named destinations and element IDs; its fonts and images are no
longer reachable, so the saved file holds none of it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pipeline.pdf import _pikepdf as pk
from pipeline.pdf import fonts, outline
from pipeline.pdf._pikepdf import to_bytes
from pipeline.pdf.merge import PACK_STAMP
from pipeline.pdf.tree import elements, kids, list_ids, name_key, name_tree


@dataclass(frozen=True)
class Redaction:
    """An item's pages to replace in a pack: the item's bookmark title ("Item 2: Quince
    Road"), the start of its appendices' own bookmarks where the pack has no paper of it
    ("Item 2, appendix "), and the tagged PDF of the pages that stand in their place (as
    many as they are)."""

    title: str
    appendices: str
    placeholder: bytes


def item_pages(data: bytes, title: str, appendices: str) -> range:
    """The pages (0-based) of the item whose bookmark in the pack ``data`` is ``title`` (or,
    with no paper in it, whose appendices' start ``appendices``): from its first bookmark to
    the next item's; empty if the pack holds nothing of it."""
    with pk.open(io.BytesIO(data)) as pack:
        return _pages(outline.read(pack, 0), len(pack.pages), title, appendices)


def _pages(marks: list[outline.Bookmark], total: int, title: str, appendices: str) -> range:
    ours = [index for index, mark in enumerate(marks) if mark.title == title or mark.title.startswith(appendices)]
    if not ours:
        return range(0)
    after = ours[-1] + 1
    return range(marks[ours[0]].page, marks[after].page if after < len(marks) else total)


def redact(data: bytes, redactions: list[Redaction], title: str) -> bytes:
    """The pack ``data`` with each redaction's pages replaced, titled ``title``."""
    with pk.open(io.BytesIO(data)) as pack:
        root = pack.Root.StructTreeRoot
        document = next(kid for kid in kids(root) if isinstance(kid, pk.Dictionary) and kid.get("/S") == "/Document")
        parents = {int(key): value for key, value in pk.NumberTree(root.ParentTree).items()}
        marks = outline.read(pack, 0)
        gone: set[tuple[int, int]] = set()  # the pages replaced, by object
        for redaction in redactions:
            pages = _pages(marks, len(pack.pages), redaction.title, redaction.appendices)
            if not pages:
                continue
            gone.update(pack.pages[number].objgen for number in pages)
            _replace(pack, document, parents, pages, redaction)
            marks = _one_mark(marks, redaction, pages)
        root.ParentTree = pack.make_indirect(pk.Dictionary(Nums=pk.Array(
            [item for key in sorted(parents) for item in (key, parents[key])])))
        list_ids(pack, root)
        _forget_destinations(pack, gone)
        outline.write(pack, marks)
        _retitle(pack, title)
        fonts.name_subsets(pack)
        return to_bytes(pack)


def _one_mark(marks: list[outline.Bookmark], redaction: Redaction, pages: range) -> list[outline.Bookmark]:
    """The pack's bookmarks with the item's (its paper's headings, its appendices') one, its title's."""
    kept, placed = [], False
    for mark in marks:
        if mark.page in pages:
            if not placed:
                kept.append(outline.Bookmark(redaction.title, pages.start))
                placed = True
            continue
        kept.append(mark)
    return kept


def _replace(pack: pk.Pdf, document: pk.Dictionary, parents: dict[int, object], pages: range,
             redaction: Redaction) -> None:
    """The item's pages given the placeholder's content, its sections the placeholder's structure."""
    with pk.open(io.BytesIO(redaction.placeholder)) as placeholder:
        if len(placeholder.pages) != len(pages):
            raise ValueError(f"{redaction.title}: {len(placeholder.pages)} pages to stand in for {len(pages)}")
        theirs = {int(key): value for key, value in pk.NumberTree(placeholder.Root.StructTreeRoot.ParentTree).items()}
        replaced = {pack.pages[number].objgen for number in pages}
        ours = {}  # each placeholder page's copy, by object, and the pack's page it stands in
        for source, number in zip(placeholder.pages, pages):
            page = pack.pages[number].obj
            ours[pack.copy_foreign(source.obj).objgen] = page
            for annotation in page.get("/Annots", pk.Array()):
                parents.pop(int(annotation.get("/StructParent", -1)), None)
            if "/Annots" in page:
                del page["/Annots"]
            # The pack's page number (and running head), drawn last as an artifact, stays; it
            # closes the q that opens the page's drawing (merge.py's stamp).
            stamp = page.Contents[-1]
            numbered = {name: value for name, value in page.Resources.get("/XObject", pk.Dictionary()).items()
                        if name.startswith(f"/{PACK_STAMP}")}
            resources = pack.copy_foreign(source.obj.Resources)
            xobjects = pk.Dictionary(resources.get("/XObject", pk.Dictionary()))
            for name, value in numbered.items():
                xobjects[name] = value
            resources.XObject = xobjects
            page.Resources = resources
            drawn = source.obj.Contents
            drawn = list(drawn) if isinstance(drawn, pk.Array) else [drawn]
            page.Contents = pk.Array([pack.make_stream(b"q\n"), *(pack.copy_foreign(c) for c in drawn), stamp])
            key = int(page.get("/StructParents", -1))
            if key >= 0 and "/StructParents" in source.obj:
                parents[key] = _copied(pack, theirs[int(source.obj.StructParents)])
            elif "/StructParents" in page:
                del page["/StructParents"]
        standing = [pack.copy_foreign(kid) for top in kids(placeholder.Root.StructTreeRoot)
                    for kid in kids(top) if isinstance(kid, pk.Dictionary)]
        _merge_roles(pack.Root.StructTreeRoot, placeholder.Root.StructTreeRoot)
    for element in [found for top in standing for found in [top, *elements(top)]]:
        for holder in [element, *(kid for kid in kids(element) if isinstance(kid, pk.Dictionary))]:
            if isinstance(holder.get("/Pg"), pk.Dictionary) and holder.Pg.objgen in ours:
                holder.Pg = ours[holder.Pg.objgen]
    section = pack.make_indirect(pk.Dictionary(Type=pk.Name.StructElem, S=pk.Name.Sect, P=document,
                                               T=pk.String(redaction.title), K=pk.Array(standing)))
    for top in standing:
        top.P = section
    # The item's sections (its paper's, its appendices') are those whose content is on its pages.
    kept, placed = [], False
    for kid in kids(document):
        if isinstance(kid, pk.Dictionary) and _on(kid, replaced):
            if not placed:
                kept.append(section)
                placed = True
            continue
        kept.append(kid)
    document.K = pk.Array(kept if placed else [*kept, section])


def _copied(pack: pk.Pdf, value):
    """A placeholder's parent tree entry in the pack (copy_foreign takes indirect objects only)."""
    if isinstance(value, pk.Array) and not value.is_indirect:
        return pk.Array([_copied(pack, element) for element in value])
    return pack.copy_foreign(value) if isinstance(value, (pk.Dictionary, pk.Array)) else value


def _on(section: pk.Dictionary, pages: set[tuple[int, int]]) -> bool:
    """Whether ``section``'s content starts on one of ``pages``."""
    for element in [section, *elements(section)]:
        for holder in [element, *(kid for kid in kids(element) if isinstance(kid, pk.Dictionary))]:
            page = holder.get("/Pg")
            if isinstance(page, pk.Dictionary):
                return page.objgen in pages
    return False


def _merge_roles(root: pk.Dictionary, theirs: pk.Dictionary) -> None:
    """The placeholder's role and class maps added to the pack's, where it has names the pack has not."""
    for key in ("/RoleMap", "/ClassMap"):
        found = theirs.get(key)
        if not isinstance(found, pk.Dictionary):
            continue
        merged = pk.Dictionary(root.get(key, pk.Dictionary()))
        for name, value in found.items():
            if name not in merged:
                merged[name] = root.owner.copy_foreign(value) if isinstance(value, pk.Dictionary) else value
        root[key] = merged


def _forget_destinations(pack: pk.Pdf, gone: set[tuple[int, int]]) -> None:
    """Named destinations into the pages replaced (the papers' headings, notes, rows) dropped."""
    dests = pack.Root.get("/Names", pk.Dictionary()).get("/Dests")
    if not isinstance(dests, pk.Dictionary):
        return
    kept = {name_key(name): destination for name, destination in pk.NameTree(dests).items()
            if not (isinstance(destination, pk.Array) and len(destination)
                    and isinstance(destination[0], pk.Dictionary) and destination[0].objgen in gone)}
    pack.Root.Names.Dests = name_tree(pack, kept)


def _retitle(pack: pk.Pdf, title: str) -> None:
    """The pack's title, as its metadata and the viewer's title bar give it."""
    pack.docinfo.Title = pk.String(title)
    with pack.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
        metadata["dc:title"] = title
