"""Broken content gets the right problem lines: one case folder per mistake a contributor can make.

Each folder under ``tests/broken/<case>/`` is laid over a fresh copy of
``tests/sample_site/content/``:

* every file in it except the three below replaces (or adds) the file at the
  same relative path in the copy;
* ``delete.txt`` lists paths (relative to content/) to delete, one per line;
* ``make_symlink.txt`` lists ``link target`` pairs, both relative to content/;
  the link is created at run time, pointing at the target by a relative path;
* ``expected.txt`` holds the exact lines ``kb check`` must print (problems and
  warnings), with paths relative to the content folder; empty means the content
  must pass without a word.

The sample site itself must pass, and ``kb check`` on the command line must
print the same lines and a count and exit 1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import check_content
from generator.errors import ContentError

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
SAMPLE = TESTS / "sample_site" / "content"
BROKEN = TESTS / "broken"
CONTROL_FILES = {"expected.txt", "delete.txt", "make_symlink.txt"}
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def expected_lines(case: str) -> list[str]:
    return _lines(BROKEN / case / "expected.txt")


def prepare(case: str, tmp_path: Path) -> Path:
    """A copy of the sample content with the case's changes applied; returns the content folder."""
    folder = BROKEN / case
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content, symlinks=True)
    for source in sorted(folder.rglob("*")):
        relative = source.relative_to(folder)
        if source.is_dir() or (len(relative.parts) == 1 and relative.name in CONTROL_FILES):
            continue
        target = content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)  # bytes as they are: some cases are deliberately not UTF-8
    for line in _lines(folder / "delete.txt"):
        doomed = content / line.strip()
        if doomed.is_dir() and not doomed.is_symlink():
            shutil.rmtree(doomed)
        else:
            doomed.unlink()
    for line in _lines(folder / "make_symlink.txt"):
        link_name, target_name = line.split()
        link = content / link_name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(content / target_name, link.parent))
    return content


def problem_lines(content: Path) -> list[str]:
    """What `kb check` prints about ``content``: its problems and warnings, one line each."""
    try:
        found = check_content(content).warnings
    except ContentError as error:
        found = error.problems + error.warnings
    return [problem.format(relative_to=content) for problem in found]


def test_every_case_has_an_expected_file():
    assert len(CASES) >= 30
    missing = [case for case in CASES if not (BROKEN / case / "expected.txt").exists()]
    assert missing == []


def test_sample_site_passes_check():
    assert problem_lines(SAMPLE) == []


@pytest.mark.parametrize("case", CASES)
def test_broken_case(case: str, tmp_path: Path):
    content = prepare(case, tmp_path)
    expected = expected_lines(case)
    actual = problem_lines(content)
    assert len(actual) == len(set(actual)), f"the same problem is reported twice: {actual}"
    assert set(actual) == set(expected)


def test_alias_bomb_fails_fast(tmp_path: Path):
    # Nine levels of nine aliases would be 9**9 nodes if expanded; refusing anchors must not expand them.
    content = prepare("alias-bomb", tmp_path)
    started = time.perf_counter()
    with pytest.raises(ContentError):
        check_content(content)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("case", ["multiple-errors", "unquoted-phone-octal"])
def test_cli_check_prints_every_problem_and_a_count(case: str, tmp_path: Path):
    content = prepare(case, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--content", "."],
        cwd=content,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    printed = [line for line in proc.stderr.splitlines() if line.strip()]
    expected = expected_lines(case)
    for line in expected:
        assert line in printed
    count = len(expected)
    assert printed[-1] == f"{count} problem{'s' if count != 1 else ''} found. Nothing was built."
    assert len(printed) == count + 1
