"""The search page as a reader uses it, in headless Chromium: facets, deep links, the address bar,
the keyboard, the empty state, and the browser reducing queries exactly as the indexer does."""

from __future__ import annotations

import posixpath
import re

from generator import hebrew
from generator.build import check_content

from .conftest import SAMPLE_CONTENT, search_results

GRAPH = check_content(SAMPLE_CONTENT)


def page_of(href: str) -> str:
    return href.split("#")[0]


def entries_with(collection: str, **wanted: str) -> set[str]:
    out = set()
    for entry in GRAPH.entries[collection].values():
        model = entry.model
        if all(value in (getattr(model, field + "s", None) or [getattr(model, field, None)]) for field, value in wanted.items()):
            out.add(f"{collection}/{entry.id}.html")
    return out


def test_the_browser_reduces_queries_like_the_indexer(page, sample_url):
    page.goto(sample_url + "search.html")
    page.wait_for_selector('#search-results[data-state="done"]', state="attached")
    queries = ["ברשויות", "והוותיקים", 'מנכ"ל', "מנכ״ל", "חִירוּם", "תל־אביב", "ארגון", "ומשרד", "מרכז", "כשהרשות", "Open Valley"]
    in_browser = page.evaluate("(qs) => qs.map(q => window.kbSearch.queryForms(q))", queries)
    assert in_browser == [hebrew.query_forms(q) for q in queries]
    pointed = ["חֵרוּם", "חִרוּם", "חִירוּם", "קֹדֶם", "שֵׁם", "כֻּלָּם", "לִי", "רשויות"]
    in_browser = page.evaluate("(qs) => qs.map(q => window.kbSearch.fullSpellingForms(q))", pointed)
    assert in_browser == [hebrew.full_spelling_forms(q) for q in pointed]


def test_a_pointed_query_finds_the_fully_spelled_word(page, sample_url):
    # The pages write חירום; a reader may type it pointed and short, חֵרוּם.
    plain = search_results(page, sample_url + "search.html?q=חירום")
    assert plain
    assert search_results(page, sample_url + "search.html?q=חֵרוּם") == plain


def test_a_query_finds_prefixed_forms(page, sample_url):
    # The sample has "משפחות", "המשפחות" and "במשפחות"; a prefixed query finds the bare word too.
    expected = {"initiatives/karmiel-families-model.html", "forums/karmiel-round-table.html"}
    for query in ("משפחות", "במשפחות", "ולמשפחות"):
        found = {page_of(href) for href in search_results(page, f"{sample_url}search.html?q={query}")}
        assert expected <= found, query


def test_facets_narrow_results_and_show_counts(page, sample_url):
    everything = {page_of(h) for h in search_results(page, f"{sample_url}search.html?q=משפחות")}
    option = page.locator('#kb-f-kind option[value="initiative"]')
    assert re.search(r"\(\d+\)$", option.text_content())
    page.select_option("#kb-f-kind", "initiative")
    page.wait_for_selector('#search-results[data-state="done"]', state="attached")
    narrowed = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")
    assert narrowed and set(narrowed) < everything
    assert all(href.startswith("initiatives/") for href in narrowed)
    assert "kind=initiative" in page.url  # the address bar follows the filters


def test_deep_links_reproduce_a_search(page, sample_url):
    found = search_results(page, f"{sample_url}search.html?q=משפחות&topic=poverty&kind=forum")
    assert {page_of(h) for h in found} == {"forums/karmiel-round-table.html"}
    assert page.input_value("#kb-q") == "משפחות"
    assert page.input_value("#kb-f-topic") == "poverty"
    assert page.input_value("#kb-f-kind") == "forum"


def test_filters_alone_list_what_they_select(page, sample_url):
    found = {page_of(h) for h in search_results(page, f"{sample_url}search.html?topic=emergency&kind=initiative")}
    assert found == entries_with("initiatives", topic="emergency")
    found = {page_of(h) for h in search_results(page, f"{sample_url}search.html?context=emergency")}
    assert entries_with("initiatives", context="emergency") <= found
    assert all(GRAPH.entries[p.split("/")[0]][p.split("/")[1][:-5]].model.context == "emergency" for p in found)


def test_outcomes_are_results_of_their_own(page, sample_url):
    found = search_results(page, f"{sample_url}search.html?kind=outcome&status=open")
    forum = GRAPH.entries["forums"]["karmiel-round-table"]
    open_outcomes = [n for n, o in enumerate(forum.model.outcomes, 1) if o.status == "open"]
    assert sorted(found) == sorted(f"forums/karmiel-round-table.html#outcome-{n}" for n in open_outcomes)


def test_typing_updates_the_address_and_the_results(page, sample_url):
    search_results(page, f"{sample_url}search.html")
    page.fill("#kb-q", "כרמיאל")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'כרמיאל'")
    page.wait_for_selector('#search-results[data-state="done"] a', timeout=20_000)
    assert page.locator("#search-results a").count() >= 1


def test_empty_state_says_what_to_try(page, sample_url):
    assert search_results(page, f"{sample_url}search.html?q=שלוםעולםזהאינומילה") == []
    assert page.is_visible("#kb-search-empty")
    assert "לא נמצאו תוצאות" in page.text_content("#kb-search-status")


def test_no_false_hit_from_pagefind_backing_off(page, sample_url):
    # Pagefind alone answers a term it cannot find with words that begin like it ("כרמיאלזז" → כרמיאל).
    assert search_results(page, f"{sample_url}search.html?q=כרמיאלזז") == []


def test_keyboard_only_from_any_page_to_a_result(page, sample_url):
    page.goto(sample_url + "about.html")
    for _ in range(40):  # Tab until the header's search box has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "kb-header-q":
            break
    else:
        raise AssertionError("the header search box cannot be reached with Tab")
    page.keyboard.type("כרמיאל")
    page.keyboard.press("Enter")
    page.wait_for_selector('#search-results[data-state="done"] a', timeout=20_000)
    first = page.get_attribute("#search-results a", "href")
    for _ in range(60):  # on to the first result
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.getAttribute('href')") == first:
            break
    else:
        raise AssertionError("no result can be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(page_of(first)) + "$|" + re.escape(first) + "$"))


def test_every_page_has_the_header_search_box(sample_site):
    for path in ["index.html", "about.html", "initiatives/karmiel-families-model.html", "authorities/index.html"]:
        html = (sample_site / path).read_text(encoding="utf-8")
        action = re.search(r'<form class="kb-header-search"[^>]* action="([^"]+)"', html)[1]
        assert posixpath.normpath(posixpath.join(posixpath.dirname(path), action)) == "search.html", path
