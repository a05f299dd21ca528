"""The sent log, ``output/outbox/sent.log``: a JSON line for every delivery, so that nobody is sent the same thing twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Protocol

from pipeline.filenames import append_json_line, read_json_lines
from pipeline.records.settings import Recipient


class DeliveryLog(Protocol):
    """What delivering asks of a log (the sent log, or the chase's): has this message gone to
    this address, and note that it is going, and that it went."""

    def has(self, email: str, key: str) -> bool: ...

    def in_doubt(self, email: str, key: str) -> bool: ...

    def attempt(self, recipient: Recipient, key: str) -> None: ...

    def record(self, recipient: Recipient, key: str, files: list[str]) -> None: ...


class SentLog:
    """output/outbox/sent.log: a JSON line for every delivery, so no one gets a paper twice."""

    def __init__(self, path: Path, now: dt.datetime):
        self.path = path
        self.now = now
        """When the command that writes to it ran: the time each of its entries notes."""
        self.entries: set[tuple[str, str]] = set()
        self.attempts: set[tuple[str, str]] = set()
        for entry in read_json_lines(path):
            try:
                pair = (entry["to"].casefold(), entry["paper"])
            except (KeyError, TypeError, AttributeError):
                continue  # not a delivery papers wrote
            (self.attempts if entry.get("state") == "sending" else self.entries).add(pair)

    def has(self, email: str, digest: str) -> bool:
        return (email.casefold(), digest) in self.entries

    def in_doubt(self, email: str, digest: str) -> bool:
        """Whether a send to ``email`` was begun and never recorded as done (interrupted)."""
        pair = (email.casefold(), digest)
        return pair in self.attempts and pair not in self.entries

    def _append(self, entry: dict) -> None:
        entry["at"] = self.now.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
        append_json_line(self.path, entry)

    def attempt(self, recipient: Recipient, digest: str) -> None:
        """Record that a message is about to be handed to the server."""
        self._append({"to": recipient.email, "paper": digest, "state": "sending"})
        self.attempts.add((recipient.email.casefold(), digest))

    def record(self, recipient: Recipient, digest: str, files: list[str]) -> None:
        """Record that the server accepted the message."""
        self._append({"to": recipient.email, "name": recipient.name, "paper": digest, "files": files})
        self.entries.add((recipient.email.casefold(), digest))
