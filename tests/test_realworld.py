"""132 real workbooks from other producers dropped beside the sample round."""

from __future__ import annotations

import resource
import shutil

import pytest

from pipeline.intake.files import SPREADSHEET_SUFFIXES
from support import ROOT, run_cli

REALWORLD = ROOT.parent / "shared" / "realworld-spreadsheets"
STEM = "2011-03-17-partnership-update-report"

pytestmark = pytest.mark.skipif(
    not REALWORLD.is_dir(), reason="the collection of real workbooks from other producers (a folder beside the checkout, as the maintainers have it) is not here"
)


def test_every_real_world_workbook_is_reported_and_the_papers_still_build(round_dir, round_output):
    spreadsheets = sorted(p.name for p in REALWORLD.iterdir() if p.suffix.lower() in SPREADSHEET_SUFFIXES)
    assert len(spreadsheets) == 132
    for name in spreadsheets:
        shutil.copy(REALWORLD / name, round_dir / name)
    output = round_output  # the round built before they were dropped in

    result = run_cli("papers", "--inputs", str(round_dir), "--output", str(output))

    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert "12 of 12 returns received" in result.stdout
    problems = result.stdout.split("Problems (", 1)[1]
    unnamed = [name for name in spreadsheets if f"\n  {name}: " not in problems and f"\n  {name} [" not in problems]
    assert not unnamed, f"not reported: {unnamed}"
    assert (output / f"{STEM}.docx").stat().st_size > 0 and (output / f"{STEM}.pdf").stat().st_size > 0
    # Bounded memory: the largest child process so far (this build among them) stayed small.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1024, f"peak memory {peak_mb:.0f} MB"
