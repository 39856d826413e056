"""Lists that stay small: a section shows `LIST_ROWS` rows, the rest are on pages of their own."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build_site, check_content
from generator.content.model import title_of
from generator.pages import render

from ..conftest import SAMPLE_CONTENT
from ..golden import render_sample


@pytest.fixture
def one_row(monkeypatch):
    monkeypatch.setattr(render, "LIST_ROWS", 1)


def rows(markdown: str) -> list[str]:
    """The first link of each row of the page's tables, as a docs path."""
    soup = BeautifulSoup(markdown, "html.parser")
    return [row.find("a")["href"] for table in soup.find_all("table") for row in table.tbody.find_all("tr")]


def pager_links(markdown: str) -> list[str]:
    soup = BeautifulSoup(markdown, "html.parser")
    return [a["href"] for nav in soup.find_all("nav", class_="kb-pager") for a in nav.find_all("a")]


def test_a_long_list_goes_on_pages_of_its_own_each_row_once_in_order(one_row):
    docs = render_sample()
    graph = check_content(SAMPLE_CONTENT)
    emergency = sorted(
        (e for e in graph.entries["forums"].values() if e.model.context in ("emergency", "both")),
        key=lambda e: (title_of(e), e.id),
    )
    assert len(emergency) >= 2
    pages = ["contexts/emergency.md"] + [f"lists/contexts/emergency/forums-{n}.md" for n in range(2, len(emergency) + 1)]
    seen = []
    for page in pages:
        found = [posixpath.normpath(posixpath.join(posixpath.dirname(page), href)) for href in rows(docs[page])]
        seen += [path for path in found if path.startswith("forums/")]
    assert seen == [f"forums/{e.id}.html" for e in emergency]
    assert f"lists/contexts/emergency/forums-{len(emergency) + 1}.md" not in docs


def test_every_pager_link_leads_to_a_page_of_the_list(one_row):
    docs = render_sample()
    further = [path for path in docs if path.startswith(render.LISTS_FOLDER + "/")]
    assert further
    for page in further + ["contexts/emergency.md", "outcomes.md"]:
        for href in pager_links(docs[page]):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            assert target.removesuffix(".html") + ".md" in docs, (page, href)
    assert "לעמוד שבו הרשימה מתחילה" in docs[further[0]]


def test_the_pager_names_the_first_the_last_and_the_pages_around_this_one():
    paths = tuple(f"p{n}.md" for n in range(1, 11))
    assert render.Paged([], 5, 1000, paths, "x").numbers == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert render.Paged([], 1, 1000, paths, "x").numbers == [1, 2, 3, None, 10]
    assert render.Paged([], 1, 5, paths[:1], "x").numbers == [1]


def test_a_short_list_makes_no_further_page():
    assert not [path for path in render_sample() if path.startswith(render.LISTS_FOLDER + "/")]


def test_the_further_pages_build_and_link(one_row, tmp_path: Path):
    site = tmp_path / "site"
    build_site(SAMPLE_CONTENT, site)
    further = sorted((site / render.LISTS_FOLDER).rglob("*.html"))
    assert further
    for page in further:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("article a[href]"):
            href = a["href"].split("#")[0]
            if href and not re.match(r"[a-z]+:", href):
                assert (page.parent / href).resolve().is_file(), (page, href)


def test_a_list_may_open_with_fewer_rows_than_its_further_pages():
    paths = ("stale.md", "lists/stale/a-2.md", "lists/stale/a-3.md", "lists/stale/a-4.md")
    assert [(p.first, p.last) for p in (render.Paged([], n, 250, paths, "x", opening=10) for n in (1, 2, 3, 4))] == [
        (1, 10),
        (11, 110),
        (111, 210),
        (211, 250),
    ]
