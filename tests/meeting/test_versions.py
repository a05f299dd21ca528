"""The publication record (pipeline/meeting/versions.py): read as untrusted, and never written over."""

from __future__ import annotations

import json

import pytest

from support import run_cli

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
    assert (output / "publish" / f"{STEM}-supplement-1.pdf").is_file()
    refused = run_cli("publish", "--inputs", str(inputs), "--output", str(output))
    assert refused.returncode == 2 and "Not published: late item 2 gives no reason for urgency" in refused.stderr
    assert not (output / "versions" / STEM / "v2").exists()
