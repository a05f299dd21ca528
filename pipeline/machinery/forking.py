"""The lock this process holds while it forks, so that no two of its threads fork at once."""

from __future__ import annotations

import os
import threading

forking = threading.Lock()
"""Held by whoever forks: while one thread starts a program (LibreOffice), the pipe that
tells it the program has started is open in this process, and a worker process forked from
another thread meanwhile would hold it open for as long as the worker lives, leaving the
first waiting for ever (tests/test_forking.py). Python's subprocess holds no such lock."""


def _free() -> None:
    # A process forked under the lock (as the workers are) never leaves the block that took
    # it: freed here, so that a fork it makes in its turn does not wait for ever.
    if forking.locked():
        forking.release()


os.register_at_fork(after_in_child=_free)
