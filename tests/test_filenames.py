"""Output names safe whatever text they come from; files written whole or not at all."""

from __future__ import annotations

import pytest

from pipeline.filenames import slug, write_atomic


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Partnership update report", "partnership-update-report"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("Bell\x07 and\x00 null", "bell-and-null"),
        ("...", "untitled"),
        ("x" * 300, "x" * 80),
    ],
)
def test_slug_is_a_safe_file_name(text, expected):
    assert slug(text) == expected


def test_write_atomic_replaces_whole_and_leaves_no_part_file(tmp_path):
    target = tmp_path / "out" / "paper.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["paper.pdf"]


def test_a_failed_write_leaves_the_old_file_and_no_debris(tmp_path):
    target = tmp_path / "paper.pdf"
    write_atomic(target, b"good")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["paper.pdf"]
