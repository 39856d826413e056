"""Stage 1, load: read every content file into raw entries, keeping line numbers.

Nothing is validated against a schema here; this stage only reports what
stops a file from being read at all (not UTF-8, broken YAML, a symlink, a
name that cannot be an id) and carries on with the other files.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import KbError, Problem
from . import attachments, personal_data, registry
from .schema import ID_MAX, ID_MIN, is_valid_id
from .yaml_source import Located, SourceMap, read_yaml, split_front_matter


@dataclass
class RawEntry:
    """One entry as read from disk, before validation."""

    collection: str
    id: str
    path: Path
    data: Any
    smap: SourceMap
    body: str = ""
    body_line: int = 1


@dataclass
class LoadedContent:
    root: Path
    entries: list[RawEntry] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """Attachment paths relative to content/files/, sorted."""
    unreadable: set[str] = field(default_factory=set)
    """Vocabularies whose file could not be read at all: their ids are unknown, so references
    to them are not reported as missing (the file's own problem is)."""
    ids: dict[str, set[str]] = field(default_factory=dict)
    """Every id a file or vocabulary key claims, readable or not: a reference to a broken
    entry is not reported again as missing (the entry's own problem is)."""
    problems: list[Problem] = field(default_factory=list)


FileCache = dict[Path, tuple[tuple[int, int, int], "LoadedContent"]]
"""What each entry file gave when last read (its problems, entry and id), by path, with the file's modification
time, size and inode then: the preview (`kb serve`) reads again only the files that changed."""


def load_content(root: Path, cache: FileCache | None = None) -> LoadedContent:
    """Read every collection under ``root`` (the content/ folder); with a ``cache``, each entry file only if it
    changed since the cache last saw it."""
    root = Path(root)
    if not root.is_dir():
        raise KbError(f"content folder not found: {root}")
    loaded = LoadedContent(root=root)
    _check_top_level(root, loaded)
    for collection in registry.COLLECTIONS.values():
        if collection.format == "vocabulary":
            _load_vocabulary(root, collection, loaded)
        else:
            _load_folder(root, collection, loaded, cache)
    _check_vocabulary_folder(root, loaded)
    _load_files(root, loaded)
    return loaded


def _check_vocabulary_folder(root: Path, loaded: LoadedContent) -> None:
    """Report files in the vocabulary folder that no collection reads (e.g. taxonomies/regions.yml)."""
    vocabularies = [c.source_path for c in registry.COLLECTIONS.values() if c.format == "vocabulary"]
    for folder in sorted({Path(v).parent.as_posix() for v in vocabularies}):
        if not (root / folder).is_dir():
            continue
        for path in sorted((root / folder).iterdir()):
            if path.name.startswith(".") or f"{folder}/{path.name}" in vocabularies:
                continue
            loaded.problems.append(
                Problem(
                    path,
                    1,
                    folder,
                    "",
                    "file",
                    f"'{path.name}' is not a known vocabulary, so it is not read",
                    "Put its terms in one of the files the site reads: " + ", ".join(vocabularies),
                )
            )


def _check_top_level(root: Path, loaded: LoadedContent) -> None:
    known = {c.source_path.split("/")[0] for c in registry.COLLECTIONS.values()} | {registry.FILES_FOLDER}
    for item in sorted(root.iterdir()):
        if item.name.startswith(".") or item.name.lower().startswith("readme"):
            continue
        if not item.is_dir():
            loaded.problems.append(
                Problem(
                    item,
                    1,
                    "content",
                    "",
                    "file",
                    "files directly in content/ are not read",
                    f"Move it into one of: {', '.join(sorted(known))}",
                )
            )
            continue
        if item.name not in known:
            guess = difflib.get_close_matches(item.name, sorted(known), n=1)
            hint = f"Did you mean '{guess[0]}'? " if guess else ""
            loaded.problems.append(
                Problem(
                    item,
                    1,
                    item.name,
                    "",
                    "folder",
                    f"'{item.name}' is not a known folder of content",
                    f"{hint}Move the files into one of: {', '.join(sorted(known))}",
                )
            )


ID_IN_NAME = (
    "the id holds what looks like an Israeli ID number",
    "Rename it: an id is part of the page's address, and ID numbers are personal data",
)
MAX_FILE_BYTES = 640 * 1024
"""Largest content file: a body's 100,000 characters and its front matter, or a vocabulary of some 18,000 terms
(real ones have tens), fit; past it a file is refused before it is parsed, so no file keeps the check busy for long."""


def _read_text(path: Path, collection: str, entry_id: str, loaded: LoadedContent) -> str | None:
    # A link, or a file in a linked folder (taxonomies/ → elsewhere), would read from outside the content.
    if path.is_symlink() or path.parent.is_symlink():
        loaded.problems.append(
            Problem(
                path,
                1,
                collection,
                entry_id,
                "file",
                "symbolic links are not allowed in content/",
                "Replace the link with the file itself",
            )
        )
        return None

    def refuse(message: str, hint: str, line: int = 1) -> None:
        loaded.problems.append(Problem(path, line, collection, entry_id, "file", message, hint))

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            refuse(
                f"the file is {size // 1024:,} KB, more than {MAX_FILE_BYTES // 1024:,} KB",
                "An entry is a page of text: move long documents to content/files/ and link to them",
            )
            return None
        data = path.read_bytes()
    except OSError as error:
        refuse(f"the file cannot be read ({error.strerror or error})", "Check the file's permissions, or replace it")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        loaded.problems.append(
            Problem(
                path,
                line,
                collection,
                entry_id,
                "file",
                "the file is not UTF-8 text",
                "Save it as UTF-8 (in most editors: Save with encoding → UTF-8)",
            )
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _check_name(path: Path, collection: registry.Collection, loaded: LoadedContent) -> str | None:
    """Return the entry id from the file name, or report why it cannot be one."""
    entry_id = path.name[: -len(path.suffix)] if path.suffix else path.name
    if path.suffix != collection.extension:
        loaded.problems.append(
            Problem(
                path,
                1,
                collection.name,
                entry_id,
                "file",
                f"files in {collection.source_path}/ must end in {collection.extension}, not '{path.suffix or path.name}'",
                f"Rename it to {entry_id}{collection.extension}",
            )
        )
        return None
    if not is_valid_id(entry_id):
        loaded.problems.append(
            Problem(
                path,
                1,
                collection.name,
                entry_id,
                "id",
                f"the file name '{entry_id}' is not a valid id",
                f"Rename the file: an id is {ID_MIN}-{ID_MAX} lowercase English letters, digits and single hyphens, "
                "starting with a letter (e.g. migdal-haemek)",
            )
        )
        return None
    if personal_data.file_name_ids(entry_id):
        loaded.problems.append(
            Problem(path, 1, collection.name, entry_id, "id", *ID_IN_NAME),
        )
        return None
    return entry_id


def _load_folder(root: Path, collection: registry.Collection, loaded: LoadedContent, cache: FileCache | None) -> None:
    folder = root / collection.source_path
    if not folder.exists():
        return
    if folder.is_symlink() or not folder.is_dir():
        loaded.problems.append(
            Problem(folder, 1, collection.name, "", "folder", "must be a real folder", "Replace it with a folder")
        )
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            loaded.problems.append(
                Problem(
                    path,
                    1,
                    collection.name,
                    path.name,
                    "file",
                    "folders inside a collection are not read",
                    f"Move the files directly into {collection.source_path}/",
                )
            )
            continue
        if cache is None:
            _load_file(path, collection, loaded)
            continue
        try:
            status = path.lstat()
            stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        except OSError:
            stamp = (0, 0, 0)
        if path not in cache or cache[path][0] != stamp:
            part = LoadedContent(root=root)
            _load_file(path, collection, part)
            cache[path] = (stamp, part)
        part = cache[path][1]
        loaded.problems += part.problems
        loaded.entries += part.entries
        for name, ids in part.ids.items():
            loaded.ids.setdefault(name, set()).update(ids)


def _load_file(path: Path, collection: registry.Collection, loaded: LoadedContent) -> None:
    """One entry file: its id, its raw entry, or what stops it from being read, into ``loaded``."""
    entry_id = _check_name(path, collection, loaded)
    if entry_id is not None:
        loaded.ids.setdefault(collection.name, set()).add(entry_id)
    text = _read_text(path, collection.name, path.stem, loaded)
    if entry_id is None or text is None:
        return
    body, body_line, offset = "", 1, 0
    if collection.format == "markdown":
        front, body, body_line = split_front_matter(text)
        if front is None:
            opened = text.split("\n", 1)[0].rstrip() == "---"
            loaded.problems.append(
                Problem(
                    path,
                    1,
                    collection.name,
                    entry_id,
                    "front matter",
                    "the front matter that starts on line 1 is never closed"
                    if opened
                    else "the file does not start with front matter",
                    "Add a line '---' after the last field"
                    if opened
                    else "Start the file with a line '---', the fields, and another line '---'",
                )
            )
            return
        text, offset = front, 1
    data, smap, yaml_problems = read_yaml(text, line_offset=offset)
    for yp in yaml_problems:
        loaded.problems.append(Problem(path, yp.line, collection.name, entry_id, field_name(yp.path), yp.message, yp.hint))
    if data is None and not yaml_problems:
        data = {}
    if data is None:
        return
    loaded.entries.append(RawEntry(collection.name, entry_id, path, data, smap, body, body_line))


def _load_vocabulary(root: Path, collection: registry.Collection, loaded: LoadedContent) -> None:
    path = root / collection.source_path
    if not path.exists():
        return
    text = _read_text(path, collection.name, "", loaded)
    if text is None:
        return
    data, smap, yaml_problems = read_yaml(text)
    for yp in yaml_problems:
        entry_id = str(yp.path[0]) if yp.path else ""
        loaded.problems.append(Problem(path, yp.line, collection.name, entry_id, field_name(yp.path[1:]), yp.message, yp.hint))
    if data is None:
        if yaml_problems:
            loaded.unreadable.add(collection.name)
        return
    if not isinstance(data, dict):
        loaded.problems.append(
            Problem(
                path,
                smap.line(()),
                collection.name,
                "",
                "-",
                "the file must map ids to terms",
                "Write one 'id:' per term, with 'label:' indented under it",
            )
        )
        return
    if collection.max_entries is not None and len(data) > collection.max_entries:
        loaded.problems.append(
            Problem(
                path,
                1,
                collection.name,
                "",
                "-",
                f"the file holds {len(data):,} entries, more than {collection.max_entries:,}",
                "Keep the groups readers need; merge or remove the others",
            )
        )
        return
    # Each term's fields, found in one pass over the file's locations (not one pass per term: a vocabulary of
    # 16,000 terms took 30 s that way).
    by_term: dict[str, list[tuple[tuple, Located]]] = {}
    for loc_path, located in smap.locations.items():
        if len(loc_path) > 1:
            by_term.setdefault(loc_path[0], []).append((loc_path[1:], located))
    for term_id, value in data.items():
        loaded.ids.setdefault(collection.name, set()).add(term_id)
        line = smap.line((term_id,))
        if isinstance(term_id, str) and personal_data.file_name_ids(term_id):
            loaded.problems.append(Problem(path, line, collection.name, term_id, "id", *ID_IN_NAME))
            continue
        if not is_valid_id(term_id):
            loaded.problems.append(
                Problem(
                    path,
                    line,
                    collection.name,
                    term_id,
                    "id",
                    f"'{term_id}' is not a valid id",
                    f"Use {ID_MIN}-{ID_MAX} lowercase English letters, digits and single hyphens, starting with a letter",
                )
            )
            continue
        # Re-root the source map so the term's fields are found at their own paths.
        sub = SourceMap(start_line=line)
        sub.locations[()] = Located(line)
        sub.locations.update(by_term.get(term_id, []))
        loaded.entries.append(RawEntry(collection.name, term_id, path, value, sub))


def _load_files(root: Path, loaded: LoadedContent) -> None:
    loaded.files, problems = attachments.scan(root)
    loaded.problems.extend(problems)


def field_name(path: tuple) -> str:
    """``('partners', 0, 'org')`` → ``partners[0].org``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
