"""Stage 4, render: the linked graph → Markdown pages of a docs tree, through
the Jinja2 templates in ``site_templates/``.

Contributors' values reach Markdown, where ``[x](javascript:...)``, ``<b>`` or
``{: #id}`` would be live syntax.  So the environment escapes every ``{{ }}``
output for Markdown (like HTML autoescaping), and only helpers that build
links and the contributor's body (checked in stage 2) are marked safe.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import yaml
from markupsafe import Markup

from . import dates, registry, schema
from .references import Graph
from .validate import Entry, file_link_path, link_is_web

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "site_templates"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")
_LEADING_ORDERED = re.compile(r"^(\s*\d+)\.")


def md_escape(value: Any) -> str:
    """Plain text → Markdown that shows exactly that text (one line)."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LEADING_ORDERED.sub(r"\1\\.", text)
    return "\\" + text if text.startswith(("-", "=")) else text


def _finalize(value: Any) -> Markup:
    # Runs before autoescaping: contributor text comes out Markdown-escaped
    # (which also covers < > &), and as Markup so it is not escaped again.
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(value))


def _join(items: Iterable[Any], separator: str = ", ") -> Markup:
    return Markup(separator.join(item if isinstance(item, Markup) else md_escape(item) for item in items))


def safe_url(url: str) -> str:
    """Percent-encode what would end a Markdown link early."""
    return quote(url, safe=":/?#@!$&*+,;=%~-._[]")


@dataclass(frozen=True)
class BuildInfo:
    timestamp: int
    version: str

    @property
    def today(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.timestamp, dt.UTC).date()


def title_of(entry: Entry) -> str:
    model = entry.model
    return getattr(model, "title", None) or getattr(model, "name", None) or getattr(model, "label", None) or entry.id


def doc_path_of(entry: Entry) -> str:
    return registry.COLLECTIONS[entry.collection].doc_path(entry.id)


class Renderer:
    """Renders every page of the site as Markdown, keyed by docs path."""

    def __init__(self, graph: Graph, build: BuildInfo, templates_dir: Path = TEMPLATES_DIR):
        self.graph = graph
        self.build = build
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            finalize=_finalize,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Autoescaping makes macro and block output Markup, so `_finalize` leaves it alone.
            autoescape=True,
        )
        self.env.filters.update(join=_join, date=dates.format_hebrew, title=title_of)
        self.env.globals.update(
            link=self._link,
            url_link=self._url_link,
            file_or_url=self._file_or_url,
            mailto=lambda email: Markup(f"[{md_escape(email)}](mailto:{safe_url(email)})"),
            tel=lambda phone: Markup(f"[{md_escape(phone)}](tel:{re.sub(r'[^0-9+]', '', phone)})"),
            url_link_ext=lambda url, text=None: Markup(f"[{md_escape(text or url)}]({safe_url(url)})"),
            forum_outcomes=self._forum_outcomes,
            owned_outcomes=self._owned_outcomes,
            all_outcomes=self._all_outcomes,
            top_authorities=self._top_authorities,
            labels=_labels(),
            collections=registry.COLLECTIONS,
            graph=graph,
            build=build,
            today=build.today,
            is_stale=lambda updated: dates.is_stale(updated, build.today),
            stale_months=dates.STALE_AFTER_MONTHS,
            by_title=lambda entries: sorted(entries, key=lambda e: (title_of(e), e.id)),
            newest=lambda entries: sorted(entries, key=lambda e: (e.model.updated, e.id), reverse=True),
            referrers=graph.referrers,
            targets=graph.targets,
            lookup=lambda entry_id: graph.find(registry.ORG_LIKE, entry_id),
            entries=lambda name: list(graph.entries[name].values()),
        )

    # --- helpers available in templates ---

    @jinja2.pass_context
    def _link(self, ctx: Any, entry: Entry, text: str | None = None) -> Markup:
        return self._relative(ctx, doc_path_of(entry), text if text is not None else title_of(entry))

    @jinja2.pass_context
    def _url_link(self, ctx: Any, doc_path: str, text: str) -> Markup:
        return self._relative(ctx, doc_path, text)

    @jinja2.pass_context
    def _file_or_url(self, ctx: Any, url: str, text: str) -> Markup:
        if link_is_web(url):
            return Markup(f"[{md_escape(text)}]({safe_url(url)})")
        return self._relative(ctx, f"{registry.FILES_FOLDER}/{file_link_path(url)}", text)

    def _forum_outcomes(self, forum: Entry) -> list[tuple[Entry, schema.ForumOutcome]]:
        return [(forum, outcome) for outcome in forum.model.outcomes]

    def _all_outcomes(self) -> list[tuple[Entry, schema.ForumOutcome]]:
        """Every forum outcome, newest first (by its meeting, else its due date, else the forum's check)."""
        pairs = [pair for forum in self.graph.entries["forums"].values() for pair in self._forum_outcomes(forum)]
        return sorted(pairs, key=lambda p: (p[1].meeting or p[1].due or p[0].model.updated, p[0].id), reverse=True)

    def _top_authorities(self, count: int) -> list[Entry]:
        """The authorities with the most initiatives and forums; the home page stays small however many there are."""

        def weight(entry: Entry) -> tuple[int, str]:
            return (-len(self.graph.incoming.get(entry.key, [])), title_of(entry))

        return sorted(self.graph.entries["authorities"].values(), key=weight)[:count]

    def _owned_outcomes(self, owner: Entry) -> list[tuple[Entry, schema.ForumOutcome]]:
        return [(forum, o) for forum, o in self._all_outcomes() if o.owner == owner.id]

    @staticmethod
    def _relative(ctx: Any, target: str, text: str) -> Markup:
        here = posixpath.dirname(ctx["page_path"])
        return Markup(f"[{md_escape(text)}]({safe_url(posixpath.relpath(target, here or '.'))})")

    # --- pages ---

    def pages(self) -> Iterator[tuple[str, str, dict[str, Any], dict[str, str]]]:
        """Every page as (docs path, template, context, front matter)."""
        yield "index.md", "home.md.j2", {}, {"title": "יוזמות – מאגר ידע של השלטון המקומי ושותפיו"}
        yield "outcomes.md", "outcomes.md.j2", {}, {"title": "מעקב תוצרי פורומים"}
        for context_id in ("routine", "emergency"):
            yield (
                f"contexts/{context_id}.md",
                "context.md.j2",
                {"context_id": context_id},
                {"title": f"יוזמות ופורומים ב{schema.CONTEXTS[context_id]}"},
            )
        for name, collection in registry.COLLECTIONS.items():
            if collection.index_path():
                yield collection.index_path(), collection.list_template, {"collection": collection}, {"title": collection.label}
            for entry in self.graph.entries[name].values():
                front = {"title": title_of(entry)}
                summary = getattr(entry.model, "summary", None) or getattr(entry.model, "description", None)
                if summary:
                    front["description"] = " ".join(summary.split())
                context = {"entry": entry, "m": entry.model, "collection": collection, "body": Markup(entry.body)}
                yield doc_path_of(entry), collection.template, context, front

    def render_all(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for doc_path, template, context, front in self.pages():
            text = self.env.get_template(template).render(page_path=doc_path, **context)
            out[doc_path] = _front_matter(front) + _tidy(text)
        return out


def _front_matter(front: dict[str, str]) -> str:
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=True, width=1000) + "---\n\n"


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
