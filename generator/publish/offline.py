"""Post-build step: the site keeps working offline after a first visit (served over http(s)).

A service worker (``sw.js`` at the top of the site) precaches every page, asset
and the search index, listed with a hash of their content so that a new build
replaces the cache, and keeps each attachment once it is opened; a web app manifest with a Hebrew name and icons lets a
phone keep the site.  Opened from disk (file://), pages do not register the
worker, so nothing changes there.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path
from urllib.parse import quote

from ..content.registry import DOWNLOADS, FILES_FOLDER
from .search_index import FALLBACK, KNOWN

WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
ICON_SIZES = (192, 512)
THEME_COLOR = "#3f51b5"  # the palette's indigo

_WORKER_CODE = """// Yozmot service worker, written by the build: precache the whole site, then answer from the cache.
const CACHE = "yozmot-" + VERSION;
// "reload": every file comes from the server, past the HTTP cache, so a new version never stores
// the older bytes the browser kept (GitHub Pages lets it keep them ten minutes).
const fresh = (url) => new Request(url, { cache: "reload" });
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(FILES.map(fresh)))
      .then(() => self.skipWaiting())
      .catch((error) => tellPages(error).then(() => Promise.reject(error))),
  );
});
// A failed install shows only in the worker's own console: the open pages report it (kb-offline.js).
function tellPages(error) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((pages) => {
    pages.forEach((page) => page.postMessage({ kbOffline: "failed", reason: String(error) }));
  });
}
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => keys.filter((key) => key.startsWith("yozmot-") && key !== CACHE))
      .then((old) => Promise.all(old.map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});
// Attachments are not precached (a visitor need not download every PDF of the site): each is kept once opened.
const ATTACHMENTS = new URL("./files/", self.location).pathname;
self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  // Pages are cached without their query (search.html?q=...), and the search index's entry
  // file is asked for with a changing ?ts=...: the query is ignored when matching.
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(event.request, { ignoreSearch: true }).then((hit) => hit || fetch(event.request).then((response) => {
        if (response.ok && new URL(event.request.url).pathname.startsWith(ATTACHMENTS)) {
          cache.put(event.request, response.clone());
        }
        return response;
      })),
    ),
  );
});
"""


def _png(size: int) -> bytes:
    """A square icon: the theme's indigo with a white bar (a page's first line), as a plain PNG."""
    red, green, blue = (int(THEME_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type: none
        for x in range(size):
            inside = size * 0.22 <= x < size * 0.78 and (size * 0.30 <= y < size * 0.40 or size * 0.50 <= y < size * 0.58)
            row += bytes((255, 255, 255) if inside else (red, green, blue))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


def write_manifest(site_dir: Path) -> None:
    icons_dir = site_dir / "assets" / "icons"
    icons_dir.mkdir(parents=True, exist_ok=True)
    icons = []
    for size in ICON_SIZES:
        (icons_dir / f"icon-{size}.png").write_bytes(_png(size))
        icons.append({"src": f"assets/icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"})
    manifest = {
        "name": "יוזמות – מאגר ידע של השלטון המקומי ושותפיו",
        "short_name": "יוזמות",
        "lang": "he",
        "dir": "rtl",
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    (site_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


NOT_PRECACHED = (f"{DOWNLOADS}/", f"{FILES_FOLDER}/", FALLBACK, KNOWN)
"""Folders the worker does not fetch on install: the offline zip, the attachments (up to 50 MB each, kept once a
reader opens one), the search index for pages opened from disk (over http(s) the search runs on Pagefind's,
which is precached) and the lexicon's list of words for "did you mean" (offline it treats a word as unknown).
Their bytes still make the version, so a changed attachment renews the cache."""


def write_worker(site_dir: Path) -> list[str]:
    """Write sw.js listing every file of the site to precache; returns the list."""
    every = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file() and p.name != WORKER)
    files = [name for name in every if not name.startswith(NOT_PRECACHED)]
    digest = hashlib.sha256()
    for name in (name for name in every if name.split("/")[0] != DOWNLOADS):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256((site_dir / name).read_bytes()).digest())
    # Paths relative to the worker, which sits at the top of the site: the site works under any path.
    # Each one percent-encoded: an attachment's name may hold a space, Hebrew, "%", "#", "?" or a line
    # break, which a URL would read as an escape, a fragment or a query (json.dumps keeps it valid JS).
    listed = ["./"] + [quote(name, safe="/") for name in files]
    header = f"const VERSION = {json.dumps(digest.hexdigest()[:16])};\nconst FILES = {json.dumps(listed)};\n"
    (site_dir / WORKER).write_text(header + _WORKER_CODE, encoding="utf-8")
    return files
