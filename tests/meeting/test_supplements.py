"""The supplement's rules (pipeline/meeting/supplements.py): every kind of change after the agenda is published, alone and together.

Each row is an agenda as published (version 1, or a later one), the agenda as it stands
now, and what the supplement must say: its changes in agenda order, the papers it carries,
the published packs it takes out of publication (their redacted copies in
tests/meeting/test_withdrawn.py), and the problems it names. Records are
made inline; nothing is built, so every rule is seen on its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from pipeline.meeting.edition import Edition
from pipeline.meeting.supplements import PackPlan, What, pending, plan_packs
from pipeline.meeting.versions import PublishedItem, Record, Version
from pipeline.meeting.withdrawn import withdrawals
from pipeline.records.meeting import Item, Meeting
from pipeline.records.problems import Severity

DATE = dt.date(2011, 3, 17)
PACK = "2011-03-17-cabinet-pack.pdf"
PUBLISHED = (
    PublishedItem("1", "Apologies", ""),
    PublishedItem("2", "Quince Road", "d2", pack=PACK),
    PublishedItem("3", "Staffing", "d3", exempt=1, pack="2011-03-17-cabinet-private-pack.pdf"),
    PublishedItem("4", "Budget", "d4", pack=PACK),
)
AGENDA = (Item("1", "Apologies"), Item("2", "Quince Road", paper=Path("quince.md")),
          Item("3", "Staffing", paper=Path("staffing.md"), exempt=1), Item("4", "Budget", paper=Path("budget.md")))
DIGESTS = {"2": "d2", "3": "d3", "4": "d4"}


def _record(*versions: tuple[PublishedItem, ...]) -> Record:
    """A record of one version per tuple of items, the agenda first."""
    record = Record(Path("versions") / "2011-03-17-cabinet")
    for number, items in enumerate(versions, start=1):
        edition = Edition(number)
        record.versions.append(Version(number, edition.name, f"2011-03-{8 + number:02d}", "", edition.pack_names(
            "2011-03-17-cabinet")[0], (), items))
    return record


def _agenda(**changed: dict) -> tuple[Item, ...]:
    """The published agenda with the items named (by number, as ``i2``) changed, added or
    (given None) taken off it."""
    items = {item.number: item for item in AGENDA}
    for key, fields in changed.items():
        number = key.removeprefix("i")
        if fields is None:
            items.pop(number)
        elif number in items:
            items[number] = dataclasses.replace(items[number], **fields)
        else:
            items[number] = Item(number, **fields)
    return tuple(sorted(items.values(), key=lambda item: (len(item.number), item.number)))


LATE = {"title": "Flood grant", "paper": Path("flood.md"), "late": "The grant must be claimed by 20 March."}

# Each row: its name; the agenda now; the digests now (over the published ones); the changes
# expected, as (what, number, note); the items whose papers the supplement carries (a newly
# exempt one's in its private pack); the packs
# taken out of publication; the problems expected, as (severity, words).
RULES = [
    ("nothing changed", _agenda(), {}, [], [], {}, []),
    ("a late item with its reason", _agenda(i5=LATE), {"5": "d5"},
     [(What.LATE, "5", LATE["late"])], ["5"], {}, []),
    ("a late item without its reason", _agenda(i5={**LATE, "late": ""}), {"5": "d5"},
     [(What.LATE, "5", "")], ["5"], {}, [(Severity.ERROR, "gives no reason for urgency")]),
    ("a corrected paper", _agenda(i2={"correction": "Table 2 totals"}), {"2": "d2-corrected"},
     [(What.CORRECTED, "2", "Table 2 totals")], ["2"], {}, []),
    ("a paper corrected without a note", _agenda(), {"2": "d2-corrected"}, [(What.CORRECTED, "2", "")], ["2"], {}, []),
    ("a title corrected", _agenda(i4={"title": "Budget 2011/12"}), {},
     [(What.CORRECTED, "4", "")], ["4"], {}, []),
    ("an exempt paper corrected", _agenda(), {"3": "d3-corrected"}, [(What.CORRECTED, "3", "")], ["3"], {}, []),
    ("an item withdrawn", _agenda(i4={"withdrawn": "The report is not ready."}), {"4": ""},
     [(What.WITHDRAWN, "4", "The report is not ready.")], [], {}, []),
    ("an item dropped from the agenda (a typo in its settings)", _agenda(i4=None), {}, [], [], {},
     [(Severity.ERROR, "is no longer on the agenda: it is not published as withdrawn")]),
    ("an item made exempt", _agenda(i2={"exempt": 3}), {},
     [(What.EXEMPT, "2", "paragraph 3 of Schedule 12A")], ["2"], {PACK: ["2"]}, [(Severity.ERROR, "now exempt, but")]),
    ("an item made exempt and corrected at once", _agenda(i2={"exempt": 3}), {"2": "d2-corrected"},
     [(What.EXEMPT, "2", "paragraph 3 of Schedule 12A")], ["2"], {PACK: ["2"]}, [(Severity.ERROR, "now exempt, but")]),
    ("an item renumbered", _agenda(i2=None, i2A={"title": "Quince Road", "paper": Path("quince.md")}), {"2A": "d2"},
     [], [], {}, [(Severity.ERROR, "a published agenda is not renumbered")]),
    ("two items swapped", _agenda(i2={"title": "Budget"}, i4={"title": "Quince Road"}), {"2": "d4", "4": "d2"},
     [], [], {}, [(Severity.ERROR, "a published agenda is not renumbered")] * 2),
    ("an item renumbered and another corrected", _agenda(i2=None, i2A={"title": "Quince Road"}, i4={"correction": "x"}),
     {"2A": "d2", "4": "d4-corrected"}, [(What.CORRECTED, "4", "x")], ["4"], {},
     [(Severity.ERROR, "a published agenda is not renumbered")]),
    ("late, corrected and withdrawn together",
     _agenda(i2={"correction": "a figure"}, i4={"withdrawn": "Deferred."}, i5=LATE), {"2": "d2-corrected", "5": "d5"},
     [(What.CORRECTED, "2", "a figure"), (What.WITHDRAWN, "4", "Deferred."), (What.LATE, "5", LATE["late"])],
     ["2", "5"], {}, []),
    ("made exempt, and another item late",
     _agenda(i4={"exempt": 1}, i5=LATE), {"5": "d5"},
     [(What.EXEMPT, "4", "paragraph 1 of Schedule 12A"), (What.LATE, "5", LATE["late"])], ["4", "5"], {PACK: ["4"]},
     [(Severity.ERROR, "now exempt, but")]),
]


@pytest.mark.parametrize("name, items, digests, changes, carried, withdrawn, problems", RULES, ids=[r[0] for r in RULES])
def test_each_change_after_publication_is_supplemented_as_the_law_asks(name, items, digests, changes, carried,
                                                                       withdrawn, problems):
    record = _record(PUBLISHED)
    meeting = Meeting("Cabinet", DATE, items=items)
    found: list = []
    plan = plan_packs(meeting, {**DIGESTS, **digests}, record, dt.date(2011, 3, 10), found)
    said = plan.pending
    assert [(c.what, c.number, c.note) for c in said.changes] == changes if said else changes == []
    assert [item.number for item in plan.carried(list(items))] == carried
    assert plan.withdrawn == withdrawn
    assert [(p.severity, next((w for s, w in problems if w in p.message), p.message)) for p in found] == problems
    if changes:  # the first supplement to the agenda, dated the day it is built
        assert said.edition == Edition(2) and plan.edition.name == "Supplement 1" and plan.date(meeting) == dt.date(2011, 3, 10)


def test_an_item_exempt_when_published_and_public_now_is_published_in_the_supplement():
    exempt = tuple(dataclasses.replace(item, exempt=3) if item.number == "2" else item for item in PUBLISHED)
    meeting = Meeting("Cabinet", DATE, items=_agenda(i2={"correction": "The decision to keep it private was reversed."}))
    said, found = pending(meeting, DIGESTS, _record(PUBLISHED, exempt))
    assert found == [] and [(c.what, c.number, c.note) for c in said.changes] == [
        (What.PUBLIC, "2", "The decision to keep it private was reversed.")]
    assert said.carried == {"2"} and "no longer exempt: its paper is published" in said.changes[0].line()
    assert withdrawals(meeting, _record(PUBLISHED, exempt)).withdrawn == {}  # the agenda pack holds it, public again


def test_a_withdrawn_item_is_withdrawn_once():
    withdrawn = tuple(dataclasses.replace(item, withdrawn="Deferred.", pack="") if item.number == "4" else item
                      for item in PUBLISHED)
    meeting = Meeting("Cabinet", DATE, items=_agenda(i4={"withdrawn": "Deferred."}))
    assert pending(meeting, {**DIGESTS, "4": ""}, _record(PUBLISHED, withdrawn)) == (None, [])


def test_the_second_supplement_is_version_3_and_dated_after_the_first():
    record = _record(PUBLISHED, PUBLISHED)
    meeting = Meeting("Cabinet", DATE, items=_agenda(i5=LATE), published=dt.date(2011, 3, 10))
    plan = plan_packs(meeting, {**DIGESTS, "5": "d5"}, record, dt.date(2011, 3, 11), [])
    assert plan.edition == Edition(3) and plan.edition.heading == "Supplementary agenda 2"
    assert plan.edition.pack_names("2011-03-17-cabinet") == ("2011-03-17-cabinet-supplement-2.pdf",
                                                              "2011-03-17-cabinet-private-supplement-2.pdf")
    # published = 2011-03-10 is the first supplement's date, not after it: the day of building dates it.
    assert plan.date(meeting) == dt.date(2011, 3, 11)


def test_an_exemption_already_told_is_a_reminder_not_an_error():
    told = tuple(dataclasses.replace(item, exempt=3) if item.number == "2" else item for item in PUBLISHED)
    meeting = Meeting("Cabinet", DATE, items=_agenda(i2={"exempt": 3}))
    found: list = []
    plan_packs(meeting, DIGESTS, _record(PUBLISHED, told), dt.date(2011, 3, 11), found)
    assert withdrawals(meeting, _record(PUBLISHED, told)).withdrawn == {PACK: ["2"]}
    assert [p.severity for p in found] == [Severity.WARNING]


def test_before_publication_the_agenda_carries_every_paper_but_the_withdrawn():
    plan = PackPlan(None, _record())
    items = list(_agenda(i4={"withdrawn": "Deferred."}))
    assert plan.edition == Edition(1) and [item.number for item in plan.carried(items)] == ["1", "2", "3"]
    assert plan.date(Meeting("Cabinet", DATE)) == dt.date(2011, 3, 9)  # five clear days before Thursday 17 March
