"""The preview's rebuild (`kb serve`): after the first, complete build, only what a change touches.

The first build is the one `kb build` makes (`build.publish_site`); the preview then keeps a docs tree of
its own beside the preview folder and, after each change of content:
1. checks the content again, reading and validating only the files that changed (`build.CheckCache`), and
   resolving every reference (a change can break one elsewhere);
2. renders the pages the change touches: the entries that changed, were added or removed, the entries they
   name and that name them (before and after the change), the members of a cluster that changed or is named,
   and every page that is not an entry's (home, lists, tracker, sheets, data page), with their lists' pages;
3. writes the pages whose text changed, deletes those that are gone, and has mkdocs build only those pages
   (its dirty build, in this process: a new one spends half a second starting), then runs the page steps of
   the post-build on them.
A change of a template, of the config, of the attachments, or of what the navigation lists, is built in full
again. The search
index, the data files, the feeds and the offline files stay as the last full build made them: the preview
shows pages; `kb build` makes what is published.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import build
from .content import registry
from .content.model import Entry
from .content.references import Graph
from .dates import BuildInfo
from .pages.render import LISTS_FOLDER, Renderer, fingerprint_keys
from .publish import engine, postbuild, write

OLD = 1
"""The modification time given to the preview's docs that the full build made HTML from: older than any HTML,
so mkdocs' dirty build leaves their pages alone."""


@dataclass
class Rebuilt:
    pages: int
    """Pages written again (0: nothing changed)."""
    full: bool
    warnings: list = field(default_factory=list)


class Preview:
    """The state the preview keeps between rebuilds."""

    def __init__(self, content: Path, site: Path, config: Path = build.DEFAULT_CONFIG):
        self.content, self.site, self.config = content, site.resolve(), config
        self.tree = self.site.parent / f".{self.site.name}-tree"
        """The preview's docs tree and config, which mkdocs builds into ``site`` dirty."""
        self.cache = build.CheckCache()
        self.graph: Graph | None = None
        self.docs: dict[str, str] = {}
        self.info: BuildInfo | None = None
        self.listed: dict[str, tuple] = {}
        """What each further page of a list in the docs tree shows (`render.fingerprint`)."""

    def full(self) -> Rebuilt:
        """The complete build, as `kb build` makes it; then the docs tree for the next, partial ones."""
        self.listed = {}
        graph, docs, info = build.render_docs(self.content, self.cache, self.listed)
        result = build.publish_site(graph, docs, info, self.content, self.site, self.config)
        self.graph, self.docs, self.info = graph, docs, info
        shutil.rmtree(self.tree, ignore_errors=True)
        write.write_docs(docs, self.content, self.tree / "docs", graph.files)
        for path in (self.tree / "docs").rglob("*"):
            if path.is_file():
                os.utime(path, (OLD, OLD))
        self._write_config(docs)
        return Rebuilt(result.pages, True, result.warnings)

    def update(self, template_changed: bool = False) -> Rebuilt:
        """Rebuild after a change: in full if a template or the config changed, else only what it touches."""
        if template_changed or self.graph is None or self.info is None:
            return self.full()
        graph = build.check_content(self.content, self.cache)
        if graph.files != self.graph.files:
            return self.full()  # an attachment added or removed: the full build copies them
        changed = _changed(self.graph, graph)
        if not changed:
            self.graph = graph
            return Rebuilt(0, False, graph.warnings)
        published = {path: text for path, text in self.docs.items() if not path.endswith(".md")}
        entry_pages = _entry_pages(graph) | _entry_pages(self.graph)
        touched_keys = _touched(self.graph, graph, changed)
        touched = {_doc_path(key) for key in touched_keys}
        renderer = Renderer(graph, self.info, published)

        def same(path: str, shows: tuple) -> bool:
            # A list's page shows the same rows, none of them touched: it reads as it did.
            return self.listed.get(path) == shows and not (fingerprint_keys(shows) & touched_keys)

        # An emergency sheet is rendered again only when an entry it shows changed (it is a page of every
        # authority: rendering them all took a fifth of an edit's time).
        sheets = {
            registry.emergency_sheet_path(authority): authority
            for authority in {*graph.entries["authorities"], *self.graph.entries["authorities"]}
        }
        shown = {path for path, key in sheets.items() if changed & (_on_sheet(self.graph, key) | _on_sheet(graph, key))}

        def render(path: str) -> bool:
            if path in sheets:
                return path in shown
            return path in touched or path not in entry_pages

        docs = renderer.render_all(only=render, same=same)
        rendered = {path for path in docs if not path.startswith(LISTS_FOLDER + "/")}
        # Gone: the pages of removed entries, and the lists' pages of a rendered page that has fewer now.
        now = _entry_pages(graph) | {path for path in rendered if path not in entry_pages}
        now |= {registry.emergency_sheet_path(authority) for authority in graph.entries["authorities"]}
        gone = [
            path
            for path, text in self.docs.items()
            if path.endswith(".md") and path not in docs and path not in renderer.listed and _gone(path, text, now, rendered)
        ]
        self.listed.update(renderer.listed)
        for path in gone:
            self.listed.pop(path, None)
        after = {path: text for path, text in {**self.docs, **docs}.items() if path not in gone}
        if write.navigation(after) != write.navigation(self.docs):
            return self.full()  # a page added to or removed from the navigation: every page shows it
        written = [path for path, text in docs.items() if self.docs.get(path) != text]
        for path in written:
            target = self.tree / "docs" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(docs[path], encoding="utf-8")
            self.docs[path] = docs[path]
        for path in gone:
            (self.tree / "docs" / path).unlink(missing_ok=True)
            (self.site / registry.html_path(path)).unlink(missing_ok=True)
            del self.docs[path]
        self.graph = graph
        if written:
            engine.dirty_build_in_process(self.tree / "mkdocs.yml", self.info.timestamp)
            pages = [self.site / registry.html_path(path) for path in written] + [self.site / "404.html"]
            postbuild.finish_pages(self.site, [page for page in pages if page.is_file()])
        return Rebuilt(len(written) + len(gone), False, graph.warnings)

    def _write_config(self, docs: dict[str, str]) -> None:
        assert self.info is not None
        config = write.mkdocs_config(self.config, self.tree / "docs", self.site, write.navigation(docs), self.info)
        config["site_dir"] = str(self.site)  # the preview folder itself, which the dirty build updates in place
        text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        (self.tree / "mkdocs.yml").write_text(text, encoding="utf-8")


def _entry_pages(graph: Graph) -> set[str]:
    return {
        registry.COLLECTIONS[name].doc_path(entry_id)
        for name, entries in graph.entries.items()
        if registry.COLLECTIONS[name].pages
        for entry_id in entries
    }


def _doc_path(key: tuple[str, str]) -> str:
    return registry.COLLECTIONS[key[0]].doc_path(key[1])


def _changed(old: Graph, new: Graph) -> set[tuple[str, str]]:
    """The entries added, removed, or read again (the cache hands back the same entry for a file that did not
    change, and a vocabulary's entries are new on every check: compared by their values)."""
    keys = {(name, entry_id) for graph in (old, new) for name, entries in graph.entries.items() for entry_id in entries}
    return {key for key in keys if not _same(old.entries.get(key[0], {}).get(key[1]), new.entries.get(key[0], {}).get(key[1]))}


def _same(old: Entry | None, new: Entry | None) -> bool:
    if old is None or new is None:
        return old is new
    return old is new or (old.model == new.model and old.body == new.body)


def _touched(old: Graph, new: Graph, changed: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Entries whose page may show a changed one: it, those it names and that name it, before and after; what
    those that name it name (a topic's table of forums shows each forum's conveners: an organization renamed
    changes the page of every topic and authority of the forums it convenes); and a named cluster's members (an
    authority's page lists its clusters' initiatives)."""
    touched = set(changed)
    for graph in (old, new):
        for key in changed:
            naming = [ref.source for ref in graph.incoming.get(key, [])]
            near = [ref.target for ref in graph.outgoing.get(key, [])] + naming
            touched.update(near)
            touched.update(ref.target for source in naming for ref in graph.outgoing.get(source, []))
            for cluster in [k for k in near + [key] if k[0] == "clusters"]:
                touched.update(ref.target for ref in graph.outgoing.get(cluster, []))
    return {key for key in touched if registry.COLLECTIONS[key[0]].pages}


def _on_sheet(graph: Graph, authority_id: str) -> set[tuple[str, str]]:
    """The entries an authority's emergency sheet may show: the authority, what names it or its clusters (their
    initiatives, its forums), and whatever those name (leads, conveners, owners, contacts)."""
    key = ("authorities", authority_id)
    naming = {ref.source for ref in graph.incoming.get(key, [])}
    naming |= {ref.source for cluster in [k for k in naming if k[0] == "clusters"] for ref in graph.incoming.get(cluster, [])}
    return {key} | naming | {ref.target for source in naming for ref in graph.outgoing.get(source, [])}


def _gone(path: str, text: str, now: set[str], rendered: set[str]) -> bool:
    """Whether a page of the last build (``text``) is no page now: the page of an entry removed (``now``: the
    entries' pages now; any other page is rendered every time), or a list's page that its page, rendered again,
    no longer has (its front matter names that page)."""
    if path.startswith(LISTS_FOLDER + "/"):
        parent = _LIST_OF.search(text)
        return parent is None or yaml.safe_load(parent.group(1)) in rendered or yaml.safe_load(parent.group(1)) not in now
    return path not in now


_LIST_OF = re.compile(r"^list_of: (.*)$", re.M)
