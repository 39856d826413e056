"""Search quality on the real content: our search page next to plain Pagefind.

Builds the content into a temporary site with the real pipeline
(`generator.build.build_site`), serves it on 127.0.0.1, and runs every query of
`benchmarks/search_queries.yml` twice in headless Chromium:

* ours: ``search.html?q=<query>``, the site's search page and its index;
* plain: stock Pagefind over the same built HTML (a second index written by the
  Pagefind Python API into ``_plain_pagefind/``), searched with the raw query by a
  bare page, ``_plain_search.html``.

Reported per category and overall: recall@10, micro-averaged over (query,
expected page) pairs (found pairs / all pairs), and false hits (must_not pages
in the top 10); then every query that failed, with its top 10.  Results are
pages: "forums/x.html#outcome-2" counts as forums/x, each page once, at its
first rank.  A measurement, so it exits 0 whatever the numbers.

Run: ``.venv/bin/python benchmarks/search_quality.py [--content DIR] [--queries FILE]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01, as in the tests

from generator.build import build_site  # noqa: E402
from tests import search_harness as harness  # noqa: E402

ENGINES = ("ours", "plain")


def fmt_recall(report: harness.Report | None) -> str:
    if report is None:
        return "n/a"
    return f"{report.recall:.3f} ({report.found_pairs}/{report.expected_pairs})"


def fmt_false(report: harness.Report | None) -> str:
    if report is None:
        return "n/a"
    return f"{report.false_hit_count}/{report.must_not_pairs}"


def table(reports: dict[str, harness.Report | None]) -> str:
    base = next(r for r in reports.values() if r is not None)
    categories = list(base.by_category())
    header = ["category", "queries", "ours recall@10", "plain recall@10", "ours false", "plain false"]
    rows = []
    for category in categories + ["ALL"]:
        split = {
            name: (report if category == "ALL" else report.by_category()[category]) if report is not None else None
            for name, report in reports.items()
        }
        some = next(r for r in split.values() if r is not None)
        rows.append(
            [
                category,
                str(len(some.results)),
                fmt_recall(split["ours"]),
                fmt_recall(split["plain"]),
                fmt_false(split["ours"]),
                fmt_false(split["plain"]),
            ]
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        if row[0] == "ALL":
            lines.append("  ".join("-" * width for width in widths))
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=PROJECT_ROOT / "content", help="content folder to build")
    parser.add_argument("--queries", type=Path, default=harness.QUERIES_FILE, help="YAML query set")
    args = parser.parse_args(argv)

    cases = harness.load_cases(args.queries)
    print(f"{len(cases)} queries from {args.queries}; content {args.content}", flush=True)
    with tempfile.TemporaryDirectory(prefix="yozmot-search-") as tmp:
        site = Path(tmp) / "site"
        started = time.perf_counter()
        build_site(args.content.resolve(), site)
        print(f"built the site in {time.perf_counter() - started:.1f} s", flush=True)
        has_search = (site / harness.SEARCH_PAGE).is_file() and (site / "pagefind" / "pagefind.js").is_file()
        if not has_search:
            print(f"NOTE: the build has no {harness.SEARCH_PAGE} with pagefind/; only plain Pagefind is measured", flush=True)
        started = time.perf_counter()
        indexed = harness.add_plain_pagefind(site)
        print(f"plain Pagefind indexed {indexed} pages in {time.perf_counter() - started:.1f} s", flush=True)

        reports: dict[str, harness.Report | None] = {"ours": None, "plain": None}
        timings: dict[str, float] = {}
        with harness.serve(site) as base_url, harness.chromium() as browser:
            page = browser.new_page()
            targets = {"ours": harness.SEARCH_PAGE, "plain": harness.PLAIN_SEARCH_PAGE}
            for name in ENGINES:
                if name == "ours" and not has_search:
                    continue
                target = targets[name]
                started = time.perf_counter()
                reports[name] = harness.evaluate(cases, lambda q, t=target: harness.search(page, base_url, q, search_page=t))
                timings[name] = time.perf_counter() - started
            page.close()

    print()
    print(f"recall@{harness.TOP_K}: micro-average over (query, expected page) pairs (found/all)")
    print(f"false: (query, must_not page) pairs with the page in the top {harness.TOP_K} (false/all)")
    print(table(reports))
    for name in ENGINES:
        report = reports[name]
        if report is None:
            continue
        failures = report.failures
        print(f"\n{name}: {len(failures)} of {len(report.results)} queries failed ({timings[name]:.1f} s for all queries)")
        if failures:
            print(report.describe_failures())
    return 0


if __name__ == "__main__":
    sys.exit(main())
