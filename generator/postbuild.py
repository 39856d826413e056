"""Stage 6, post-build: steps that work on the built HTML, in order."""

from __future__ import annotations

import re
from pathlib import Path

from . import offline


def run_all(site_dir: Path) -> None:
    """Run every post-build step on a freshly built site (before it is swapped in)."""
    _drop_compressed_sitemap(site_dir)
    _mark_direction(site_dir)
    offline.write_manifest(site_dir)
    offline.write_worker(site_dir)  # last: it lists every file, with a hash of each


def _drop_compressed_sitemap(site_dir: Path) -> None:
    # mkdocs writes sitemap.xml.gz as well; the plain sitemap is enough and
    # one file fewer to keep byte-identical between builds.
    gz = site_dir / "sitemap.xml.gz"
    if gz.exists():
        gz.unlink()


_HTML_OPEN = re.compile(rb"<html lang=\"he\"(?![^>]*\bdir=)")


def _mark_direction(site_dir: Path) -> None:
    """Put dir="rtl" on <html> (the theme sets it on <body> only), so the whole document,
    including what assistive tools read before the body, is right-to-left."""
    for page in sorted(site_dir.rglob("*.html")):
        data = page.read_bytes()
        marked = _HTML_OPEN.sub(b'<html lang="he" dir="rtl"', data, count=1)
        if marked != data:
            page.write_bytes(marked)
