"""The meeting's open data (pipeline/render/opendata.py): valid OParl 1.1, and true to the files published beside it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from support import run_cli

SCHEMAS = Path(__file__).parent.parent / "schemas" / "oparl"
DATA = "2011-03-17-strategy-and-partnerships-scrutiny-committee-meeting.json"
AGENDA = DATA.replace("-meeting.json", "-agenda.html")
WEB = "https://www.example.org/committees/scrutiny/2011-03-17/"


def _as_ref(node):
    """OParl's ``"schema": "File.json"`` keyword read as the ``$ref`` it means."""
    if isinstance(node, dict):
        node = {("$ref" if key == "schema" and isinstance(value, str) else key): _as_ref(value) for key, value in node.items()}
        if "$ref" in node:  # a $ref stands alone in draft 7: its siblings would be ignored anyway
            node = {"$ref": node["$ref"]}
    elif isinstance(node, list):
        node = [_as_ref(value) for value in node]
    return node


def _rfc3339(value) -> bool:
    """Whether ``value`` is an RFC 3339 date and time: a date, T, a time and its offset from UTC."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return "T" in value and parsed.tzinfo is not None


def _validator(web: str = WEB) -> jsonschema.Draft7Validator:
    schemas = {path.name: _as_ref(json.loads(path.read_text(encoding="utf-8"))) for path in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources((name, Resource(schema, DRAFT7)) for name, schema in schemas.items())
    checker = jsonschema.FormatChecker()  # its date-time check needs a package of its own: these two are written here
    checker.checks("url")(lambda value: isinstance(value, str) and value.startswith(web))
    checker.checks("date-time")(_rfc3339)
    return jsonschema.Draft7Validator(schemas["Meeting.json"], registry=registry, format_checker=checker)


def test_the_schema_refuses_what_oparl_refuses():
    validator = _validator()
    assert list(validator.iter_errors({"id": WEB, "type": "https://schema.oparl.org/1.1/Paper"}))
    assert list(validator.iter_errors({"id": WEB, "type": "https://schema.oparl.org/1.1/Meeting",
                                       "agendaItem": [{"id": WEB, "type": "https://schema.oparl.org/1.1/AgendaItem"}]}))
    assert list(validator.iter_errors({"id": "elsewhere", "type": "https://schema.oparl.org/1.1/Meeting"}))
    assert list(validator.iter_errors({"id": WEB, "type": "https://schema.oparl.org/1.1/Meeting", "start": "17 March"}))


def test_the_meetings_data_is_valid_oparl_and_true_to_the_files(built):
    data = json.loads((built / "publish" / DATA).read_text(encoding="utf-8"))
    errors = sorted(_validator().iter_errors(data), key=str)
    assert not errors, [error.message for error in errors]
    assert data["start"] == "2011-03-17T10:00:00+00:00"
    assert [item["number"] for item in data["agendaItem"]] == [str(n) for n in range(1, 9)]
    files = [data["invitation"], *(f for item in data["agendaItem"] for f in item.get("auxiliaryFile", []))]
    # Every file published of a public paper or appendix, and the pack: the page alone is not a file of it.
    assert sorted(f["fileName"] for f in files) == sorted(
        p.name for p in (built / "publish").iterdir() if p.suffix in (".pdf", ".docx", ".html") and p.name != AGENDA)
    for file in files:
        published = built / "publish" / file["fileName"]
        assert file["accessUrl"] == WEB + file["fileName"]
        assert file["sha512Checksum"] == hashlib.sha512(published.read_bytes()).hexdigest()
        assert file["size"] == published.stat().st_size
        assert file["date"] == "2011-03-09"  # the day the agenda says it is published
        assert file["mimeType"] == {".pdf": "application/pdf", ".html": "text/html", ".docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}[published.suffix]


def test_a_change_after_publication_is_said_in_the_open_data_as_on_the_page(tmp_path):
    inputs, output = tmp_path / "inputs", tmp_path / "output"
    (inputs / "papers").mkdir(parents=True)
    meeting = (f'committee = "Cabinet"\ndate = 2011-03-17\npublished = 2011-03-09\nweb = "{WEB}"\n'
               '[[item]]\nnumber = "1"\ntitle = "Apologies"\n'
               '[[item]]\nnumber = "2"\ntitle = "Quince Road"\npaper = "papers/quince.md"\nexempt = 3\n')
    (inputs / "meeting.toml").write_text(meeting, encoding="utf-8")
    (inputs / "papers" / "quince.md").write_text('+++\ntitle = "Quince Road"\n+++\nThe sale.\n', encoding="utf-8")
    common = ("--inputs", str(inputs), "--output", str(output))
    assert run_cli("publish", *common, "--today", "2011-03-09").returncode == 0
    # Item 2 is public again, and a late item is added: the supplement says both.
    (inputs / "meeting.toml").write_text(meeting.replace("exempt = 3\n", "").replace("published = 2011-03-09", "")
                                         + '[[item]]\nnumber = "3"\ntitle = "Flood grant"\nlate = "The grant closes."\n',
                                         encoding="utf-8")
    built = run_cli("papers", *common)
    assert built.returncode == 0, built.stdout + built.stderr
    data = json.loads((output / "2011-03-17-cabinet-meeting.json").read_text(encoding="utf-8"))
    assert not sorted(_validator().iter_errors(data), key=str)
    said = {item["number"]: item.get("keyword") for item in data["agendaItem"]}
    assert said == {"1": None, "2": ["now public"], "3": ["late item"]}
    page = (output / "2011-03-17-cabinet-agenda.html").read_text(encoding="utf-8")
    assert "No longer exempt: its paper is published in this supplement" in page and "Late item" in page
