"""The pages that stand in a redacted pack for an exempt item's, as HTML: one for each page withheld."""

from __future__ import annotations

from pathlib import Path

from pipeline.render.html import PDF_STYLESHEETS, environment

TEMPLATE = "withheld.html.j2"


def withheld_html(heading: str, paragraph: int, pages: list[str], published: str, supplement: str,
                  templates: Path) -> str:
    """The stand-in pages for the item ``heading`` ("Item 2: Quince Road"), exempt under
    ``paragraph`` of Schedule 12A: one for each of ``pages`` (as the pack numbers them,
    "Pack page 7"), saying it was in the pack ``published`` (a date) and that ``supplement``
    ("Supplement 1") made it exempt."""
    return environment(templates).get_template(TEMPLATE).render(
        heading=heading, paragraph=paragraph, pages=pages, published=published, supplement=supplement,
        stylesheet_hrefs=PDF_STYLESHEETS)
