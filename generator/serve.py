"""`kb serve`: a live preview that rebuilds when content or templates change.

The first build is the whole pipeline (the same as `kb build`) into a preview folder, served on localhost;
after a change of content only what it touches is checked, rendered and built again (`preview`), so an edit
shows within a second at thousands of entries; a change of a template or of the config is built in full.
A rebuild with problems prints them and keeps serving the last good preview. Every page it serves has one
script more than the site's (`data/preview-live.js`, added on the way out, never written to the site): it asks
the server after each moment whether a rebuild is newer than the page, reloads it after a good one, and after a
failed one shows its problems in place of the page until they are fixed.
"""

from __future__ import annotations

import functools
import gc
import http.server
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from . import build
from .errors import ContentError, KbError
from .preview import Preview


@dataclass
class LiveState:
    """What the open pages of the preview ask for (`/__kb/status`): whether a rebuild is newer than the page, and
    the problems of the last one if it failed."""

    generation: int = 0
    """Counts the good rebuilds: a page that saw another reloads."""
    problems: list[str] = field(default_factory=list)
    """The last rebuild's problems as `kb check` prints them; empty once it succeeds."""
    took: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def status(self) -> bytes:
        with self.lock:
            data = {"generation": self.generation, "problems": self.problems, "took": round(self.took, 2)}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


def rebuild(preview: Preview, template_changed: bool = True, live: LiveState | None = None) -> bool:
    started = time.perf_counter()
    live = live or LiveState()
    try:
        result = preview.update(template_changed)
    except ContentError as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        print(f"{len(error.problems)} problem(s); still showing the last good preview.", file=sys.stderr)
        with live.lock:
            live.problems, live.took = [problem.format() for problem in error.problems], time.perf_counter() - started
        return False
    except KbError as error:
        print(f"The build failed: {error}", file=sys.stderr)
        with live.lock:
            live.problems, live.took = [f"The build failed: {error}"], time.perf_counter() - started
        return False
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    took = time.perf_counter() - started
    with live.lock:
        live.generation, live.problems, live.took = live.generation + 1, [], took
    what = "all" if result.full else result.pages
    print(f"Rebuilt {what} pages in {took:.1f} s." if result.full or result.pages else "Nothing to rebuild.", flush=True)
    return True


LIVE_SCRIPT = Path(__file__).resolve().parent / "data" / "preview-live.js"
"""The script the preview adds to every page it serves (never to the site): reload, and show what is wrong."""
_BODY_END = re.compile(rb"</body>", re.IGNORECASE)
_NO_CACHE_WORKER = (
    b"// kb serve: the preview keeps nothing offline.\n"
    b'self.addEventListener("install", () => self.skipWaiting());\n'
    b'self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));\n'
)


class _Handler(http.server.SimpleHTTPRequestHandler):
    live: LiveState

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: rebuild messages are what matter

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path = self.path.split("?", 1)[0]
        if path == "/__kb/status":
            return self._send(self.live.status(), "application/json; charset=utf-8")
        if path == "/__kb/live.js":
            return self._send(LIVE_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
        if path == "/sw.js":
            # No offline cache in the preview: every page comes from the server, as it is now.
            return self._send(_NO_CACHE_WORKER, "text/javascript; charset=utf-8")
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            # The page as built, and the preview's script before its end: a file of its own, which the pages'
            # Content-Security-Policy (script-src 'self') lets run.
            script = f'<script src="/__kb/live.js" data-generation="{self.live.generation}" defer></script></body>'
            page = _BODY_END.sub(script.encode(), file.read_bytes(), count=1)
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A tab closed or reloaded while a file was sent: nothing for the contributor to read in the terminal.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(site: Path, host: str, port: int, live: LiveState | None = None) -> http.server.ThreadingHTTPServer:
    # Serve the folder by path on each request: a rebuild swaps the folder underneath.
    handler = functools.partial(type("Handler", (_Handler,), {"live": live or LiveState()}), directory=str(site))
    return _Server((host, port), handler)


def serve(content: Path, site: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    preview = Preview(content, site)
    live = LiveState()
    rebuild(preview, live=live)
    site.mkdir(parents=True, exist_ok=True)
    server = make_server(site, host, port, live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Preview on http://{host}:{server.server_port}/index.html — Ctrl+C to stop.", flush=True)
    watched = [content, build.PROJECT_ROOT / "site_templates", build.DEFAULT_CONFIG]
    try:
        for changes in watchfiles.watch(*[w for w in watched if w.exists()]):
            inside = content.resolve()
            rebuild(preview, any(not Path(path).resolve().is_relative_to(inside) for _, path in changes), live)
            # Collect now, while the contributor reads the page: a full collection that falls inside the next
            # edit's check (each edit leaves a graph behind) added 0.3 s to it, one edit in three at 2,000 entries.
            gc.collect()
    finally:
        server.shutdown()
