"""`kb serve`: a live preview that rebuilds when content or templates change.

The first build is the whole pipeline (the same as `kb build`) into a preview folder, served on localhost;
after a change of content only what it touches is checked, rendered and built again (`preview`), so an edit
shows within a second at thousands of entries; a change of a template or of the config is built in full.
A rebuild with problems prints them and keeps serving the last good preview.
"""

from __future__ import annotations

import functools
import gc
import http.server
import sys
import threading
import time
from pathlib import Path

import watchfiles

from . import build
from .errors import ContentError, KbError
from .preview import Preview


def rebuild(preview: Preview, template_changed: bool = True) -> bool:
    started = time.perf_counter()
    try:
        result = preview.update(template_changed)
    except ContentError as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        print(f"{len(error.problems)} problem(s); still showing the last good preview.", file=sys.stderr)
        return False
    except KbError as error:
        print(f"The build failed: {error}", file=sys.stderr)
        return False
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    took = time.perf_counter() - started
    what = "all" if result.full else result.pages
    print(f"Rebuilt {what} pages in {took:.1f} s." if result.full or result.pages else "Nothing to rebuild.", flush=True)
    return True


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: rebuild messages are what matter


def make_server(site: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    # Serve the folder by path on each request: a rebuild swaps the folder underneath.
    handler = functools.partial(_Handler, directory=str(site))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve(content: Path, site: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    preview = Preview(content, site)
    rebuild(preview)
    site.mkdir(parents=True, exist_ok=True)
    server = make_server(site, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Preview on http://{host}:{server.server_port}/index.html — Ctrl+C to stop.", flush=True)
    watched = [content, build.PROJECT_ROOT / "site_templates", build.DEFAULT_CONFIG]
    try:
        for changes in watchfiles.watch(*[w for w in watched if w.exists()]):
            inside = content.resolve()
            rebuild(preview, any(not Path(path).resolve().is_relative_to(inside) for _, path in changes))
            # Collect now, while the contributor reads the page: a full collection that falls inside the next
            # edit's check (each edit leaves a graph behind) added 0.3 s to it, one edit in three at 2,000 entries.
            gc.collect()
    finally:
        server.shutdown()
