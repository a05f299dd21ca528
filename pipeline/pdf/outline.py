"""Bookmarks: a source's read as plain records pointing at pages, and a result's written from them.

pikepdf's outline API does the same through an object per bookmark that it resolves again
when saving; a pack of a thousand pages has a few thousand bookmarks, and that cost a
sixth of putting it together. What is read is what the pack keeps: a bookmark with its
title and the page it goes to (an explicit destination); one that goes elsewhere (a named
destination, an action) is left out with its children, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.pdf import _pikepdf as pk

MOST = 100_000
"""The most bookmarks read from one source: a loop in a damaged outline ends here."""


@dataclass
class Bookmark:
    """A bookmark: its title, the index of the page it goes to, and those under it."""

    title: str
    page: int
    children: list[Bookmark] = field(default_factory=list)


def read(src: pk.Pdf, first: int) -> list[Bookmark]:
    """``src``'s bookmarks, their pages numbered from ``first`` (where its pages start in the result)."""
    index = {page.objgen: number for number, page in enumerate(src.pages)}
    seen: set[tuple[int, int]] = set()

    def level(node) -> list[Bookmark]:
        found = []
        while isinstance(node, pk.Dictionary) and len(seen) < MOST:
            if node.is_indirect:
                if node.objgen in seen:
                    break  # a loop
                seen.add(node.objgen)
            destination = node.get("/Dest")
            page = index.get(destination[0].objgen) \
                if isinstance(destination, pk.Array) and len(destination) and isinstance(destination[0], pk.Dictionary) \
                else None
            if page is not None:
                title = node.get("/Title")
                found.append(Bookmark(str(title) if isinstance(title, pk.String) else "", first + page,
                                      level(node.get("/First"))))
            node = node.get("/Next")
        return found

    outlines = src.Root.get("/Outlines")
    return level(outlines.get("/First")) if isinstance(outlines, pk.Dictionary) else []


def write(pdf: pk.Pdf, bookmarks: list[Bookmark]) -> None:
    """``bookmarks`` as ``pdf``'s outline, each going to its page, all open."""
    if not bookmarks:
        return
    pages = [page.obj for page in pdf.pages]

    def place(parent: pk.Dictionary, marks: list[Bookmark]) -> int:
        """``marks`` under ``parent``: how many bookmarks that puts under it, at any depth."""
        count, previous = 0, None
        for mark in marks:
            item = pdf.make_indirect(pk.Dictionary(Title=pk.String(mark.title), Parent=parent,
                                                Dest=pk.Array([pages[mark.page], pk.Name.Fit])))
            if previous is None:
                parent.First = item
            else:
                previous.Next, item.Prev = item, previous
            previous = item
            below = place(item, mark.children)
            if below:
                item.Count = below
            count += 1 + below
        if previous is not None:
            parent.Last = previous
        return count

    root = pdf.make_indirect(pk.Dictionary(Type=pk.Name.Outlines))
    root.Count = place(root, bookmarks)
    pdf.Root.Outlines = root
