"""Post-build step: the Pagefind index of the built site, with Hebrew word forms and facets.

Only entries and content pages are indexed (list pages, navigation and footers
are not).  Each page is given to Pagefind in memory with additions the reader
never sees: the article marked as the indexed body, card labels, permalinks
and notices left out, a ``variants`` metadata field holding the plain forms of
its words (see `hebrew`), and the facet filters.  Forum outcomes become records
of their own.  The index is written fresh into ``site/pagefind`` every build.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from . import hebrew, pagefind_order, registry
from .references import Graph
from .render import html_path, title_of
from .validate import Entry

INDEX_FOLDER = "pagefind"
FACETS = ("kind", "topic", "population", "authority", "context", "status")

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
_IGNORED = (
    (re.compile(r"<dt>"), "<dt data-pagefind-ignore>"),
    (re.compile(r'<a class="headerlink"'), '<a data-pagefind-ignore class="headerlink"'),
    (re.compile(r'<p class="kb-checked">'), '<p data-pagefind-ignore class="kb-checked">'),
    (re.compile(r'<div class="admonition warning kb-stale"'), '<div data-pagefind-ignore class="admonition warning kb-stale"'),
    (re.compile(r'<p class="kb-summary">'), '<p data-pagefind-weight="2" class="kb-summary">'),
)


@dataclass
class Record:
    """One search result: a page of the site, or a forum outcome within its forum's page."""

    url: str
    text: str
    filters: dict[str, list[str]]
    meta: dict[str, str] = field(default_factory=dict)
    html: str | None = None  # the page as Pagefind should read it; None for an outcome


class _TextOf(HTMLParser):
    """The text Pagefind will index: inside the marked body, outside ignored elements."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements since the body started; 0 = outside
        self.ignored_at: int | None = None
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if self.depth == 0:
            if "data-pagefind-body" in names:
                self.depth = 1
            return
        if tag in self.VOID:
            return
        self.depth += 1
        if self.ignored_at is None and "data-pagefind-ignore" in names:
            self.ignored_at = self.depth

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in self.VOID:
            return
        if self.ignored_at == self.depth:
            self.ignored_at = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.ignored_at is None:
            self.parts.append(data)


def indexed_text(page_html: str) -> str:
    parser = _TextOf()
    parser.feed(page_html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def _prepare(page_html: str) -> str:
    page_html = _ARTICLE.sub(lambda m: m.group(0)[:-1] + " data-pagefind-body>", page_html, count=1)
    for pattern, replacement in _IGNORED:
        page_html = pattern.sub(replacement, page_html)
    return page_html


def _entry_filters(graph: Graph, entry: Entry, kind: str) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {"kind": [kind]}
    model = entry.model
    for facet, role in (("topic", "topics"), ("population", "populations")):
        ids = [target.id for target in graph.targets(entry, role)]
        if ids:
            filters[facet] = ids
    authorities = sorted({ref.target[1] for ref in graph.outgoing.get(entry.key, []) if ref.target[0] == "authorities"})
    if authorities:
        filters["authority"] = authorities
    if getattr(model, "context", None):
        filters["context"] = [model.context]
    if getattr(model, "status", None):
        filters["status"] = [model.status]
    return filters


def records(graph: Graph, site_dir: Path) -> list[Record]:
    out: list[Record] = []
    for name, collection in registry.COLLECTIONS.items():
        if collection.search_kind is None:
            continue
        for entry in graph.entries[name].values():
            url = html_path(collection.doc_path(entry.id))
            page = _prepare((site_dir / url).read_text(encoding="utf-8"))
            filters = _entry_filters(graph, entry, collection.search_kind)
            out.append(Record(url, indexed_text(page), filters, {"kind": collection.search_kind}, page))
            if name == "forums":
                out.extend(_outcome_records(graph, entry, url, filters))
    return out


def _outcome_records(graph: Graph, forum: Entry, url: str, forum_filters: dict[str, list[str]]) -> list[Record]:
    out = []
    for number, outcome in enumerate(forum.model.outcomes, start=1):
        owner = graph.find(registry.ORG_LIKE, outcome.owner) if outcome.owner else None
        text = " ".join(filter(None, [outcome.title, outcome.description, owner and title_of(owner)]))
        filters = {**forum_filters, "kind": ["outcome"], "status": [outcome.status]}
        if owner and owner.collection == "authorities":
            filters["authority"] = sorted({*filters.get("authority", []), owner.id})
        meta = {"title": outcome.title, "kind": "outcome", "forum": title_of(forum)}
        out.append(Record(f"{url}#outcome-{number}", text, filters, meta))
    return out


def _with_additions(record: Record, forms: list[str]) -> str:
    """The page with its metadata and filters as elements Pagefind reads and readers never see."""
    tags = [f'<meta data-pagefind-meta="variants:{" ".join(forms)}">']
    tags += [f'<meta data-pagefind-meta="{key}:{html.escape(value)}">' for key, value in sorted(record.meta.items())]
    for facet in FACETS:
        tags += [f'<meta data-pagefind-filter="{facet}:{html.escape(value)}">' for value in record.filters.get(facet, [])]
    assert record.html is not None
    return record.html.replace("</head>", "".join(tags) + "</head>", 1)


async def _write_index(site_dir: Path, items: list[Record]) -> None:
    vocabulary = Counter(word for item in items for word in hebrew.tokens(item.text))
    config = IndexConfig(output_path=str(site_dir / INDEX_FOLDER), force_language="he")
    async with PagefindIndex(config=config) as index:
        for item in items:
            forms = hebrew.variants([item.text], vocabulary)
            if item.html is not None:
                await index.add_html_file(content=_with_additions(item, forms), source_path=item.url)
            else:
                await index.add_custom_record(
                    url="/" + item.url,
                    content=item.text,
                    language="he",
                    meta={**item.meta, "variants": " ".join(forms)},
                    filters={facet: values for facet, values in item.filters.items() if facet in FACETS},
                )
        # Leaving the context writes the files (calling write_files as well would write them twice).


def build_search_index(site_dir: Path, graph: Graph) -> int:
    """Index the built site into ``site/pagefind``; returns the number of records."""
    shutil.rmtree(site_dir / INDEX_FOLDER, ignore_errors=True)
    items = records(graph, site_dir)
    # Pagefind's API is async; a thread of its own runs it even when the caller already
    # has an event loop running (a test driving a browser, an async host program).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, _write_index(site_dir, items)).result()
    pagefind_order.make_stable(site_dir / INDEX_FOLDER)
    return len(items)
