"""The offline bundle: the whole site as one zip, to unzip and open from disk.

Reproducible like the rest of the build: entries sorted, every timestamp the
build date, fixed permissions.  A copy is published inside the site (under
``downloads/``, which the zip itself leaves out) so readers can download it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import zipfile
from pathlib import Path

from ..content import registry
from ..content.registry import DOWNLOADS, bundle_folder, bundle_name
from ..dates import BuildInfo, on_date_hebrew

_COMPRESSED = frozenset(
    {".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta", ".pagefind", ".png", ".jpg", ".jpeg", ".gz", ".zip", ".pdf"}
)

_OFFER = re.compile(rb'<p class="kb-offline">.*?</p>', re.DOTALL)


_FEED_LINK = re.compile(rb'\s*<link rel="alternate" type="application/atom\+xml"[^>]*>')


def _for_disk(relative: str, data: bytes, info: BuildInfo) -> bytes:
    """The few changes a file needs inside the bundle, which is opened from disk."""
    if relative.endswith(".html"):
        # Inside the bundle, the offer to download it becomes a note that this is the download.
        note = f'<p class="kb-offline">זהו עותק של האתר לשימוש ללא רשת, שנבנה {on_date_hebrew(info.today.isoformat())}.</p>'
        data = _OFFER.sub(note.encode("utf-8"), data)
        # Feed readers need an address, which a folder on disk has not; and the theme's script would
        # try to fetch a sitemap for each <link rel="alternate">, which browsers refuse from disk.
        data = _FEED_LINK.sub(b"", data)
    if relative == "404.html":
        # mkdocs writes the 404 page with URLs from the server's root (/assets/..., or /repo/assets/...
        # under a project's Pages address): right for a server, not for a folder.
        root = re.escape(info.url_path.encode("utf-8"))
        data = re.sub(rb'((?:href|src|action)=")' + root + rb"(?!/)", rb"\1", data)
    return data


def write_bundle(site_dir: Path, target: Path, info: BuildInfo) -> Path:
    """Zip ``site_dir`` (all but its downloads) into ``target``, a folder; returns the zip's path. Everything is
    inside one folder of the zip, so that unpacking it leaves one folder, not the site's files spilled around."""
    stamp = max(dt.datetime.fromtimestamp(info.timestamp, dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    target.mkdir(parents=True, exist_ok=True)
    path = target / bundle_name(info)
    files = sorted(p for p in site_dir.rglob("*") if p.is_file() and p.relative_to(site_dir).parts[0] != DOWNLOADS)
    folder = bundle_folder(info)
    with zipfile.ZipFile(path, "w") as archive:
        for file in files:
            relative = file.relative_to(site_dir).as_posix()
            entry = zipfile.ZipInfo(f"{folder}/{relative}", date_time=stamp.timetuple()[:6])
            entry.external_attr = 0o644 << 16
            # Pagefind's files and images are compressed already; text compresses well at level 1,
            # which costs a third of the default's time (the bundle is built on every build).
            entry.compress_type = zipfile.ZIP_STORED if file.suffix in _COMPRESSED else zipfile.ZIP_DEFLATED
            archive.writestr(entry, _for_disk(relative, file.read_bytes(), info), compresslevel=1)
    return path


def place_in_site(zipped: Path, site_dir: Path, info: BuildInfo) -> None:
    """The zip inside the site, for readers to download: a second name of the same file where the disk allows,
    so that it is not stored twice."""
    published = site_dir / registry.download_path(info)
    published.parent.mkdir(parents=True, exist_ok=True)
    _link_or_copy(zipped, published)


def part_path(dist: Path, site_name: str) -> Path:
    """Where `publish` puts the zip before it is complete. One fixed name per site dir is safe under its lock,
    and a killed build's half copy is simply replaced."""
    return dist / f".{site_name}-bundle.zip.part"


def publish(zipped: Path, dist: Path, site_name: str) -> None:
    """The zip into ``dist`` under a temporary name, renamed in: never a half-written zip there. Only the latest
    is kept."""
    dist.mkdir(exist_ok=True)
    part = part_path(dist, site_name)
    part.unlink(missing_ok=True)
    _link_or_copy(zipped, part)
    os.replace(part, dist / zipped.name)
    for older in dist.glob(f"{registry.SITE_NAME}-offline-*.zip"):
        if older.name != zipped.name:
            older.unlink()


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another filesystem, or one without hard links
        shutil.copyfile(source, target)
