"""Stage 4 on every core: `Renderer.render_all` shared among processes forked from the build.

Rendering is a third of a full build at 10,000 entries and runs before anything else can start, on one core
while the other waits. Forked processes start with the graph and the renderer as they are (nothing is sent to
them); each renders the pages a hash of their path gives it, with the further pages of their lists (a list's
pages are named after its page, so two processes never make the same path), and sends back only the Markdown.
The pages come back in the order of their paths whichever process made them: the same docs tree, byte for byte,
as one process renders (a test compares them).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import zlib
from typing import Any

from .render import Renderer

_RENDERER: Renderer | None = None
"""The renderer the forked processes inherit (set only while they run)."""


def workers() -> int:
    """How many processes to render in: the cores this process may use, two at most (the pages are shared evenly
    and more would mostly copy memory), and one where forking is unsafe (another thread could hold a lock the
    child would wait for forever) or unavailable."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _share(doc_path: str, count: int) -> int:
    return zlib.crc32(doc_path.encode("utf-8")) % count


def _render_share(number: int, count: int) -> tuple[dict[str, str], dict[str, tuple]]:
    assert _RENDERER is not None
    pages = _RENDERER.render_all(only=lambda doc_path: _share(doc_path, count) == number)
    return pages, _RENDERER.listed


def render_all(renderer: Renderer, count: int) -> dict[str, str]:
    """Every page, as ``renderer.render_all()`` makes them, rendered in ``count`` processes (this one among them);
    ``renderer.listed`` holds every further page's fingerprint afterwards."""
    global _RENDERER
    if count < 2:
        return dict(sorted(renderer.render_all().items()))
    _RENDERER = renderer
    try:
        with multiprocessing.get_context("fork").Pool(count - 1) as pool:
            others = [pool.apply_async(_render_share, (number, count)) for number in range(1, count)]
            pages: dict[str, str] = renderer.render_all(only=lambda doc_path: _share(doc_path, count) == 0)
            listed: dict[str, Any] = dict(renderer.listed)
            for other in others:
                more, more_listed = other.get()
                pages.update(more)
                listed.update(more_listed)
    finally:
        _RENDERER = None
    renderer.listed = listed
    return dict(sorted(pages.items()))
