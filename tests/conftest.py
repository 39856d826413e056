"""Shared fixtures: the sample site, the real content, and sites built from them once per run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build_site

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
SAMPLE_CONTENT = TESTS / "sample_site" / "content"
REAL_CONTENT = PROJECT / "content"
FIXED_EPOCH = "1767225600"  # 2026-01-01: the sample's 2022 entry is stale, 2025 ones are not


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root``; returns ``root``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the sample content, to break or extend in one test."""
    target = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, target, symlinks=True)
    return target


def _build_once(factory: pytest.TempPathFactory, content: Path, name: str) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        site = factory.mktemp(name) / "site"
        build_site(content, site)
    return site


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_once(tmp_path_factory, SAMPLE_CONTENT, "sample")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_once(tmp_path_factory, REAL_CONTENT, "real")
