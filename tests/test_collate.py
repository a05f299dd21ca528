"""Matching returns to the registry: loose names, duplicates, the missing and the unknown."""

from __future__ import annotations

import datetime as dt

from pipeline.collate import collate, match
from pipeline.model import (
    CompletionDate, Kind, Paper, Partnership, Return, Severity, Source, Status, Value,
)

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


def test_names_match_loosely():
    assert match("Oxfordshire Children and Young People's Trust (OCYPT)", REGISTRY).id == "cypt"
    assert match("OCYPT", REGISTRY).id == "cypt"
    assert match("health & well-being partnership", REGISTRY).id == "health"
    assert match("HEALTH AND WELL BEING PARTNERSHIP.", REGISTRY).id == "health"
    assert match("Vale of White Horse Partnership", REGISTRY) is None


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


def test_unknown_partnership_is_an_error_naming_the_cell():
    round_ = collate(PAPER, REGISTRY, [ret("x.xlsx", "Parish Cluster Forum")], [])
    (problem,) = round_.problems
    assert problem.severity is Severity.ERROR and problem.source.cell == "B1"
    assert "Parish Cluster Forum" in problem.message and "partnerships.toml" in problem.advice
