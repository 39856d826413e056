"""Whole builds, checked as a reader would see them: pages, links, direction, no outside requests."""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build_site, check_content
from generator.content import registry
from generator.content.references import Graph
from generator.errors import BuildError, ContentError

from .conftest import REAL_CONTENT, SAMPLE_CONTENT


def html_path(doc_path: str) -> str:
    return doc_path[: -len(".md")] + ".html"


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def content_links(site: Path, page: str) -> set[str]:
    """Targets of the links in a page's article, as site paths."""
    article = soup(site, page).select_one("article")
    here = posixpath.dirname(page)
    out = set()
    for a in article.find_all("a", href=True):
        href = a["href"].split("#")[0]
        if href.startswith("/"):  # the 404 page's links start from the top of the site
            out.add(posixpath.normpath(href.lstrip("/")))
        elif href and "://" not in href and not href.startswith(("mailto:", "tel:")):
            out.add(posixpath.normpath(posixpath.join(here, href)))
    return out


@pytest.fixture(scope="module", params=["real", "sample"])
def built(request) -> tuple[Graph, Path]:
    content = REAL_CONTENT if request.param == "real" else SAMPLE_CONTENT
    return check_content(content), request.getfixturevalue(f"{request.param}_site")


def test_every_entry_has_its_page(built):
    graph, site = built
    for name, entries in graph.entries.items():
        if not registry.COLLECTIONS[name].pages:
            continue  # read by the build (e.g. the search's synonyms), never shown as pages
        for entry_id in entries:
            page = html_path(registry.COLLECTIONS[name].doc_path(entry_id))
            assert (site / page).is_file(), page


def test_every_reference_is_a_link_to_its_target(built):
    graph, site = built
    links: dict[str, set[str]] = {}
    for ref in graph.references:
        source = html_path(registry.COLLECTIONS[ref.source[0]].doc_path(ref.source[1]))
        target = html_path(registry.COLLECTIONS[ref.target[0]].doc_path(ref.target[1]))
        if source not in links:
            links[source] = content_links(site, source)
        assert target in links[source], f"{source} does not link to {target} ({ref.role})"


def test_back_references_link_back(built):
    graph, site = built
    for ref in graph.references:
        if ref.target[0] in ("authorities", "organizations", "clusters", "topics", "populations"):
            target = html_path(registry.COLLECTIONS[ref.target[0]].doc_path(ref.target[1]))
            source = html_path(registry.COLLECTIONS[ref.source[0]].doc_path(ref.source[1]))
            assert source in content_links(site, target), f"{target} does not list {source} ({ref.role})"


def test_every_collection_has_a_list_page_linking_its_entries(built):
    graph, site = built
    for name, collection in registry.COLLECTIONS.items():
        if not collection.index_path():
            continue
        index = html_path(collection.index_path())
        linked = content_links(site, index)
        for entry_id in graph.entries[name]:
            assert html_path(collection.doc_path(entry_id)) in linked, f"{index} misses {entry_id}"


def test_pages_are_hebrew_right_to_left_and_titled(built):
    _, site = built
    for page in sorted(site.rglob("*.html")):
        html = soup(site, str(page.relative_to(site)))
        assert html.html["lang"] == "he" and html.html["dir"] == "rtl", page
        assert html.title and html.title.string.strip(), page


def test_no_request_to_another_origin(built):
    _, site = built
    for page in sorted(site.rglob("*.html")):
        html = soup(site, str(page.relative_to(site)))
        # Every <link> counts: browsers fetch manifests, icons and preloads too; a form posts where its action says.
        for tag, attr in (
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("iframe", "src"),
            ("source", "src"),
            ("form", "action"),
        ):
            for element in html.find_all(tag):
                value = element.get(attr, "")
                assert "//" not in value, f"{page}: <{tag} {attr}={value}>"
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_navigation_lists_sections_never_entries(built):
    graph, site = built
    entry_pages = {
        html_path(registry.COLLECTIONS[name].doc_path(entry_id))
        for name in ("initiatives", "forums", "authorities", "organizations")
        for entry_id in graph.entries[name]
    }
    for page in ("index.html", "initiatives/index.html", next(iter(sorted(entry_pages)))):
        nav = soup(site, page).select_one("nav.md-nav--primary")
        hrefs = [posixpath.normpath(posixpath.join(posixpath.dirname(page), a["href"])) for a in nav.find_all("a", href=True)]
        assert len(hrefs) < 25
        assert not entry_pages & set(hrefs)


def test_internal_links_all_resolve(built):
    _, site = built
    for page in sorted(site.rglob("*.html")):
        relative = str(page.relative_to(site))
        for target in content_links(site, relative):
            assert (site / target).exists(), f"{relative} links to missing {target}"


def test_headings_get_readable_hebrew_anchors(real_site):
    ids = [h.get("id") for h in soup(real_site, "index.html").select("article h2")]
    assert "יוזמות-חדשות" in ids


def tree_digest(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def test_same_content_and_date_build_byte_identical(tmp_path, real_site):
    again = tmp_path / "again"
    build_site(REAL_CONTENT, again)
    assert tree_digest(again) == tree_digest(real_site)


def test_failed_build_leaves_last_good_site(tmp_path, sample_copy):
    site = tmp_path / "site"
    build_site(sample_copy, site)
    before = tree_digest(site)
    some_initiative = next((sample_copy / "initiatives").glob("*.md"))
    text = some_initiative.read_text(encoding="utf-8")
    some_initiative.write_text(text.replace("status:", "status: bogus\nstatus_was:", 1), encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(sample_copy, site)
    assert tree_digest(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no half-built folder left behind


def test_a_missing_anchor_is_found_by_the_check_and_keeps_the_site(tmp_path, sample_copy):
    site = tmp_path / "site"
    build_site(sample_copy, site)
    before = tree_digest(site)
    about = sample_copy / "pages" / "about.md"
    lines = about.read_text(encoding="utf-8").count("\n") + 2
    about.write_text(about.read_text(encoding="utf-8") + "\n[קישור שבור](contribute.md#אין-כזה)\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build_site(sample_copy, site)
    [problem] = caught.value.problems
    assert (problem.path.name, problem.line) == ("about.md", lines) and "#אין-כזה" in problem.message
    assert tree_digest(site) == before


def test_a_failing_mkdocs_keeps_the_site(tmp_path, sample_copy, monkeypatch):
    from generator.publish import write

    site = tmp_path / "site"
    build_site(sample_copy, site)
    before = tree_digest(site)
    # mkdocs --strict refuses a navigation entry that names no page: a failure after the content was checked.
    monkeypatch.setattr(write, "navigation", lambda docs: [{"חסר": "no-such-page.md"}])
    with pytest.raises(BuildError) as caught:
        build_site(sample_copy, site)
    assert "no-such-page.md" in str(caught.value)
    assert tree_digest(site) == before


def test_body_links_in_the_content_layout_work(tmp_path, sample_copy):
    about = sample_copy / "pages" / "about.md"
    links = "[יוזמה](../initiatives/karmiel-families-model.md) [רשות](../authorities/karmiel.yml) [קובץ](../files/plan.pdf)"
    about.write_text(about.read_text(encoding="utf-8") + f"\n{links} [עמוד](contribute.md)\n", encoding="utf-8")
    site = tmp_path / "site"
    build_site(sample_copy, site)
    hrefs = {a.get_text(): a["href"] for a in soup(site, "about.html").select("article a")}
    assert hrefs["יוזמה"] == "initiatives/karmiel-families-model.html"
    assert hrefs["רשות"] == "authorities/karmiel.html"
    assert hrefs["קובץ"] == "files/plan.pdf"
    assert hrefs["עמוד"] == "contribute.html"


def test_contributor_text_cannot_become_markup(tmp_path, sample_copy):
    shutil.rmtree(sample_copy / "initiatives")
    (sample_copy / "initiatives").mkdir()
    # Alone: the outcome that names an initiative as carrying it out names none now.
    forum = sample_copy / "forums" / "karmiel-round-table.md"
    forum.write_text(re.sub(r"\n +initiatives: \[[^]]*\]", "", forum.read_text(encoding="utf-8")), encoding="utf-8")
    (sample_copy / "initiatives" / "tricky.md").write_text(
        "---\ntitle: '[לחצו](javascript:alert(1)) *מודגש* {: #__config }'\n"
        "summary: 'סיכום עם `קוד` ו-![תמונה](http://evil.example/x.png) ו-&amp;'\nscope: national\n"
        f"topics: [{next(iter(check_content(SAMPLE_CONTENT).entries['topics']))}]\ncontext: routine\nstatus: idea\n"
        "updated: 2025-01-01\n---\nגוף\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    build_site(sample_copy, site)
    page = soup(site, "initiatives/tricky.html")
    article = page.select_one("article")
    assert article.h1.get_text().startswith("[לחצו](javascript:alert(1)) *מודגש* {: #__config }")
    assert not article.find_all("img") and not article.find_all("em")
    assert "javascript:" not in " ".join(a.get("href", "") for a in page.find_all("a"))
    assert page.find(id="__config") and len(page.find_all(id="__config")) == 1  # only the theme's own
    assert "ו-&amp;" in article.get_text()  # typed "&amp;" shows as typed, not as "&"


def test_footer_says_when_the_copy_was_built(sample_site):
    footer = soup(sample_site, "about.html").select_one(".kb-build-info").get_text(" ", strip=True)
    assert "נבנה ב-1 בינואר 2026" in footer  # the fixed SOURCE_DATE_EPOCH of the tests


def test_stale_entries_carry_a_visible_notice(sample_site):
    graph = check_content(SAMPLE_CONTENT)
    for entry in graph.entries["initiatives"].values():
        notice = soup(sample_site, f"initiatives/{entry.id}.html").select_one(".kb-stale")
        assert (notice is not None) == (entry.model.updated < "2024-07"), entry.id


def _root_urls(html: BeautifulSoup) -> list[str]:
    return [
        element[attr]
        for attr in ("href", "src", "action")
        for element in html.find_all(attrs={attr: True})
        if element[attr].startswith("/")
    ]


def test_a_build_for_a_project_pages_address(tmp_path: Path, sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    import zipfile

    # CI sets KB_SITE_URL from GitHub Pages; a fork's project site lives under /<repository>/.
    monkeypatch.setenv("KB_SITE_URL", "https://example.github.io/yozmot")
    site = tmp_path / "site"
    build_site(sample_copy, site)
    page = soup(site, "initiatives/karmiel-families-model.html")
    assert (
        page.find("link", rel="canonical")["href"] == "https://example.github.io/yozmot/initiatives/karmiel-families-model.html"
    )
    assert not _root_urls(page)  # pages link relatively, wherever the site is served
    # The 404 page is served at any depth, so mkdocs gives it URLs from the root: under /yozmot/.
    missing = soup(site, "404.html")
    assert _root_urls(missing) and all(url.startswith("/yozmot/") for url in _root_urls(missing))
    (zipped,) = (tmp_path / "dist").glob("*.zip")
    with zipfile.ZipFile(zipped) as archive:
        offline_missing = BeautifulSoup(archive.read(f"{zipped.stem}/404.html").decode("utf-8"), "html.parser")
    assert not _root_urls(offline_missing)  # inside the zip it is a file in a folder
    assert offline_missing.find("link", rel="stylesheet")["href"].startswith("assets/")
    # The sitemap gives full addresses, and for an entry, when its facts were last checked.
    sitemap = BeautifulSoup((site / "sitemap.xml").read_bytes(), "xml")
    locs = {url.loc.get_text(): url.lastmod.get_text() if url.lastmod else None for url in sitemap.find_all("url")}
    assert all(loc.startswith("https://example.github.io/yozmot/") for loc in locs)
    assert len(locs) == len([p for p in site.rglob("*.html") if p.name != "404.html"])
    assert locs["https://example.github.io/yozmot/initiatives/karmiel-families-model.html"] == "2025-09-14"
    assert locs["https://example.github.io/yozmot/index.html"] is None


def test_without_the_sites_address_the_sitemap_lists_nothing(sample_site: Path):
    # A sitemap must list full addresses; a local or offline build does not know them. The file stays,
    # because the theme's script fetches it (a missing one would be a failed request on every page).
    sitemap = BeautifulSoup((sample_site / "sitemap.xml").read_bytes(), "xml")
    assert sitemap.find("urlset") and not sitemap.find_all("url")


@pytest.mark.parametrize("value", ["example.org/yozmot", "javascript:alert(1)", "https://example.org/?x=1"])
def test_a_published_address_that_is_not_one_is_refused(sample_copy: Path, monkeypatch: pytest.MonkeyPatch, value: str):
    from generator.errors import KbError

    monkeypatch.setenv("KB_SITE_URL", value)
    with pytest.raises(KbError, match="KB_SITE_URL must be the site's address"):
        build_site(sample_copy, sample_copy.parent / "site")


def test_titles_with_emoji_reach_the_page_and_its_metadata(tmp_path, sample_copy):
    # JSON writes an emoji as a pair of surrogate escapes, which YAML reads as two broken characters.
    about = sample_copy / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("title: ", "title: 😀 ", 1), encoding="utf-8")
    initiative = sample_copy / "initiatives" / "karmiel-families-model.md"
    initiative.write_text(initiative.read_text(encoding="utf-8").replace("title: ", "title: 🌱 ", 1), encoding="utf-8")
    site = tmp_path / "site"
    build_site(sample_copy, site)
    page = soup(site, "initiatives/karmiel-families-model.html")
    assert page.title.string.startswith("🌱") and page.find("h1").get_text().startswith("🌱")
    # The rest of the front matter was read too (a broken one leaves the page without its description).
    assert "מעגל העוני" in page.find("meta", attrs={"name": "description"})["content"]
    assert soup(site, "about.html").title.string.startswith("😀")
