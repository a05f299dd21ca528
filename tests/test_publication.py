"""The folder a clerk publishes (pipeline/publication.py): exactly the current public papers, packs and
page; anything else moved out, where the clerk can find it, never deleted unseen."""

from __future__ import annotations

from pipeline.round.build import build_round
from support import NOW, run_cli

MEETING = "2011-03-17-strategy-and-partnerships-scrutiny-committee"
ITEM_6 = "2011-03-17-south-east-employers-funding-for-lsp-capacity-building"


def test_the_folder_holds_exactly_the_public_papers_packs_and_page(built):
    publish = built / "publish"
    names = sorted(p.name for p in publish.iterdir())
    papers = [p.name for p in built.iterdir() if p.suffix in (".pdf", ".docx", ".html", ".json")]
    assert names == sorted(papers)  # every public paper, the pack, the page and its data, the supplied paper it links to
    assert f"{MEETING}-pack.pdf" in names and f"{MEETING}-agenda.html" in names
    assert f"{MEETING}-item-8-comprehensive-area-assessment.pdf" in names
    assert not any(name.endswith("-check.txt") or name.startswith(".") for name in names)
    for name in names:
        assert (publish / name).read_bytes() == (built / name).read_bytes()


def test_an_item_made_exempt_leaves_the_folder_and_is_kept_where_the_clerk_can_find_it(meeting_dir, warm_output):
    output = warm_output  # the sample meeting built, its item 6 published
    assert (output / "publish" / f"{ITEM_6}.pdf").is_file()
    path = meeting_dir / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        f'paper = "papers/{ITEM_6[11:]}.md"', f'paper = "papers/{ITEM_6[11:]}.md"\nexempt = 3'), encoding="utf-8")
    result = run_cli("papers", "--inputs", str(meeting_dir), "--output", str(output))
    assert result.returncode == 0, result.stderr
    publish = sorted(p.name for p in (output / "publish").iterdir())
    assert not any(ITEM_6 in name for name in publish)
    # Moved where only the clerk looks: the private folder's retired one, as it was published.
    (retired,) = (output / "private" / "retired").iterdir()
    assert sorted(p.name for p in (retired / "publish").iterdir()) == sorted(f"{ITEM_6}{s}" for s in (".docx", ".html", ".pdf"))
    assert not (output / "retired").exists()
    # The pack and the page, corrected (they now list the item as exempt), are replaced.
    assert (output / "publish" / f"{MEETING}-pack.pdf").read_bytes() == (output / f"{MEETING}-pack.pdf").read_bytes()
    assert f"Moved out of {output / 'publish'}: {ITEM_6}.pdf" in result.stdout
    assert (output / "private" / f"{ITEM_6}.pdf").is_file()


def test_what_was_dropped_in_by_hand_is_moved_out_and_a_round_publishes_its_paper(round_dir, tmp_path):
    output = tmp_path / "out"
    build_round(round_dir, output, NOW)
    publish = output / "publish"
    assert sorted(p.name for p in publish.iterdir()) == [
        "2011-03-17-partnership-update-report.docx", "2011-03-17-partnership-update-report.html",
        "2011-03-17-partnership-update-report.pdf"]
    (publish / "notes.txt").write_text("private notes", encoding="utf-8")
    (publish / "2010-09-22-partnership-update-report.pdf").write_bytes(b"%PDF- last meeting's paper")
    (publish / "2011-03-17-partnership-update-report.pdf").write_bytes(b"%PDF- edited by hand")
    again = build_round(round_dir, output, NOW)
    assert not again.rebuilt and sorted(p.name for p in publish.iterdir()) == [
        "2011-03-17-partnership-update-report.docx", "2011-03-17-partnership-update-report.html",
        "2011-03-17-partnership-update-report.pdf"]
    assert (publish / "2011-03-17-partnership-update-report.pdf").read_bytes() == \
        (output / "2011-03-17-partnership-update-report.pdf").read_bytes()
    moved = sorted(p.name for p in again.publication.retired)
    assert moved == ["2010-09-22-partnership-update-report.pdf", "notes.txt"]  # the edited paper is put right
    assert (again.publication.retired[0].parent / "notes.txt").read_text(encoding="utf-8") == "private notes"
