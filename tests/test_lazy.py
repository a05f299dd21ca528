"""The outside libraries loaded only when a build needs them (pipeline/lazy.py): an up-to-date build loads
none; and Ctrl-C held back while a compiled extension loads, and why it must be."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from pipeline import lazy
from pipeline.lazy import interrupt_held
from support import INPUTS, ROOT, cli_env, needs_ctrl_c

DEFERRED = ("weasyprint", "pikepdf", "fontTools", "docx", "docxtpl", "openpyxl", "python_calamine", "jinja2",
            "concurrent.futures.process", "smtplib", "holidays")

_RUN_AND_LIST = """
import runpy, sys
sys.argv = ["pipeline", "papers", "--inputs", sys.argv[1], "--output", sys.argv[2]]
try:
    runpy.run_module("pipeline", run_name="__main__")
except SystemExit as stop:
    print("STATUS", stop.code)
print("LOADED", " ".join(sorted(sys.modules)))
"""


def test_an_up_to_date_build_loads_none_of_the_deferred_modules(built):
    result = subprocess.run([sys.executable, "-c", _RUN_AND_LIST, str(INPUTS), str(built)], cwd=ROOT, env=cli_env(),
                            capture_output=True, text=True, timeout=120)
    assert "STATUS 0" in result.stdout and "already up to date" in result.stdout, result.stdout + result.stderr
    assert "Wrote" not in result.stdout
    loaded = set(result.stdout.split("LOADED", 1)[1].split())
    assert not loaded & set(DEFERRED), sorted(loaded & set(DEFERRED))


def test_each_deferred_module_loads_what_it_is_for():
    weasyprint, pydyf = lazy.weasyprint()
    assert weasyprint.HTML and weasyprint.pdf.tags._build_box_tree and weasyprint.text.fonts.FontConfiguration
    assert weasyprint.layout.absolute.AbsolutePlaceholder and pydyf.PDF
    assert lazy.pikepdf().Pdf and lazy.font_tools().TTFont and lazy.font_tools().tables._g_l_y_f.Glyph
    docxtpl, docx = lazy.word()
    assert docxtpl.DocxTemplate and docx.oxml.ns.qn and docx.enum.text.WD_ALIGN_PARAGRAPH
    openpyxl = lazy.openpyxl()
    assert openpyxl.load_workbook and openpyxl.cell.rich_text.CellRichText and openpyxl.worksheet.worksheet.Worksheet
    assert openpyxl.styles.Font and openpyxl.worksheet.datavalidation.DataValidation and openpyxl.cell.text.InlineFont
    futures, multiprocessing = lazy.processes()
    assert futures.ProcessPoolExecutor and futures.process.BrokenProcessPool and multiprocessing.util.Finalize
    smtplib, ssl = lazy.smtp()
    assert smtplib.SMTP and ssl.create_default_context and lazy.calamine().CalamineWorkbook
    assert lazy.jinja2().Environment and lazy.holidays().country_holidays



_LOAD = """
import ctypes.util, sys
asked, search = [], ctypes.util.find_library
ctypes.util.find_library = lambda name: asked.append(name) or search(name)
if sys.argv[1] == "lazy":
    from pipeline import lazy
    lazy.weasyprint()
else:
    import weasyprint
print("ASKED", len(asked))
print("LIBRARIES", " ".join(sorted({line.split()[-1].rsplit("/", 1)[-1] for line in open("/proc/self/maps")
                                   if any(name in line for name in ("pango", "harfbuzz", "gobject", "fontconfig"))})))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the work-around is for Linux, where it reads /proc")
def test_weasyprint_loads_the_same_libraries_without_searching_for_them():
    # lazy._sonames_only: cffi's dlopen searches (ldconfig, gcc, ld) for each name WeasyPrint
    # tries that is another system's; papers loads it without, and gets the same libraries.
    def load(how: str) -> tuple[int, str]:
        result = subprocess.run([sys.executable, "-c", _LOAD, how], cwd=ROOT, env=cli_env(), capture_output=True,
                                text=True, timeout=120)
        lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if line.startswith(("ASKED", "LIBRARIES")))
        return int(lines["ASKED"]), lines["LIBRARIES"]

    searched, libraries = load("plain")
    assert "libpango-1.0.so.0" in libraries and "libharfbuzz.so.0" in libraries
    # When this fails, WeasyPrint (or cffi) no longer searches, and _sonames_only can go.
    assert searched > 0
    assert load("lazy") == (0, libraries)


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
    # Why interrupt_held is used around pikepdf's import (lazy.pikepdf): its
    # nanobind extension turns the interrupt into "Critical nanobind error" and aborts the
    # process. When this test fails, the extension handles it and the work-around can go.
    result = subprocess.run([sys.executable, "-c", _INTERRUPT_PIKEPDF_AS_IT_LOADS], capture_output=True, text=True,
                            timeout=60)
    if "interrupted cleanly" in result.stdout and result.returncode == 0:
        pytest.fail("pikepdf now loads interruptibly: interrupt_held around its import can go")
    assert result.returncode == -signal.SIGABRT and "nanobind" in result.stderr, (result.returncode, result.stderr[-500:])
