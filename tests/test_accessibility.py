"""Accessibility to IS 5568 / WCAG 2.1 AA, in headless Chromium.

axe-core (bundled by axe-playwright-python) runs on every page type of the real content and of the
sample site, in the light and the dark palette, and must report nothing for the WCAG 2.0/2.1 A and AA
rules. Then what axe cannot judge: the skip link, visible focus, the order of headings, text direction.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from generator.build import check_content

from .conftest import REAL_CONTENT, SAMPLE_CONTENT

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}
AXE = Axe()


def page_types(content: Path) -> dict[str, str]:
    """One page of every type, from this content (the first entry of each collection)."""
    graph = check_content(content)

    def first(collection: str) -> str:
        return f"{collection}/{sorted(graph.entries[collection])[0]}.html"

    topic = sorted(graph.entries["topics"])[0]
    authority = sorted(graph.entries["authorities"])[0]
    return {
        "home": "index.html",
        "initiative": first("initiatives"),
        "forum": first("forums"),
        "authority": first("authorities"),
        "cluster": first("clusters"),
        "organization": first("organizations"),
        "topic": first("topics"),
        "population": first("populations"),
        "initiatives list": "initiatives/index.html",
        "authorities list": "authorities/index.html",
        "context": "contexts/emergency.html",
        "outcomes tracker": "outcomes.html",
        "search with results": "search.html?q=" + graph.get("topics", topic).model.label.split()[0],
        "search with filters": f"search.html?topic={topic}&authority={authority}",
        "data": "data/index.html",
        "stale entries": "stale.html",
        "emergency sheet": f"emergency/{authority}.html",
        "contribute": "contribute.html",
        "accessibility statement": "accessibility.html",
        "about": "about.html",
        "not found": "404.html",
    }


@pytest.fixture(scope="module")
def real_url(real_site: Path) -> Iterator[str]:
    from .search_harness import serve

    with serve(real_site) as url:
        yield url


def _violations(browser, base_url: str, pages: dict[str, str], scheme: str) -> list[str]:
    context = browser.new_context(locale="he-IL", color_scheme=scheme, service_workers="block")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    found = []
    try:
        for kind, path in pages.items():
            page.goto(base_url + path)
            if path.startswith("search.html"):
                page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)
            # The palette follows the system's setting when the reader has not chosen one.
            expected = "slate" if scheme == "dark" else "default"
            assert page.get_attribute("body", "data-md-color-scheme") == expected
            page.wait_for_timeout(300)  # the theme's colour transitions
            for violation in AXE.run(page, options=WCAG_AA).response["violations"]:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:3]
                found.append(f"{kind} ({path}, {scheme}): {violation['id']}: {violation['help']}: {targets}")
    finally:
        context.close()
    assert not errors, errors
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_wcag_violation_on_any_page_type_of_the_real_content(browser, real_url: str, scheme: str):
    assert _violations(browser, real_url, page_types(REAL_CONTENT), scheme) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_wcag_violation_on_any_page_type_of_the_sample_site(browser, sample_url: str, scheme: str):
    assert _violations(browser, sample_url, page_types(SAMPLE_CONTENT), scheme) == []


def test_axe_does_find_a_violation_where_there_is_one(browser, sample_url: str):
    # The check is real: pale grey text, or a search box with no name at all, and axe says so.
    page = browser.new_page()
    page.goto(sample_url + "index.html")
    page.evaluate("document.querySelector('article p').style.color = '#c8c8c8'")
    page.evaluate("const q = document.getElementById('kb-header-q'); q.removeAttribute('placeholder'); q.labels[0].remove()")
    ids = {v["id"] for v in AXE.run(page, options=WCAG_AA).response["violations"]}
    page.close()
    assert {"color-contrast", "label"} <= ids


def _focused(page) -> dict:
    # A visually hidden radio button (the theme's palette switch) shows its focus on the label after it.
    return page.evaluate(
        """() => {
        const active = document.activeElement, next = active.nextElementSibling;
        const tiny = active.getBoundingClientRect().width < 2 && next && next.tagName === 'LABEL';
        const e = tiny ? next : active;
        const r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return {tag: e.tagName, cls: e.className, id: e.id, href: e.getAttribute('href'),
                width: r.width, height: r.height, top: r.top, outline: s.outlineStyle, shadow: s.boxShadow,
                inArticle: !!e.closest('article')};
    }"""
    )


def test_the_skip_link_comes_first_shows_and_leads_to_the_title(page, sample_url: str):
    for path in ("initiatives/karmiel-families-model.html", "search.html?q=כרמיאל", "404.html", "emergency/karmiel.html"):
        page.goto(sample_url + path)
        page.keyboard.press("Tab")
        skip = _focused(page)
        assert "md-skip" in skip["cls"] and skip["href"] == "#kb-content", path
        assert skip["width"] > 10 and skip["height"] > 10 and skip["top"] >= 0, f"{path}: the skip link is not visible"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#kb-content"
        page.keyboard.press("Tab")
        assert _focused(page)["inArticle"], f"{path}: after the skip link, Tab must go on inside the content"


def test_every_tab_stop_shows_where_the_focus_is(page, sample_url: str):
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for path in ("index.html", "initiatives/karmiel-families-model.html", "search.html?q=כרמיאל"):
            page.goto(sample_url + path)
            if path.startswith("search"):
                page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)
            for _ in range(30):
                page.keyboard.press("Tab")
                focused = _focused(page)
                if focused["tag"] == "BODY":
                    break
                where = f"{path} ({scheme}): <{focused['tag']} class={focused['cls']!r} id={focused['id']!r}>"
                assert focused["width"] > 2 and focused["height"] > 2, f"{where} has the focus but cannot be seen"
                assert focused["outline"] != "none" or focused["shadow"] != "none", f"{where} shows no focus indicator"


def test_every_page_has_one_title_and_no_skipped_heading_level(real_site: Path, sample_site: Path):
    for site in (real_site, sample_site):
        for path in sorted(site.rglob("*.html")):
            html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            levels = [
                int(h.name[1]) for h in html.select("article h1, article h2, article h3, article h4, article h5, article h6")
            ]
            where = path.relative_to(site)
            assert levels.count(1) == 1 and levels[0] == 1, f"{where}: {levels[:5]}"
            for before, after in zip(levels, levels[1:], strict=False):
                assert after <= before + 1, f"{where}: h{before} is followed by h{after}"


def test_phones_emails_addresses_and_latin_names_keep_their_direction(sample_site: Path):
    graph = check_content(SAMPLE_CONTENT)
    for entry in graph.entries["initiatives"].values():
        html = BeautifulSoup((sample_site / f"initiatives/{entry.id}.html").read_text(encoding="utf-8"), "html.parser")
        article = html.find("article")
        for link in article.select('a[href^="tel:"], a[href^="mailto:"]'):
            assert link.find("bdi", dir="ltr"), link
        for link in article.select('a[href^="http"]'):
            text = link.get_text()
            if text.isascii() and any(c.isalpha() for c in text):
                assert link.find("bdi", dir="ltr") or link.find_parent(dir="ltr"), link
    # Passages in another language say which: the data page's English field descriptions.
    data = BeautifulSoup((sample_site / "data/index.html").read_text(encoding="utf-8"), "html.parser")
    english = data.select('td[lang="en"]')
    assert english and all(td.get("dir") == "ltr" for td in english)


def test_the_footer_of_every_page_links_the_accessibility_statement(sample_site: Path):
    for path in sorted(sample_site.rglob("*.html")):
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        footer = html.find("footer")
        links = [
            posixpath.normpath(posixpath.join(posixpath.dirname(str(path.relative_to(sample_site))), a["href"]))
            for a in footer.find_all("a", href=True)
            if not a["href"].startswith(("http", "/"))
        ]
        if path.name == "404.html":  # served at any depth, so its links start from the root
            links = [a["href"].lstrip("/") for a in footer.find_all("a", href=True)]
        assert "accessibility.html" in links, path
    statement = BeautifulSoup((sample_site / "accessibility.html").read_text(encoding="utf-8"), "html.parser")
    assert "נסקרו לאחרונה ב-1 באוקטובר 2025" in statement.find("article").get_text()


def test_facets_work_by_keyboard_alone(page, sample_url: str):
    page.goto(sample_url + "search.html?q=כרמיאל")
    page.wait_for_selector('#search-results[data-state="done"] a', timeout=20_000)
    before = page.eval_on_selector_all("#search-results a", "links => links.length")
    for _ in range(60):  # Tab on to the "kind" facet
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "kb-f-kind":
            break
    else:
        raise AssertionError("the facets cannot be reached with Tab")
    page.keyboard.press("ArrowDown")  # a closed <select> takes its next option from the arrow keys
    chosen = page.evaluate("document.getElementById('kb-f-kind').value")
    assert chosen
    page.wait_for_function(f"new URL(location.href).searchParams.get('kind') === {chosen!r}")
    page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)
    after = page.eval_on_selector_all("#search-results a", "links => links.length")
    assert after <= before


def test_tab_goes_through_every_page_and_out_again(page, sample_url: str):
    # No keyboard trap: from the top, Tab reaches the footer's last link and then leaves the page.
    for path in ("search.html?q=כרמיאל", "initiatives/karmiel-families-model.html", "data/index.html"):
        page.goto(sample_url + path)
        if path.startswith("search.html"):
            # Results arrive after the page loads; tabbing must go through them once they are shown.
            page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)
        last = page.evaluate("[...document.querySelectorAll('footer a[href]')].pop().getAttribute('href')")
        seen = []
        for _ in range(400):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "document.activeElement === document.body ? null : document.activeElement.outerHTML.slice(0, 80)"
            )
            if focused is None:
                break
            seen.append(focused)
        else:
            raise AssertionError(f"{path}: Tab never left the page: {seen[-5:]}")
        assert f'href="{last}"' in seen[-1] or any(f'href="{last}"' in s for s in seen[-3:]), f"{path}: {seen[-3:]}"
