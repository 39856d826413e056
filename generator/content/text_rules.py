"""Checks on text that no schema type expresses, for friendly early errors with their lines.

Field values: invisible bidi controls, control characters, HTML tags in plain text, ID numbers.
Bodies: the same, plus what the sanitizer would remove from the HTML a contributor wrote, addresses
that lead outside the site's rules, and notes of a kind that does not exist. None of this is what
keeps a page safe (the sanitizer is, `sanitize`); it tells a contributor what to change.

Each check returns ``(line within the text, message, hint)`` tuples; the validate stage turns them
into located problems.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator

from . import personal_data, sanitize
from .body import RenderedBody

Finding = tuple[int, str, str] | tuple[int, str, str, str]
"""(line, what is wrong, what to do[, "warning"])."""

BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_BIDI_RE = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
# C0 controls but tab and line feed, DEL, C1 controls, the line and paragraph separators, lone surrogates and the
# two noncharacters XML refuses: YAML can write any of them as an escape ("\v", "\x85", "\L", "\ud800"); they are
# invisible, feeds cannot hold them, and YAML reads the separators as line breaks.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_TAG_RE = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")

BIDI = (
    "contains invisible bidirectional control characters (U+202A–U+202E, U+2066–U+2069)",
    "Delete them; they can make text read differently from how it looks (RLM/LRM marks are fine)",
)
CONTROL = (
    "contains an invisible control character",
    "Delete it (it may have come from a copy and paste, or a YAML escape such as \\v)",
)
ID_NUMBER = (
    "contains what looks like an Israeli ID number",
    "Remove personal ID numbers: they are personal data and must not be published "
    "(a phone number is written with its dash, 04-6011111, or after the word טלפון)",
)
HTML_IN_TEXT = ("contains an HTML tag, but this field is plain text", "Remove the tag")


def find_bidi_controls(text: str) -> list[int]:
    """Offsets of bidi control characters (RLM and LRM marks are fine)."""
    return [m.start() for m in _BIDI_RE.finditer(text)]


def find_control_characters(text: str) -> list[int]:
    return [m.start() for m in _CONTROL_RE.finditer(text)]


def field_findings(text: str) -> Iterator[tuple[str, str]]:
    """What is wrong with one plain-text field value, as (message, hint)."""
    if find_bidi_controls(text):
        yield BIDI
    if find_control_characters(text):
        yield CONTROL
    if personal_data.find_israeli_ids(text):
        yield ID_NUMBER
    if _TAG_RE.search(text):
        yield HTML_IN_TEXT


def lines_at(text: str, offsets: list[int]) -> list[int]:
    """The line (from 1) of each of ``offsets`` in ``text``: one pass over the text, however many offsets."""
    breaks = [match.start() for match in re.finditer("\n", text)] if offsets else []
    return [bisect.bisect_left(breaks, offset) + 1 for offset in offsets]


def _lines_of(text: str, offsets: list[int]) -> list[int]:
    return sorted(set(lines_at(text, offsets)))


def body_findings(source: str, rendered: RenderedBody) -> Iterator[Finding]:
    """Everything stage 2 tells a contributor about a body (``source``, as written; ``rendered``, as read)."""
    for finder, (message, hint) in ((find_bidi_controls, BIDI), (find_control_characters, CONTROL)):
        # As written, and as read: a character reference (&#x202e;) writes the same invisible character.
        lines = set(_lines_of(source, finder(source)))
        lines.update(text.line for text in rendered.texts if finder(text.text))
        for line in sorted(lines):
            yield line, message, hint
    for line in sorted(_id_number_lines(source, rendered)):
        yield line, *ID_NUMBER
    for image in rendered.outside_images:
        yield (
            image.line,
            f"the image '{image.url}' is on another site: the page shows it as a link, and does not load it",
            "To show it, put the picture in content/files/ and write ![תיאור](../files/name.png)",
            "warning",
        )
    for first, piece in rendered.raw_html:
        found = list(sanitize.violations(piece))
        for violation, line in zip(found, lines_at(piece, [v.offset for v in found]), strict=True):
            yield first + line - 1, violation.message, violation.hint
    for line, kind in rendered.notes:
        if kind not in sanitize.ADMONITION_TYPES:
            yield (
                line,
                f"'{kind}' is not a kind of note",
                f'Use one of: {", ".join(sorted(sanitize.ADMONITION_TYPES))} (e.g. !!! note "כותרת")',
            )
    for line, text in rendered.attribute_lists:
        yield (
            line,
            f"'{text}' is an attribute list, which the site's Markdown does not read: it would show as text",
            "Remove it: a body cannot set ids, classes or attributes (headings get their anchors automatically)",
        )
    for address in rendered.addresses:
        problem = sanitize.url_violation("src" if address.kind == "image" else "href", address.url)
        if problem is None and address.kind == "image" and not _is_image(address.url):
            problem = (
                f"'{address.url}' is not a picture, so it cannot be shown as an image",
                f"Show a picture file ({', '.join(sanitize.IMAGE_EXTENSIONS)}), or link to the file: [כותרת](../files/name)",
            )
        if problem:
            yield address.line, *problem


def _is_image(url: str) -> bool:
    return url.split("#")[0].split("?")[0].lower().endswith(sanitize.IMAGE_EXTENSIONS)


def _id_number_lines(source: str, rendered: RenderedBody) -> set[int]:
    """Lines with an ID number: in the text as written (a label may sit a line above its number); in each
    block as a reader sees it (character references decoded), anywhere in a block or list that names IDs; in
    a table whose header names them; and in the HTML of each part, attributes included (a title, an alt)."""
    offsets, offset = [], 0
    for chunk in re.split(r"(\n[ \t]*\n)", source):  # paragraph by paragraph: a label never reaches across a blank line
        offsets.extend(offset + start for start, _ in personal_data.find_israeli_ids(chunk))
        offset += len(chunk)
    lines = set(_lines_of(source, offsets))
    for text in rendered.texts:
        found = [start for start, _ in personal_data.find_israeli_ids(text.text, block=True, named=text.named)]
        lines.update(text.line + line - 1 for line in _lines_of(text.text, found))
    for table in rendered.tables:
        cells = [cells for _, cells in table.rows]
        lines.update(table.rows[row][0] for row, _ in personal_data.table_ids(table.header, cells, table.named))
    for first, piece in rendered.raw_html:  # attributes too (a title, an alt), read as the browser reads them
        decoded = html.unescape(piece)
        lines.update(first + line - 1 for line in _lines_of(decoded, [s for s, _ in personal_data.find_israeli_ids(decoded)]))
    return lines
