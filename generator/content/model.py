"""The data model the stages share: a valid entry, what it is called, and what its links point at.

Made by stage 2 (`validate`), read by every later stage; a module of its own so that no later stage needs the
validator to know what an entry is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .body import RenderedBody
from .yaml_source import SourceMap


@dataclass(eq=False)  # an entry is itself: compared by identity, not field by field
class Entry:
    """A valid entry: its model plus where it came from."""

    collection: str
    id: str
    path: Path
    model: Any
    smap: SourceMap
    body: str = ""
    body_line: int = 1
    rendered: RenderedBody | None = None
    """The body as Markdown reads it; its HTML is published only through the sanitizer."""
    references: list | None = field(default=None, repr=False)
    """Its references (field path, kind, id), as `references.iter_references` finds them: found once, then kept
    (the preview resolves again after every change, with the same entry for a file that did not change)."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.collection, self.id)


def title_of(entry: Entry) -> str:
    """What an entry is called: its title, name or label."""
    model = entry.model
    return getattr(model, "title", None) or getattr(model, "name", None) or getattr(model, "label", None) or entry.id


def link_is_web(url: str) -> bool:
    return url.startswith(("https://", "http://")) and " " not in url


def link_is_file(url: str) -> bool:
    path = file_link_path(url)
    return path is not None and ".." not in path.split("/") and "\\" not in path


def file_link_path(url: str) -> str | None:
    """``files/plan.pdf``, ``/files/plan.pdf``, ``content/files/plan.pdf`` or ``plan.pdf`` (the contract's "a path
    under content/files/") → ``plan.pdf``; None for what is no path there (an address, or nothing)."""
    for prefix in ("content/files/", "/files/", "files/"):
        if url.startswith(prefix) and len(url) > len(prefix):
            return url[len(prefix) :]
    first = url.split("/")[0]
    # "www.example.org/x" is an address without its https://, not a folder of content/files/.
    looks_like_a_host = first.startswith("www.") or ("." in first and "/" in url)
    if url and not url.startswith("/") and ":" not in first and not looks_like_a_host:
        return url
    return None


OUTCOME_ANCHOR_PREFIX = "outcome-"
"""What every outcome row's id starts with: a prefix no heading of a body may take (`sanitize.RESERVED_ID_PREFIXES`)."""


def outcome_anchors(outcomes: list[Any]) -> list[str]:
    """The id of each of a forum's outcomes on its page, in their order: ``outcome-<id>`` where the outcome has an
    ``id``, else ``outcome-`` and eight hex digits of its title's hash, so that a shared link keeps pointing at the
    same outcome when others are added, removed or moved. Never a position's number (``outcome-1``, the old ids,
    still on the rows as they stood: `outcome_rows`); an outcome whose title another one above it has too gets
    "-2", "-3" after the hash, in their order."""
    positional = {f"{OUTCOME_ANCHOR_PREFIX}{number}" for number in range(1, len(outcomes) + 1)}
    taken = {f"{OUTCOME_ANCHOR_PREFIX}{o.id}" for o in outcomes if getattr(o, "id", None)} | positional
    anchors = []
    for outcome in outcomes:
        if getattr(outcome, "id", None):
            anchors.append(f"{OUTCOME_ANCHOR_PREFIX}{outcome.id}")
            continue
        # Spacing is no part of what the title says: mending it leaves the address as it was.
        words = " ".join(outcome.title.split())
        base = OUTCOME_ANCHOR_PREFIX + hashlib.sha256(words.encode("utf-8")).hexdigest()[:8]
        anchor, copy = base, 1
        while anchor in taken:
            copy += 1
            anchor = f"{base}-{copy}"
        taken.add(anchor)
        anchors.append(anchor)
    return anchors
