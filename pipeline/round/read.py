"""A round read from inputs: settings, every return (on the workers when many), collated, set against last round's."""

from __future__ import annotations

import dataclasses
from functools import partial
from pathlib import Path

from pipeline.filenames import TEMPLATES, shown
from pipeline.intake import find_returns, read_return
from pipeline.intake.files import find_lookalikes, lock_file_warnings
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Progress, Workers
from pipeline.records.changes import Changes
from pipeline.records.problems import Problem
from pipeline.records.returns import Return
from pipeline.records.round import Round
from pipeline.render.coverage import font_problems
from pipeline.round.collate import collate
from pipeline.round.compare import compare_round
from pipeline.round.config import load_config


def read_round(inputs: Path, cache: Cache | None = None, progress: Progress | None = None,
               workers: Workers | None = None) -> Round:
    """Read the configuration and every return in ``inputs`` into a Round: the returns not
    read before, by ``workers`` too when given (which then start, warming up for the
    laying out to come)."""
    config = load_config(inputs)
    problems: list[Problem] = [*config.problems, *lock_file_warnings(inputs)]
    questions = config.paper.questions
    paths = find_returns(inputs)
    returns: list[Return] = []
    unreadable: list[str] = []
    for path, (ret, found) in zip(paths, _read(paths, questions, cache, workers, progress)):
        problems.extend(found)
        if ret is not None:
            returns.append(ret)
        else:
            unreadable.append(shown(path.name))
    for path, problem in find_lookalikes(inputs):
        problems.append(problem)
        unreadable.append(shown(path.name))
    round_ = collate(config.paper, config.registry, returns, problems, tuple(unreadable))
    # Last round's returns, read (and kept) as this round's are.
    changes, compared = compare_round(round_, inputs, partial(_read, questions=questions, cache=cache)) \
        if config.paper.compare_last_round else (Changes(), [])
    return dataclasses.replace(round_, changes=changes, problems=round_.problems + tuple(compared)
                               + tuple(font_problems(round_, TEMPLATES / "fonts")))


def _read(paths: list[Path], questions: tuple[str, ...], cache: Cache | None = None, workers: Workers | None = None,
          progress: Progress | None = None) -> list[tuple[Return | None, list[Problem]]]:
    """Each return at ``paths`` read, or kept from an earlier build: those not read before,
    by ``workers`` too when given (which then start, warming up for the laying out to come)."""
    kept = [cache.kept_return(path, questions) if cache else ("", None) for path in paths]
    todo = [path for path, (_, result) in zip(paths, kept) if result is None]
    if todo and workers is not None and cache is not None:
        workers.start()  # a return changed, so there is laying out to come: get ready for it

    def read(index: int, result) -> None:
        if progress:
            progress(f"Read {len(paths) - len(todo) + index + 1} of {len(paths)} returns")

    fresh, _ = (workers or Workers(usable=False)).map(partial(read_return, questions=questions), todo, done=read)
    fresh_results = iter(fresh)
    results = []
    for key, result in kept:
        if result is None:
            result = next(fresh_results)
            if cache:
                cache.keep_return(key, result)
        results.append(result)
    return results

