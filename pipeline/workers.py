"""Worker processes, one for each core the build may use, that read and lay out side by side."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Callable, Sequence, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than the
    machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextlib.contextmanager
def interrupt_held():
    """Ctrl-C held back until the block ends, then raised (in the main thread; elsewhere,
    nothing is held).

    For loading compiled extensions: pikepdf 10's (nanobind) aborts the whole process, with a
    traceback, when a KeyboardInterrupt arrives while it creates its enums, instead of
    letting it stop the build cleanly. One already on its way when the block starts is held
    too: Python calls whichever handler is set when it gets round to it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _warm_up() -> None:
    if sys.platform.startswith("linux"):
        # Ended with the build: a worker whose build is killed (by the out-of-memory killer,
        # say) would otherwise wait for work for ever. PR_SET_PDEATHSIG is 1.
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    # A worker's first layout should not wait for WeasyPrint to load (a third of a second,
    # most of it its C declarations being parsed): each worker loads it as it starts, while
    # the build goes on reading.
    from pipeline.render import pdf

    try:
        with interrupt_held():
            pdf.load()
    except pdf.SystemLibraryMissing:
        pass  # said when a layout is asked for, with what to install


class Workers:
    """The build's worker processes, started when there is first work for them, so that an
    up-to-date build starts none. With one core (or off Linux, where forking is unsafe)
    there are none, and the work is done in this process, in the same order: the results
    are the same either way."""

    def __init__(self, usable: bool = True) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self.usable = usable and sys.platform.startswith("linux") and cores() >= 2

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.stop(abandon=exc_type is not None)

    def stop(self, abandon: bool = False) -> None:
        """Stop the workers, freeing their memory (they start again if there is more work);
        with ``abandon`` (the build is failing), at once."""
        if self._pool is None:
            return
        if abandon:
            # Their work will not be used; and a pool one of whose workers was killed can
            # wait for ever on the others (CPython's executor, 3.11): so they are killed.
            import multiprocessing

            for process in multiprocessing.active_children():
                process.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def start(self) -> None:
        """Start the workers now (they load the layout engine), if there can be any."""
        if self.usable and self._pool is None:
            # Imported here: an up-to-date build starts no workers, and need not load them.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=cores(), mp_context=multiprocessing.get_context("fork"),
                                             initializer=_warm_up)
            # The pool forks its workers on its first task: this one makes it fork now.
            self._pool.submit(int)

    def map(self, function: Callable[[T], R], items: Sequence[T], *, helping: bool = True,
            meanwhile: Callable[[], object] | None = None,
            done: Callable[[int, R], None] | None = None) -> tuple[list[R], object]:
        """``function`` of each item, in order, by the workers (started if need be) and, with
        ``helping``, by this process too, taking items from the end while they take them from
        the start; then this process runs ``meanwhile``. ``done(index, result)`` is told of
        each result as it is collected. Returns the results and what ``meanwhile`` returned."""
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
            futures = [self._pool.submit(function, item) for item in items]
            other = meanwhile() if meanwhile else None
            for index, future in enumerate(futures):
                results[index] = future.result()
                if done:
                    done(index, results[index])
            return results, other
        from concurrent.futures import FIRST_COMPLETED, wait

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
                ready = wait(running, return_when=FIRST_COMPLETED).done if running else []
            for future in ready:
                results[running.pop(future)] = future.result()
        other = meanwhile() if meanwhile else None
        if done:
            for index in range(len(items)):
                done(index, results[index])
        return results, other
