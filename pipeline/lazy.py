"""The modules papers loads only once a build needs them: the one place an import waits.

A build with nothing to do says "Up to date" in a tenth of a second or two, most of it
Python starting; each module below would add to that, and none of them is needed unless
something is read, laid out or written. Everywhere else, imports are at the top of the
module (a test holds the package to that). Times are the import's own, measured on this
project's 2-core machine.
"""

from __future__ import annotations

from types import ModuleType


class SystemLibraryMissing(Exception):
    """WeasyPrint cannot run because a system library (Pango) is missing."""


def layout() -> ModuleType:
    """render.layout: WeasyPrint (about 0.35 s, half of it cffi parsing Pango's C
    declarations), and the pdf package with it. Needed only to lay something out."""
    try:
        from pipeline.render import layout as module
    except OSError as error:  # raised when Pango or its friends cannot be loaded
        raise SystemLibraryMissing(
            f"WeasyPrint could not load a system library ({error}). Install Pango: "
            "on Debian or Ubuntu, sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0; "
            "on macOS, brew install pango"
        ) from error
    return module


def holidays() -> ModuleType:
    """holidays: the bank holidays of England and Wales (about 0.08 s, and 0.1 s more to
    list a year's). Needed to count clear days: to date an agenda, or to publish it."""
    import holidays as module

    return module


def pdf() -> ModuleType:
    """The pdf package: pikepdf and fontTools (about 0.15 s). Needed to put parts together,
    or to read a supplied PDF not read before."""
    from pipeline import pdf as module

    return module


def word() -> ModuleType:
    """render.word: docxtpl, python-docx and lxml (about 0.15 s). Needed to write a Word paper."""
    from pipeline.render import word as module

    return module


def reader() -> ModuleType:
    """intake.reader: openpyxl and python-calamine (about 0.15 s). Needed to read a return
    not read before."""
    from pipeline.intake import reader as module

    return module


def forms() -> ModuleType:
    """forms: openpyxl (about 0.15 s). Needed to write a form, or a reminder that carries one."""
    from pipeline import forms as module

    return module


def font_reader() -> ModuleType:
    """fontTools.ttLib (about 0.05 s). Needed only when a return holds characters beyond
    those the shipped fonts are known to draw (render/coverage.py)."""
    from fontTools import ttLib

    return ttLib


def futures() -> ModuleType:
    """concurrent.futures, with its process pool (about 0.015 s, multiprocessing with it).
    Needed only when worker processes start (workers.py)."""
    import concurrent.futures.process

    return concurrent.futures


def processes() -> ModuleType:
    """multiprocessing (loaded with :func:`futures`). Needed only when worker processes start."""
    import multiprocessing

    return multiprocessing


def html() -> ModuleType:
    """render.html: Jinja2 and MarkupSafe (about 0.045 s). Needed to write a paper's HTML,
    or the pack's."""
    from pipeline.render import html as module

    return module


def agenda() -> ModuleType:
    """render.agenda: the agenda's HTML (Jinja2, as :func:`html`). Needed to make a pack or
    the meeting's page."""
    from pipeline.render import agenda as module

    return module


def new_round() -> ModuleType:
    """new_round: starting a round (openpyxl, to write the forms). Needed only by new-round."""
    from pipeline import new_round as module

    return module


def mail() -> ModuleType:
    """send: Jinja2, smtplib, ssl and email (about 0.06 s). Needed only by the commands that
    send (send, chase)."""
    from pipeline import send as module

    return module


def agenda_mail() -> ModuleType:
    """send_agenda: sending the published agenda and supplements (the mailer, as :func:`mail`)."""
    from pipeline import send_agenda as module

    return module


def chasing() -> ModuleType:
    """chase: the reminders (and, through send, what mail needs). Needed only by ``chase``."""
    from pipeline import chase as module

    return module
