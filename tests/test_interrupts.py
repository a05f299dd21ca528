"""Ctrl-C held back while a compiled extension loads (pipeline/interrupts.py), and why it must be."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from support import needs_ctrl_c

from pipeline.interrupts import interrupt_held


@needs_ctrl_c
def test_ctrl_c_inside_the_block_is_raised_when_it_ends():
    reached_the_end = False
    with pytest.raises(KeyboardInterrupt):
        with interrupt_held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # Python would have raised it by now, outside the block
            reached_the_end = True
    assert reached_the_end


def test_without_ctrl_c_the_block_raises_nothing_and_restores_the_handler():
    before = signal.getsignal(signal.SIGINT)
    with interrupt_held():
        pass
    assert signal.getsignal(signal.SIGINT) is before


def test_where_ctrl_c_is_ignored_the_block_leaves_it_ignored():
    # A worker ignores Ctrl-C (the build decides what stops); loading pikepdf in its warm-up
    # must not turn one that reaches it into a KeyboardInterrupt and a traceback.
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupt_held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


_INTERRUPT_PIKEPDF_AS_IT_LOADS = """
import sys
def trace(frame, event, arg):
    # As the compiled extension makes its first enum, Ctrl-C arrives.
    if event == "call" and frame.f_code.co_name == "_create_" and "pikepdf._core" in sys.modules:
        sys.settrace(None)
        raise KeyboardInterrupt
    return None
sys.settrace(trace)
try:
    import pikepdf
except KeyboardInterrupt:
    print("interrupted cleanly")
"""


def test_pikepdf_still_aborts_when_interrupted_as_it_loads():
    # Why interrupt_held is used around pikepdf's import (pipeline/pdf/_pikepdf.py): its
    # nanobind extension turns the interrupt into "Critical nanobind error" and aborts the
    # process. When this test fails, the extension handles it and the work-around can go.
    result = subprocess.run([sys.executable, "-c", _INTERRUPT_PIKEPDF_AS_IT_LOADS], capture_output=True, text=True,
                            timeout=60)
    if "interrupted cleanly" in result.stdout and result.returncode == 0:
        pytest.fail("pikepdf now loads interruptibly: interrupt_held around its import can go")
    assert result.returncode == -signal.SIGABRT and "nanobind" in result.stderr, (result.returncode, result.stderr[-500:])
