"""Sending the published agenda (pipeline/meeting/send.py): drafts by default, a link for a pack too large to attach."""

from __future__ import annotations

import email
import email.policy

from pipeline.meeting.send import _entitled
from pipeline.records.settings import Recipient
from support import Mailbox, pdf_text, run_cli

STEM = "2011-03-17-cabinet"


def _send(inputs, output, *extra):
    return run_cli("send", "--inputs", str(inputs), "--output", str(output), "--pack", *extra)


def test_drafts_one_per_recipient_and_version_and_none_counts_as_sent(published_meeting):
    inputs, output = published_meeting
    result = _send(inputs, output)
    assert result.returncode == 0, result.stdout + result.stderr
    drafts = sorted((output / "outbox" / "agenda").glob("*.eml"))
    assert [d.name for d in drafts] == ["cllr-ann-able-v1.eml", "press-desk-v1.eml"]
    message = email.message_from_bytes(drafts[0].read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Agenda – Cabinet, 17 March 2011" and message["X-Unsent"] == "1"
    assert [p.get_filename() for p in message.iter_attachments()] == [f"{STEM}-pack.pdf"]  # no exempt item: no private pack
    assert "was published on 9 March 2011" in message.get_body(("plain",)).get_content()
    assert not (output / "outbox" / "sent.log").exists()
    assert "would write a draft: Cllr Ann Able <ann@example.org>" in _send(inputs, output, "--dry-run").stdout


def test_a_pack_over_the_limit_is_sent_as_a_link(published_meeting):
    inputs, output = published_meeting
    path = inputs / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[mail]", "attach_up_to_mb = 0\n[mail]"), encoding="utf-8")
    assert _send(inputs, output).returncode == 0
    message = email.message_from_bytes((output / "outbox" / "agenda" / "press-desk-v1.eml").read_bytes(),
                                       policy=email.policy.default)
    assert not list(message.iter_attachments())
    assert f"https://www.example.org/cabinet/{STEM}-pack.pdf" in message.get_body(("plain",)).get_content()


def test_an_entitlement_that_is_not_true_or_false_is_named_and_nothing_private_goes(published_meeting):
    inputs, output = published_meeting
    path = inputs / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("exempt = true", 'exempt = "yes"'), encoding="utf-8")
    result = _send(inputs, output)
    assert result.returncode == 1
    assert "recipient 1 (Cllr Ann Able): exempt = 'yes' is not true or false" in result.stderr
    assert [d.name for d in (output / "outbox" / "agenda").glob("*.eml")] == ["press-desk-v1.eml"]


def test_nothing_to_send_before_the_agenda_is_published(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "meeting.toml").write_text('committee = "Cabinet"\ndate = 2011-03-17\n', encoding="utf-8")
    result = _send(inputs, tmp_path / "output")
    assert result.returncode == 2 and "the agenda is not published yet" in result.stderr


def test_someone_listed_twice_once_without_entitlement_is_not_entitled():
    problems = []
    entitled = _entitled((Recipient("Cllr Able", "ann@example.org", exempt=True), Recipient("Ann", "ANN@example.org"),
                          Recipient("Cllr Best", "ben@example.org", exempt=True)), problems)
    assert entitled == {"ann@example.org": False, "ben@example.org": True}
    assert [p.message for p in problems] == [
        "is listed twice, once entitled to exempt papers and once not: they are not sent the exempt papers"]


def test_a_late_exempt_item_goes_in_the_private_supplement_alone_and_only_to_the_entitled(published_meeting):
    inputs, output = published_meeting
    (inputs / "papers").mkdir()
    (inputs / "papers" / "staffing.md").write_text(
        '+++\ntitle = "Staffing"\n+++\nThe names of the staff concerned: Jo Quarrington.\n', encoding="utf-8")
    path = inputs / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8") + '[[item]]\nnumber = "2"\ntitle = "Staffing"\n'
                    'paper = "papers/staffing.md"\nexempt = 1\nlate = "The post must be filled first."\n',
                    encoding="utf-8")
    built = run_cli("papers", "--inputs", str(inputs), "--output", str(output))
    assert built.returncode == 0, built.stdout + built.stderr
    published = run_cli("publish", "--inputs", str(inputs), "--output", str(output), "--today", "2011-03-10")
    assert "Published version 2 (Supplement 1)" in published.stdout, published.stdout + published.stderr
    # The public supplement names the item as exempt; its paper is in the private one alone.
    private = output / "private" / f"{STEM}-private-supplement-1.pdf"
    assert "Quarrington" in pdf_text(private) and "NOT FOR PUBLICATION" in pdf_text(private)
    public = sorted((output / "publish").iterdir())
    assert f"{STEM}-supplement-1.pdf" in [p.name for p in public] and private.name not in [p.name for p in public]
    for file in public:
        text = pdf_text(file) if file.suffix == ".pdf" else file.read_text(encoding="utf-8")
        assert "Quarrington" not in text and "staffing.md" not in text, file.name
    assert "Exempt: paragraph 1 of Schedule 12A" in pdf_text(output / "publish" / f"{STEM}-supplement-1.pdf")
    # Sent: the member entitled gets both supplements, the press desk the public one.
    assert _send(inputs, output).returncode == 0
    attached = {}
    for draft in (output / "outbox" / "agenda").glob("*-v2.eml"):
        message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
        attached[message["To"]] = sorted(p.get_filename() for p in message.iter_attachments())
    assert attached == {"Cllr Ann Able <ann@example.org>": [private.name, f"{STEM}-supplement-1.pdf"],
                        "Press desk <press@example.org>": [f"{STEM}-supplement-1.pdf"]}


def test_what_sending_the_agenda_says_is_true_and_its_advice_runs_as_printed(published_meeting, smtp):
    inputs, output = published_meeting
    mailbox = Mailbox()
    path = inputs / "meeting.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[[item]]", (
        '[[recipient]]\nname = "Cllr Typo"\nemial = "typo@example.org"\n\n'
        f'[mail.smtp]\nhost = "127.0.0.1"\nport = {smtp(mailbox)}\nsecurity = "none"\n\n[[item]]'), 1), encoding="utf-8")
    # A typo in one recipient's setting costs that recipient alone, named, and counted.
    sent = _send(inputs, output, "--smtp")
    assert sent.returncode == 1, sent.stdout + sent.stderr
    assert "recipient 3 has unknown setting emial — did you mean email?" in sent.stderr
    assert sorted(to for (to,), _ in mailbox.messages) == ["ann@example.org", "press@example.org"]
    assert "2 sent, 0 already sent, 1 not sent." in sent.stdout
    # The advice to send again names --pack, and run as printed it sends the pack again.
    again = _send(inputs, output, "--smtp")
    advice = "python -m pipeline send --pack --smtp --resend"
    assert f"0 sent, 2 already sent (`{advice}` sends them again), 1 not sent." in again.stdout
    resent = run_cli(*advice.split()[3:], "--inputs", str(inputs), "--output", str(output))
    assert resent.returncode == 1 and "2 sent" in resent.stdout, resent.stdout + resent.stderr
    assert [m["Subject"] for _, m in mailbox.messages[2:]] == ["Agenda – Cabinet, 17 March 2011"] * 2
    # A pack too large to attach, with no web address to link to: named, and counted as not sent.
    path.write_text(path.read_text(encoding="utf-8").replace("[mail]", "attach_up_to_mb = 0\n[mail]").replace(
        'web = "https://www.example.org/cabinet/"\n', ""), encoding="utf-8")
    large = _send(inputs, output, "--smtp", "--resend")
    assert large.returncode == 1 and len(mailbox.messages) == 4
    assert "is larger than attach_up_to_mb, and there is no web address to link to instead" in large.stderr
    assert "0 sent, 0 already sent, 3 not sent." in large.stdout
