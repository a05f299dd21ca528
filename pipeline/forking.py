"""The lock this process holds while it forks, so that no two of its threads fork at once."""

from __future__ import annotations

import threading

forking = threading.Lock()
"""Held by whoever forks: while one thread starts a program (LibreOffice), the pipe that
tells it the program has started is open in this process, and a worker process forked from
another thread meanwhile would hold it open for as long as the worker lives, leaving the
first waiting for ever (tests/test_forking.py). Python's subprocess holds no such lock."""
