"""The one way every message leaves: said (a dry run), written as drafts for the officer's mail program, or handed to the mail server.

The paper, the reminders and the agenda's versions are each planned by their own stage,
which then calls :func:`dispatch` with the messages, the log that knows what went before,
and the way the officer asked for. What it did comes back as one :class:`Dispatched`,
which the command line says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable

from pipeline.mail.compose import Outgoing, write_drafts
from pipeline.mail.logs import DeliveryLog
from pipeline.mail.smtp import Outcome, deliver
from pipeline.records.settings import Smtp

Login = Callable[[Smtp], tuple[str, str]]
"""Asked for the user name and password to log in to the server with (the command line
asks the officer, or reads the environment), only when something is to be sent."""


class Way(str, Enum):
    """How the messages leave."""

    DRAFTS = "drafts"  # written as .eml files, to send from Outlook or Thunderbird
    SMTP = "smtp"  # handed to the mail server


@dataclass
class Dispatched:
    """What dispatching did: on a dry run, each message and those of its recipients the log
    says were sent it already; as drafts, each message and its draft; through SMTP, the
    server's outcome, person by person."""

    way: Way
    dry_run: bool = False
    planned: list[tuple[Outgoing, list[str]]] = field(default_factory=list)
    drafts: list[tuple[Outgoing, Path]] = field(default_factory=list)
    outcome: Outcome | None = None


def dispatch(outgoing: list[Outgoing], way: Way, *, drafts: Path, log: DeliveryLog, key: str = "",
             resend: bool = False, dry_run: bool = False, smtp: Smtp | None = None,
             login: Login | None = None) -> Dispatched:
    """``outgoing`` written as drafts into the folder ``drafts``, or sent through ``smtp``
    (logging in as ``login`` says), or with ``dry_run`` only said; each message known to
    ``log`` by its own key or ``key``, and sent again to someone who had it only with ``resend``."""
    done = Dispatched(way, dry_run)
    if dry_run:
        done.planned = [(item, [r.email for r in item.recipients if not resend and log.has(r.email, item.key or key)])
                        for item in outgoing]
    elif way is Way.DRAFTS:
        done.drafts = list(zip(outgoing, write_drafts(outgoing, drafts)))
    else:
        if smtp is None or login is None:
            raise ValueError("sending needs a server and a way to log in to it")
        username, password = login(smtp)
        done.outcome = deliver(outgoing, smtp, username, password, log, key, resend)
    return done


def way(use_smtp: bool) -> Way:
    """The way the officer asked for: through the server, or (the default) as drafts."""
    return Way.SMTP if use_smtp else Way.DRAFTS
