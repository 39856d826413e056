"""`kb serve` in the browser: an open page reloads itself after a good rebuild, and after a failed one shows the
problems in its place until they are fixed; the published site never carries the preview's script."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import serve
from generator.preview import Preview

ENTRY = "initiatives/karmiel-families-model.md"
PAGE = "initiatives/karmiel-families-model.html"


@pytest.fixture
def served(sample_copy: Path, tmp_path: Path) -> Iterator[tuple[Preview, serve.LiveState, str]]:
    site = tmp_path / "preview"
    preview, live = Preview(sample_copy, site), serve.LiveState()
    assert serve.rebuild(preview, live=live)
    server = serve.make_server(site, "127.0.0.1", 0, live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield preview, live, f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def _edit(content: Path, old: str, new: str) -> None:
    path = content / ENTRY
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_open_page_follows_each_rebuild_and_shows_problems_until_they_are_fixed(served, page, sample_copy: Path):
    preview, live, url = served
    page.goto(url + PAGE)
    title = page.inner_text("article h1")
    _edit(sample_copy, f"title: {title}", "title: מודל משפחות בכרמיאל, מעודכן")
    assert serve.rebuild(preview, False, live)
    page.wait_for_function("() => document.querySelector('article h1').textContent.includes('מעודכן')", timeout=10_000)
    # A broken entry: its problems, where and what, in place of the page.
    _edit(sample_copy, "status: completed", "status: finished")
    assert not serve.rebuild(preview, False, live)
    page.wait_for_selector("#kb-preview-problems", timeout=10_000)
    shown = page.inner_text("#kb-preview-problems")
    assert f"{ENTRY}:" in shown.replace("\\", "/") and "'finished' is not an allowed value" in shown
    assert "בעיה אחת" in shown and "שניות" in shown  # how many, and how long the check took
    # Fixed: the page comes back by itself.
    _edit(sample_copy, "status: finished", "status: active")
    assert serve.rebuild(preview, False, live)
    page.wait_for_function("() => !document.getElementById('kb-preview-problems')", timeout=10_000)
    assert "מעודכן" in page.inner_text("article h1")


def test_the_preview_s_script_is_added_on_the_way_out_never_written(served, sample_site: Path):
    preview, live, url = served
    built = [path for path in preview.site.rglob("*.html") if b"__kb/" in path.read_bytes()]
    assert built == []
    assert not [path for path in sample_site.rglob("*.html") if b"__kb/" in path.read_bytes()]
