"""The HTML paper: nested lists as HTML nests them, text escaped, addresses linked."""

from __future__ import annotations

import os
import re

import pytest

from pipeline.filenames import TEMPLATES
from pipeline.intake.answers import parse_text
from pipeline.render.html import Furniture, ListNode, ParagraphNode, environment, linkify, nodes, render_html
from pipeline.render.view import build_view
from support import HOSTILE, make_round


def test_flat_blocks_become_nested_lists():
    tree = nodes(parse_text("Intro\n• a\n    ○ a1\n    ○ a2\n• b\n    1. b1\nOutro"))
    intro, outer, outro = tree
    assert isinstance(intro, ParagraphNode) and isinstance(outro, ParagraphNode)
    assert isinstance(outer, ListNode) and outer.tag == "ul" and len(outer.items) == 2
    (sub,) = outer.items[0].children
    assert sub.tag == "ul" and [i.runs[0].text for i in sub.items] == ["a1", "a2"]
    (numbered,) = outer.items[1].children
    assert numbered.tag == "ol" and numbered.type == "1"


def test_numbered_paragraphs_carry_on_from_the_number_given():
    tree = nodes(parse_text("one\ntwo"), first_number=5)
    assert [n.number for n in tree] == [5, 6]


def test_linkify_escapes_and_links():
    html = str(linkify("Mail a&b@x.org <or> kate.hill@ocva.org.uk, see https://example.org/a?b=1."))
    assert '<a href="mailto:kate.hill@ocva.org.uk">kate.hill@ocva.org.uk</a>' in html
    assert '<a href="https://example.org/a?b=1">' in html
    assert "&lt;or&gt;" in html and "<or>" not in html


def test_hostile_text_is_escaped_in_the_page():
    html = render_html(build_view(make_round([f"• {HOSTILE}", "x", "y", "z"])), TEMPLATES)
    assert "<b>bold?</b>" not in html
    assert "R&amp;D &lt;b&gt;bold?&lt;/b&gt; {{ secret }} {% if x %}y{% endif %}" in html
    assert '<html lang="en-GB">' in html


def test_a_template_edited_is_read_again_though_its_environment_is_kept(tmp_path):
    # The environment is kept (each template compiled once a process), and papers watch
    # runs for hours: an officer's edit to a template must still show in the next build.
    template = tmp_path / "note.html.j2"
    template.write_text("<p>{{ text }}</p>", encoding="utf-8")
    assert environment(tmp_path).get_template("note.html.j2").render(text="<b>") == "<p>&lt;b&gt;</p>"
    template.write_text("<div>{{ text }}</div>", encoding="utf-8")
    # Saved a second later, as an edit by hand is (a coarse file system may not tell sooner).
    os.utime(template, ns=(template.stat().st_atime_ns, template.stat().st_mtime_ns + 1_000_000_000))
    assert environment(tmp_path) is environment(tmp_path)
    assert environment(tmp_path).get_template("note.html.j2").render(text="x") == "<div>x</div>"


@pytest.mark.parametrize(("total", "lengths"), [(0, []), (1, [1]), (12, [12]), (13, [7, 6]), (19, [10, 9]),
                                                (200, [100, 100]), (201, [51, 51, 51, 48]), (694, [87] * 7 + [85])])
def test_a_papers_furniture_is_laid_out_in_an_even_number_of_equal_parts(total, lengths):
    # Two workers share a paper's furniture but a short one's (a 19-page paper's had been one
    # part, laid out by one worker while the other waited), and no part is longer than a
    # hundred pages.
    documents = Furniture("Committee", "17 March 2011").pages_html(total, TEMPLATES)
    assert [doc.count('class="page-number"') for doc in documents] == lengths
    numbers = [int(n) for doc in documents for n in re.findall(r'class="page-number">(\d+)<', doc)]
    assert numbers == list(range(1, total + 1))
