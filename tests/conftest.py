"""The tests' fixtures: the sample's folders, the sample round built once, an SMTP server on loopback.

What tests share besides fixtures is in support.py."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from support import INPUTS, run_cli


def _round_inputs(folder: Path) -> Path:
    target = folder / "inputs"
    shutil.copytree(INPUTS, target)
    (target / "meeting.toml").unlink()
    shutil.rmtree(target / "papers")
    return target


@pytest.fixture
def round_dir(tmp_path: Path) -> Path:
    """A copy of the sample round's inputs, free to change: the partnership update report on
    its own, as a round's folder is without a meeting.toml."""
    return _round_inputs(tmp_path)


def _once(tmp_path_factory, name: str, make) -> Path:
    """A folder ``make`` fills, made once for the whole run: when the tests run side by side,
    the first test process to ask makes it and the others wait for it and share it, as
    pytest-xdist advises for session fixtures (each process has a temporary folder of its
    own under the run's, which they share). Run in one process, it is that process's own."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    run = tmp_path_factory.getbasetemp().parent
    folder = run / name
    with open(run / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released as the file closes: by the process that made it, or its end
        if not (folder / ".made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".made").touch()
    return folder


@pytest.fixture(scope="session")
def _round_built_once(tmp_path_factory) -> Path:
    """The sample round on its own (as round_dir has it) built once for the run through the
    command line: its output folder, to be copied, never changed."""
    def make(folder: Path) -> None:
        inputs = _round_inputs(folder)
        result = run_cli("papers", "--inputs", str(inputs), "--output", str(folder / "output"))
        assert result.returncode == 0, result.stdout + result.stderr

    return _once(tmp_path_factory, "round", make) / "output"


def _copy(folder: Path, tmp_path: Path) -> Path:
    """A copy of a session's built output folder in the test's own, free to change."""
    target = tmp_path / "out"
    shutil.copytree(folder, target)
    return target


@pytest.fixture
def round_output(_round_built_once, tmp_path) -> Path:
    """An output folder holding round_dir's papers as a build of it writes them, cache and
    all, free to change: for a test whose first step would be that build (a rebuild equals
    a clean build: tests/test_cache.py holds it to that)."""
    return _copy(_round_built_once, tmp_path)


@pytest.fixture
def meeting_dir(tmp_path: Path) -> Path:
    """A copy of the sample meeting's inputs (meeting.toml, its papers, the round), free to change."""
    target = tmp_path / "meeting"
    shutil.copytree(INPUTS, target)
    return target


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample meeting built once for the run through the command line: (what the command
    did, its output folder), never changed."""
    def make(folder: Path) -> None:
        result = run_cli("papers", "--inputs", str(INPUTS), "--output", str(folder / "output"))
        said = {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}
        (folder / "result.json").write_text(json.dumps(said), encoding="utf-8")

    folder = _once(tmp_path_factory, "sample", make)
    said = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    return subprocess.CompletedProcess(said.pop("args", ["papers"]), **said), folder / "output"


@pytest.fixture(scope="session")
def built(sample_build):
    """The sample meeting built once (sample_build), which must have succeeded: its output folder."""
    result, output = sample_build
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture
def warm_output(built, tmp_path) -> Path:
    """An output folder holding the sample meeting as ``built`` has it, its cache included,
    free to change: a build of a changed copy of the sample into it lays out only what
    changed and reuses the Word paper's conversion, as an officer's next build would (a
    rebuild equals a clean build: tests/test_assemble.py holds it to that)."""
    return _copy(built, tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """Start an SMTP server on loopback: smtp(handler, **controller_options) -> port."""
    controllers = []

    def start(handler, **options):
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="session")
def _published_once(tmp_path_factory):
    """A one-item meeting of the Cabinet on 17 March 2011, built and published as version 1
    once for the session: its inputs and output folders, to be copied, never changed."""
    root = tmp_path_factory.mktemp("published")
    inputs, output = root / "inputs", root / "output"
    inputs.mkdir()
    (inputs / "meeting.toml").write_text(
        'committee = "Cabinet"\ndate = 2011-03-17\npublished = 2011-03-09\nweb = "https://www.example.org/cabinet/"\n'
        '[mail]\nfrom = "Clerk <clerk@example.org>"\n'
        '[[recipient]]\nname = "Cllr Ann Able"\nemail = "ann@example.org"\nexempt = true\n'
        '[[recipient]]\nname = "Press desk"\nemail = "press@example.org"\n'
        '[[item]]\nnumber = "1"\ntitle = "Apologies"\n', encoding="utf-8")
    result = run_cli("publish", "--inputs", str(inputs), "--output", str(output), "--today", "2011-03-09")
    assert result.returncode == 0, result.stdout + result.stderr
    return inputs, output


@pytest.fixture
def published_meeting(_published_once, tmp_path):
    """A copy of the published one-item meeting (_published_once), free to change: its
    inputs and output folders."""
    copies = []
    for folder in _published_once:
        copies.append(tmp_path / folder.name)
        shutil.copytree(folder, copies[-1], symlinks=True)
    return tuple(copies)


@pytest.fixture
def paper_round(round_dir, sample_build, tmp_path):
    """Inputs whose mail settings a test writes, and an output folder holding the built paper."""
    _, built = sample_build
    output = tmp_path / "out"
    # The papers and the record of what built them, so send knows they are current; and the
    # meeting they were built for (the report is its item 3, and shows so).
    shutil.copytree(built, output)
    shutil.copy(INPUTS / "meeting.toml", round_dir)
    base = (round_dir / "paper.toml").read_text(encoding="utf-8").split("# How `make send`", 1)[0]

    def configure(mail: str, recipients: list[tuple[str, str]]) -> tuple[Path, Path]:
        people = "".join(f'\n[[recipient]]\nname = "{n}"\nemail = "{e}"\n' for n, e in recipients)
        (round_dir / "paper.toml").write_text(base + "\n" + mail + "\n" + people, encoding="utf-8")
        return round_dir, output

    return configure
