"""The history stage (between resolve and render): each forum outcome's dated record, read from git.

When an outcome first appeared in its forum's file, and each commit that changed its ``status``, ``due``, ``owner``
or ``progress``, dated by the commit (the committer's date, as a day in Israel). The renderer receives the result
(`OutcomeHistory`, on `BuildInfo`) and never runs git itself.

Two git processes whatever the size of the history: one ``git log`` lists, oldest first, every commit that touched
the forums' folder with the blobs it wrote (``--raw``, rename detection on, so a forum whose file was renamed keeps
its history under its new id), and one ``git cat-file --batch`` reads those blobs. Outcomes are matched from one
version to the next by their anchor (`model.outcome_anchors`): reordering them loses nothing; an outcome without an
``id`` whose title changes gets a new anchor, and so starts a new history.

The history is as untrusted as the files: every version is read with the loader's own guarded YAML reader, and one
that cannot be read is skipped (the next is compared with the last readable one); every value is kept as short text;
sizes and counts are capped, and past a cap the history is reported unavailable rather than partly shown.

Unavailable outside a git work tree, without git, in a shallow clone (its oldest commit would look like the day
every outcome was added), or past a cap: the forum's page then says so.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import threading
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import IO, TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

from . import schema
from .model import outcome_anchors
from .yaml_source import read_yaml, split_front_matter

if TYPE_CHECKING:
    from .references import Graph

FIELDS = ("status", "due", "owner", "progress")
"""An outcome's fields whose changes are its history."""
ADDED = "added"
"""The field name of an outcome's first appearance (its ``new`` is its status then)."""

MAX_COMMITS = 20_000
"""Commits that touched the forums' folder: more, and the history is not read (not a part of it: its start would
look like the day every outcome was added)."""
MAX_LOG_BYTES = 64 * 1024 * 1024
"""What git log may print (about 100 bytes per file changed)."""
MAX_FILE_BYTES = 640 * 1024
"""A version larger than the loader accepts (`load.MAX_FILE_BYTES`) is skipped, unread."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""All versions together: past it, the history is unavailable (the time it takes is bounded by it)."""
MAX_OUTCOMES = 2_000
"""Outcomes of one version that are read; more are ignored."""
MAX_TRACKED = 200_000
"""Outcomes followed across all versions (removed ones included): past it, the history is unavailable."""
MAX_TEXT = 200
"""Characters kept of a value (a title's hash is made from all of it)."""
MAX_CHANGES = 100
"""Changes kept per outcome: its first appearance and the latest; the others are counted (`Timeline.earlier`)."""
TIMEOUT = 120
"""Seconds each git process may take."""

try:
    ISRAEL: dt.tzinfo = zoneinfo.ZoneInfo("Asia/Jerusalem")
except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
    # No time zone data (neither the system's nor the tzdata package): days in UTC, the same on every build of
    # that machine; a commit made in Israel after midnight may then be dated the day before.
    ISRAEL = dt.UTC


@dataclass(frozen=True)
class Change:
    """One dated event of an outcome: it appeared (``field`` is `ADDED`, ``new`` its status) or a field changed."""

    day: str
    """The commit's day in Israel, ``YYYY-MM-DD``."""
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Timeline:
    """An outcome's events, oldest first (in the order of the commits along the first parents: the order the
    changes reached the branch)."""

    changes: tuple[Change, ...]
    earlier: int = 0
    """Changes left out between the first and those kept (more than `MAX_CHANGES`)."""

    @property
    def first_seen(self) -> str | None:
        return self.changes[0].day if self.changes and self.changes[0].field == ADDED else None

    @property
    def status_since(self) -> str | None:
        """The day its status was last set: its last change of status, else its first appearance."""
        for change in reversed(self.changes):
            if change.field in ("status", ADDED):
                return change.day
        return None


@dataclass(frozen=True)
class OutcomeHistory:
    available: bool
    reason: str = ""
    """Why it is not available, in English, for the build's log and the tests."""
    timelines: Mapping[str, Mapping[str, Timeline]] = field(default_factory=dict)
    """By forum id, then by the outcome's anchor (``outcome-…``)."""

    def of(self, forum_id: str, anchor: str) -> Timeline | None:
        return self.timelines.get(forum_id, {}).get(anchor)


def unavailable(reason: str) -> OutcomeHistory:
    return OutcomeHistory(False, reason)


NOT_READ = unavailable("not read")
"""What a build that does not read the history has (a renderer made without it, the tests' builds)."""


OFF_SWITCH = "KB_OUTCOME_HISTORY"
"""Set to "off", the build reads no history (a quick local build; tests whose pages must not depend on git)."""


def read(graph: Graph) -> OutcomeHistory:
    """The history of every outcome of the graph's forums, from the git repository its content folder is in."""
    if os.environ.get(OFF_SWITCH, "").strip().lower() == "off":
        return unavailable(f"not read ({OFF_SWITCH}=off)")
    try:
        forums = graph.entries.get("forums", {}).values()
        return _read(Path(graph.root), {forum.id: set(outcome_anchors(forum.model.outcomes)) for forum in forums})
    except _Unavailable as why:
        return unavailable(str(why))


class _Unavailable(Exception):
    pass


def _read(content: Path, wanted: dict[str, set[str]]) -> OutcomeHistory:
    top, prefix = _repository(content)
    folder = f"{prefix}forums/"
    commits = _commits(top, folder)
    blobs = _versions(top, [oid for _, changes in commits for _, _, _, oid in changes if oid])
    return OutcomeHistory(True, "", _timelines(commits, blobs, folder, wanted))


def _git(*args: str) -> list[str]:
    # The user's configuration must not change what is printed (a signature shown in the log, a pager, colour).
    return ["git", "-c", "log.showSignature=false", "-c", "core.pager=cat", "--no-pager", "--literal-pathspecs", *args]


def _environment() -> dict[str, str]:
    # English messages, and no prompt for credentials (nothing here needs the network).
    return {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def _repository(content: Path) -> tuple[Path, str]:
    """The repository's top folder and the content folder's path in it (``""`` or ``tests/sample_site/content/``)."""
    try:
        done = subprocess.run(
            _git("rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-toplevel", "--show-prefix"),
            cwd=content,
            capture_output=True,
            env=_environment(),
            timeout=TIMEOUT,
            check=False,
        )
    except FileNotFoundError as error:
        raise _Unavailable("git is not installed") from error
    except (OSError, subprocess.SubprocessError) as error:
        raise _Unavailable(f"git could not be run: {error}") from error
    lines = done.stdout.decode("utf-8", "replace").split("\n")
    if done.returncode != 0 or len(lines) < 4 or lines[0] != "true":
        raise _Unavailable("the content is not in a git work tree")
    if lines[1] != "false":
        raise _Unavailable("the repository is a shallow clone")
    return Path(lines[2]), lines[3]


_Commit = tuple[int, list[tuple[str, str, str, str]]]
"""A commit's time and, for each forum file it touched: (status letter, path before, path after, blob written or
"" when the file is gone or is no regular file)."""


def _commits(top: Path, folder: str) -> list[_Commit]:
    """Every commit that touched ``folder``, oldest first, along the first parents (a merge counts as the change it
    brought to the branch), with what it did to each file there."""
    args = _git(
        "log",
        "--reverse",
        "--first-parent",
        "--diff-merges=first-parent",
        "--no-color",
        "--no-ext-diff",
        "--raw",
        "--no-abbrev",
        "-M",
        "-z",
        "--format=commit %ct",
        f"--max-count={MAX_COMMITS + 1}",
        "--",
        folder,
    )
    out, code = _run(args, top, MAX_LOG_BYTES)
    if code != 0:
        raise _Unavailable("git log failed (a repository with no commits yet?)")
    commits: list[_Commit] = []
    tokens = out.split(b"\0")
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip(b"\n").decode("utf-8", "replace")
        index += 1
        if token.startswith("commit "):
            stamp = token[len("commit ") :].strip()
            commits.append((int(stamp) if stamp.isdigit() else 0, []))
        elif token.startswith(":") and commits:
            # ":<old mode> <new mode> <old blob> <new blob> <status>", then the path (two for a rename or copy).
            parts = token[1:].split(" ")
            if len(parts) != 5:
                raise _Unavailable("git log printed what it should not")
            new_mode, new_blob, status = parts[1], parts[3], parts[4][:1]
            before = tokens[index].decode("utf-8", "replace") if index < len(tokens) else ""
            index += 1
            after = before
            if status in ("R", "C"):
                after = tokens[index].decode("utf-8", "replace") if index < len(tokens) else ""
                index += 1
            regular = new_mode.startswith("100") and status != "D" and set(new_blob) != {"0"}
            commits[-1][1].append((status, before, after, new_blob if regular else ""))
    if len(commits) > MAX_COMMITS:
        raise _Unavailable(f"more than {MAX_COMMITS:,} commits changed the forums")
    return commits


def _run(args: list[str], cwd: Path, limit: int) -> tuple[bytes, int]:
    """A git process's output (at most ``limit`` bytes: past it, or past `TIMEOUT`, the history is unavailable)."""
    try:
        process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment())
    except OSError as error:
        raise _Unavailable(f"git could not be run: {error}") from error
    timer = threading.Timer(TIMEOUT, process.kill)
    timer.start()
    try:
        assert process.stdout is not None
        chunks, size = [], 0
        while chunk := process.stdout.read(1 << 16):
            size += len(chunk)
            if size > limit:
                process.kill()
                raise _Unavailable("git printed more than the history may hold")
            chunks.append(chunk)
        code = process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()
    if code < 0:
        raise _Unavailable("git took too long")
    return b"".join(chunks), code


_Outcomes = dict[str, tuple[str | None, ...]]
"""A version's outcomes: by anchor, their `FIELDS` as text."""


def _versions(top: Path, oids: list[str]) -> dict[str, _Outcomes | None]:
    """Each blob's outcomes (None for a version that cannot be read), all read by one ``git cat-file --batch``."""
    unique = list(dict.fromkeys(oids))
    if not unique:
        return {}
    try:
        process = subprocess.Popen(
            _git("cat-file", "--batch"),
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_environment(),
        )
    except OSError as error:
        raise _Unavailable(f"git could not be run: {error}") from error
    assert process.stdin is not None and process.stdout is not None
    # The requests are written from a thread while this one reads the answers: either alone could fill its pipe.
    writer = threading.Thread(target=_request, args=(process.stdin, unique), daemon=True)
    timer = threading.Timer(TIMEOUT, process.kill)
    writer.start()
    timer.start()
    parsed: dict[str, _Outcomes | None] = {}
    by_front: dict[str, _Outcomes | None] = {}
    total = 0
    try:
        for oid in unique:
            header = process.stdout.readline(200).decode("ascii", "replace").split()
            if len(header) == 2 and header[1] == "missing":
                parsed[oid] = None
                continue
            if len(header) != 3 or not header[2].isdigit():
                raise _Unavailable("git cat-file stopped (took too long?)")
            size = int(header[2])
            total += size
            if total > MAX_TOTAL_BYTES:
                raise _Unavailable("the forums' history is larger than it may be")
            if size > MAX_FILE_BYTES or header[1] != "blob":
                _skip(process.stdout, size + 1)
                parsed[oid] = None
                continue
            data = _read_exactly(process.stdout, size + 1)[:size]
            parsed[oid] = _outcomes_of(data, by_front)
    finally:
        timer.cancel()
        process.kill()
        process.wait()
        writer.join(5)
        process.stdout.close()
    return parsed


def _request(stdin: IO[bytes], oids: list[str]) -> None:
    try:
        for oid in oids:
            stdin.write(oid.encode("ascii", "replace") + b"\n")
        stdin.close()
    except (OSError, ValueError):
        pass  # the reader stopped early (a cap, a timeout): it reports why


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise _Unavailable("git cat-file stopped (took too long?)")
    return data


def _skip(stream: IO[bytes], size: int) -> None:
    while size > 0:
        size -= len(_read_exactly(stream, min(size, 1 << 16)))


def _outcomes_of(data: bytes, by_front: dict[str, _Outcomes | None]) -> _Outcomes | None:
    """A version's outcomes by anchor, or None when it cannot be read (no UTF-8, no front matter, broken YAML)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    front, _, _ = split_front_matter(text.removeprefix("\ufeff"))
    if front is None:
        return None
    if front in by_front:  # most commits change one forum's body or another outcome: the same front matter again
        return by_front[front]
    found = by_front[front] = _parse(front)
    return found


def _parse(front: str) -> _Outcomes | None:
    loaded, _, problems = read_yaml(front, 1)
    if problems or not isinstance(loaded, dict):
        return None
    raw = loaded.get("outcomes") or []
    if not isinstance(raw, list):
        return None
    items = [item for item in raw[:MAX_OUTCOMES] if isinstance(item, dict) and isinstance(item.get("title"), str)]
    # The same anchors the renderer gives the current outcomes: an id where it is text, else the title's hash.
    shaped = [
        SimpleNamespace(id=item.get("id") if isinstance(item.get("id"), str) else None, title=item["title"]) for item in items
    ]
    return {
        anchor: tuple(_valid(name, _text(item.get(name))) for name in FIELDS)
        for anchor, item in zip(outcome_anchors(shaped), items, strict=True)
    }


def _valid(name: str, value: str | None) -> str | None:
    """``value`` where it is one the content model takes for the field, else None: a version that never passed the
    check (a broken commit, a hostile one) shows no text of its own on the page."""
    if value is None:
        return None
    if name == "status":
        return value if value in schema.OUTCOME_STATUSES else None
    if name == "owner":
        return value if len(value) <= schema.ID_MAX and schema.ID_RE.match(value) else None
    if name == "progress":
        return value if value.isascii() and value.isdigit() and int(value) <= 100 else None
    try:  # due
        return schema.parse_partial_date(value)
    except (ValueError, PydanticCustomError):
        return None


def _text(value: Any) -> str | None:
    """A value as short text: a date as ``YYYY-MM-DD``, a number as its digits; a list or mapping as None (no valid
    version has one there, and its text could be huge)."""
    if value is None or isinstance(value, (list, dict)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)[:MAX_TEXT]


@dataclass
class _Record:
    values: tuple[str | None, ...]
    changes: list[Change]
    earlier: int = 0

    def add(self, change: Change) -> None:
        self.changes.append(change)
        if len(self.changes) > MAX_CHANGES:
            del self.changes[1]  # the first appearance stays
            self.earlier += 1


def _day(stamp: int) -> str:
    # A forged commit date may lie outside what a date can hold: kept within years 1970-9999.
    stamp = min(max(stamp, 0), 253_402_214_400)
    return dt.datetime.fromtimestamp(stamp, ISRAEL).date().isoformat()


def _timelines(
    commits: list[_Commit], blobs: dict[str, _Outcomes | None], folder: str, wanted: dict[str, set[str]]
) -> dict[str, dict[str, Timeline]]:
    records: dict[str, dict[str, _Record]] = {}
    """By the forum file's path (it moves with a rename), its outcomes ever seen, removed ones too."""
    gone: dict[str, dict[str, _Record]] = {}
    """A deleted file's records, should the same path come back (a deletion reverted)."""
    tracked = 0
    for stamp, changes in commits:
        day = _day(stamp)
        for status, before, after, oid in changes:
            if status == "R" and before in records:
                records[after] = records.pop(before)
            if not oid:
                if after in records:
                    gone[after] = records.pop(after)
                continue
            outcomes = blobs.get(oid)
            if outcomes is None:
                continue  # a version that cannot be read: the next one is compared with the last that could
            known = records.setdefault(after, gone.pop(after, {}))
            for anchor, values in outcomes.items():
                record = known.get(anchor)
                if record is None:
                    tracked += 1
                    if tracked > MAX_TRACKED:
                        raise _Unavailable(f"more than {MAX_TRACKED:,} outcomes in the forums' history")
                    known[anchor] = _Record(values, [Change(day, ADDED, None, values[0])])
                    continue
                for name, old, new in zip(FIELDS, record.values, values, strict=True):
                    if old != new:
                        record.add(Change(day, name, old, new))
                record.values = values
    timelines: dict[str, dict[str, Timeline]] = {}
    for path, known in sorted(records.items()):
        forum_id = path[len(folder) :].removesuffix(".md") if path.startswith(folder) and path.endswith(".md") else ""
        if forum_id not in wanted or "/" in forum_id:
            continue
        timelines[forum_id] = {
            anchor: Timeline(tuple(record.changes), record.earlier)
            for anchor, record in sorted(known.items())
            if anchor in wanted[forum_id]
        }
    return timelines
