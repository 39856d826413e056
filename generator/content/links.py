"""Links inside contributors' Markdown bodies.

A contributor links the way the content folder is laid out (`../pages/about.md`,
`../authorities/ashdod.yml`, `../files/plan.pdf`); the site's pages are laid out
a little differently (`../about.html`, `../authorities/ashdod.html`).  Stage 3 checks
every relative link Markdown read (`body.Address`) against both layouts, and its anchor
against the headings of the page it leads to, and reports one that leads nowhere with its
line; stage 4 rewrites each to the built site's address while sanitizing.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote, unquote

from markdown.extensions.toc import slugify_unicode

from . import registry

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

_TEMPLATE_HEADING = re.compile(r"^#{2,6} (.+?)(?: \{:[^}]*\})?$", re.MULTILINE)
_COUNTED_HEADING = re.compile(r'\{\{ counted_heading\("([^"]+)", [^}]*\}\}')
"""A section heading with a count (`render.counted_heading`), whose id is its words without the count."""


@cache
def template_anchors(template: str) -> frozenset[str]:
    """The anchors of the section headings a page template writes (``## אנשי קשר``), as the table of contents
    slugs them: a body may link to a section of another entry's page."""
    text = (registry.TEMPLATES_DIR / template).read_text(encoding="utf-8")
    headings = [_COUNTED_HEADING.sub(r"\1", heading) for heading in _TEMPLATE_HEADING.findall(text)]
    return frozenset(slugify_unicode(heading, "-") for heading in headings)


def file_url(name: str) -> str:
    """The site path of an attachment, URL-safe: spaces, Hebrew and the like percent-encoded."""
    return quote(f"{registry.FILES_FOLDER}/{name}", safe="/")


class Resolver:
    """Maps a body link to the site's docs tree, from either layout."""

    def __init__(self, entries: dict[str, set[str]], files: list[str], anchors: dict[str, set[str]] | None = None):
        self.docs: set[str] = set(GENERATED_PAGES)
        self.by_source: dict[str, str] = {}
        self.files = {f"{registry.FILES_FOLDER}/{file}" for file in files}
        self.anchors = anchors or {}
        """Docs path of an entry's page → the anchors on it; pages not listed are not checked for anchors."""
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
        for file in self.files:
            self.docs.add(file)
            self.by_source[file] = file

    def resolve(self, source: str, source_doc: str, target: str) -> str | None:
        """The docs path ``target`` leads to from the entry at ``source`` (path under content/), or None."""
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path:
            return source_doc  # an anchor in the same page
        as_content = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if as_content in self.by_source:
            return self.by_source[as_content]
        as_site = posixpath.normpath(posixpath.join(posixpath.dirname(source_doc), path))
        if as_site.endswith(".html") and as_site[: -len(".html")] + ".md" in self.docs:
            return as_site[: -len(".html")] + ".md"
        return as_site if as_site in self.docs else None

    def missing_anchor(self, doc: str, target: str) -> tuple[str, list[str]] | None:
        """(the anchor, the page's anchors) when ``target``'s anchor is not on the page ``doc`` it leads to."""
        if "#" not in target or doc not in self.anchors:
            return None
        anchor = unquote(target.split("#", 1)[1])
        known = self.anchors[doc]
        return None if not anchor or anchor in known else (anchor, sorted(known))

    def site_address(self, source: str, source_doc: str, target: str) -> str | None:
        """Where ``target`` (a relative link in the body of ``source``) leads on the built page, or None."""
        if target.startswith("#"):
            return target
        resolved = self.resolve(source, source_doc, target)
        if resolved is None:
            return None  # reported in stage 3; never reaches a build
        anchor = "#" + target.split("#", 1)[1] if "#" in target else ""
        if resolved in self.files:
            site_path = file_url(resolved[len(registry.FILES_FOLDER) + 1 :])
        else:
            site_path = registry.html_path(resolved)
        return posixpath.relpath(site_path, posixpath.dirname(source_doc) or ".") + anchor


def content_path(root: Path, path: Path) -> str:
    """A file's path under the content folder, with forward slashes."""
    return path.resolve().relative_to(root.resolve()).as_posix()
