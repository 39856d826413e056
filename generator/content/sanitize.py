"""What of a contributor's body may reach a reader: the allowlist, declared once, and the sanitizer.

A body is Markdown rendered to HTML (`body`); that HTML goes through nh3 (Ammonia, which parses
with html5ever, the HTML parser browsers implement) with the lists below, *after* Markdown has
rendered it, so a page holds only what the lists allow: tags, attributes, classes, ids and
addresses, each by name. Safety does not depend on the checks of stage 2 recognising anything;
they read the same lists (`violations`) only to tell a contributor, with the line, what would be
removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape

import nh3

TAGS = frozenset(
    "a abbr b bdi blockquote br caption cite code dd del details dfn div dl dt em h1 h2 h3 h4 h5 h6 hr i img ins "
    "kbd li mark ol p pre q s samp small span strong sub summary sup table tbody td tfoot th thead time tr u ul var".split()
)
"""Tags a body may hold: what Markdown makes, and the few a text needs beyond it (abbreviations, a foldable part)."""

DROPPED_WITH_CONTENT = frozenset(
    "script style template noscript iframe frame frameset object embed applet svg math textarea select title xmp "
    "noembed noframes plaintext".split()
)
"""Tags removed together with what is inside them: their content is code or a form, never text to show."""

_EVERY_TAG = frozenset({"dir", "lang", "title"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": _EVERY_TAG,
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "ol": frozenset({"start", "reversed"}),
    "time": frozenset({"datetime"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
    **{f"h{level}": frozenset({"id"}) for level in range(1, 7)},
}
"""Attributes by tag ("*": on every tag). Never an event handler, a style, a name or a form's."""

ADMONITION_TYPES = frozenset(
    "note abstract summary tldr info todo tip hint important success check done question help faq warning caution "
    "attention failure fail missing danger error bug example quote cite".split()
)
"""The kinds of box a body may write as ``!!! kind``; each only colours the box."""

CLASSES: dict[str, frozenset[str]] = {
    "div": frozenset({"admonition"}) | ADMONITION_TYPES,
    "p": frozenset({"admonition-title"}),
}
"""The only classes a body may carry: none of the theme's (``md-…``), the site's (``kb-…``) or a script's (``mermaid``)."""

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")
"""Images a body may show: the knowledge base's own files (content/files/), never an address elsewhere."""

RESERVED_ID_PREFIXES = ("md-", "kb-", "search-", "outcome-")
"""Ids the theme, the site's pages and the outcome rows use; a body's heading never takes one."""

_ID = re.compile(r"[^\W_][\w-]*\Z")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
_NUMBER = re.compile(r"[0-9]{1,4}\Z")
_DATETIME = re.compile(r"[0-9T:+\-.Z ]{1,40}\Z")
_KEYWORDS = {"dir": {"ltr", "rtl", "auto"}, "align": {"left", "right", "center"}, "scope": {"row", "col"}}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def id_allowed(value: str) -> bool:
    """An anchor a body may set: starts with a letter or digit (the theme's ids start with '_'), none of the
    site's own prefixes, only letters, digits, '_' and '-'."""
    return bool(_ID.match(value)) and not value.lower().startswith(RESERVED_ID_PREFIXES)


def url_scheme(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it (control characters and spaces skipped), lower case."""
    match = _SCHEME.match(re.sub(r"[\x00-\x20\x7f]", "", url))
    return match.group(1).lower() if match else None


def is_site_relative(url: str) -> bool:
    """A path inside the site: no scheme, not from the server's root, not to another host (``//host``, ``\\\\host``)."""
    return url_scheme(url) is None and not re.match(r"[\x00-\x20]*[/\\]", url)


Rewrite = Callable[[str], str | None]
"""Maps a relative address in a body (a page, a file, an anchor) to its address on the built page, or None."""


def _keep(tag: str, attribute: str, value: str, rewrite: Rewrite, anchors: frozenset[str] = frozenset()) -> str | None:
    """The value an allowed attribute keeps, or None to drop it. nh3 does not check what this returns, so every
    value returned is either checked here or made here."""
    if attribute in ("href", "cite", "src"):
        scheme = url_scheme(value)
        if scheme is not None:
            return value if scheme in URL_SCHEMES and attribute != "src" else None
        if not is_site_relative(value):
            return None
        rewritten = rewrite(value)
        if attribute == "src" and rewritten is not None and not rewritten.split("#")[0].lower().endswith(IMAGE_EXTENSIONS):
            return None
        return rewritten if rewritten is not None and is_site_relative(rewritten) else None
    if attribute == "id":
        return value if value in anchors else None
    if attribute == "class":
        return value  # nh3 keeps only the classes of CLASSES
    if attribute in _KEYWORDS:
        return value.lower() if value.lower() in _KEYWORDS[attribute] else None
    if attribute == "lang":
        return value if _LANG.match(value) else None
    if attribute in ("width", "height", "colspan", "rowspan", "start"):
        return value if _NUMBER.match(value) else None
    if attribute == "datetime":
        return value if _DATETIME.match(value) else None
    return value  # text: title, alt; empty flags: open, reversed


_INVISIBLE_CONTROLS = dict.fromkeys(
    [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
"""Control characters and bidi overrides, embeddings and isolates: removed from what is published (``&#x202e;``
would turn "fdp.exe" into "exe.pdf"); direction marks (RLM, LRM) stay, Hebrew text needs them."""


def clean(html: str, rewrite: Rewrite, anchors: frozenset[str] = frozenset()) -> str:
    """``html`` (a rendered body, untrusted) with everything the lists do not allow removed, every relative
    address rewritten by ``rewrite`` (or removed when it returns None), and only the ids in ``anchors`` (those
    the body's headings were given) kept: an id written in HTML could take one of the page's own."""
    cleaner = nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
        attribute_filter=lambda tag, attribute, value: _keep(tag, attribute, value, rewrite, anchors),
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
    )
    return cleaner.clean(html).translate(_INVISIBLE_CONTROLS)


# --- the same lists, read for a contributor ----------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One thing in a piece of HTML that the sanitizer would remove."""

    offset: int
    """Where it starts in the piece."""
    message: str
    hint: str


LINK_HINT = "Links may be http(s), mailto, tel, or relative to a page or file of the knowledge base"


def url_violation(attribute: str, url: str) -> tuple[str, str] | None:
    """Why an address would be removed, as (message, hint), or None. Relative addresses are checked in stage 3."""
    scheme = url_scheme(url)
    if attribute == "src":
        if scheme is not None or not is_site_relative(url):
            return (
                f"the image '{url}' would be loaded from another site",
                "Put the image in content/files/ and show it from there, e.g. ![תיאור](../files/image.png)",
            )
        return None
    if scheme is not None and scheme not in URL_SCHEMES:
        return f"the link address '{url}' is not allowed", LINK_HINT
    if scheme is None and not is_site_relative(url):
        return (
            f"the link address '{url}' starts from the server's root or names another host",
            "Link to a page of the knowledge base relative to this file (../initiatives/<id>.md), "
            "or write the full https:// address",
        )
    return None


_TAG_START = re.compile(r"<([A-Za-z][^\s/><]*)")
_ATTRIBUTE = re.compile(r"""[\s/]*([^\s/>=<"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"'<`=]*))?""")
_TAG_END = re.compile(r"[\s/]*>")


def start_tags(html: str) -> Iterator[tuple[int, str, list[tuple[str, str]]]]:
    """(offset, tag, attributes) of each complete start tag in ``html``, names in lower case, values decoded.

    A scanner of its own rather than Python's HTMLParser, which takes time quadratic in the input on shapes
    like ``<!--`` or ``<a`` repeated: every character here is read a bounded number of times.
    """
    position = 0
    while (match := _TAG_START.search(html, position)) is not None:
        position, attributes = match.end(), []
        while (attribute := _ATTRIBUTE.match(html, position)) is not None and attribute.end() > position:
            value = attribute.group(2) or ""
            attributes.append((attribute.group(1).lower(), unescape(value[1:-1] if value[:1] in "\"'" and value else value)))
            position = attribute.end()
        if end := _TAG_END.match(html, position):
            position = end.end()
            yield match.start(), match.group(1).lower(), attributes


def _tag_violations(tag: str, attributes: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    if tag not in TAGS:
        yield f"the HTML tag <{tag}> is not allowed", "Remove it; write the text in Markdown"
        return
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, frozenset())
    for name, value in attributes:
        if name.startswith("on"):
            yield f"the HTML attribute {name}= could run script", "Remove the attribute"
        elif name == "class":
            foreign = [c for c in value.split() if c not in CLASSES.get(tag, frozenset())]
            if foreign:
                yield (
                    f"the class '{' '.join(foreign)}' is not one a body can use",
                    "Remove it: the site's look comes from Markdown; the theme's classes cannot be set",
                )
        elif name not in allowed:
            yield f"the HTML attribute {name}= is not allowed on <{tag}>", "Remove the attribute"
        elif name in ("href", "cite", "src"):
            continue  # addresses are checked with the body's other addresses (text_rules)
        elif name == "id":
            yield (
                f"the id '{value}' cannot be set in a body: it could take one of the page's own",
                "Remove it; headings get their anchors automatically, from their text",
            )
        elif _keep(tag, name, value, lambda url: url) is None:
            yield f"the value '{value}' of {name}= is not allowed", "Remove the attribute or correct its value"


def _tricky_comments(html: str) -> Iterator[int]:
    """Offsets of comments that hold markup, or end where browsers end them and Python's parser does not
    (``--!>``, ``<!-->``), and of CDATA sections: they would hide what follows from the tag check below.

    A scan from one comment's end to the next one's start, so each character is read a bounded number of times.
    """
    position = 0
    while (start := html.find("<!", position)) != -1:
        if html.startswith("<![CDATA[", start):
            yield start
            position = start + 9
            continue
        if not html.startswith("<!--", start):
            position = start + 2
            continue
        end = html.find("-->", start + 4)
        inside = html[start + 4 : end if end != -1 else len(html)]
        if html.startswith(("<!-->", "<!--->"), start) or "--!>" in inside or "<" in inside or ">" in inside:
            yield start
        if end == -1:
            return
        position = end + 3


def violations(html: str) -> Iterator[Violation]:
    """What ``clean`` would remove from ``html`` (raw HTML a contributor wrote), by offset.

    The scanner reads a few broken shapes differently from a browser; that only costs a friendlier
    message, never safety, since what reaches the page is what ``clean`` keeps.
    """
    for offset in _tricky_comments(html):
        yield Violation(
            offset,
            "this HTML comment or CDATA section holds markup, or ends where browsers end it differently",
            "Remove it: comments and CDATA never reach the page, and what they hide is checked like the rest",
        )
    for offset, tag, attributes in start_tags(html):
        for message, hint in _tag_violations(tag, attributes):
            yield Violation(offset, message, hint)
