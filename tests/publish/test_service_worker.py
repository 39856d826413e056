"""The service worker in Chromium: it precaches past the HTTP cache, lists any file name, and a failed
install is reported on the page instead of passing in silence."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from bs4 import BeautifulSoup

from generator.build import build_site
from generator.publish import offline

from ..conftest import FIXED_EPOCH, SAMPLE_CONTENT
from ..search_harness import QuietHandler, serve, serve_with

NOTE = "שמירת האתר לשימוש ללא רשת נכשלה בדפדפן זה; העמודים ייטענו מהרשת."
CONSOLE_PREFIX = "Yozmot: the site could not be saved for offline use:"
DEEP_PAGE = "initiatives/karmiel-families-model.html"
ATTACHMENTS = {  # a file name → its text, each different so that a mix-up would show
    "תכנית עבודה 2024.pdf": "%PDF-1.4 plan 2024",
    "a%b.pdf": "%PDF-1.4 percent",
    "a%20b.pdf": "%PDF-1.4 percent-twenty, not a space",
    "c#d?e.pdf": "%PDF-1.4 hash and question mark",
    "line\nbreak.pdf": "%PDF-1.4 line break",
}
IN_CONTENT = "תכנית עבודה 2024.pdf"
"""The one of these names content/files may hold. Stage 1 refuses the others, but the worker must not
lean on that: they are added to the built site, and its worker written again."""
ODD = "assets/odd"
"""Where the odd names are put in a built site: a folder the worker precaches (attachments it keeps once opened)."""


def listed(site: Path) -> list[str]:
    """The SHELL list of the site's sw.js (what it precaches), as the worker reads it."""
    match = re.search(r"^const SHELL = (.*);$", (site / offline.WORKER).read_text(encoding="utf-8"), re.M)
    assert match, "sw.js has no SHELL list"
    return json.loads(match.group(1))


def offline_state(page, url: str) -> str:
    """Open ``url`` and wait until the page reports the worker's install, ready or failed."""
    page.goto(url)
    page.wait_for_selector("html[data-kb-offline]", state="attached", timeout=30_000)
    return page.evaluate("() => document.documentElement.dataset.kbOffline")


@contextlib.contextmanager
def opened(browser) -> Iterator[tuple[object, list[str]]]:
    """A fresh browser context (its own HTTP cache and workers) and its page's console errors."""
    context = browser.new_context(locale="he-IL")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    try:
        yield page, errors
    finally:
        context.close()


# --- what the build writes ---------------------------------------------------------------------------


def test_every_listed_name_is_url_encoded_and_names_a_file(tmp_path: Path):
    for name, text in ATTACHMENTS.items():
        (tmp_path / ODD).mkdir(parents=True, exist_ok=True)
        (tmp_path / ODD / name).write_text(text, encoding="utf-8")
    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    files = offline.write_worker(tmp_path)
    names = listed(tmp_path)
    assert names[0] == "./" and len(names) == len(files) + 1
    for name in names[1:]:
        assert re.fullmatch(r"(?:[A-Za-z0-9._~/-]|%[0-9A-F]{2})+", name), name  # nothing a URL would read otherwise
        assert (tmp_path / unquote(name)).is_file(), name


def test_pages_register_the_worker_from_a_file_not_an_inline_script(sample_site: Path):
    for page in sorted(sample_site.rglob("*.html")):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not [s for s in html.find_all("script") if "serviceWorker" in s.get_text()], page
        (script,) = [s for s in html.find_all("script", src=True) if s["src"].endswith("assets/kb-offline.js")]
        assert script.has_attr("defer"), page
    assert (sample_site / "assets" / "kb-offline.js").is_file()


# --- in Chromium ---------------------------------------------------------------------------------------


def test_a_good_site_reports_ready_and_registers_the_top_level_worker(sample_site: Path, browser):
    with serve(sample_site) as base, opened(browser) as (page, errors):
        # From a page one folder down: the worker is found from the script's address, not the page's.
        assert offline_state(page, base + DEEP_PAGE) == "ready"
        scope = page.evaluate("() => navigator.serviceWorker.ready.then((registration) => registration.scope)")
        assert scope == base
        assert NOTE not in page.inner_text("footer")
    assert errors == []


def test_from_disk_nothing_is_registered_and_nothing_reported(sample_site: Path, browser):
    with opened(browser) as (page, errors):
        page.goto((sample_site / DEEP_PAGE).as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("() => document.documentElement.dataset.kbOffline") is None
    # (The theme's own fetch of sitemap.xml fails from disk; the bundle leaves out what asks for it.)
    assert not [error for error in errors if CONSOLE_PREFIX in error or error.startswith("uncaught")], errors


@pytest.fixture(scope="module")
def oddly_named_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site with files whose names hold spaces, Hebrew, %, #, ? and a line break."""
    root = tmp_path_factory.mktemp("names")
    content, site = root / "content", root / "site"
    shutil.copytree(SAMPLE_CONTENT, content)
    (content / "files" / IN_CONTENT).write_text(ATTACHMENTS[IN_CONTENT], encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        build_site(content, site)
    assert (site / "files" / IN_CONTENT).is_file()
    (site / ODD).mkdir(parents=True)
    for name, text in ATTACHMENTS.items():
        (site / ODD / name).write_text(text, encoding="utf-8")
    offline.write_worker(site)
    return site


_CACHED = """async (names) => {
  const registration = await navigator.serviceWorker.ready;
  const keys = (await caches.keys()).filter((key) => key.startsWith("yozmot-"));
  const cache = await caches.open(keys[0]);
  const missing = [];
  const texts = {};
  for (const name of names) {
    const hit = await cache.match(new URL(name, registration.scope));
    if (!hit) missing.push(name);
    else if (name.startsWith("assets/odd/")) texts[name] = await hit.text();
  }
  return { state: registration.active.state, keys, missing, texts };
}"""


def test_files_with_any_name_are_precached(oddly_named_site: Path, browser):
    names = listed(oddly_named_site)
    with serve(oddly_named_site) as base, opened(browser) as (page, errors):
        assert offline_state(page, base + "index.html") == "ready"
        found = page.evaluate(_CACHED, names)
    assert errors == []
    assert found["state"] == "activated" and len(found["keys"]) == 1
    assert found["missing"] == []
    for name, text in ATTACHMENTS.items():  # each under its own name: "a%20b.pdf" is not "a b.pdf"
        assert found["texts"][f"{ODD}/" + quote(name)] == text, name


def test_attachments_are_not_precached_but_kept_once_opened(oddly_named_site: Path, browser):
    attachment = "files/" + quote(IN_CONTENT)
    assert attachment not in listed(oddly_named_site)  # a first visit does not download every attachment
    with serve(oddly_named_site) as base, opened(browser) as (page, errors):
        assert offline_state(page, base + "index.html") == "ready"
        before = page.evaluate(_CACHED, [attachment])
        page.reload()  # now controlled by the worker, whose fetch keeps what it answers from files/
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        assert page.evaluate(f"() => fetch({attachment!r}).then((r) => r.text())") == ATTACHMENTS[IN_CONTENT]
        after = page.evaluate(_CACHED.replace("assets/odd/", "files/"), [attachment])
    assert errors == []
    assert before["missing"] == [attachment] and after["missing"] == []
    assert after["texts"][attachment] == ATTACHMENTS[IN_CONTENT]


class _PagesLikeHandler(QuietHandler):
    """Serves like GitHub Pages (every response may be kept ten minutes) and records what is asked."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:
        self.server.asked.append((self.path, self.headers.get("Cache-Control")))
        super().do_GET()


@contextlib.contextmanager
def serve_like_pages(site: Path) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    with serve_with(site, _PagesLikeHandler) as (base, server):
        server.asked = []
        yield base, server.asked


def test_the_precache_asks_the_server_past_the_http_cache(sample_site: Path, browser):
    with serve_like_pages(sample_site) as (base, asked), opened(browser) as (page, errors):
        assert offline_state(page, base + "search.html") == "ready"
    assert errors == []
    reloaded = {path for path, cache_control in asked if cache_control == "no-cache"}
    assert {"/" + name.removeprefix("./") for name in listed(sample_site)} <= reloaded
    # The page itself was in the HTTP cache (max-age=600) and still the worker asked for it again.
    assert [cache_control for path, cache_control in asked if path == "/search.html"] == [None, "no-cache"]
    assert "/" + DEEP_PAGE not in {path for path, _ in asked}  # a page never opened is not downloaded


@pytest.fixture
def broken_site(sample_site: Path, tmp_path: Path) -> Path:
    """The sample site with a file that its worker lists, missing: the install's addAll gets a 404."""
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    (site / "search.html").unlink()
    assert "search.html" in listed(site)
    return site


_RECORD_MESSAGES = """window.kbWorkerMessages = [];
navigator.serviceWorker.addEventListener("message", (event) => window.kbWorkerMessages.push(event.data));"""


def test_a_failed_install_is_reported_on_the_page(broken_site: Path, browser):
    with serve(broken_site) as base, opened(browser) as (page, errors):
        page.context.add_init_script(_RECORD_MESSAGES)
        assert offline_state(page, base + DEEP_PAGE) == "failed"
        # The worker itself tells the open pages why its install failed, and the page logs that reason.
        page.wait_for_function("() => window.kbWorkerMessages.length > 0")
        (message,) = page.evaluate("() => window.kbWorkerMessages")
        assert message["kbOffline"] == "failed" and "addAll" in message["reason"]
        footer = page.locator("footer")
        assert footer.locator(".kb-offline-failed").inner_text() == NOTE
        assert footer.locator(".kb-offline-failed").is_visible()
        assert page.locator(".kb-offline-failed").count() == 1
    assert errors and all(error.startswith(CONSOLE_PREFIX) for error in errors), errors
    assert any(message["reason"] in error for error in errors), errors


# --- a first visit keeps the shell; pages as they are opened; the rest on request ----------------------------

_CACHE_KEYS = """async () => {
  const names = (await caches.keys()).filter((key) => key.startsWith("yozmot-"));
  const cache = await caches.open(names[0]);
  return { names, keys: (await cache.keys()).map((request) => new URL(request.url).pathname) };
}"""


_ALL_SAVED = "() => document.getElementById('kb-save-status').textContent.includes('כל האתר שמור')"


def _ready_and_controlled(page, url: str) -> None:
    assert offline_state(page, url) == "ready"
    page.reload()  # now controlled by the worker, which keeps what it answers
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def _cached(page) -> set[str]:
    """The files in the worker's one cache, as paths of the site (served at the server's top)."""
    found = page.evaluate(_CACHE_KEYS)
    assert len(found["names"]) == 1, found["names"]
    return {unquote(path.lstrip("/")) for path in found["keys"]}


def _offline_page(page, url: str) -> str:
    page.goto(url)
    return page.text_content("body") or ""


def test_a_first_visit_keeps_only_the_shell_then_each_page_opened(sample_site: Path, browser):
    shell = {name for name in listed(sample_site) if name != "./"}
    listing = json.loads((sample_site / offline.LIST).read_text(encoding="utf-8"))
    assert [name for name, _, _ in listing["files"][: listing["shell"]]] == sorted(shell)
    assert DEEP_PAGE not in shell and "search.html" in shell and "index.html" in shell
    assert not any(name.endswith(".map") or "/lunr/" in name for name, _, _ in listing["files"])
    with serve(sample_site) as base, opened(browser) as (page, errors):
        _ready_and_controlled(page, base + "index.html")
        first = _cached(page)
        assert {unquote(name) for name in shell} <= first and DEEP_PAGE not in first
        assert first - {unquote(name) for name in shell} <= {"", "sitemap.xml"}  # what the home page loaded; no list
        page.goto(base + DEEP_PAGE)
        page.goto(base + "search.html?q=משפחות")
        page.wait_for_selector('#search-results[data-state="done"] a', timeout=20_000)
        searched = page.locator("#search-results a").count()
        page.context.set_offline(True)
        assert "מודל" in _offline_page(page, base + DEEP_PAGE)  # opened once: kept
        assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
        page.goto(base + "search.html?q=משפחות")  # searched once: its index chunks and fragments were kept
        page.wait_for_selector('#search-results[data-state="done"] a', timeout=20_000)
        assert page.locator("#search-results a").count() == searched
        never = "initiatives/national-rights-tool.html"
        assert "עוד לא נשמר במכשיר" in _offline_page(page, base + never)  # never opened: a note, not an error page
        page.goto(base + "search.html?q=קואצינג")  # never searched: its files are not here, and the page says so
        page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)
        assert "אין עכשיו חיבור לרשת" in page.text_content("#kb-search-status")
    # Offline, the browser logs each file it could not load; nothing else goes wrong (no uncaught error).
    assert all(error.startswith("Failed to load resource") for error in errors), errors


def test_saving_the_site_shows_its_size_downloads_the_rest_resumes_and_frees_the_space(sample_site: Path, browser):
    listing = json.loads((sample_site / offline.LIST).read_text(encoding="utf-8"))
    everything = {unquote(name) for name, _, _ in listing["files"]}
    with serve(sample_site) as base, opened(browser) as (page, errors):
        _ready_and_controlled(page, base + "index.html")
        page.wait_for_selector("#kb-save:not([hidden])", timeout=20_000)
        assert "מ״ב" not in page.text_content("#kb-save-status")  # the list of files is read on request only
        page.click("#kb-save-start")  # first its size
        page.wait_for_function("() => document.getElementById('kb-save-start').textContent.includes('מ״ב')")
        assert "מ״ב" in page.text_content("#kb-save-status")
        page.click("#kb-save-start")
        page.wait_for_function(_ALL_SAVED, timeout=60_000)
        assert not page.is_visible("#kb-save-start") and page.is_visible("#kb-save-clear")
        assert everything <= _cached(page)
        page.context.set_offline(True)
        assert "כלי" in _offline_page(page, base + "initiatives/national-rights-tool.html")  # never opened, saved
        page.goto(base + "search.html?q=זכויות")
        page.wait_for_selector('#search-results[data-state="done"] a', timeout=20_000)
        page.context.set_offline(False)
        page.goto(base + "index.html")
        page.wait_for_selector("#kb-save:not([hidden])", timeout=20_000)
        page.click("#kb-save-start")
        page.wait_for_selector("#kb-save-clear:not([hidden])")
        page.click("#kb-save-clear")
        page.wait_for_function("() => document.getElementById('kb-save-status').textContent.includes('המקום פונה')")
        shell = {unquote(name) for name, _, _ in listing["files"][: listing["shell"]]}
        assert _cached(page) - {"", offline.LIST, "sitemap.xml"} == shell
        assert page.is_visible("#kb-save-start")
    assert errors == []


def test_a_new_version_keeps_what_was_saved_unless_its_bytes_changed(sample_site: Path, tmp_path: Path, browser):
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    with serve(site) as base, opened(browser) as (page, errors):
        _ready_and_controlled(page, base + "index.html")
        page.wait_for_selector("#kb-save:not([hidden])", timeout=20_000)
        page.click("#kb-save-start")
        page.wait_for_function("() => document.getElementById('kb-save-start').textContent.includes('מ״ב')")
        page.click("#kb-save-start")
        page.wait_for_function(_ALL_SAVED, timeout=60_000)
        # A new build: one page changed, the worker and its list written again.
        changed = site / "about.html"
        changed.write_text(changed.read_text(encoding="utf-8").replace("</article>", "<p>עודכן</p></article>"), encoding="utf-8")
        offline.write_worker(site)
        version = json.loads((site / offline.LIST).read_text(encoding="utf-8"))["version"]
        page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
        for _ in range(600):  # until the new worker has activated and dropped the old cache
            if page.evaluate("() => caches.keys()") == [f"yozmot-{version}"]:
                break
            page.wait_for_timeout(100)
        cached = _cached(page)
        page.goto(base + "index.html")
        page.wait_for_selector("#kb-save:not([hidden])", timeout=20_000)
        page.click("#kb-save-start")
        page.wait_for_function("() => document.getElementById('kb-save-start').textContent.includes('מ״ב')")
        status = page.text_content("#kb-save-status")
    everything = {unquote(name) for name, _, _ in json.loads((site / offline.LIST).read_text(encoding="utf-8"))["files"]}
    assert everything - cached == {"about.html"}  # the changed page only is to be fetched again
    assert "כל האתר שמור" not in status  # the panel offers to fetch the changed page
    assert errors == []


def test_a_page_kept_once_opened_is_asked_of_the_server_not_the_http_cache(sample_site: Path, browser):
    with serve_like_pages(sample_site) as (base, asked), opened(browser) as (page, errors):
        _ready_and_controlled(page, base + "index.html")
        page.goto(base + DEEP_PAGE)
    assert errors == []
    # The worker's request revalidates with the server (max-age=600 would let the browser answer with old bytes).
    assert [cache_control for path, cache_control in asked if path == "/" + DEEP_PAGE] not in ([], [None])


def test_a_pages_hash_for_saving_leaves_out_when_it_was_built(tmp_path: Path):
    page = '<html><body><p>תוכן</p><div class="kb-build-info">נבנה ב-{} מגרסה {}</div></body></html>'
    (tmp_path / "index.html").write_text(page.format(1, "aaa"), encoding="utf-8")
    offline.write_worker(tmp_path)
    first = json.loads((tmp_path / offline.LIST).read_text(encoding="utf-8"))
    (tmp_path / "index.html").write_text(page.format(2, "bbb"), encoding="utf-8")
    offline.write_worker(tmp_path)
    second = json.loads((tmp_path / offline.LIST).read_text(encoding="utf-8"))
    assert first["files"] == second["files"]  # a saved copy of the page is kept by the next version
    assert first["version"] != second["version"]  # which is still a new version of the site
    (tmp_path / "index.html").write_text(page.format(2, "bbb").replace("תוכן", "אחר"), encoding="utf-8")
    offline.write_worker(tmp_path)
    assert json.loads((tmp_path / offline.LIST).read_text(encoding="utf-8"))["files"] != second["files"]
