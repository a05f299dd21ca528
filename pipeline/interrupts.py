"""Ctrl-C held back while a compiled extension loads, then raised."""

from __future__ import annotations

import contextlib
import signal
import threading


@contextlib.contextmanager
def interrupt_held():
    """Ctrl-C held back until the block ends, then raised (in the main thread; elsewhere,
    nothing is held; and where Ctrl-C is ignored, as in a worker process, it stays ignored).

    For loading compiled extensions: pikepdf 10's (nanobind) aborts the whole process, with a
    traceback, when a KeyboardInterrupt arrives while it creates its enums, instead of
    letting it stop the build cleanly (tests/test_interrupts.py reproduces it, and says
    when it is no longer needed). One already on its way when the block starts is held
    too: Python calls whichever handler is set when it gets round to it."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
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
