"""A contributor's Markdown body, rendered to HTML, with the line of everything the checks read.

The dialect is CommonMark (markdown-it-py), the one GitHub shows in a pull request's preview,
with tables, strikethrough, definition lists and notes (``!!! note "כותרת"``). Its parser runs in
time linear in the body's size (Python-Markdown's scan of raw HTML is quadratic: 200 KB of an
unclosed ``<a`` repeated took minutes), and it keeps each block's lines, so a problem is shown
where it was written.

The HTML made here is *not* safe: it is the sanitizer's input (`sanitize`). `docs_markdown` turns
the sanitized parts back into the page's Markdown: the body's top-level headings become Markdown
headings with plain, escaped text (so the theme lists them in the page's table of contents and
gives them permalinks) and everything between them one raw HTML block, which Markdown passes
through as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify_unicode
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin

from .personal_data import names_ids
from .sanitize import id_allowed, is_site_relative, start_tags, url_scheme

MAX_COLUMNS = 30
"""Columns a table may have. Markdown fills in every cell a row leaves out, so a table 300 columns wide over
300 one-word rows is 90,000 cells made from 2 KB of text."""
MAX_CELLS = 20_000
"""Cells the tables of a body may have together, as Markdown fills them in."""
MAX_HEADINGS = 300
"""Headings a body may have: each is an entry of the page's table of contents."""
MAX_LENGTH = 100_000
"""Characters a body may have (some 15,000 words; real ones have a few thousand characters). Beyond this a body
is refused, not rendered, so that no body, however made, keeps the check busy for long."""


@dataclass(frozen=True)
class Heading:
    line: int
    """Line within the body, from 1."""
    level: int
    text: str
    """The heading's text, without markup."""
    anchor: str
    """The id the heading gets: its text as the theme's table of contents would slug it, unique in the body,
    and prefixed with "h-" where that would be an id the site uses itself (``__config``, ``outcome-1``)."""
    top: bool
    """A heading of the body itself, not one inside a list, quote or note."""


@dataclass(frozen=True)
class Address:
    line: int
    kind: str
    """"link" (an <a href>) or "image" (an <img src>)."""
    url: str
    """As Markdown read it: entities decoded, non-ASCII letters percent-encoded."""


@dataclass(frozen=True)
class Table:
    line: int
    header: list[str]
    rows: list[tuple[int, list[str]]]
    """(line, cells) of each row below the header."""
    named: bool = False
    """Whether its section names ID numbers before it."""


@dataclass(frozen=True)
class Text:
    line: int
    text: str
    named: bool = False
    """An item of a list whose section names ID numbers before it (``the participants' ID numbers:``): what the
    items hold is said there, not in them."""


@dataclass
class RenderedBody:
    """A body as Markdown reads it. ``parts`` are not safe to publish before `sanitize.clean`."""

    parts: list[tuple[Heading | None, str]] = field(default_factory=list)
    """The body cut at its top-level headings: (the heading, or None before the first; the HTML after it)."""
    headings: list[Heading] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    raw_html: list[tuple[int, str]] = field(default_factory=list)
    """(line, text) of each piece of HTML the contributor wrote."""
    texts: list[Text] = field(default_factory=list)
    """Each block's text as a reader sees it (entities decoded), for the checks on text."""
    outside_images: list[Address] = field(default_factory=list)
    """Images from other sites, which the page shows as links instead (a page never loads from elsewhere)."""
    tables: list[Table] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    """(line, kind) of each ``!!! kind`` note."""
    attribute_lists: list[tuple[int, str]] = field(default_factory=list)
    """(line, text) of each ``{: …}``: Python-Markdown's attribute lists, which CommonMark shows as text."""

    @property
    def anchors(self) -> list[str]:
        return [heading.anchor for heading in self.headings]


def _parser() -> MarkdownIt:
    # html: contributors may write the few tags the sanitizer keeps; linkify and typographer stay off (what is
    # typed is what is shown).
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return parser.use(deflist_plugin).use(admon_plugin)


_MARKDOWN = _parser()


_DELIMITER_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def oversized_table(body: str) -> tuple[int, str] | None:
    """(line, what) of the first table too big to render, read from the text before Markdown fills its cells
    in: its delimiter row (``|---|---|``) gives the columns, the lines down to a blank one the rows."""
    lines = body.split("\n")
    cells, index = 0, 1
    while index < len(lines):
        line = lines[index]
        # A table is a header row (with a "|") over a delimiter row; a lone "---" is a rule or a heading's line.
        if "-" not in line or "|" not in lines[index - 1] or not _DELIMITER_ROW.match(line):
            index += 1
            continue
        columns = len(re.findall(r":?-+:?", line))
        if columns > MAX_COLUMNS:
            return index + 1, f"the table has {columns} columns, more than {MAX_COLUMNS}"
        end = index + 1
        while end < len(lines) and lines[end].strip():
            end += 1
        cells += columns * (end - index)
        if cells > MAX_CELLS:
            return index + 1, f"the tables have more than {MAX_CELLS:,} cells together"
        index = end
    return None


_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)


def too_many_headings(body: str) -> int | None:
    """The number of lines that start a heading, when even a generous count (code may hold lines starting with
    '#') is far past `MAX_HEADINGS`: such a body is refused before it is parsed at all."""
    count = len(_HEADING_LINE.findall(body))
    return count if count > 3 * MAX_HEADINGS else None


def render(body: str, taken: frozenset[str] = frozenset()) -> RenderedBody:
    """Render ``body`` (at most `MAX_LENGTH` characters) and note the lines of its headings, addresses and HTML.

    ``taken``: anchors the page has besides the body (its template's sections), which a heading of the body
    does not take, so those stay where they lead whatever the body's headings are called.
    """
    tokens = _MARKDOWN.parse(body)
    out = RenderedBody()
    headings = [token for token in tokens if token.type == "heading_open"]
    if len(headings) > MAX_HEADINGS:
        # Refused by the check: the lines of the headings are all it needs, not thousands of rendered parts.
        out.headings = [Heading(h.map[0] + 1 if h.map else 1, int(h.tag[1]), "", "", h.level == 0) for h in headings]
        return out
    anchors = _Anchors(taken)
    start, current = 0, None
    lists, named = 0, False  # inside a list; whether the section so far names ID numbers
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 0
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        if token.type == "heading_open":
            heading = _heading(token, tokens[index + 1], line, anchors)
            token.attrSet("id", heading.anchor)
            out.headings.append(heading)
            if heading.top:
                out.parts.append((current, _html(tokens[start:index])))
                start, current, named = index + 3, heading, False  # open, inline, close; a new section
        elif token.type in ("th_open", "td_open"):
            _style_to_align(token)
        elif token.type == "inline":
            text = _read_inline(token, line, out)
            out.texts.append(Text(line, text, named and lists > 0))
            named = named or names_ids(text)
        elif token.type == "html_block":
            _read_html(token.content, line, out)
            out.texts.append(Text(line, _html_text(token.content)))
        elif token.type in ("fence", "code_block"):
            out.texts.append(Text(line + (token.type == "fence"), token.content))
        elif token.type == "admonition_open":
            out.notes.append((line, token.info.split()[0] if token.info.split() else ""))
        elif token.type == "table_open":
            out.tables.append(_table(tokens, index, line, named))
    out.parts.append((current, _html(tokens[start:])))
    out.parts = [(heading, part) for heading, part in out.parts if heading or part.strip()]
    return out


def _html(tokens: list[Token]) -> str:
    return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})


def _plain(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))


class _Anchors:
    """Anchors made unique as the table of contents makes them (``רקע``, ``רקע_1``, ``רקע_2``), each base
    remembering its next number: a body of thousands of equal headings costs no more than thousands of others."""

    def __init__(self, taken: frozenset[str]) -> None:
        self.used, self.next = set(taken), {}

    def unique(self, base: str) -> str:
        anchor, number = base, self.next.get(base, 1)
        while anchor in self.used:
            anchor, number = f"{base}_{number}", number + 1
        self.next[base] = number
        self.used.add(anchor)
        return anchor


def _heading(token: Token, inline: Token, line: int, anchors: _Anchors) -> Heading:
    text = " ".join(_plain(inline).split())
    # The table of contents' own rule (and its _1, _2 for repeats), so anchors stay what they were.
    base = slugify_unicode(text, "-") or "section"
    anchor = anchors.unique(base if id_allowed(base) else f"h-{base.lstrip('_-')}")
    return Heading(line, int(token.tag[1]), text, anchor, token.level == 0)


def _style_to_align(cell: Token) -> None:
    """Column alignment as the ``align`` attribute: the site allows no inline style (its CSP forbids them)."""
    style = cell.attrGet("style")
    if isinstance(style, str) and (match := re.fullmatch(r"text-align:(left|right|center)", style)):
        cell.attrs.pop("style")
        cell.attrSet("align", match.group(1))


def _read_inline(inline: Token, line: int, out: RenderedBody) -> str:
    """Note the addresses and HTML of one block's inline content; returns its text, lines joined by newlines."""
    first, text, prose, children = line, [], [], []
    for child in inline.children or []:
        children.append(child)
        if child.type in ("link_open", "image") and child.attrGet("title"):
            out.texts.append(Text(line, str(child.attrGet("title"))))  # shown on hover, read like the text
        if child.type == "link_open":
            out.addresses.append(Address(line, "link", str(child.attrGet("href") or "")))
        elif child.type == "image":
            address = Address(line, "image", str(child.attrGet("src") or ""))
            if url_scheme(address.url) is None and is_site_relative(address.url):
                out.addresses.append(address)
            else:
                out.outside_images.append(address)
                children[-1:] = _as_link(child)
        elif child.type == "html_inline":
            _read_html(child.content, line, out)
            line += child.content.count("\n")
        elif child.type in ("softbreak", "hardbreak"):
            line += 1
            text.append("\n")
            prose.append("\n")
        if child.type in ("text", "code_inline"):
            text.append(child.content)
            prose.append(child.content if child.type == "text" else " ")  # code shows syntax as text, rightly
    inline.children = children
    _read_text("".join(prose), first, out)
    return "".join(text)


def _as_link(image: Token) -> list[Token]:
    """An image from another site as a link to it, its description as the text: shown, never loaded."""
    opened = Token("link_open", "a", 1, attrs={"href": str(image.attrGet("src") or "")})
    closed = Token("link_close", "a", -1)
    return [opened, *(image.children or [Token("text", "", 0, content=image.content)]), closed]


# What is left of a link Markdown refused to make (its address had a scheme that can run script): the
# syntax shows as text, harmless, but the contributor should hear why.
_REFUSED_LINK = re.compile(
    r"(?:\]\(\s*<?|\]:\s*<?|<)((?:javascript|vbscript|data|file):(?:[^\s()<>]|\([^\s()<>]*\))*)", re.IGNORECASE
)
_ATTRIBUTE_LIST = re.compile(r"\{:[^{}]*\}")


def _read_text(text: str, line: int, out: RenderedBody) -> None:
    """What the prose of one block (its lines joined by newlines, from ``line``) shows that was meant as syntax."""
    for match in _REFUSED_LINK.finditer(text):
        out.addresses.append(Address(line + text.count("\n", 0, match.start(1)), "link", match.group(1)))
    for match in _ATTRIBUTE_LIST.finditer(text):
        out.attribute_lists.append((line + text.count("\n", 0, match.start()), match.group(0)))


def _table(tokens: list[Token], start: int, line: int, named: bool) -> Table:
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    in_head = False
    for token in tokens[start + 1 :]:
        if token.type == "table_close":
            break
        if token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open" and not in_head:
            rows.append((token.map[0] + 1 if token.map else line, []))
        elif token.type == "inline":
            (header if in_head else rows[-1][1]).append(_plain(token))
    return Table(line, header, rows, named)


def _read_html(raw: str, line: int, out: RenderedBody) -> None:
    out.raw_html.append((line, raw))
    counted = 0  # newlines before ``counted``, counted once however many tags there are
    for offset, _, attributes in start_tags(raw):
        line, counted = line + raw.count("\n", counted, offset), offset
        for name, value in attributes:
            if name in ("href", "src", "cite"):
                out.addresses.append(Address(line, "image" if name == "src" else "link", value))


_TAG = re.compile(r"<[^<>]*>")


def _html_text(raw: str) -> str:
    return html.unescape(_TAG.sub(" ", raw))


# --- back into the page's Markdown ------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def heading_line(heading: Heading) -> str:
    """A Markdown heading of ``heading``'s plain text, escaped so Markdown reads no syntax in it, with its anchor."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(heading.text, quote=False))
    return f"{'#' * heading.level} {text} {{#{heading.anchor}}}"


def docs_markdown(body: RenderedBody, clean: Callable[[str], str]) -> str:
    """The body for the page's Markdown: each part through ``clean`` (the sanitizer), as one raw HTML block."""
    out = []
    for heading, part in body.parts:
        if heading is not None:
            out.append(heading_line(heading))
        safe = clean(part).strip()
        if safe:
            # A <div> of its own makes the part one HTML block, which Markdown passes through untouched.
            out.append(f"<div>\n{safe}\n</div>")
    return "\n\n".join(out)
