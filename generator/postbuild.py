"""Stage 6, post-build: steps that work on the built HTML, in order."""

from __future__ import annotations

from pathlib import Path

from .render import BuildInfo


def run_all(site_dir: Path, info: BuildInfo) -> None:
    """Run every post-build step on a freshly built site (before it is swapped in)."""
    _drop_compressed_sitemap(site_dir)


def _drop_compressed_sitemap(site_dir: Path) -> None:
    # mkdocs writes sitemap.xml.gz as well; the plain sitemap is enough and
    # one file fewer to keep byte-identical between builds.
    gz = site_dir / "sitemap.xml.gz"
    if gz.exists():
        gz.unlink()
