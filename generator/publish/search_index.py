"""Stage "index": the Pagefind index of the site, searched by the keys of its words (`lexicon`), with facets.

It reads the rendered pages (stage 4's Markdown, with the body turned into HTML
here), not mkdocs' output, so it runs on the second core while mkdocs builds;
`write` moves the finished index into the new site.  Entries, content pages, forum
outcomes, authorities and organizations are indexed (list pages, navigation and
footers are not).  Pagefind gets each page's article with additions the reader never
sees: card labels and notices left out (the card's values are searched, never shown),
a ``keys`` metadata field holding its search terms (`search_keys`), and the facet filters (a list by
filters alone, without words, comes from ``kb/fallback/``: Pagefind would load its whole index for it).  Forum outcomes
become records of their own.  Beside Pagefind's files, ``kb/`` holds what the search
page reads to turn a query into keys and to mark the words it found, and the index
again for a page opened from disk.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import html
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from pagefind.index import IndexConfig, PagefindIndex

from ..content import registry
from ..content.model import Entry, outcome_anchors, title_of
from ..content.references import Graph
from ..content.registry import html_path
from ..errors import BuildError
from . import html_blocks, pagefind_order, search_keys, search_synonyms

INDEX_FOLDER = "pagefind"
FACETS = ("kind", "topic", "population", "authority", "context", "status")

MARKDOWN_EXTENSIONS = ["tables", "attr_list", "def_list", "admonition", "generator.publish.html_blocks"]
"""Enough of mkdocs.yml's extensions to read the body's text (the index needs text, not layout); the generator's
HTML blocks set aside as mkdocs sets them aside (`html_blocks`)."""
_IGNORED = (
    (re.compile(r"<dt>"), "<dt data-pagefind-ignore>"),
    # The card's values are read into keys (its names, topics, authority) but never shown as an excerpt.
    (re.compile(r'<div class="kb-card">'), '<div data-pagefind-ignore class="kb-card">'),
    (re.compile(r'<p class="kb-checked">'), '<p data-pagefind-ignore class="kb-checked">'),
    (re.compile(r'<div class="admonition warning kb-stale"'), '<div data-pagefind-ignore class="admonition warning kb-stale"'),
    (re.compile(r'<p class="kb-summary">'), '<p data-pagefind-weight="2" class="kb-summary">'),
)
_CARD = re.compile(r'<div data-pagefind-ignore class="kb-card">(.*?)</div>', re.DOTALL)
_DD = re.compile(r"<dd(?![^>]*data-kb-names)[^>]*>(.*?)</dd>", re.DOTALL)
"""A value of the card, but a body's other names (found by its group of names, `search_synonyms.name_groups`)."""
PAGES_ONLY = ("authorities", "organizations")
"""Collections whose pages are found by their names and card alone: their lists of entries (each entry
is a result of its own) would otherwise make every authority a result for every word."""


@dataclass
class Record:
    """One search result: a page of the site, or a forum outcome within its forum's page."""

    url: str
    text: str
    """What is searched and shown as an excerpt."""
    filters: dict[str, list[str]]
    meta: dict[str, str] = field(default_factory=dict)
    html: str | None = None  # the page as Pagefind should read it; None for an outcome
    card: str = ""
    """The card's values (names, topics, places): searched, never shown."""
    named: bool = False
    """A page of a name (an authority, an organization): its title ranks it first only for a query that names it."""

    @property
    def title(self) -> str:
        return self.meta.get("title", "")


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
    # The generator's pages are HTML blocks and headings: read without Python-Markdown's parsers where so.
    converted = html_blocks.headings_and_blocks(text, converter)
    article = f"<article data-pagefind-body>{converter.reset().convert(text) if converted is None else converted}</article>"
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
    if entry.collection == "authorities":
        authorities = [entry.id]
    if authorities:
        filters["authority"] = authorities
    if getattr(model, "context", None):
        filters["context"] = [model.context]
    if getattr(model, "status", None):
        filters["status"] = [model.status]
    return filters


def records(graph: Graph, docs: dict[str, str]) -> list[Record]:
    """What the index holds: entries, content pages, authorities and organizations (from their rendered
    Markdown), forum outcomes and emergency sheets, in `KIND_ORDER` and then by title (ties: their addresses)."""
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
            card = " ".join(
                html.unescape(_TAG.sub(" ", value)) for block in _CARD.findall(article) for value in _DD.findall(block)
            )
            if name in PAGES_ONLY:
                description = getattr(entry.model, "description", None) or ""
                text = " ".join(filter(None, [title_of(entry), description]))
                heading, paragraph = html.escape(title_of(entry)), html.escape(description)
                article = f"<article data-pagefind-body><h1>{heading}</h1><p>{paragraph}</p></article>"
                out.append(Record(url, text, filters, meta, article, card, named=True))
            else:
                out.append(Record(url, indexed_text(article), filters, meta, article, card))
            if name == "forums":
                out.extend(_outcome_records(graph, entry, url, filters))
    for authority in graph.entries["authorities"].values():
        title = f"דף חירום: {title_of(authority)}"
        out.append(_sheet_record(registry.emergency_sheet_path(authority.id), title, {"authority": [authority.id]}))
    return sorted(out, key=lambda record: (KIND_ORDER.get(record.meta["kind"], 1), record.title, record.url))


KIND_ORDER = {"initiative": 0, "forum": 0, "outcome": 0, "authority": 1, "organization": 1, "sheet": 1, "page": 2}
"""Records in this order, then by title: the order of a list by filters alone (`search_keys.fallback_files`). Entries come first;
a body's page (all name) and the site's own pages after them."""


def _sheet_record(doc_path: str, title: str, filters: dict[str, list[str]]) -> Record:
    """An emergency sheet, found by its name: "דף חירום אשדוד". Only its title is indexed, as
    a name's: the sheet repeats what its initiatives' own records hold, and a query for "חירום" alone should find
    those. The title is the article's <h1>, which is where Pagefind takes a result's title from."""
    article = f"<article data-pagefind-body><h1>{html.escape(title)}</h1></article>"
    meta = {"kind": "sheet", "title": title}
    return Record(html_path(doc_path), title, {"kind": ["sheet"], **filters}, meta, article, named=True)


def _outcome_records(graph: Graph, forum: Entry, url: str, forum_filters: dict[str, list[str]]) -> list[Record]:
    out = []
    for outcome, anchor in zip(forum.model.outcomes, outcome_anchors(forum.model.outcomes), strict=True):
        owner = graph.find(registry.ORG_LIKE, outcome.owner) if outcome.owner else None
        text = " ".join(filter(None, [outcome.title, outcome.description, owner and title_of(owner)]))
        filters = {**forum_filters, "kind": ["outcome"], "status": [outcome.status]}
        if owner and owner.collection == "authorities":
            filters["authority"] = sorted({*filters.get("authority", []), owner.id})
        meta = {"title": outcome.title, "kind": "outcome", "forum": title_of(forum)}
        out.append(Record(f"{url}#{anchor}", text, filters, meta))
    return out


def site_keys(graph: Graph, items: list[Record]) -> search_keys.SiteKeys:
    """The records read into keys: their titles, and their texts with their cards; with the content's synonyms."""
    synonyms = [(search_synonyms.group_name(group.id), list(group.model.terms)) for group in graph.entries["synonyms"].values()]
    bodies = [entry for name in ("organizations", "authorities", "clusters") for entry in graph.entries[name].values()]
    synonyms += search_synonyms.name_groups(
        (f"{entry.collection[0]}{entry.id}", entry.model.name, entry.model.name_en, entry.model.other_names) for entry in bodies
    )
    texts = ((item.title, f"{item.text} {item.card}", item.named, item.meta["kind"] == "page") for item in items)
    return search_keys.key_records(texts, synonyms)


def _with_additions(record: Record, terms: list[str]) -> str:
    """The article as a page for Pagefind, with its keys, metadata and filters as elements readers never see."""
    tags = [f'<meta data-pagefind-meta="keys:{" ".join(terms)}">']
    tags += [
        f'<meta data-pagefind-meta="{key}:{html.escape(value)}">' for key, value in sorted(record.meta.items()) if key != "title"
    ]  # the title comes from the article's <h1>
    for facet in FACETS:
        tags += [f'<meta data-pagefind-filter="{facet}:{html.escape(value)}">' for value in record.filters.get(facet, [])]
    assert record.html is not None
    return f'<!doctype html><html lang="he" dir="rtl"><head>{"".join(tags)}</head><body>{record.html}</body></html>\n'


DATA_FOLDER = "kb"
"""Inside the index folder: what the search page reads besides Pagefind (the lexicon, the fallback index)."""
FALLBACK = f"{INDEX_FOLDER}/{DATA_FOLDER}/fallback/"
"""The index again for the search page opened from disk (file://), where browsers refuse Pagefind's module."""
KNOWN = f"{INDEX_FOLDER}/{DATA_FOLDER}/known/"
"""Every word of the lexicon, read only when a query finds nothing (`search_keys.known_files`)."""


def _pages(output: Path) -> dict[str, str]:
    """Address → Pagefind's id of the record (its fragment's name): both engines break ties of rank by it."""
    pages = {}
    for fragment in (output / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(fragment.read_bytes())
        pages[json.loads(raw[len(pagefind_order.MAGIC) :])["url"].lstrip("/")] = fragment.name[: -len(".pf_fragment")]
    return pages


def _page_files(items: list[Record], site: search_keys.SiteKeys) -> dict[str, str]:
    """The search page's data that Pagefind's ids play no part in: the lexicon by first letters, the words for
    "did you mean", the synonyms, and the records' texts for a page from disk."""
    texts = [
        {
            "url": item.url,
            "title": item.title,
            "kind": item.meta.get("kind", ""),
            "forum": item.meta.get("forum", ""),
            "content": item.text,
        }
        for item in items
    ]
    return {
        **search_keys.lexicon_files(site),
        **search_keys.forms_files(site),
        **search_keys.known_files(),
        **search_keys.near_files(site),
        "latin.js": search_keys.latin_file(site),
        "synonyms.js": search_keys.synonyms_file(site),
        **search_keys.text_files(texts),
    }


def _browser_files(
    items: list[Record], site: search_keys.SiteKeys, pages: dict[str, str], made: dict[str, str]
) -> dict[str, str]:
    """``made`` (`_page_files`) with the index for a page from disk, whose order breaks ties by Pagefind's ids."""
    ties = [pages[item.url] for item in items]
    filters = [{facet: item.filters[facet] for facet in FACETS if facet in item.filters} for item in items]
    files = {**made, **search_keys.fallback_files(ties, filters, site)}
    return {**files, "shards.js": search_keys.shards_file(files)}


async def _write_index(output: Path, items: list[Record], site: search_keys.SiteKeys, staging: Path) -> None:
    custom = []
    for item, keyed in zip(items, site.records, strict=True):
        terms = keyed.terms()
        if item.html is not None:
            # Pages go through a staging folder read by Pagefind in one call: one request per
            # page to its service costs about 100 ms, the folder a fraction of that.
            target = staging / item.url
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_with_additions(item, terms), encoding="utf-8")
        else:
            custom.append((item, terms))
    config = IndexConfig(output_path=str(output), force_language="he")
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(staging))
        await asyncio.gather(
            *(
                index.add_custom_record(
                    url="/" + item.url,
                    content=item.text,
                    language="he",
                    meta={**item.meta, "keys": " ".join(terms)},
                    filters={facet: values for facet, values in item.filters.items() if facet in FACETS},
                )
                for item, terms in custom
            )
        )
        # Leaving the context writes the files (calling write_files as well would write them twice).


def build_search_index(graph: Graph, docs: dict[str, str], output: Path, attempts: int = 3, scratch: Path | None = None) -> int:
    """Write the index of the rendered ``docs`` into ``output`` (a fresh folder); returns the record count.

    Pages are staged for Pagefind in a folder inside ``scratch`` (the build's work folder; by default
    the folder holding ``output``), never in the system's temporary folder, where a killed build's
    staging would stay forever.
    """
    items = records(graph, docs)
    site = site_keys(graph, items)
    scratch = scratch or output.parent
    with concurrent.futures.ThreadPoolExecutor(2) as workers:
        # The search page's own files are made while Pagefind, in a process of its own, indexes.
        made = workers.submit(_page_files, items, site)
        for _ in range(attempts):
            shutil.rmtree(output, ignore_errors=True)
            # Pagefind's API is async; a thread of its own runs it even when the caller already
            # has an event loop running (a test driving a browser, an async host program).
            with tempfile.TemporaryDirectory(prefix="kb-index-", dir=scratch) as staging:
                workers.submit(asyncio.run, _write_index(output, items, site, Path(staging))).result()
            # The wrapper stops Pagefind's process once it has answered, and now and then (about one
            # build in ten here) a file is not complete by then: check, and index again rather than ship it.
            if pagefind_order.is_complete(output):
                search_keys.write(output / DATA_FOLDER, _browser_files(items, site, _pages(output), made.result()))
                pagefind_order.make_stable(output)
                return len(items)
    raise BuildError(f"Pagefind did not finish writing the search index in {attempts} attempts")
