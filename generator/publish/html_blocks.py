"""A Python-Markdown extension that sets the generator's own HTML blocks aside without parsing them.

The pages stage 4 renders are HTML blocks between a few Markdown headings: cards, sanitized bodies,
lists. Python-Markdown finds where each raw HTML block ends with `html.parser`, and mkdocs feeds the
page to `html.parser` once more to collect its ids: about half of mkdocs' time on the site, and most
of the index's second reading of the pages. This preprocessor runs before both. It works only on a page written the
way the generator writes HTML (every ``<`` opens a tag in one plain spelling, every ``&`` a complete reference);
any other page is left to Python-Markdown whole. On such a page it takes a block only when it can tell for certain
where it ends: it starts a line after a blank one with a block-level tag, its tags balance the way Python-Markdown's
own extractor balances them, and its last end tag closes the line before a blank line or the end. It stores such a
block in the stash exactly as Python-Markdown would, so the page converts to the same bytes; from the first block
it is not sure of (a comment, a raw-text element, a block that ends mid-line, an unclosed tag) Python-Markdown
reads on. The tests hold the two conversions equal on every page of the sample, real and minimal content.

mkdocs no longer sees the ids inside these blocks, which it uses only to check Markdown links to
anchors; the pages' links are HTML, written and checked by the generator.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

# The tags the generator writes, in the one spelling it writes them: a plain name, attributes after a space or a newline,
# values in quotes (which may hold a ">"), an end tag with nothing after its name. `html.parser` accepts much more; a
# page with anything else is left to it whole (see `well_formed`).
# Possessive: a tag that does not match fails at once, never by trying every way to split its attributes (which took
# hours on a long unfinished tag).
_NAME = r"[a-zA-Z][a-zA-Z0-9-]*+"
_ATTRIBUTE = r"""[ \n]++[a-zA-Z_:][-a-zA-Z0-9_:.]*+(?:="[^"]*+"|='[^']*+')?"""
_START = re.compile(rf"<({_NAME})((?:{_ATTRIBUTE})*+)[ \n]*+(/?)>")
_END = re.compile(rf"</({_NAME})>")
_ANY_TAG = re.compile(rf"<(?:/{_NAME}>|{_NAME}(?:{_ATTRIBUTE})*+[ \n]*+/?>)")
_REFERENCE = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*+|#[0-9]++|#[xX][0-9a-fA-F]++);")
_BLANK_LINE_AFTER = re.compile(r"[ ]*\n[ ]*\n")
"""After a block's last end tag: the end of its line and a blank line (Python-Markdown keeps a newline in the block)."""
_LINE_END_AFTER = re.compile(r"[ ]*(?:\n|\Z)")
"""Or at least the end of its line: what follows is read anew (a block that ends mid-line is Python-Markdown's)."""
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"})
"""Elements whose content is not markup to `html.parser`: a block holding one is left to it."""
EMPTY = frozenset({"hr"})
"""Tags Python-Markdown's extractor treats as empty though written as start tags."""
_CONTROL = [chr(code) for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]


def well_formed(text: str) -> bool:
    """Whether every ``<`` of the page opens a tag in the spelling above and every ``&`` a complete reference, with no
    control characters. What `html.parser` does with anything else can carry over into the text after it (a ``&#``
    without its ``;``, an unfinished ``<?``), so such a page is converted by Python-Markdown alone."""
    # Counts, as each tag and reference holds one "<" or "&" (a "<" in an attribute's value fails the count too).
    if text.count("<") != len(_ANY_TAG.findall(text)) or text.count("&") != len(_REFERENCE.findall(text)):
        return False
    return not any(character in text for character in _CONTROL)


def block_end(text: str, start: int) -> tuple[int, bool] | None:
    """Where the raw block that opens at ``start`` ends (after its last end tag), and whether Python-Markdown keeps
    a newline after it; None when this is not certain."""
    stack: list[str] = []
    position = start
    while True:
        at = text.find("<", position)
        if at == -1:
            return None
        end_tag = _END.match(text, at)
        if end_tag:
            tag = end_tag.group(1).lower()
            if tag in stack:
                while stack.pop() != tag:
                    pass
            position = end_tag.end()
            if stack:
                continue
            if _BLANK_LINE_AFTER.match(text, position):
                return position, True
            return (position, False) if _LINE_END_AFTER.match(text, position) else None
        start_tag = _START.match(text, at)
        if start_tag is None:
            return None
        name = start_tag.group(1).lower()
        # A raw-text element's content is not markup to `html.parser`; an empty one (a script from a file) has none.
        after = start_tag.end()
        if name in RAW_TEXT and text[after : after + len(name) + 3].lower() != f"</{name}>":
            return None
        if start_tag.group(3) or name in EMPTY:
            if not stack:
                return None  # a block of one empty tag: Python-Markdown has other rules for it
        else:
            stack.append(name)
        position = start_tag.end()


class HtmlBlocks(Preprocessor):
    """Stashes the page's leading run of certain blocks; it stops at the first ``<`` it is not sure of, so that
    from there on Python-Markdown reads the text in the state it would have reached itself."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if not well_formed(text):
            return lines
        out: list[str] = []
        position = copied = 0
        previous_blank = True
        while position < len(text):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end == -1 else line_end
            if text.startswith("<", position):
                opening = _START.match(text, position)
                found = None
                if previous_blank and opening and self.md.is_block_level(opening.group(1).lower()):
                    found = block_end(text, position)
                if found is None:
                    break
                end, newline = found
                out.append(text[copied:position])
                out.append("\n" + self.md.htmlStash.store(text[position:end] + ("\n" if newline else "")) + "\n\n")
                position = copied = end
                previous_blank = False
                continue
            line = text[position:line_end]
            if "<" in line:
                break
            previous_blank = line.strip(" ") == ""
            position = line_end + 1
        out.append(text[copied:])
        return "".join(out).split("\n")


class HtmlBlocksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # Before mkdocs' id collector (21) and Python-Markdown's extractor (20), after whitespace is normalised (30).
        md.preprocessors.register(HtmlBlocks(md), "kb_html_blocks", 22)


def makeExtension(**kwargs: object) -> HtmlBlocksExtension:  # noqa: N802 (how Python-Markdown finds it by name)
    return HtmlBlocksExtension(**kwargs)


_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
_HEADING = re.compile(r"(#{1,6}) (?P<text>[^\n]*?)(?: \{(?:#(?P<id>[-\w:.]+)|: (?P<flag>data-pagefind-ignore) )\})?")
_BLOCK_LEVEL_NAME = re.compile(rf"<{_NAME}[ >]")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_PLAIN_HEADING = re.compile(r"(?:[^\\`*_{}\[\]#+\-.!<>&|:=~^]|&(?:amp|lt|gt|quot);|\\[\\`*_{}\[\]()#+\-.!])*")
"""A heading's text with nothing Markdown reads but escapes and the entities `heading_line` writes (a parenthesis
is text where no bracket is)."""


def headings_and_blocks(text: str, md: Markdown) -> str | None:
    """What ``md`` (with this extension) converts ``text`` to, made without its block and inline parsers, when
    the page is only HTML blocks and headings of plain, escaped text (the generator's pages); else None."""
    md.reset()
    lines = md.preprocessors["normalize_whitespace"].run(text.split("\n"))
    lines = md.preprocessors["kb_html_blocks"].run(lines)
    out: list[str] = []
    blocks = md.htmlStash.rawHtmlBlocks
    for line in lines:
        if not line:
            continue
        if not line.strip():
            return None  # four spaces make a code block
        placeholder = _PLACEHOLDER.fullmatch(line)
        if placeholder:
            block = str(blocks[int(placeholder.group(1))])
            if not _BLOCK_LEVEL_NAME.match(block):
                return None  # Python-Markdown reads the name up to a space or ">", and wraps what is not block-level
            out.append(block)
            continue
        heading = _HEADING.fullmatch(line)
        if heading is None or not _PLAIN_HEADING.fullmatch(heading.group("text")) or not heading.group("text").strip():
            return None
        level, words = len(heading.group(1)), _ESCAPED.sub(r"\1", heading.group("text").strip())
        attributes = f' id="{heading.group("id")}"' if heading.group("id") else ""
        attributes += " data-pagefind-ignore" if heading.group("flag") else ""
        out.append(f"<h{level}{attributes}>{words}</h{level}>")
    return "\n".join(out).strip()  # as Python-Markdown returns its output
