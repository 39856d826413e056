"""The search at scale: its data's size, what the first query downloads over HTTP, and how long a query takes
from a downloaded folder (file://), at N synthetic initiatives.

The content is `build_scale.py`'s (the real content and N synthetic initiatives), with each body given forty
words drawn from hspell's lexicon as well, so that the site's vocabulary grows as a real one does (the
synthetic sentences alone repeat a few hundred words). The real pipeline builds it; then, in headless
Chromium with an empty cache:

* over HTTP (a local server), each query of QUERIES opened as the first search of a fresh browser context:
  the bytes of every response it needed (the page, its scripts, Pagefind's files, the lexicon's), as served
  and as gzip would serve them (GitHub Pages and most servers compress);
* from file://, the same queries typed into the search page opened from disk: milliseconds until the
  results are shown, for the first query (which loads the index's files) and for the next ones.

Run: ``.venv/bin/python benchmarks/search_scale.py --sizes 10000`` (about four minutes at 10,000).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ["SOURCE_DATE_EPOCH"] = "1767225600"

from benchmarks import build_scale  # noqa: E402
from generator import lexicon  # noqa: E402
from generator.build import build_site  # noqa: E402
from tests import search_harness as harness  # noqa: E402

QUERIES = ["משפחות", "ובמשפחות", "ביטוח לאומי", "התנדבות", "עמוטה", "קשישים", "חֵרוּם", "רשויות מקומיות"]
EXTRA_WORDS = 40


def enrich(content: Path, seed: int = 7) -> None:
    """Add words of the lexicon to each synthetic body: a vocabulary that grows with the content."""
    rng = random.Random(seed)
    forms = sorted(form for form, raw in lexicon.lexicon().forms.items() if raw.split(" ")[1] in "01" and '"' not in form)
    for path in sorted((content / "initiatives").glob("bench-*.md")):
        words = " ".join(rng.choice(forms) for _ in range(EXTRA_WORDS))
        path.write_text(path.read_text(encoding="utf-8") + f"\n\n## עוד\n\n{words}.\n", encoding="utf-8")


def folder_bytes(folder: Path) -> tuple[int, int, int]:
    """Files, bytes, and bytes gzipped one by one."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    raw = sum(path.stat().st_size for path in files)
    packed = sum(len(gzip.compress(path.read_bytes(), 6)) for path in files)
    return len(files), raw, packed


PARTS = [
    ("pagefind index chunks", "/pagefind/index/"),
    ("pagefind filter chunks", "/pagefind/filter/"),
    ("pagefind fragments", "/pagefind/fragment/"),
    ("pagefind meta", ".pf_meta"),
    ("pagefind wasm and js", "/pagefind/"),
    ("lexicon and synonyms", "/pagefind/kb/"),
    ("page, theme, scripts", ""),
]
"""What a first query downloads, by part: the first pattern a response's address holds names its part."""


def part_of(url: str) -> str:
    return next(name for name, pattern in PARTS if pattern in url and not (pattern == "/pagefind/" and "/kb/" in url))


def first_query_bytes(site: Path, query: str) -> tuple[int, int, int, dict[str, int]]:
    """Requests, bytes and gzipped bytes that a first search for ``query`` downloads with an empty cache, and
    the gzipped bytes by part (`PARTS`)."""
    sizes: list[tuple[int, int]] = []
    parts: dict[str, int] = {}
    with harness.serve(site) as base, harness.chromium() as browser:
        context = browser.new_context(service_workers="block")
        page = context.new_page()

        def counted(response) -> None:
            try:
                body = response.body()
            except Exception:  # a redirect or an aborted request has no body
                return
            sizes.append((len(body), len(gzip.compress(body, 6))))
            parts[part_of(response.url)] = parts.get(part_of(response.url), 0) + sizes[-1][1]

        page.on("response", counted)
        page.goto(f"{base}{harness.SEARCH_PAGE}?q={quote(query)}")
        page.wait_for_selector(harness.RESULTS_SELECTOR, state="attached", timeout=60_000)
        page.wait_for_load_state("networkidle")
        context.close()
    return len(sizes), sum(raw for raw, _ in sizes), sum(packed for _, packed in sizes), parts


def file_query_times(site: Path, queries: list[str]) -> list[tuple[float, int]]:
    """The bytes the search page opened from disk reads as it opens (with 0 ms), then for each query typed into it:
    milliseconds until its results are shown, and the bytes of the files it read that nothing before it had."""
    out = []
    read: set[str] = set()
    with harness.chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda request: read.add(request.url) if request.url.startswith("file://") else None)
        page.goto((site / harness.SEARCH_PAGE).as_uri())
        page.wait_for_selector(harness.RESULTS_SELECTOR, state="attached", timeout=60_000)
        counted = set(read)
        size_of = lambda urls: sum(Path(unquote(urlparse(url).path)).stat().st_size for url in urls)  # noqa: E731
        out.append((0.0, size_of(counted)))
        for query in queries:
            page.evaluate("() => { document.getElementById('search-results').dataset.state = 'typing'; }")
            started = time.perf_counter()
            page.fill("#kb-q", query + " ")  # a trailing space: the last word is complete, searched at once after the pause
            page.wait_for_selector(harness.RESULTS_SELECTOR, state="attached", timeout=60_000)
            took = (time.perf_counter() - started) * 1000 - 250  # the page waits 250 ms for typing to pause
            new = read - counted
            counted |= new
            out.append((took, size_of(new)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it (content/ and site/ of each size)")
    parser.add_argument("--reuse", action="store_true", help="with --keep: measure the site already there, unbuilt")
    args = parser.parse_args(argv)
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix="yozmot-search-") as tmp:
            folder = args.keep / str(count) if args.keep else Path(tmp)
            content, site = folder / "content", folder / "site"
            if not (args.reuse and site.is_dir()):
                shutil.rmtree(folder, ignore_errors=True)
                build_scale.make_content(content, count)
                enrich(content)
                started = time.perf_counter()
                result = build_site(content, site)
                print(f"\n{count:,} initiatives: {result.entries:,} entries built in {time.perf_counter() - started:.1f} s")
            data = site / "pagefind" / "kb"
            print(f"{'files':<22}{'count':>7}{'MB':>9}{'MB gzip':>9}")
            for name, folder in [
                ("lexicon/", data / "lexicon"),
                ("near/ (did you mean)", data / "near"),
                ("fallback/", data / "fallback"),
                ("pagefind (all)", site / "pagefind"),
            ]:
                files, raw, packed = folder_bytes(folder)
                print(f"{name:<22}{files:>7}{raw / 1e6:>9.2f}{packed / 1e6:>9.2f}")
            for name in ("latin.js", "synonyms.js"):
                path = data / name
                raw, packed = path.stat().st_size, len(gzip.compress(path.read_bytes(), 6))
                print(f"{name:<22}{1:>7}{raw / 1e6:>9.2f}{packed / 1e6:>9.2f}")
            shards = sorted((len(gzip.compress(p.read_bytes(), 6)), p.name) for p in (data / "lexicon").iterdir())
            print(f"largest lexicon file: {shards[-1][1]}, {shards[-1][0] / 1e3:.0f} KB gzipped")
            print(f"\nfirst query over HTTP, empty cache{'':<4}{'requests':>9}{'KB':>8}{'KB gzip':>9}{'of it not the page':>20}")
            by_part: dict[str, list[int]] = {}
            for query in QUERIES:
                requests, raw, packed, parts = first_query_bytes(site, query)
                # The page, its theme and scripts are what any page of the site loads (cached after the first).
                beyond = packed - parts.get(PARTS[-1][0], 0)
                print(f"  {query:<36}{requests:>9}{raw / 1e3:>8.0f}{packed / 1e3:>9.0f}{beyond / 1e3:>20.0f}")
                for name, _ in PARTS:
                    by_part.setdefault(name, []).append(parts.get(name, 0))
            print("\nKB gzipped by part, smallest and largest over the queries:")
            for name, values in by_part.items():
                print(f"  {name:<36}{min(values) / 1e3:>8.0f}{max(values) / 1e3:>9.0f}")
            times = file_query_times(site, QUERIES)
            print("\nfrom file://, each query in turn: ms until the results are shown, and MB it read from disk")
            print(f"  {'(the page, as it opens)':<36}{'':>8}{times[0][1] / 1e6:>9.2f}")
            for query, (took, size) in zip(QUERIES, times[1:], strict=True):
                print(f"  {query:<36}{took:>8.0f}{size / 1e6:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
