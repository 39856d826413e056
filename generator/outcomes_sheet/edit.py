"""Changing an outcome's field in a forum file line by line, leaving every other byte as it was.

A contributor's file is theirs: its comments, key order, quotes and line ends stay. So the file is never dumped
from data again; the lines of the changed values are found from the YAML's nodes (their line and column) and only
those are replaced, removed or added. What cannot be changed that way safely (an outcome in ``{ }``, a value over
several lines) is refused, and every edited file is read again and must hold exactly the data intended.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..content.load import RawEntry
from ..content.validate import validate_entry
from ..content.yaml_source import read_yaml, split_front_matter
from ..errors import Problem
from . import fields

BOM = "\ufeff"
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters YAML also takes as line ends: a file holding one has lines YAML counts differently from us."""


@dataclass(frozen=True)
class Change:
    """One value a sheet changes: outcome ``index`` of forum ``forum``, its ``field`` from ``old`` to ``new``."""

    forum: str
    index: int
    field: str
    old: Any
    new: Any
    """The value as the model holds it; None removes the field."""
    text: str
    """The cell as it will be written (an id, a date, a number); empty when the field is removed."""
    sheet_line: int


@dataclass(frozen=True)
class Edited:
    """A change as made: the line of the forum file where it now stands."""

    path: Path
    line: int
    change: Change


class Refused(Exception):
    """A change that cannot be made line by line safely."""

    def __init__(self, line: int, message: str, hint: str):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def edit_forum(path: Path, forum_id: str, text: str, changes: list[Change]) -> tuple[str, list[Edited], list[Problem]]:
    """``text`` (a forum file) with ``changes`` made; returns (new text, what was changed, problems). With problems
    the text is the old one: a file is changed whole or not at all."""

    def refused(line: int, message: str, hint: str, change: Change | None = None) -> Problem:
        where = f"outcomes[{change.index}].{change.field}" if change else "outcomes"
        sheet = f" (line {change.sheet_line} of the sheet)" if change else ""
        return Problem(path, line, "forums", forum_id, where, message + sheet, hint)

    if any(mark in text for mark in _OTHER_BREAKS) or "\r" in text.replace("\r\n", ""):
        return text, [], [refused(1, "the file has line ends other than LF or CRLF", "Save it with ordinary line ends")]
    normal = text.removeprefix(BOM).replace("\r\n", "\n")
    front, _, _ = split_front_matter(normal)
    if front is None:
        return text, [], [refused(1, "the file has no front matter", "Run `kb check` first")]
    lines = text.split("\n")
    plan = _Plan(lines)
    problems: list[Problem] = []
    try:
        outcomes = _outcomes_node(front)
    except Refused as why:
        return text, [], [refused(why.line, why.message, why.hint)]
    for change in sorted(changes, key=lambda c: (c.index, fields.field_order().index(c.field))):
        try:
            going = {c.field for c in changes if c.index == change.index and c.new is None}
            _plan_change(plan, outcomes, change, going)
        except Refused as why:
            problems.append(refused(why.line, why.message, why.hint, change))
    if problems:
        return text, [], problems
    new_text, lines_of = plan.apply()
    problems = _verify(path, forum_id, front, new_text, changes, plan.tokens)
    if problems:
        return text, [], problems
    # A change with no line is an empty cell for a field the file does not have: nothing was there to remove.
    return new_text, [Edited(path, lines_of[id(change)], change) for change in changes if id(change) in lines_of], []


def _outcomes_node(front: str) -> SequenceNode:
    # PyYAML's own composer: its marks count characters, which is what a line's columns are here.
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise Refused(1, "the front matter cannot be read line by line", "Run `kb check` first") from None
    if not isinstance(root, MappingNode):
        raise Refused(1, "the front matter is not a set of fields", "Run `kb check` first")
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "outcomes":
            if not isinstance(value, SequenceNode) or value.flow_style:
                raise Refused(
                    _file_line(key),
                    "the outcomes are written in [ ] on one line, so they cannot be changed line by line",
                    "Write each outcome as a '- ' item with one field a line, as the content model shows",
                )
            return value
    raise Refused(1, "the forum has no outcomes", "Export the sheet again")


def _file_line(node: Node) -> int:
    """A node's line in the file (1-based): the front matter starts on the file's second line."""
    return node.start_mark.line + 2


class _Plan:
    """Line operations on the file as it is, applied together so no line number shifts under another."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.replace: dict[int, tuple[str, Change]] = {}
        self.delete: dict[int, Change] = {}
        self.insert: dict[int, list[tuple[int, str, Change]]] = {}
        self.tokens: dict[int, str] = {}
        """Each change's value as written, by the change's id()."""

    def apply(self) -> tuple[str, dict[int, int]]:
        """The new text, and the line (1-based, in the new text) of each change, by the change's id()."""
        out: list[str] = []
        line_of: dict[int, int] = {}
        for index, line in enumerate(self.lines):
            for _, new_line, change in sorted(self.insert.get(index, []), key=lambda item: item[0]):
                out.append(new_line)
                line_of[id(change)] = len(out)
            if index in self.delete:
                line_of[id(self.delete[index])] = len(out) + 1
                continue
            if index in self.replace:
                line, change = self.replace[index]
                line_of[id(change)] = len(out) + 1
            out.append(line)
        return "\n".join(out), line_of


def _plan_change(plan: _Plan, outcomes: SequenceNode, change: Change, going: set[str]) -> None:
    """Plan ``change``; ``going`` are the outcome's fields other changes remove (a new line is not placed by them)."""
    item = outcomes.value[change.index]
    if not isinstance(item, MappingNode) or item.flow_style or not item.value:
        raise Refused(
            _file_line(item),
            "the outcome is written in { } on one line, so it cannot be changed line by line",
            "Write its fields one a line under its '- ', as the content model shows",
        )
    keys = {key.value: (key, value) for key, value in item.value if isinstance(key, ScalarNode)}
    if change.field in keys:
        key, value = keys[change.field]
        row = key.start_mark.line + 1  # index into the file's lines
        if (
            not isinstance(value, ScalarNode)
            or value.style not in (None, "", "'", '"')
            or value.start_mark.line != key.start_mark.line
            or value.end_mark.line != key.start_mark.line
        ):
            raise Refused(
                row + 1,
                f"{change.field} is written over more than one line, so it cannot be changed line by line",
                "Write it on one line after its name, or change it in the file itself",
            )
        line, cr = _split_cr(plan.lines[row])
        if change.new is None:
            if line[: key.start_mark.column].strip():
                raise Refused(
                    row + 1,
                    f"{change.field} is the first field of its outcome (on the line with '-'), so its line cannot go",
                    "Remove it in the file itself, or move another field of the outcome first",
                )
            plan.delete[row] = change
            return
        token = plan.tokens[id(change)] = _token(change, value.style or "")
        plan.replace[row] = (line[: value.start_mark.column] + token + line[value.end_mark.column :] + cr, change)
        return
    if change.new is None:
        return  # nothing to remove: the field is not there (and `old` was None, so this is no change at all)
    # The new line goes after the field that comes before it in the content model, where a contributor would put it.
    order = fields.field_order()
    place = order.index(change.field)
    before = [name for name in keys if name in order and order.index(name) < place and name not in going]
    after_key = max(before, key=order.index) if before else list(keys)[-1]
    end = keys[after_key][1].end_mark
    row = end.line + (0 if end.column == 0 else 1) + 1
    indent = item.value[0][0].start_mark.column
    _, cr = _split_cr(plan.lines[row - 1])
    token = plan.tokens[id(change)] = _token(change, "")
    plan.insert.setdefault(row, []).append((place, " " * indent + f"{change.field}: {token}" + cr, change))


def _split_cr(line: str) -> tuple[str, str]:
    return (line[:-1], "\r") if line.endswith("\r") else (line, "")


def _token(change: Change, style: str) -> str:
    """The value as written: in the quotes it had, where the quoted text means the same value; else plain."""
    if style in ("'", '"'):
        try:
            if fields.rule(change.field).adapter.validate_python(change.text) == change.new:
                return f"{style}{change.text}{style}"
        except ValueError:
            pass
    return change.text


def _verify(
    path: Path, forum_id: str, old_front: str, new_text: str, changes: list[Change], tokens: dict[int, str]
) -> list[Problem]:
    """The new file must read as the old one with exactly ``changes`` made, and still be a valid forum."""
    normal = new_text.removeprefix(BOM).replace("\r\n", "\n")
    new_front, body, body_line = split_front_matter(normal)
    old_data, _, _ = read_yaml(old_front, line_offset=1)
    new_data, smap, yaml_problems = read_yaml(new_front or "", line_offset=1)
    expected = copy.deepcopy(old_data)
    for change in changes:
        outcome = expected["outcomes"][change.index]
        if change.new is None:
            outcome.pop(change.field, None)
        else:
            outcome[change.field] = fields.yaml_value(tokens[id(change)])
    if new_front is None or yaml_problems or new_data != expected:
        return [
            Problem(
                path,
                1,
                "forums",
                forum_id,
                "outcomes",
                "the file could not be changed line by line safely, so it was left as it was",
                "Make these changes in the file itself",
            )
        ]
    _, problems, _ = validate_entry(RawEntry("forums", forum_id, path, new_data, smap, body, body_line))
    return problems
