"""A clerk's weeks on a copy of the sample meeting, every file and console line digested: the proof that a change changed nothing.

Runs papers from a checkout (``--repo``, this one by default) as an officer and a clerk
would, step by step: build, check, forms, send the paper, publish the agenda, a late item,
a corrected paper and a withdrawn one published as a supplement, the packs sent, an item
made exempt after publication, a return gone and chased, the next round started and built;
then the sample round on its own, built, sent and built again without a return. After each step it prints every file in the copy's inputs and output with its SHA-256, and
the step's exit status, console and errors, with what changes from run to run made
steady (the copy's own folder, a draft's date, message id and MIME boundaries, a form's
time of writing, the times a log or record notes, the retired folder's time stamp).

Run it on the code before and after a restructure and compare the two: any line that
differs is a change of behaviour.

    python scripts/clerks_weeks.py > after.txt
    git worktree add /tmp/before <commit> && python scripts/clerks_weeks.py --repo /tmp/before > before.txt
    diff before.txt after.txt
"""

from __future__ import annotations

import argparse
import email
import email.policy
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LATE_ITEM = """
[[item]]
number = "9"
title = "Locality working: a late report"
purpose = "decision"
paper = "papers/locality-working.md"
late = "The funding decision is due before the next meeting."
"""
LATE_PAPER = """+++
title = "Locality working: a late report"
+++
## Purpose

The committee is asked to note the locality working pilots, and to agree the next steps.
"""

# Made steady: what differs between two runs of the same code.
_STEADY = [
    (re.compile(rb"^Date: .*$", re.M), b"Date: <date>"),
    (re.compile(rb"^Message-ID: .*$", re.M), b"Message-ID: <id>"),
    (re.compile(rb"={15}\d+=="), b"<boundary>"),
    (re.compile(rb'"at": "[^"]*"'), b'"at": "<time>"'),
    (re.compile(rb'"recorded": "[^"]*"'), b'"recorded": "<time>"'),
    (re.compile(rb"retired/\d{4}-\d\d-\d\d-\d{6}"), b"retired/<stamp>"),
    (re.compile(rb"\(\d{2}:\d{2}:\d{2}\)"), b"(<time>)"),
]


def steady(data: bytes, work: Path) -> bytes:
    data = data.replace(str(work).encode(), b"<work>")
    for pattern, replacement in _STEADY:
        data = pattern.sub(replacement, data)
    return data


def workbook(data: bytes) -> bytes:
    """A workbook's parts, its time of writing (which openpyxl stamps it with) taken out."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        parts = [(name, book.read(name)) for name in sorted(book.namelist())]
    return b"".join(name.encode() + b"\0" + re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\w+>", b"", part)
                    for name, part in parts)


def message(data: bytes, work: Path) -> bytes:
    """A draft's headers and parts, made steady, a workbook attached digested as :func:`workbook` does."""
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    out = [steady(f"{key}: {value}".encode(), work) for key, value in parsed.items()]
    for part in parsed.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        if (part.get_filename() or "").endswith(".xlsx"):
            payload = workbook(payload)
        out.append(f"{part.get_content_type()} {part.get_filename()} ".encode() + hashlib.sha256(payload).digest())
    return b"\n".join(out)


def files(work: Path) -> list[str]:
    """Every file under the copy, with its digest (made steady where it must be)."""
    lines = []
    for path in sorted(work.rglob("*")):
        if not path.is_file() or "/.cache/" in f"/{path.relative_to(work)}/":
            continue
        data = path.read_bytes()
        if path.suffix == ".eml":
            data = message(data, work)
        elif path.suffix == ".xlsx":
            data = workbook(data)
        elif path.suffix in (".log", ".json"):
            data = steady(data, work)
        name = steady(str(path.relative_to(work)).encode(), work).decode()
        lines.append(f"  {hashlib.sha256(data).hexdigest()[:16]}  {name}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout whose papers to run (default: this one)")
    parser.add_argument("--python", default=sys.executable, help="the Python with papers' dependencies")
    args = parser.parse_args()
    repo = args.repo.resolve()
    with tempfile.TemporaryDirectory(prefix="clerks-weeks-") as temporary:
        work = Path(temporary)
        inputs, output = work / "inputs", work / "output"
        shutil.copytree(repo / "inputs", inputs)
        env = {k: v for k, v in os.environ.items() if k not in ("PAPERS_VIA_MAKE", "SOURCE_DATE_EPOCH")}
        meeting = inputs / "meeting.toml"

        def run(step: str, *command: str) -> None:
            done = subprocess.run([args.python, "-m", "pipeline", *command], cwd=repo, env=env, capture_output=True,
                                  stdin=subprocess.DEVNULL, timeout=600)
            print(f"== {step}: papers {' '.join(steady(c.encode(), work).decode() for c in command)} → {done.returncode}")
            for stream, text in (("out", done.stdout), ("err", done.stderr)):
                for line in steady(text, work).decode("utf-8", "replace").splitlines():
                    print(f"  {stream}| {line}")
            print("\n".join(files(work)))
            sys.stdout.flush()

        def edit(change) -> None:
            meeting.write_text(change(meeting.read_text(encoding="utf-8")), encoding="utf-8")

        common = ("--inputs", str(inputs), "--output", str(output))
        run("build the agenda", "papers", *common)
        run("nothing changed", "papers", *common)
        run("check", "check", *common, "--today", "2011-02-25")
        run("forms", "forms", "--inputs", str(inputs), "--output", str(output / "forms"))
        run("send the paper, dry run", "send", *common, "--dry-run")
        run("send the paper as drafts", "send", *common)
        run("publish a day early", "publish", *common, "--today", "2011-03-08")
        run("publish the agenda", "publish", *common, "--today", "2011-03-09")
        run("publish again", "publish", *common, "--today", "2011-03-09")

        (inputs / "papers" / "locality-working.md").write_text(LATE_PAPER, encoding="utf-8")
        corrected = inputs / "papers" / "update-from-the-partnerships-and-communities-team.md"
        corrected.write_text(corrected.read_text(encoding="utf-8") + "\nA sentence added in correction.\n",
                             encoding="utf-8")
        edit(lambda text: text.replace("# published = 2011-03-09", "published = 2011-03-10") + LATE_ITEM)
        edit(lambda text: text.replace('paper = "papers/progress-through-partnership-capacity-building.md"',
                                       'paper = "papers/progress-through-partnership-capacity-building.md"\n'
                                       'withdrawn = "The report is not ready."'))
        run("build the supplement", "papers", *common)
        run("publish the supplement", "publish", *common, "--today", "2011-03-10")
        run("send the packs, dry run", "send", *common, "--pack", "--dry-run")
        run("send the packs as drafts", "send", *common, "--pack")

        edit(lambda text: text.replace("published = 2011-03-10", "published = 2011-03-11").replace(
            'paper = "papers/south-east-employers-funding-for-lsp-capacity-building.md"',
            'paper = "papers/south-east-employers-funding-for-lsp-capacity-building.md"\nexempt = 3'))
        run("an item made exempt", "papers", *common)
        run("publish the exemption", "publish", *common, "--today", "2011-03-11")
        run("send the packs again", "send", *common, "--pack")

        (inputs / "WOSP.xlsx").rename(work / "WOSP.xlsx")
        run("a return gone", "check", *common, "--today", "2011-02-25")
        run("chase, dry run", "chase", *common, "--today", "2011-02-25", "--dry-run")
        run("chase as drafts", "chase", *common, "--today", "2011-02-25")
        run("chase drafts sent", "chase", *common, "--today", "2011-02-25", "--sent")
        run("chase again", "chase", *common, "--today", "2011-02-25")
        (work / "WOSP.xlsx").rename(inputs / "WOSP.xlsx")

        run("the next round", "new-round", *common, "--meeting", "2011-09-22", "--deadline", "2011-09-05")
        run("the next meeting built", "papers", *common)

        # A round on its own: the sample's returns without a meeting.toml.
        shutil.rmtree(work / "inputs")
        shutil.rmtree(work / "output")
        shutil.copytree(repo / "inputs", inputs, ignore=shutil.ignore_patterns("meeting.toml", "papers", "supplied"))
        run("a round on its own", "papers", *common)
        run("the round again", "papers", *common, "--verbose")
        run("the round sent as drafts", "send", *common)
        (inputs / "OSP.xlsx").unlink()
        run("a return taken away", "papers", *common)
        run("the round checked", "check", *common, "--today", "2011-02-25")
    return 0


if __name__ == "__main__":
    sys.exit(main())
