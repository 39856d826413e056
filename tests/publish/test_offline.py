"""The offline bundle: unzipped and opened from disk, the site works with no request anywhere else."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from generator.build import build_site

from ..conftest import FIXED_EPOCH, SAMPLE_CONTENT


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        root = tmp_path_factory.mktemp("offline")
        build_site(SAMPLE_CONTENT, root / "site")
    (bundle,) = (root / "dist").glob("yozmot-offline-*.zip")
    assert bundle.name == "yozmot-offline-2026-01-01.zip"
    target = root / "unzipped"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(target)
    return target / "yozmot-offline-2026-01-01"


def test_the_bundle_is_published_and_linked(sample_site: Path):
    download = "downloads/yozmot-offline-2026-01-01.zip"
    assert (sample_site / download).is_file()
    assert f'href="{download}"' in (sample_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{download}"' in (sample_site / "about.html").read_text(encoding="utf-8")


def test_the_bundle_unpacks_into_one_folder_that_opens_at_index_html(unzipped: Path):
    assert [path.name for path in unzipped.parent.iterdir()] == [unzipped.name]
    assert (unzipped / "index.html").is_file()
    assert not (unzipped / "downloads").exists()  # the zip does not contain itself


def test_every_page_from_disk_loads_styled_with_no_outside_request(unzipped: Path, browser):
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []
    outside: list[str] = []

    def on_failure(request) -> None:
        local = Path(request.url.removeprefix("file://").split("#")[0].split("?")[0])
        # A request the next navigation cancels (the favicon, often) is not a missing file.
        if not (request.failure == "net::ERR_ABORTED" and local.is_file()):
            failed.append(f"{request.url}: {request.failure}")

    page.on("requestfailed", on_failure)
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith("file://") else None)
    pages = sorted(unzipped.rglob("*.html"))
    for html in pages:
        page.goto(html.as_uri())
        styled = page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position")
        assert styled in ("sticky", "fixed"), f"{html} is not styled"
    context.close()
    assert not failed, failed[:5]
    assert not outside, outside[:5]


def test_home_links_open_files(unzipped: Path, browser):
    page = browser.new_page()
    page.goto((unzipped / "index.html").as_uri())
    hrefs = page.eval_on_selector_all("article a[href]", "links => links.map(a => a.href)")
    page.close()
    local = [h for h in hrefs if h.startswith("file://")]
    assert local, hrefs
    for href in local:
        path = Path(href.removeprefix("file://").split("#")[0])
        assert path.is_file(), f"the home page links to {href}, which is not a file"


SEARCHES = [
    "q=משפחות",
    "q=במשפחות",
    "q=ולמשפחות",
    "q=כרמיאל",
    "q=חירום",
    "q=ארגון",
    "q=מנכ״ל",
    "q=משפחות&kind=forum",
    "topic=poverty",
    "q=שלוםעולםזהאינומילה",
]


def test_search_from_disk_shows_what_the_served_site_shows(unzipped: Path, browser):
    from ..search_harness import serve

    def shown(page, url: str) -> tuple[list[str], str]:
        page.goto(url)
        page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)
        links = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")
        return links, page.text_content("#kb-search-status")

    page = browser.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    found = 0
    with serve(unzipped) as base:
        for search in SEARCHES:
            from_disk = shown(page, f"{(unzipped / 'search.html').as_uri()}?{search}")
            served = shown(page, f"{base}search.html?{search}")
            assert from_disk == served, search
            found += len(from_disk[0])
    page.close()
    assert not [url for url in failed if url.startswith("file://")]
    assert found >= 10  # the comparison is over real results, not empty lists


def test_a_query_from_disk_reads_only_the_parts_of_the_index_it_needs(unzipped: Path, browser):
    page = browser.new_page()
    read: list[str] = []
    page.on(
        "request", lambda request: read.append(request.url.split("/pagefind/kb/")[-1]) if "/pagefind/kb/" in request.url else None
    )
    page.goto((unzipped / "search.html").as_uri())
    page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)
    assert read == ["fallback/order.js"]  # as it opens: each record's place in the order, nothing else
    page.fill("#kb-q", "משפחות ")
    page.wait_for_selector('#search-results[data-state="done"] a', timeout=20_000)
    shown = page.locator("#search-results a").count()
    texts = [name for name in read if name.startswith("fallback/text-")]
    assert 1 <= len(texts) <= shown  # the texts of the results shown, in blocks of ten
    parts = {name.split("-")[0].split("/")[0] if "/" in name else name for name in read}
    assert parts <= {"fallback", "lexicon", "forms", "shards.js", "synonyms.js"}, read
    assert {name for name in read if name.startswith("fallback/")} - set(texts) <= {
        "fallback/order.js",
        "fallback/filters.js",
    } | {name for name in read if name.startswith(("fallback/keys-", "fallback/words-"))}
    assert not (unzipped / "pagefind" / "kb" / "fallback" / "records.js").exists()  # no file of every record
    page.close()


def test_a_result_opened_from_disk_is_a_file(unzipped: Path, browser):
    page = browser.new_page()
    page.goto(f"{(unzipped / 'search.html').as_uri()}?q=כרמיאל")
    page.wait_for_selector('#search-results[data-state="done"] a', timeout=20_000)
    page.click("#search-results a")
    page.wait_for_load_state()
    assert page.url.startswith("file://") and Path(page.url.removeprefix("file://").split("#")[0]).is_file()
    page.close()


def test_the_manifest_names_the_site_in_hebrew(sample_site: Path):
    import json

    manifest = json.loads((sample_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["lang"] == "he" and manifest["dir"] == "rtl" and "יוזמות" in manifest["name"]
    for icon in manifest["icons"]:
        assert (sample_site / icon["src"]).read_bytes().startswith(b"\x89PNG")
    assert 'rel="manifest"' in (sample_site / "about.html").read_text(encoding="utf-8")


def test_hebrew_search_from_disk_finds_the_expected_entries(unzipped: Path, browser):
    page = browser.new_page()
    # The sample writes "משפחות", "המשפחות" and "במשפחות"; a query with another prefix finds them all.
    page.goto(f"{(unzipped / 'search.html').as_uri()}?q=ולמשפחות")
    page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)
    found = {h.split("#")[0] for h in page.eval_on_selector_all("#search-results a", "a => a.map(x => x.getAttribute('href'))")}
    page.close()
    assert {"initiatives/karmiel-families-model.html", "forums/karmiel-round-table.html"} <= found
