"""The publication record (pipeline/meeting/versions.py): read as untrusted, and never written over."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from support import ROOT, cli_env, run_cli

STEM = "2011-03-17-cabinet"


def _late_item(inputs) -> None:
    path = inputs / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8") + '[[item]]\nnumber = "2"\ntitle = "Late"\n', encoding="utf-8")


@pytest.mark.parametrize("damage", ["not json", "outside", "changed copy", "no versions"])
def test_a_damaged_record_is_named_and_nothing_is_published_over_it(published_meeting, damage):
    inputs, output = published_meeting
    folder = output / "versions" / STEM
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    if damage == "not json":
        (folder / "record.json").write_text("{ half a record", encoding="utf-8")
    elif damage == "outside":
        record["versions"][0]["files"][0]["name"] = "../../../etc/passwd"
        (folder / "record.json").write_text(json.dumps(record), encoding="utf-8")
    elif damage == "changed copy":
        (folder / "v1" / f"{STEM}-pack.pdf").write_bytes(b"%PDF- not what was published")
    else:
        (folder / "record.json").write_text('{"format": 1}', encoding="utf-8")
    before = {p: p.read_bytes() for p in (output / "publish").iterdir()}
    _late_item(inputs)
    result = run_cli("papers", "--inputs", str(inputs), "--output", str(output))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "record.json: cannot be used" in result.stdout and "restore output/versions/ from your backup" in result.stdout
    assert {p: p.read_bytes() for p in (output / "publish").iterdir()} == before  # left as it was
    refused = run_cli("publish", "--inputs", str(inputs), "--output", str(output), "--today", "2011-03-09")
    assert refused.returncode == 2 and "Not published: the meeting's publication record cannot be used" in refused.stderr


def test_a_late_item_without_its_reason_is_named_and_still_supplemented(published_meeting):
    inputs, output = published_meeting
    _late_item(inputs)
    result = run_cli("papers", "--inputs", str(inputs), "--output", str(output))
    assert result.returncode == 1
    assert "meeting.toml item 2: is new since the agenda was published on 9 March 2011, and gives no reason for urgency" \
        in result.stdout
    # Built beside the papers; in the folder to publish only once it is published.
    assert (output / f"{STEM}-supplement-1.pdf").is_file() and not (output / "publish" / f"{STEM}-supplement-1.pdf").exists()
    refused = run_cli("publish", "--inputs", str(inputs), "--output", str(output))
    assert refused.returncode == 2 and "Not published: late item 2 gives no reason for urgency" in refused.stderr
    assert not (output / "versions" / STEM / "v2").exists()


@pytest.mark.parametrize("damage", ["versions emptied", "a pack outside", "a version lost", "a pipe", "a link"])
def test_a_record_that_lost_a_version_or_points_outside_is_refused_and_nothing_published_again(
        published_meeting, tmp_path, damage):
    inputs, output = published_meeting
    folder = output / "versions" / STEM
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if damage == "versions emptied":  # the next publish would have been "v1" again, over the copies kept
        record["versions"] = []
    elif damage == "a pack outside":
        record["versions"][0]["pack"] = "../../../elsewhere/pack.pdf"
    elif damage == "a version lost":  # v2 published, then taken out of the record
        shutil.copytree(folder / "v1", folder / "v2")
    if damage in ("versions emptied", "a pack outside"):
        (folder / "record.json").write_text(json.dumps(record), encoding="utf-8")
    elif damage == "a pipe":  # reading it would wait for ever
        (folder / "record.json").unlink()
        os.mkfifo(folder / "record.json")
    elif damage == "a link":  # papers would write the record, private pack and all, through it
        shutil.move(str(output / "versions"), str(elsewhere / "versions"))
        (output / "versions").symlink_to(elsewhere / "versions")
    kept = {p: p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()}
    _late_item(inputs)
    (inputs / "meeting.toml").write_text((inputs / "meeting.toml").read_text(encoding="utf-8") + 'late = "Urgent."\n',
                                         encoding="utf-8")
    result = run_cli("publish", "--inputs", str(inputs), "--output", str(output), "--today", "2011-03-10")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert ("versions: is a link where papers keeps its own" in said) if damage == "a link" else (
        "record.json: cannot be used" in said and "Not published: the meeting's publication record cannot be used" in said)
    assert {p: p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()} == kept  # nothing written through
    if damage != "a link":
        assert not (folder / "v2").exists() or damage == "a version lost"


_KILLED = """
import os, signal, sys
from pipeline.meeting import versions
from pipeline.cli import main

moment = sys.argv.pop(1)
write = versions.write_atomic


def write_then_die(path, data):
    write(path, data)
    if (moment == "copies" and path.parent.name.endswith(".part")) or (moment == "record" and path.name == "record.json"):
        os.kill(os.getpid(), signal.SIGKILL)


versions.write_atomic = write_then_die
sys.argv = ["papers", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("moment", ["copies", "record"])
def test_a_publish_killed_at_any_moment_leaves_the_record_before_or_after(published_meeting, moment, tmp_path):
    inputs, output = published_meeting
    folder = output / "versions" / STEM
    _late_item(inputs)
    (inputs / "meeting.toml").write_text((inputs / "meeting.toml").read_text(encoding="utf-8") + 'late = "Urgent."\n',
                                         encoding="utf-8")
    common = ("--inputs", str(inputs), "--output", str(output))
    # Killed, it leaves its temporary files (WeasyPrint's fonts) where the test's are cleared.
    killed = subprocess.run([sys.executable, "-c", _KILLED, moment, "publish", *common, "--today", "2011-03-10"],
                            cwd=ROOT, env=cli_env(TMPDIR=str(tmp_path)), capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert (folder / ".v2.part").is_dir()  # stopped between the copies and their place
    built = run_cli("papers", *common)
    assert not (folder / ".v2.part").exists(), built.stdout + built.stderr
    versions = json.loads((folder / "record.json").read_text(encoding="utf-8"))["versions"]
    if moment == "copies":  # never recorded: as if it had not begun, and published whole the next time
        assert [v["number"] for v in versions] == [1] and not (folder / "v2").exists()
        again = run_cli("publish", *common, "--today", "2011-03-10")
        assert again.returncode == 0 and "Published version 2" in again.stdout, again.stdout + again.stderr
    else:  # recorded: its copies moved into place, and nothing to publish again
        assert [v["number"] for v in versions] == [1, 2] and (folder / "v2" / f"{STEM}-supplement-1.pdf").is_file()
        again = run_cli("publish", *common, "--today", "2011-03-10")
        assert again.returncode == 0 and "Nothing new to publish" in again.stdout, again.stdout + again.stderr
