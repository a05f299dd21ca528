"""The plain records as JSON and back: how the cache keeps intake results, as data only.

The output folder may be a shared drive anyone can write to, so what the cache loads must
not be able to run code (as a pickle can). Only the records named here are rebuilt, field
by field; anything else in a file is refused, and the caller reads the workbook again.
"""

from __future__ import annotations

import dataclasses
import json
from enum import Enum

from pipeline.records.problems import Problem, Severity, Source
from pipeline.records.returns import Answer, CompletionDate, Contact, Return, Value
from pipeline.records.rich_text import Block, BlockKind, Delimiter, NumberFormat, Run

_RECORDS = {cls.__name__: cls for cls in (Return, Value, Answer, Block, Run, Source, Problem, CompletionDate, Contact)}
_ENUMS = {cls.__name__: cls for cls in (Severity, BlockKind, NumberFormat, Delimiter)}


class NotARecord(ValueError):
    """The JSON holds something that is not one of the plain records."""


def _encode(value):
    if isinstance(value, Enum):
        return {"enum": type(value).__name__, "value": value.value}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _RECORDS:
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"record": type(value).__name__, "fields": fields}
    if isinstance(value, dict):
        return {"dict": {str(k): _encode(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"{type(value).__name__} is not a plain record")


def _decode(value):
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)  # every sequence in a record is a tuple
    if not isinstance(value, dict):
        return value
    if set(value) == {"enum", "value"}:
        cls = _ENUMS.get(value["enum"])
        if cls is None:
            raise NotARecord(value["enum"])
        return cls(value["value"])
    if set(value) == {"record", "fields"} and isinstance(value["fields"], dict):
        cls = _RECORDS.get(value["record"])
        if cls is None:
            raise NotARecord(value["record"])
        known = {f.name for f in dataclasses.fields(cls)}
        if set(value["fields"]) - known:
            raise NotARecord(f"{value['record']} has unknown fields")
        return cls(**{k: _decode(v) for k, v in value["fields"].items()})
    if set(value) == {"dict"} and isinstance(value["dict"], dict):
        return {k: _decode(v) for k, v in value["dict"].items()}
    raise NotARecord("an object that is not a record")


def dumps(result: tuple[Return | None, list[Problem]]) -> bytes:
    """An intake result as JSON."""
    ret, problems = result
    return json.dumps({"return": _encode(ret), "problems": _encode(problems)}, ensure_ascii=False).encode("utf-8")


def loads(data: bytes) -> tuple[Return | None, list[Problem]]:
    """An intake result from JSON; raises ValueError (NotARecord, or JSON's own) if it is not one."""
    try:
        document = json.loads(data.decode("utf-8"))
        ret = _decode(document["return"])
        problems = list(_decode(document["problems"]))
    except (KeyError, TypeError, AttributeError, UnicodeDecodeError, RecursionError) as error:
        raise NotARecord(str(error)) from None
    if ret is not None and not isinstance(ret, Return):
        raise NotARecord("the return is not a Return")
    if ret is not None:
        # Return is mutable, with dicts and a tuple of answers; the rest decode as typed.
        ret.answers = tuple(ret.answers)
    if not all(isinstance(p, Problem) for p in problems):
        raise NotARecord("a problem is not a Problem")
    return ret, problems
