"""The search page as a reader uses it, in headless Chromium: facets, deep links, the address bar,
the keyboard, the empty state, "did you mean", synonyms, names, excerpts, and the browser reading
queries exactly as the generator does."""

from __future__ import annotations

import posixpath
import re

from generator import lexicon
from generator.build import check_content, render_docs
from generator.content.model import outcome_anchors
from generator.publish import search_index

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


def test_the_browser_reads_queries_like_the_generator(page, sample_url):
    _, docs, _ = render_docs(SAMPLE_CONTENT)
    items = search_index.records(GRAPH, docs)
    site = search_index.site_keys(GRAPH, items)
    known = site.lemmas | site.reader_lemmas
    written = sorted(site.words)
    queries = written + [prefix + word for word in written[::3] for prefix in ("ו", "ה", "ב", "ש", "וכשה")]
    # Words the site lacks, whose letters hide site words (ש+יום in שום, a yod away): read the same way too.
    queries += ["בור", "שום", "רחוב", "דור", "שמש", "שכול", "הקרן", "שרות", "ישוב"]
    queries += ["חֵרוּם", "קְהִלָּה", "מִשְׁפָּחוֹת", "סִפֵּר"]
    queries += ["שרות", "בטחון", "עיריה", "כביש", "כנסת", "מנכל", 'מנכ"ל', "קואצינג", "coaching", "קשישים"]
    in_browser = page_lemmas(page, sample_url, queries)
    in_python = {
        word: [sorted(found) for found in lexicon.query_lemmas(word, known)] for q in queries for word in lexicon.words(q)
    }
    assert in_browser == in_python


def test_the_browser_reads_every_benchmark_query_like_the_generator_on_the_real_site(page, real_site):
    # The real content, and every query of every benchmark set (traps included): the table the page reads holds
    # only the site's forms and those it would misread, so a missing form shows here as a different reading.
    import yaml

    from .conftest import REAL_CONTENT
    from .search_harness import serve

    graph, docs, _ = render_docs(REAL_CONTENT)
    site = search_index.site_keys(graph, search_index.records(graph, docs))
    known = site.lemmas | site.reader_lemmas
    queries = []
    for path in sorted((REAL_CONTENT.parent / "benchmarks").glob("search_queries*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group in ("queries", "precision"):
            queries += [entry["query"] for entry in data.get(group, []) if isinstance(entry, dict)]
    assert len(queries) > 500
    with serve(real_site) as url:
        in_browser = page_lemmas(page, url, queries)
    in_python = {
        word: [sorted(found) for found in lexicon.query_lemmas(word, known)] for q in queries for word in lexicon.words(q)
    }
    assert in_browser == in_python


def page_lemmas(page, sample_url, queries):
    page.goto(sample_url + "search.html")
    page.wait_for_selector('#search-results[data-state="done"]', state="attached")
    return page.evaluate(
        """async (queries) => {
          const out = {};
          for (const query of queries) for (const word of window.kbSearch.words(query)) {
            const found = await window.kbSearch.queryLemmas(word);
            out[word] = [found.own.map((l) => l.lemma).sort(), found.varied.map((l) => l.lemma).sort()];
          }
          return out;
        }""",
        queries,
    )


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


def test_a_list_by_filters_alone_never_loads_the_words_index(page, sample_url):
    # Pagefind answers a search without words by loading every chunk of its index (14 MB at 10,000 entries).
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    found = search_results(page, f"{sample_url}search.html?topic=emergency")
    assert found and not [url for url in asked if "/pagefind/index/" in url or "/pagefind/fragment/" in url]
    assert any(url.endswith("/pagefind/kb/fallback/filters.js") for url in asked)
    # A query with words is searched on Pagefind again.
    asked.clear()
    assert search_results(page, f"{sample_url}search.html?q=משפחות&topic=emergency") is not None
    assert any("/pagefind/index/" in url for url in asked)


def test_outcomes_are_results_of_their_own(page, sample_url):
    found = search_results(page, f"{sample_url}search.html?kind=outcome&status=open")
    forum = GRAPH.entries["forums"]["karmiel-round-table"]
    anchors = outcome_anchors(forum.model.outcomes)
    open_outcomes = [anchor for anchor, o in zip(anchors, forum.model.outcomes, strict=True) if o.status == "open"]
    assert sorted(found) == sorted(f"forums/karmiel-round-table.html#{anchor}" for anchor in open_outcomes)


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


def test_no_silent_answer_for_a_word_the_site_lacks(page, sample_url):
    # Pagefind alone answers a term it cannot find with words that begin like it ("כרמיאלזז" → כרמיאל); here
    # a key is searched only if the site has it, and a guess is said to be one.
    found = search_results(page, f"{sample_url}search.html?q=כרמיאלזז")
    assert found == search_results(page, f"{sample_url}search.html?q=כרמיאל") or not found
    if found:
        page.goto(f"{sample_url}search.html?q=כרמיאלזז")
        page.wait_for_selector('#search-results[data-state="done"]', state="attached")
        assert page.is_visible("#kb-search-suggestion") and "כרמיאל" in page.text_content("#kb-search-suggestion")


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


def test_a_typo_is_answered_with_the_site_s_word_and_its_results(page, sample_url):
    wanted = search_results(page, f"{sample_url}search.html?q=משפחות")
    # ט for ת sounds alike: the site's word is offered as a link, and what it finds is shown below.
    assert search_results(page, f"{sample_url}search.html?q=משפחוט") == wanted
    assert page.is_visible("#kb-search-suggestion")
    link = page.locator("#kb-search-suggestion a")
    assert link.text_content() == "משפחות"
    link.click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'משפחות'")


def test_a_real_word_the_site_does_not_use_finds_nothing(page, sample_url):
    # כביש is a word: not a typo of another word of the site, and never כ+ביש.
    assert search_results(page, f"{sample_url}search.html?q=כביש") == []
    assert "לא נמצאו תוצאות" in page.text_content("#kb-search-status")


def test_a_synonym_finds_what_the_content_says_otherwise(page, sample_url):
    # The sample's synonyms put קואצ'ינג with "מאמנים אישיים", which the Karmiel model writes.
    for query in ("קואצ'ינג", "coaching", "מאמן אישי"):
        found = {page_of(h) for h in search_results(page, f"{sample_url}search.html?q={query}")}
        assert "initiatives/karmiel-families-model.html" in found, query


def test_an_authority_and_an_organization_are_found_by_their_names(page, sample_url):
    found = [page_of(h) for h in search_results(page, f"{sample_url}search.html?q=כרמיאל")]
    assert "authorities/karmiel.html" in found[:3]
    found = [page_of(h) for h in search_results(page, f"{sample_url}search.html?q=לב הקהילה&kind=organization")]
    assert found == ["organizations/lev-hakehila.html"]


def test_excerpts_come_from_the_text_and_mark_the_word_in_any_form(page, sample_url):
    search_results(page, f"{sample_url}search.html?q=משפחה&kind=initiative")
    excerpts = page.eval_on_selector_all(".kb-result-excerpt", "ps => ps.map(p => p.textContent)")
    marked = page.eval_on_selector_all(".kb-result-excerpt mark", "ms => ms.map(m => m.textContent)")
    assert marked and all(lexicon.base_readings(lexicon.words(word)[0])[0] == ["משפחה"] for word in marked)
    labels = ["מצב", "נושאים", "שותפים", "יזם"]  # the card's labels and values are never an excerpt
    assert excerpts and not any(label in excerpt for excerpt in excerpts for label in labels)


def test_the_last_word_completes_while_typed_and_is_exact_once_done(page, sample_url):
    search_results(page, f"{sample_url}search.html")
    page.fill("#kb-q", "משפ")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'משפ'")
    page.wait_for_selector('#search-results[data-state="done"] a', timeout=20_000)
    assert page.locator("#search-results a").count() >= 1  # still being typed: משפ completes to משפחות
    assert search_results(page, f"{sample_url}search.html?q=משפ") == []  # given whole, it is matched exactly


def test_more_results_are_shown_on_request_and_the_reader_goes_on_from_them(page, real_site):
    from .search_harness import serve

    with serve(real_site) as url:
        first = search_results(page, f"{url}search.html?q=רשות")
        assert len(first) == 10 and page.is_visible("#kb-search-more")
        total = int(page.text_content("#kb-search-status").split()[1])
        assert total > 10 and "מוצגות 10 הראשונות" in page.text_content("#kb-search-status")
        # A double click (or an impatient second one) shows the next ten once.
        page.evaluate("() => { const more = document.getElementById('kb-search-more'); more.click(); more.click(); }")
        page.wait_for_function(f"() => document.querySelectorAll('#search-results a').length === {min(total, 20)}")
        page.wait_for_selector('#search-results[data-state="done"]', state="attached")
        links = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")
        assert links[:10] == first and len(set(links)) == len(links)
        assert page.evaluate("document.activeElement.getAttribute('href')") == links[10]
        assert page.is_visible("#kb-search-more") == (total > 20)
        search_results(page, f"{url}search.html?q=כרמיאל")
        assert not page.is_visible("#kb-search-more")


def test_a_name_in_latin_letters_finds_its_hebrew_spelling(page, sample_url):
    wanted = search_results(page, f"{sample_url}search.html?q=כרמיאל")
    assert (
        wanted and search_results(page, f"{sample_url}search.html?q=Carmiel") == wanted
    )  # the site writes karmiel only in its addresses
    assert not page.is_visible("#kb-search-suggestion")  # found as the site's own word, nothing to propose
    # A Latin word near no name of the site proposes nothing.
    assert search_results(page, f"{sample_url}search.html?q=Xylophone") == []
    assert not page.is_visible("#kb-search-suggestion")


def test_a_latin_word_of_the_site_is_found_by_its_hebrew_spelling(page, sample_url):
    assert search_results(page, f"{sample_url}search.html?q=אקסל") == ["initiatives/karmiel-families-model.html"]
    assert page.locator("#kb-search-suggestion a").text_content() == "excel"
    # A Hebrew spelling far from every Latin word of the site finds nothing.
    assert search_results(page, f"{sample_url}search.html?q=פסנתרן") == []


def test_a_body_is_found_by_its_english_and_other_names_on_every_page_that_names_it(page, sample_url):
    naming = search_results(page, f"{sample_url}search.html?q=משרד הרווחה והביטחון החברתי")
    assert naming[0] == "organizations/ministry-of-welfare.html" and "initiatives/karmiel-families-model.html" in naming
    for other in ["Ministry of Welfare and Social Affairs", "משרד העבודה והרווחה", "ministry of welfare and social affairs"]:
        found = search_results(page, f"{sample_url}search.html?q={other}")
        assert found[0] == "organizations/ministry-of-welfare.html", other
        assert set(found) == set(naming), other
    # Part of a name is no name: "Social Affairs" finds no page, nor does part of a Hebrew other name.
    assert search_results(page, f"{sample_url}search.html?q=Social Affairs") == []


def test_an_emergency_sheet_is_found_by_its_authority_s_name_and_does_not_crowd_out_entries(page, sample_url):
    found = [page_of(h) for h in search_results(page, f"{sample_url}search.html?q=דף חירום כרמיאל")]
    assert found[0] == "emergency/karmiel.html"
    assert page.inner_text("#search-results .kb-result h2 >> nth=0") == "דף חירום: כרמיאל"  # its title, not its address
    found = [page_of(h) for h in search_results(page, f"{sample_url}search.html?q=דפי החירום&kind=sheet")]
    sheets = ["emergency/karmiel.html", "emergency/kfar-yona.html", "emergency/merhavim.html"]
    assert sorted(found) == sheets
    # The sheets repeat their initiatives: a query for the subject ranks the entries that write about it first.
    found = [page_of(h) for h in search_results(page, f"{sample_url}search.html?q=חירום")]
    entries = [path for path in found if not path.startswith("emergency/")]
    assert "initiatives/western-galilee-resilience.html" in entries and found[: len(entries)] == entries
