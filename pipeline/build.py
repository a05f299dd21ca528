"""The whole flow in one place: config → intake → collate → render → output."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.collate import collate
from pipeline.config import load_config
from pipeline.filenames import write_atomic
from pipeline.intake import find_returns, read_return
from pipeline.model import Problem, Return, Round
from pipeline.render.html import PDF_STYLESHEETS, render_html
from pipeline.render.pdf import render_pdf
from pipeline.render.view import build_view
from pipeline.render.word import render_docx
from pipeline.render.summary import summary_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass
class Build:
    """What a run produced: the round, and the files written."""

    round: Round
    written: list[Path] = field(default_factory=list)


def read_round(inputs: Path) -> Round:
    """Read the configuration and every return in ``inputs`` into a Round."""
    config = load_config(inputs)
    returns: list[Return] = []
    problems: list[Problem] = []
    for path in find_returns(inputs):
        ret, found = read_return(path, config.paper.questions)
        problems.extend(found)
        if ret is not None:
            returns.append(ret)
    return collate(config.paper, config.registry, returns, problems)


def document_date(meeting_date: dt.date) -> dt.datetime:
    """The date stamped into the papers: SOURCE_DATE_EPOCH when set, else the meeting's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.combine(meeting_date, dt.time(12))


def build_papers(inputs: Path, output: Path, templates: Path = TEMPLATES) -> Build:
    """Build the papers for the round in ``inputs`` into ``output``."""
    round_ = read_round(inputs)
    view = build_view(round_)
    when = document_date(round_.paper.meeting_date)
    docx = render_docx(view, templates, when)
    html = render_html(view, templates, created=when)
    pdf = render_pdf(
        render_html(view, templates, created=when, stylesheets=PDF_STYLESHEETS),
        templates,
        title=view.title,
        subject=f"{view.committee}, {view.meeting_date}",
        when=when,
    )
    files = {
        f"{view.file_stem}.docx": docx,
        f"{view.file_stem}.pdf": pdf,
        f"{view.file_stem}.html": html.encode("utf-8"),
        f"{view.file_stem}-check.txt": summary_text(round_).encode("utf-8"),
    }
    written = []
    for name, data in files.items():
        write_atomic(output / name, data)
        written.append(output / name)
    return Build(round_, written)
