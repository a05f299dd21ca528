"""A tagged PDF's structure tree walked: its elements and children, and the marks papers leaves on them.

While WeasyPrint writes a part, render/layout.py stamps each structure element with the
HTML element it stands for (:data:`MARKS`); structure.py joins fragments by them, and
merge.py joins a paper's parts by the HTML id kept near the top of each part's tree.
"""

from __future__ import annotations

from pipeline.pdf import _pikepdf as pk

KEY, ID, HEADERS = "PapersKey", "PapersId", "PapersHeaders"
MARKS = (KEY, ID, HEADERS)
"""Private keys stamped on WeasyPrint's structure elements while it writes them: the HTML
element an element stands for, that element's id, and its headers attribute (a td's).
Removed by the repair; none reaches an output."""

KEY_NAME, ID_NAME, HEADERS_NAME = ("/" + key for key in MARKS)
"""The marks as PDF names (a pikepdf Name equals, and hashes as, its text)."""


def kids(element: pk.Dictionary) -> list:
    """An element's children, whether its /K holds one or an array: elements, content, refs."""
    found = element.get("/K")
    return list(found) if isinstance(found, pk.Array) else [found] if found is not None else []


def element_kids(element: pk.Dictionary) -> list[pk.Dictionary]:
    """An element's children that are structure elements."""
    return [kid for kid in kids(element) if isinstance(kid, pk.Dictionary) and "/S" in kid]


def elements(root: pk.Dictionary):
    """Every structure element below ``root`` (a tree's root or an element), parents first."""
    found = root.get("/K")
    stack = list(reversed(list(found))) if isinstance(found, pk.Array) else [found] if found is not None else []
    seen = set()
    while stack:
        element = stack.pop()
        if not isinstance(element, pk.Dictionary) or "/S" not in element or element.objgen in seen:
            continue
        seen.add(element.objgen)
        yield element
        found = element.get("/K")
        if isinstance(found, pk.Array):
            stack.extend(reversed(list(found)))
        elif found is not None:
            stack.append(found)


def name_key(name) -> bytes:
    """A name tree's key as bytes (pikepdf gives those it can decode as text)."""
    return name.encode("latin-1") if isinstance(name, str) else bytes(name)


def name_tree(pdf: pk.Pdf, entries: dict[bytes, object]) -> pk.Dictionary:
    """``entries`` as a name tree of one node, its keys in order (ISO 32000-1, 7.9.6)."""
    names = pk.Array()
    for name in sorted(entries):
        names.append(pk.String(name))
        names.append(entries[name])
    return pdf.make_indirect(pk.Dictionary(Names=names))


def list_ids(pdf: pk.Pdf, root: pk.Dictionary, every: list[pk.Dictionary] | None = None) -> bool:
    """The tree's ``/IDTree`` made to list every element with an ``/ID``, and nothing else
    (ISO 32000-1, 14.7.2): whether it had to change. merge.py reads a source's IDs from it.
    ``every`` is the tree's every element, where the caller has walked it already."""
    entries = {bytes(e.ID): e for e in (elements(root) if every is None else every) if isinstance(e.get("/ID"), pk.String)}
    listed = root.get("/IDTree")
    try:
        kept = {name_key(name): element.objgen for name, element in pk.NameTree(listed).items()} \
            if isinstance(listed, pk.Dictionary) else None
    except Exception:  # noqa: BLE001 - pikepdf's errors for a damaged name tree have no common base
        kept = None
    if kept == {name: element.objgen for name, element in entries.items()} or (listed is None and not entries):
        return False
    if entries:
        root.IDTree = name_tree(pdf, entries)
    else:
        del root["/IDTree"]
    return True


def near_top(root: pk.Dictionary, depth: int = 3) -> list[pk.Dictionary]:
    """The elements at most ``depth`` levels below ``root``: the document, and its parts."""
    found, level = [], [root]
    for _ in range(depth):
        level = [kid for element in level for kid in element_kids(element)]
        found += level
    return found


def join_id(element: pk.Dictionary) -> str | None:
    """The HTML id of the element a part's structure element stands for (kept by
    ``repair(keep_joins=True)``), by which merge.join joins the parts."""
    return str(element[ID_NAME]) if ID_NAME in element else None


def forget_joins(root: pk.Dictionary) -> None:
    """Remove what ``repair(keep_joins=True)`` kept, once the parts are joined."""
    for element in near_top(root):
        if ID_NAME in element:
            del element[ID_NAME]
