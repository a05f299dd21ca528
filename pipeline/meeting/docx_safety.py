"""A supplied Word file checked before LibreOffice opens it: a real .docx, of a paper's size, reaching nothing outside itself.

A .docx is a zip of XML parts. Someone else made it, so before it is converted:

- it must be a zip holding a Word document (``[Content_Types].xml`` and ``word/document.xml``):
  an HTML page, an RTF or an old .doc renamed .docx, or random bytes, is refused, since
  LibreOffice would open any of them as *something* (a web page fetches its pictures);
- its parts must be of a paper's size when unpacked: a zip bomb is refused before it is read;
- nothing in it may reach outside the file: a picture, object, template or frame *linked*
  (not embedded) — ``TargetMode="External"`` in a part's relationships, to ``http://`` or
  ``file://`` alike — is taken out, and so are fields that fetch or run (INCLUDEPICTURE,
  INCLUDETEXT, LINK, IMPORT, DDE, DDEAUTO): each is named, with the advice to embed it. Hyperlinks stay: a reader
  follows them, LibreOffice does not.

What comes out is the file to convert (the same bytes when nothing was taken out).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as writer  # only to write back what defusedxml parsed

from defusedxml import ElementTree

MAX_PART = 64 * 1024 * 1024
"""The largest part a paper's .docx has unpacked (a large picture), in bytes."""
MAX_TOTAL = 256 * 1024 * 1024
"""All its parts together, unpacked."""
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_FETCHING_FIELD = re.compile(
    rb"(<w:instrText\b[^>]*>\s*|\bw:instr=\"\s*)(INCLUDEPICTURE|INCLUDETEXT|LINK|IMPORT|DDEAUTO|DDE)\b", re.I)


@dataclass
class Checked:
    """A Word file checked: the bytes to convert, what was taken out of them, or why it is refused."""

    data: bytes = b""
    refused: str = ""
    advice: str = ""
    removed: list[str] = field(default_factory=list)
    """Each link to outside the file that was taken out, as an officer reads it."""


def check_docx(data: bytes) -> Checked:
    """``data`` (a supplied .docx) made safe to convert, or why it cannot be."""
    resend = "open it in Word and save it again as a Word document (.docx), or supply it as a tagged PDF"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return Checked(refused="is not a Word document (.docx): it may be another kind of file renamed", advice=resend)
    with archive:
        if not {"[Content_Types].xml", "word/document.xml"} <= names:
            return Checked(refused="is not a Word document (.docx): it has no document inside", advice=resend)
        infos = archive.infolist()
        if any(i.file_size > MAX_PART for i in infos) or sum(i.file_size for i in infos) > MAX_TOTAL:
            return Checked(refused="is far larger inside than a paper can be (possibly a zip bomb)",
                           advice="ask its author for the paper again, with its pictures made smaller, or as a PDF")
        removed: list[str] = []
        parts: dict[str, bytes] = {}
        try:
            for info in infos:
                content = archive.read(info)
                if info.filename.endswith(".rels"):
                    content = _internal_only(content, removed)
                elif info.filename.startswith("word/") and info.filename.endswith(".xml"):
                    content = _no_fetching_fields(content, removed)
                parts[info.filename] = content
        except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError, RuntimeError) as error:
            return Checked(refused=f"is a damaged Word document ({type(error).__name__})", advice=resend)
        if not removed:
            return Checked(data)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
            for info in infos:
                rewritten.writestr(info, parts[info.filename])
        return Checked(out.getvalue(), removed=removed)


def _internal_only(rels: bytes, removed: list[str]) -> bytes:
    """A relationships part without its links outside the file (but its hyperlinks)."""
    root = ElementTree.fromstring(rels)
    outside = [r for r in root.iter(_RELATIONSHIPS)
               if r.get("TargetMode") == "External" and not r.get("Type", "").endswith("/hyperlink")]
    if not outside:
        return rels
    for relationship in outside:
        kind = relationship.get("Type", "").rsplit("/", 1)[-1] or "file"
        removed.append(f"a linked {_KINDS.get(kind, kind)} ({relationship.get('Target', '')[:120]})")
        root.remove(relationship)
    return _xml(root)


def _no_fetching_fields(part: bytes, removed: list[str]) -> bytes:
    """A document part whose fields fetch and run nothing: INCLUDEPICTURE, INCLUDETEXT, LINK,
    IMPORT, DDE and DDEAUTO become QUOTE, which shows its text and fetches nothing."""
    def neutral(match: re.Match) -> bytes:
        removed.append(f"a field that fetches a file ({match.group(2).decode().upper()})")
        return match.group(1) + b"QUOTE"

    return _FETCHING_FIELD.sub(neutral, part)


def _xml(root) -> bytes:
    # Written back with the relationships namespace as the default, as Word writes it.
    writer.register_namespace("", "http://schemas.openxmlformats.org/package/2006/relationships")
    return writer.tostring(root, xml_declaration=True, encoding="UTF-8")


_KINDS = {"image": "picture", "oleObject": "object", "attachedTemplate": "template", "subDocument": "document",
          "frame": "frame", "package": "object", "video": "video", "audio": "sound"}
