"""Bulk updates of forum outcomes from a spreadsheet: `kb outcomes export` and `kb outcomes import`.

A coordinator exports every outcome to a CSV file, changes statuses, due dates and owners in Excel or LibreOffice,
and imports the file again: only the lines of the changed values change in the forum files, so the pull request's
diff is those lines. The sheet is untrusted input like any contribution: every row is checked first, all its
problems are reported in one round with the sheet's line, and nothing is written if there is one.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..build import check_content
from ..content.model import outcome_anchors
from ..content.references import Graph
from ..errors import ContentError, KbError, Problem
from ..pages.open_data import from_spreadsheet_text, spreadsheet_text
from . import fields
from .edit import BOM, Change, Edited, edit_forum

__all__ = ["Change", "Edited", "ImportResult", "export_csv", "export_sheet", "import_sheet"]

MAX_SHEET_BYTES = 8 * 1024 * 1024
"""Largest sheet read: 50,000 outcomes' rows fit; past it the file is refused before it is parsed."""
SHEET = "outcomes sheet"
DELIMITERS = (",", ";", "\t")
MAX_CELL = 10_000
"""The most characters a cell may hold: an outcome's title is at most 120, an id or a date a few dozen."""
"""Excel writes ';' where the decimal mark is a comma, and some save tab-separated text: the header tells which."""


def export_csv(graph: Graph) -> tuple[str, int]:
    """The sheet of every outcome (by forum id, then in the forum's order) and how many rows it has: UTF-8 with a
    byte-order mark, so Excel opens Hebrew as Hebrew, and CRLF line ends, as spreadsheets write them."""
    names = fields.columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    count = 0
    forums = graph.entries.get("forums", {})
    for forum_id in sorted(forums):
        outcomes = forums[forum_id].model.outcomes
        for outcome, anchor in zip(outcomes, outcome_anchors(outcomes), strict=True):
            values = {"id": anchor, "forum": forum_id} | {name: getattr(outcome, name) for name in names[2:]}
            writer.writerow(_cell(values[name]) for name in names)
            count += 1
    return BOM + buffer.getvalue(), count


def _cell(value: object) -> str:
    if value is None:
        return ""
    # A title that starts with "=" must stay text in a spreadsheet (the open data's rule, undone on import).
    return spreadsheet_text(value) if isinstance(value, str) else str(value)


def export_sheet(content: Path) -> tuple[str, int]:
    """`export_csv` of the content, which must pass `kb check` (an outcome's id is known only then)."""
    return export_csv(check_content(content))


@dataclass
class ImportResult:
    edited: list[Edited] = field(default_factory=list)
    """Every change made (or, in a dry run, to be made), in file and line order."""
    files: list[Path] = field(default_factory=list)
    """The forum files changed; every other file was not even opened for writing."""
    warnings: list[Problem] = field(default_factory=list)
    """Cells the sheet does not apply (a changed title, an unknown column)."""


@dataclass(frozen=True)
class _Row:
    line: int
    """The sheet's line where the row starts."""
    cells: dict[str, str]


def import_sheet(sheet: Path, content: Path, dry_run: bool = False) -> ImportResult:
    """Apply the sheet's owner, due, status (and any other editable field's) values to the forum files.

    Raises `ContentError` with every problem of the sheet (and of the content, which must pass `kb check` first);
    then nothing is written. Each changed file is replaced atomically; an unchanged one is left untouched.
    """
    graph = check_content(content)
    rows, problems, warnings = _read_sheet(sheet)
    changes = _changes(sheet, rows, graph, problems, warnings)
    if problems:
        raise ContentError(problems, warnings)
    forums = graph.entries["forums"]
    folder = (Path(content) / "forums").resolve()
    planned: list[tuple[Path, str, list[Edited]]] = []
    for forum_id in sorted({change.forum for change in changes}):
        path = forums[forum_id].path
        # Only the forum files the check read, never a path the sheet names: nothing is written anywhere else.
        if path.is_symlink() or path.resolve().parent != folder:
            raise KbError(f"{path} is not a file of {folder}; nothing was written")
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise KbError(f"cannot read {path}: {error}") from None
        new_text, edited, found = edit_forum(path, forum_id, text, [c for c in changes if c.forum == forum_id])
        problems += found
        if edited and new_text != text:
            planned.append((path, new_text, edited))
    if problems:
        raise ContentError(problems, warnings)
    result = ImportResult(warnings=sorted(warnings))
    for path, new_text, edited in planned:
        if not dry_run:
            _write_atomically(path, new_text)
        result.files.append(path)
        result.edited += sorted(edited, key=lambda e: e.line)
    return result


def _read_sheet(sheet: Path) -> tuple[list[_Row], list[Problem], list[Problem]]:
    """The sheet's rows (blank ones skipped), with its problems and warnings."""
    problems: list[Problem] = []
    warnings: list[Problem] = []

    def problem(line: int, column: str, message: str, hint: str) -> None:
        problems.append(Problem(sheet, line, SHEET, "", column, message, hint))

    try:
        size = sheet.stat().st_size
        if size > MAX_SHEET_BYTES:
            problem(1, "file", f"the sheet is {size // 1024:,} KB, more than {MAX_SHEET_BYTES // 1024:,} KB", "Split it")
            return [], problems, warnings
        data = sheet.read_bytes()
    except OSError as error:
        raise KbError(f"cannot read the sheet {sheet}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem(
            data[: error.start].count(b"\n") + 1,
            "file",
            "the sheet is not UTF-8 text",
            "In Excel, save it with File → Save As → 'CSV UTF-8 (Comma delimited) (*.csv)'",
        )
        return [], problems, warnings
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[_Row] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problem(reader.line_num, "-", f"the sheet cannot be read as CSV ({error})", "Save it again as CSV")
            break
        if any(len(cell) > MAX_CELL for cell in cells):
            # Said here, not left to the csv module's own limit, which is one setting for the whole process.
            too_long = f"the sheet cannot be read as CSV (a cell holds over {MAX_CELL:,} characters)"
            problem(start, "-", too_long, "Save it again as CSV")
            break
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets add empty rows at the end
        if header is None:
            header = [cell.strip().lstrip(BOM) for cell in cells]  # a sheet saved twice may hold a second mark
            if not _check_header(sheet, start, header, problems, warnings):
                break  # without its id or forum no row can be matched: its rows would only repeat that
            continue
        if len(cells) != len(header) and (len(cells) < len(header) or any(c.strip() for c in cells[len(header) :])):
            problem(
                start,
                "-",
                f"the row has {len(cells)} cells, and the header {len(header)}",
                "Keep each row's cells under the header's columns (an empty cell is nothing between two commas)",
            )
            continue
        rows.append(_Row(start, {name: cell for name, cell in zip(header, cells, strict=False) if name in fields.columns()}))
    if header is None:
        problem(1, "-", "the sheet is empty", "Export it with `kb outcomes export` and edit that file")
    return rows, problems, warnings


def _check_header(sheet: Path, line: int, header: list[str], problems: list[Problem], warnings: list[Problem]) -> bool:
    """Whether the rows under ``header`` can be read; its problems and warnings are added to the lists."""
    known = fields.columns()
    missing = [name for name in fields.KEYS if name not in header]
    twice = sorted({name for name in header if header.count(name) > 1})
    for name in twice:
        problems.append(Problem(sheet, line, SHEET, "", name, f"the column '{name}' is there twice", "Delete one of them"))
    for name in missing:
        problems.append(
            Problem(
                sheet,
                line,
                SHEET,
                "",
                name,
                f"the sheet has no column '{name}'",
                "Keep the header row the export wrote: " + ", ".join(known),
            )
        )
    for name in header:
        if name not in known:
            warnings.append(
                Problem(
                    sheet,
                    line,
                    SHEET,
                    "",
                    name or "-",
                    f"the column '{name}' is not read" if name else "a column has no name, so it is not read",
                    "The sheet changes only " + ", ".join(fields.editable_fields()),
                    severity="warning",
                )
            )
    return not missing and not twice


def _changes(sheet: Path, rows: list[_Row], graph: Graph, problems: list[Problem], warnings: list[Problem]) -> list[Change]:
    """What the rows change, checking every row; problems and warnings are added to the lists."""
    forums = graph.entries.get("forums", {})
    anchors = {forum_id: outcome_anchors(entry.model.outcomes) for forum_id, entry in forums.items()}
    seen: dict[tuple[str, str], int] = {}
    changes: list[Change] = []
    for row in rows:
        forum_id = from_spreadsheet_text(row.cells.get("forum", "")).strip()
        outcome_id = from_spreadsheet_text(row.cells.get("id", "")).strip()

        def report(column: str, message: str, hint: str, severity: str = "error", row: _Row = row, forum: str = forum_id) -> None:
            found = Problem(sheet, row.line, "forums", forum if forum in forums else "", column, message, hint, severity)  # type: ignore[arg-type]
            (warnings if found.is_warning else problems).append(found)

        if forum_id not in forums:
            guess = difflib.get_close_matches(forum_id, sorted(forums), n=1)
            hint = f"Did you mean '{guess[0]}'? " if guess else ""
            what = f"there is no forum '{forum_id}'" if forum_id else "the row names no forum"
            report("forum", what, hint + "Use the forum's id as the export wrote it")
            continue
        if outcome_id not in anchors[forum_id]:
            near = f"outcome-{outcome_id}" in anchors[forum_id]
            hint = f"Did you mean 'outcome-{outcome_id}'? " if near else ""
            report(
                "id",
                f"the forum has no outcome '{outcome_id}'" if outcome_id else "the row names no outcome id",
                hint + "Keep the id the export wrote; if the outcome's title changed since, export the sheet again",
            )
            continue
        if (forum_id, outcome_id) in seen:
            report("id", f"the outcome is on line {seen[forum_id, outcome_id]} of the sheet too", "Keep one row per outcome")
            continue
        seen[forum_id, outcome_id] = row.line
        index = anchors[forum_id].index(outcome_id)
        outcome = forums[forum_id].model.outcomes[index]
        for name in fields.READ_ONLY:
            written = " ".join(from_spreadsheet_text(row.cells.get(name, "")).split())
            if written and written != " ".join(str(getattr(outcome, name)).split()):
                report(
                    name,
                    f"the {name} differs from the forum file's, and the sheet does not change it",
                    f"Change the {name} in {forums[forum_id].path.name} itself",
                    "warning",
                )
        for name in fields.editable_fields():
            if name not in row.cells:
                continue  # a sheet without the column leaves the field as it is
            text = from_spreadsheet_text(row.cells[name]).strip()
            try:
                new = fields.read_cell(name, text, graph)
            except fields.CellError as error:
                report(name, error.message, error.hint)
                continue
            old = getattr(outcome, name)
            if new != old:
                changes.append(Change(forum_id, index, name, old, new, text if new is not None else "", row.line))
    return changes


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` through a temporary file in the same folder and rename it over ``path``: a reader, or a crash,
    sees the old file or the new one, never half of one. The temporary name starts with '.', which no check reads."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise KbError(f"cannot write {path}: {error.strerror or error}") from None
