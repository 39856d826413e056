"""Take the README's screenshots: what a reader sees on a phone and on a desktop (docs/screens/).

Run after a change to how pages look: `.venv/bin/python tools/screenshots.py` (the real content; `--content
tests/sample_site/content` for the sample). It builds the site into a temporary folder, serves it, opens the
home page, an entry, the outcomes tracker and a search in headless Chromium at 390 × 844 px and at
1366 × 768 px, and writes one PNG of the window (not the whole page) for each: ``<page>-<width>.png``, the
same names every time, so that a commit shows which pictures changed. The build date is that of the
content's last commit (the build's own default), so the same content gives the same pictures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from generator.build import build_site, check_content  # noqa: E402
from tests import search_harness as harness  # noqa: E402

SCREENS = PROJECT_ROOT / "docs" / "screens"
WINDOWS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 768}}
SEARCH_QUERY = "חירום"


def pages_to_show(content: Path) -> dict[str, str]:
    """The pages the README shows, by the name of their picture: the first initiative stands for an entry."""
    graph = check_content(content)
    first = sorted(graph.entries["initiatives"])[0]
    return {
        "home": "index.html",
        "entry": f"initiatives/{first}.html",
        "outcomes": "outcomes.html",
        "search": f"search.html?q={SEARCH_QUERY}",
    }


def take(site: Path, pages: dict[str, str], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with harness.serve(site) as url, harness.chromium() as browser:
        for width, window in WINDOWS.items():
            context = browser.new_context(locale="he-IL", viewport=window, service_workers="block")
            page = context.new_page()
            for name, path in pages.items():
                page.goto(url + path)
                if path.startswith("search.html"):
                    page.wait_for_selector(harness.RESULTS_SELECTOR, state="attached", timeout=harness.RESULTS_TIMEOUT_MS)
                    page.evaluate("document.activeElement.blur()")  # no caret or focus ring in the picture
                target = folder / f"{name}-{width}.png"
                page.screenshot(path=str(target), animations="disabled")
                written.append(target)
            context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=PROJECT_ROOT / "content", help="the content to build")
    parser.add_argument("--out", type=Path, default=SCREENS, help="where to write the PNGs (default: docs/screens/)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-screens-") as temporary:
        site = Path(temporary) / "site"
        build_site(args.content, site)
        for path in take(site, pages_to_show(args.content), args.out):
            shown = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
            print(f"{shown}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
