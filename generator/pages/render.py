"""Stage 4, render: the linked graph → the pages of a docs tree, through the
Jinja2 templates in ``site_templates/``.

Generated parts of a page (cards, tables, lists of links) are HTML blocks,
escaped by Jinja2's ordinary HTML autoescaping: Markdown passes HTML blocks
through untouched, so contributor text can never become Markdown syntax (a
link, an image, an attribute list), and Python-Markdown does not spend its
time re-parsing them.  Only the contributor's body (checked in stage 2) and
static section headings are Markdown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import yaml
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

from .. import dates, lexicon
from ..content import body, freshness, links, registry, sanitize, schema
from ..content.model import Entry, file_link_path, link_is_web, outcome_anchors, title_of
from ..content.references import Graph
from ..content.registry import html_path
from ..dates import BuildInfo
from ..errors import KbError
from . import feeds, open_data, timeline

TEMPLATES_DIR = registry.TEMPLATES_DIR


def doc_path_of(entry: Entry) -> str:
    return registry.COLLECTIONS[entry.collection].doc_path(entry.id)


def from_page(doc_path: str, site_path: str) -> str:
    """URL of a file of the site (a path from its top) from the page of ``doc_path``."""
    return "../" * doc_path.count("/") + site_path


def relative_url(from_doc: str, to_doc: str) -> str:
    """URL of ``to_doc``'s page from ``from_doc``'s page (both docs paths); pages link to files, not folders."""
    return from_page(from_doc, html_path(to_doc))


def format_number(value: float) -> str:
    """1200 → "1,200"; 1500.0 → "1,500"; 2.5 stays "2.5"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def count_hebrew(number: int, one: str, many: str) -> str:
    """``1`` → "יוזמה אחת" (``one``); otherwise "3 יוזמות" (the number and ``many``)."""
    return one if number == 1 else f"{number} {many}"


def dial(phone: str) -> str:
    """The number a phone link dials: digits and '+', without an extension ("שלוחה 3") or "/2"."""
    number = re.split(r"שלוח|פנימי|ext|x|/", phone)[0]
    return re.sub(r"[^0-9+*]", "", number)


def script_json(data: Any, compact: bool = False) -> Markup:
    """JSON to place inside a <script> element: '<' escaped, so no '</script>' can end it early."""
    separators = (",", ":") if compact else None
    return Markup(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=separators).replace("<", "\\u003c"))


_HEBREW = re.compile("[\u0590-\u05ff]")
_LATIN = re.compile("[A-Za-z]")


def isolate(text: Any) -> Markup:
    """Text with Latin letters and no Hebrew (an English name, an address) as a left-to-right
    isolate, so a Hebrew line around it keeps its order and its brackets face the right way."""
    if isinstance(text, Markup) or not isinstance(text, str) or _HEBREW.search(text) or not _LATIN.search(text):
        return Markup("{}").format(text)
    return Markup('<bdi dir="ltr">{}</bdi>').format(text)


LIST_ROWS = 100
"""Rows of a list on one page; the rest go on pages of their own (`Paged`). A row is about 400 bytes, so a page
that shows a few lists stays far below 300 KB however many entries there are."""
LISTS_FOLDER = "lists"
"""Where the further pages of lists go, ``lists/<page>/<list>-<n>.md``: no collection's folder, so no entry's
id can take their names."""


@dataclass(frozen=True)
class Paged:
    """One page of a section's list: its rows, and where the others are."""

    items: list[Any]
    number: int
    """1 on the page that has the section, 2… on the list's own pages."""
    total: int
    paths: tuple[str, ...]
    """Docs path of each page, the section's page first."""
    heading: str
    opening: int = LIST_ROWS
    """Rows on the section's page (fewer where a page has a list per authority); LIST_ROWS on the others."""

    @property
    def count(self) -> int:
        return len(self.paths)

    @property
    def first(self) -> int:
        return 1 if self.number == 1 else self.opening + (self.number - 2) * LIST_ROWS + 1

    @property
    def last(self) -> int:
        return min(self.opening if self.number == 1 else self.opening + (self.number - 1) * LIST_ROWS, self.total)

    @property
    def numbers(self) -> list[int | None]:
        """The pages the pager links to: the first, the last and two on either side of this one; None for a gap."""
        wanted = sorted({1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)})
        out: list[int | None] = []
        for number in wanted:
            if out and number - (out[-1] or 0) > 1:
                out.append(None)
            out.append(number)
        return out


def _anchor(href: str, text: Any, shows_address: bool = False) -> Markup:
    """A link; ``shows_address`` when its text is where it leads (an address, a phone number, a URL), so that a
    printed page does not print the address a second time after it (kb.css)."""
    if shows_address:
        return Markup('<a class="kb-address" href="{}">{}</a>').format(href, isolate(text))
    return Markup('<a href="{}">{}</a>').format(href, isolate(text))


def counted_heading(words: str, count: int) -> Markup:
    """A section's heading with how many it lists, ``יוזמות (3) {#יוזמות}``: its id is made from the words alone,
    as the table of contents would slug them, so a shared link to the section outlives the next entry."""
    return Markup("{} ({}) {{#{}}}").format(words, format_number(count), slugify_unicode(words, "-"))


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, by their source's checksum (Jinja's own check): the preview makes a
    renderer for every change, and compiling the templates again took a fifth of its time."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()


def all_outcomes(graph: Graph) -> list[tuple[Entry, schema.ForumOutcome]]:
    """Every forum outcome with its forum, newest first (by its meeting, else its due date, else the forum's check)."""
    pairs = [(forum, outcome) for forum in graph.entries["forums"].values() for outcome in forum.model.outcomes]
    return sorted(pairs, key=lambda p: (p[1].meeting or p[1].due or p[0].model.updated, p[0].id), reverse=True)


class Renderer:
    """Renders every page of the site, keyed by docs path."""

    def __init__(
        self, graph: Graph, build: BuildInfo, published: dict[str, str] | None = None, templates_dir: Path = TEMPLATES_DIR
    ):
        self.graph = graph
        self.build = build
        self.published = published or {}
        """Files made beside the pages (data, feeds), by site path: the data page lists them with their sizes."""
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            bytecode_cache=_COMPILED,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            date=dates.format_hebrew,
            on_date=dates.on_date_hebrew,
            title=title_of,
            counted=count_hebrew,
            number=format_number,
            ltr=isolate,
            slug=lambda words: slugify_unicode(words, "-"),
        )
        self.env.tests["overdue"] = self._is_overdue
        self.env.globals.update(
            link=self._link,
            page_link=self._page_link,
            file_or_url=self._file_or_url,
            web_link=lambda url, text=None: _anchor(url, text or url, shows_address=not text or text == url),
            mailto=lambda email: _anchor(f"mailto:{email}", Markup('<bdi dir="ltr">{}</bdi>').format(email), True),
            tel=lambda phone: _anchor(f"tel:{dial(phone)}", Markup('<bdi dir="ltr">{}</bdi>').format(phone), True),
            labels=_labels(),
            collections=registry.COLLECTIONS,
            build=build,
            today=build.today,
            is_stale=lambda updated: dates.is_stale(updated, build.today),
            is_overdue=self._is_overdue,
            born_of=self._born_of,
            initiative=lambda entry_id: graph.get("initiatives", entry_id),
            stale_months=dates.STALE_AFTER_MONTHS,
            by_title=lambda entries: sorted(entries, key=lambda e: (title_of(e), e.id)),
            newest=lambda entries: sorted(entries, key=lambda e: (e.model.updated, e.id), reverse=True),
            referrers=graph.referrers,
            targets=graph.targets,
            lookup=lambda entry_id: graph.find(registry.ORG_LIKE, entry_id),
            entries=lambda name: list(graph.entries[name].values()),
            forum_outcomes=self._forum_outcomes,
            all_outcomes=self._all_outcomes,
            owned_outcomes=self._owned_outcomes,
            top_authorities=self._top_authorities,
            offline_download=self._offline_download,
            emergency_sheet=lambda entry: registry.emergency_sheet_path(entry.id),
            emergency_index=registry.EMERGENCY_INDEX,
            tracker_data="data/tracker.js",
            sheet_initiatives=self._sheet_initiatives,
            feed_of=self._feed_of,
            feed_path=feeds.feed_path,
            site_file=self._site_file,
            paged=self._paged,
            counted_heading=counted_heading,
            outcome_place=self._outcome_place,
            outcome_history=self._outcome_history,
            source_link=self._source_link,
            repository=build.settings.repository,
            edit_url=self._edit_url,
            report_url=self._report_url,
            accessibility_contact=build.settings.accessibility,
            repository_file=build.settings.file_url,
            repository_form=build.settings.form_url,
        )
        self._further: list[tuple[str, str, Paged, dict[str, Any], str]] = []
        self._further_paths: set[str] = set()
        """Pages of lists beyond their first (docs path, rows macro, page, its options, title), made by `paged`."""
        self._outcomes_cache: list[tuple[Entry, schema.ForumOutcome]] | None = None
        self._anchors_cache: dict[str, list[str]] = {}
        self.links = links.Resolver({name: set(ids) for name, ids in graph.entries.items()}, graph.files)

    # --- helpers available in templates ---

    @jinja2.pass_context
    def _link(self, ctx: Any, entry: Entry, text: str | None = None, anchor: str | None = None) -> Markup:
        href = relative_url(ctx["page_path"], doc_path_of(entry))
        return _anchor(f"{href}#{anchor}" if anchor else href, text if text is not None else title_of(entry))

    @jinja2.pass_context
    def _page_link(self, ctx: Any, doc_path: str, text: str, anchor: str | None = None) -> Markup:
        """A link to a page the generator makes (a list page, the tracker), by its docs path (and a section's id)."""
        href = relative_url(ctx["page_path"], doc_path)
        return _anchor(f"{href}#{anchor}" if anchor else href, text)

    @jinja2.pass_context
    def _file_or_url(self, ctx: Any, url: str, text: str) -> Markup:
        if link_is_web(url):
            return _anchor(url, text)
        return _anchor(from_page(ctx["page_path"], links.file_url(file_link_path(url) or "")), text)

    @jinja2.pass_context
    def _source_link(self, ctx: Any, url: str, text: str) -> Markup:
        """One of an entry's sources: a file of the site, or an address elsewhere with its host beside it, so a
        reader sees where a fact comes from before following it; the other site is not told which page sent
        the reader (noreferrer), nor can it reach back into this one (noopener)."""
        if not link_is_web(url):
            return self._file_or_url(ctx, url, text)
        host = urlsplit(url).hostname or ""
        return Markup(
            '<a href="{}" rel="external noopener noreferrer">{}</a> <span class="kb-note">(<bdi dir="ltr">{}</bdi>)</span>'
        ).format(url, isolate(text), host.removeprefix("www."))

    def _edit_url(self, entry: Entry) -> str:
        """The repository's editor of the entry's file; "" when the site's repository is not set."""
        return self.build.settings.edit_url(links.content_path(self.graph.root, entry.path))

    @jinja2.pass_context
    def _report_url(self, ctx: Any) -> str:
        """A new issue about this page, its title and address filled in; "" when the repository is not set."""
        return self.build.settings.report_url(ctx["page_title"], self.build.address(html_path(ctx["page_path"])))

    def _outcome_place(self, forum: Entry, outcome: schema.ForumOutcome) -> tuple[str, int]:
        """An outcome's id on its forum's page, and its number there (the old ids, ``outcome-1``…): by where it is
        among the forum's outcomes, not in the list shown, which may be a further page of it."""
        if forum.id not in self._anchors_cache:
            self._anchors_cache[forum.id] = outcome_anchors(forum.model.outcomes)
        number = next(n for n, o in enumerate(forum.model.outcomes, start=1) if o is outcome)
        return self._anchors_cache[forum.id][number - 1], number

    def _outcome_history(self, forum: Entry, anchor: str) -> list[Markup]:
        """An outcome's dated events in words (`pages.timeline`), from the history the build read; none when it
        has none (it is not in a commit yet, or the history is not available)."""
        found = self.build.history.of(forum.id, anchor)
        if found is None:
            return []

        def name_of(owner: str) -> str:
            entry = self.graph.find(registry.ORG_LIKE, owner)
            return title_of(entry) if entry is not None else owner

        return timeline.describe(found, name_of, isolate)

    @jinja2.pass_context
    def _offline_download(self, ctx: Any) -> Markup:
        """The paragraph that offers the whole site as a zip, for reading without a network."""
        href = from_page(ctx["page_path"], registry.download_path(self.build))
        return Markup(
            '<p class="kb-offline"><a href="{}" download>להורדת האתר כולו לשימוש ללא רשת</a> '
            '(קובץ ZIP שנבנה {}). פותחים את הקובץ, נכנסים לתיקייה <bdi dir="ltr">{}</bdi> ולוחצים על index.html: '
            "העמודים והחיפוש עובדים גם בלי חיבור לרשת.</p>"
        ).format(href, dates.on_date_hebrew(self.build.today.isoformat()), registry.bundle_folder(self.build))

    @jinja2.pass_context
    def _site_file(self, ctx: Any, site_path: str, text: str) -> Markup:
        """A link to a file the generator publishes (data, a feed), with its size."""
        size = len(self.published[site_path].encode("utf-8"))
        shown = f"{size / 1024:,.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"
        href = from_page(ctx["page_path"], site_path)
        return Markup('<a href="{}">{}</a> <span class="kb-note">(<bdi dir="ltr">{}</bdi>)</span>').format(href, text, shown)

    @jinja2.pass_context
    def _feed_of(self, ctx: Any, site_path: str, text: str) -> Markup:
        """The visible link to a page's Atom feed (the <head> has its <link rel="alternate"> too)."""
        href = from_page(ctx["page_path"], site_path)
        return Markup(
            '<p class="kb-feed"><a href="{}" type="application/atom+xml">{} (RSS/Atom)</a><br>'
            '<span class="kb-note">מעתיקים את הקישור לאפליקציה של קורא עדכונים, וכל חדש מופיע בה בלי לחזור לאתר.</span></p>'
        ).format(href, text)

    @jinja2.pass_context
    def _paged(
        self,
        ctx: Any,
        items: Iterable[Any],
        rows: str,
        name: str,
        heading: str,
        options: dict | None = None,
        opening: int | None = None,
    ) -> Paged:
        """The first page of a section's list (``name``, unique on its page; ``opening`` rows); its further pages
        (LIST_ROWS rows each) are made after every page (`render_all`), each through the same ``rows`` macro
        with ``options``."""
        items = list(items)
        page = ctx["page_path"]
        opening = LIST_ROWS if opening is None else opening
        count = 1 + max(0, -(-(len(items) - opening) // LIST_ROWS))
        # A folder per page: two pages' names cannot meet (authorities/x's "cluster-initiatives" and
        # authorities/x-cluster's "initiatives").
        paths = (page, *(f"{LISTS_FOLDER}/{page[: -len('.md')]}/{name}-{number}.md" for number in range(2, count + 1)))
        if any(path in self._further_paths for path in paths[1:]):
            raise KbError(f"{page}: two lists are named {name!r}; a template must name each list of a page once")
        self._further_paths.update(paths[1:])
        title = f"{ctx['page_title']}: {heading}"
        for number in range(2, count + 1):
            start = opening + (number - 2) * LIST_ROWS
            further = Paged(items[start : start + LIST_ROWS], number, len(items), paths, heading, opening)
            self._further.append((paths[number - 1], rows, further, options or {}, f"{title} (עמוד {number})"))
        return Paged(items[:opening], 1, len(items), paths, heading, opening)

    def _forum_outcomes(self, forum: Entry) -> list[tuple[Entry, schema.ForumOutcome]]:
        return [(forum, outcome) for outcome in forum.model.outcomes]

    def _all_outcomes(self) -> list[tuple[Entry, schema.ForumOutcome]]:
        if self._outcomes_cache is None:
            self._outcomes_cache = all_outcomes(self.graph)
        return self._outcomes_cache

    def _owned_outcomes(self, owner: Entry) -> list[tuple[Entry, schema.ForumOutcome]]:
        forums = {ref.source for ref in self.graph.incoming.get(owner.key, []) if ref.role == "outcomes.owner"}
        owed = [(f, o) for f, o in self._all_outcomes() if f.key in forums and o.owner == owner.id]
        return sorted(owed, key=lambda pair: not self._is_overdue(pair[1]))  # what is late first, else newest first

    def _born_of(self, initiative: Entry) -> list[tuple[Entry, schema.ForumOutcome]]:
        """The forum outcomes an initiative carries out (those that name it in their ``initiatives``)."""
        forums = self.graph.referrers(initiative.key, "forums", "outcomes.initiatives")
        return [(f, o) for f in sorted(forums, key=lambda e: e.id) for o in f.model.outcomes if initiative.id in o.initiatives]

    def _is_overdue(self, outcome: schema.ForumOutcome) -> bool:
        return dates.is_overdue(outcome.due, outcome.status, self.build.today)

    def _sheet_initiatives(self, authority: Entry) -> list[Entry]:
        """What an authority's emergency sheet lists: its initiatives and its regional clusters' for emergencies."""
        found = {e.id: e for e in self.graph.referrers(authority.key, "initiatives")}
        for cluster in self.graph.referrers(authority.key, "clusters"):
            found.update((e.id, e) for e in self.graph.referrers(cluster.key, "initiatives"))
        chosen = [e for e in found.values() if e.model.context in ("emergency", "both")]
        return sorted(chosen, key=lambda e: (title_of(e), e.id))

    def _top_authorities(self, count: int) -> list[Entry]:
        """The authorities with the most links; the home page stays small however many there are."""

        def weight(entry: Entry) -> tuple[int, str]:
            return (-len(self.graph.incoming.get(entry.key, [])), title_of(entry))

        return sorted(self.graph.entries["authorities"].values(), key=weight)[:count]

    def _search_context(self) -> dict[str, Any]:
        """Facet choices for the search page (values are content-model ids) and the query rules for its script."""

        def terms(name: str) -> list[tuple[str, str]]:
            return sorted(((e.id, title_of(e)) for e in self.graph.entries[name].values()), key=lambda pair: pair[1])

        statuses = [(k, f"{v} (יוזמה)") for k, v in schema.STATUSES.items()]
        statuses += [(k, f"{v} (תוצר)") for k, v in schema.OUTCOME_STATUSES.items()]
        facets = [
            {"name": "kind", "label": "סוג", "options": list(registry.SEARCH_KINDS.items())},
            {"name": "topic", "label": "נושא", "options": terms("topics")},
            {"name": "population", "label": "אוכלוסייה", "options": terms("populations")},
            {"name": "authority", "label": "רשות", "options": terms("authorities")},
            {"name": "context", "label": "הקשר", "options": list(schema.CONTEXTS.items())},
            {"name": "status", "label": "מצב", "options": statuses},
        ]
        return {"facets": facets, "rules_json": script_json(lexicon.client_rules())}

    def _data_context(self) -> dict[str, Any]:
        tables = open_data.TableSet(self.graph, self.build).tables
        return {
            "tables": tables,
            "counts": {table.name: len(table.rows(self.graph)) for table in tables},
            "package": f"{open_data.DATA_FOLDER}/{open_data.PACKAGE_FILE}",
            "licence": open_data.LICENCE,
            "separator": open_data.LIST_SEPARATOR,
            "main_feed": feeds.MAIN_FEED,
        }

    # --- pages ---

    def pages(self) -> Iterator[tuple[str, str, dict[str, Any], dict[str, str]]]:
        """Every page as (docs path, template, context, front matter)."""
        yield "index.md", "home.md.j2", {}, {"title": "מאגר ידע של השלטון המקומי ושותפיו"}  # the theme adds " - יוזמות"
        yield "outcomes.md", "outcomes.md.j2", {}, {"title": "מעקב תוצרי פורומים"}
        yield "search.md", "search.md.j2", self._search_context(), {"title": "חיפוש"}
        yield registry.DATA_PAGE, "data.md.j2", self._data_context(), {"title": "נתונים פתוחים"}
        stale = {
            "groups": freshness.stale_groups(self.graph, self.build.today),
            "statement_due": freshness.statement_due(self.graph, self.build.today),
        }
        yield registry.STALE_PAGE, "stale.md.j2", stale, {"title": "רשומות לבדיקה מחדש"}
        for context_id in ("routine", "emergency"):
            title = f"יוזמות ופורומים ב{schema.CONTEXTS[context_id]}"
            yield f"contexts/{context_id}.md", "context.md.j2", {"context_id": context_id, "title": title}, {"title": title}
        yield registry.EMERGENCY_INDEX, "emergency_index.md.j2", {}, {"title": "דפי חירום לפי רשות"}
        for authority in self.graph.entries["authorities"].values():
            title = f"דף חירום: {title_of(authority)}"
            context = {"entry": authority, "m": authority.model}
            yield registry.emergency_sheet_path(authority.id), "emergency_sheet.md.j2", context, {"title": title}
        for name, collection in registry.COLLECTIONS.items():
            if not collection.pages:
                continue
            if collection.index_path():
                yield collection.index_path(), collection.list_template, {"collection": collection}, {"title": collection.label}
            for entry in self.graph.entries[name].values():
                front = {"title": title_of(entry)}
                if getattr(entry.model, "updated", None):
                    front["updated"] = entry.model.updated  # the sitemap's lastmod
                if name in feeds.FEED_COLLECTIONS:
                    front["feed"] = feeds.feed_path(name, entry.id)
                    front["feed_title"] = f"{feeds.SITE_TITLE}: {title_of(entry)}"
                summary = getattr(entry.model, "summary", None) or getattr(entry.model, "description", None)
                if summary:
                    front["description"] = " ".join(summary.split())
                context = {"entry": entry, "m": entry.model, "collection": collection, "body": _Body(self, entry)}
                yield doc_path_of(entry), collection.template, context, front

    def _safe_body(self, entry: Entry) -> str:
        """The entry's body for its page: every part through the sanitizer, its links pointed at the built site."""
        if entry.rendered is None:
            return ""
        source, doc = links.content_path(self.graph.root, entry.path), doc_path_of(entry)
        anchors = frozenset(entry.rendered.anchors)
        return body.docs_markdown(
            entry.rendered, lambda part: sanitize.clean(part, lambda url: self.links.site_address(source, doc, url), anchors)
        )

    def render_all(
        self, only: Callable[[str], bool] | None = None, same: Callable[[str, tuple], bool] | None = None
    ) -> dict[str, str]:
        """Every page (or those ``only`` chooses, with the further pages of their lists), by docs path. ``same``
        tells, from a further page's `fingerprint`, whether it would read as it did (the preview's last render):
        then it is not rendered. Every further page this render has, rendered or not, is in ``self.listed``."""
        out: dict[str, str] = {}
        for doc_path, template, context, front in self.pages():
            if only is not None and not only(doc_path):
                continue
            text = self.env.get_template(template).render(page_path=doc_path, page_title=front["title"], **context)
            out[doc_path] = _front_matter(front) + _tidy(text)
        further, self._further, self._further_paths = self._further, [], set()
        self.listed = {doc_path: fingerprint(page, options, title) for doc_path, _, page, options, title in further}
        for doc_path, rows, page, options, title in further:
            if same is not None and same(doc_path, self.listed[doc_path]):
                continue
            context = {"rows": rows, "paged": page, "options": options, "page_title": title}
            text = self.env.get_template("list_page.md.j2").render(page_path=doc_path, **context)
            # Which page the list is on: the preview knows which lists' pages a page it renders again replaces.
            out[doc_path] = _front_matter({"title": title, "list_of": page.paths[0]}) + _tidy(text)
        return out


def fingerprint(page: Paged, options: dict[str, Any], title: str) -> tuple:
    """What a further page of a list shows, as keys: its rows' entries (a forum's outcome as the forum and its
    place), its place among the list's pages, its title and options."""

    def key(item: Any) -> tuple:
        if isinstance(item, Entry):
            return item.key
        forum, outcome = item
        return (*forum.key, forum.model.outcomes.index(outcome))

    return (tuple(key(item) for item in page.items), page.number, page.total, page.paths, title, tuple(sorted(options.items())))


def fingerprint_keys(print_: tuple) -> set[tuple[str, str]]:
    """The entries a further page's rows show (`fingerprint`)."""
    return {row[:2] for row in print_[0]}


class _Body:
    """An entry's body for its page, sanitized when the page is rendered (the preview renders a few pages only)."""

    def __init__(self, renderer: Renderer, entry: Entry):
        self.renderer, self.entry = renderer, entry

    def __html__(self) -> str:
        return self.renderer._safe_body(self.entry)


def _front_matter(front: dict[str, str]) -> str:
    """The page's front matter, written by the YAML library mkdocs reads it with, so that no value can end it early.

    A value that broke it (a line separator U+2028 in a title reads as a line break; JSON's escape of an emoji
    reads as two broken characters) would make mkdocs drop the front matter and render it as Markdown, the
    contributor's summary with it. The theme prints title and description into the page unescaped (the <h1>,
    a meta attribute), so they are HTML-escaped first.
    """
    lines = [f"{key}: {_yaml_string(html.escape(value, quote=True))}" for key, value in sorted(front.items())]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter where PyYAML has it: the same quoted strings (the tests compare both), 25 times faster."""


def _yaml_string(value: str, dumper: type = _DUMPER) -> str:
    return yaml.dump(value, Dumper=dumper, default_style='"', allow_unicode=True, width=1 << 30).strip()


def _tidy(text: str) -> str:
    """Collapse the blank lines that template logic leaves behind."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _labels() -> dict[str, dict[str, str]]:
    return {
        "authority_type": schema.AUTHORITY_TYPES,
        "district": schema.DISTRICTS,
        "sector": schema.SECTORS,
        "scope": schema.SCOPES,
        "context": schema.CONTEXTS,
        "status": schema.STATUSES,
        "forum_kind": schema.FORUM_KINDS,
        "meeting_format": schema.MEETING_FORMATS,
        "outcome_kind": schema.OUTCOME_KINDS,
        "outcome_status": schema.OUTCOME_STATUSES,
    }
