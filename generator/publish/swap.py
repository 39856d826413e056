"""Builds that can be killed: one build at a time into a site dir, what killed ones left removed, and a
swap that never leaves a moment without a complete site.

The finished site takes the old one's place by exchanging the two names in one system call
(``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np(RENAME_SWAP)`` on macOS): a reader, a web
server or a copy to GitHub Pages sees either the old site or the new, whole. Where neither exists
(another system, or a filesystem that cannot), two renames, with a moment between them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


def work_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}-build-"


def _lock_path(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.lock"


@contextlib.contextmanager
def build_lock(site_dir: Path) -> Iterator[int | None]:
    """Hold the site dir's build lock for the whole build; yields its descriptor (None where there is no lock).

    The descriptor is handed to mkdocs too, so that a build whose own process was killed keeps the lock
    while its mkdocs runs on, and the next build waits for it instead of cleaning up under it.

    A second build into the same site dir waits here rather than failing: `kb serve` and a `kb build`
    in another terminal may well overlap, and the later build should still happen. The kernel drops
    the lock when its holder dies, however it dies, so a killed build never blocks the next one.
    """
    if fcntl is None:  # Windows: no flock, so builds are not serialised there and leftovers are kept
        yield None
        return
    path = _lock_path(site_dir)
    fd = _acquire(path, site_dir)
    try:
        yield fd
    finally:
        # Removed while still held, so no lock file stays beside the site; a build that opened the file
        # meanwhile finds it gone once it has the lock, and starts again with a new one (`_acquire`).
        path.unlink(missing_ok=True)
        os.close(fd)


def _acquire(path: Path, site_dir: Path) -> int:
    """Lock the file at ``path`` (creating it), waiting while another build holds it; returns its descriptor."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _wait_for_lock(fd, site_dir)
            if _still_at(fd, path):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the build we waited for removed this file: a lock on it would guard nothing


def _wait_for_lock(fd: int, site_dir: Path) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"Another build into {site_dir} is running; waiting for it to finish.", file=sys.stderr, flush=True)
        fcntl.flock(fd, fcntl.LOCK_EX)


def _still_at(fd: int, path: Path) -> bool:
    """Whether the locked file is still the one at ``path``."""
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def remove_leftovers(site_dir: Path, part: Path) -> None:
    """Remove what killed builds into ``site_dir`` left: their work folders and a half-copied bundle (``part``).

    Only with the lock held, when no running build can own any of them. A work folder's name is the
    prefix and tempfile's random part, which has no "-": the folders of a site dir named, say,
    "site-build" (".site-build-build-…") are not taken for those of "site". (When only the build's own
    process was killed, its mkdocs holds the lock until it ends, so this waits for it.)
    """
    ours = re.compile(re.escape(work_prefix(site_dir)) + r"[a-z0-9_]+")
    for entry in site_dir.parent.iterdir():
        if ours.fullmatch(entry.name) and not entry.is_symlink() and entry.is_dir():
            # A folder that cannot be removed must not stop the build; the next build tries again.
            shutil.rmtree(entry, ignore_errors=True)
    part.unlink(missing_ok=True)


def swap_in(new_site: Path, site_dir: Path, work: Path) -> None:
    """Put ``new_site`` in the place of ``site_dir``, with no moment at which there is no complete site.

    Where the system exchanges two names in one step, the old site lands where ``new_site`` was, in the
    work folder, and is deleted with it. Elsewhere (another system, or a filesystem that cannot), two
    renames: the old site away, then the new one in.
    """
    if not os.path.lexists(site_dir):
        new_site.rename(site_dir)  # nothing to replace: a single rename is atomic already
        return
    try:
        exchange(new_site, site_dir)
    except ExchangeUnsupported:
        site_dir.rename(work / "old-site")
        new_site.rename(site_dir)


class ExchangeUnsupported(OSError):
    """This system, or the filesystem of the paths, cannot exchange two names in one step."""


# What these errors mean here is "not on this filesystem or kernel", not "this exchange failed".
_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP})

_Exchange = Callable[[bytes, bytes], int]
"""A system call that exchanges two names: ``call(first, second)`` returns 0, or -1 with errno set."""


def exchange(first: Path, second: Path) -> None:
    """Exchange two existing paths atomically: afterwards each name refers to what the other did."""
    call = _exchange_call()
    if call is None:
        raise ExchangeUnsupported(errno.ENOTSUP, f"no atomic exchange of names on {sys.platform}")
    if call(os.fsencode(first), os.fsencode(second)) == 0:
        return
    code = ctypes.get_errno()
    error = ExchangeUnsupported if code in _UNSUPPORTED else OSError
    raise error(code, os.strerror(code), str(first), None, str(second))


@functools.cache
def _exchange_call() -> _Exchange | None:
    if sys.platform.startswith("linux"):
        return _linux_exchange(ctypes.CDLL(None, use_errno=True))
    if sys.platform == "darwin":
        return _macos_exchange(ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True))
    return None


_AT_FDCWD = -100
_RENAME_EXCHANGE = 1 << 1  # linux/fs.h


def _linux_exchange(libc: ctypes.CDLL) -> _Exchange | None:
    wrapper = getattr(libc, "renameat2", None)  # glibc 2.28 and later, musl 1.2
    if wrapper is None:
        return None
    wrapper.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    wrapper.restype = ctypes.c_int
    return lambda first, second: wrapper(_AT_FDCWD, first, _AT_FDCWD, second, _RENAME_EXCHANGE)


_RENAME_SWAP = 0x2  # sys/stdio.h


def _macos_exchange(libc: ctypes.CDLL) -> _Exchange | None:
    renamex = getattr(libc, "renamex_np", None)  # macOS 10.12 and later
    if renamex is None:
        return None
    renamex.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
    renamex.restype = ctypes.c_int
    return lambda first, second: renamex(first, second, _RENAME_SWAP)
