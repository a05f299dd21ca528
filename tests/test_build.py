"""A paper's flow (pipeline/build.py): the PDF a build writes is the one its steps make in one process."""

from __future__ import annotations

from pipeline.build import as_in_meeting, document_date
from pipeline.filenames import TEMPLATES
from pipeline.meeting.config import load_meeting
from pipeline.render.html import Furniture, render_parts
from pipeline.render.view import build_view
from pipeline.round.read import read_round
from support import INPUTS, render_pdf


def test_the_build_writes_the_pdf_its_steps_make_in_one_process(built):
    # The tests lay PDFs out with support.render_pdf (the same parts, layout and join, in
    # this process, without workers or cache); a build, on the workers and through the
    # cache. The two must be the same bytes, or the tests would be testing another PDF.
    round_ = as_in_meeting(read_round(INPUTS), load_meeting(INPUTS))  # the sample's report is item 3 of a meeting
    view = build_view(round_)
    when = document_date(round_.paper.meeting_date)
    made_here = render_pdf(render_parts(view, TEMPLATES, created=when), TEMPLATES, view.title,
                           f"{view.committee}, {view.meeting_date}", when,
                           with_furniture=Furniture(view.committee, view.meeting_date))
    assert (built / f"{view.file_stem}.pdf").read_bytes() == made_here
