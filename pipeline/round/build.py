"""A round built on its own (an inputs folder without a meeting.toml): its returns read, its paper built, the folder to publish made ready."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline import parts
from pipeline.build import Build, build_papers, clear_temporaries, plan
from pipeline.filenames import TEMPLATES
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Progress, Workers
from pipeline.publication import public, stage
from pipeline.records.round import Round
from pipeline.round.read import read_round
from pipeline.settings import check_output


def build_round(inputs: Path, output: Path, now: dt.datetime, templates: Path = TEMPLATES,
                progress: Progress | None = None, workers: Workers | None = None) -> Build:
    """The round in ``inputs`` built into ``output``, reusing what is current (and ``workers``,
    resident ones, when given); ``now`` dates what is moved out of the publication folder."""
    check_output(output)
    clear_temporaries(output)
    cache = Cache(output, templates)
    with workers or Workers(warm_up=parts.warm_up) as workers:
        round_ = read_round(inputs, cache, progress, workers)
        cache.prune()
        (build,) = build_papers([(round_, output)], cache, templates, progress, workers)
    build.publication = stage(output, public(output, build.written), now)
    return build


def papers_current(inputs: Path, output: Path, templates: Path = TEMPLATES,
                   shown=lambda round_: round_) -> tuple[Round, bool]:
    """The round (as ``shown``: a meeting's view of it), and whether the papers in ``output``
    are what building it would write now."""
    cache = Cache(output, templates)
    p = plan(shown(read_round(inputs, cache)), output, cache, templates)
    return p.round, cache.outputs_current(p.key, p.paths, p.view.file_stem)
