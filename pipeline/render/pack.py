"""The agenda pack: the front sheet and every paper, assembled into one tagged PDF.

No tool merges tagged PDFs and keeps their structure trees (qpdf #490; pikepdf's
StructTree PR #740 is open), so this module does it, with pikepdf doing the copying:

- each source's pages are appended, and its structure tree (its /Document element) is
  copied beside them, under a /Sect for its agenda item titled with it;
- its parent tree is renumbered into the pack's (pages' /StructParents and annotations'
  /StructParent move by an offset), its element IDs are prefixed so no two sources share
  one (and the cells' /Headers follow), and its role and class maps are merged;
- bookmarks: one per item, over the source's own;
- page labels: 1, 2, 3 … through the pack, the same numbers every viewer shows and the
  front sheet prints; each page is stamped "Pack page N" as an /Artifact;
- the front sheet's links to pages (written as ``#pack-page-N`` targets) become links to
  those pages.

A source with no structure tree (an untagged supplied PDF) is included as it is; the
caller names it as what keeps the pack from being accessible. pikepdf objects never leave
this module: it takes and returns bytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, NumberTree, OutlineItem, String

from pipeline.render.pdf_structure import elements, write_id_tree

PAGE_LINK = re.compile(r"#pack-page-(\d+)$")


@dataclass(frozen=True)
class Source:
    """One PDF of the pack, with the bookmark it goes under."""

    data: bytes
    title: str
    """The bookmark and structure title: "Item 3: Partnership update report"."""


def steady(data: bytes, when) -> bytes:
    """``data`` dated ``when`` and identified by its content, so that equal inputs give equal
    bytes (LibreOffice stamps each export with the time, and a random identifier)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key in ("/CreationDate", "/ModDate"):
            if key in pdf.docinfo:
                pdf.docinfo[key] = String(when.strftime("D:%Y%m%d%H%M%SZ"))
        if "/Metadata" in pdf.Root:
            xmp = pdf.Root.Metadata.read_bytes().decode("utf-8", "replace")
            xmp = re.sub(r"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*", lambda m: m.group(1) + stamp, xmp)
            xmp = re.sub(r"uuid:[0-9a-fA-F-]+", "uuid:00000000-0000-0000-0000-000000000000", xmp)
            pdf.Root.Metadata = pdf.make_stream(xmp.encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)
        # The random identifier (which qpdf's deterministic one would hash in), and
        # LibreOffice's /DocChecksum, go; qpdf writes the rest of the trailer itself.
        for key in ("/ID", "/DocChecksum"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def inspect(data: bytes) -> tuple[str, bool]:
    """Why ``data`` cannot go into a pack ("" if it can: a supplied PDF is untrusted), and
    whether it is tagged (has a structure tree, and says so)."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                return "has no pages", False
            if pdf.is_encrypted:
                return "is encrypted", False
            marked = pdf.Root.get("/MarkInfo", Dictionary()).get("/Marked", False)
            return "", "/StructTreeRoot" in pdf.Root and bool(marked)
    except (pikepdf.PdfError, ValueError, OSError) as error:
        return f"is not a readable PDF ({type(error).__name__})", False


def page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _copy(pack: pikepdf.Pdf, obj):
    """``obj`` from another PDF into ``pack``: indirect objects through qpdf's copier (which
    maps each once, pages included), direct ones rebuilt around them."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return pack.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array(_copy(pack, item) for item in obj)
    if isinstance(obj, Dictionary):
        return Dictionary({key: _copy(pack, value) for key, value in obj.items()})
    return obj


def _prefix_ids(document: Dictionary, prefix: str) -> None:
    """Give every element ID in ``document`` a prefix, and every /Headers reference with it."""
    for element in elements(document):
        if "/ID" in element:
            element.ID = String(prefix + bytes(element.ID).decode("latin-1"))
        attributes = element.get("/A")
        for attribute in attributes if isinstance(attributes, Array) else [attributes] if attributes is not None else []:
            if isinstance(attribute, Dictionary) and "/Headers" in attribute:
                attribute.Headers = Array(String(prefix + bytes(h).decode("latin-1")) for h in attribute.Headers)


def assemble(front: Source, sources: list[Source], stamps: bytes, lang: str = "en-GB", title: str = "") -> bytes:
    """The pack: ``front`` then each source, tagged trees kept, pages stamped from ``stamps``
    (a PDF whose page N is the stamp for pack page N, untagged)."""
    pack = pikepdf.new()
    root = pack.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pack.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array()))
    root.K = Array([document])
    parent_tree = NumberTree.new(pack)
    role_map, class_map = Dictionary(), Dictionary()
    next_key = 0
    first_pages: list[int] = []
    outlines: list[tuple[str, int, list]] = []
    for number, source in enumerate([front, *sources]):
        src = pikepdf.open(io.BytesIO(source.data))
        first = len(pack.pages)
        first_pages.append(first)
        src_index = {page.objgen: i for i, page in enumerate(src.pages)}
        shift = next_key
        tagged = "/StructTreeRoot" in src.Root
        highest = -1
        for page in src.pages:
            if tagged and "/StructParents" in page:
                highest = max(highest, int(page.StructParents))
        if tagged:
            for key, _ in NumberTree(src.Root.StructTreeRoot.ParentTree).items():
                highest = max(highest, int(key))
        pack.pages.extend(src.pages)
        for page in pack.pages[first:]:
            if tagged and "/StructParents" in page:
                page.StructParents = int(page.StructParents) + shift
            for annotation in page.get("/Annots", Array()):
                if tagged and "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + shift
        if tagged:
            src_root = src.Root.StructTreeRoot
            for key, value in NumberTree(src_root.ParentTree).items():
                parent_tree[int(key) + shift] = _copy(pack, value)
            for mapping, target in ((src_root.get("/RoleMap"), role_map), (src_root.get("/ClassMap"), class_map)):
                for key, value in (mapping.items() if isinstance(mapping, Dictionary) else []):
                    if key not in target:
                        target[key] = _copy(pack, value)
            section = pack.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Sect, P=document, K=Array(),
                                                    T=String(source.title)))
            if "/Lang" in src.Root:
                section.Lang = src.Root.Lang
            kids = src_root.K if isinstance(src_root.K, Array) else Array([src_root.K])
            for kid in kids:
                copied = _copy(pack, kid)
                copied.P = section
                _prefix_ids(copied, f"s{number}-")
                section.K.append(copied)
            document.K.append(section)
            next_key = max(next_key, shift + highest + 1)
        outlines.append((source.title, first, _outline(src, src_index, first)))
        src.close()

    root.ParentTree = pack.make_indirect(parent_tree.obj)
    root.ParentTreeNextKey = next_key
    if len(role_map):
        root.RoleMap = role_map
    if len(class_map):
        root.ClassMap = class_map
    write_id_tree(pack, root)
    pack.Root.StructTreeRoot = root
    pack.Root.MarkInfo = Dictionary(Marked=True)
    pack.Root.Lang = String(lang)
    pack.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    pack.Root.PageLabels = pack.make_indirect(Dictionary(Nums=Array([0, Dictionary(S=Name.D)])))
    _link_pages(pack)
    _stamp(pack, stamps)
    with pack.open_outline() as outline:
        for text, first, children in outlines:
            item = OutlineItem(text, first)
            item.children.extend(children)
            outline.root.append(item)
    pack.Root.Metadata = pack.make_stream(_xmp(title, lang).encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)
    pack.docinfo = pack.make_indirect(Dictionary(Title=String(title)))
    out = io.BytesIO()
    pack.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _xmp(title: str, lang: str) -> str:
    """The pack's XMP metadata: its title, and its claim to PDF/UA-1."""
    from xml.sax.saxutils import escape

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>'
        "<pdfuaid:part>1</pdfuaid:part>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def _outline(src: pikepdf.Pdf, index: dict, first: int) -> list[OutlineItem]:
    """The source's bookmarks, pointing at its pages' places in the pack."""
    def copy(items) -> list[OutlineItem]:
        out = []
        for item in items:
            destination = item.destination
            if isinstance(destination, Array) and len(destination) and isinstance(destination[0], Dictionary):
                page = index.get(destination[0].objgen)
            else:
                page = None
            if page is None:
                continue
            new = OutlineItem(str(item.title), first + page)
            new.children.extend(copy(item.children))
            out.append(new)
        return out

    with src.open_outline() as outline:
        return copy(outline.root)


def _link_pages(pack: pikepdf.Pdf) -> None:
    """Links to ``#pack-page-N`` (from the front sheet) made links to pack page N."""
    for page in pack.pages:
        for annotation in page.get("/Annots", Array()):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if isinstance(action, Dictionary) else ""
            found = PAGE_LINK.search(uri)
            if found and 1 <= int(found.group(1)) <= len(pack.pages):
                target = pack.pages[int(found.group(1)) - 1].obj
                annotation.A = Dictionary(S=Name.GoTo, D=Array([target, Name.Fit]))


def _stamp(pack: pikepdf.Pdf, stamps: bytes) -> None:
    """Each page's pack page number, drawn over it as page furniture (an /Artifact)."""
    with pikepdf.open(io.BytesIO(stamps)) as source:
        for number, page in enumerate(pack.pages):
            form = pack.copy_foreign(source.pages[number].as_form_xobject())
            wrapper = pikepdf.Page(page)
            # Named by its number, not at random: equal inputs give equal bytes.
            name = str(wrapper.add_resource(form, Name.XObject, Name(f"/PackPage{number + 1}"))).encode()
            # The page's own drawing is closed in q … Q first: it may leave its coordinates
            # changed (WeasyPrint flips them), and the stamp is drawn in the page's own.
            wrapper.contents_add(pack.make_stream(b"q\n"), prepend=True)
            stamp = b"Q\nq /Artifact <</Type /Pagination>> BDC " + name + b" Do EMC Q\n"
            wrapper.contents_add(pack.make_stream(stamp), prepend=False)
