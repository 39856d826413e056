"""Which outcome fields a sheet carries, and how a cell becomes one of their values.

Everything is asked of the content model (`schema.ForumOutcome`): which editable fields exist, whether one is
required, which values it takes and which collections it refers to. A field added to the model later (such as
``progress``) becomes a column of the sheet, and is checked the way the model checks it, without a change here.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, TypeAdapter, ValidationError

from ..content import registry, schema
from ..content.references import Graph
from ..content.yaml_source import read_yaml

EDITABLE = ("owner", "due", "status", "progress")
"""The fields a sheet may change, in the order of their columns; those the content model does not have are left out."""
READ_ONLY = ("title", "kind")
"""Columns for finding one's way in the sheet; a change to them is reported, never written."""
KEYS = ("id", "forum")
"""The columns that name the outcome a row is about."""

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
"""What an editable cell may hold: every value of those fields (an id, a date, a number, a status) has this shape,
and nothing of this shape can change the YAML around it (no ':', '#', quote, bracket, space or line break)."""


@dataclass(frozen=True)
class FieldRule:
    """What the content model says one editable field takes."""

    name: str
    required: bool
    adapter: TypeAdapter[Any]
    choices: tuple[str, ...] = ()
    """A choice's values, in the model's order."""
    refers_to: tuple[str, ...] = ()
    """The collections an id in it must name."""
    is_date: bool = False


class CellError(Exception):
    """A cell that is no value of its field: what is wrong, and what to write instead."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


def editable_fields() -> list[str]:
    """The editable fields the content model has, in column order."""
    return [name for name in EDITABLE if name in schema.ForumOutcome.model_fields]


def columns() -> list[str]:
    """The sheet's header: the outcome's id and forum, the read-only columns, then the editable ones."""
    return [*KEYS, *READ_ONLY, *editable_fields()]


def field_order() -> list[str]:
    """The outcome's fields in the content model's order: where a field that is added to a file goes."""
    return list(schema.ForumOutcome.model_fields)


@cache
def rule(name: str) -> FieldRule:
    info = schema.ForumOutcome.model_fields[name]
    annotation: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    choices: tuple[str, ...] = ()
    refers_to: tuple[str, ...] = ()
    is_date = False
    for marker in _markers(annotation):
        if isinstance(marker, tuple):
            choices = marker
        elif isinstance(marker, schema.RefTo):
            refers_to = marker.collections
        elif isinstance(marker, BeforeValidator) and marker.func is schema.parse_partial_date:
            is_date = True
    return FieldRule(name, info.is_required(), TypeAdapter(annotation), choices, refers_to, is_date)


def _markers(annotation: Any) -> typing.Iterator[Any]:
    """The metadata inside a field's type (`RefTo`, validators), and a choice's values as a tuple."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *metadata = typing.get_args(annotation)
        yield from metadata
        yield from _markers(base)
    elif origin is Literal:
        yield tuple(str(value) for value in typing.get_args(annotation))
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _markers(arg)


def yaml_value(token: str) -> Any:
    """What YAML reads from ``token`` written after a field's name: ``2025-03-01`` is a date, ``50`` a number."""
    data, _, problems = read_yaml(f"value: {token}")
    if problems or not isinstance(data, dict):
        raise CellError(f"'{token}' cannot be written in a content file", "Write an id, a date or a number")
    return data["value"]


def read_cell(field: str, text: str, graph: Graph) -> Any:
    """The value of ``field`` that the cell ``text`` (its spreadsheet prefix taken off already) means, as the model
    holds it; None for an empty cell of an optional field. Raises `CellError`."""
    spec = rule(field)
    text = text.strip()
    if not text:
        if spec.required:
            raise CellError(f"{field} cannot be empty: every outcome has one", _what_to_write(spec))
        return None
    if not _TOKEN.fullmatch(text):
        raise CellError(_not_a_value(spec, text), _what_to_write(spec))
    read = yaml_value(text)
    if read is None:  # null, Null, ~: YAML's words for no value, which would remove the field
        raise CellError(f"'{text}' means no value", f"Leave the cell empty for no value; else: {_what_to_write(spec)}")
    try:
        value = spec.adapter.validate_python(read)
    except ValidationError as error:
        message = _not_a_value(spec, text) if spec.choices or spec.refers_to else f"'{text}': {error.errors()[0]['msg']}"
        raise CellError(message, _what_to_write(spec)) from None
    # The cell's text is what the file will hold: it must be the value as written, not another spelling YAML reads
    # the same way (0x10, 1_0, 050), which other YAML readers read otherwise.
    if str(value) != text:
        raise CellError(f"'{text}' is read as {value}", f"Write {value}")
    if spec.refers_to and isinstance(value, str) and graph.find(spec.refers_to, value) is None:
        known = sorted({i for name in spec.refers_to for i in graph.entries.get(name, {})})
        guess = difflib.get_close_matches(value, known, n=1)
        where = " or ".join(registry.COLLECTIONS[name].where for name in spec.refers_to)
        hint = (f"Did you mean '{guess[0]}'? " if guess else "") + _what_to_write(spec)
        raise CellError(f"'{value}' does not exist in {where}", hint)
    return value


def _not_a_value(spec: FieldRule, text: str) -> str:
    if spec.choices:
        return f"'{text}' is not a value of {spec.name}"
    if spec.refers_to:
        kinds = " or ".join(registry.COLLECTIONS[name].noun for name in spec.refers_to)
        return f"'{text}' is not the id of {kinds}"
    if spec.is_date:
        return f"'{text}' is not a date"
    return f"'{text}' is not a value of {spec.name}"


def _what_to_write(spec: FieldRule) -> str:
    if spec.choices:
        return "Use one of: " + ", ".join(spec.choices)
    if spec.refers_to:
        where = " or ".join(registry.COLLECTIONS[name].where for name in spec.refers_to)
        empty = ", or leave the cell empty" if not spec.required else ""
        return f"Use the id of an entry of {where} (its file's name, e.g. ministry-of-education){empty}"
    if spec.is_date:
        # Excel turns 2025-03-31 into 31/03/2025 when it opens a CSV; the sheet takes the content model's forms only.
        return (
            "Write it as YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2025-03-31); if the spreadsheet changed the date's form, "
            "format the column as text and type the date again"
        )
    return f"Write a value {spec.name} takes, as the content model describes it"
