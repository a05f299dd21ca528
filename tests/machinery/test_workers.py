"""The worker processes (pipeline/machinery/workers.py): work shared, results in order, a warm-up in each, a lost worker named."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import tempfile
import weakref
from pathlib import Path

import pytest

from pipeline.machinery.workers import WorkerLost, Workers
from support import ROOT, cli_env, needs_ctrl_c, needs_workers

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


@needs_workers
def test_each_worker_warms_up_as_it_starts():
    with Workers(warm_up=_warm_up) as workers:
        results, _ = workers.map(_warmed, list(range(8)), helping=False)
    assert {pid for pid, _ in results} - {os.getpid()}, "the work was done by workers"
    assert all(warmed for _, warmed in results)
    assert os.getpid() not in _WARMED  # this process did not warm up: it has its own work


class _Cycle:
    """Refers to itself: garbage only the collector frees."""


def _frozen_and_collected(_: int) -> tuple[int, int, bool]:
    gc.disable()  # no collection but the one asked for
    try:
        cycle = _Cycle()
        cycle.itself = cycle
        alive = weakref.ref(cycle)
        del cycle
        gc.collect()
        return os.getpid(), gc.get_freeze_count(), alive() is None
    finally:
        gc.enable()


@needs_workers
def test_a_worker_freezes_what_it_starts_with_and_still_collects_what_comes_after():
    # Its start (the parent's objects, the engine loaded) is frozen, so that the collection
    # after each part laid out walks only the part's own objects; which it still frees.
    with Workers(warm_up=_warm_up) as workers:
        results, _ = workers.map(_frozen_and_collected, list(range(4)), helping=False)
    assert all(pid != os.getpid() and frozen > 0 and freed for pid, frozen, freed in results), results


def _keep_a_file(_: int) -> str:
    folder = tempfile.mkdtemp(prefix="fonts-")  # as WeasyPrint keeps its copy of the fonts
    (Path(folder) / "font.ttf").write_bytes(b"font")
    return folder


def _keep_a_file_and_die(record: str) -> None:
    Path(record).write_text(_keep_a_file(0), encoding="utf-8")
    os.kill(os.getpid(), signal.SIGKILL)


@needs_workers
def test_what_workers_keep_on_disk_goes_when_they_stop_even_a_killed_one(tmp_path):
    with Workers() as workers:
        folders, _ = workers.map(_keep_a_file, [1, 2, 3], helping=False)
    assert folders and not any(Path(folder).exists() for folder in folders)
    # A worker killed (Ctrl-C stops a build's workers so; the out-of-memory killer too)
    # deletes nothing itself: the build does, as its workers stop.
    record = tmp_path / "folder.txt"
    with pytest.raises(WorkerLost):
        with Workers() as workers:
            workers.map(_keep_a_file_and_die, [str(record)] * 2, helping=False)
    folder = Path(record.read_text(encoding="utf-8"))
    assert folder.parent != Path(tempfile.gettempdir()) and not folder.parent.exists()


@needs_workers
def test_a_worker_that_dies_is_named_not_waited_for():
    with pytest.raises(WorkerLost):
        with Workers() as workers:
            workers.map(_die, [1, 2, 3], helping=False)


_CTRL_C_AS_THE_WORKERS_FORK = """
import functools, os, signal
from pipeline.machinery.workers import Workers

# Ctrl-C reaches each worker the moment it is forked, before it has set itself to ignore it,
# and this process as it forks them (as Ctrl-C at a terminal reaches the whole group; sent
# to each here, so that none comes late, after the workers have started).
os.register_at_fork(before=functools.partial(signal.raise_signal, signal.SIGINT),
                    after_in_child=functools.partial(signal.raise_signal, signal.SIGINT))
workers = Workers()
try:
    workers.start()
except KeyboardInterrupt:
    print("this process stopped")
results, _ = workers.map(abs, [-1, -2, -3, -4], helping=False)
print(results)
workers.close()
"""


@needs_workers
@needs_ctrl_c
def test_ctrl_c_as_the_workers_start_stops_this_process_and_no_worker():
    finished = subprocess.run([sys.executable, "-c", _CTRL_C_AS_THE_WORKERS_FORK], cwd=ROOT, env=cli_env(),
                              capture_output=True, text=True, timeout=30, start_new_session=True)
    # Each worker dropped the Ctrl-C and works (before the mend, one interrupted as it started
    # printed a traceback, and the pool waited for it for ever); this process was told of it,
    # once the workers were forked.
    assert finished.stdout.split("\n")[:2] == ["this process stopped", "[1, 2, 3, 4]"], finished.stderr
    assert "Traceback" not in finished.stderr and finished.returncode == 0
