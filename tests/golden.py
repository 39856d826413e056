"""Golden output of the sample site: what stage 4 renders (pages, data files, feeds), kept in tests/golden/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator import dates
from generator.build import render_docs
from generator.content import history
from generator.settings import AccessibilityContact, SiteSettings

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden"
SAMPLE_CONTENT = TESTS / "sample_site" / "content"
EPOCH = "1767225600"
SETTINGS = SiteSettings(
    "https://github.com/example/yozmot",
    "main",
    AccessibilityContact("רכזת הנגישות של האתר", "negishut@example.org", "04-6000000"),
)
"""Settings of their own, never mkdocs.yml's or CI's (which sets GITHUB_REPOSITORY): the pages show every link."""


def render_sample() -> dict[str, str]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    # The content version is the repository's commit, which every commit changes; the golden files must not.
    real_version, dates.content_version = dates.content_version, lambda content_dir: "golden"
    # So is the outcomes' history, and a shallow clone has none: the golden pages say it is not available.
    real_history, history.read = history.read, lambda graph: history.NOT_READ
    try:
        _, docs, _ = render_docs(SAMPLE_CONTENT, settings=SETTINGS)
    finally:
        dates.content_version = real_version
        history.read = real_history
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return docs


def read_golden() -> dict[str, str]:
    # Bytes, not text: the CSV files' line ends and byte-order mark are part of what is checked.
    return {p.relative_to(GOLDEN).as_posix(): p.read_bytes().decode("utf-8") for p in sorted(GOLDEN.rglob("*")) if p.is_file()}


def refresh() -> int:
    docs = render_sample()
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for doc_path, text in docs.items():
        target = GOLDEN / doc_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    return len(docs)
