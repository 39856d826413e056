"""Post-build step: the site keeps working offline, and a first visit stays small at any size.

A service worker (``sw.js`` at the top of the site) precaches the shell only (`SHELL`: the theme, the home and
search pages, the search index's entry files), then keeps every page, index chunk and attachment once it is
fetched. ``offline.json`` lists every file a reader may want offline, shell first, with its size and a hash:
the home page's "save the site" panel (kb-offline.js) downloads the rest into the worker's cache on request,
and a new version of the worker carries over what an older one saved whose bytes did not change. Files the
site never loads (source maps, the theme's own search, Pagefind's ready-made interfaces) are removed, so
neither a reader nor the offline zip downloads them. A web app manifest with a Hebrew name and icons lets a
phone keep the site. Opened from disk (file://), pages do not register the worker.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import quote

from ..content.registry import DOWNLOADS
from .search_index import FALLBACK, KNOWN

WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
ICON_SIZES = (192, 512)
THEME_COLOR = "#3f51b5"  # the palette's indigo

_WORKER_CODE = """// Yozmot service worker, written by the build (offline.py). A first visit keeps only the shell (SHELL:
// the theme, the home and search pages, the search index's entry files); every page, index chunk and
// attachment is kept once it is fetched, and the "save the site" button (kb-offline.js) fetches the rest
// of offline.json. A new version keeps what an older one had saved whose bytes did not change.
const CACHE = "yozmot-" + VERSION;
const LIST = "offline.json";
// "reload": every file comes from the server, past the HTTP cache, so a new version never stores
// the older bytes the browser kept (GitHub Pages lets it keep them ten minutes).
const fresh = (url) => new Request(url, { cache: "reload" });
const here = (path) => new URL(path, self.location).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map(fresh)).then(() => carryOver(cache)))
      .then(() => self.skipWaiting())
      .catch((error) => tellPages(error).then(() => Promise.reject(error))),
  );
});

// What the older caches saved and this version still has, byte for byte (offline.json gives each file's
// hash), goes into the new cache: a reader who saved the site keeps it across updates.
// Only where an older cache has the list (the reader opened the panel): a first visit never downloads it.
async function carryOver(cache) {
  const older = [];
  for (const key of await caches.keys()) {
    if (key.startsWith("yozmot-") && key !== CACHE && (await caches.match(here(LIST), { cacheName: key }))) older.push(key);
  }
  if (!older.length) return;
  const wanted = await fetch(fresh(LIST)).then((response) => response.json());
  if (wanted.version !== VERSION) throw new Error("the site changed during the update; it is tried again later");
  await cache.put(here(LIST), new Response(JSON.stringify(wanted), { headers: { "Content-Type": "application/json" } }));
  const hashes = new Map(wanted.files.map(([path, , hash]) => [here(path), hash]));
  for (const key of older) {
    const old = await caches.open(key);
    const listed = await old.match(here(LIST));
    const before = new Map((await listed.json()).files.map(([path, , hash]) => [here(path), hash]));
    const same = (request) => hashes.has(request.url) && before.get(request.url) === hashes.get(request.url);
    const kept = (await old.keys()).filter(same);
    // Fifty at a time: a saved site of 10,000 entries is over 20,000 files, too many to copy one by one.
    for (let start = 0; start < kept.length; start += 50) {
      await Promise.all(kept.slice(start, start + 50).map(copyInto(cache, old)));
    }
  }
}

const copyInto = (cache, old) => async (request) => {
  if (!(await cache.match(request))) await cache.put(request, await old.match(request));
};

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

// Kept once fetched: whatever the site serves, but the offline zip (a download, not a page to read).
const DOWNLOADS = new URL("./downloads/", self.location).pathname;
const OFFLINE_PAGE = `<!doctype html><html lang="he" dir="rtl"><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>אין חיבור לרשת</title>
<p>הדף הזה עוד לא נשמר במכשיר, ואין עכשיו חיבור לרשת. הדפים שכבר נפתחו זמינים גם בלי רשת;
בדף הבית אפשר לשמור את כל האתר לשימוש ללא רשת.</p></html>`;

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  // Pages are kept without their query (search.html?q=...), and the search index's entry file is
  // asked for with a changing ?ts=...: the query is ignored when matching.
  // The cache is opened only where it exists: a worker a newer one replaced would make its deleted cache again.
  event.respondWith(
    caches.match(event.request, { ignoreSearch: true, cacheName: CACHE }).then((hit) => hit || fetchAndKeep(event.request, url)),
  );
});

// Past the HTTP cache ("no-cache": the server says whether its copy changed), so that a page kept for good is
// never one the browser held from before an update.
function fetchAndKeep(request, url) {
  return fetch(url.href, { cache: "no-cache" }).then((response) => {
    if (response.ok && response.type === "basic" && !url.pathname.startsWith(DOWNLOADS)) {
      const copy = response.clone();
      caches.has(CACHE).then((has) => has && caches.open(CACHE).then((cache) => cache.put(url.origin + url.pathname, copy)));
    }
    return response;
  }, (error) => {
    if (request.mode !== "navigate") throw error;
    return new Response(OFFLINE_PAGE, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}
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


LIST = "offline.json"

NEVER_LOADED = re.compile(
    r"(\.map\Z|^assets/javascripts/(lunr|workers)/|^pagefind/pagefind-(ui|component-ui|modular-ui|highlight|worker)\.)"
)
"""Files the theme and Pagefind write that no page loads: source maps, the theme's own search (its plugin is off),
Pagefind's ready-made interfaces and its worker (search.js runs Pagefind on the page)."""

SHELL = re.compile(
    r"index\.html|search\.html|404\.html|manifest\.webmanifest|assets/(?!licenses\.txt\Z).*"
    r"|pagefind/(pagefind\.js|pagefind-entry\.json|[^/]*\.pf_meta|wasm\.[^/]*)|pagefind/kb/(shards|synonyms)\.js",
    re.DOTALL,  # a file's name may hold a line break
)
"""What a first visit keeps: the theme, the home and search pages, and what a first search needs before its
words' own files (Pagefind's code and metadata, the lexicon's list of files, the synonyms)."""

NOT_OFFLINE = (f"{DOWNLOADS}/", FALLBACK, KNOWN)
"""Never fetched into the cache: the offline zip, the search index for pages opened from disk (over http(s) the
search runs on Pagefind's) and the lexicon's full list of words for "did you mean" (offline, it treats a word
as unknown). Their bytes still make the version."""


_BUILD_LINE = re.compile(rb'<div class="kb-build-info">.*?</div>', re.DOTALL)
"""The footer's line that says when and from which commit a copy was built: left out of a page's hash in
offline.json, so that a build which changes no page's content keeps the pages a reader saved (their footer
still says, truly, when that copy was built)."""


def drop_never_loaded(site_dir: Path) -> None:
    """Remove the files no page loads (`NEVER_LOADED`)."""
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and NEVER_LOADED.search(path.relative_to(site_dir).as_posix()):
            path.unlink()


def write_worker(site_dir: Path) -> list[str]:
    """Write sw.js, which precaches the shell, and offline.json, which lists what "save the site" fetches (the
    shell first); returns the shell's files."""
    every = sorted(
        p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file() and p.name not in (WORKER, LIST)
    )
    digest = hashlib.sha256()
    hashes = {}
    for name in every:
        data = (site_dir / name).read_bytes()
        if name.split("/")[0] != DOWNLOADS:
            digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
        hashes[name] = hashlib.sha256(_BUILD_LINE.sub(b"", data) if name.endswith(".html") else data).hexdigest()
    version = digest.hexdigest()[:16]
    offline = [name for name in every if not name.startswith(NOT_OFFLINE)]
    shell = [name for name in offline if SHELL.fullmatch(name)]
    rest = [name for name in offline if not SHELL.fullmatch(name)]
    # Paths relative to the worker, which sits at the top of the site: the site works under any path.
    # Each one percent-encoded: an attachment's name may hold a space, Hebrew, "%", "#", "?" or a line
    # break, which a URL would read as an escape, a fragment or a query (json.dumps keeps it valid JS).
    listed = ["./"] + [quote(name, safe="/") for name in shell]
    header = f"const VERSION = {json.dumps(version)};\nconst SHELL = {json.dumps(listed)};\n"
    (site_dir / WORKER).write_text(header + _WORKER_CODE, encoding="utf-8")
    files = [[quote(name, safe="/"), (site_dir / name).stat().st_size, hashes[name][:12]] for name in shell + rest]
    data = {"version": version, "shell": len(shell), "files": files}
    (site_dir / LIST).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return shell
