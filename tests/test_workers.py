"""The worker processes (pipeline/workers.py): work shared, results in order, a warm-up in each, a lost worker named."""

from __future__ import annotations

import os
import signal

import pytest

from pipeline.workers import WorkerLost, Workers, cores

_needs_workers = pytest.mark.skipif(not Workers().usable, reason=f"workers need Linux and two cores ({cores()} here)")
_WARMED = []


def _warm_up() -> None:
    _WARMED.append(os.getpid())


def _warmed(_: int) -> tuple[int, bool]:
    return os.getpid(), os.getpid() in _WARMED


def _die(_: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_work_is_shared_with_this_process_and_comes_back_in_order():
    with Workers() as workers:
        results, other = workers.map(abs, list(range(-20, 0)), meanwhile=lambda: "meanwhile")
    assert results == list(range(20, 0, -1)) and other == "meanwhile"


@_needs_workers
def test_each_worker_warms_up_as_it_starts():
    with Workers(warm_up=_warm_up) as workers:
        results, _ = workers.map(_warmed, list(range(8)), helping=False)
    assert {pid for pid, _ in results} - {os.getpid()}, "the work was done by workers"
    assert all(warmed for _, warmed in results)
    assert os.getpid() not in _WARMED  # this process did not warm up: it has its own work


@_needs_workers
def test_a_worker_that_dies_is_named_not_waited_for():
    with pytest.raises(WorkerLost):
        with Workers() as workers:
            workers.map(_die, [1, 2, 3], helping=False)
