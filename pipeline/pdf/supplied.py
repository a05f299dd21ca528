"""A supplied PDF made fit for a public pack: read as untrusted data, its active content stripped, what the pack relies on checked.

Someone else made the file, and anyone may open the pack: so nothing in it may act when it
is opened, clicked or filled in. What goes, named in the check report:

- JavaScript (the document's, a page's, a link's, a bookmark's, a form field's), and every
  other action that runs something, opens another file or sends data (Launch, GoToR,
  GoToE, SubmitForm, ResetForm, ImportData, Rendition, Movie, Sound, Hide …): only going
  to a page (GoTo), opening a web address (URI) and the viewer's own page turning (Named)
  stay, so links within the paper, to the web, and bookmarks still work;
- additional actions (/AA: on open, close, print, page view, mouse over …) and the open
  action, unless it only goes to a page;
- embedded files (the document's attachments, file-attachment annotations), rich media;
- the interactive form (/AcroForm, with any XFA): its fields are drawn onto the page as
  they look, and are no longer fields.

A page of another size than A4 (US Letter, say) is scaled to fit A4 and centred, its links
moved with it, and the sizes named. And what the pack's merge relies on is made true (the
damage named as mended) or the file refused: a file that needs a
password, is damaged or has no pages is refused with the reason; a structure tree with no
parent tree is dropped (the file goes in untagged, and is named as such); annotations that
are not annotations (a ``null`` in ``/Annots``) are dropped; a damaged outline or name tree
is dropped.
"""

from __future__ import annotations

import io
from pathlib import Path

from pipeline.filenames import TEMPLATES
from pipeline.pdf import _pikepdf as pk
from pipeline.pdf import substitute
from pipeline.pdf._pikepdf import to_bytes
from pipeline.pdf.fonts import every_font, font_program
from pipeline.pdf.tree import list_ids
from pipeline.records.meeting import SuppliedPdf

# Names as text, so that the package loads without pikepdf: a pikepdf Name equals, and
# hashes as, its text.
SAFE_ACTIONS = frozenset({"/GoTo", "/URI", "/Named"})
"""The actions a public pack keeps: to a page, to a web address, the viewer's page turning."""
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})
MAX_PAGES = 2000
"""More pages than a committee paper's appendix can sensibly have: refused before anything else is read."""


def prepare(data: bytes, fonts: Path = TEMPLATES / "fonts") -> SuppliedPdf:
    """``data`` (a supplied PDF) with its active content stripped and what the pack relies on
    made sound, and a Helvetica or Arial it does not carry embedded from ``fonts``'s
    Liberation Sans (substitute.py); or why it cannot go in."""
    try:
        with pk.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                return SuppliedPdf(b"", "is protected against changes or copying",
                                   "ask its author to send it again without that protection")
            pages = len(pdf.pages)
            if pages == 0:
                return SuppliedPdf(b"", "has no pages", "ask its author for the paper again")
            if pages > MAX_PAGES:
                return SuppliedPdf(b"", f"has {pages:,} pages, more than an appendix can have ({MAX_PAGES:,})",
                                   "ask for the pages the committee needs, or link to the whole document instead")
            removed: list[str] = []
            mended: list[str] = []
            _strip(pdf, removed, mended)
            tagged = _sound_tree(pdf, mended)
            # Its IDs listed where the pack reads them (not damage an officer need hear of).
            relisted = "/StructTreeRoot" in pdf.Root and list_ids(pdf, pdf.Root.StructTreeRoot)
            fitted = _fit_to_a4(pdf)
            embedded, unembedded = _fonts(pdf, fonts)
            return SuppliedPdf(to_bytes(pdf) if removed or mended or fitted or relisted or embedded else data,
                               tagged=tagged, removed=tuple(dict.fromkeys(removed)),
                               mended=tuple(dict.fromkeys(mended)), fitted=fitted, embedded=embedded,
                               unembedded=unembedded)
    except pk.PasswordError:
        return SuppliedPdf(b"", "needs a password to open",
                           "ask its author to send it again without a password (papers never asks for one)")
    except (pk.PdfError, pk.ForeignObjectError, ValueError, TypeError, KeyError, AttributeError,
            RecursionError, OSError) as error:
        return SuppliedPdf(b"", f"is not a readable PDF ({type(error).__name__})",
                           "ask its author to save it again as PDF (or send the Word file)")


def _fonts(pdf: pk.Pdf, fonts: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fonts its pages (and the forms they draw) use without carrying them, by name,
    each once (PDF/UA-1 asks for every font to be embedded): those embedded now, as
    Liberation Sans, and those still not carried."""
    found: dict[str, None] = {}
    embedded: dict[str, None] = {}
    made: dict = {}
    for font in every_font(pdf):
        if font.get("/Subtype") == "/Type3":
            continue  # drawn by the file's own content: nothing to carry
        descendants = font.get("/DescendantFonts")
        holder = descendants[0] if isinstance(descendants, pk.Array) and len(descendants) else font
        if isinstance(holder, pk.Dictionary) and font_program(holder) is not None:
            continue
        name = str(font.BaseFont)[1:].split("+")[-1]
        if descendants is None and substitute.embed(font, pdf, fonts, made):
            embedded.setdefault(name, None)
        else:
            found.setdefault(name, None)
    return tuple(embedded), tuple(found)


A4 = (595.275591, 841.889764)
"""A4's width and height, in points: the pack's page size."""


def _fit_to_a4(pdf: pk.Pdf) -> tuple[str, ...]:
    """Each page of another size than A4 (either way round) scaled to fit A4, centred, its
    links moved with it: the sizes fitted, as "2 pages of 216 × 279 mm"."""
    sizes: dict[str, int] = {}
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        width, height = abs(x1 - x0), abs(y1 - y0)
        if _a4(width, height) or _a4(height, width) or not width or not height:
            continue
        # The box is fitted as it is stored; a rotated page's box is A4 rotated the same way.
        landscape = width > height
        target = (A4[1], A4[0]) if landscape else A4
        scale = min(target[0] / width, target[1] / height)
        dx = (target[0] - width * scale) / 2 - min(x0, x1) * scale
        dy = (target[1] - height * scale) / 2 - min(y0, y1) * scale
        page.contents_add(pdf.make_stream(f"q {scale:.6f} 0 0 {scale:.6f} {dx:.4f} {dy:.4f} cm\n".encode()), prepend=True)
        page.contents_add(pdf.make_stream(b"\nQ\n"), prepend=False)
        page.obj.MediaBox = pk.Array([0, 0, target[0], target[1]])
        for box in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
            if box in page.obj:
                del page.obj[box]
        for annotation in page.obj.get("/Annots", pk.Array()):
            if isinstance(annotation, pk.Dictionary) and isinstance(annotation.get("/Rect"), pk.Array):
                ax0, ay0, ax1, ay1 = (float(v) for v in annotation.Rect)
                annotation.Rect = pk.Array([round(ax0 * scale + dx, 4), round(ay0 * scale + dy, 4),
                                         round(ax1 * scale + dx, 4), round(ay1 * scale + dy, 4)])
        size = f"{width / 72 * 25.4:.0f} × {height / 72 * 25.4:.0f} mm"
        sizes[size] = sizes.get(size, 0) + 1
    return tuple(f"{count} page{'s' if count > 1 else ''} of {size}" for size, count in sizes.items())


def _a4(width: float, height: float) -> bool:
    return abs(width - A4[0]) < 3 and abs(height - A4[1]) < 3


def _strip(pdf: pk.Pdf, removed: list[str], mended: list[str]) -> None:
    root = pdf.Root
    if "/OpenAction" in root:
        action = root.OpenAction
        if not (isinstance(action, pk.Array) or (isinstance(action, pk.Dictionary) and _safe(action))):
            del root["/OpenAction"]
            removed.append("an action run on opening")
    if "/AA" in root:
        del root["/AA"]
        removed.append("actions run on opening, closing, saving or printing")
    names = root.get("/Names")
    if isinstance(names, pk.Dictionary):
        for key, what in (("/JavaScript", "JavaScript"), ("/EmbeddedFiles", "embedded files")):
            if key in names:
                del names[key]
                removed.append(what)
    if "/AcroForm" in root:
        # Its fields drawn onto their pages as they look now (qpdf's flattening, which
        # removes the form and its widgets, and leaves links alone), so no value is lost.
        pdf.flatten_annotations(mode="all")
        if "/AcroForm" in root:
            del root["/AcroForm"]
        removed.append("a form that can be filled in or submitted")
    if "/Outlines" in root:
        _strip_outline(root.Outlines, removed, set())
    for page in pdf.pages:
        if "/AA" in page.obj:
            del page.obj["/AA"]
            removed.append("actions run when a page is shown")
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = pk.Array()
        for annotation in (annotations if isinstance(annotations, pk.Array) else []):
            if not isinstance(annotation, pk.Dictionary):
                mended.append("damaged annotations")
                continue
            if annotation.get("/Subtype") == pk.Name.Widget and "/AcroForm" not in root:
                continue  # a field of the form taken out, with nothing to draw (it had no appearance)
            if annotation.get("/Subtype") in ACTIVE_ANNOTATIONS:
                removed.append("an embedded file" if annotation.get("/Subtype") == pk.Name.FileAttachment
                               else "embedded media")
                continue
            if "/AA" in annotation:
                del annotation["/AA"]
                removed.append("actions run by a link or field")
            if "/A" in annotation and not _safe_chain(annotation, removed):
                del annotation["/A"]
            kept.append(annotation)
        if not isinstance(annotations, pk.Array) or len(kept) != len(annotations):
            page.obj.Annots = kept


def _strip_outline(item: pk.Dictionary, removed: list[str], seen: set) -> None:
    """The bookmarks' own actions made safe, however deep (a loop in them is not followed)."""
    while isinstance(item, pk.Dictionary) and item.objgen not in seen:
        seen.add(item.objgen)
        if "/A" in item and not _safe_chain(item, removed):
            del item["/A"]
        if "/First" in item:
            _strip_outline(item.First, removed, seen)
        item = item.get("/Next")


def _safe(action: pk.Dictionary) -> bool:
    return action.get("/S") in SAFE_ACTIONS and "/Next" not in action


def _safe_chain(holder: pk.Dictionary, removed: list[str]) -> bool:
    """Whether ``holder``'s action (/A) is safe, following its /Next chain; each unsafe one is named."""
    action, seen = holder.A, set()
    while isinstance(action, pk.Dictionary):
        if action.is_indirect:
            if action.objgen in seen:
                break
            seen.add(action.objgen)
        kind = action.get("/S")
        if kind not in SAFE_ACTIONS:
            removed.append({pk.Name.JavaScript: "JavaScript", pk.Name.Launch: "an action that starts a program",
                            pk.Name.SubmitForm: "an action that sends a form's data away",
                            pk.Name.ImportData: "an action that reads another file",
                            pk.Name.GoToR: "a link that opens another file",
                            pk.Name.GoToE: "a link into an embedded file"}.get(kind, f"an action ({str(kind)[1:]})"))
            return False
        action = action.get("/Next")
    return True


def _sound_root(tree, mended: list[str]) -> bool:
    """Whether the structure tree's root is one the pack can take: a parent tree it can read,
    and elements at its top (anything else there is dropped, and named)."""
    if not isinstance(tree, pk.Dictionary) or not isinstance(tree.get("/ParentTree"), pk.Dictionary):
        return False
    try:
        list(pk.NumberTree(tree.ParentTree).items())
    except Exception:  # noqa: BLE001 - pikepdf's errors for a damaged number tree have no common base
        return False
    top = tree.get("/K")
    items = list(top) if isinstance(top, pk.Array) else [top] if top is not None else []
    elements = [item for item in items if isinstance(item, pk.Dictionary) and "/S" in item]
    if len(elements) != len(items):
        tree.K = pk.Array(elements)
        mended.append("a damaged structure tree (what was not an element at its top left out)")
    return True


def _sound_tree(pdf: pk.Pdf, mended: list[str]) -> bool:
    """Whether the file is tagged, with a structure tree the pack can take; a tree it cannot
    take (no parent tree) is dropped, and a damaged outline or list of destinations too."""
    root = pdf.Root
    tree = root.get("/StructTreeRoot")
    marked = root.get("/MarkInfo", pk.Dictionary()).get("/Marked", False) if isinstance(root.get("/MarkInfo"), pk.Dictionary) \
        else False
    if tree is not None and not _sound_root(tree, mended):
        del root["/StructTreeRoot"]
        mended.append("a damaged structure tree (the file goes in without tags)")
        tree = None
    for page in pdf.pages:
        # What ties a page, and each of its annotations, to the tree must be a number.
        holders = [page.obj] + [a for a in page.obj.get("/Annots", pk.Array()) if isinstance(a, pk.Dictionary)]
        for holder, key in ((h, k) for h in holders for k in ("/StructParents", "/StructParent")):
            if key in holder and (tree is None or not isinstance(holder[key], int)):
                if tree is not None:
                    mended.append("damaged links from its pages to its structure tree")
                del holder[key]
    if "/Outlines" in root:
        try:
            with pdf.open_outline() as outline:
                list(outline.root)
        except Exception:  # noqa: BLE001 - pikepdf's outline errors have no common base: any is a damaged outline
            del root["/Outlines"]
            mended.append("damaged bookmarks")
    names = root.get("/Names")
    dests = names.get("/Dests") if isinstance(names, pk.Dictionary) else None
    if dests is not None:
        try:
            list(pk.NameTree(dests).items())
        except Exception:  # noqa: BLE001 - likewise, for a damaged name tree
            del names["/Dests"]
            mended.append("damaged named destinations")
    return tree is not None and bool(marked)
