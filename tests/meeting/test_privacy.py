"""Nothing of an exempt item left outside the private folder (pipeline/meeting/privacy.py): what was made of
it while it was public, and drafts that carry it, moved in the moment it is exempt, and said."""

from __future__ import annotations

from pathlib import Path

from support import CABINET_LIST, every_text, run_cli, untagged_pdf

STEM = "2011-03-17-cabinet"
SECRET = "The ledger of the Quince Road sale"
MEETING = """committee = "Cabinet"
date = 2011-03-17
published = 2011-03-09

[mail]
from = "Committee clerk <clerk@example.org>"

""" + CABINET_LIST + """
[[item]]
number = "1"
title = "Apologies"

[[item]]
number = "2"
title = "Quince Road"
paper = "papers/quince.md"
appendices = ["supplied/quince-valuation.pdf"]
"""


def _meeting(folder: Path, pdf: bytes) -> tuple[Path, Path]:
    inputs, output = folder / "inputs", folder / "output"
    (inputs / "papers").mkdir(parents=True)
    (inputs / "supplied").mkdir()
    (inputs / "meeting.toml").write_text(MEETING, encoding="utf-8")
    (inputs / "papers" / "quince.md").write_text(f'+++\ntitle = "Quince Road"\n+++\n{SECRET}.\n', encoding="utf-8")
    (inputs / "supplied" / "quince-valuation.pdf").write_bytes(pdf)
    return inputs, output


def test_an_item_made_exempt_after_publication_leaves_nothing_of_it_outside_the_private_folder(tmp_path):
    inputs, output = _meeting(tmp_path, untagged_pdf(f"{SECRET}: the valuation"))
    common = ("--inputs", str(inputs), "--output", str(output))
    assert run_cli("publish", *common, "--today", "2011-03-09").returncode == 0
    drafted = run_cli("send", *common, "--pack")
    assert drafted.returncode == 0, drafted.stdout + drafted.stderr
    assert sorted(p.name for p in (output / "outbox" / "agenda").glob("*.eml")) == ["cllr-ann-able-v1.eml",
                                                                                  "press-desk-v1.eml"]

    (inputs / "meeting.toml").write_text(MEETING.replace('title = "Quince Road"', 'title = "Quince Road"\nexempt = 3'),
                                         encoding="utf-8")
    built = run_cli("papers", *common)
    assert built.returncode == 1, built.stdout + built.stderr  # the published pack holds it: take it down
    # The press's draft of the agenda pack is moved in, and said; the member's, entitled, stays.
    assert sorted(p.name for p in (output / "outbox" / "agenda").glob("*.eml")) == ["cllr-ann-able-v1.eml"]
    assert "press-desk-v1.eml: a draft to press@example.org carries 2011-03-17-cabinet-pack.pdf" in built.stdout
    assert "do not send or upload it" in built.stdout
    # Its paper's files, their manifest and parts, and its appendix's copy, made while public, moved in.
    for name in ("2011-03-17-quince-road.pdf", "2011-03-17-quince-road.docx", "2011-03-17-quince-road.html",
                 f"{STEM}-item-2-appendix-1.pdf"):
        assert not (output / name).exists() and f"{name}: item 2 is exempt" in built.stdout, name
    # Nothing outside the private folder holds a word of it (the record keeps what was
    # published, as published, in output/versions/, which is never uploaded).
    leaks = [path for path, text in every_text(output, leaving_out="private") if SECRET in text
             and path.relative_to(output).parts[0] != "versions" and path.name != "cllr-ann-able-v1.eml"]
    assert leaks == []
    # The public check report says only how many problems the exempt item has, and where.
    report = (output / f"{STEM}-check.txt").read_text(encoding="utf-8")
    assert "is a PDF without tags" not in report and "quince-road.pdf" not in report
    assert "has 1" in report and "named in the private check report, private/2011-03-17-cabinet-check.txt" in report
    private = (output / "private" / f"{STEM}-check.txt").read_text(encoding="utf-8")
    assert "appendix 1: Quince valuation: is a PDF without tags" in private


def test_two_items_made_exempt_at_once_whose_papers_share_parts_are_both_moved_in(tmp_path):
    inputs, output = _meeting(tmp_path, untagged_pdf("A valuation"))
    (inputs / "papers" / "library.md").write_text('+++\ntitle = "Library hours"\n+++\nNine to five.\n', encoding="utf-8")
    two = MEETING + '\n[[item]]\nnumber = "3"\ntitle = "Library hours"\npaper = "papers/library.md"\n'
    (inputs / "meeting.toml").write_text(two, encoding="utf-8")
    common = ("--inputs", str(inputs), "--output", str(output))
    assert run_cli("papers", *common).returncode == 0
    # Two one-page papers of one meeting: their page furniture is one laid-out part, in both manifests.
    (inputs / "meeting.toml").write_text(two.replace('.md"\n', '.md"\nexempt = 3\n'), encoding="utf-8")
    built = run_cli("papers", *common)
    assert built.returncode == 0 and "Cannot write" not in built.stdout + built.stderr, built.stdout + built.stderr
    assert [p.name for p in output.glob("*.pdf")] == [f"{STEM}-pack.pdf"]  # the agenda, with neither paper
    assert {p.name for p in (output / "private").glob("*.pdf")} == {
        "2011-03-17-quince-road.pdf", "2011-03-17-library-hours.pdf", f"{STEM}-private-pack.pdf"}


def test_a_draft_of_the_round_s_paper_goes_private_when_its_item_is_exempt(meeting_dir, warm_output):
    drafted = run_cli("send", "--inputs", str(meeting_dir), "--output", str(warm_output))
    assert drafted.returncode == 0, drafted.stdout + drafted.stderr
    assert len(list((warm_output / "outbox").glob("*.eml"))) == 3
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('\npaper = "paper.toml"', '\npaper = "paper.toml"\nexempt = 1'),
                    encoding="utf-8")
    built = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(warm_output))
    assert built.returncode == 0, built.stdout + built.stderr
    assert list((warm_output / "outbox").glob("*.eml")) == []
    assert built.stdout.count("carries item 3's paper, exempt: moved into the private folder") == 3
    # The returns' intake, kept in the public cache while the round was public, is gone from it.
    assert not list((warm_output / ".cache" / "intake").glob("*.json"))
