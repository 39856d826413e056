"""What a first visit downloads, and what "save the site" would: the real content and N synthetic initiatives.

A first visit over HTTP opens the home page in a fresh headless Chromium (its own cache, service workers on) and
waits until the service worker has installed (the page reports ``data-kb-offline="ready"``). The local server
counts every byte it sends, the page's and the worker's, as served and as gzip would serve them (GitHub Pages
and most servers compress). Beside it: the site's bytes, what offline.json lists for "save the site", the shell
the worker precaches, and the offline zip.

Run: ``.venv/bin/python benchmarks/offline_scale.py --sizes 0 2000 10000`` (0: the real content alone;
about four minutes at 10,000). ``--site DIR`` measures a site already built instead.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ["SOURCE_DATE_EPOCH"] = "1767225600"

from benchmarks import build_scale  # noqa: E402
from generator.build import build_site  # noqa: E402
from generator.publish import offline  # noqa: E402
from tests import search_harness as harness  # noqa: E402


class _Counting(harness.QuietHandler):
    """Serves the site and adds each file's bytes, and its gzipped bytes, to the server's tally."""

    def copyfile(self, source, outputfile) -> None:  # type: ignore[override]
        body = source.read()
        self.server.sent.append((self.path, len(body), len(gzip.compress(body, 6))))
        outputfile.write(body)


@contextlib.contextmanager
def counting_server(site: Path) -> Iterator[tuple[str, list[tuple[str, int, int]]]]:
    with harness.serve_with(site, _Counting) as (base, server):
        server.sent = []
        yield base, server.sent


def first_visit(site: Path) -> tuple[int, int, int, float]:
    """Requests, bytes and gzipped bytes a first visit to the home page downloads, the worker's install included,
    and the seconds until the worker is ready."""
    with counting_server(site) as (base, sent), harness.chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        started = time.perf_counter()
        page.goto(base + "index.html")
        page.wait_for_selector("html[data-kb-offline]", state="attached", timeout=300_000)
        took = time.perf_counter() - started
        state = page.evaluate("() => document.documentElement.dataset.kbOffline")
        context.close()
    if state != "ready":
        raise SystemExit(f"the service worker did not install: {state}")
    return len(sent), sum(raw for _, raw, _ in sent), sum(packed for _, _, packed in sent), took


def folder_bytes(site: Path) -> int:
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


def report(label: str, site: Path) -> None:
    listed = json.loads((site / offline.LIST).read_text(encoding="utf-8"))
    files = listed["files"]
    shell = sum(size for _, size, _ in files[: listed["shell"]])
    everything = sum(size for _, size, _ in files)
    zips = sorted((site / "downloads").glob("*.zip"))
    requests, raw, packed, took = first_visit(site)
    print(f"\n{label}")
    count = sum(1 for path in site.rglob("*") if path.is_file())
    print(f"  site                      {folder_bytes(site) / 1e6:>9.1f} MB in {count:,} files")
    print(f"  shell (precached)         {shell / 1e6:>9.2f} MB in {listed['shell']:,} files")
    print(f"  'save the site' lists     {everything / 1e6:>9.1f} MB in {len(files):,} files")
    if zips:
        print(f"  offline zip               {zips[0].stat().st_size / 1e6:>9.1f} MB")
    print(f"  first visit               {raw / 1e6:>9.2f} MB, {packed / 1e6:.2f} MB gzipped, {requests} requests", end="")
    print(f", the worker ready in {took:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 2000, 10_000])
    parser.add_argument("--site", type=Path, help="measure this built site instead of building")
    args = parser.parse_args(argv)
    if args.site:
        report(str(args.site), args.site)
        return 0
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix="yozmot-offline-") as tmp:
            content, site = Path(tmp) / "content", Path(tmp) / "site"
            build_scale.make_content(content, count)
            result = build_site(content, site)
            report(f"{count:,} synthetic initiatives ({result.entries:,} entries)", site)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
