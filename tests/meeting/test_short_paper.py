"""A house-style paper read (pipeline/meeting/short_paper.py): its facts between +++ lines, its Markdown, each mistake named."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.meeting.short_paper import read_short_paper
from pipeline.records.rich_text import BlockKind
from pipeline.settings import ConfigError

MEETING = dt.date(2011, 3, 17)


def _paper(tmp_path, text: str, name: str = "paper.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_short_paper(path, "Scrutiny Committee", MEETING)


def test_the_facts_head_the_paper_and_the_meeting_fills_the_rest(tmp_path):
    paper, problems = _paper(tmp_path, '+++\ntitle = "Budget"\nagenda_item = "6"\nnumbered = true\n'
                                       '[contact]\nname = "Claire Phillips"\n+++\n## Background\n\nOne.\n\nTwo.\n')
    assert problems == ()
    assert (paper.title, paper.agenda_item, paper.committee, paper.meeting_date) == ("Budget", "6", "Scrutiny Committee", MEETING)
    assert paper.numbered and not paper.with_returns and paper.questions == ()
    assert paper.contact.name == "Claire Phillips"
    (section,) = paper.sections
    assert section.heading == "Background" and [b.kind for b in section.blocks] == [BlockKind.PARAGRAPH] * 2


def test_a_paper_may_name_its_own_committee_and_date(tmp_path):
    paper, _ = _paper(tmp_path, '+++\ntitle = "T"\ncommittee = "LSP Executive"\nmeeting_date = 2007-05-21\n+++\nText.\n')
    assert (paper.committee, paper.meeting_date) == ("LSP Executive", dt.date(2007, 5, 21))


@pytest.mark.parametrize("text, message", [
    ("## No facts\n", "does not start with its facts between two '+++' lines"),
    ('+++\ntitle = "T\n+++\n', "its facts are not valid TOML"),
    ("+++\nagenda_item = \"3\"\n+++\n", "has no title"),
    ('+++\ntitle = "T"\ntitel = "U"\n+++\n', "titel"),
    ('+++\ntitle = "T"\nnumbered = "yes"\n+++\n', "'numbered' must be true or false"),
    ('+++\ntitle = "T"\ncontact = "Claire"\n+++\n', "its [contact] is not a table"),
])
def test_each_mistake_is_named_with_the_file(tmp_path, text, message):
    with pytest.raises(ConfigError) as raised:
        _paper(tmp_path, text, name="budget.md")
    assert raised.value.problem.source.file == "budget.md"
    assert message in raised.value.problem.message
    assert raised.value.problem.advice
