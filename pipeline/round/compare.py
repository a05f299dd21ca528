"""What changed in each partnership's return since the last report: its details, and each answer word by word.

Last round's returns are those ``make new-round`` put away in
``inputs/last-rounds/<last meeting>/`` (``previous_meeting`` in paper.toml names it). Each
is read and matched to its partnership as this round's are, and compared with this round's
return:

- what counts as a change is the words: an answer is read as its items' text, with the
  bullets and numbers the form's reader already took off, the bold and italic set aside,
  and every run of spaces and line breaks as one space — so a re-typed bullet or a new
  line is no change;
- the details (contact officer, contact details, chairman, cabinet member, date of
  completion) are compared as the paper prints them;
- each changed answer is compared word by word with :mod:`difflib` (Python's own: its
  ``SequenceMatcher`` gives the words kept, added and removed as plain operations each
  renderer can show in its own way; ``redlines``, the package that offers this, is built
  on it and hands back Markdown or HTML strings, which a Word file and a tagged PDF cannot
  use), and what it says is a plain record (``records.changes.Comparison``);
- a comparison that cannot be made is said, never guessed: no return last round (a new
  partnership, or one that did not send), last round's file unreadable, or no last round
  kept at all.

A return whose answers and details are all as they were (but perhaps its date) is named in
the check, addressed to its partnership: it may have been sent back with only a new date.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable
from pathlib import Path

from pipeline.filenames import LAST_ROUNDS, shown
from pipeline.intake import find_returns, read_return
from pipeline.records.changes import AnswerChange, Changes, Comparison, State
from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.returns import Answer, Return
from pipeline.records.round import Round, Status
from pipeline.round.collate import collate
from pipeline.vocabulary import LABEL_BY_KEY, LABELS, long_date

DETAILS = tuple(label for label in LABELS if label.key != "partnership")
"""The details compared: all but the partnership's name (matched, however it was spelt)."""
COMPLETED = LABEL_BY_KEY["completed"]


def last_round_folder(inputs: Path, round_: Round) -> Path | None:
    """Where last round's returns are kept, if they are."""
    previous = round_.paper.previous_meeting
    folder = inputs / LAST_ROUNDS / previous.isoformat() if previous else None
    return folder if folder is not None and folder.is_dir() else None


def compare_round(round_: Round, inputs: Path, read: Callable[[list[Path]], list] | None = None
                  ) -> tuple[Changes, list[Problem]]:
    """This round's returns set against last round's (if kept), each read by ``read`` (given
    the paths: read_round reads them as this round's, through its cache): the changes, and a
    warning for each return whose answers and details are all as they were."""
    folder = last_round_folder(inputs, round_)
    if folder is None:
        return Changes(), []
    paper = round_.paper
    questions = paper.questions
    paths = find_returns(folder)
    results = read(paths) if read else [read_return(path, questions=questions) for path in paths]
    returns = [ret for ret, _ in results if ret is not None]
    unreadable = [shown(path.name) for path, (ret, _) in zip(paths, results) if ret is None]
    # Matched to the partnerships as this round's are, as of their own round (no return of it is "earlier").
    last = collate(dataclasses.replace(paper, previous_meeting=None), tuple(e.partnership for e in round_.entries),
                   returns, [], tuple(unreadable))
    before = {entry.partnership.id: entry for entry in last.entries}
    comparisons: dict[str, Comparison] = {}
    problems: list[Problem] = []
    for entry in round_.entries:
        pid, old = entry.partnership.id, before.get(entry.partnership.id)
        if entry.ret is None:
            comparisons[pid] = Comparison(pid, State.NOT_RETURNED)
        elif old is None or old.ret is None:
            unread = old is not None and old.status is Status.UNREADABLE
            comparisons[pid] = Comparison(pid, State.UNREADABLE if unread else State.NEW)
        else:
            comparisons[pid] = _compare(pid, old.ret, entry.ret, questions)
            if comparisons[pid].state is State.IDENTICAL and any(answer is not None for answer in entry.ret.answers):
                name = entry.partnership.name
                problems.append(Problem(
                    Severity.WARNING, Source(entry.ret.file),
                    f"{name}'s answers are identical to its return for {long_date(paper.previous_meeting)} "
                    "— has it been updated?",
                    f"ask {name} whether anything has changed since the last report; the paper shows the "
                    "return as sent"))
    return Changes(paper.previous_meeting, comparisons), problems


def _compare(pid: str, old: Return, new: Return, questions: tuple[str, ...]) -> Comparison:
    details = tuple(label.text for label in DETAILS
                    if _text(old.values.get(label.key)) != _text(new.values.get(label.key)))
    answers = []
    for index, question in enumerate(questions):
        was, now = _words(old, index), _words(new, index)
        if was == now:
            continue
        if not was:
            answers.append(AnswerChange(question, "new", (("+", " ".join(now)),)))
        elif not now:
            answers.append(AnswerChange(question, "removed", (("-", " ".join(was)),)))
        else:
            answers.append(AnswerChange(question, "changed", _diff(was, now)))
    # A new date of completion on top of the same return is no change.
    state = State.CHANGED if answers or set(details) - {COMPLETED.text} else State.IDENTICAL
    return Comparison(pid, state, details, tuple(answers))


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _words(ret: Return, index: int) -> list[str]:
    """An answer's words, as what counts as a change reads them."""
    answer: Answer | None = ret.answers[index] if index < len(ret.answers) else None
    if answer is None:
        return []
    return " ".join("".join(run.text for run in block.runs) for block in answer.blocks).split()


SHORT_KEPT = 2
"""A run of this many words or fewer kept between two changes reads as part of one change
(as diff-match-patch's semantic clean-up has it): "the" kept between a removed sentence and
an added one is noise."""


def _diff(was: list[str], now: list[str]) -> tuple[tuple[str, str], ...]:
    """The words of ``now`` against ``was``: kept, removed and added runs, in reading order."""
    groups: list = []  # ("=", words) or ("~", removed, added)
    matcher = difflib.SequenceMatcher(a=was, b=now, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        groups.append(("=", was[a0:a1]) if op == "equal" else ("~", was[a0:a1], now[b0:b1]))
    merged: list = []
    for index, group in enumerate(groups):
        between = 0 < index < len(groups) - 1 and merged and merged[-1][0] == "~"
        if group[0] == "=" and between and len(group[1]) <= SHORT_KEPT:
            group = ("~", group[1], group[1])
        if group[0] == "~" and merged and merged[-1][0] == "~":
            merged[-1] = ("~", merged[-1][1] + group[1], merged[-1][2] + group[2])
        else:
            merged.append(group)
    out: list[tuple[str, str]] = []
    for group in merged:
        if group[0] == "=":
            out.append(("=", " ".join(group[1])))
            continue
        if group[1]:
            out.append(("-", " ".join(group[1])))
        if group[2]:
            out.append(("+", " ".join(group[2])))
    return tuple(out)
