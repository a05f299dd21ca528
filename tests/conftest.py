"""The tests' fixtures: the sample's folders, the sample round built once, an SMTP server on loopback.

What tests share besides fixtures is in support.py."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from support import INPUTS, run_cli


@pytest.fixture
def round_dir(tmp_path: Path) -> Path:
    """A copy of the sample round's inputs, free to change: the partnership update report on
    its own, as a round's folder is without a meeting.toml."""
    target = tmp_path / "inputs"
    shutil.copytree(INPUTS, target)
    (target / "meeting.toml").unlink()
    shutil.rmtree(target / "papers")
    return target


@pytest.fixture
def meeting_dir(tmp_path: Path) -> Path:
    """A copy of the sample meeting's inputs (meeting.toml, its papers, the round), free to change."""
    target = tmp_path / "meeting"
    shutil.copytree(INPUTS, target)
    return target


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample round built once through the command line: (result, output folder)."""
    output = tmp_path_factory.mktemp("output")
    result = run_cli("papers", "--inputs", str(INPUTS), "--output", str(output))
    return result, output


@pytest.fixture(scope="session")
def built(sample_build):
    """The sample meeting built once (sample_build), which must have succeeded: its output folder."""
    result, output = sample_build
    assert result.returncode == 0, result.stdout + result.stderr
    return output


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
