"""The Round as the paper presents it — headings, table rows, lists — shared by every renderer."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.filenames import slug
from pipeline.records.changes import State
from pipeline.records.rich_text import Block, BlockKind, Run
from pipeline.records.round import Round, Status
from pipeline.records.settings import Kind
from pipeline.render import changes
from pipeline.vocabulary import LABELS, long_date

NO_RETURN = "No return received"
UNREADABLE_RETURN = "Return received, but it could not be read"
NO_ANSWER = "No answer given"
RETURNS_HEADING = "Partnership returns"


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    emails: tuple[str, ...] = ()
    changed: bool = False
    """Whether it differs from the partnership's return for the last report."""


@dataclass(frozen=True)
class ChangeView:
    """How an answer changed since the last report, as every renderer shows it: a label a
    reader sees (never colour alone), and the words, each ("=", kept), ("+", added),
    ("-", removed) or ("…", kept words left out), long runs of kept words shortened."""

    label: str
    words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QuestionView:
    text: str
    blocks: tuple[Block, ...]
    change: ChangeView | None = None


@dataclass(frozen=True)
class EntryView:
    id: str
    heading: str
    rows: tuple[Row, ...]
    questions: tuple[QuestionView, ...]
    missing: bool


@dataclass(frozen=True)
class SectionView:
    heading: str
    blocks: tuple[Block, ...]
    """Paragraphs (numbered in the paper) and any list among them."""


@dataclass(frozen=True)
class PaperView:
    committee: str
    meeting_date: str
    title: str
    agenda_item: str
    sections: tuple[SectionView, ...]
    closing: tuple[Block, ...]
    contact_lines: tuple[str, ...]
    contact_email: str
    returns_heading: str
    entries: tuple[EntryView, ...]
    file_stem: str
    numbered: bool = True
    """Whether the report's paragraphs are numbered."""
    with_returns: bool = True
    """Whether the paper has a part of partnership returns after the report."""


def _plain(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def partnership_list(round_: Round) -> tuple[Block, ...]:
    """The "This report" list: thematic partnerships, then the districts nested under one item."""
    thematic = [e.partnership for e in round_.entries if e.partnership.kind is Kind.THEMATIC]
    districts = [e.partnership for e in round_.entries if e.partnership.kind is Kind.DISTRICT]
    blocks = [Block(BlockKind.BULLET, _plain(p.list_name)) for p in thematic]
    if districts:
        blocks.append(Block(BlockKind.BULLET, _plain(round_.paper.district_heading)))
        blocks.extend(Block(BlockKind.BULLET, _plain(p.list_name), level=1) for p in districts)
    return tuple(blocks)


def paper_stem(paper) -> str:
    """The papers' file name without its suffix: the meeting date and the title (unless the
    paper is given a name of its own)."""
    return paper.file_name or f"{paper.meeting_date.isoformat()}-{slug(paper.title)}"


def build_view(round_: Round, pages: dict[str, int] | None = None) -> PaperView:
    """The round as the paper presents it; ``pages``, where given, the page each
    partnership's return starts on in the PDF, for the summary of what changed."""
    paper = round_.paper
    sections = []
    for section in paper.sections:
        blocks = section.blocks + (partnership_list(round_) if section.lists_partnerships else ())
        sections.append(SectionView(section.heading, blocks))
    summary = changes.summary(round_, pages) if paper.with_returns else None
    if summary:
        sections.append(SectionView(*summary))
    compared_with = round_.changes

    entries = []
    for entry in round_.entries:
        p = entry.partnership
        ret = entry.ret
        if entry.status is Status.MISSING or ret is None:
            said = UNREADABLE_RETURN if entry.status is Status.UNREADABLE else NO_RETURN
            rows = (Row("Partnership", p.name), Row("Return", said))
            entries.append(EntryView(p.id, p.name, rows, (), True))
            continue
        compared = compared_with.comparisons.get(p.id)
        changed = compared.details if compared and compared.state is State.CHANGED else ()
        answered = {change.question: change for change in compared.answers} if compared else {}
        rows = []
        for label in LABELS:
            value = ret.values.get(label.key)
            emails = getattr(value.value, "emails", ()) if value else ()
            rows.append(Row(ret.labels.get(label.key, label.text), str(value) if value else "", emails,
                            label.text in changed))
        questions = []
        for question, answer in zip(paper.questions, ret.answers):
            blocks = answer.blocks if answer and answer.blocks else (
                Block(BlockKind.PARAGRAPH, (Run(NO_ANSWER, italic=True),)),
            )
            change = answered.get(question)
            questions.append(QuestionView(question, blocks, ChangeView(
                changes.change_label(change, compared_with.last_report), changes.shortened(change.words))
                if change else None))
        entries.append(EntryView(p.id, p.name, tuple(rows), tuple(questions), False))

    contact = paper.contact
    contact_lines = contact.lines if contact else ()
    date = paper.meeting_date
    return PaperView(
        committee=paper.committee,
        meeting_date=long_date(date),
        title=paper.title,
        agenda_item=paper.agenda_item,
        sections=tuple(sections),
        closing=paper.closing,
        contact_lines=contact_lines,
        contact_email=contact.email if contact else "",
        returns_heading=RETURNS_HEADING,
        entries=tuple(entries),
        file_stem=paper_stem(paper),
        numbered=paper.numbered,
        with_returns=paper.with_returns,
    )
