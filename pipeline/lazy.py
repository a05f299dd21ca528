"""The outside libraries papers loads only once a build needs them: the one place an import waits.

A build with nothing to do says "Up to date" in a tenth of a second or two, most of it
Python starting; each library below would add to that, and none of them is needed unless
something is read, laid out or written. papers' own modules all import at their tops (a
test holds the package to that, and to no circle); a module that uses one of these
libraries asks for it here when it first needs it. One import a library, each with what
it costs (measured on this project's 2-core machine) and who needs it.
"""

from __future__ import annotations

import contextlib
import ctypes.util  # a few milliseconds: ctypes is loaded already (machinery/workers.py)
import signal
import sys
import threading
from types import ModuleType


class SystemLibraryMissing(Exception):
    """WeasyPrint cannot run because a system library (Pango) is missing."""


def _brought(name: str) -> ModuleType:
    """A module the library just loaded brought with it (a test holds each library to
    bringing what papers takes from it: tests/test_lazy.py)."""
    return sys.modules[name]


def weasyprint() -> tuple[ModuleType, ModuleType]:
    """WeasyPrint (about 0.5 s, most of it cffi parsing Pango's C declarations), and pydyf,
    which it writes PDFs with and brings. Needed only to lay something out (render/layout.py)."""
    try:
        try:
            with _sonames_only():
                import weasyprint
        except OSError:
            import weasyprint  # a system where only a library search finds Pango: as WeasyPrint does
    except OSError as error:  # raised when Pango or its friends cannot be loaded
        raise SystemLibraryMissing(
            f"WeasyPrint could not load a system library ({error}). Install Pango: "
            "on Debian or Ubuntu, sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0; "
            "on macOS, brew install pango"
        ) from error
    return weasyprint, _brought("pydyf")


@contextlib.contextmanager
def _sonames_only():
    """On Linux, ctypes.util.find_library answering None while WeasyPrint loads: cffi's
    dlopen falls back to it for each of the names WeasyPrint tries for a library on other
    systems ("libgobject-2.0-0", "gobject-2.0" …), and there it runs ldconfig, gcc and ld
    for each — over 200 processes, 0.3–0.4 s of every worker's start (Kozea/WeasyPrint#1125,
    closed as cffi's doing). WeasyPrint's names for each library include its Linux soname
    ("libpango-1.0.so.0"), which the loader finds itself: the libraries loaded are the same
    (tests/test_lazy.py holds both, and fails once WeasyPrint stops asking)."""
    if not sys.platform.startswith("linux"):
        yield
        return
    searching = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = searching


def pikepdf() -> ModuleType:
    """pikepdf (about 0.1 s), with Ctrl-C held back as its compiled extension loads
    (:func:`interrupt_held`). Needed to read, join or assemble a PDF (the pdf package alone
    uses it, through ``pdf/_pikepdf.py``)."""
    with interrupt_held():
        import pikepdf

    return pikepdf


def font_tools() -> ModuleType:
    """fontTools.ttLib, with the glyph table's module (about 0.05 s). Needed to merge a
    paper's font subsets (pdf/fonts.py), or when a return holds characters beyond those the
    shipped fonts are known to draw (render/coverage.py)."""
    import fontTools.ttLib.tables._g_l_y_f

    return fontTools.ttLib


def font_subset() -> ModuleType:
    """fontTools.subset. Needed to embed a font a supplied PDF names but does not carry
    (pdf/substitute.py)."""
    import fontTools.subset

    return fontTools.subset


def word() -> tuple[ModuleType, ModuleType]:
    """docxtpl, and python-docx, which it brings (with lxml, about 0.15 s). Needed to write a
    Word paper (render/word.py)."""
    import docxtpl

    return docxtpl, _brought("docx")


def openpyxl() -> ModuleType:
    """openpyxl (about 0.15 s). Needed to read a return not read before (intake/workbook.py),
    or to write a form (round/forms.py)."""
    import openpyxl

    return openpyxl


def calamine() -> ModuleType:
    """python-calamine (about 0.01 s). Needed to read an .xls or .ods return (intake/plain.py)."""
    import python_calamine

    return python_calamine


def jinja2() -> ModuleType:
    """Jinja2 (about 0.045 s). Needed to write a paper's HTML or the pack's (render/html.py),
    or a message (mail/compose.py)."""
    import jinja2

    return jinja2


def processes() -> tuple[ModuleType, ModuleType]:
    """concurrent.futures with its process pool, and the multiprocessing it brings (about
    0.015 s). Needed only when worker processes start (machinery/workers.py), or a layout
    engine loads in one (render/layout.py)."""
    import concurrent.futures.process

    return concurrent.futures, _brought("multiprocessing")


def smtp() -> tuple[ModuleType, ModuleType]:
    """smtplib, and the ssl it brings (about 0.02 s). Needed only to send through a mail
    server (mail/smtp.py)."""
    import smtplib

    return smtplib, _brought("ssl")


def holidays() -> ModuleType:
    """holidays: the bank holidays of England and Wales (about 0.08 s, and 0.1 s more to
    list a year's). Needed to count clear days: to date an agenda, or to publish it."""
    import holidays

    return holidays


def for_a_rebuild() -> None:
    """Load now what a rebuild of changed papers needs in this process (the PDF library, the
    Word writer, the templates' engine, fonts, the bank holidays; the layout engine is the
    workers'): papers watch, idle between builds, so that its next build waits for none."""
    pikepdf()
    word()
    jinja2()
    font_tools()
    holidays()


@contextlib.contextmanager
def interrupt_held():
    """Ctrl-C held back until the block ends, then raised (in the main thread; elsewhere,
    nothing is held; and where Ctrl-C is ignored, as in a worker process, it stays ignored).

    For loading compiled extensions: pikepdf 10's (nanobind) aborts the whole process, with a
    traceback, when a KeyboardInterrupt arrives while it creates its enums, instead of
    letting it stop the build cleanly (tests/test_lazy.py reproduces it, and says
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
