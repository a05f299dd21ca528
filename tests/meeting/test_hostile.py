"""A meeting's inputs are as untrusted as a return: hostile supplied files, papers and items each cost
their item alone, nothing of an exempt item reaches the published folder, names never collide or speak."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from pipeline.meeting.config import MAX_ITEMS, load_meeting
from support import INPUTS, active_content, docx_text, run_cli

PACK = "2011-03-17-strategy-and-partnerships-scrutiny-committee-pack.pdf"


def _pdf(path: Path, build=None, **save) -> str:
    document = pikepdf.new()
    document.add_blank_page()
    if build:
        build(document)
    document.save(path, **save)
    return path.name


def _everything_active(document: pikepdf.Pdf) -> None:
    document.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))
    page = document.pages[0].obj
    page.AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("app.alert(2)")))
    spec = document.make_indirect(Dictionary(Type=Name.Filespec, F=String("setup.exe"), EF=Dictionary(
        F=document.make_stream(b"MZ not really a program", Type=Name.EmbeddedFile))))
    files = pikepdf.NameTree.new(document)
    files["setup.exe"] = spec
    document.Root.Names = Dictionary(EmbeddedFiles=files.obj)
    page.Annots = Array([
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 9, 9], A=Dictionary(S=Name.Launch, F=String("calc.exe"))),
        Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 0, 9, 9], FS=spec),
    ])


def _no_parent_tree(document: pikepdf.Pdf) -> None:
    document.Root.StructTreeRoot = document.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
    document.Root.MarkInfo = Dictionary(Marked=True)


def _null_annotation(document: pikepdf.Pdf) -> None:
    document.pages[0].obj.Annots = Array([None])


def _add_items(meeting_dir: Path, text: str) -> None:
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The sample meeting with an item for each hostile supplied file or paper, built once."""
    meeting_dir = tmp_path_factory.mktemp("hostile") / "meeting"
    shutil.copytree(INPUTS, meeting_dir)
    supplied = meeting_dir / "supplied"
    locked = _pdf(supplied / "locked.pdf", encryption=pikepdf.Encryption(owner="o", user="secret", R=6))
    active = _pdf(supplied / "active.pdf", _everything_active)
    untagged_tree = _pdf(supplied / "no-parent-tree.pdf", _no_parent_tree)
    null = _pdf(supplied / "null-annotation.pdf", _null_annotation)
    (supplied / "web-page.docx").write_text("<html><img src='http://127.0.0.1:9/x.png'></html>", encoding="utf-8")
    papers = meeting_dir / "papers"
    (papers / "long.md").write_text('+++\ntitle = "' + "Partnership funding " * 15 + '"\n+++\nText.\n', encoding="utf-8")
    for name in ("one.md", "two.md"):
        (papers / name).write_text('+++\ntitle = "Budget"\n+++\nText of ' + name + ".\n", encoding="utf-8")
    _add_items(meeting_dir, f"""
[[item]]
number = "9"
title = "Locked appendix"
appendices = ["supplied/{locked}"]

[[item]]
number = "10"
title = "Active content"
paper = "supplied/{active}"

[[item]]
number = "11"
title = "A tree without a parent tree"
paper = "supplied/{untagged_tree}"

[[item]]
number = "12"
title = "A null annotation"
paper = "supplied/{null}"

[[item]]
number = "13"
title = "A long title"
paper = "papers/long.md"

[[item]]
number = "14"
title = "A web page named .docx"
paper = "supplied/web-page.docx"

[[item]]
number = "15"
title = "Contract award"
exempt = 3
appendices = ["supplied/progress-through-partnership-strands.pdf"]

[[item]]
number = "16a"
title = "Budget"
paper = "papers/one.md"

[[item]]
number = "16A"
title = "Budget again"
paper = "papers/two.md"

[[item]]
number = "17"
title = "Budget, the second paper"
paper = "papers/two.md"

[[item]]
number = "18"
title = {{ a = 1 }}

[[item]]
number = "19"
title = "A paper whose name speaks"
paper = "papers/\\u001b[31mred.md"
""")
    output = meeting_dir.parent / "out"
    return run_cli("papers", "--inputs", str(meeting_dir), "--output", str(output)), output


def test_each_hostile_file_costs_its_item_alone(hostile):
    result, output = hostile
    assert result.returncode == 1, result.stderr  # papers made, with problems: not 2
    assert "Traceback" not in result.stderr + result.stdout
    out = result.stdout
    assert re.search(r"locked\.pdf: needs a password to open, so it is left out of the pack\n.*without a password", out)
    assert "web-page.docx: is not a Word document (.docx)" in out
    assert "active.pdf: held content that could act when the pack is opened, which was taken out" in out
    assert "no-parent-tree.pdf: was damaged, and was mended for the pack: a damaged structure tree" in out
    assert "null-annotation.pdf: was damaged, and was mended for the pack: damaged annotations" in out
    assert (output / PACK).is_file()
    long_paper = [p for p in output.glob("2011-03-17-partnership-funding-*.docx")]
    assert long_paper, "the paper with a 300-character title is built"


def test_the_pack_carries_no_active_content(hostile):
    _, output = hostile
    assert active_content((output / PACK).read_bytes()) == set()
    with pikepdf.open(output / PACK) as pack:
        text = b"".join(obj.read_raw_bytes() for obj in pack.objects if isinstance(obj, pikepdf.Stream))
    assert b"MZ not really a program" not in text


def test_what_the_active_appendix_held_is_named_in_the_check(hostile):
    result, _ = hostile
    line = next(l for l in result.stdout.splitlines() if "active.pdf: held content" in l)
    for what in ("an action run on opening", "actions run when a page is shown", "embedded files",
                 "an action that starts a program"):
        assert what in line, (what, line)


# --- nothing private published ---------------------------------------------------------


def _published(output: Path) -> list[tuple[str, bytes]]:
    """Every file in the output folder but the private folder, the cache's included: its name,
    and its bytes (a PDF's and a Word file's text, as well)."""
    found = []
    for path in sorted(output.rglob("*")):
        if not path.is_file() or "private" in path.relative_to(output).parts:
            continue
        data = path.read_bytes()
        if path.suffix == ".pdf":
            data += subprocess.run(["pdftotext", str(path), "-"], capture_output=True).stdout
        elif path.suffix == ".docx":
            data += docx_text(path).encode()
        found.append((str(path.relative_to(output)), data))
    return found


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed (apt-get install poppler-utils)")
def test_nothing_of_an_exempt_item_is_in_the_published_folder(meeting_dir, tmp_path):
    text = (meeting_dir / "meeting.toml").read_text(encoding="utf-8")
    # Item 6 exempt, listed on the public agenda as "Funding bid"; the partnership round exempt
    # too, so that every return's text is private.
    text = text.replace('title = "South East Employers: funding for LSP capacity building"', 'title = "Funding bid"')
    text = text.replace('paper = "papers/south-east-employers-funding-for-lsp-capacity-building.md"',
                        'paper = "papers/south-east-employers-funding-for-lsp-capacity-building.md"\nexempt = 3')
    text = text.replace('\npaper = "paper.toml"\n', '\npaper = "paper.toml"\nexempt = 1\n')
    (meeting_dir / "meeting.toml").write_text(text, encoding="utf-8")
    output = tmp_path / "out"
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(output))
    assert result.returncode in (0, 1), result.stderr
    # The paper's own title (in its file names, its manifest's name), its words, its author;
    # the returns' partnerships and officers.
    secrets = [b"south-east-employers", b"South East Employers", b"LSPs are becoming increasingly important",
               b"Claire Evans", b"Emma Morris", b"emma.morris"]
    published = _published(output)
    assert any(name.endswith("-agenda.html") for name, _ in published)
    for name, data in published:
        for secret in secrets:
            assert secret.decode().lower() not in name.lower(), name
            assert secret not in data, (name, secret)
    assert list((output / "private" / ".cache" / "intake").glob("*.json")), "the returns' intake is kept privately"


def test_a_file_listed_under_an_exempt_and_a_public_item_is_not_published(hostile):
    result, output = hostile
    assert "lists progress-through-partnership-strands.pdf, which an exempt item lists too" in result.stdout
    with pikepdf.open(output / PACK) as pack:
        with pack.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert not any("appendix" in title for title in titles), titles
    assert (output / "private" / PACK.replace("pack.pdf", "private-pack.pdf")).is_file()


# --- names ------------------------------------------------------------------------------


def test_names_never_collide_and_never_speak(hostile):
    result, output = hostile
    assert "has the number 16A, which another item has" in result.stdout
    assert "has a number or title that is not text" in result.stdout and "{'a': 1}" not in result.stdout
    assert "\x1b" not in result.stdout + result.stderr
    assert "papers/\ufffd[31mred.md" in result.stdout
    # Two papers of the same title and date: both kept, the second named by its item.
    assert "two.md: has the same title as item 16a's paper" in result.stdout
    one, two = output / "2011-03-17-budget.pdf", output / "2011-03-17-budget-item-17.pdf"
    assert one.is_file() and two.is_file()
    assert "Text of one.md" in (output / "2011-03-17-budget.html").read_text(encoding="utf-8")
    assert "Text of two.md" in (output / "2011-03-17-budget-item-17.html").read_text(encoding="utf-8")
    agenda = (output / "2011-03-17-strategy-and-partnerships-scrutiny-committee-agenda.html").read_text(encoding="utf-8")
    assert "2011-03-17-budget-item-17.html" in agenda


def test_too_many_items_are_refused_past_the_limit(meeting_dir):
    _add_items(meeting_dir, "".join(f'\n[[item]]\nnumber = "x{n}"\ntitle = "Item {n}"\n' for n in range(MAX_ITEMS + 50)))
    meeting = load_meeting(meeting_dir)
    assert len(meeting.items) == MAX_ITEMS
    assert sum("is more than the" in p.message for p in meeting.problems) == 1
