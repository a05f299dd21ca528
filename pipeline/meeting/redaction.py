"""The redacted copies a version publishes: each withdrawn pack as published, its now exempt items' pages replaced by stand-in pages laid out here.

What a copy withholds, and its name, is withdrawn.py's; the surgery on the pack is
pdf/redact.py's. Here each withheld item's stand-in pages are laid out (one for each of
its pages in the pack, each saying which page it stands for and under which paragraph the
item is exempt), kept as parts like any other, and handed to the surgery with the pack's
kept copy.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline import parts, pdf
from pipeline.machinery.cache import Cache
from pipeline.machinery.workers import Workers
from pipeline.meeting.supplements import PackPlan
from pipeline.meeting.withdrawn import Copy
from pipeline.parts import Part
from pipeline.records.meeting import Meeting
from pipeline.render.withheld import withheld_html
from pipeline.vocabulary import long_date


def redacted_copies(meeting: Meeting, plan: PackPlan, folder: Path, cache: Cache, templates: Path,
                    workers: Workers, when: dt.datetime) -> dict[Path, bytes]:
    """Each redacted copy ``plan`` is to publish, by where it goes in ``folder``."""
    return {folder / copy.name: _copy(meeting, plan, copy, folder, cache, templates, workers, when)
            for copy in plan.redacting}


def _copy(meeting: Meeting, plan: PackPlan, copy: Copy, folder: Path, cache: Cache, templates: Path,
          workers: Workers, when: dt.datetime) -> bytes:
    version = copy.of
    kept = next(file for file in version.files if file.name == version.pack and not file.private)
    data = plan.record.copy(version, kept).read_bytes()
    exempt = {item.number: item.exempt for item in meeting.items}
    titles = {item.number: item.title for item in version.items}
    wanted = []
    for number in copy.withheld:
        heading, appendices = f"Item {number}: {titles[number]}", f"Item {number}, appendix "
        pages = pdf.item_pages(data, heading, appendices)
        if not pages:
            continue  # nothing of it is in the pack (its paper was left out when published)
        label = version.edition.page_label
        html = withheld_html(heading, exempt[number] or 0, [f"{label}{n + 1}" for n in pages],
                             version.published_long, copy.edition.name, templates)
        wanted.append((heading, appendices, Part(html, heading, "Withheld: exempt from publication", when)))
    keyed = {cache.render_key(part): (part, folder) for _, _, part in wanted}
    laid, _ = parts.lay_out_kept(keyed, cache, templates, workers)
    redactions = [pdf.Redaction(heading, appendices, pdf.join([laid[key].data], []))
                  for (heading, appendices, _), key in zip(wanted, keyed)]
    return pdf.redact(data, redactions, f"{copy.title} – {meeting.committee}, {long_date(meeting.date)}")
