"""The kinds of paper an agenda item can have (pipeline/meeting/kinds.py): each recognised by its file, and handled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.meeting.kinds import KINDS, MAX_PDF, Supplied, kind_of, known
from pipeline.records.problems import Problem


@pytest.mark.parametrize("name, kind", [
    ("paper.toml", "round"), ("budget.md", "short"), ("Budget.MD", "short"), ("report.docx", "word"),
    ("appendix.pdf", "pdf"), ("notes.txt", None), ("paper.toml.bak", None), (".md", None), ("other.toml", None),
])
def test_each_file_is_of_its_kind(name, kind):
    found = kind_of(Path(name))
    assert (found.name if found else None) == kind


def test_each_kind_has_one_handler():
    for kind in KINDS.values():
        assert (kind.built is None) != (kind.supplied is None), kind


def test_the_kinds_are_named_as_an_officer_reads_them():
    assert known() == "a .md, .docx or .pdf file (or paper.toml, action-log.toml)"


def test_a_kind_prints_the_same_from_run_to_run():
    # A meeting's repr is part of its pack's cache key: a handler's address must not be in it.
    assert repr(KINDS[".md"]) == "PaperKind(name='short')"


def test_a_supplied_pdf_is_its_bytes_and_a_missing_one_a_problem(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 bytes")
    when = dt.datetime(2011, 3, 17, 12)
    assert KINDS[".pdf"].supplied(tmp_path / "a.pdf", tmp_path, when).result() == b"%PDF-1.7 bytes"
    gone = Supplied(tmp_path / "gone.pdf").result()
    assert isinstance(gone, Problem) and gone.source.file == "gone.pdf" and "could not be read" in gone.message


def test_a_supplied_pdf_larger_than_a_paper_is_refused_unread(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as sparse:  # a sparse file: no disk is used for it
        sparse.truncate(MAX_PDF + 1)
    found = Supplied(path).result()
    assert isinstance(found, Problem) and found.message == "is larger than a paper can be (200 MB)"
