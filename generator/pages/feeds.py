"""Atom feeds: what is new in the knowledge base, for people who follow it.

``feed.xml`` holds the newest initiatives and forum outcomes (`FEED_ITEMS`, newest first by
``updated``), and each change of an outcome's status, dated by its commit (`content.history`);
``feed-topics-<id>.xml`` and ``feed-authorities-<id>.xml`` those of one topic or one authority. A feed
tells what is new: everything is in the open data files, and a feed that held it all would be megabytes at
10,000 entries, fetched again by every reader's app. Feeds are
written with feedgen; every date in them comes from the content, so the same content gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from ..content import registry, schema
from ..content.history import Change
from ..content.model import Entry, outcome_anchors, title_of
from ..content.references import Graph
from ..content.registry import html_path
from ..dates import BuildInfo, on_date_hebrew, parts

MAIN_FEED = "feed.xml"
FEED_COLLECTIONS = ("topics", "authorities")
"""Collections whose entries each have a feed of their own, linked from their pages."""
SITE_TITLE = "יוזמות"
FEED_ITEMS = 50
"""Items in a feed, the newest: as many as a reader's app shows, and a feed stays small at any size."""


def _atom_id(site_path: str) -> str:
    # Atom ids must never change: made from the path alone, they stay the same wherever the site is published.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'yozmot:' + site_path)}"


def feed_path(collection: str, entry_id: str) -> str:
    # Beside feed.xml, not in a folder: the theme fetches sitemap.xml from the folder of every
    # <link rel="alternate"> on a page, and only the top of the site has one.
    return f"feed-{collection}-{entry_id}.xml"


@dataclass(frozen=True)
class Item:
    """One feed entry: an initiative, one outcome of a forum, or a change of an outcome's status (from git)."""

    entry: Entry
    outcome: schema.ForumOutcome | None = None
    number: int = 0
    anchor: str = ""
    """The outcome's id on its forum's page (`outcome_anchors`)."""
    change: Change | None = None
    """For a change of status: when (the commit's day) and from what to what."""

    @property
    def site_path(self) -> str:
        page = html_path(registry.COLLECTIONS[self.entry.collection].doc_path(self.entry.id))
        return f"{page}#{self.anchor}" if self.outcome else page

    @property
    def atom_path(self) -> str:
        """What the entry's id is made from: a change is an entry of its own beside its outcome's."""
        if self.change is None:
            return self.site_path
        return f"{self.site_path}/status/{self.change.day}/{self.change.new}"

    @property
    def updated(self) -> str:
        return self.change.day if self.change else self.entry.model.updated

    @property
    def title(self) -> str:
        if self.outcome and self.change:
            status = schema.OUTCOME_STATUSES.get(self.change.new or "", self.change.new)
            return f"{self.outcome.title}: {status} ({title_of(self.entry)})"
        if self.outcome:
            return f"{self.outcome.title} ({schema.OUTCOME_KINDS[self.outcome.kind]}, {title_of(self.entry)})"
        return title_of(self.entry)

    @property
    def sort_key(self) -> tuple[str, str, int]:
        """Newest first; of a day's, by page, and a forum's outcomes by their number (10 after 9)."""
        return (self.updated, self.site_path.partition("#")[0], self.number)


def _moment(date: str) -> dt.datetime:
    year, month, day = parts(date)
    return dt.datetime(year, month or 1, day or 1, tzinfo=dt.UTC)


class Feeds:
    def __init__(self, graph: Graph, info: BuildInfo):
        self.graph = graph
        self.info = info

    def items_of_initiatives(self, initiatives: list[Entry]) -> list[Item]:
        return [Item(entry) for entry in initiatives]

    def items_of_forums(self, forums: list[Entry]) -> list[Item]:
        """Each outcome, and each change of its status the content's git history holds (dated by the commit)."""
        items = []
        for forum in forums:
            pairs = zip(forum.model.outcomes, outcome_anchors(forum.model.outcomes), strict=True)
            for number, (outcome, anchor) in enumerate(pairs, start=1):
                items.append(Item(forum, outcome, number, anchor))
                timeline = self.info.history.of(forum.id, anchor)
                changes = timeline.changes if timeline else ()
                items += [Item(forum, outcome, number, anchor, c) for c in changes if c.field == "status" and c.old]
        return items

    def all_items(self) -> list[Item]:
        return self.items_of_initiatives(list(self.graph.entries["initiatives"].values())) + self.items_of_forums(
            list(self.graph.entries["forums"].values())
        )

    def topic_items(self, topic: Entry) -> list[Item]:
        return self.items_of_initiatives(self.graph.referrers(topic.key, "initiatives")) + self.items_of_forums(
            self.graph.referrers(topic.key, "forums")
        )

    def authority_items(self, authority: Entry) -> list[Item]:
        # As its page shows them: initiatives naming it or one of its clusters, forums naming it,
        # and the outcomes it is responsible for.
        initiatives = {e.id: e for e in self.graph.referrers(authority.key, "initiatives")}
        for cluster in self.graph.referrers(authority.key, "clusters"):
            initiatives.update((e.id, e) for e in self.graph.referrers(cluster.key, "initiatives"))
        items = self.items_of_initiatives(list(initiatives.values()))
        items += self.items_of_forums(self.graph.referrers(authority.key, "forums"))
        seen = {item.site_path for item in items}
        for forum in self.graph.referrers(authority.key, "forums", "outcomes.owner"):
            items += [i for i in self.items_of_forums([forum]) if i.outcome.owner == authority.id and i.site_path not in seen]
        return items

    def files(self) -> dict[str, str]:
        """``{site path: Atom XML}`` of every feed."""
        out = {MAIN_FEED: self.render(MAIN_FEED, f"{SITE_TITLE}: חדש במאגר", "index.html", self.all_items())}
        for topic in self.graph.entries["topics"].values():
            path = feed_path("topics", topic.id)
            title = f"{SITE_TITLE}: {title_of(topic)}"
            out[path] = self.render(
                path, title, html_path(registry.COLLECTIONS["topics"].doc_path(topic.id)), self.topic_items(topic)
            )
        for authority in self.graph.entries["authorities"].values():
            path = feed_path("authorities", authority.id)
            title = f"{SITE_TITLE}: {title_of(authority)}"
            page = html_path(registry.COLLECTIONS["authorities"].doc_path(authority.id))
            out[path] = self.render(path, title, page, self.authority_items(authority))
        return out

    def href(self, feed: str, site_path: str) -> str:
        """A link from the feed: absolute when the site's address is known, else relative to the feed."""
        if self.info.site_url:
            return self.info.address(site_path)
        return "../" * feed.count("/") + site_path

    def render(self, path: str, title: str, page: str, items: list[Item]) -> str:
        items = sorted(items, key=lambda item: item.sort_key, reverse=True)[:FEED_ITEMS]
        fg = FeedGenerator()
        fg.id(_atom_id(path))
        fg.title(title)
        fg.language("he")
        fg.author({"name": SITE_TITLE})
        fg.link(href=self.href(path, page), rel="alternate", type="text/html")
        if self.info.site_url:
            fg.link(href=self.info.address(path), rel="self", type="application/atom+xml")
        fg.generator(SITE_TITLE)
        # The feed changed when its newest item did; the build date would change it on every build.
        fg.updated(_moment(items[0].updated) if items else _moment(self.info.today.isoformat()))
        for item in items:
            entry = fg.add_entry(order="append")
            entry.id(_atom_id(item.atom_path))
            entry.title(item.title)
            entry.link(href=self.href(path, item.site_path), rel="alternate", type="text/html")
            entry.updated(_moment(item.updated))
            entry.summary(self.summary(item))
            for topic in item.entry.model.topics:
                entry.category(term=topic, label=title_of(self.graph.get("topics", topic)))
        return fg.atom_str(pretty=True).decode("utf-8")

    def summary(self, item: Item) -> str:
        if item.outcome is None:
            return item.entry.model.summary
        if item.change is not None:
            before = schema.OUTCOME_STATUSES.get(item.change.old or "", item.change.old)
            after = schema.OUTCOME_STATUSES.get(item.change.new or "", item.change.new)
            return f"המצב השתנה {on_date_hebrew(item.change.day)}: {before} ← {after}."
        status = schema.OUTCOME_STATUSES[item.outcome.status]
        return " ".join(filter(None, [item.outcome.description, f"מצב: {status}."]))
