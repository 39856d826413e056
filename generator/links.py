"""Links inside contributors' Markdown bodies.

A contributor links the way the content folder is laid out (`../pages/about.md`,
`../authorities/ashdod.yml`, `../files/plan.pdf`); the site's pages are laid out
a little differently (`../about.md`, `../authorities/ashdod.md`).  Stage 3 checks
every relative link against both layouts and reports one that leads nowhere, with
its line; stage 4 rewrites each to the site's layout, so mkdocs gets links it knows.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from . import registry

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_INLINE = re.compile(r"(!?\[[^\]]*\]\()(\s*<?)([^)\s>]+)")  # [text](target or ![alt](target
_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?(?:\s|$))")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")

GENERATED_PAGES = (
    "index.md",
    "outcomes.md",
    "search.md",
    "contexts/routine.md",
    "contexts/emergency.md",
    registry.DATA_PAGE,
    registry.STALE_PAGE,
)
"""Pages the generator writes besides entries and list pages, which a body may link to."""


def is_relative(target: str) -> bool:
    return not (target.startswith(("#", "/")) or _SCHEME.match(target))


def body_lines(body: str) -> Iterator[tuple[int, str, bool]]:
    """(line number, line, whether it is inside a fenced code block)."""
    fence = None
    for number, line in enumerate(body.split("\n"), start=1):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            yield number, line, True
            continue
        if match:
            fence = match.group(1)
            yield number, line, True
            continue
        yield number, line, False


def link_targets(line: str) -> Iterator[str]:
    for match in _INLINE.finditer(line):
        yield match.group(3)
    for match in _REFERENCE.finditer(line):
        yield match.group(2)


class Resolver:
    """Maps a body link to the site's docs tree, from either layout."""

    def __init__(self, entries: dict[str, set[str]], files: list[str]):
        self.docs: set[str] = set(GENERATED_PAGES)
        self.by_source: dict[str, str] = {}
        for name, ids in entries.items():
            collection = registry.COLLECTIONS[name]
            if collection.index_path():
                self.docs.add(collection.index_path())
            if collection.format == "vocabulary":
                continue
            for entry_id in ids:
                doc = collection.doc_path(entry_id)
                self.docs.add(doc)
                self.by_source[f"{collection.source_path}/{entry_id}{collection.extension}"] = doc
        for file in files:
            self.docs.add(f"{registry.FILES_FOLDER}/{file}")
            self.by_source[f"{registry.FILES_FOLDER}/{file}"] = f"{registry.FILES_FOLDER}/{file}"

    def resolve(self, source: str, source_doc: str, target: str) -> str | None:
        """The docs path ``target`` leads to from the entry at ``source`` (path under content/), or None."""
        path = target.split("#", 1)[0]
        if not path:
            return source_doc  # an anchor in the same page
        as_content = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if as_content in self.by_source:
            return self.by_source[as_content]
        as_site = posixpath.normpath(posixpath.join(posixpath.dirname(source_doc), path))
        return as_site if as_site in self.docs else None

    def rewrite(self, body: str, source: str, source_doc: str) -> str:
        """The body with every relative link that resolves pointed at the site's layout."""

        def fix(target: str) -> str:
            if not is_relative(target):
                return target
            resolved = self.resolve(source, source_doc, target)
            if resolved is None:
                return target  # reported in stage 3; never reaches a build
            anchor = "#" + target.split("#", 1)[1] if "#" in target else ""
            path = posixpath.relpath(resolved, posixpath.dirname(source_doc) or ".")
            return (path if target.split("#", 1)[0] else "") + anchor

        out = []
        for _, line, in_code in body_lines(body):
            if not in_code:
                line = _INLINE.sub(lambda m: m.group(1) + m.group(2) + fix(m.group(3)), line)
                line = _REFERENCE.sub(lambda m: m.group(1) + fix(m.group(2)) + m.group(3), line)
            out.append(line)
        return "\n".join(out)


def content_path(root: Path, path: Path) -> str:
    """A file's path under the content folder, with forward slashes."""
    return path.resolve().relative_to(root.resolve()).as_posix()
