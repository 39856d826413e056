"""The contributors' contract (`../shared/spec/content-model.md`): content written to it alone must build.

`../shared/spec/minimal-content/` uses only what the contract requires, and no optional field. If anything
makes it stop checking or building, a field was made required, or a value refused, that the contract
allows: the contract was broken. It is used as it is, never copied and fixed up.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build_site, check_content

from .conftest import PROJECT

MINIMAL = PROJECT.parent / "shared" / "spec" / "minimal-content"


@pytest.fixture(scope="module")
def minimal() -> Path:
    if not (MINIMAL / "pages").is_dir():
        pytest.fail(f"{MINIMAL} is missing: CI runs with ../shared beside the project, and so must this test")
    return MINIMAL


def test_the_minimal_content_checks_with_at_most_warnings(minimal: Path):
    graph = check_content(minimal)
    assert all(problem.is_warning for problem in graph.warnings)
    assert sum(len(entries) for entries in graph.entries.values()) >= 10


def test_the_minimal_content_builds_as_it_is(minimal: Path, tmp_path: Path):
    result = build_site(minimal, tmp_path / "site")
    for page in ("index.html", "about.html", "contribute.html", "accessibility.html", "search.html"):
        assert (tmp_path / "site" / page).is_file(), page
    assert result.entries >= 10


def test_kb_check_and_kb_build_exit_zero_on_it(minimal: Path, tmp_path: Path):
    for command in (["check", "--content", str(minimal)], ["build", "--content", str(minimal), "--site", str(tmp_path / "s")]):
        done = subprocess.run(
            [sys.executable, "-m", "generator", *command], cwd=PROJECT, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr


def test_a_statement_without_a_review_date_is_a_warning_and_a_note_for_the_maintainers(minimal: Path, tmp_path: Path):
    graph = check_content(minimal)
    if graph.entries["pages"]["accessibility"].model.reviewed is not None:
        pytest.skip("the minimal content now says when its statement was reviewed")
    assert [w.field for w in graph.warnings] == ["reviewed"]
    build_site(minimal, tmp_path / "site")
    stale = (tmp_path / "site" / "stale.html").read_text(encoding="utf-8")
    assert "הצהרת הנגישות ממתינה לסקירה השנתית" in stale
