"""Shared fixtures: the sample round built once, workbooks made inline, outputs read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
QUESTIONS = (
    "What is the current focus for the Partnership?",
    "What has the Partnership achieved since the last update? (given in September 2010)",
    "What are your plans for the year ahead? (e.g. Membership changes, priorities)",
    "What do you think the role of the Partnership in the Big Society is?",
)


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


def cli_env(**extra: str) -> dict[str, str]:
    """The environment papers runs in here: as typed at a prompt, not through make (which
    `make test` would otherwise pass on), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PAPERS_VIA_MAKE"}
    return {**env, **extra}


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
        env=env or cli_env(), stdin=subprocess.DEVNULL,
    )


def make_workbook(path: Path, rows: list[list[object]], title: str = "Return") -> Path:
    """A workbook with one sheet holding ``rows`` from A1, written by openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """Every paragraph of a .docx in document order, tables included: (style id, text)."""
    document = Document(path)
    out = []
    for p in document.element.body.iter(qn("w:p")):
        style = p.pPr.pStyle.val if p.pPr is not None and p.pPr.pStyle is not None else "Normal"
        out.append((style, "".join(t.text or "" for t in p.iter(qn("w:t")))))
    return out


def docx_text(path: Path) -> str:
    return normalise(" ".join(text for _, text in docx_paragraphs(path)))


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


_RUNNING = re.compile(r"Page \d+ of \d+")
_REPEATED_HEAD = re.compile(r"\A\s*Partnership (?!returns\n)[^\n]*\n")  # not the heading "Partnership returns"


def pdf_text(path: Path, running_head: str = "") -> str:
    """The PDF's text with the running header and footer removed, whitespace folded."""
    pages = []
    for text in pdf_pages(path):
        # WeasyPrint breaks lines after a hyphen ("high-|tech"); the break is not a space.
        text = re.sub(r"-\n", "-", text)
        text = _RUNNING.sub(" ", text)
        if running_head:
            text = text.replace(running_head, " ")
        # A page that continues a partnership's table opens on its repeated head row
        # (an artifact, drawn again on each page); it is not the paper's text.
        text = _REPEATED_HEAD.sub(" ", text, count=1)
        # List markers are drawn, not content, and pypdf returns them out of order.
        text = re.sub("[•◦▪]", " ", text)
        pages.append(text)
    return normalise(" ".join(pages))


def normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui libreoffice-writer-nogui)",
)


def libreoffice_convert(files: list[Path], target: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert ``files`` with headless LibreOffice in one run; the converted files, in order."""
    outdir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    suffix = "." + target.split(":", 1)[0]
    converted = [outdir / (f.stem + suffix) for f in files]
    missing = [p.name for p in converted if not p.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout} {result.stderr}"
    return converted
