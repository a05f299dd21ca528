"""Single PDFs read and steadied: whether one can go into a pack, how many pages it has, its dates fixed."""

from __future__ import annotations

import datetime as dt
import io
import re

from pipeline.pdf import _pikepdf as pk
from pipeline.pdf import outline
from pipeline.pdf._pikepdf import to_bytes


def steady(data: bytes, when: dt.datetime) -> bytes:
    """``data`` dated ``when`` and identified by its content, so that equal inputs give equal
    bytes (LibreOffice stamps each export with the time, and a random identifier)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with pk.open(io.BytesIO(data)) as pdf:
        for key in ("/CreationDate", "/ModDate"):
            if key in pdf.docinfo:
                pdf.docinfo[key] = pk.String(when.strftime("D:%Y%m%d%H%M%SZ"))
        if "/Metadata" in pdf.Root:
            xmp = pdf.Root.Metadata.read_bytes().decode("utf-8", "replace")
            xmp = re.sub(r"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*", lambda m: m.group(1) + stamp, xmp)
            xmp = re.sub(r"uuid:[0-9a-fA-F-]+", "uuid:00000000-0000-0000-0000-000000000000", xmp)
            pdf.Root.Metadata = pdf.make_stream(xmp.encode("utf-8"), Type=pk.Name.Metadata, Subtype=pk.Name.XML)
        # The random identifier (which qpdf's deterministic one would hash in), and
        # LibreOffice's /DocChecksum, go; qpdf writes the rest of the trailer itself.
        for key in ("/ID", "/DocChecksum"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        return to_bytes(pdf)


def inspect(data: bytes) -> tuple[str, bool]:
    """Why ``data`` cannot go into a pack ("" if it can: a supplied PDF is untrusted), and
    whether it is tagged (has a structure tree, and says so)."""
    try:
        with pk.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                return "has no pages", False
            if pdf.is_encrypted:
                return "is encrypted", False
            marked = pdf.Root.get("/MarkInfo", pk.Dictionary()).get("/Marked", False)
            return "", "/StructTreeRoot" in pdf.Root and bool(marked)
    except pk.PasswordError:
        return "needs a password to open", False
    except (pk.PdfError, ValueError, OSError) as error:
        return f"is not a readable PDF ({type(error).__name__})", False


def headings(data: bytes) -> list[tuple[str, int]]:
    """Every bookmark of ``data`` (its headings, as WeasyPrint marks them), depth first,
    each with the page it goes to, counted from 1."""
    with pk.open(io.BytesIO(data)) as pdf:
        found: list[tuple[str, int]] = []

        def walk(bookmarks) -> None:
            for bookmark in bookmarks:
                found.append((bookmark.title, bookmark.page + 1))
                walk(bookmark.children)

        walk(outline.read(pdf, 0))
        return found


def page_count(data: bytes) -> int:
    """How many pages ``data`` has: 0 if it is not a readable PDF."""
    try:
        with pk.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except (pk.PdfError, pk.PasswordError, ValueError, OSError):
        return 0
