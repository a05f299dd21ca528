"""Tagged PDFs put together: a paper from its laid-out parts (:func:`join`), and the agenda
pack from its papers (:func:`assemble`).

No tool merges tagged PDFs and keeps their structure trees (qpdf #490; pikepdf's
StructTree PR #740 is open), so this module does it, with pikepdf doing the copying:

- each source's pages are appended, and its structure tree copied beside them: a pack's
  sources each under a /Sect for its agenda item titled with it; a paper's parts under the
  paper's one /Document, the elements a part continues (its main content, its returns,
  marked with their HTML ids) joined with the last part's;
- its parent tree is renumbered into the result's (pages' /StructParents and annotations'
  /StructParent move by an offset), its element IDs kept unique (read from the source's
  /IDTree, where the repair and pdf.prepare list every one; a source whose IDs are taken
  already has them prefixed, and its cells' /Headers follow), its role and class maps merged;
- bookmarks (pdf/outline.py): a pack's, one per item over the source's own; a paper's
  nested by the level of each part's first heading;
- page furniture (a paper's running head and "Page N of M", the pack's "Pack page N"),
  laid out on pages of its own, drawn over each page as an /Artifact; a pack's page labels
  number it 1, 2, 3 …, the same numbers every viewer shows and the front sheet prints;
- the front sheet's links to pages (written as ``#pack-page-N`` targets) become links to
  those pages.

A source with no structure tree (an untagged supplied PDF) is included as it is; the
caller names it as what keeps the pack from being accessible. pikepdf objects never leave
this module: it takes and returns bytes (and :class:`Joining` holds a paper half-joined,
:class:`ReadAhead` a pack's sources read before it is put together).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html import escape  # & < > as XML text needs them (xml.sax.saxutils's loads urllib and ssl)

from pipeline.pdf import _pikepdf as pk
from pipeline.pdf import fonts, outline
from pipeline.pdf._pikepdf import to_bytes
from pipeline.pdf.tree import elements, forget_joins, join_id, kids, name_key, name_tree

PAGE_LINK = re.compile(r"#pack-page-(\d+)$")
PACK_STAMP = "PackPage"
"""How the pack's page furniture is named among a page's resources (/PackPage12,
/PackPageMark0): redact.py keeps them on a page it withholds."""


@dataclass(frozen=True)
class TitledPdf:
    """One PDF of a pack, with the bookmark it goes under."""

    data: bytes
    title: str
    """The bookmark and structure title: "Item 3: Partnership update report"."""
    level: int = 1
    """Its bookmark's level: 2 for an appendix, under its item's."""
    pages: int = 0
    """How many pages the caller took it to have (a count kept from an earlier build, which
    numbered the pack), checked as it goes in; 0 if not known."""


class CountsDiffer(ValueError):
    """A source of a pack had other than the pages it was taken to have: a kept page count
    was wrong (the cache damaged or tampered with), and the pack numbered by it is not made."""


def _copy(pack: pk.Pdf, obj):
    """``obj`` from another PDF into ``pack``: indirect objects through qpdf's copier (which
    maps each once, pages included), direct ones rebuilt around them."""
    if isinstance(obj, pk.Object) and obj.is_indirect:
        return pack.copy_foreign(obj)
    if isinstance(obj, pk.Array):
        return pk.Array(_copy(pack, item) for item in obj)
    if isinstance(obj, pk.Dictionary):
        return pk.Dictionary({key: _copy(pack, value) for key, value in obj.items()})
    return obj


STANDARD_TYPES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl "
    "LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP "
    "Warichu WT WP Figure Formula Form".split())
"""The standard structure types of ISO 32000-1 (14.8.4), which a role map does not map."""


def _prefix_ids(document: pk.Dictionary, prefix: str) -> dict[bytes, pk.Dictionary]:
    """Give every element ID in ``document`` a prefix, and every /Headers reference with it:
    the elements by their new IDs."""
    ids = {}
    for element in elements(document):
        if "/ID" in element:
            element.ID = pk.String(prefix + bytes(element.ID).decode("latin-1"))
            ids[bytes(element.ID)] = element
        attributes = element.get("/A")
        for attribute in attributes if isinstance(attributes, pk.Array) else [attributes] if attributes is not None else []:
            if isinstance(attribute, pk.Dictionary) and "/Headers" in attribute:
                attribute.Headers = pk.Array(pk.String(prefix + bytes(h).decode("latin-1")) for h in attribute.Headers)
    return ids


class _Merger:
    """A PDF being put together from others: pages, structure trees, bookmarks, names."""

    def __init__(self) -> None:
        self.pdf = pk.new()
        self.root = self.pdf.make_indirect(pk.Dictionary(Type=pk.Name.StructTreeRoot))
        self.document = self.pdf.make_indirect(pk.Dictionary(Type=pk.Name.StructElem, S=pk.Name.Document, P=self.root, K=pk.Array()))
        self.root.K = pk.Array([self.document])
        self.parent_tree: list[tuple[int, object]] = []  # (key, value), written as one flat /Nums
        self.ids: dict[bytes, pk.Dictionary] = {}  # every element's ID, for the /IDTree
        self.role_map, self.class_map = pk.Dictionary(), pk.Dictionary()
        self.next_key = 0
        self.outline: list[outline.Bookmark] = []
        self.dests: dict[bytes, object] = {}

    def add(self, src: pk.Pdf, prefix: str) -> tuple[int, list]:
        """``src``'s pages appended, its parent tree, role and class maps and element IDs
        merged: its first page's index, and its structure tree's top elements (copied, not yet
        placed). Its element IDs are given ``prefix`` if any is taken already."""
        first = len(self.pdf.pages)
        shift = self.next_key
        tagged = "/StructTreeRoot" in src.Root
        self.pdf.pages.extend(src.pages)
        highest = -1
        for page in self.pdf.pages[first:]:
            if tagged and "/StructParents" in page:
                highest = max(highest, int(page.StructParents))
                page.StructParents = int(page.StructParents) + shift
            for annotation in page.get("/Annots", pk.Array()):
                if tagged and "/StructParent" in annotation:
                    highest = max(highest, int(annotation.StructParent))
                    annotation.StructParent = int(annotation.StructParent) + shift
        dests = src.Root.get("/Names", pk.Dictionary()).get("/Dests")
        if isinstance(dests, pk.Dictionary):
            for name, destination in pk.NameTree(dests).items():
                self.dests.setdefault(name_key(name),
                                      _copy(self.pdf, destination))
        if not tagged:
            return first, []
        src_root = src.Root.StructTreeRoot
        # Copied whole by qpdf (each object once, the elements with it), then renumbered.
        parent_tree = self.pdf.copy_foreign(src_root.ParentTree) if src_root.ParentTree.is_indirect \
            else _copy(self.pdf, src_root.ParentTree)
        for key, value in pk.NumberTree(parent_tree).items():
            highest = max(highest, int(key))
            self.parent_tree.append((int(key) + shift, value))
        for mapping, target in ((src_root.get("/RoleMap"), self.role_map), (src_root.get("/ClassMap"), self.class_map)):
            for key, value in (mapping.items() if isinstance(mapping, pk.Dictionary) else []):
                # A standard type is never role-mapped in the pack: PDF/UA-1 forbids it, and a
                # standard type mapped to itself (LibreOffice's plain "Tagged PDF" export maps
                # /H1 to /H1) says nothing, but reads to a validator as a cycle.
                if target is self.role_map and key[1:] in STANDARD_TYPES:
                    continue
                if key not in target:
                    target[key] = _copy(self.pdf, value)
        self.next_key = max(self.next_key, shift + highest + 1)
        copied = [_copy(self.pdf, kid) for kid in kids(src_root)]
        # A source's IDs are read from its /IDTree, where every one is listed (the repair
        # and pdf.prepare see to it): walking a large pack's every element for them cost
        # most of putting it together. Only a source whose IDs are already taken is walked,
        # to give them, and the /Headers that name them, a prefix.
        ids = {}
        if isinstance(src_root.get("/IDTree"), pk.Dictionary):
            ids = {name_key(name): element
                   for name, element in pk.NameTree(self.pdf.copy_foreign(src_root.IDTree)).items()}
        if ids.keys() & self.ids.keys():
            ids = {}
            for kid in copied:
                ids.update(_prefix_ids(kid, prefix))
        self.ids.update(ids)
        return first, copied

    def bookmarks(self, src: pk.Pdf, first: int, level: int = 1, title: str = "") -> None:
        """``src``'s bookmarks, under one titled ``title`` if given, placed at ``level``: under
        the last bookmark one level up, as a heading's is."""
        items = outline.read(src, first)
        if title:
            items = [outline.Bookmark(title, first, items)]
        siblings = self.outline
        for _ in range(level - 1):
            if not siblings:
                break
            siblings = siblings[-1].children
        siblings.extend(items)

    def save(self, lang: str, metadata: pk.Dictionary | None = None, docinfo: pk.Dictionary | None = None,
             labels: bool | str = False, merge_fonts: bool = False) -> bytes:
        root, pdf = self.root, self.pdf
        fonts.map_every_glyph(pdf)
        if merge_fonts:
            fonts.merge_subsets(pdf)
        fonts.name_subsets(pdf)
        nums = pk.Array()
        for key, value in sorted(self.parent_tree, key=lambda pair: pair[0]):
            nums.append(key)
            nums.append(value)
        root.ParentTree = pdf.make_indirect(pk.Dictionary(Nums=nums))
        root.ParentTreeNextKey = self.next_key
        if len(self.role_map):
            root.RoleMap = self.role_map
        if len(self.class_map):
            root.ClassMap = self.class_map
        if self.ids:
            root.IDTree = name_tree(pdf, self.ids)
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = pk.Dictionary(Marked=True)
        pdf.Root.Lang = pk.String(lang)
        pdf.Root.ViewerPreferences = pk.Dictionary(DisplayDocTitle=True)
        if labels:
            style = pk.Dictionary(S=pk.Name.D, **({"P": pk.String(labels)} if isinstance(labels, str) else {}))
            pdf.Root.PageLabels = pdf.make_indirect(pk.Dictionary(Nums=pk.Array([0, style])))
        if self.dests:
            pdf.Root.Names = pk.Dictionary(Dests=name_tree(pdf, self.dests))
        outline.write(pdf, self.outline)
        if metadata is not None:
            pdf.Root.Metadata = metadata
        if docinfo is not None:
            pdf.docinfo = pdf.make_indirect(docinfo)
        return to_bytes(pdf)


@dataclass(frozen=True)
class Stamps:
    """What is drawn over a pack's pages, as page furniture: ``numbers``, untagged PDFs
    whose pages, in turn, are drawn over pack pages 1, 2, 3 … (any left over, unused); and
    ``marks``, one-page untagged PDFs (a running head, a note), ``marked`` giving each
    page's in turn, by its index (-1: none)."""

    numbers: list[bytes]
    marks: list[bytes] = field(default_factory=list)
    marked: tuple[int, ...] = ()


class ReadAhead:
    """PDFs a pack is to be put together from, read before it is: each opened and every
    object of it parsed while the build has nothing else to do (waiting on its workers to
    load the layout engine), so that :func:`assemble` copies them without stopping to read
    them (a 951-page pack's sources: 0.4 s of its 2 s). The pack is the same bytes either
    way. Each is held until the pack takes it, the rest until the handle is closed."""

    def __init__(self) -> None:
        self._read: dict[bytes, pk.Pdf] = {}

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        """How many PDFs it holds, read and not yet taken."""
        return len(self._read)

    def read(self, data: bytes) -> None:
        """Read ``data`` ahead; one that cannot be read is left for the pack to open, and to
        fail on as it would have."""
        if data in self._read:
            return
        try:
            src = pk.open(io.BytesIO(data))
        except pk.PdfError:
            return
        try:
            for _ in src.objects:  # qpdf parses an object as it is first reached: all of them now
                pass
        except pk.PdfError:
            src.close()
            return
        self._read[data] = src

    def take(self, data: bytes) -> pk.Pdf:
        """``data`` opened: as read ahead (and no longer held here), or now."""
        return self._read.pop(data, None) or pk.open(io.BytesIO(data))

    def close(self) -> None:
        """Let go of what no pack took."""
        for src in self._read.values():
            src.close()
        self._read.clear()


def assemble(front: TitledPdf, sources: list[TitledPdf], stamps: Stamps, lang: str = "en-GB", title: str = "",
             label: str = "", ahead: ReadAhead | None = None) -> bytes:
    """The pack: ``front`` then each source (taken from ``ahead`` where it was read ahead),
    tagged trees kept, pages stamped from ``stamps``; its page labels 1, 2, 3 … after
    ``label`` ("S1-" in a supplement)."""
    merger = _Merger()
    ahead = ReadAhead() if ahead is None else ahead  # not ``or``: a handle holding none is falsy
    for number, source in enumerate([front, *sources]):
        with ahead.take(source.data) as src:
            first, tops = merger.add(src, f"s{number}-")  # papers' IDs may repeat from paper to paper
            if source.pages and len(merger.pdf.pages) - first != source.pages:
                raise CountsDiffer(f"{source.title}: {len(merger.pdf.pages) - first} pages, not {source.pages}")
            if tops:
                section = merger.pdf.make_indirect(pk.Dictionary(Type=pk.Name.StructElem, S=pk.Name.Sect, P=merger.document,
                                                              K=pk.Array(), T=pk.String(source.title)))
                if "/Lang" in src.Root:
                    section.Lang = src.Root.Lang
                for top in tops:
                    top.P = section
                    section.K.append(top)
                merger.document.K.append(section)
            merger.bookmarks(src, first, level=source.level, title=source.title)
    _link_pages(merger.pdf)
    _stamp(merger.pdf, stamps.numbers, PACK_STAMP, stamps.marks, stamps.marked)
    metadata = merger.pdf.make_stream(_xmp(title, lang).encode("utf-8"), Type=pk.Name.Metadata, Subtype=pk.Name.XML)
    return merger.save(lang, metadata, pk.Dictionary(Title=pk.String(title)), labels=label or True)


def alone(source: TitledPdf, lang: str = "en-GB") -> bytes:
    """A supplied PDF as it is published beside the pack, given what the pack gives it: its
    pages, structure tree, IDs and bookmarks kept, its role map cleared of standard types,
    its title shown (and claimed in its metadata), its language. An untagged one is returned
    as it came: nothing can be claimed for it, and the caller says so."""
    with pk.open(io.BytesIO(source.data)) as src:
        if "/StructTreeRoot" not in src.Root:
            return source.data
        lang = str(src.Root.get("/Lang", lang)) or lang
        merger = _Merger()
        first, tops = merger.add(src, "a-")
        for top in tops:  # the source's own /Document's elements go under ours; anything else as it is
            inner = kids(top) if top.get("/S") == pk.Name.Document else []
            for element in inner if inner and all(isinstance(k, pk.Dictionary) and "/S" in k for k in inner) else [top]:
                element.P = merger.document
                merger.document.K.append(element)
        merger.bookmarks(src, first)
    metadata = merger.pdf.make_stream(_xmp(source.title, lang).encode("utf-8"), Type=pk.Name.Metadata,
                                      Subtype=pk.Name.XML)
    return merger.save(lang, metadata, pk.Dictionary(Title=pk.String(source.title)))


def join(parts: list[bytes], furniture: list[bytes], merge_fonts: bool = True) -> bytes:
    """One paper from its parts (each laid out on its own, its tree repaired with its joins
    kept): pages in order, the elements a part continues (the paper's main content, its
    returns) joined with the last part's, bookmarks nested by heading level, and pages
    stamped from ``furniture`` (PDFs whose pages, in turn, are each page's running head and
    number).

    The first part's metadata, language and title are the paper's. With ``merge_fonts``
    (every part is WeasyPrint's), each font's subsets become one (fonts.py)."""
    return Joining(parts).finish(furniture, merge_fonts)


class Joining:
    """A paper's parts joined (:func:`join`), its page furniture not yet drawn: the first
    half of the work, done while the furniture is being laid out. The PDF stays inside;
    :meth:`finish`, called once, gives the paper's bytes."""

    def __init__(self, parts: list[bytes]) -> None:
        self._merger = merger = _Merger()
        self._lang, self._metadata, self._docinfo = "en-GB", None, None
        for number, data in enumerate(parts):
            with pk.open(io.BytesIO(data)) as src:
                first, tops = merger.add(src, f"p{number}-")  # a paper's parts: its IDs are HTML ids
                for top in tops:  # each part's /Document: its children go under the paper's
                    _join_right(merger.document, top)
                merger.bookmarks(src, first, level=_heading_level(tops))
                if number == 0:
                    self._lang = str(src.Root.get("/Lang", self._lang))
                    if "/Metadata" in src.Root:
                        self._metadata = merger.pdf.copy_foreign(src.Root.Metadata)
                    self._docinfo = pk.Dictionary({key: value for key, value in src.docinfo.items()
                                                   if isinstance(value, pk.String)})
        forget_joins(merger.root)

    def finish(self, furniture: list[bytes], merge_fonts: bool = True) -> bytes:
        """The paper, each page of ``furniture`` drawn over its own in turn."""
        if furniture:
            _stamp(self._merger.pdf, furniture, "Furniture")
        return self._merger.save(self._lang, self._metadata, self._docinfo, merge_fonts=merge_fonts)


def _join_right(parent: pk.Dictionary, document: pk.Dictionary) -> None:
    """``document``'s children placed under ``parent``, each joined with ``parent``'s last
    child when both stand for the same HTML element (the same id), and so on down."""
    for kid in kids(document):
        last = parent.K[-1] if len(parent.K) else None
        if (
            isinstance(kid, pk.Dictionary) and isinstance(last, pk.Dictionary)
            and join_id(kid) is not None and join_id(kid) == join_id(last) and kid.get("/S") == last.get("/S")
            and all(isinstance(k, pk.Dictionary) and "/S" in k for k in kids(kid))
            and all(isinstance(k, pk.Dictionary) and "/S" in k for k in kids(last))
        ):
            _join_right(last, kid)  # only elements below both: no content to re-point
            continue
        if isinstance(kid, pk.Dictionary):
            kid.P = parent
        parent.K.append(kid)


def _heading_level(tops: list) -> int:
    """The level of a part's first heading (its first bookmark's): 1 for H1, and so on."""
    for top in tops:
        for element in elements(pk.Dictionary(K=pk.Array([top]))):
            name = str(element.get("/S", ""))
            if re.fullmatch(r"/H[1-6]", name):
                return int(name[2])
    return 1


def _xmp(title: str, lang: str) -> str:
    """The pack's XMP metadata: its title, and its claim to PDF/UA-1."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title, quote=False)}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:language><rdf:Bag><rdf:li>{escape(lang, quote=False)}</rdf:li></rdf:Bag></dc:language>'
        "<pdfuaid:part>1</pdfuaid:part>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def _link_pages(pack: pk.Pdf) -> None:
    """Links to ``#pack-page-N`` (from the front sheet) made links to pack page N."""
    for page in pack.pages:
        for annotation in page.get("/Annots", pk.Array()):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if isinstance(action, pk.Dictionary) else ""
            found = PAGE_LINK.search(uri)
            if found and 1 <= int(found.group(1)) <= len(pack.pages):
                target = pack.pages[int(found.group(1)) - 1].obj
                annotation.A = pk.Dictionary(S=pk.Name.GoTo, D=pk.Array([target, pk.Name.Fit]))


def _stamp(pack: pk.Pdf, stamps: list[bytes], prefix: str, marks: list[bytes] = (), marked: tuple[int, ...] = ()) -> None:
    """Each page of ``stamps`` (page numbers, running heads), in turn, drawn over the same
    page of ``pack`` (those left over once every page has one, unused), and over each page
    the one-page ``marks`` given by ``marked`` (an index, for each page in turn; -1, none):
    page furniture, as an /Artifact. A mark's drawing is one object, however many pages
    show it."""
    forms = []
    for data in marks:
        with pk.open(io.BytesIO(data)) as source:
            forms.append(pack.copy_foreign(source.pages[0].as_form_xobject()))
    pages = iter(enumerate(pack.pages))
    for data in stamps:
        with pk.open(io.BytesIO(data)) as source:
            for stamp_page, (index, page) in zip(source.pages, pages):
                # Named by number, not at random: equal inputs give equal bytes.
                drawn = [(pack.copy_foreign(stamp_page.as_form_xobject()), f"/{prefix}{index + 1}")]
                if index < len(marked) and marked[index] >= 0:
                    drawn.append((forms[marked[index]], f"/{prefix}Mark{marked[index]}"))
                wrapper = pk.Page(page)
                names = b" ".join(str(wrapper.add_resource(form, pk.Name.XObject, pk.Name(name))).encode() + b" Do"
                                  for form, name in drawn)
                # The page's own drawing is closed in q … Q first: it may leave its coordinates
                # changed (WeasyPrint flips them), and the stamp is drawn in the page's own.
                wrapper.contents_add(pack.make_stream(b"q\n"), prepend=True)
                stamp = b"Q\nq /Artifact <</Type /Pagination>> BDC " + names + b" EMC Q\n"
                wrapper.contents_add(pack.make_stream(stamp), prepend=False)
