"""Which published packs an exemption withdraws, and which redacted copies stand in for them (pipeline/meeting/withdrawn.py).

Records are made inline, a version at a time, as publishing leaves them: each exemption
withdraws the packs holding the item's paper, the next version publishes a copy of each
withholding every item of it exempt then, and an item public again supersedes the copies
that withhold it. Nothing is built.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from pipeline.meeting.edition import Edition
from pipeline.meeting.versions import PublishedFile, PublishedItem, Record, Version
from pipeline.meeting.withdrawn import to_make, withdrawals
from pipeline.records.meeting import Item, Meeting

STEM = "2011-03-17-cabinet"
PACK, S1 = f"{STEM}-pack.pdf", f"{STEM}-supplement-1.pdf"
AGENDA = (PublishedItem("1", "Apologies", ""), PublishedItem("2", "Quince Road", "d2", pack=PACK),
          PublishedItem("3", "Library hours", "d3", pack=PACK))


def _meeting(*exempt: str) -> Meeting:
    return Meeting("Cabinet", dt.date(2011, 3, 17), items=tuple(
        Item(item.number, item.title, exempt=3 if item.number in exempt else None) for item in AGENDA))


def _publish(record: Record, exempt: tuple[str, ...], *copies: str) -> Record:
    """``record`` with the next version published: ``exempt`` the items exempt as it leaves
    them, ``copies`` the redacted copies it publishes beside its pack."""
    edition = Edition.after(len(record.versions))
    pack = edition.pack_names(STEM)[0]
    before = {item.number: item for item in (record.versions[-1].items if record.versions else AGENDA)}
    items = tuple(dataclasses.replace(item, exempt=3 if item.number in exempt else None) for item in before.values())
    files = tuple(PublishedFile(name, "0" * 64, 1) for name in (pack, *copies))
    return Record(record.folder, [*record.versions, Version(edition.number, edition.name, f"2011-03-{8 + edition.number}",
                                                            "", pack, files, items)])


AGENDA_ONLY = _publish(Record(Path("versions") / STEM), ())


def test_an_exemption_withdraws_the_pack_and_the_next_version_makes_its_copy():
    meeting = _meeting("2")
    found = withdrawals(meeting, AGENDA_ONLY)
    assert found.withdrawn == {PACK: ["2"]} and found.standing == {}
    made = to_make(meeting, AGENDA_ONLY, found, Edition(2))
    assert [(copy.name, copy.withheld, copy.title) for copy in made] == [
        (f"{STEM}-pack-redacted-1.pdf", ("2",), "Agenda pack, redacted with Supplement 1")]
    assert to_make(meeting, AGENDA_ONLY, found, None) == ()  # no version to publish it with


def test_a_published_copy_stands_in_for_its_pack_and_none_is_made_again():
    record = _publish(AGENDA_ONLY, ("2",), f"{STEM}-pack-redacted-1.pdf")
    found = withdrawals(_meeting("2"), record)
    assert found.withdrawn == {PACK: ["2"]} and found.standing == {PACK: f"{STEM}-pack-redacted-1.pdf"}
    assert [copy.withheld for _, _, copy in found.copies] == [("2",)] and found.why(PACK) == "item 2 now exempt"
    assert to_make(_meeting("2"), record, found, Edition(3)) == ()


def test_a_second_exemption_withdraws_the_first_copy_and_the_next_withholds_both():
    record = _publish(AGENDA_ONLY, ("2",), f"{STEM}-pack-redacted-1.pdf")
    found = withdrawals(_meeting("2", "3"), record)
    assert found.withdrawn == {PACK: ["2", "3"], f"{STEM}-pack-redacted-1.pdf": ["3"]} and found.standing == {}
    made = to_make(_meeting("2", "3"), record, found, Edition(3))
    assert [(copy.of.pack, copy.name, copy.withheld) for copy in made] == [
        (PACK, f"{STEM}-pack-redacted-2.pdf", ("2", "3"))]  # made from the pack as first published


def test_an_item_public_again_supersedes_the_copy_that_withholds_it():
    record = _publish(_publish(AGENDA_ONLY, ("2",), f"{STEM}-pack-redacted-1.pdf"), ("2", "3"),
                      f"{STEM}-pack-redacted-2.pdf")
    only_3 = withdrawals(_meeting("3"), record)  # item 2 public again
    assert only_3.standing == {} and f"{STEM}-pack-redacted-2.pdf" in only_3.superseded
    assert [copy.withheld for copy in to_make(_meeting("3"), record, only_3, Edition(4))] == [("3",)]
    neither = withdrawals(_meeting(), record)  # both: the pack as published stands again
    assert neither.withdrawn == {} and neither.standing == {}
    assert neither.superseded == {f"{STEM}-pack-redacted-1.pdf", f"{STEM}-pack-redacted-2.pdf"}
    assert neither.why(f"{STEM}-pack-redacted-2.pdf").startswith("superseded")


def test_a_supplement_s_pack_holding_the_item_s_corrected_paper_is_redacted_too():
    corrected = _publish(AGENDA_ONLY, ())
    corrected.versions[-1] = dataclasses.replace(corrected.versions[-1], items=tuple(
        dataclasses.replace(item, pack=S1, digest="d2-corrected") if item.number == "2" else item
        for item in corrected.versions[-1].items))
    found = withdrawals(_meeting("2"), corrected)
    assert found.withdrawn == {PACK: ["2"], S1: ["2"]}
    assert [copy.name for copy in to_make(_meeting("2"), corrected, found, Edition(3))] == [
        f"{STEM}-pack-redacted-2.pdf", f"{STEM}-supplement-1-redacted-2.pdf"]
