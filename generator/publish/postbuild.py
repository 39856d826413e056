"""Stage 6, post-build: steps that work on the built HTML, in order."""

from __future__ import annotations

import re
from pathlib import Path

from . import csp, offline


def run_all(site_dir: Path) -> None:
    """Run every post-build step on a freshly built site (before it is swapped in)."""
    _drop_compressed_sitemap(site_dir)
    offline.drop_never_loaded(site_dir)
    finish_pages(site_dir, sorted(site_dir.rglob("*.html")))
    offline.write_manifest(site_dir)
    offline.write_worker(site_dir)  # last: it lists every file, with a hash of each


def finish_pages(site_dir: Path, pages: list[Path]) -> None:
    """The steps on each page's HTML: printed addresses, direction, the skip link, the Content-Security-Policy
    (the preview runs them on the pages it built again)."""
    policy = csp.meta_tag(site_dir)
    for page in pages:
        # One read and at most one write per page: the steps below are cheap, the disk is not.
        data = page.read_bytes()
        changed = csp.add_policy(_skip_to_content(_mark_direction(_print_addresses(data))), policy)
        if changed != data:
            page.write_bytes(changed)


def _drop_compressed_sitemap(site_dir: Path) -> None:
    # mkdocs writes sitemap.xml.gz as well; the plain sitemap is enough and
    # one file fewer to keep byte-identical between builds.
    gz = site_dir / "sitemap.xml.gz"
    if gz.exists():
        gz.unlink()


_HTML_OPEN = re.compile(rb"<html lang=\"he\"(?![^>]*\bdir=)")


def _mark_direction(page: bytes) -> bytes:
    """Put dir="rtl" on <html> (the theme sets it on <body> only), so the whole document,
    including what assistive tools read before the body, is right-to-left."""
    return _HTML_OPEN.sub(b'<html lang="he" dir="rtl"', page, count=1)


_SKIP = re.compile(rb'<div data-md-component="skip">.*?</div>', re.S)
_SKIP_LINK = '<div data-md-component="skip"><a href="#kb-content" class="md-skip">לדלג לתוכן</a></div>'.encode()


def _skip_to_content(page: bytes) -> bytes:
    """Point the page's skip link at the top of its content (main.html's #kb-content).

    The theme aims it at the first heading of the page's table of contents, which passes over the
    title, summary and card (HTML, so not in the table of contents), and leaves it out on pages
    without one (search, the emergency sheets, 404).
    """
    return _SKIP.sub(_SKIP_LINK, page, count=1) if b'id="kb-content"' in page else page


# A mailto: or tel: link, its address (without the scheme and any ?subject=) and its text. The generator's own
# links that show their address carry class="kb-address" before href, so this never matches them.
_ADDRESS_LINK = re.compile(rb'<a href="(mailto|tel):([^"?]*)[^"]*"[^>]*>(.*?)</a>', re.S)
_TAG = re.compile(rb"<[^>]*>")


def _print_addresses(page: bytes) -> bytes:
    """Give a mailto: or tel: link whose text is not its address (one in a contributor's Markdown: "כתבו לנו")
    that address as data-kb-address, which a printed page shows after the text (kb.css): CSS can print an
    attribute, but cannot take "mailto:" off an href."""

    def mark(link: re.Match[bytes]) -> bytes:
        scheme, address, text = link.group(1), link.group(2), _TAG.sub(b"", link.group(3)).strip()
        if scheme == b"tel":
            shown = re.sub(rb"[^0-9+]", b"", text) == re.sub(rb"[^0-9+]", b"", address)
        else:
            shown = text.lower() == address.lower()
        if shown or not address:
            return link.group(0)
        opening = len(b"<a ")
        return link.group(0)[:opening] + b'data-kb-address="' + address + b'" ' + link.group(0)[opening:]

    return _ADDRESS_LINK.sub(mark, page)
