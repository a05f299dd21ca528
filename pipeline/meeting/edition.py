"""What a published version of a meeting's agenda is, by its number: version 1 the agenda, version N supplement N − 1.

Its name, its front sheet's heading, its packs' file names and its pages' numbering all
follow from the number, here and nowhere else: the record (versions.py), the supplement
(supplements.py), the packs and the page (packs.py, page.py), publishing and sending ask
an :class:`Edition`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    """Version ``number`` of a meeting's agenda."""

    number: int

    @staticmethod
    def after(published: int) -> Edition:
        """The version that follows ``published`` versions: the agenda when none is published."""
        return Edition(published + 1)

    @property
    def is_agenda(self) -> bool:
        """Whether it is the agenda itself (version 1), not a supplement to it."""
        return self.number == 1

    @property
    def supplement(self) -> int:
        """Its number as a supplement: 0 for the agenda itself."""
        return self.number - 1

    @property
    def name(self) -> str:
        """"Agenda", then "Supplement 1", "Supplement 2" …"""
        return "Agenda" if self.is_agenda else f"Supplement {self.supplement}"

    @property
    def called(self) -> str:
        """Its name as a sentence says it: "the agenda", "Supplement 1"."""
        return "the agenda" if self.is_agenda else self.name

    @property
    def heading(self) -> str:
        """Its front sheet's heading, and its first bookmark: "Agenda", "Supplementary agenda 1"."""
        return "Agenda" if self.is_agenda else f"Supplementary agenda {self.supplement}"

    @property
    def pack_title(self) -> str:
        """Its pack as the meeting's page lists it: "Agenda pack", "Supplement 1"."""
        return "Agenda pack" if self.is_agenda else self.name

    @property
    def pack_called(self) -> str:
        """Its pack as a sentence names it: "the agenda pack", "Supplement 1"."""
        return "the agenda pack" if self.is_agenda else self.name

    @property
    def page_label(self) -> str:
        """What each of its pack's pages is numbered after: "Pack page ", "Supplement 1, page "."""
        return "Pack page " if self.is_agenda else f"Supplement {self.supplement}, page "

    @property
    def label_prefix(self) -> str:
        """Its pack's page labels' prefix in a viewer: none for the agenda, "S1-" for Supplement 1."""
        return "" if self.is_agenda else f"S{self.supplement}-"

    def pack_names(self, stem: str) -> tuple[str, str]:
        """The file names of its pack and private pack, for the meeting whose files start ``stem``."""
        kind = "pack" if self.is_agenda else f"supplement-{self.supplement}"
        return f"{stem}-{kind}.pdf", f"{stem}-private-{kind}.pdf"

    def redacted_name(self, pack: str) -> str:
        """The file name of the redacted copy of the published pack ``pack`` that this version
        publishes: "…-pack-redacted-1.pdf" with Supplement 1 (withdrawn.py)."""
        return f"{pack.removesuffix('.pdf')}-redacted-{self.supplement}.pdf"
