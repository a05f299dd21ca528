"""Matching returns to the registry: loose names, duplicates, the missing and the unknown."""

from __future__ import annotations

import datetime as dt

from pipeline.records.problems import Severity, Source
from pipeline.records.returns import CompletionDate, Return, Value
from pipeline.records.round import Status
from pipeline.records.settings import Kind, Paper, Partnership
from pipeline.round.collate import collate, match

REGISTRY = (
    Partnership("cypt", "Oxfordshire Children and Young People's Trust", Kind.THEMATIC, aliases=("OCYPT",)),
    Partnership("health", "Health and Well-Being Partnership", Kind.THEMATIC),
    Partnership("vale", "Vale Partnership", Kind.DISTRICT),
)
PAPER = Paper("Committee", dt.date(2011, 3, 17), "Update", questions=("Q?",))


def ret(file: str, name: str, completed: CompletionDate | None = None, modified: float = 0.0) -> Return:
    r = Return(file=file, sheet="Return", modified=modified)
    r.values["partnership"] = Value(name, Source(file, "Return", "B1"))
    if completed:
        r.values["completed"] = Value(completed, Source(file, "Return", "B2"))
    return r


def test_names_match_insensitive_to_case_punctuation_and_abbreviations():
    assert match("Oxfordshire Children and Young People's Trust (OCYPT)", REGISTRY)[0].id == "cypt"
    assert match("OCYPT", REGISTRY) == (REGISTRY[0], True)
    assert match("health & well-being partnership", REGISTRY) == (REGISTRY[1], True)
    assert match("HEALTH AND WELL BEING PARTNERSHIP.", REGISTRY) == (REGISTRY[1], True)
    assert match("Vale of White Horse Partnership", REGISTRY) == (None, False)


def test_a_near_miss_matches_with_a_warning_naming_the_cell():
    assert match("Helth and Wellbeing Partnership", REGISTRY) == (REGISTRY[1], False)
    round_ = collate(PAPER, REGISTRY, [ret("h.xlsx", "Helth and Wellbeing Partnership")], [])
    assert round_.entries[1].status is Status.RECEIVED
    (problem,) = round_.problems
    assert problem.severity is Severity.WARNING and problem.source.cell == "B1"
    assert "taken to be Health and Well-Being Partnership" in problem.message


def test_registry_order_and_missing_partnerships():
    round_ = collate(PAPER, REGISTRY, [ret("v.xlsx", "Vale Partnership"), ret("h.xlsx", "Health & Well-Being Partnership")], [])
    assert [e.partnership.id for e in round_.entries] == ["cypt", "health", "vale"]
    assert [e.status for e in round_.entries] == [Status.MISSING, Status.RECEIVED, Status.RECEIVED]


def test_newer_duplicate_wins_by_completion_date_then_file_time():
    older = ret("vale-old.xlsx", "Vale Partnership", CompletionDate(2011, 2, 1), modified=200)
    newer = ret("vale-new.xlsx", "Vale Partnership", CompletionDate(2011, 2, 20), modified=100)
    round_ = collate(PAPER, REGISTRY, [newer, older], [])
    assert round_.entries[2].ret.file == "vale-new.xlsx"
    (problem,) = round_.problems
    assert problem.source.file == "vale-old.xlsx" and problem.severity is Severity.WARNING

    same_day = [ret("a.xlsx", "Vale Partnership", CompletionDate(2011, 2), modified=m) for m in (1, 2)]
    same_day[1].file = "b.xlsx"
    assert collate(PAPER, REGISTRY, same_day, []).entries[2].ret.file == "b.xlsx"


def test_a_month_only_date_against_a_day_in_that_month_is_settled_by_file_time():
    month_only = ret("month.xlsx", "Vale Partnership", CompletionDate(2011, 2), modified=300)
    first_day = ret("day.xlsx", "Vale Partnership", CompletionDate(2011, 2, 1), modified=100)
    assert collate(PAPER, REGISTRY, [first_day, month_only], []).entries[2].ret.file == "month.xlsx"
    month_only.modified = 50
    assert collate(PAPER, REGISTRY, [first_day, month_only], []).entries[2].ret.file == "day.xlsx"
    undated = ret("undated.xlsx", "Vale Partnership", None, modified=999)
    assert collate(PAPER, REGISTRY, [undated, first_day], []).entries[2].ret.file == "day.xlsx"


def test_unknown_partnership_is_an_error_naming_the_cell():
    round_ = collate(PAPER, REGISTRY, [ret("x.xlsx", "Parish Cluster Forum")], [])
    (problem,) = round_.problems
    assert problem.severity is Severity.ERROR and problem.source.cell == "B1"
    assert "Parish Cluster Forum" in problem.message and "partnerships.toml" in problem.advice


def test_a_registry_equal_to_an_earlier_one_matches_its_own_partnerships():
    # The spelling index is cached per registry value; an equal registry read again (a
    # second build in one process) must still get its own partnership objects back.
    match("Vale Partnership", REGISTRY)
    again = tuple(Partnership(p.id, p.name, p.kind, aliases=p.aliases) for p in REGISTRY)
    assert again == REGISTRY and again[2] is not REGISTRY[2]
    assert match("Vale Partnership", again)[0] is again[2]
    form = ret("v.xlsx", "Vale Partnership")
    form.form_partnership = "vale"
    round_ = collate(PAPER, again, [form], [])
    assert round_.problems == () and round_.entries[2].ret is form
