"""The covering report's Markdown: what is kept, what is dropped, and a warning for each."""

from __future__ import annotations

import pytest

from pipeline.intake.answers import parse_text
from pipeline.prose import MAX_CELLS, MAX_COLUMNS, read_report
from pipeline.records.rich_text import BlockKind, Delimiter
from pipeline.settings import ConfigError
from support import docx_text, run_cli

REPORT = """## Purpose

1. First numbered.
2. Second.

J. Smith will chair the meeting.

---

## Contact

Text ![the chart](chart.png) and more.

```
a code line
```

<div>an HTML block</div>

Kind regards
"""


def test_numbered_lists_are_numbered_and_sentences_stay_sentences():
    (section,), _, _ = read_report(REPORT)
    kinds = [(b.kind, b.start, b.delimiter, b.text) for b in section.blocks]
    assert kinds == [
        (BlockKind.NUMBER, 1, Delimiter.PERIOD, "First numbered."),
        (BlockKind.NUMBER, None, Delimiter.PERIOD, "Second."),
        (BlockKind.PARAGRAPH, None, None, "J. Smith will chair the meeting."),
    ]


def test_after_the_rule_what_is_kept_and_what_is_dropped_is_said():
    _, closing, problems = read_report(REPORT)
    assert [b.text for b in closing] == ["Contact", "Text  and more.", "a code line", "Kind regards"]
    assert closing[0].runs[0].bold  # the heading, as a bold paragraph
    said = {(p.source.cell, p.message.split(";")[0].split(" (")[0]) for p in problems}
    assert said == {
        ("line 10", "a heading after the '---' line is shown as a bold paragraph"),
        ("line 12", "a picture"),
        ("line 14", "a code block is shown as plain paragraphs"),
        ("line 18", "HTML is not put into the paper"),
    }


def test_a_sentence_starting_with_an_initial_is_not_a_list_item_in_an_answer():
    assert [b.kind for b in parse_text("J. Smith will chair the board.")] == [BlockKind.PARAGRAPH]
    assert [b.kind for b in parse_text("a. one\nb. two")] == [BlockKind.NUMBER] * 2


def test_the_check_report_carries_the_warnings(round_dir, tmp_path):
    (round_dir / "report.md").write_text(REPORT, encoding="utf-8")
    result = run_cli("papers", "--inputs", str(round_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "report.md line 12: a picture (chart.png) is not put into the paper" in result.stdout
    text = docx_text(tmp_path / "out" / "2011-03-17-partnership-update-report.docx")
    assert "J. Smith will chair the meeting." in text and "First numbered." in text


def _table(columns: int, rows: int) -> str:
    return "\n".join(["| " + " | ".join(f"C{c}" for c in range(columns)) + " |", "|" + "---|" * columns,
                      *("| " + " | ".join("1" for _ in range(columns)) + " |" for _ in range(rows))])


def test_a_table_wider_than_a_page_or_too_long_to_lay_out_is_refused_naming_its_line():
    # Laying out a 5,000-column table took 850 MB; a paper that holds one is refused before
    # that, with advice, and the meeting builds the rest (the caller's ConfigError).
    sections, _, _ = read_report(f"## Figures\n\n{_table(MAX_COLUMNS, MAX_CELLS // MAX_COLUMNS - 1)}\n", "wide.md")
    assert sections[0].blocks[0].kind is BlockKind.TABLE  # at the limits: accepted
    with pytest.raises(ConfigError) as wide:
        read_report(f"## Figures\n\nText.\n\n{_table(MAX_COLUMNS + 1, 2)}\n", "wide.md")
    problem = wide.value.problem
    assert (problem.source.file, problem.source.cell) == ("wide.md", "line 5")
    assert f"{MAX_COLUMNS + 1} columns" in problem.message and "appendix" in problem.advice
    with pytest.raises(ConfigError) as long:
        read_report(f"{_table(10, 400)}\n\n{_table(10, 200)}\n", "long.md")  # the two together
    assert "6,020 cells" in long.value.problem.message and long.value.problem.source.cell == "line 404"
