"""Incremental builds: only what changed is redone, and nothing stale is ever served."""

from __future__ import annotations

import json
import pathlib
import pickle
import shutil
from pathlib import Path

from openpyxl import load_workbook

from pipeline.filenames import TEMPLATES
from pipeline.intake import read_return
from pipeline.machinery import record_json as records
from pipeline.machinery.cache import PACKAGE, Cache, code_fingerprint
from pipeline.round.build import build_round
from support import NOW, QUESTIONS, untagged_pdf

STEM = "2011-03-17-partnership-update-report"
SUFFIXES = (".docx", ".pdf", ".html", "-check.txt")


def outputs(folder: Path) -> dict[str, bytes]:
    return {s: (folder / f"{STEM}{s}").read_bytes() for s in SUFFIXES}


def test_nothing_changed_reuses_the_papers_untouched(round_dir, round_output):
    output = round_output
    before = {s: (output / f"{STEM}{s}").stat().st_mtime_ns for s in SUFFIXES}
    again = build_round(round_dir, output, NOW)
    assert not again.rebuilt
    assert {s: (output / f"{STEM}{s}").stat().st_mtime_ns for s in SUFFIXES} == before


def test_one_changed_return_rebuilds_exactly_as_a_clean_build(round_dir, round_output, tmp_path):
    output = round_output
    first = outputs(output)
    path = round_dir / "Vale Partnership.xlsx"
    book = load_workbook(path, rich_text=True)
    book["Return"]["B10"] = "Cllr Jane Newchair"
    book.save(path)

    rebuilt = build_round(round_dir, output, NOW)
    assert rebuilt.rebuilt
    assert b"Cllr Jane Newchair" in outputs(output)[".html"]
    clean = tmp_path / "clean"
    build_round(round_dir, clean, NOW)
    assert outputs(output) == outputs(clean)
    assert outputs(output)[".pdf"] != first[".pdf"]


def test_a_changed_setting_rebuilds(round_dir, round_output):
    output = round_output
    paper = round_dir / "paper.toml"
    paper.write_text(paper.read_text().replace('title = "Partnership update report"', 'title = "Partnership update report"\nagenda_item = "7"'))
    assert build_round(round_dir, output, NOW).rebuilt
    assert b"Agenda item 7" in outputs(output)[".html"]


def test_a_changed_template_rebuilds(round_dir, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    output = tmp_path / "out"
    build_round(round_dir, output, NOW, templates)
    css = templates / "report.css"
    css.write_text(css.read_text().replace("#dde4ee", "#ffe4b5"))
    assert build_round(round_dir, output, NOW, templates).rebuilt
    assert b"#ffe4b5" in outputs(output)[".html"]


def test_a_changed_version_of_papers_invalidates_everything(round_output, tmp_path):
    package = tmp_path / "pipeline"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_fingerprint(package)
    (package / "round" / "collate.py").write_text((package / "round" / "collate.py").read_text() + "\n# a change\n")
    assert code_fingerprint(package) != before

    # The key of the same round under the changed code is not the one the outputs were
    # built with, so they are not taken as current.
    output = round_output
    files = [output / f"{STEM}{s}" for s in SUFFIXES]
    current, newer = Cache(output, TEMPLATES), Cache(output, TEMPLATES, code=code_fingerprint(package))
    assert newer.render_key("same round") != current.render_key("same round")
    assert not newer.outputs_current(newer.render_key("same round"), files, STEM)


def test_a_damaged_or_missing_output_is_rebuilt(round_dir, round_output):
    output = round_output
    clean = outputs(output)
    (output / f"{STEM}.pdf").write_bytes(b"%PDF-1.7 truncated")
    assert build_round(round_dir, output, NOW).rebuilt
    (output / f"{STEM}.docx").unlink()
    assert build_round(round_dir, output, NOW).rebuilt
    assert outputs(output) == clean


def test_a_damaged_intake_entry_is_read_again(round_dir, round_output):
    output = round_output
    clean = outputs(output)
    entries = sorted((output / ".cache" / "intake").glob("*.json"))
    assert len(entries) == 12
    for entry in entries:
        entry.write_bytes(b"not a record")
    (output / ".cache" / f"manifest-{STEM}.json").unlink()
    assert build_round(round_dir, output, NOW).rebuilt
    assert outputs(output) == clean


def test_entries_for_returns_taken_away_are_pruned(round_dir, round_output):
    output = round_output
    assert len(list((output / ".cache" / "intake").glob("*.json"))) == 12
    (round_dir / "OSP.xlsx").unlink()
    build_round(round_dir, output, NOW)
    assert len(list((output / ".cache" / "intake").glob("*.json"))) == 11


class _Planted:
    """What a pickle would run on loading: here, it writes a file."""

    def __reduce__(self):
        return (pathlib.Path.write_text, (pathlib.Path(_PLANTED), "ran"))


_PLANTED = ""


def test_a_planted_cache_entry_runs_nothing(round_dir, round_output, tmp_path):
    # Someone who can write to a shared output folder plants an entry that would run code
    # if it were unpickled; the build reads the workbook instead, and nothing runs.
    global _PLANTED
    output = round_output
    clean = outputs(output)
    _PLANTED = str(tmp_path / "ran.txt")
    for entry in (output / ".cache" / "intake").glob("*.json"):
        entry.write_bytes(pickle.dumps(_Planted()))
        entry.with_suffix(".pickle").write_bytes(pickle.dumps(_Planted()))
    (output / ".cache" / f"manifest-{STEM}.json").unlink()
    assert build_round(round_dir, output, NOW).rebuilt
    assert outputs(output) == clean
    assert not (tmp_path / "ran.txt").exists()
    assert not list((output / ".cache" / "intake").glob("*.pickle"))  # pruned


def test_a_record_round_trips_through_json(round_dir):
    for path in sorted(round_dir.glob("*.xlsx")):
        result = read_return(path, QUESTIONS)
        assert records.loads(records.dumps(result)) == result




def test_a_supplied_pdfs_copy_beside_the_page_is_made_once_and_a_tampered_one_again(tmp_path):
    """cache.alone: the copy published beside the meeting's page is kept by digest (a rebuild
    for one changed paper does not make every copy again); one changed in the cache, which is
    as untrusted as the output folder, is made again, never published."""
    cache = Cache(tmp_path, TEMPLATES)
    data = untagged_pdf("An appendix")
    made, tagged = cache.alone(data, "Item 5, appendix 1")
    assert made.startswith(b"%PDF") and tagged is False
    (kept,) = (tmp_path / ".cache" / "alone").glob("*.pdf")
    assert Cache(tmp_path, TEMPLATES).alone(data, "Item 5, appendix 1") == (made, False)
    kept.write_bytes(b"%PDF-1.7 tampered")
    assert Cache(tmp_path, TEMPLATES).alone(data, "Item 5, appendix 1") == (made, False)
    assert kept.read_bytes() == made


def test_a_pdfs_page_count_is_kept_by_its_digest_and_a_damaged_record_ignored(tmp_path):
    """cache.pages: a PDF counted once is not opened again to be counted by the next build
    (what a late correction to a large pack saves); a record of counts that is not one is
    ignored, each PDF counted afresh."""
    data = untagged_pdf("An appendix")
    cache = Cache(tmp_path, TEMPLATES)
    assert cache.pages(data, tmp_path) == 1 and cache.pages(b"not a PDF", tmp_path) == 0
    cache.prune()
    record = tmp_path / ".cache" / "pages.json"
    assert len(json.loads(record.read_text(encoding="utf-8"))) == 2
    assert Cache(tmp_path, TEMPLATES).pages(data, tmp_path) == 1
    for damaged in (b"[1, 2]", b"{\"x\": 3}", b"\xff\xfe", b""):
        record.write_bytes(damaged)
        assert Cache(tmp_path, TEMPLATES).pages(data, tmp_path) == 1
