"""Stage "index": the Pagefind index of the site, with Hebrew word forms and facets.

It reads the rendered pages (stage 4's Markdown, with the body turned into HTML
here), not mkdocs' output, so it runs on the second core while mkdocs builds;
`write` moves the finished index into the new site.  Only entries and content
pages are indexed (list pages, navigation and footers are not).  Pagefind gets
each page's article with additions the reader never sees: card labels and
notices left out, a ``variants`` metadata field holding the plain forms of its
words that the text itself lacks (see `hebrew`), and the facet filters.  Forum
outcomes become records of their own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from pagefind.index import IndexConfig, PagefindIndex

from .. import hebrew
from ..content import registry
from ..content.references import Graph
from ..content.registry import html_path
from ..content.validate import Entry, title_of
from ..errors import BuildError
from ..pages.render import script_json
from . import pagefind_order

INDEX_FOLDER = "pagefind"
FACETS = ("kind", "topic", "population", "authority", "context", "status")

MARKDOWN_EXTENSIONS = ["tables", "attr_list", "def_list", "admonition"]
"""Enough of mkdocs.yml's extensions to read the body's text (the index needs text, not layout)."""
_IGNORED = (
    (re.compile(r"<dt>"), "<dt data-pagefind-ignore>"),
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


_BODY = re.compile(r"<(\w+)[^>]*\bdata-pagefind-body\b[^>]*>(.*)</\1>", re.DOTALL)
_IGNORED_ELEMENT = re.compile(r"<(\w+)[^>]*\bdata-pagefind-ignore\b[^>]*>.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def indexed_text(page_html: str) -> str:
    """The text Pagefind will index: inside the marked body, without ignored elements.

    Regular expressions suffice because the ignored elements are the generator's own
    (dt, a permalink, a paragraph, a notice without nested divs): contributors cannot
    set data-pagefind-ignore, which stage 2 refuses like every unknown attribute.
    """
    body = _BODY.search(page_html)
    if body is None:
        return ""
    text = _TAG.sub(" ", _IGNORED_ELEMENT.sub(" ", body.group(2)))
    return " ".join(html.unescape(text).split())


def _article(page_markdown: str, converter: markdown.Markdown) -> str:
    """A rendered page (which starts with its <h1>) as the article Pagefind indexes: its text
    as HTML, marked as Pagefind's body, with what is not to be indexed marked too."""
    text = page_markdown.split("---\n", 2)[2] if page_markdown.startswith("---\n") else page_markdown
    article = f"<article data-pagefind-body>{converter.reset().convert(text)}</article>"
    for pattern, replacement in _IGNORED:
        article = pattern.sub(replacement, article)
    return article


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


def records(graph: Graph, docs: dict[str, str]) -> list[Record]:
    """What the index holds: entries and content pages (from their rendered Markdown) and forum outcomes."""
    converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)
    out: list[Record] = []
    for name, collection in registry.COLLECTIONS.items():
        if collection.search_kind is None:
            continue
        for entry in graph.entries[name].values():
            doc_path = collection.doc_path(entry.id)
            article = _article(docs[doc_path], converter)
            filters = _entry_filters(graph, entry, collection.search_kind)
            url = html_path(doc_path)
            meta = {"kind": collection.search_kind, "title": title_of(entry)}
            out.append(Record(url, indexed_text(article), filters, meta, article))
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
    """The article as a page for Pagefind, with metadata and filters as elements readers never see."""
    tags = [f'<meta data-pagefind-meta="variants:{" ".join(forms)}">']
    tags += [
        f'<meta data-pagefind-meta="{key}:{html.escape(value)}">' for key, value in sorted(record.meta.items()) if key != "title"
    ]  # the title comes from the article's <h1>
    for facet in FACETS:
        tags += [f'<meta data-pagefind-filter="{facet}:{html.escape(value)}">' for value in record.filters.get(facet, [])]
    assert record.html is not None
    return f'<!doctype html><html lang="he" dir="rtl"><head>{"".join(tags)}</head><body>{record.html}</body></html>\n'


FALLBACK = "fallback.js"
"""The index again as a classic script, for the search page opened from disk (file://), where
browsers refuse Pagefind's module and fetches."""


def _write_fallback(output: Path, items: list[Record], all_forms: list[list[str]]) -> None:
    records = [
        {
            "url": item.url,
            "title": item.meta.get("title", ""),
            "kind": item.meta.get("kind", ""),
            "forum": item.meta.get("forum", ""),
            "filters": {facet: item.filters[facet] for facet in FACETS if facet in item.filters},
            "forms": forms,
            "content": item.text,
        }
        for item, forms in zip(items, all_forms, strict=True)
    ]
    payload = script_json(records, compact=True)
    (output / FALLBACK).write_text(f"window.KB_SEARCH_FALLBACK = {payload};\n", encoding="utf-8")


async def _write_index(output: Path, items: list[Record], staging: Path) -> None:
    words = [hebrew.tokens(item.text) for item in items]
    vocabulary = Counter(word for page in words for word in page)
    stems = {word: hebrew.stems(word, vocabulary) for word in vocabulary}  # each distinct word once
    all_forms = [sorted(set(page).union(*(stems[word] for word in set(page)))) for page in words]
    custom = []
    for item, page_forms in zip(items, all_forms, strict=True):
        # Pagefind indexes the text itself; the variants add only the forms it lacks.
        forms = sorted(set(page_forms) - hebrew.written_words(item.text))
        if item.html is not None:
            # Pages go through a staging folder read by Pagefind in one call: one request per
            # page to its service costs about 100 ms, the folder a fraction of that.
            target = staging / item.url
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_with_additions(item, forms), encoding="utf-8")
        else:
            custom.append((item, forms))
    config = IndexConfig(output_path=str(output), force_language="he")
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(staging))
        await asyncio.gather(
            *(
                index.add_custom_record(
                    url="/" + item.url,
                    content=item.text,
                    language="he",
                    meta={**item.meta, "variants": " ".join(forms)},
                    filters={facet: values for facet, values in item.filters.items() if facet in FACETS},
                )
                for item, forms in custom
            )
        )
        # Leaving the context writes the files (calling write_files as well would write them twice).
    _write_fallback(output, items, all_forms)


def build_search_index(graph: Graph, docs: dict[str, str], output: Path, attempts: int = 3, scratch: Path | None = None) -> int:
    """Write the index of the rendered ``docs`` into ``output`` (a fresh folder); returns the record count.

    Pages are staged for Pagefind in a folder inside ``scratch`` (the build's work folder; by default
    the folder holding ``output``), never in the system's temporary folder, where a killed build's
    staging would stay forever.
    """
    items = records(graph, docs)
    scratch = scratch or output.parent
    for _ in range(attempts):
        shutil.rmtree(output, ignore_errors=True)
        staged = tempfile.TemporaryDirectory(prefix="kb-index-", dir=scratch)
        # Pagefind's API is async; a thread of its own runs it even when the caller already
        # has an event loop running (a test driving a browser, an async host program).
        with staged as staging, concurrent.futures.ThreadPoolExecutor(1) as worker:
            worker.submit(asyncio.run, _write_index(output, items, Path(staging))).result()
        # The wrapper stops Pagefind's process once it has answered, and now and then (about one
        # build in ten here) a file is not complete by then: check, and index again rather than ship it.
        if pagefind_order.is_complete(output):
            pagefind_order.make_stable(output)
            return len(items)
    raise BuildError(f"Pagefind did not finish writing the search index in {attempts} attempts")
