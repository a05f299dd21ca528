"""The PDF's structure tree, repaired after WeasyPrint writes it, so PDF/UA-1 validators accept it.

WeasyPrint 70 tags each page on its own. Three consequences are repaired here, each a
stand-in for an upstream fix, to be removed when WeasyPrint makes it:

- **One element per HTML element.** A table (or section, list, paragraph) that runs over
  three pages is three ``/Table`` elements, so a screen reader hears one partnership's
  return as three tables (WeasyPrint #2902). While WeasyPrint tags, ``render.layout.marking_elements``
  stamps every structure element with the HTML element it stands for; :func:`repair`
  joins the fragments of each, and turns the copies of a table's head that WeasyPrint
  repeats on every page into artifacts.
- **Headers tied to cells.** WeasyPrint ties a ``td`` only to a ``th scope="row"`` in its
  own row, and ignores HTML's ``headers`` attribute, so an answer (a row below its
  question) has no header (validators' rule PDFUA1-TABLE-HEADERS-SCOPE-001). The
  ``headers`` attribute is carried across here, and the ``/IDTree`` that ``/ID`` needs is
  written.
- **Content outside the tree as artifacts.** Content WeasyPrint marks as tagged but that
  belongs to no element in the tree (WeasyPrint #1836; the running header and footer were
  such, before they became page furniture drawn after layout) becomes ``/Artifact``
  marked content, as PDF/UA-1 wants.

The marking half lives with the WeasyPrint layout (render/layout.py, ``marking_elements``);
this is the repair half. Like the rest of the pdf package, it takes and returns bytes.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

from pipeline.pdf import _pikepdf as pk
from pipeline.pdf._pikepdf import to_bytes
from pipeline.pdf.tree import HEADERS_NAME, ID_NAME, KEY_NAME, MARKS, elements, list_ids, near_top

_PRIVATE = tuple("/" + key for key in MARKS)  # names as text: a pikepdf Name equals its text

# Row groups WeasyPrint draws again on every page a table runs onto.
_REPEATED = ("/THead", "/TFoot")


class _Tree:
    """The structure tree being repaired, and what the repair has to carry to the rest."""

    def __init__(self, pdf: pk.Pdf):
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        self.page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
        self.replaced: dict[tuple[int, int], pk.Dictionary] = {}  # fragment → the element kept
        self.artifacts: dict[int, set[int]] = defaultdict(set)  # page index → MCIDs
        self._elements: list[pk.Dictionary] | None = None

    # --- joining fragments ---------------------------------------------------------

    def join(self, element: pk.Dictionary) -> None:
        """Join the fragments among ``element``'s children, then do the same below."""
        kids = element.get("/K")
        if not isinstance(kids, pk.Array):
            return
        seen: set[tuple[int, str]] = set()
        kept: list = []
        # Each kept element's children, gathered here and written once: an element in
        # thousands of fragments (a paragraph over a hundred pages) would otherwise have
        # its growing list of children rewritten for each one.
        gathered: dict[tuple[int, int], list] = {}
        for kid in kids:
            key = _key(kid)
            if key is not None and kid.S in _REPEATED and key in seen and not (kept and _key(kept[-1]) == key):
                self._to_artifact(kid)  # a copy of the table's head on a later page
                continue
            if key is not None and kept and _key(kept[-1]) == key:
                self._absorb(kept[-1], kid, gathered)
                continue
            if key is not None:
                seen.add(key)
            kept.append(kid)
        for element_kept in kept:
            if isinstance(element_kept, pk.Dictionary) and element_kept.objgen in gathered:
                element_kept.K = pk.Array(gathered[element_kept.objgen])
        element.K = pk.Array(kept)
        for kid in kept:
            if isinstance(kid, pk.Dictionary) and "/S" in kid:
                self.join(kid)

    def _absorb(self, kept: pk.Dictionary, fragment: pk.Dictionary, gathered: dict) -> None:
        """Move ``fragment``'s children to ``kept``'s (in ``gathered``), its earlier fragment."""
        if kept.objgen not in gathered:
            gathered[kept.objgen] = list(kept.K) if isinstance(kept.get("/K"), pk.Array) else (
                [kept.K] if "/K" in kept else [])
        children = gathered[kept.objgen]
        fragment_kids = fragment.get("/K")
        fragment_kids = list(fragment_kids) if isinstance(fragment_kids, pk.Array) else [fragment_kids]
        same_page = fragment.get("/Pg") is not None and kept.get("/Pg") is not None and fragment.Pg.objgen == kept.Pg.objgen
        for kid in fragment_kids:
            if isinstance(kid, int):  # pikepdf hands integers over as Python's
                # A content item of the fragment's page: name the page, unless it is kept's.
                kid = int(kid) if same_page else pk.Dictionary(Type=pk.Name.MCR, Pg=fragment.Pg, MCID=int(kid))
            elif isinstance(kid, pk.Dictionary) and "/S" in kid:
                kid.P = kept
            children.append(kid)
        self.replaced[fragment.objgen] = kept

    def _to_artifact(self, element: pk.Dictionary) -> None:
        """Mark everything ``element`` holds as artifact content, and drop it from the tree."""
        page = self.page_index.get(element.Pg.objgen) if "/Pg" in element else None
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pk.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pk.Dictionary) and "/S" in kid:
                self._to_artifact(kid)
            elif isinstance(kid, pk.Dictionary) and kid.get("/Type") == pk.Name.MCR:
                self.artifacts[self.page_index[kid.Pg.objgen]].add(int(kid.MCID))
            elif isinstance(kid, pk.Dictionary):
                continue  # an annotation's reference; the head holds none
            elif page is not None:
                self.artifacts[page].add(int(kid))

    # --- headers ----------------------------------------------------------------------

    def tie_headers(self) -> None:
        """Give each header cell its HTML id as its ID (unique in the whole paper, so the parts
        of a paper never share one), and each cell with an HTML ``headers`` attribute the IDs
        of those headers."""
        by_html_id: dict[str, pk.String] = {}
        renamed: dict[bytes, pk.String] = {}
        cells: list[pk.Dictionary] = []
        for element in self.elements():
            if ID_NAME in element and "/ID" in element and str(element[ID_NAME]) not in by_html_id:
                html_id = pk.String(str(element[ID_NAME]))
                renamed[bytes(element.ID)] = html_id
                element.ID = html_id
                by_html_id[str(html_id)] = html_id
            cells.append(element)
        for cell in cells:
            attributes = cell.get("/A")
            if isinstance(attributes, pk.Dictionary) and "/Headers" in attributes:  # WeasyPrint's own
                attributes.Headers = pk.Array(renamed.get(bytes(h), h) for h in attributes.Headers)
            if HEADERS_NAME not in cell:
                continue
            ids = [by_html_id[h] for h in str(cell[HEADERS_NAME]).split() if h in by_html_id]
            if not ids:
                continue
            if not isinstance(attributes, pk.Dictionary):
                attributes = pk.Dictionary(O=pk.Name.Table)
                cell.A = attributes
            attributes.Headers = pk.Array(ids)

    def write_id_tree(self) -> None:
        list_ids(self.pdf, self.root, self.elements())

    # --- the rest -------------------------------------------------------------------

    def elements(self) -> list[pk.Dictionary]:
        """Every element, parents first: walked once, after the joining (all that changes the
        tree's shape), not once for each step after it (a sixth of the repair's time)."""
        if self._elements is None:
            self._elements = list(elements(self.root))
        return self._elements

    def forget_private_keys(self, keep_joins: bool = False) -> None:
        # A part is joined to the next along the top of its tree (the paper's main content,
        # its returns): the elements there keep the HTML id they stand for.
        top = {e.objgen for e in near_top(self.root)} if keep_joins else set()
        for element in self.elements():
            for key in _PRIVATE:
                if key in element and not (key == ID_NAME and element.objgen in top):
                    del element[key]

    def update_parent_tree(self) -> None:
        """Point the parent tree at the elements kept; content outside the tree is artifact."""
        reachable = {element.objgen for element in self.elements()}
        nums = self.root.ParentTree.Nums
        for i in range(1, len(nums), 2):
            value = nums[i]
            if isinstance(value, pk.Array):
                page = int(nums[i - 1])
                fixed = pk.Array()
                for mcid, parent in enumerate(value):
                    parent = self.replaced.get(parent.objgen, parent) if isinstance(parent, pk.Dictionary) else parent
                    if isinstance(parent, pk.Dictionary) and parent.objgen not in reachable:
                        self.artifacts[page].add(mcid)
                    if mcid in self.artifacts[page]:
                        parent = None
                    fixed.append(parent)
                nums[i] = fixed
            elif isinstance(value, pk.Dictionary):
                nums[i] = self.replaced.get(value.objgen, value)

    def mark_artifacts(self) -> None:
        """Rewrite each page's marked content so the artifact MCIDs are ``/Artifact``."""
        for index, mcids in self.artifacts.items():
            if not mcids:
                continue
            page = self.pdf.pages[index]
            # The page's drawing as bytes, edited where a marked-content sequence opens:
            # parsing it into instructions and back took most of the repair's time.
            # WeasyPrint writes text as hex strings, so the pattern cannot match inside one.
            contents = page.obj.get("/Contents")
            streams = list(contents) if isinstance(contents, pk.Array) else [contents]
            data = b"\n".join(stream.read_bytes() for stream in streams)

            def artifact(match, mcids=mcids):
                if int(match.group(1)) in mcids:
                    return b"/Artifact <</Type /Pagination>> BDC"
                return match.group(0)

            page.obj.Contents = self.pdf.make_stream(_MARKED.sub(artifact, data))


_MARKED = re.compile(rb"/[A-Za-z0-9]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _key(kid) -> tuple[int, str] | None:
    if isinstance(kid, pk.Dictionary) and KEY_NAME in kid and "/S" in kid:
        return int(kid[KEY_NAME]), str(kid.S)
    return None


def repair(data: bytes, keep_joins: bool = False) -> bytes:
    """The PDF WeasyPrint wrote (under ``render.layout.marking_elements``), its structure tree repaired.

    With ``keep_joins``, elements keep the HTML id they stand for, by which merge.join puts
    a paper's parts together (and then forgets it).
    """
    with pk.open(io.BytesIO(data)) as pdf:
        tree = _Tree(pdf)
        for document in tree.root.K if isinstance(tree.root.K, pk.Array) else [tree.root.K]:
            tree.join(document)
        tree.tie_headers()
        tree.forget_private_keys(keep_joins)
        tree.write_id_tree()
        tree.update_parent_tree()
        tree.mark_artifacts()
        return to_bytes(pdf)
