"""A round read (pipeline/round/read.py): settings, every return, collated; what cannot be read named and still counted."""

from __future__ import annotations

from pipeline.filenames import TEMPLATES
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Workers
from pipeline.records.round import Status
from pipeline.round.read import read_round


def test_every_return_is_read_and_matched_to_its_partnership(round_dir):
    round_ = read_round(round_dir)
    assert len(round_.entries) == 12 and all(e.status is Status.RECEIVED for e in round_.entries)
    assert round_.problems == ()


def test_a_file_like_a_return_that_cannot_be_read_is_named_and_its_partnership_not_missing(round_dir):
    (round_dir / "Vale Partnership.xlsx").rename(round_dir / "Vale Partnership.csv")
    round_ = read_round(round_dir)
    (vale,) = [e for e in round_.entries if e.partnership.name == "Vale Partnership"]
    assert vale.status is Status.UNREADABLE
    assert any(p.source.file == "Vale Partnership.csv" and "Vale Partnership" in p.advice for p in round_.problems)


def test_read_with_the_workers_and_the_cache_it_is_the_same_round(round_dir, tmp_path):
    cache = Cache(tmp_path / "out", TEMPLATES)
    with Workers() as workers:
        first = read_round(round_dir, cache, workers=workers)
    again = read_round(round_dir, Cache(tmp_path / "out", TEMPLATES))  # every return from the cache
    assert first == again == read_round(round_dir)
    assert len(list((tmp_path / "out" / ".cache" / "intake").glob("*.json"))) == 12
