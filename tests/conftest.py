"""Shared fixtures: the sample site, the real content, and sites built from them once per run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import build_site
from generator.content import history

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
SAMPLE_CONTENT = TESTS / "sample_site" / "content"
REAL_CONTENT = PROJECT / "content"
FIXED_EPOCH = "1767225600"  # 2026-01-01: the sample's 2022 entry is stale, 2025 ones are not
# Checking the content reads the build date (the accessibility statement's review must be within a
# year of it), and some test modules check the sample when they are imported, before any fixture runs.
os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
# Nor does any build read the outcomes' history from this repository's commits (CI may clone shallow), not even
# one made before the fixtures below or as a command; tests/content/test_history.py reads the repositories it makes.
os.environ[history.OFF_SWITCH] = "off"


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root``; returns ``root``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _no_history(graph: object) -> history.OutcomeHistory:
    return history.NOT_READ


@pytest.fixture(autouse=True)
def _fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    # The pages must not depend on this repository's own commits, which CI may clone without (a shallow clone):
    # every build in the tests has no history unless the test reads one it made.
    monkeypatch.setattr(history, "read", _no_history)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the sample content, to break or extend in one test."""
    target = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, target, symlinks=True)
    return target


def _build_once(factory: pytest.TempPathFactory, content: Path, name: str) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        # The same pages in CI as elsewhere: GitHub Actions names the repository, which adds links to it.
        mp.delenv("GITHUB_REPOSITORY", raising=False)
        mp.setattr(history, "read", _no_history)  # a session's builds, made outside any test's fixtures
        site = factory.mktemp(name) / "site"
        build_site(content, site)
    return site


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_once(tmp_path_factory, SAMPLE_CONTENT, "sample")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_once(tmp_path_factory, REAL_CONTENT, "real")


# --- serving a built site and driving it in Chromium (one Playwright session for all tests) ---


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (`make test` installs it when missing)."""
    from .search_harness import ChromiumMissing, chromium

    try:
        with chromium() as launched:
            yield launched
    except ChromiumMissing as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def sample_url(sample_site: Path) -> Iterator[str]:
    from .search_harness import serve

    with serve(sample_site) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="he-IL")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def search_results(page, url: str) -> list[str]:
    """Open a search URL and return the result links, in rank order, once shown."""
    page.goto(url)
    page.wait_for_selector('#search-results[data-state="done"]', state="attached", timeout=20_000)
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")
