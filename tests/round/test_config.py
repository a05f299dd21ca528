"""The officer's configuration: defaults merged in, mistakes named with the fix."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.records.settings import Kind
from pipeline.round.config import DEFAULTS, load_config
from pipeline.settings import ConfigError


def test_sample_round_configuration(round_dir):
    config = load_config(round_dir)
    paper = config.paper
    assert paper.committee == "Strategy and Partnerships Scrutiny Committee"
    assert paper.meeting_date == dt.date(2011, 3, 17)
    assert paper.questions[1].endswith("(given in September 2010)")
    assert [s.heading for s in paper.sections] == [
        "Purpose / Recommendation", "Background", "Current Activity", "This report",
    ]
    assert sum(len(s.blocks) for s in paper.sections) == 9  # the seed's paragraphs 1–9
    assert paper.sections[-1].lists_partnerships
    assert len(paper.closing) == 2 and paper.contact.name == "Claire Moore"
    assert len(config.registry) == 12
    assert [p.kind for p in config.registry].count(Kind.DISTRICT) == 5


def test_defaults_fill_what_the_officer_leaves_out(tmp_path):
    (tmp_path / "paper.toml").write_text('committee = "Cabinet"\nmeeting_date = 2026-12-01\n')
    (tmp_path / "report.md").write_text("## Purpose\n\nTo note.\n")
    (tmp_path / "partnerships.toml").write_text('[[partnership]]\nname = "Vale Partnership"\n')
    config = load_config(tmp_path)
    assert config.paper.title == DEFAULTS["title"]
    assert len(config.paper.questions) == 4
    assert config.registry[0].id == "vale-partnership" and config.registry[0].kind is Kind.THEMATIC


def _error(tmp_path, paper: str, registry: str = '[[partnership]]\nname = "A"\n') -> str:
    (tmp_path / "paper.toml").write_text(paper)
    (tmp_path / "report.md").write_text("## Purpose\n\nTo note.\n")
    (tmp_path / "partnerships.toml").write_text(registry)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    return str(caught.value.problem)


def test_unknown_keys_are_rejected_with_the_known_ones(tmp_path):
    message = _error(tmp_path, 'committee = "C"\nmeeting_date = 2026-12-01\ncomittee_name = "typo"\n')
    assert "unknown setting comittee_name" in message
    assert "the known settings are: committee, meeting_date" in message


def test_required_keys_and_types(tmp_path):
    assert "'meeting_date' is not set" in _error(tmp_path, 'committee = "C"\n')
    assert "not a date" in _error(tmp_path, 'committee = "C"\nmeeting_date = "17 March"\n')
    assert "not valid TOML" in _error(tmp_path, 'committee = "C\n')


def test_registry_mistakes(tmp_path):
    paper = 'committee = "C"\nmeeting_date = 2026-12-01\n'
    assert "kind 'county'" in _error(tmp_path, paper, '[[partnership]]\nname = "A"\nkind = "county"\n')
    assert "used twice" in _error(tmp_path, paper, '[[partnership]]\nname = "A"\n[[partnership]]\nname = "a"\n')
    assert "unknown setting chair in partnership 1" in _error(tmp_path, paper, '[[partnership]]\nname = "A"\nchair = "X"\n')


def test_missing_paper_toml(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.problem.source.file == "paper.toml"
