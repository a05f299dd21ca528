"""The lock held while this process forks (pipeline/machinery/forking.py): a worker forked as LibreOffice starts never holds it up."""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
import time

from docx import Document

from pipeline.machinery.forking import forking
from pipeline.machinery.workers import Workers
from pipeline.meeting.convert import Conversion
from support import needs_workers


@needs_workers
def test_workers_forked_while_programs_start_hold_none_of_them_up():
    # A build's LibreOffice starts in a thread while its workers start (the hang found
    # running the tests side by side: the workers, forked as it started, held open the pipe
    # it waits on, and the build waited for ever). Programs start over and over here, as the workers are started again and again.
    stop, started = threading.Event(), []

    def programs():
        while not stop.is_set():
            with forking:
                process = subprocess.Popen(["true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
            process.wait()
            started.append(process.pid)

    thread = threading.Thread(target=programs, daemon=True)
    thread.start()
    try:
        for attempt in range(10):
            workers = Workers()
            workers.start()
            try:
                before, deadline = len(started), time.monotonic() + 10
                while len(started) < before + 2 and time.monotonic() < deadline:
                    time.sleep(0.001)
                assert len(started) >= before + 2, f"a program was held up by the workers started on try {attempt + 1}"
            finally:
                workers.close()  # which lets a held-up program go on
    finally:
        stop.set()
        thread.join()


def test_libreoffice_is_started_only_while_no_other_fork_is_made(tmp_path, monkeypatch):
    stand_in = tmp_path / "bin" / "soffice"  # LibreOffice's part here: started, and done
    stand_in.parent.mkdir()
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    monkeypatch.setenv("PATH", f"{stand_in.parent}:/usr/bin:/bin")
    document = Document()
    document.add_paragraph("A paper.")
    document.save(tmp_path / "paper.docx")
    with forking:
        conversion = Conversion(tmp_path / "paper.docx", tmp_path / "kept", dt.datetime(2011, 3, 17, 12))
        assert not conversion.started.wait(0.5), "LibreOffice was started while another fork could be made"
    assert conversion.started.wait(10)
    assert "could not convert it" in conversion.result().message  # the stand-in wrote no PDF


def _forking_is_free(_) -> bool:
    return not forking.locked()


@needs_workers
def test_a_worker_may_fork_in_its_turn():
    # The workers are forked under the lock; in each, it is free.
    with Workers() as workers:
        results, _ = workers.map(_forking_is_free, [1, 2, 3, 4], helping=False)
    assert results == [True] * 4 and not forking.locked()
