"""Worker processes, one for each core the build may use, that read and lay out side by side."""

from __future__ import annotations

import ctypes
import gc
import os
import shutil
import signal
import sys
import tempfile
from typing import Callable, Sequence, TypeVar

from pipeline import lazy
from pipeline.machinery.forking import forking

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[str], None]
"""Told how long work is getting on ("Read 40 of 480 returns"); the CLI shows it on a terminal."""


def cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than the
    machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class WorkerLost(Exception):
    """A worker process died mid-build (the system's out-of-memory killer, or by hand)."""


def _start_worker(warm_up: Callable[[], None] | None, scratch: str) -> None:
    # What the worker keeps on disk (WeasyPrint's copy of the fonts, 1.6 MB) goes in the
    # build's folder for it, which the build removes as the workers stop: a worker killed
    # (stopped with a failing build, or by the out-of-memory killer) deletes nothing itself.
    tempfile.tempdir = scratch
    # Ctrl-C at a terminal reaches the whole process group: the build (or papers watch)
    # decides what stops and says so; a worker left to it would print a traceback. It was
    # forked with Ctrl-C blocked (Workers.start), so one that came meanwhile is pending, and
    # is dropped as it becomes ignored.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform.startswith("linux"):
        # Ended with the build: a worker whose build is killed (by the out-of-memory killer,
        # say) would otherwise wait for work for ever. PR_SET_PDEATHSIG is 1.
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    if warm_up is not None:
        warm_up()
    # What the worker holds once started (its parent's objects, the engine the warm-up
    # loaded) lives as long as it does: frozen, each collection (one for every part laid
    # out, render.layout) walks only what came after: 60–80 ms a part, unfrozen.
    gc.collect()
    gc.freeze()


class Workers:
    """The build's worker processes, started when there is first work for them, so that an
    up-to-date build starts none. With one core (or off Linux, where forking is unsafe)
    there are none, and the work is done in this process, in the same order: the results
    are the same either way."""

    def __init__(self, usable: bool = True, warm_up: Callable[[], None] | None = None, resident: bool = False) -> None:
        self._pool = None  # a concurrent.futures.ProcessPoolExecutor, once started
        self._scratch = ""  # the workers' temporary folder, while they run
        self.usable = usable and sys.platform.startswith("linux") and cores() >= 2
        self.warm_up = warm_up
        """Run by each worker as it starts (loading what its work needs, while the build goes on)."""
        self.resident = resident
        """Kept running from build to build (``papers watch``), warm: :meth:`stop` leaves
        them (but for a failing build's), :meth:`close` ends them."""

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.stop(abandon=exc_type is not None)

    def stop(self, abandon: bool = False) -> None:
        """Stop the workers, freeing their memory (they start again if there is more work);
        with ``abandon`` (the build is failing), at once."""
        if self._pool is None or (self.resident and not abandon):
            return
        if abandon:
            # Their work will not be used; and a pool one of whose workers was killed can
            # wait for ever on the others (CPython's executor, 3.11): so they are killed.
            for process in lazy.processes()[1].active_children():
                process.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
        shutil.rmtree(self._scratch, ignore_errors=True)

    def close(self) -> None:
        """Stop the workers, resident ones too."""
        self.resident = False
        self.stop()

    def start(self) -> None:
        """Start the workers now (each runs the warm-up as it starts), if there can be any."""
        if self.usable and self._pool is None:
            futures, multiprocessing = lazy.processes()
            self._scratch = tempfile.mkdtemp(prefix="papers-workers-")
            self._pool = futures.ProcessPoolExecutor(
                max_workers=cores(), mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker, initargs=(self.warm_up, self._scratch))
            # The pool forks its workers on its first task: this one makes it fork now. Ctrl-C
            # is blocked meanwhile, so that a worker is not interrupted (with a traceback)
            # before it has set itself to ignore it; this process gets one that came then as
            # the block ends.
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                with forking:
                    self._pool.submit(int)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def map(self, function: Callable[[T], R], items: Sequence[T], *, helping: bool = True,
            meanwhile: Callable[[], object] | None = None,
            done: Callable[[int, R], None] | None = None) -> tuple[list[R], object]:
        """``function`` of each item, in order, by the workers (started if need be) and, with
        ``helping``, by this process too, taking items from the end while they take them from
        the start; then this process runs ``meanwhile``. ``done(index, result)`` is told of
        each result as it is collected. Returns the results and what ``meanwhile`` returned.
        Raises WorkerLost if a worker dies."""
        try:
            return self._map(function, items, helping, meanwhile, done)
        except Exception as error:
            if self._pool is not None and isinstance(error, lazy.processes()[0].process.BrokenProcessPool):
                raise WorkerLost(str(error)) from error
            raise

    def _map(self, function, items, helping, meanwhile, done):
        if len(items) > 1:
            self.start()
        results: list = [None] * len(items)
        if self._pool is None:
            other = meanwhile() if meanwhile else None
            for index, item in enumerate(items):
                results[index] = function(item)
                if done:
                    done(index, results[index])
            return results, other
        if not helping:
            submitted = [self._pool.submit(function, item) for item in items]
            other = meanwhile() if meanwhile else None
            for index, future in enumerate(submitted):
                results[index] = future.result()
                if done:
                    done(index, results[index])
            return results, other
        # Work shared without cancelling any (CPython 3.11's executor fails on a cancelled
        # task if a worker then dies): this process takes tasks from the end, one at a time
        # (so a single task never waits for a worker still loading), and keeps the workers
        # two tasks each from the start.
        front, back = 0, len(items)
        running: dict = {}  # a worker's task, and its item's index
        while front < back or running:
            if front < back:
                back -= 1
                results[back] = function(items[back])
            while front < back and len(running) < 2 * cores():
                running[self._pool.submit(function, items[front])] = front
                front += 1
            if front < back:
                ready = [future for future in running if future.done()]
            else:
                futures, _ = lazy.processes()
                ready = futures.wait(running, return_when=futures.FIRST_COMPLETED).done if running else []
            for future in ready:
                results[running.pop(future)] = future.result()
        other = meanwhile() if meanwhile else None
        if done:
            for index in range(len(items)):
                done(index, results[index])
        return results, other
