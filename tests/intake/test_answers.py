"""Answer parsing: bullets, nesting, numbering and formatting runs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.intake.answers import parse_answer, parse_text
from pipeline.records.rich_text import BlockKind, NumberFormat, Run


def shape(blocks):
    return [(b.kind.value, b.level, b.text) for b in blocks]


def test_bullets_in_one_cell_with_line_breaks():
    assert shape(parse_text("• First point\n• Second point")) == [
        ("bullet", 0, "First point"),
        ("bullet", 0, "Second point"),
    ]


def test_nesting_by_indentation():
    blocks = parse_text("- Programme:\n    - web site\n    - broadband\n- Metrics")
    assert shape(blocks) == [
        ("bullet", 0, "Programme:"),
        ("bullet", 1, "web site"),
        ("bullet", 1, "broadband"),
        ("bullet", 0, "Metrics"),
    ]


def test_nesting_by_a_second_glyph_without_indentation():
    blocks = parse_text("• The summit will\n○ review the CSR\n○ discuss responses\n• Seven priorities")
    assert [b.level for b in blocks] == [0, 1, 1, 0]


def test_three_levels_and_no_deeper():
    blocks = parse_text("• a\n  • b\n    • c\n      • d")
    assert [b.level for b in blocks] == [0, 1, 2, 2]


def test_numbered_items_with_their_format_and_start():
    blocks = parse_text("1. one\n2. two\n3. three")
    assert [b.kind for b in blocks] == [BlockKind.NUMBER] * 3
    assert blocks[0].number_format is NumberFormat.DECIMAL and blocks[0].start == 1
    assert blocks[1].start is None  # only a list's first item carries its start

    letters = parse_text("a) alpha\nb) beta")
    assert letters[0].number_format is NumberFormat.LOWER_ALPHA
    roman = parse_text("i) first\nii) second\niii) third")
    assert [b.number_format for b in roman] == [NumberFormat.LOWER_ROMAN] * 3
    assert parse_text("3. carries on")[0].start == 3


def test_numbered_list_nested_under_a_bullet():
    blocks = parse_text("• Projects:\n    1. RUSH\n    2. William Carter Centre\nA progress report follows.")
    assert shape(blocks) == [
        ("bullet", 0, "Projects:"),
        ("number", 1, "RUSH"),
        ("number", 1, "William Carter Centre"),
        ("paragraph", 0, "A progress report follows."),
    ]


def test_plain_paragraphs_and_blank_lines():
    blocks = parse_text("First paragraph.\n\n   Second, indented.\n")
    assert shape(blocks) == [("paragraph", 0, "First paragraph."), ("paragraph", 0, "Second, indented.")]


def test_words_that_look_like_markers_are_text():
    blocks = parse_text("-1,905 reported crimes\no'clock meetings\n2011 was busy\ne.g. this")
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH] * 4
    assert blocks[0].text == "-1,905 reported crimes"


def test_runs_keep_bold_italic_underline_across_the_marker():
    cell = [Run("• "), Run("The review", underline=True), Run(" has begun, "), Run("see", bold=True, italic=True)]
    (block,) = parse_answer([(cell, 0)])
    assert block.kind is BlockKind.BULLET
    assert block.runs == (
        Run("The review", underline=True),
        Run(" has begun, "),
        Run("see", bold=True, italic=True),
    )


def test_a_bold_line_stays_bold_and_neighbouring_runs_merge():
    cell = [Run("Key programmes", bold=True), Run("\n• one"), Run(" and more")]
    blocks = parse_answer([(cell, 0)])
    assert blocks[0].runs == (Run("Key programmes", bold=True),)
    assert blocks[1].runs == (Run("one and more"),)


def test_one_item_per_row_with_cell_indent():
    cells = [([Run("• Parent")], 0), ([Run("• Child")], 4), ([Run("• Sibling")], 0)]
    assert [b.level for b in parse_answer(cells)] == [0, 1, 0]


words = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=12)
lines = st.lists(words, min_size=1, max_size=6).map(" ".join)
prefixes = st.sampled_from(["", "• ", "  ○ ", "- ", "1. ", "    2. ", "a) ", "\t* "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(prefixes, lines), min_size=1, max_size=8))
def test_every_word_typed_comes_out(items):
    text = "\n".join(prefix + line for prefix, line in items)
    out = " ".join(b.text for b in parse_text(text)).split()
    for _, line in items:
        for word in line.split():
            assert word in out
