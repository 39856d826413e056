"""Builds that can be killed or run twice at once, and a swap with no moment without a complete site."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest

from generator.build import build_site
from generator.content import history
from generator.publish import swap

from ..conftest import PROJECT, SAMPLE_CONTENT

needs_exchange = pytest.mark.skipif(swap._exchange_call() is None, reason="no atomic exchange of names on this system")


def tree_digest(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def hidden_entries(folder: Path) -> list[str]:
    """What a build may leave beside the site dir: work folders, a lock file (all named with a leading dot)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def folder_with(path: Path, name: str, text: str) -> Path:
    path.mkdir(parents=True)
    (path / name).write_text(text, encoding="utf-8")
    return path


def edited_sample(target: Path) -> Path:
    """The sample content with one page changed, so that its site differs from the sample's."""
    shutil.copytree(SAMPLE_CONTENT, target)
    about = target / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nשורה שנוספה לבדיקה.\n", encoding="utf-8")
    return target


def kb_build(content: Path, site: Path, **popen: object) -> subprocess.Popen:
    command = [sys.executable, "-m", "generator", "build", "--content", str(content), "--site", str(site)]
    # Like the session's sample site (conftest): pages that do not depend on how deep the repository was cloned.
    environment = {**os.environ, history.OFF_SWITCH: "off", **popen.pop("env", {})}  # type: ignore[dict-item]
    return subprocess.Popen(command, cwd=PROJECT, text=True, env=environment, **popen)


# --- the exchange ------------------------------------------------------------------------------------


@needs_exchange
def test_exchange_swaps_two_folders(tmp_path: Path):
    first = folder_with(tmp_path / "first", "one.txt", "1")
    second = folder_with(tmp_path / "second", "two.txt", "2")
    swap.exchange(first, second)
    assert [p.name for p in first.iterdir()] == ["two.txt"]
    assert [p.name for p in second.iterdir()] == ["one.txt"]


@needs_exchange
def test_an_exchange_that_fails_is_an_error_not_a_fallback(tmp_path: Path):
    first = folder_with(tmp_path / "first", "one.txt", "1")
    with pytest.raises(FileNotFoundError) as caught:
        swap.exchange(first, tmp_path / "missing")
    assert not isinstance(caught.value, swap.ExchangeUnsupported)
    assert (first / "one.txt").is_file()


def _answers_einval(first: bytes, second: bytes) -> int:
    ctypes.set_errno(errno.EINVAL)  # what renameat2 answers on a filesystem without RENAME_EXCHANGE
    return -1


@pytest.mark.parametrize("call", [None, _answers_einval], ids=["another system", "a filesystem that cannot"])
def test_where_exchange_is_unsupported_the_swap_falls_back_to_two_renames(tmp_path: Path, monkeypatch, call):
    monkeypatch.setattr(swap, "_exchange_call", lambda: call)
    site = folder_with(tmp_path / "site", "index.html", "old")
    work = tmp_path / "work"
    new_site = folder_with(work / "site", "index.html", "new")
    swap.swap_in(new_site, site, work)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert (work / "old-site" / "index.html").read_text(encoding="utf-8") == "old"


@needs_exchange
def test_the_swap_exchanges_and_leaves_the_old_site_in_the_work_folder(tmp_path: Path):
    site = folder_with(tmp_path / "site", "index.html", "old")
    work = tmp_path / "work"
    new_site = folder_with(work / "site", "index.html", "new")
    swap.swap_in(new_site, site, work)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert (new_site / "index.html").read_text(encoding="utf-8") == "old"  # deleted with the work folder


# --- a reader during builds --------------------------------------------------------------------------


class _Reader(threading.Thread):
    """Reads ``index.html`` in a tight loop, counting the reads and the times it was not there."""

    def __init__(self, site: Path) -> None:
        super().__init__(daemon=True)
        self.page, self.reads, self.missing, self.empty = site / "index.html", 0, 0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.empty += not self.page.read_bytes()
            except FileNotFoundError:
                self.missing += 1
            self.reads += 1


@needs_exchange
def test_a_reader_never_finds_the_site_missing_during_builds(tmp_path: Path, sample_site: Path):
    site = tmp_path / "site"
    other = edited_sample(tmp_path / "other")
    build_site(SAMPLE_CONTENT, site)
    reader = _Reader(site)
    reader.start()
    try:
        for content in (other, SAMPLE_CONTENT, other, SAMPLE_CONTENT):  # each build changes the site
            build_site(content, site)
    finally:
        reader.stop.set()
        reader.join()
    assert reader.reads > 0
    assert (reader.missing, reader.empty) == (0, 0)
    assert site.is_dir() and not site.is_symlink()  # a real folder, for Pages' upload and for file://
    assert tree_digest(site) == tree_digest(sample_site)
    assert hidden_entries(tmp_path) == []  # old sites went with their work folders; no lock file stays


# --- leftovers of killed builds ----------------------------------------------------------------------


def test_leftovers_of_killed_builds_are_removed_and_nothing_else(tmp_path: Path, sample_site: Path):
    for name in (".site-build-xyz", ".site-build-k2j4_9qa"):
        folder_with(tmp_path / name / "site", "index.html", "half a site")
    folder_with(tmp_path / ".site-build-build-abcd1234", "mkdocs.log", "")  # a site dir named "site-build" owns it
    folder_with(tmp_path / ".other-build-xyz", "mkdocs.log", "")
    folder_with(tmp_path / "dist", ".site-bundle.zip.part", "half a zip")
    build_site(SAMPLE_CONTENT, tmp_path / "site")
    assert hidden_entries(tmp_path) == [".other-build-xyz", ".site-build-build-abcd1234"]
    assert [p.name for p in (tmp_path / "dist").iterdir()] == ["yozmot-offline-2026-01-01.zip"]
    assert tree_digest(tmp_path / "site") == tree_digest(sample_site)


def _work_folder_once_started(builder: subprocess.Popen, parent: Path) -> Path:
    """Poll until the build has a work folder with mkdocs running in it: the middle of the build."""
    deadline = time.monotonic() + 120  # only so that a broken build cannot hang the tests
    while time.monotonic() < deadline:
        started = [p for p in parent.glob(".site-build-*") if (p / "mkdocs.log").exists()]
        if started:
            return started[0]
        assert builder.poll() is None, "kb build ended before it could be killed"
        time.sleep(0.005)
    raise AssertionError("kb build never started mkdocs")


def test_a_build_killed_mid_way_leaves_nothing_after_the_next_one(tmp_path: Path, sample_site: Path):
    site, system_temp = tmp_path / "site", tmp_path / "system-temp"
    system_temp.mkdir()
    env = {**os.environ, "TMPDIR": str(system_temp)}
    # A session of its own, so the kill takes mkdocs and Pagefind with it, as stopping a CI job does.
    builder = kb_build(SAMPLE_CONTENT, site, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    try:
        work = _work_folder_once_started(builder, tmp_path)
    finally:
        os.killpg(builder.pid, signal.SIGKILL)
        builder.wait()
    assert work.is_dir() and not site.exists()  # killed mid-build: half a build, no site
    assert list(system_temp.iterdir()) == []  # Pagefind's staging was in the work folder too
    build_site(SAMPLE_CONTENT, site)
    assert hidden_entries(tmp_path) == []
    assert tree_digest(site) == tree_digest(sample_site)


def test_a_build_puts_nothing_in_the_system_temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A system temp folder that does not exist: anything staged there would fail the build.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-system-temp"))
    build_site(SAMPLE_CONTENT, tmp_path / "site")
    assert (tmp_path / "site" / "pagefind" / "pagefind-entry.json").is_file()


# --- two builds at once ------------------------------------------------------------------------------


def _wait_until_waiting(builder: subprocess.Popen) -> None:
    """Read the build's messages until it says it waits for the lock (a blocking read, no timing)."""
    assert builder.stderr is not None
    for line in builder.stderr:
        if "waiting for it to finish" in line:
            return
    raise AssertionError(f"the build ended without waiting (exit {builder.wait()})")


def test_two_builds_at_once_wait_for_each_other_and_leave_one_complete_site(tmp_path: Path, sample_site: Path):
    other = edited_sample(tmp_path / "other")
    alone = tmp_path / "alone" / "site"
    build_site(other, alone)
    site = tmp_path / "shared" / "site"
    site.parent.mkdir()
    # Holding the lock while both start makes them overlap for certain: each must say that it waits.
    with swap.build_lock(site):
        quiet = {"stderr": subprocess.PIPE, "stdout": subprocess.DEVNULL}
        builders = [kb_build(content, site, **quiet) for content in (SAMPLE_CONTENT, other)]
        for builder in builders:
            _wait_until_waiting(builder)
    for builder in builders:
        builder.communicate()
        assert builder.returncode == 0
    assert tree_digest(site) in (tree_digest(sample_site), tree_digest(alone))
    assert hidden_entries(site.parent) == []
    (zipped,) = (site.parent / "dist").iterdir()
    assert zipped.read_bytes() == (site / "downloads" / zipped.name).read_bytes()  # the bundle of that same site
    with zipfile.ZipFile(zipped) as archive:
        assert archive.testzip() is None
