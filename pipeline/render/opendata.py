"""The meeting as open data: OParl 1.1's Meeting, with its agenda items and their files, as JSON beside the meeting's page.

OParl (https://oparl.org/spezifikation/) is the published schema council information
systems use for exactly this: a Meeting with its ordered agendaItem list, each item
``public`` or not, and File objects that carry a file's date, size and checksum, so that a
reader can tell which version of a paper they hold. (Open Civic Data's Event was the other
candidate; its schema lives in a scraping framework's code rather than a published JSON
Schema, and has no place for an item's being exempt or a file's checksum.) Every id is an
address under the meeting page's web address (``web`` in meeting.toml), as OParl requires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Callable
from zoneinfo import ZoneInfo

from pipeline.records.meeting import Item, Meeting, PackLink

OPARL = "https://schema.oparl.org/1.1/"
LONDON = ZoneInfo("Europe/London")


def meeting_json(meeting: Meeting, items: list[Item], links: dict[str, str], packs: tuple[PackLink, ...],
                 page: str, name: str, content: Callable[[str], bytes | None],
                 statuses: dict[str, str] | None = None) -> str:
    """The meeting as an OParl Meeting, published as ``name``: ``links`` are the public
    items' papers by number, ``packs`` the packs published (withdrawn ones left out),
    ``page`` the meeting page's file name, ``content`` gives a published file's bytes by name,
    ``statuses`` what the supplement says of an item changed since the agenda was published
    ("late item", "now exempt" …), as the page and the front sheet say it, by number."""
    statuses = statuses or {}
    web = meeting.web
    meeting_id = f"{web}{name}"
    data: dict = {
        "id": meeting_id,
        "type": f"{OPARL}Meeting",
        "name": f"{meeting.committee}, {meeting.date:%-d %B %Y}",
        "meetingState": "scheduled",
        "cancelled": False,
        "web": f"{web}{page}",
    }
    start = _start(meeting)
    if start:
        data["start"] = start
    if meeting.venue:
        data["location"] = {"id": f"{meeting_id}#location", "type": f"{OPARL}Location", "description": meeting.venue}
    files = [_file(web, pack.href, pack.name, pack.published, content) for pack in packs if not pack.withdrawn]
    if files:
        data["invitation"] = files[0]
    if files[1:]:
        data["auxiliaryFile"] = files[1:]
    data["agendaItem"] = []
    for order, item in enumerate(items, start=1):
        entry = {"id": f"{meeting_id}#item-{order}", "type": f"{OPARL}AgendaItem", "meeting": meeting_id,
                 "number": item.number, "order": order, "name": item.title, "public": not item.exempt}
        if item.number in statuses:
            entry["keyword"] = [statuses[item.number]]
        if item.withdrawn:
            entry["result"] = f"Withdrawn: {item.withdrawn}"
        elif item.number in links and not item.exempt:
            entry["auxiliaryFile"] = [_file(web, links[item.number], item.title, "", content)]
        data["agendaItem"].append(entry)
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _file(web: str, name: str, title: str, published: str, content: Callable[[str], bytes | None]) -> dict:
    """An OParl File for the published file ``name``."""
    entry = {"id": f"{web}{name}", "type": f"{OPARL}File", "name": title, "fileName": name,
             "mimeType": "text/html" if name.endswith(".html") else "application/pdf", "accessUrl": f"{web}{name}"}
    if published:
        entry["date"] = dt.datetime.strptime(published, "%d %B %Y").date().isoformat()
    data = content(name)
    if data is not None:
        entry["size"] = len(data)
        entry["sha512Checksum"] = hashlib.sha512(data).hexdigest()
    return entry


def _start(meeting: Meeting) -> str:
    """The meeting's start as an RFC 3339 date and time (UK time), if its time reads as one."""
    found = re.fullmatch(r"(\d{1,2})[:.](\d{2})\s*(am|pm)?", meeting.time.strip().lower())
    if not found:
        return ""
    hour, minute = int(found[1]), int(found[2])
    hour += 12 if found[3] == "pm" and hour < 12 else 0
    if hour > 23 or minute > 59:
        return ""
    return dt.datetime.combine(meeting.date, dt.time(hour, minute), LONDON).isoformat()
