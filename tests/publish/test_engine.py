"""The engine seam: the sample site built by Zensical beside mkdocs, and what differs between the two."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build_site
from generator.content import history
from generator.errors import BuildError
from generator.publish import engine

from ..conftest import SAMPLE_CONTENT

THEME_FILES = re.compile(r"assets/(javascripts|stylesheets)/")
"""Each engine ships its own build of the theme's scripts and styles."""


def files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def article_text(page: Path) -> str:
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
    return " ".join(article.get_text(" ").split()) if article else ""


def outside_requests(page: Path) -> list[str]:
    """What a page would load from another origin: scripts, styles, fonts, images, frames."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    loaded = [tag.get("src") for tag in soup.find_all(["script", "img", "iframe"])]
    loaded += [tag.get("href") for tag in soup.find_all("link") if "alternate" not in (tag.get("rel") or [])]
    return [url for url in loaded if url and re.match(r"(https?:)?//", url)]


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not engine.ENGINES["zensical"].available():
        pytest.fail("Zensical is not installed: `make test` installs it into .zensical/")
    site = tmp_path_factory.mktemp("zensical") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(history.OFF_SWITCH, "off")  # as the session's sample site: made before any test's own fixtures
        build_site(SAMPLE_CONTENT, site, engine_name="zensical")
    return site


def test_zensical_builds_the_same_pages_with_the_same_text(zensical_site: Path, sample_site: Path):
    ours, theirs = files(sample_site), files(zensical_site)
    only_mkdocs = sorted(path for path in ours - theirs if not THEME_FILES.match(path))
    only_zensical = sorted(path for path in theirs - ours if not THEME_FILES.match(path))
    pages = sorted(path for path in ours & theirs if path.endswith(".html"))
    differ = [path for path in pages if article_text(sample_site / path) != article_text(zensical_site / path)]
    # What differs, for whoever tries Zensical next (`pytest -s` prints it).
    print(f"\nZensical beside mkdocs: {len(pages)} pages in both; text differs on {len(differ)}: {differ[:10]}")
    print(f"only mkdocs: {only_mkdocs}; only Zensical: {only_zensical}")
    assert not only_mkdocs, "pages or files mkdocs makes and Zensical does not"
    assert only_zensical == ["search.json"], "Zensical makes more than its (empty) search index"
    assert not differ, f"the text of these pages differs: {differ}"
    assert len(pages) > 30


def test_zensical_s_own_search_is_off_and_nothing_comes_from_elsewhere(zensical_site: Path):
    assert json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))["items"] == []
    for page in zensical_site.rglob("*.html"):
        assert not outside_requests(page), page
    # The post-build stages ran on it as on mkdocs' output: the Content-Security-Policy and the service worker.
    assert "Content-Security-Policy" in (zensical_site / "index.html").read_text(encoding="utf-8")
    assert (zensical_site / "sw.js").is_file() and (zensical_site / "pagefind").is_dir()


def test_an_engine_that_is_not_installed_says_so(tmp_path: Path):
    missing = engine.Engine("no-such-engine", ("no-such-engine", "build"), re.compile("INFO"))
    with pytest.raises(BuildError, match="not installed"):
        missing.start(tmp_path / "mkdocs.yml", 0)
