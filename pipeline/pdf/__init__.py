"""PDF surgery: tagged PDFs repaired, joined, put into packs, stamped, redacted, read, steadied, and supplied ones made safe.

The one package that edits PDFs, with pikepdf (imported in ``_pikepdf.py`` alone, with
Ctrl-C held back as it loads). What it offers takes and returns bytes and plain records
(and two handles, a paper half-joined and a pack's sources read ahead, whose PDFs stay
inside); pikepdf objects, and the structure-tree, font and merge helpers, stay inside it
(a test holds every other module to this surface).
"""

from pipeline.pdf.files import headings, inspect, page_count, steady
from pipeline.pdf.merge import CountsDiffer, Joining, ReadAhead, Stamps, TitledPdf, alone, assemble, join
from pipeline.pdf.redact import Redaction, item_pages, redact
from pipeline.pdf.structure import repair
from pipeline.pdf.supplied import prepare
from pipeline.pdf.tree import MARKS

__all__ = ["MARKS", "CountsDiffer", "Joining", "ReadAhead", "Redaction", "Stamps", "TitledPdf", "alone", "assemble", "headings", "inspect", "item_pages", "join", "page_count", "prepare",
           "redact", "repair", "steady"]
