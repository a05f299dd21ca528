"""After the meeting (pipeline/meeting/minutes.py, proceedings.py, action_log.py, carry.py): the record kept,
the minutes built, the actions carried into the next meeting's pack."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import tomllib

import page as page_validation
import pytest
from render.test_opendata import _validator

from pipeline.meeting.carry import without_record
from pipeline.meeting.clear_days import takes_effect
from pipeline.meeting.proceedings import load_proceedings
from support import AXE, CHROMIUM, INPUTS, Mailbox, axe_violations, every_text, pdf_pages, pdf_text, run_cli

STEM = "2011-03-17-strategy-and-partnerships-scrutiny-committee-minutes"
HEAD = "Strategy and Partnerships Scrutiny Committee – 17 March 2011"
"""The minutes' running head."""
SECRET = "Zanzibar"
"""A word only the exempt item's record holds."""

MEETING = f'''council = "Oxfordshire County Council"
committee = "Strategy and Partnerships Scrutiny Committee"
date = 2011-03-17
time = "10:00"
venue = "Meeting Room 1, County Hall"
call_in_days = 5

[clerk]
name = "Committee clerk"
email = "committee-clerk@example.org"

[minutes]
present = ["Cllr Ann Able (Chair)", "Cllr Ben Best"]
apologies = ["Cllr Cat Cole"]
substitutes = ["Cllr Dee Dunn for Cllr Cat Cole"]
officers = ["Claire Moore, Partnerships Manager"]
interests = [
  {{ who = "Cllr Ben Best", item = "4", what = "a personal interest: a trustee of a partner charity" }},
  {{ who = "Cllr Ann Able", item = "", what = "a prejudicial interest" }},
]

[[item]]
number = "1"
title = "Apologies for absence"
decision = "noted"

[[item]]
number = "2"
title = "Minutes of the last meeting"
minutes_of = 2010-12-01
decision = "agreed"

[[item]]
number = "4"
title = "Progress through Partnership capacity building"
purpose = "decision"
paper = "papers/progress-through-partnership-capacity-building.md"
decision = "agreed as amended"
resolved = """That the committee:

1. agrees to spend the £6,000 on a facilitator for the October team day;
2. asks officers to approach other LSPs about joint training."""
[[item.action]]
action = "Approach other LSPs about joint training"
owner = "Claire Phillips"
due = 2011-06-30
[[item.action]]
action = "Book the facilitator for the team day"
owner = "Claire Moore"
due = 2011-04-30
done = 2011-04-12
[[item.action]]
action = "Write to the regional network"

[[item]]
number = "5"
title = "Update from the team"
paper = "papers/update-from-the-partnerships-and-communities-team.md"

[[item]]
number = "9"
title = "Staffing of the partnerships team"
purpose = "decision"
exempt = 1
decision = "agreed"
resolved = "That the regrading of the {SECRET} post proceeds."
summary = "The committee considered a staffing matter and agreed the recommendation."
[[item.action]]
action = "Write to the {SECRET} postholder"
owner = "Head of HR"
due = 2011-04-01
'''


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    """The meeting held and its record kept: the draft minutes built once for the module."""
    folder = tmp_path_factory.mktemp("held")
    inputs, output = folder / "inputs", folder / "output"
    shutil.copytree(INPUTS, inputs, ignore=shutil.ignore_patterns("supplied"))
    (inputs / "meeting.toml").write_text(MEETING, encoding="utf-8")
    built = run_cli("minutes", "--inputs", str(inputs), "--output", str(output), "--today", "2011-03-18")
    return inputs, output, built


def test_the_minutes_say_who_was_there_what_was_declared_and_resolved(held):
    inputs, output, built = held
    assert built.returncode == 0, built.stdout + built.stderr  # warnings only
    pdf = output / "minutes" / f"{STEM}.pdf"
    words = pdf_text(pdf, HEAD)
    for said in ("Minutes of the meeting of the Strategy and Partnerships Scrutiny Committee held on 17 March 2011 "
                 "at 10:00, Meeting Room 1, County Hall.",
                 "Draft: to be confirmed as a correct record at the committee's next meeting. Published on 18 March 2011.",
                 # 5 working days after Friday 18 March: 21–25 March; in effect on Monday 28th.
                 "one not called in takes effect on 28 March 2011.",
                 # (a list's numbers are read apart from its words: they are its labels)
                 "Present Cllr Ann Able (Chair) Cllr Ben Best Substitutes Cllr Dee Dunn for Cllr Cat Cole",
                 "Officers in attendance Claire Moore, Partnerships Manager Apologies for absence Cllr Cat Cole",
                 "Cllr Ben Best: item 4 (Progress through Partnership capacity building) — a personal interest",
                 "2. Minutes of the last meeting Decision: Agreed The minutes of the meeting held on 1 December 2010 "
                 "were confirmed as a correct record.",
                 "4. Progress through Partnership capacity building Decision: Agreed as amended Resolved: That the "
                 "committee: agrees to spend the £6,000",
                 "Action Owner Due Approach other LSPs about joint training Claire Phillips 30 June 2011",
                 "5. Update from the team Decision: none recorded yet",
                 "9. Staffing of the partnerships team Taken in private: this item is exempt information under "
                 "paragraph 1 of Schedule 12A to the Local Government Act 1972.",
                 "Summary: The committee considered a staffing matter and agreed the recommendation. Decision: Agreed"):
        assert said in words, said
    assert page_validation.validate_pdf_bytes(pdf.read_bytes(), profile="ua1").is_compliant
    # The exempt item's record is in the private minutes alone: in no public file, not even its raw bytes.
    public = output / "minutes"
    assert every_text(public) and not [path for path, text in every_text(public) if SECRET in text]
    assert not [path for path in public.rglob("*") if path.is_file() and SECRET.encode() in path.read_bytes()]
    private = output / "private" / "minutes" / f"{STEM}-private.pdf"
    secret = " ".join(" ".join(pdf_pages(private)).split())
    assert f"That the regrading of the {SECRET} post proceeds." in secret and "Not for publication" in secret
    assert page_validation.validate_pdf_bytes(private.read_bytes(), profile="ua1").is_compliant


def test_the_check_names_what_the_record_lacks(held):
    inputs, output, built = held
    check = (output / "minutes" / f"{STEM}-check.txt").read_text(encoding="utf-8")
    assert "meeting.toml item 5: has no decision recorded" in check
    assert "meeting.toml item 4, action 3: has no owner" in check and "meeting.toml item 4, action 3: has no due date" in check
    assert "[minutes] declaration 2: Cllr Ann Able's declaration names no item on the agenda" in check
    assert 'add item = "7"' in check and "has no decision recorded" in built.stdout
    assert SECRET not in check


@pytest.mark.skipif(not (CHROMIUM and AXE.is_file()), reason="needs Chromium and axe-core (make test installs axe-core)")
def test_the_minutes_web_page_passes_axe(held, tmp_path):
    inputs, output, _ = held
    assert axe_violations(output / "minutes" / f"{STEM}.html", tmp_path) == []


def test_a_misplaced_or_unknown_setting_is_named_with_the_known_ones(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "meeting.toml").write_text(
        'committee = "C"\ndate = 2011-03-17\n[minutes]\npresnt = ["A"]\n[[item]]\nnumber = "1"\ntitle = "T"\n'
        'decision = "aproved"\n[[item.action]]\naction = "Do it"\npurpose = "decision"\n', encoding="utf-8")
    said = {f"{p.source}: {p.message} → {p.advice}" for p in load_proceedings(inputs).problems}
    assert any("unknown setting presnt in [minutes] — did you mean present?" in s
               and "present, apologies, substitutes, officers, interests" in s for s in said), said
    assert any("its decision 'aproved' is not one the minutes know" in s and "'agreed as amended'" in s for s in said)
    assert any("item 1, action 1: has purpose, which belongs to the item" in s for s in said)


def test_a_decision_takes_effect_after_the_call_in_days_counted_as_clear_days_are():
    # Thursday 21 April 2011: Good Friday, Easter Monday, the royal wedding (29th) and May Day
    # (2 May) are not working days: 26, 27, 28 April, 3 and 4 May are; in effect on 5 May.
    assert takes_effect(dt.date(2011, 4, 21), 5) == dt.date(2011, 5, 5)
    assert takes_effect(dt.date(2011, 3, 18), 5) == dt.date(2011, 3, 28)


def test_the_record_is_taken_out_of_meeting_toml_and_nothing_else():
    text = MEETING + '\n[[recipient]]\nname = "Members"\nemail = "m@example.org"\n'
    cleared = without_record(text)
    before, after = tomllib.loads(text), tomllib.loads(cleared)
    assert "minutes" not in after and after["recipient"] == before["recipient"]
    assert [set(item) for item in after["item"]] == [{"number", "title"}, {"number", "title", "minutes_of"},
                                                    {"number", "title", "purpose", "paper"},
                                                    {"number", "title", "paper"}, {"number", "title", "purpose", "exempt"}]
    assert SECRET not in cleared and "call_in_days = 5" in cleared


def test_the_next_meeting_carries_the_open_actions_into_its_pack(held, tmp_path):
    """new-round: the record kept, meeting.toml cleared of it, the open actions carried into the action log (the
    done one and the exempt one's words not in the pack), an "Action log" item added, its paper in the next pack."""
    source, _, _ = held
    inputs, output = tmp_path / "inputs", tmp_path / "output"
    shutil.copytree(source, inputs)
    started = run_cli("new-round", "--inputs", str(inputs), "--output", str(output), "--meeting", "2011-09-22",
                      "--deadline", "2011-09-05")
    assert started.returncode == 0, started.stdout + started.stderr
    assert "3 action(s) not yet done carried" in started.stdout and 'Added item 10, "Action log"' in started.stdout
    kept = inputs / "last-rounds" / "2011-03-17" / "meeting.toml"
    assert kept.read_text(encoding="utf-8") == MEETING  # the meeting's record, whole
    agenda = tomllib.loads((inputs / "meeting.toml").read_text(encoding="utf-8"))
    assert "minutes" not in agenda and agenda["date"] == dt.date(2011, 9, 22)
    assert agenda["item"][-1] == {"number": "10", "title": "Action log", "purpose": "information",
                                  "paper": "action-log.toml"}
    log = tomllib.loads((inputs / "action-log.toml").read_text(encoding="utf-8"))["action"]
    assert [a["action"] for a in log] == ["Approach other LSPs about joint training", "Write to the regional network",
                                          f"Write to the {SECRET} postholder"]
    # Closing one is recording it done; the rest stay open, the overdue ones marked.
    text = (inputs / "action-log.toml").read_text(encoding="utf-8")
    text = text.replace('owner = ""\n', 'owner = ""\ndone = 2011-09-01\nnote = "Written"\n', 1)
    (inputs / "action-log.toml").write_text(text, encoding="utf-8")
    built = run_cli("papers", "--inputs", str(inputs), "--output", str(output))
    assert "10  Action log  (built)" in built.stdout, built.stdout + built.stderr
    pack = " ".join(" ".join(pdf_pages(output / "2011-09-22-strategy-and-partnerships-scrutiny-committee-pack.pdf")).split())
    assert "Action log" in pack and "Approach other LSPs about joint training Claire Phillips 30 June 2011 Overdue" in pack
    assert "Write to the regional network" not in pack and "Book the facilitator" not in pack
    assert SECRET not in pack and "An action on an exempt item (paragraph 1 of Schedule 12A)" in pack
    # A second new round carries nothing twice, and adds no second Action log item.
    again = run_cli("new-round", "--inputs", str(inputs), "--output", str(output), "--meeting", "2012-03-15",
                    "--deadline", "2012-03-01")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "carried" not in again.stdout and "Added item" not in again.stdout
    assert len(tomllib.loads((inputs / "action-log.toml").read_text(encoding="utf-8"))["action"]) == 3


@pytest.mark.parametrize("log", ['[[action]]\naction = "x"\nmeeting = "last week"\n', "not toml ["])
def test_an_action_log_that_cannot_be_added_to_stops_the_new_round_before_anything_moves(held, tmp_path, log):
    source, _, _ = held
    inputs = tmp_path / "inputs"
    shutil.copytree(source, inputs)
    (inputs / "action-log.toml").write_text(log, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in inputs.iterdir() if p.is_file()}
    started = run_cli("new-round", "--inputs", str(inputs), "--output", str(tmp_path / "output"), "--meeting",
                      "2011-09-22", "--deadline", "2011-09-05")
    assert started.returncode == 2 and "action-log.toml" in started.stderr, started.stderr
    assert "Traceback" not in started.stderr
    assert {p.name: p.read_bytes() for p in inputs.iterdir() if p.is_file()} == before


def test_a_record_papers_cannot_take_apart_stops_the_new_round_before_anything_moves(held, tmp_path):
    source, _, _ = held
    inputs = tmp_path / "inputs"
    shutil.copytree(source, inputs)
    # The record as an inline table, on a line of its own: valid, but not a section papers takes out.
    text = (inputs / "meeting.toml").read_text(encoding="utf-8")
    text = text[:text.index("[minutes]")] + text[text.index("[[item]]"):]
    text = text.replace("call_in_days = 5\n", 'call_in_days = 5\nminutes = { present = ["Cllr Ann Able"] }\n')
    (inputs / "meeting.toml").write_text(text, encoding="utf-8")
    before = sorted(p.name for p in inputs.iterdir())
    started = run_cli("new-round", "--inputs", str(inputs), "--output", str(tmp_path / "output"), "--meeting",
                      "2011-09-22", "--deadline", "2011-09-05")
    assert started.returncode == 2 and "could not be taken out of it line by line" in started.stderr, started.stderr
    assert sorted(p.name for p in inputs.iterdir()) == before
    assert (inputs / "meeting.toml").read_text(encoding="utf-8") == text


WEB = "https://www.example.org/scrutiny/2011-03-17/"
LIST = '''web = "{web}"

[mail]
from = "Committee clerk <clerk@example.org>"
[mail.smtp]
host = "127.0.0.1"
port = {port}
security = "none"

[[recipient]]
name = "Cllr Ann Able"
email = "ann@example.org"
role = "Chair"
exempt = true

[[recipient]]
name = "Cllr Ben Best"
email = "ben@example.org"
exempt = true

[[recipient]]
name = "Press desk"
email = "press@example.org"

'''


def test_the_minutes_are_published_and_sent_as_the_agenda_was(held, smtp, tmp_path):
    """The draft to the chair on a real SMTP server on loopback; then published as a version of the meeting (the page
    and OParl's resultsProtocol, result and resolutionText list them) and sent to the list, the private minutes only
    to those entitled, each once."""
    source, _, _ = held
    inputs, output = tmp_path / "inputs", tmp_path / "output"
    shutil.copytree(source, inputs)
    mailbox = Mailbox()
    text = MEETING.replace("[clerk]\n", LIST.format(web=WEB, port=smtp(mailbox)) + "[clerk]\n", 1)
    (inputs / "meeting.toml").write_text(text, encoding="utf-8")
    common = ("--inputs", str(inputs), "--output", str(output))
    published = run_cli("publish", *common, "--today", "2011-03-09")
    assert published.returncode == 0, published.stdout + published.stderr
    early = run_cli("publish", "--minutes", *common, "--today", "2011-03-16")
    assert early.returncode == 2 and "its minutes are published after it" in early.stderr
    undecided = run_cli("publish", "--minutes", *common, "--today", "2011-03-18")
    assert undecided.returncode == 2 and "item 5 has no decision recorded" in undecided.stderr, undecided.stderr
    # The draft goes to the chair alone (entitled: the private minutes too), once.
    sent = run_cli("send", "--minutes", "--smtp", *common)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert [(to, [p.get_filename() for p in m.iter_attachments()]) for to, m in mailbox.messages] == [
        (["ann@example.org"], [f"{STEM}.pdf", f"{STEM}-private.pdf"])]
    assert mailbox.messages[0][1]["Subject"].startswith("Draft minutes for checking")
    assert "Nothing new to send" in run_cli("send", "--minutes", "--smtp", *common).stdout
    assert "not yet published" in " ".join(" ".join(pdf_pages(output / "minutes" / f"{STEM}.pdf")).split())
    # Published: a version of the meeting, its files kept with their digests, the page and open data listing them.
    (inputs / "meeting.toml").write_text(text.replace('title = "Update from the team"\n',
                                                      'title = "Update from the team"\ndecision = "noted"\n'),
                                         encoding="utf-8")
    done = run_cli("publish", "--minutes", *common, "--today", "2011-03-18")
    assert done.returncode == 0 and "Published the minutes (Minutes (draft))" in done.stdout, done.stdout + done.stderr
    record = json.loads(next((output / "versions").glob("*/record.json")).read_text(encoding="utf-8"))
    (minutes,) = record["minutes"]
    assert minutes["status"] == "draft" and minutes["published"] == "2011-03-18"
    assert {f["name"]: f["private"] for f in minutes["files"]} == {
        f"{STEM}.docx": False, f"{STEM}.html": False, f"{STEM}.pdf": False,
        f"{STEM}-private.docx": True, f"{STEM}-private.html": True, f"{STEM}-private.pdf": True}
    publish = output / "publish"
    assert {f"{STEM}.pdf", f"{STEM}.html", f"{STEM}.docx"} <= {p.name for p in publish.iterdir()}
    assert not [p for p in publish.iterdir() if "private" in p.name or SECRET.encode() in p.read_bytes()]
    page = (publish / "2011-03-17-strategy-and-partnerships-scrutiny-committee-agenda.html").read_text(encoding="utf-8")
    assert '<h2 id="minutes">Minutes</h2>' in page and "Minutes (draft), published 18 March 2011" in page
    data = json.loads((publish / "2011-03-17-strategy-and-partnerships-scrutiny-committee-meeting.json").read_text(
        encoding="utf-8"))
    assert not sorted(str(e.message) for e in _validator(WEB).iter_errors(data))
    assert data["resultsProtocol"]["fileName"] == f"{STEM}.pdf"
    assert data["resultsProtocol"]["sha512Checksum"] == hashlib.sha512((publish / f"{STEM}.pdf").read_bytes()).hexdigest()
    results = {item["number"]: (item.get("result"), item.get("resolutionText", "")) for item in data["agendaItem"]}
    assert results["4"][0] == "Agreed as amended" and results["4"][1].startswith("That the committee: 1. agrees")
    assert results["9"] == ("Agreed", "") and results["5"] == ("Noted", "")
    if CHROMIUM and AXE.is_file():
        assert axe_violations(publish / "2011-03-17-strategy-and-partnerships-scrutiny-committee-agenda.html",
                              tmp_path) == []
    assert "Nothing new to publish" in run_cli("publish", "--minutes", *common, "--today", "2011-03-18").stdout
    # Sent to the list, each once: the private minutes only to those entitled.
    mailbox.messages.clear()
    sent = run_cli("send", "--minutes", "--smtp", *common)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert sorted((to[0], sorted(p.get_filename() for p in m.iter_attachments())) for to, m in mailbox.messages) == [
        ("ann@example.org", [f"{STEM}-private.pdf", f"{STEM}.pdf"]),
        ("ben@example.org", [f"{STEM}-private.pdf", f"{STEM}.pdf"]),
        ("press@example.org", [f"{STEM}.pdf"])]
    press = next(m for to, m in mailbox.messages if to == ["press@example.org"])
    assert SECRET.encode() not in press.as_bytes()
    assert "were published on 18 March 2011 (draft)." in press.get_body(("plain",)).get_content()
    # Larger than a message may carry: the public minutes go as a link to where they are published; the private
    # ones, never on the web, attached still.
    (inputs / "meeting.toml").write_text((inputs / "meeting.toml").read_text(encoding="utf-8").replace(
        "[mail]\n", "attach_up_to_mb = 0\n\n[mail]\n", 1), encoding="utf-8")
    mailbox.messages.clear()
    assert run_cli("send", "--minutes", "--smtp", "--resend", *common).returncode == 0
    linked = {to[0]: m for to, m in mailbox.messages}
    assert [p.get_filename() for p in linked["press@example.org"].iter_attachments()] == []
    assert f"{WEB}{STEM}.pdf" in linked["press@example.org"].get_body(("plain",)).get_content()
    assert [p.get_filename() for p in linked["ann@example.org"].iter_attachments()] == [f"{STEM}-private.pdf"]
    assert "Nothing new to send" in run_cli("send", "--minutes", "--smtp", *common).stdout
    # The next meeting takes the minutes, and agreeing them confirms them: a new version of the minutes of 17 March.
    started = run_cli("new-round", *common, "--meeting", "2011-09-22", "--deadline", "2011-09-05")
    assert started.returncode == 0, started.stdout + started.stderr
    text = (inputs / "meeting.toml").read_text(encoding="utf-8")
    assert "minutes_of = 2011-03-17" in text  # moved on to the meeting just held
    text = re.sub(r'(?m)^(title = .*)$', r'\1\ndecision = "agreed"', text)
    (inputs / "meeting.toml").write_text(text, encoding="utf-8")
    confirmed = run_cli("publish", "--minutes", *common, "--today", "2011-09-23")
    assert confirmed.returncode == 0, confirmed.stdout + confirmed.stderr
    assert "The minutes of 17 March 2011 are recorded as confirmed at this meeting (version 2)." in confirmed.stdout
    record = json.loads((output / "versions" / "2011-03-17-strategy-and-partnerships-scrutiny-committee" /
                         "record.json").read_text(encoding="utf-8"))
    assert [(m["number"], m["status"], m["confirmed_at"]) for m in record["minutes"]] == [
        (1, "draft", ""), (2, "confirmed", "2011-09-22")]
    final = publish / f"{STEM}-confirmed.pdf"
    words = " ".join(" ".join(pdf_pages(final)).split())
    assert "Confirmed as a correct record at the committee's meeting on 22 September 2011." in words
    assert "Draft" not in words and SECRET not in words
    assert page_validation.validate_pdf_bytes(final.read_bytes(), profile="ua1").is_compliant
    again = run_cli("publish", "--minutes", *common, "--today", "2011-09-23")  # confirmed once, never again
    assert "Nothing new to publish" in again.stdout and "confirmed at this meeting" not in again.stdout
