"""Pages rendered in two processes are the pages one process renders, in the same order."""

from __future__ import annotations

import pytest

from generator.build import render_docs
from generator.pages import parallel, render
from tests.conftest import REAL_CONTENT, SAMPLE_CONTENT


@pytest.mark.parametrize("content", [SAMPLE_CONTENT, REAL_CONTENT], ids=["sample", "real"])
def test_two_processes_render_the_same_docs_tree(content, monkeypatch):
    monkeypatch.setattr(render, "LIST_ROWS", 1)  # lists of many pages: each process sends its further pages back
    listed_one: dict[str, tuple] = {}
    listed_two: dict[str, tuple] = {}
    one = render_docs(content, listed=listed_one, workers=1)[1]
    two = render_docs(content, listed=listed_two, workers=2)[1]
    assert list(two) == list(one) and two == one
    assert listed_two == listed_one and len(listed_one) > 2
    # Both processes had pages to render: the hash shares them out.
    assert {parallel._share(path, 2) for path in one} == {0, 1}


def test_the_build_renders_alone_beside_another_thread():
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel.workers() == 1
    finally:
        stop.set()
        other.join()
