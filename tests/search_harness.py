"""Shared by `tests/test_search_quality.py` and `benchmarks/search_quality.py`.

Serves a built site over HTTP (Pagefind cannot run from file://), opens the
search page in headless Chromium through Playwright, reads the result links in
rank order, and scores them against the query set in
`benchmarks/search_queries.yml`.

Scoring: a result is the page a result link points to (its path under the
site without ".html"; "#outcome-N" and other fragments are dropped), and
repeated links to the same page count once, at their first rank.  recall@10
is micro-averaged over (query, expected page) pairs: found pairs / all pairs.
A false hit is a (query, must_not page) pair whose page is in the top 10.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

import yaml
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_FILE = PROJECT_ROOT / "benchmarks" / "search_queries.yml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SEARCH_PAGE = "search.html"
RESULTS_SELECTOR = '#search-results[data-state="done"]'
RESULTS_TIMEOUT_MS = 15_000
TOP_K = 10

# Plain Pagefind, for comparison: a second index of the same HTML and a bare page that searches it.
PLAIN_INDEX_DIR = "_plain_pagefind"
PLAIN_SEARCH_PAGE = "_plain_search.html"
PLAIN_SEARCH_HTML = """<!doctype html>
<html lang="he" dir="rtl">
<head><meta charset="utf-8"><title>plain Pagefind</title></head>
<body>
<ol id="search-results"></ol>
<script type="module">
const box = document.getElementById("search-results");
const query = new URLSearchParams(location.search).get("q") || "";
try {
  const pagefind = await import("./PLAIN_INDEX_DIR/pagefind.js");
  await pagefind.options({ baseUrl: "/" });
  const search = await pagefind.search(query);
  const pages = await Promise.all(search.results.slice(0, 30).map((result) => result.data()));
  for (const data of pages) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    item.append(link);
    box.append(item);
  }
} catch (error) {
  box.dataset.error = String(error);
}
box.dataset.state = "done";
</script>
</body>
</html>
""".replace("PLAIN_INDEX_DIR", PLAIN_INDEX_DIR)


@dataclass(frozen=True)
class Case:
    """One query of the set: pages it must find (expect) and pages it must not (must_not)."""

    query: str
    expect: tuple[str, ...]
    must_not: tuple[str, ...]
    why: str
    category: str


def load_cases(path: Path = QUERIES_FILE) -> list[Case]:
    """The `queries` and `precision` lists of the YAML query set, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for section in ("queries", "precision"):
        for item in data.get(section) or []:
            cases.append(
                Case(
                    query=str(item["query"]),
                    expect=tuple(item.get("expect") or ()),
                    must_not=tuple(item.get("must_not") or ()),
                    why=str(item.get("why", "")),
                    category=str(item.get("category") or section),
                )
            )
    return cases


# --- serving -------------------------------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host would (wasm and scripts with their types), and logs nothing."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 at a free port; yields the base URL, ending in '/'."""
    with serve_with(site, QuietHandler) as (base, _):
        yield base


@contextlib.contextmanager
def serve_with(site: Path, handler_class: type[http.server.SimpleHTTPRequestHandler]) -> Iterator[tuple[str, Any]]:
    """Serve ``site`` with a handler of one's own (one that counts or records what it serves); yields the base URL
    and the server, where the handler may keep what it saw."""
    handler = functools.partial(handler_class, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="search-harness-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser ---------------------------------------------------------------------------------


class ChromiumMissing(RuntimeError):
    pass


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Debian Chromium driven by Playwright; raises `ChromiumMissing` with a clear message."""
    if not CHROMIUM.is_file():
        raise ChromiumMissing(f"Chromium is not installed at {CHROMIUM} (Debian package 'chromium'); the search tests need it")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            raise ChromiumMissing(f"Chromium at {CHROMIUM} did not start: {error}") from error
        try:
            yield browser
        finally:
            browser.close()


def search_url(base_url: str, query: str, facets: Mapping[str, str] | None = None, page: str = SEARCH_PAGE) -> str:
    return base_url + page + "?" + urlencode({"q": query, **(facets or {})})


def page_id(href: str, base_url: str) -> str | None:
    """'http://host/initiatives/x.html#outcome-2' → 'initiatives/x'; None for links that are not site pages."""
    url, base = urlsplit(href), urlsplit(base_url)
    if url.scheme not in ("http", "https") or url.netloc != base.netloc:
        return None
    path = unquote(url.path)
    if not path.startswith(base.path):
        return None
    path = path[len(base.path) :]
    if path == "" or path.endswith("/"):
        path += "index.html"
    if not path.endswith(".html") or path in (SEARCH_PAGE, PLAIN_SEARCH_PAGE):
        return None
    return path[: -len(".html")]


def result_links(page: Page, url: str, timeout_ms: int = RESULTS_TIMEOUT_MS) -> list[str]:
    """Open ``url``, wait for #search-results[data-state=done], return the hrefs of its links in order."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(RESULTS_SELECTOR, state="attached", timeout=timeout_ms)
    links: list[str] = page.eval_on_selector_all("#search-results a[href]", "links => links.map((a) => a.href)")
    return links


def ranked_pages(links: Sequence[str], base_url: str) -> list[str]:
    """Page ids of the links, in order, each page once."""
    seen: dict[str, None] = {}
    for href in links:
        pid = page_id(href, base_url)
        if pid is not None:
            seen.setdefault(pid)
    return list(seen)


def search(
    page: Page, base_url: str, query: str, facets: Mapping[str, str] | None = None, search_page: str = SEARCH_PAGE
) -> list[str]:
    """The ranked page ids the search page shows for ``query``."""
    return ranked_pages(result_links(page, search_url(base_url, query, facets, search_page)), base_url)


# --- plain Pagefind --------------------------------------------------------------------------------


async def _plain_index(site: Path, output: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(output))
    async with PagefindIndex(config=config) as index:
        indexed = await index.add_directory(str(site))
        await index.write_files(output_path=str(output))
    return int(indexed.get("page_count", 0))


def add_plain_pagefind(site: Path) -> int:
    """Index the built HTML with stock Pagefind into ``site/_plain_pagefind`` and add a bare search page.

    Returns the number of pages Pagefind indexed.
    """
    output = site / PLAIN_INDEX_DIR
    if output.exists():
        shutil.rmtree(output)
    (site / PLAIN_SEARCH_PAGE).unlink(missing_ok=True)
    pages = asyncio.run(_plain_index(site, output))
    (site / PLAIN_SEARCH_PAGE).write_text(PLAIN_SEARCH_HTML, encoding="utf-8")
    return pages


# --- scoring --------------------------------------------------------------------------------------


@dataclass
class CaseResult:
    case: Case
    ranked: list[str]
    error: str | None = None

    @property
    def top(self) -> list[str]:
        return self.ranked[:TOP_K]

    @property
    def missing(self) -> list[str]:
        return [pid for pid in self.case.expect if pid not in self.top]

    @property
    def false_hits(self) -> list[str]:
        return [pid for pid in self.case.must_not if pid in self.top]

    @property
    def failed(self) -> bool:
        return bool(self.missing or self.false_hits or self.error)


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)

    @property
    def expected_pairs(self) -> int:
        return sum(len(r.case.expect) for r in self.results)

    @property
    def found_pairs(self) -> int:
        return sum(len(r.case.expect) - len(r.missing) for r in self.results)

    @property
    def recall(self) -> float:
        """recall@10, micro-averaged over (query, expected page) pairs."""
        return self.found_pairs / self.expected_pairs if self.expected_pairs else 1.0

    @property
    def false_hit_count(self) -> int:
        return sum(len(r.false_hits) for r in self.results)

    @property
    def must_not_pairs(self) -> int:
        return sum(len(r.case.must_not) for r in self.results)

    @property
    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if r.failed]

    def by_category(self) -> dict[str, Report]:
        groups: dict[str, Report] = {}
        for result in self.results:
            groups.setdefault(result.case.category, Report()).results.append(result)
        return groups

    def describe_failures(self, limit: int | None = None) -> str:
        lines = []
        for r in self.failures[:limit]:
            parts = []
            if r.error:
                parts.append(f"error: {r.error}")
            if r.missing:
                parts.append("missing " + ", ".join(r.missing))
            if r.false_hits:
                parts.append("FALSE HITS " + ", ".join(r.false_hits))
            lines.append(f"  [{r.case.category}] {r.case.query!r}: {'; '.join(parts)}")
            lines.append(f"      top {TOP_K}: {', '.join(r.top) or '(none)'}")
        return "\n".join(lines)


def evaluate(cases: Sequence[Case], run: Callable[[str], list[str]]) -> Report:
    """Run every case through ``run(query) -> ranked page ids``; a failing run is recorded, not raised."""
    report = Report()
    for case in cases:
        try:
            report.results.append(CaseResult(case, run(case.query)))
        except PlaywrightError as error:  # includes timeouts
            report.results.append(CaseResult(case, [], error=str(error).splitlines()[0]))
    return report
