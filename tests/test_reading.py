"""Reading the site on a phone (390 px) and a desktop (1366 px), and on paper, in headless Chromium.

On every page type of the sample site and of the real content, at both widths: no word is split across
lines, nothing scrolls sideways (tables become cards on a phone), and a screenshot of the page is written
for a person to look at (``KB_SCREENSHOTS``, or a folder under pytest's temporary directory; never
compared pixel by pixel). Then the header at widths from 320 to 2560 px, the search page's folded
filters, and printing: the footer readable on paper, and only links that leave the site printing where
they lead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from .conftest import REAL_CONTENT, SAMPLE_CONTENT
from .test_accessibility import page_types

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
CARDS_BELOW = 600
"""Below this width (px) a table of entries is a stack of cards, which never scrolls sideways."""

SPLIT_WORDS = r"""() => {
  // A word: letters, marks, digits and the marks written inside Hebrew words (מנכ"ל, ג'ובניק). Where a
  // browser may break between words, after "-", "/", "_", ".", "@", is a sensible place to wrap.
  const WORD = /[\p{L}\p{M}\p{N}״׳'"]{2,}/gu;
  const split = [];
  for (const root of document.querySelectorAll(".md-content, .md-footer")) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element.getClientRects().length) continue; // not shown (a closed disclosure, display: none)
      for (const match of node.data.matchAll(WORD)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        if (rects.length < 2) continue;
        const tops = rects.map((r) => r.top);
        const line = Math.min(...rects.map((r) => r.height));
        if (Math.max(...tops) - Math.min(...tops) <= line / 2) continue;
        // A word longer than the whole line it is in (an address, a long Latin name) must wrap somewhere.
        let block = element;
        while (block.parentElement && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
        const whole = rects.reduce((sum, r) => sum + r.width, 0);
        if (whole > block.clientWidth) continue;
        split.push(`${match[0]} (in <${element.tagName.toLowerCase()}>)`);
      }
    }
  }
  return split;
}"""

SIDEWAYS = r"""(cards) => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    found.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window`);
  }
  // The theme hides the page's sideways overflow (html { overflow-x: hidden }): what would scroll is cut off
  // at the window's edge instead. Anything beyond the edge counts, unless a box of the content's own
  // scrolls or clips it (a long address in a cell, a header row kept for screen readers only), a box that
  // is itself inside the window.
  const holds = (e) => getComputedStyle(e).overflowX !== "visible";
  const inside = (r) => r.left >= -2 && r.right <= width + 2;
  for (const root of document.querySelectorAll(".md-content, .md-footer")) for (const element of root.querySelectorAll("*")) {
    const r = element.getBoundingClientRect();
    if (!r.width || inside(r)) continue;
    let box = element.parentElement;
    while (box !== root && !(holds(box) && inside(box.getBoundingClientRect()))) box = box.parentElement;
    if (box !== root) continue;
    const tag = `<${element.tagName.toLowerCase()} class="${element.className}">`;
    found.push(`${tag} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
  }
  // On a phone a table of entries is cards: read down, never scrolled sideways. (A table a contributor
  // writes in Markdown keeps the theme's strip that scrolls, when it must, inside itself.)
  if (cards) {
    for (const table of document.querySelectorAll(".md-content .kb-table")) {
      if (table.scrollWidth > table.clientWidth + 1) {
        found.push(`a table scrolls sideways: ${table.scrollWidth} px in ${table.clientWidth} px`);
      }
      // Nor does a card's cell: a word longer than the card wraps (found by a review: a long Latin word).
      for (const cell of table.querySelectorAll("td")) {
        if (cell.scrollWidth > cell.clientWidth + 1) {
          found.push(`a cell scrolls sideways: ${cell.scrollWidth} px in ${cell.clientWidth} px`);
        }
      }
    }
  }
  return found.slice(0, 10);
}"""


def screenshots_folder(factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots for review go: ``KB_SCREENSHOTS`` when set, else a folder of this run's."""
    given = os.environ.get("KB_SCREENSHOTS")
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        return Path(given)
    return factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshots_folder(tmp_path_factory)


@pytest.fixture(scope="module")
def real_url(real_site: Path) -> Iterator[str]:
    from .search_harness import serve

    with serve(real_site) as url:
        yield url


def open_page(page, url: str) -> None:
    page.goto(url)
    if "search.html" in url:
        page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)


def reading_problems(
    browser, base_url: str, pages: dict[str, str], viewport: dict[str, int], screens: Path, site: str
) -> list[str]:
    """Split words and sideways scrolling on each page, with a screenshot of each written to ``screens``."""
    context = browser.new_context(locale="he-IL", viewport=viewport, service_workers="block")
    page = context.new_page()
    problems = []
    try:
        for kind, path in pages.items():
            open_page(page, base_url + path)
            where = f"{kind} ({path}) at {viewport['width']} px"
            split = page.evaluate(SPLIT_WORDS)
            if split:
                problems.append(f"{where}: split across lines: {split[:8]}")
            sideways = page.evaluate(SIDEWAYS, viewport["width"] < CARDS_BELOW)
            if sideways:
                problems.append(f"{where}: sideways: {sideways}")
            name = re.sub(r"\W+", "-", kind).strip("-")
            page.screenshot(path=str(screens / f"{site}-{name}-{viewport['width']}.png"), full_page=True)
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_type_of_the_sample_reads_without_split_words_or_sideways_scroll(browser, sample_url, viewport, screens):
    problems = reading_problems(browser, sample_url, page_types(SAMPLE_CONTENT), viewport, screens, "sample")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_type_of_the_real_content_reads_without_split_words_or_sideways_scroll(browser, real_url, viewport, screens):
    problems = reading_problems(browser, real_url, page_types(REAL_CONTENT), viewport, screens, "real")
    assert not problems, "\n".join(problems)


def test_a_table_of_entries_is_cards_on_a_phone(browser, sample_url):
    # Each value after its column's name; an empty cell (an outcome without an owner or a due date) left out.
    context = browser.new_context(locale="he-IL", viewport=PHONE, service_workers="block")
    page = context.new_page()
    open_page(page, sample_url + "outcomes.html")
    cells = page.eval_on_selector_all(
        ".kb-table tbody td",
        """cells => cells.map(td => ({label: td.dataset.label, shown: td.getClientRects().length > 0,
             empty: !td.textContent.trim(), before: getComputedStyle(td, '::before').content,
             first: !td.previousElementSibling}))""",
    )
    headers = page.eval_on_selector_all(".kb-table thead th", "ths => ths.map(th => th.textContent)")
    context.close()
    assert cells and any(cell["empty"] for cell in cells)
    for cell in cells:
        assert cell["label"] in headers
        assert cell["shown"] != cell["empty"], cell
        if cell["shown"] and not cell["first"]:
            assert cell["before"] == f'"{cell["label"]}: "', cell


# --- the header ---

HEADER = """() => {
  const shown = (e) => e.getClientRects().length > 0;
  const toggle = [...document.querySelectorAll('[data-md-component="palette"] label')].find(shown);
  const menu = [...document.querySelectorAll('.md-header__button[for="__drawer"], .md-header__button.md-logo')].find(shown);
  const search = document.querySelector(".kb-header-search input");
  const title = document.querySelector(".md-header__title");
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const r = toggle.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {boxes: {toggle: box(toggle), search: box(search), menu: box(menu), title: box(title)},
          centre: [r.left + r.width / 2, r.top + r.height / 2], hit: toggle.contains(hit)};
}"""


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", [320, 390, 768, 1280, 1366, 1920, 2560])
def test_the_header_toggle_search_box_and_menu_never_overlap(browser, sample_url, width):
    context = browser.new_context(locale="he-IL", viewport={"width": width, "height": 700}, service_workers="block")
    page = context.new_page()
    open_page(page, sample_url + "outcomes.html")
    header = page.evaluate(HEADER)
    boxes = header["boxes"]
    for one, other in (("toggle", "search"), ("toggle", "menu"), ("search", "menu"), ("search", "title")):
        assert not overlap(boxes[one], boxes[other]), f"{width} px: the {one} overlaps the {other}: {boxes}"
    assert all(0 <= box[0] and box[2] <= width for box in boxes.values()), boxes
    assert header["hit"], f"{width} px: something covers the palette toggle"
    before = page.get_attribute("body", "data-md-color-scheme")
    page.mouse.click(*header["centre"])
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== {before!r}")
    context.close()


# --- the search page ---


def test_search_filters_are_folded_on_a_phone_and_the_results_come_first(browser, sample_url):
    context = browser.new_context(locale="he-IL", viewport=PHONE, service_workers="block")
    page = context.new_page()
    open_page(page, sample_url + "search.html?q=משפחות&topic=poverty&kind=initiative")
    assert page.evaluate("document.getElementById('kb-filters').open") is False
    assert not page.is_visible("#kb-f-topic")
    assert page.text_content("#kb-filters summary").strip() == "סינון (2 פעילים)"
    first = page.eval_on_selector("#search-results a", "a => a.getBoundingClientRect().bottom")
    assert first <= PHONE["height"], f"the first result ends {first} px down, below the fold"
    # By keyboard: the summary takes the focus, and Enter unfolds the filters.
    page.focus("#kb-filters summary")
    page.keyboard.press("Enter")
    assert page.is_visible("#kb-f-topic")
    page.select_option("#kb-f-kind", "")
    page.wait_for_function("document.querySelector('#kb-filters summary').textContent.trim() === 'סינון (1 פעיל)'")
    context.close()


def test_search_filters_are_open_where_there_is_room(browser, sample_url):
    context = browser.new_context(locale="he-IL", viewport=DESKTOP, service_workers="block")
    page = context.new_page()
    open_page(page, sample_url + "search.html?q=משפחות")
    assert page.evaluate("document.getElementById('kb-filters').open") is True
    assert page.text_content("#kb-filters summary").strip() == "סינון"
    context.close()


# --- print ---

FOOTER_ON_PAPER = r"""() => {
  // Paper prints no background unless a box asks for its colours to print exactly; the paper is white.
  const rgba = (c) => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const ground = (e) => {
    for (; e; e = e.parentElement) {
      const s = getComputedStyle(e), c = rgba(s.backgroundColor);
      if (c[3] > 0 && (s.printColorAdjust || s.webkitPrintColorAdjust) === "exact") return c;
    }
    return [255, 255, 255, 1];
  };
  const luminance = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const out = [];
  const walker = document.createTreeWalker(document.querySelector("footer"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.data.trim() || !element.getClientRects().length) continue;
    const back = ground(element), fore = rgba(getComputedStyle(element).color);
    const seen = fore.slice(0, 3).map((v, i) => v * fore[3] + back[i] * (1 - fore[3]));
    const [hi, lo] = [luminance(seen), luminance(back)].sort((a, b) => b - a);
    out.push({text: node.data.trim(), ratio: (hi + 0.05) / (lo + 0.05)});
  }
  return out;
}"""


@pytest.mark.parametrize("path", ["initiatives/karmiel-families-model.html", "outcomes.html", "emergency/karmiel.html"])
def test_the_footer_is_readable_on_paper(page, sample_url, path):
    open_page(page, sample_url + path)
    page.emulate_media(media="print")
    # The theme eases a link's colour over 125 ms: read the colours once they are the print's, not midway.
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    texts = page.evaluate(FOOTER_ON_PAPER)
    shown = " ".join(t["text"] for t in texts)
    for needed in ("ברישיון", "CC-BY-4.0", "עותק זה של האתר נבנה", "הצהרת נגישות", "נתונים פתוחים"):
        assert needed in shown, f"{path}: {needed!r} is not printed"
    faint = [t for t in texts if t["ratio"] < 4.5]
    assert not faint, f"{path}: footer text too faint on paper: {faint[:5]}"


PRINTED_AFTER = """() => [...document.querySelectorAll('.md-content a[href], footer a[href]')].map(a => ({
  href: a.getAttribute('href'), text: a.textContent.trim(), after: getComputedStyle(a, '::after').content}))"""


def test_only_links_that_leave_the_site_print_their_address_once(page, sample_url):
    # The entry has links inside the site, a website, an e-mail address and a phone number; the footer a
    # licence elsewhere.
    open_page(page, sample_url + "initiatives/karmiel-families-model.html")
    page.emulate_media(media="print")
    links = page.evaluate(PRINTED_AFTER)
    kinds = {re.match(r"[a-z]+:|", link["href"]).group(0) for link in links}
    assert {"", "https:", "mailto:", "tel:"} <= kinds, kinds
    for link in links:
        printed = link["after"] not in ("none", "normal")
        leaves = link["href"].startswith(("http:", "https:")) and link["text"].rstrip("/") != link["href"].rstrip("/")
        assert printed == leaves, link
        if printed:
            assert link["after"] == f'"(" "{link["href"]}" ")"' or link["after"] == f'"({link["href"]})"', link


def test_a_mailto_link_with_other_text_prints_the_address_not_the_scheme(page, sample_url):
    # A contributor's "כתבו לנו" link: post-build gives it data-kb-address (tests of _print_addresses in
    # test_print.py); the printed page shows that, without "mailto:".
    open_page(page, sample_url + "about.html")
    page.evaluate(
        """() => { const p = document.createElement('p'); p.innerHTML =
           '<a data-kb-address="office@example.org" href="mailto:office@example.org">כתבו לנו</a>';
           document.querySelector('article').append(p); }"""
    )
    page.emulate_media(media="print")
    after = page.evaluate("getComputedStyle(document.querySelector('a[data-kb-address]'), '::after').content")
    assert "office@example.org" in after and "mailto" not in after


def test_a_section_link_shared_with_its_old_count_still_leads_to_the_section(page, sample_url):
    # Before ids were made from the words alone, the tracker's open outcomes were #פתוח-<count>.
    page.set_viewport_size(PHONE)
    page.goto(f"{sample_url}outcomes.html#{quote('פתוח-4')}")
    page.wait_for_function("() => location.hash !== '#' + encodeURIComponent('פתוח-4')")
    assert unquote(page.evaluate("location.hash")) == "#פתוח"
    top = page.evaluate("document.getElementById('פתוח').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2  # scrolled to it, below the header
    page.goto(f"{sample_url}outcomes.html#{quote('אין-כזה-4')}")  # no such section: the page stays as it is
    assert unquote(page.evaluate("location.hash")) == "#אין-כזה-4"
