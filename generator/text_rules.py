"""Checks on text that no schema type expresses: invisible bidi controls,
Israeli ID numbers, and HTML or Markdown that could run script or clobber the theme.

Each check returns ``(line offset or path, message, hint)`` tuples; the
validate stage turns them into located problems.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from markdown.extensions.toc import slugify_unicode

BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_BIDI_RE = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")

# ת"ז, ת״ז, ת.ז., תעודת זהות, מספר זהות, מס' זהות
_ID_CONTEXT = re.compile(r"ת[\"״'׳.]\s?ז\.?|תעודת[\s\-־]+זהות|מספר[\s\-־]+זהות|מס['׳]?[\s\-־]+זהות|ת\.\s?זהות")
_NINE_DIGITS = re.compile(r"(?<![\d])(\d{9})(?![\d])|(?<![\d])(\d{8})-(\d)(?![\d])")
_ID_WINDOW = 40  # characters around the number in which a context word counts


def israeli_id_valid(digits: str) -> bool:
    """The check digit of an Israeli ID number (Luhn-like, weights 1,2,1,2...)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (1 if index % 2 == 0 else 2)
        total += product // 10 + product % 10
    return total % 10 == 0


def find_bidi_controls(text: str) -> list[int]:
    """Offsets of bidi control characters (RLM and LRM marks are fine)."""
    return [m.start() for m in _BIDI_RE.finditer(text)]


def find_israeli_ids(text: str) -> list[int]:
    """Offsets of 9-digit numbers with a valid check digit next to an ID context word."""
    found = []
    for match in _NINE_DIGITS.finditer(text):
        digits = match.group(1) or (match.group(2) + match.group(3))
        if not israeli_id_valid(digits):
            continue
        window = text[max(0, match.start() - _ID_WINDOW) : match.end() + _ID_WINDOW]
        if _ID_CONTEXT.search(window):
            found.append(match.start())
    return found


_TAG_RE = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")


def has_html_tag(text: str) -> bool:
    return bool(_TAG_RE.search(text))


# --- Markdown bodies -------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    "a abbr b bdi bdo br caption cite code dd del details dfn div dl dt em hr i ins kbd li mark ol p q s samp small "
    "span strong sub summary sup table tbody td tfoot th thead time tr u ul var".split()
)
ALLOWED_ATTRIBUTES = frozenset({"href", "title", "dir", "lang", "colspan", "rowspan", "datetime", "cite", "class"})
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):")
_FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_MD_LINK_RE = re.compile(r"\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)")
_MD_REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_ATTR_LIST_RE = re.compile(r"\{:?\s*([#.][^}]*|[^}]*=[^}]*)\}")
_CLASS_TOKEN = re.compile(r"^\.[A-Za-z][\w-]*$")
THEME_CLASS_PREFIXES = ("md-", "__", "kb-")
"""Classes of the theme and of the site itself: a body that sets them can restyle or hide the page's chrome."""


def url_is_safe(url: str) -> bool:
    """http(s), mailto, tel, or a relative address: never javascript:, data: or vbscript:."""
    # Browsers decode entities in addresses (&#106;avascript:) and skip control characters.
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(url))
    scheme = _SCHEME_RE.match(cleaned)
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def _without_code(body: str) -> list[str]:
    """The body's lines with code blocks and code spans blanked, so their text is not read as HTML."""
    lines = body.split("\n")
    out, fence = [], None
    for line in lines:
        match = _FENCE_RE.match(line)
        if fence:
            out.append("")
            if match and match.group(2)[0] == fence[0] and len(match.group(2)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(2)
            out.append("")
            continue
        # Indented lines are not blanked: under a list item they are live HTML, not code.
        # Escaped backticks (\`) open no code span, so they must not hide what follows.
        unescaped = line.replace("\\\\", "\x00\x00").replace("\\`", "\x00\x00")
        out.append(_CODE_SPAN_RE.sub("", unescaped))
    return out


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag not in ALLOWED_TAGS:
            self.found.append((line, f"the HTML tag <{tag}> is not allowed", "Remove it; write the text in Markdown"))
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, f"the HTML attribute {name}= could run script", "Remove the attribute"))
            elif name not in ALLOWED_ATTRIBUTES:
                self.found.append((line, f"the HTML attribute {name}= is not allowed", "Remove the attribute"))
            elif name == "class" and value and any(c.startswith(THEME_CLASS_PREFIXES) for c in value.split()):
                self.found.append(
                    (line, f'the HTML attribute class="{value}" uses a class of the site\'s theme', "Remove the attribute")
                )
            elif name in ("href", "cite") and value and not url_is_safe(value):
                self.found.append(
                    (line, f"the link address '{value}' is not allowed", "Links may be http(s), mailto, tel or relative")
                )

    handle_startendtag = handle_starttag


_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")


_AUTOLINK = re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.\-]*:[^<>\s]+)|(?:[^<>\s@]+@[^<>\s@]+))>")
_OUTSIDE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)")


def check_markdown_body(body: str) -> Iterator[tuple[int, str, str]]:
    """Yield ``(line within body, message, hint)`` for unsafe HTML, links and attribute lists."""
    lines = _without_code(body)
    for number, line in enumerate(lines, start=1):
        for match in _AUTOLINK.finditer(line):
            if "@" not in match.group(1) and not url_is_safe(match.group(1)):
                yield (
                    number,
                    f"the link address '{match.group(1)}' is not allowed",
                    "Links may be http(s), mailto, tel or relative",
                )
        for match in _OUTSIDE_IMAGE.finditer(line):
            yield (
                number,
                f"the image '{match.group(1)}' would be loaded from another site",
                ("Put the image in content/files/ and show it from there, e.g. ![תיאור](../files/image.png)"),
            )
    # Markdown autolinks (<https://...>, <name@example.org>) are links, not HTML tags.
    lines = [_AUTOLINK.sub(lambda m: " " * len(m.group(0)), line) for line in lines]
    collector = _TagCollector()
    collector.feed("\n".join(lines))
    collector.close()
    yield from collector.found
    for number, line in enumerate(lines, start=1):
        heading = _ATX_HEADING.match(line)
        if heading and slugify_unicode(heading.group(1), "-").startswith("_"):
            # The heading's anchor would be an id such as __config, which the theme reads its settings from.
            yield (
                number,
                f"the heading '{heading.group(1)}' would get the anchor of one of the site's own elements",
                ("Start the heading with a letter or a digit, not with '_'"),
            )
        for match in [*_MD_LINK_RE.finditer(line), *_MD_REFDEF_RE.finditer(line)]:
            if not url_is_safe(match.group(1)):
                yield (
                    number,
                    f"the link address '{match.group(1)}' is not allowed",
                    "Links may be http(s), mailto, tel or relative",
                )
        for match in _ATTR_LIST_RE.finditer(line):
            tokens = match.group(1).split()
            if not all(_CLASS_TOKEN.match(t) and not t[1:].startswith(THEME_CLASS_PREFIXES) for t in tokens):
                yield (
                    number,
                    f"the attribute list '{match.group(0)}' may only set classes of your own",
                    (
                        "Remove it: ids, styles, links and the theme's classes cannot be set "
                        "(headings get their anchors automatically)"
                    ),
                )
