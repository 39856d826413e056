"""Atom feeds, read back with a real feed reader's parser (feedparser)."""

from __future__ import annotations

import dataclasses
import posixpath
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from generator.build import build_site, check_content, render_docs
from generator.content import history
from generator.content.model import outcome_anchors
from generator.pages import feeds

from ..conftest import REAL_CONTENT, SAMPLE_CONTENT


def parse(site: Path, feed: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site / feed).read_bytes())
    assert not parsed.bozo, f"{feed}: {parsed.get('bozo_exception')}"
    return parsed


def site_path(feed: str, link: str) -> str:
    """Where a relative link of a feed leads, from the top of the site."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(feed), link))


def expected_paths(graph, initiatives, forums) -> set[str]:
    paths = {f"initiatives/{e.id}.html" for e in initiatives}
    return paths | {f"forums/{f.id}.html#{anchor}" for f in forums for anchor in outcome_anchors(f.model.outcomes)}


@pytest.mark.parametrize("site_fixture, content", [("real_site", REAL_CONTENT), ("sample_site", SAMPLE_CONTENT)])
def test_the_main_feed_holds_every_initiative_and_outcome_newest_first(request, site_fixture: str, content: Path):
    site = request.getfixturevalue(site_fixture)
    graph = check_content(content)
    feed = parse(site, "feed.xml")
    paths = [site_path("feed.xml", e.link) for e in feed.entries]
    assert len(paths) == len(set(paths))
    assert set(paths) == expected_paths(graph, graph.entries["initiatives"].values(), graph.entries["forums"].values())
    for path in paths:
        page, _, anchor = path.partition("#")
        html = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        assert not anchor or html.find(id=anchor), path
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.feed.updated_parsed == updated[0]
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries)
    titles = {e.title for e in feed.entries}
    assert {i.model.title for i in graph.entries["initiatives"].values()} <= titles  # Hebrew intact


def test_each_topic_and_authority_has_its_feed_linked_from_its_page(real_site: Path):
    graph = check_content(REAL_CONTENT)
    for topic in graph.entries["topics"].values():
        feed = f"feed-topics-{topic.id}.xml"
        paths = {site_path(feed, e.link) for e in parse(real_site, feed).entries}
        initiatives = graph.referrers(topic.key, "initiatives")
        forums = graph.referrers(topic.key, "forums")
        assert paths == expected_paths(graph, initiatives, forums), topic.id
        _assert_linked(real_site, f"topics/{topic.id}.html", feed)
    for authority in graph.entries["authorities"].values():
        feed = f"feed-authorities-{authority.id}.xml"
        paths = {site_path(feed, e.link) for e in parse(real_site, feed).entries}
        assert {f"initiatives/{e.id}.html" for e in graph.referrers(authority.key, "initiatives")} <= paths
        _assert_linked(real_site, f"authorities/{authority.id}.html", feed)
    _assert_linked(real_site, "index.html", "feed.xml")


def _assert_linked(site: Path, page: str, feed: str) -> None:
    html = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    head = {site_path(page, link["href"]) for link in html.head.find_all("link", rel="alternate", type="application/atom+xml")}
    assert feed in head, page
    shown = {site_path(page, a["href"]) for a in html.select("article a[type='application/atom+xml']")}
    assert feed in shown, page  # a visible link too, for people who don't know about <link> tags


def test_a_cluster_initiative_is_in_the_feed_of_each_member_authority(real_site: Path):
    graph = check_content(REAL_CONTENT)
    clustered = [e for e in graph.entries["initiatives"].values() if e.model.clusters]
    assert clustered
    for entry in clustered:
        for cluster in graph.targets(entry, "clusters"):
            members = graph.referrers(cluster.key, "authorities") + graph.targets(cluster, "authorities")
            assert members
            for authority in members:
                feed = f"feed-authorities-{authority.id}.xml"
                assert f"initiatives/{entry.id}.html" in {site_path(feed, e.link) for e in parse(real_site, feed).entries}


def test_contributor_text_is_escaped_and_links_are_absolute_when_the_address_is_known(
    sample_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    page = sample_copy / "initiatives" / "national-rights-tool.md"
    text = page.read_text(encoding="utf-8")
    old_title = text.split("title:", 1)[1].split("\n", 1)[0].strip()
    page.write_text(text.replace(f"title: {old_title}", "title: 'זכויות & הטבות < 100 ש\"ח ]]>'", 1), encoding="utf-8")
    site_a = tmp_path / "a" / "site"
    build_site(sample_copy, site_a)
    monkeypatch.setenv("KB_SITE_URL", "https://example.org/yozmot/")
    site_b = tmp_path / "b" / "site"
    build_site(sample_copy, site_b)
    local, published = parse(site_a, "feed.xml"), parse(site_b, "feed.xml")
    assert 'זכויות & הטבות < 100 ש"ח ]]>' in {e.title for e in local.entries}
    assert all(e.link.startswith("https://example.org/yozmot/") for e in published.entries)
    assert published.feed.links[-1].rel == "self" and published.feed.links[-1].href == "https://example.org/yozmot/feed.xml"
    # Atom ids never change, wherever the site is published.
    assert [e.id for e in local.entries] == [e.id for e in published.entries]


def test_a_feed_holds_only_the_newest_items(monkeypatch):
    from generator import dates
    from generator.pages import feeds

    graph = check_content(SAMPLE_CONTENT)
    info = dates.BuildInfo(dates.build_timestamp(SAMPLE_CONTENT), "")
    every = feeds.Feeds(graph, info).all_items()
    monkeypatch.setattr(feeds, "FEED_ITEMS", 3)
    parsed = feedparser.parse(feeds.Feeds(graph, info).files()[feeds.MAIN_FEED].encode("utf-8"))
    newest = sorted(every, key=lambda item: item.sort_key, reverse=True)[:3]
    assert len(every) > 3
    assert [site_path("feed.xml", e.link) for e in parsed.entries] == [item.site_path for item in newest]


def test_a_change_of_status_in_the_history_is_an_entry_of_its_own_dated_by_its_commit():
    graph, _, info = render_docs(SAMPLE_CONTENT)
    forum = graph.get("forums", "karmiel-round-table")
    outcome, anchor = forum.model.outcomes[1], outcome_anchors(forum.model.outcomes)[1]
    changes = (
        history.Change("2021-09-15", history.ADDED, None, "open"),
        history.Change("2026-03-02", "status", "open", "in_progress"),
        history.Change("2026-03-05", "due", "2021", "2022"),  # not a change of status: no entry
    )
    found = history.OutcomeHistory(True, "", {forum.id: {anchor: history.Timeline(changes)}})
    feed = feedparser.parse(feeds.Feeds(graph, dataclasses.replace(info, history=found)).files()["feed.xml"])
    newest = feed.entries[0]
    assert newest.title == f"{outcome.title}: בביצוע (השולחן העגול של כרמיאל)"
    assert newest.updated.startswith("2026-03-02")
    assert newest.summary == "המצב השתנה ב-2 במרץ 2026: פתוח ← בביצוע."
    assert newest.link.endswith(f"forums/karmiel-round-table.html#{anchor}")
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids))  # beside the outcome's own entry, not in its place
    assert sum(entry.link.endswith(anchor) for entry in feed.entries) == 2
    without = feedparser.parse(feeds.Feeds(graph, info).files()["feed.xml"])  # no history: no such entry
    assert not any(": בביצוע (" in entry.title for entry in without.entries)
