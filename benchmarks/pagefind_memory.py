"""Pagefind's own time and peak memory on the pages the index stage gives it, with and without their keys.

For each size N, `build_scale.py`'s content (the real content and N synthetic initiatives) is rendered,
read into records and keys as the index stage reads them (`generator.publish.search_index`), and its
pages are staged as that stage stages them; then the Pagefind binary the build uses indexes the folder,
once as staged and once with the ``keys`` metadata left out, in a process of its own whose peak resident
memory is read from the kernel. It shows what part of the build's peak memory is Pagefind's, and how it
grows with the pages. Run: ``.venv/bin/python benchmarks/pagefind_memory.py --sizes 2500 10000``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ["SOURCE_DATE_EPOCH"] = "1767225600"

from pagefind_bin_extended import get_executable  # noqa: E402

from benchmarks.build_scale import make_content  # noqa: E402
from generator.build import render_docs  # noqa: E402
from generator.publish import search_index  # noqa: E402

KEYS = re.compile(r'<meta data-pagefind-meta="keys:[^"]*">')


def stage(count: int, folder: Path) -> int:
    """The index stage's pages for Pagefind, in ``folder``; returns how many."""
    content = folder / "content"
    make_content(content, count)
    graph, docs, _ = render_docs(content)
    items = search_index.records(graph, docs)
    site = search_index.site_keys(graph, items)
    staged = 0
    for item, keyed in zip(items, site.records, strict=True):
        if item.html is None:
            continue  # forum outcomes: records the index adds through Pagefind's API
        page = search_index._with_additions(item, keyed.terms())
        for target, text in ((folder / "keys" / item.url, page), (folder / "bare" / item.url, KEYS.sub("", page))):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        staged += 1
    return staged


_MEASURED = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
"""A Python process of its own runs Pagefind, so that the peak the kernel reports is that one run's."""


def run_pagefind(site: Path, output: Path) -> tuple[float, float]:
    """Seconds and peak resident MB of one Pagefind run over ``site``."""
    command = [str(get_executable()), "--site", str(site), "--output-path", str(output), "--force-language", "he"]
    started = time.perf_counter()
    peak = subprocess.run([sys.executable, "-c", _MEASURED, *command], check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - started, int(peak) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 10000], help="numbers of initiatives to add")
    args = parser.parse_args(argv)
    print(f"{'N':>6}  {'pages':>6}  {'as staged s':>11}  {'MB':>6}  {'KB/page':>7}  {'no keys s':>9}  {'MB':>6}  {'KB/page':>7}")
    for count in sorted(args.sizes):
        with tempfile.TemporaryDirectory(prefix="yozmot-pagefind-") as tmp:
            folder = Path(tmp)
            pages = stage(count, folder)
            bare_s, bare_mb = run_pagefind(folder / "bare", folder / "out-bare")
            keys_s, keys_mb = run_pagefind(folder / "keys", folder / "out-keys")
        print(
            f"{count:>6}  {pages:>6}  {keys_s:>11.1f}  {keys_mb:>6.0f}  {keys_mb * 1024 / pages:>7.0f}"
            f"  {bare_s:>9.1f}  {bare_mb:>6.0f}  {bare_mb * 1024 / pages:>7.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
