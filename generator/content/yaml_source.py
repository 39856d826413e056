"""Safe YAML reading that remembers where every value came from.

PyYAML's ``safe_load`` loses line numbers, keeps the last of two duplicate
keys without a word, expands aliases (a nine-level alias bomb grows to a
billion nodes) and turns ``0501234567`` into the octal number 84228471.  So
we compose the node graph ourselves: anchors and aliases are refused while
composing, keys are kept as the text the contributor typed, duplicates are
reported, and every value's line and raw text is kept in a `SourceMap` so
later stages can say "line 7: YAML read this as a number, quote it".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """Where one value stands in its file."""

    line: int
    raw: str | None = None  # the scalar as typed, for "YAML read X as Y" messages
    plain: bool = False  # an unquoted scalar, which YAML may have turned into a non-string


@dataclass
class SourceMap:
    """Field path → location, for one document."""

    offset: int = 0  # lines before the document (front matter starts after `---`)
    locations: dict[Path_, Located] = field(default_factory=dict)
    start_line: int = 1

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest located parent."""
        path = tuple(path)
        while path:
            if path in self.locations:
                return self.locations[path].line
            path = path[:-1]
        return self.locations[()].line if () in self.locations else self.start_line

    def get(self, path: Path_) -> Located | None:
        return self.locations.get(tuple(path))


@dataclass(frozen=True)
class YamlProblem:
    """A problem found while reading YAML: its line, what, and what to do."""

    line: int
    message: str
    hint: str
    path: Path_ = ()


# libyaml (C) composes about ten times faster than PyYAML's Python parser; both give the same nodes.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _first_anchor_or_alias(text: str) -> int | None:
    """Line (0-based) of the first anchor or alias, found from the event stream before composing.

    Composing never expands aliases (an alias is the same node again), but the
    conversion to Python would, so they are refused here, before that.
    """
    if "&" not in text and "*" not in text:
        return None  # no event can carry one
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            return event.start_mark.line
    return None


MAX_DEPTH = 32
"""Levels of nesting a file may have (front matter needs four). libyaml composes nested nodes by recursion in C,
and a file of 100,000 '[' crashes the process, so depth is measured from the event stream first."""
_INDENT = re.compile(r"^[ \-?:]*", re.MULTILINE)


def _too_deep(text: str) -> int | None:
    """Line (0-based) where nesting passes `MAX_DEPTH`, or None.

    Each level needs a bracket, or more indentation, '-', '?' or ':' at the start of a line; when those
    cannot add up to the limit (every real file) the events are not read at all.
    """
    bound = text.count("[") + text.count("{") + max((len(m) for m in _INDENT.findall(text)), default=0) + 1
    if bound <= MAX_DEPTH:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def read_yaml(text: str, line_offset: int = 0) -> tuple[Any, SourceMap, list[YamlProblem]]:
    """Parse one YAML document; returns (data, source map, problems).

    ``line_offset`` is the number of lines before ``text`` in its file.
    On a syntax error the data is ``None`` and the problem says where.
    """
    smap = SourceMap(offset=line_offset, start_line=line_offset + 1)
    loader = _Loader(text)
    try:
        anchor_line = _first_anchor_or_alias(text)
        if anchor_line is not None:
            return (
                None,
                smap,
                [
                    YamlProblem(
                        anchor_line + 1 + line_offset,
                        "YAML anchors and aliases (& and *) are not allowed",
                        "Write the value out in full where it is needed",
                    )
                ],
            )
        deep_line = _too_deep(text)
        if deep_line is not None:
            return (
                None,
                smap,
                [
                    YamlProblem(
                        deep_line + 1 + line_offset,
                        f"the YAML is nested more than {MAX_DEPTH} levels deep",
                        "Write the value as a plain list of fields; no field of the knowledge base nests that deep",
                    )
                ],
            )
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        what = _plain_syntax_error(err.problem or "the YAML cannot be read")
        return (
            None,
            smap,
            [
                YamlProblem(
                    line,
                    f"YAML syntax error: {what}",
                    "Check the indentation and that text containing ':' or '#' is in quotes",
                )
            ],
        )
    except yaml.YAMLError as err:
        return None, smap, [YamlProblem(line_offset + 1, f"YAML error: {err}", "Fix the YAML syntax")]
    finally:
        loader.dispose()
    if node is None:
        return None, smap, []
    problems: list[YamlProblem] = []
    data = _convert(node, (), smap, problems, loader)
    return data, smap, problems


_STR_TAG = "tag:yaml.org,2002:str"


def _shown_tag(tag: str) -> str:
    """The tag as a contributor types it: ``!!timestamp``, not ``tag:yaml.org,2002:timestamp``."""
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


_PLAIN_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _convert(node: Node, path: Path_, smap: SourceMap, problems: list[YamlProblem], loader: yaml.SafeLoader) -> Any:
    line = node.start_mark.line + 1 + smap.offset
    if not isinstance(node, ScalarNode) and node.tag not in _PLAIN_COLLECTION_TAGS:
        problems.append(
            YamlProblem(
                line, f"the YAML tag '{_shown_tag(node.tag)}' is not allowed", "Remove the tag (the word starting with !)", path
            )
        )
    if isinstance(node, MappingNode):
        smap.locations[path] = Located(line)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + smap.offset
            if not isinstance(key_node, ScalarNode):
                problems.append(YamlProblem(key_line, "a key must be a plain name", "Write the key as a simple word", path))
                continue
            # The key as typed: `no:` stays "no", never False.
            key = key_node.value
            if key in result:
                problems.append(
                    YamlProblem(
                        key_line,
                        f"'{key}' appears twice in the same place (first on line {smap.line(path + (key,))})",
                        "Keep one of them and delete the other",
                        path + (key,),
                    )
                )
                continue
            result[key] = _convert(value_node, path + (key,), smap, problems, loader)
            # Point at the key's line: that is the line a contributor looks for.
            old = smap.locations[path + (key,)]
            smap.locations[path + (key,)] = Located(key_line, old.raw, old.plain)
        return result
    if isinstance(node, SequenceNode):
        smap.locations[path] = Located(line)
        return [_convert(item, path + (i,), smap, problems, loader) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    plain = not node.style  # None from PyYAML, "" from libyaml
    smap.locations[path] = Located(line, node.value, plain)
    if node.tag == _STR_TAG:
        return node.value  # text, as most values are: nothing to construct (escapes were read already)
    implicit_tag = loader.resolve(ScalarNode, node.value, (plain, not plain))
    if node.tag != implicit_tag:
        problems.append(
            YamlProblem(
                line, f"the YAML tag '{_shown_tag(node.tag)}' is not allowed", "Remove the tag (the word starting with !)", path
            )
        )
        return node.value
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        problems.append(
            YamlProblem(
                line, f"the YAML tag '{_shown_tag(node.tag)}' is not allowed", "Remove the tag (the word starting with !)", path
            )
        )
    except (ValueError, TypeError, AttributeError, OverflowError):
        # A date-like scalar that is no real date (2020-13-01): keep the text, so the
        # schema reports it as a bad date instead of the whole check crashing.
        pass
    return node.value


_SYNTAX_IN_PLAIN_WORDS = {
    "mapping values are not allowed": "a ':' where a new field cannot start (text containing ':' needs quotes)",
    "did not find expected key": "a line does not line up with the fields around it",
    "expected <block end>": "a line does not line up with the fields around it",
    "could not find expected ':'": "a line has no ':' after its field name, or a quote is not closed",
    "found character that cannot start any token": "a value starts with a character YAML reserves (such as @, ` or a tab)",
    "found unexpected end of stream": "a quote or bracket is opened and never closed",
    "did not find expected ',' or ']'": "a list in [ ] is not closed, or an item in it needs quotes",
    "did not find expected ',' or '}'": "a set of fields in { } is not closed",
    "found a tab character": "a tab is used for indentation (use spaces)",
}


def _plain_syntax_error(problem: str) -> str:
    """libyaml's message in plain words, keeping the original for those who know YAML."""
    for start, plain in _SYNTAX_IN_PLAIN_WORDS.items():
        if problem.startswith(start):
            return f"{plain} ({problem})"
    return problem


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split a Markdown file into (front matter, body, line where the body starts).

    The front matter sits between a first line ``---`` and the next line that
    is ``---`` or ``...``.  Returns ``None`` as front matter when there is none.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    return None, text, 1
