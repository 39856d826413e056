"""Stage 1, attachments: which files of content/files/ may be published, by an allowlist.

A file there is served from the site's own origin, so an HTML page or an SVG image would run its
script as the site, and mkdocs would render a Markdown file as a themed page. Only the kinds of
document and image people attach are published, each recognised by its extension *and* its first
bytes (a web page renamed ``.pdf`` is refused too); names are checked like text and published
percent-encoded (`links.file_url`). The folder, and nothing in it, may be a link to elsewhere on
the machine that builds.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import Problem
from . import personal_data, registry

MAX_BYTES = 50 * 1024 * 1024
"""Largest attachment (GitHub warns about any larger file in a repository); the offline copy carries every file."""
MAX_NAME = 120

_ZIP = b"PK\x03\x04"


def _text(head: bytes) -> bool:
    return b"\x00" not in head


KINDS: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    ".pdf": ("PDF", lambda head: b"%PDF-" in head[:1024]),
    ".png": ("PNG", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("JPEG", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".gif": ("GIF", lambda head: head.startswith((b"GIF87a", b"GIF89a"))),
    ".webp": ("WebP", lambda head: head.startswith(b"RIFF") and head[8:12] == b"WEBP"),
    ".docx": ("Word", lambda head: head.startswith(_ZIP)),
    ".xlsx": ("Excel", lambda head: head.startswith(_ZIP)),
    ".pptx": ("PowerPoint", lambda head: head.startswith(_ZIP)),
    ".odt": ("OpenDocument", lambda head: head.startswith(_ZIP)),
    ".ods": ("OpenDocument", lambda head: head.startswith(_ZIP)),
    ".csv": ("CSV", _text),
    ".txt": ("text", _text),
    ".tif": ("TIFF", lambda head: head.startswith((b"II*\x00", b"MM\x00*"))),
    ".tiff": ("TIFF", lambda head: head.startswith((b"II*\x00", b"MM\x00*"))),
    ".bmp": ("BMP", lambda head: head.startswith(b"BM")),
    ".heic": ("HEIC", lambda head: head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc")),
    ".heif": ("HEIF", lambda head: head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc")),
    ".avif": ("AVIF", lambda head: head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis")),
}
"""Extension (lower case) → (what it is called, whether a file's first 2 KB are of that kind)."""

_REFUSED_WHY = {
    (".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml"): "a web page runs its script as the site itself",
    (".svg", ".svgz"): "an SVG image can hold script that runs as the site itself; convert it to PNG",
    (".md", ".markdown"): "a Markdown file here would become a page no check has read; pages go in content/pages/",
    (".js", ".mjs", ".css", ".xml", ".xsl", ".json", ".wasm", ".swf"): "the browser would run or apply it as part of the site",
    (".exe", ".msi", ".bat", ".cmd", ".com", ".scr", ".ps1", ".sh", ".jar", ".apk", ".dmg", ".app"): "it is a program",
    (
        ".doc",
        ".xls",
        ".ppt",
        ".docm",
        ".xlsm",
        ".pptm",
    ): "old and macro-enabled Office files can carry macros; save as .docx, .xlsx or .pptx",
}
# Characters no file name may hold: invisible controls and bidi marks, what a URL or a Windows disk reads as syntax.
_BAD_NAME = re.compile('[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069#?%\\\\:*"<>|]')


def allowed() -> str:
    return ", ".join(sorted({ext.lstrip(".") for ext in KINDS}))


def scan(root: Path) -> tuple[list[str], list[Problem]]:
    """The attachments that may be published (paths under files/, sorted) and the problems of those that may not."""
    folder = root / registry.FILES_FOLDER
    problems: list[Problem] = []

    def problem(path: Path, message: str, hint: str) -> None:
        relative = path.relative_to(folder).as_posix() if path != folder else ""
        problems.append(Problem(path, 1, registry.FILES_FOLDER, relative, "file", message, hint))

    if folder.is_symlink():
        problem(folder, "content/files is a link to another folder", "Make it a real folder holding the files themselves")
        return [], problems
    if not folder.is_dir():
        return [], problems
    files: list[str] = []
    seen: dict[str, str] = {}
    for directory, folders, names in os.walk(folder):
        here = Path(directory)
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(folders) + sorted(n for n in names if not n.startswith(".")):
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                problem(path, "symbolic links are not allowed in content/", "Replace the link with the file itself")
                if name in folders:
                    folders.remove(name)
                continue
            for message, hint in name_problems(name, relative):
                problem(path, message, hint)
            if name in folders:
                continue
            if (twin := seen.setdefault(relative.casefold(), relative)) != relative:
                problem(
                    path,
                    f"'{relative}' and '{twin}' differ only in capital letters",
                    "Rename one: disks on Windows and Mac see one file",
                )
            if not (found := _content_problem(path)):
                files.append(relative)
            else:
                problem(path, *found)
    return sorted(files), problems


def name_problems(name: str, relative: str = "") -> list[tuple[str, str]]:
    """What is wrong with one file or folder name (at ``relative`` under files/), as (message, hint)."""
    found = []
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept by the file system as they are
        return [(f"the name {name!r} is not UTF-8 text", "Rename the file (a zip made on Windows may have named it so)")]
    if _BAD_NAME.search(name) or name != name.strip() or name.endswith("."):
        found.append(
            (
                f"the name {name!r} holds a character a web address or a disk cannot keep",
                "Rename it with letters, digits, spaces, '-' and '_' only "
                '(no # ? % : * " < > | \\, no control or direction marks)',
            )
        )
    if len(name) > MAX_NAME:
        found.append((f"the name is {len(name)} characters long, more than {MAX_NAME}", "Give the file a shorter name"))
    # The whole path: a folder "תעודות זהות" names what the numbered files in it are.
    if personal_data.file_name_ids((relative or name).replace("/", " ")):
        found.append(
            (
                "the name holds what looks like an Israeli ID number",
                "Rename the file: ID numbers are personal data and must not be published",
            )
        )
    return found


def _content_problem(path: Path) -> tuple[str, str] | None:
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        why = next((why for extensions, why in _REFUSED_WHY.items() if suffix in extensions), None)
        kind = f"'{suffix}' files are" if suffix else "files without an extension are"
        return f"{kind} not published{': ' + why if why else ''}", f"Attach one of: {allowed()}"
    label, looks_right = KINDS[suffix]
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as error:
        return f"the file cannot be read ({error.strerror or error})", "Check the file's permissions, or replace it"
    if size > MAX_BYTES:
        return (
            f"the file is {size / 1024 / 1024:,.1f} MB, more than {MAX_BYTES // 1024 // 1024} MB",
            "Make it smaller (compress the PDF or the images), or link to where it is published",
        )
    if not looks_right(head):
        return (
            f"the file is named {suffix} but is not a {label} file",
            f"Save it as a real {label} file, or rename it to what it is",
        )
    if _holds_id_number(path, suffix):
        return (
            "the file holds what looks like an Israeli ID number",
            "Remove the ID numbers from the file (a list of participants, a scanned form) before attaching it",
        )
    return None


SCANNED_BYTES = 4 * 1024 * 1024
"""How much of an attachment's text is read for ID numbers: a list of people fits many times over, and a larger
file (or a zip that unpacks to much more, on purpose) costs no more than this."""

_TEXT_PARTS = {
    ".docx": re.compile(r"word/(document|header\d*|footer\d*|footnotes|comments)\.xml"),
    ".xlsx": re.compile(r"xl/(sharedStrings|worksheets/sheet\d+)\.xml"),
    ".pptx": re.compile(r"ppt/(slides/slide\d+|notesSlides/notesSlide\d+)\.xml"),
    ".odt": re.compile(r"content\.xml"),
    ".ods": re.compile(r"content\.xml"),
}
"""The parts of an Office or OpenDocument file (a zip of XML) that hold its text. PDF text needs a PDF parser and
is not read."""
_XML_TAG = re.compile(r"<[^<>]*>")
# Where a paragraph, a cell or a row ends, words part; elsewhere (runs of one paragraph: "123" "456782") they join.
_XML_BREAK = re.compile(r"</(?:w:p|w:tc|w:tr|a:p|text:p|text:h|table:table-cell|si|c|row)>|<w:(?:tab|br)\s*/>")


def _holds_id_number(path: Path, suffix: str) -> bool:
    """Whether the text of a CSV, TXT, Office or OpenDocument attachment holds an ID number: next to an ID word,
    or in a table (a CSV, a sheet) whose first row names IDs."""
    if suffix in (".csv", ".txt"):
        data = path.read_bytes()[:SCANNED_BYTES]
        text = data.decode("utf-8", errors="replace") if _utf8(data) else data.decode("cp1255", errors="replace")
        # As a spreadsheet reads it: quoted cells, Excel's doubled quotes ("ת""ז"), tabs or commas.
        try:
            rows = list(csv.reader(io.StringIO(text), dialect="excel-tab" if "\t" in text[:4096] else "excel"))[:10_000]
        except csv.Error:  # not a table after all (a cell longer than the reader takes): read as text below
            rows = []
        if rows and personal_data.table_ids(rows[0], rows[1:]):
            return True
    elif suffix in _TEXT_PARTS:
        text = _zipped_text(path, _TEXT_PARTS[suffix])
    else:
        return False
    # A document keeps a table's header apart from its numbers: an ID word anywhere in it names its numbers.
    return bool(text and personal_data.find_israeli_ids(text, block=True))


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > len(data) - 4  # only cut off at the end of what was read
    return True


def _zipped_text(path: Path, parts: re.Pattern[str]) -> str:
    budget, texts = SCANNED_BYTES, []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if budget <= 0 or not parts.fullmatch(info.filename):
                    continue
                with archive.open(info) as member:
                    xml = member.read(budget).decode("utf-8", errors="replace")
                budget -= len(xml)
                texts.append(html.unescape(_XML_TAG.sub("", _XML_BREAK.sub(" ", xml))))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return ""  # not a readable zip: named .docx, opened by nobody; its first bytes were checked already
    return " ".join(texts)
