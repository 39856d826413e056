"""Post-build step: a Content-Security-Policy on every page, the second wall behind the sanitizer.

GitHub Pages sets no headers, so the policy is a ``<meta http-equiv>`` at the top of each page's
``<head>``. Scripts run only from the site's own files, plus the theme's few inline scripts, each
allowed by its hash; images, styles, fonts and connections come only from the site; no plugins,
no ``<base>``, forms post only to the site. Were anything executable ever to slip into a page's
content, the browser would refuse to run it and to fetch anything from elsewhere.

The hashes are read from the 404 page, which the theme writes with no contributor content at all:
whatever inline script the theme writes there is the theme's. A body can never add one to that list.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

REFERENCE_PAGE = "404.html"

DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'none'",),
    # Pagefind's search compiles WebAssembly, which browsers allow only with 'wasm-unsafe-eval' (not 'unsafe-eval').
    "script-src": ("'self'", "'wasm-unsafe-eval'"),
    "style-src": ("'self'",),
    # data: for the theme's icons, drawn by its stylesheet from data: URLs; a body's images are the site's files.
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "manifest-src": ("'self'",),
    "worker-src": ("'self'",),
    "form-action": ("'self'",),
    "base-uri": ("'none'",),
    "object-src": ("'none'",),
}
"""The policy, directive by directive; inline scripts' hashes are added to script-src."""

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)
_EXECUTABLE_TYPE = re.compile(rb"""\btype=["']?(?!text/javascript|module|application/javascript)""")
_HEAD = re.compile(rb'<meta charset="utf-8">|<head>', re.IGNORECASE)


def inline_script_hashes(page: bytes) -> list[str]:
    """The CSP source of each script a page runs inline (``'sha256-…'``), in order, each once.
    JSON data blocks (``type="application/json"``) are not scripts and need none."""
    found = []
    for attributes, code in _INLINE_SCRIPT.findall(page):
        if _EXECUTABLE_TYPE.search(attributes):
            continue
        source = "'sha256-" + base64.b64encode(hashlib.sha256(code).digest()).decode("ascii") + "'"
        if source not in found:
            found.append(source)
    return found


def policy(hashes: list[str]) -> str:
    directives = {**DIRECTIVES, "script-src": DIRECTIVES["script-src"] + tuple(hashes)}
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def meta_tag(site_dir: Path) -> bytes:
    """The ``<meta>`` every page of ``site_dir`` gets, with the hashes of the theme's inline scripts."""
    hashes = inline_script_hashes((site_dir / REFERENCE_PAGE).read_bytes())
    return f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'.encode()


def add_policy(page: bytes, meta: bytes) -> bytes:
    """``page`` with ``meta`` first in its head (after the charset), before any script or stylesheet."""
    match = _HEAD.search(page)
    if match is None:
        return page
    return page[: match.end()] + meta + page[match.end() :]
