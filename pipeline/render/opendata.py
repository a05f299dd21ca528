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
import json
import re
from zoneinfo import ZoneInfo

from pipeline.records.meeting import Attachment, Item, Meeting, MinutesLink, PackLink

OPARL = "https://schema.oparl.org/1.1/"
LONDON = ZoneInfo("Europe/London")


MIME_TYPES = {"HTML": "text/html", "PDF": "application/pdf",
              "Word": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def meeting_json(meeting: Meeting, items: list[Item], files: dict[str, tuple[Attachment, ...]],
                 packs: tuple[PackLink, ...], page: str, name: str, statuses: dict[str, str] | None = None,
                 minutes: MinutesLink | None = None) -> str:
    """The meeting as an OParl Meeting, published as ``name``: ``files`` are every file
    published of each public item, by number, ``packs`` the packs published (withdrawn ones
    left out), ``page`` the meeting page's file name, ``statuses`` what the supplement says of
    an item changed since the agenda was published ("late item", "now exempt" …), as the page
    and the front sheet say it, by number; ``minutes``, once published, the meeting's
    ``resultsProtocol`` and each item's ``result`` and ``resolutionText``."""
    statuses = statuses or {}
    results = {number: (result, text) for number, result, text in minutes.results} if minutes else {}
    web = meeting.web
    meeting_id = f"{web}{name}"
    data: dict = {
        "id": meeting_id,
        "type": f"{OPARL}Meeting",
        "name": f"{meeting.committee}, {meeting.date:%-d %B %Y}",
        "meetingState": "held" if minutes else "scheduled",
        "cancelled": False,
        "web": f"{web}{page}",
    }
    start = _start(meeting)
    if start:
        data["start"] = start
    if meeting.venue:
        data["location"] = {"id": f"{meeting_id}#location", "type": f"{OPARL}Location", "description": meeting.venue}
    found = [_file(web, pack.file) for pack in packs if not pack.withdrawn and pack.file]
    if found:
        data["invitation"] = found[0]
    if found[1:]:
        data["auxiliaryFile"] = found[1:]
    protocol = next((file for file in minutes.files if file.format == "PDF"), None) if minutes else None
    if protocol:
        data["resultsProtocol"] = _file(web, protocol)
    data["agendaItem"] = []
    for order, item in enumerate(items, start=1):
        entry = {"id": f"{meeting_id}#item-{order}", "type": f"{OPARL}AgendaItem", "meeting": meeting_id,
                 "number": item.number, "order": order, "name": item.title, "public": not item.exempt}
        if item.number in statuses:
            entry["keyword"] = [statuses[item.number]]
        if item.withdrawn:
            entry["result"] = f"Withdrawn: {item.withdrawn}"
        elif files.get(item.number) and not item.exempt:
            entry["auxiliaryFile"] = [_file(web, file) for file in files[item.number]]
        if item.number in results and not item.withdrawn:
            result, text = results[item.number]
            entry["result"] = result.capitalize()
            if text and not item.exempt:
                entry["resolutionText"] = text
        data["agendaItem"].append(entry)
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _file(web: str, file: Attachment) -> dict:
    """An OParl File for a published file."""
    return {"id": f"{web}{file.href}", "type": f"{OPARL}File", "name": file.title, "fileName": file.href,
            "mimeType": MIME_TYPES[file.format], "date": file.published, "size": file.size,
            "sha512Checksum": file.sha512, "accessUrl": f"{web}{file.href}"}


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
