"""Make Pagefind's output byte-identical between builds of the same content.

Pagefind 1.5 writes its filter indexes (and the metadata file naming them) in
hash-map order, which changes from run to run (Pagefind issue #638: fragments
became stable in 1.3, "filter/metadata indexes still change").  Their content
is the same, so this step re-encodes them with every list in a fixed order and
names each file by a hash of its new bytes, as Pagefind names them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

MAGIC = b"pagefind_dcd"


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise ValueError(f"{path} is not a Pagefind index file")
    return cbor2.loads(raw[len(MAGIC) :])


def _write(folder: Path, prefix: str, digits: int, suffix: str, data: Any) -> str:
    """Write ``data`` as ``<prefix><hash><suffix>``; returns the hash part Pagefind refers to."""
    payload = gzip.compress(MAGIC + cbor2.dumps(data), mtime=0)
    name = prefix + hashlib.sha256(payload).hexdigest()[:digits]
    (folder / f"{name}{suffix}").write_bytes(payload)
    return name


def is_complete(index_dir: Path) -> bool:
    """Whether every file the entry point names is there and readable."""
    try:
        entry = json.loads((index_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
        for info in entry["languages"].values():
            meta = _read(index_dir / f"pagefind.{info['hash']}.pf_meta")
            for _name, file_hash in meta[3]:
                _read(index_dir / "filter" / f"{file_hash}.pf_filter")
            pages = [index_dir / "fragment" / f"{page[0]}.pf_fragment" for page in meta[1]]
            chunks = [index_dir / "index" / f"{chunk[2]}.pf_index" for chunk in meta[2]]
            if not all(path.is_file() and path.stat().st_size for path in pages + chunks):
                return False
    except (OSError, ValueError, KeyError, IndexError, EOFError, cbor2.CBORDecodeError):
        return False
    return True


def make_stable(index_dir: Path) -> None:
    entry_file = index_dir / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_file = index_dir / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_file)
        filters = []
        for name, file_hash in sorted(meta[3]):
            filter_file = index_dir / "filter" / f"{file_hash}.pf_filter"
            facet, values = _read(filter_file)
            filter_file.unlink()
            stable = [facet, sorted(values, key=lambda value: value[0])]
            filters.append([name, _write(index_dir / "filter", f"{language}_", 7, ".pf_filter", stable)])
        meta[3] = filters
        meta_file.unlink()
        info["hash"] = _write(index_dir, f"pagefind.{language}_", 10, ".pf_meta", meta).removeprefix("pagefind.")
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
