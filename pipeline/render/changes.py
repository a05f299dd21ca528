"""What changed since the last report, as the paper shows it: the summary, each changed answer's label and words."""

from __future__ import annotations

import datetime as dt

from pipeline.records.changes import AnswerChange, State
from pipeline.records.rich_text import Block, BlockKind, Run
from pipeline.records.round import Round
from pipeline.vocabulary import long_date

DETAIL = " (changed since the last report)"
"""What a detail that changed says after its value (templates/report.html.j2 says the same)."""

CONTEXT = 6
"""Kept words shown on either side of a change; the rest of a long kept run is left out (…)."""


def since(last_report: dt.date) -> str:
    """The label beside what changed: "Changed since the last report (17 March 2011)"."""
    return f"Changed since the last report ({long_date(last_report)})"


def change_label(change: AnswerChange, last_report: dt.date) -> str:
    """What the paper says beside an answer that is not as it was."""
    if change.kind == "new":
        return f"New since the last report ({long_date(last_report)}): no answer was given then"
    if change.kind == "removed":
        return f"Removed since the last report ({long_date(last_report)}): the answer given then, not given now"
    return since(last_report)


def shortened(words: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """``words`` with each long run of kept words cut to ``CONTEXT`` words either side of a
    change, the rest left out ("…"), so that a reader sees what changed, and where."""
    out: list[tuple[str, str]] = []
    for index, (op, text) in enumerate(words):
        kept = text.split()
        if op != "=" or len(kept) <= 2 * CONTEXT:
            out.append((op, text))
            continue
        before = index > 0  # a change before it: keep its first words
        after = index < len(words) - 1  # a change after it: keep its last words
        if before:
            out.append(("=", " ".join(kept[:CONTEXT])))
        out.append(("…", "…"))
        if after:
            out.append(("=", " ".join(kept[-CONTEXT:])))
    return tuple(out)


def summary(round_: Round, pages: dict[str, int] | None = None) -> tuple[str, tuple[Block, ...]] | None:
    """The covering report's section on what changed since the last report: its heading
    and blocks, each partnership named in the paper's order, with the page its return starts
    on where ``pages`` gives it (the PDF's); None when nothing was compared."""
    changes = round_.changes
    if changes.last_report is None or not changes.comparisons:
        return None
    date = long_date(changes.last_report)
    groups: dict[str, list[tuple[Run, ...]]] = {"changed": [], "identical": [], "missing": [], "new": []}
    for entry in round_.entries:
        compared = changes.comparisons.get(entry.partnership.id)
        if compared is None:
            continue
        pid = entry.partnership.id
        # Its name links to its return on the web page; the PDF gives its page instead.
        name = (Run(entry.partnership.name, target=pid),
                *((Run(f" (page {pages[pid]})"),) if pages and pid in pages else ()))
        if compared.state is State.CHANGED:
            what = [f"its answer to “{change.question}” ({change.kind})" for change in compared.answers]
            what += [detail.lower() if detail[:3] != "OCC" else detail for detail in compared.details]
            groups["changed"].append((*name, Run(f": {', '.join(what)}")))
        elif compared.state is State.IDENTICAL:
            groups["identical"].append(name)
        elif compared.state is State.NOT_RETURNED:
            groups["missing"].append(name)
        else:
            groups["new"].append((*name, Run(f": {compared.state.value}")))
    headed = (("changed", "Changed since the last report:"),
              ("identical", "Answers identical to those for the last report:"),
              ("missing", "No return this round:"),
              ("new", "Nothing to compare with:"))
    blocks = [Block(BlockKind.PARAGRAPH, (Run(
        f"Each return below is compared with the one its partnership sent for the last report, on {date}; "
        "what changed is marked where it stands, labelled “" + since(changes.last_report) + "”."),))]
    for key, heading in headed:
        if groups[key]:
            blocks.append(Block(BlockKind.BULLET, (Run(heading, bold=True),)))
            blocks += [Block(BlockKind.BULLET, runs, level=1) for runs in groups[key]]
    return f"Changes since the last report ({date})", tuple(blocks)
