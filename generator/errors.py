"""The project's exceptions and the one shape every content problem takes.

Stages collect `Problem`s instead of raising at the first one, then raise a
single `ContentError` carrying all of them.  Only the CLI turns these into
exit codes (the same split as mkdocs' ``exceptions.py``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the content, located and explained.

    Rendered as ``path:line: collection → id: field: what is wrong. what to do``.
    """

    path: Path
    line: int
    collection: str
    entry_id: str
    field: str
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"
    """An error stops the build; a warning is printed (and annotated on a pull request) and the build goes on."""

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def format(self, relative_to: Path | None = None) -> str:
        place = display_path(self.path, relative_to)
        where = f"{self.collection} → {self.entry_id}" if self.entry_id else self.collection
        what = self.message.rstrip(".") + "."
        todo = f" {self.hint.rstrip('.')}." if self.hint else ""
        marker = "warning: " if self.is_warning else ""
        return shown(f"{place}:{self.line}: {marker}{where}: {self.field or '-'}: {what}{todo}")

    def format_github(self, relative_to: Path | None = None) -> str:
        """The problem as a GitHub Actions workflow command, shown on the pull request's changed line."""
        where = f"{self.collection} → {self.entry_id}" if self.entry_id else self.collection
        title = f"{where}: {self.field or '-'}"
        what = self.message.rstrip(".") + "."
        todo = f" {self.hint.rstrip('.')}." if self.hint else ""
        file = _escape_property(display_path(self.path, relative_to))
        return shown(
            f"::{self.severity} file={file},line={self.line},title={_escape_property(title)}::{_escape_data(what + todo)}"
        )


def _escape_data(text: str) -> str:
    # GitHub's workflow commands end at a line break and decode %XX, so those must be encoded.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def shown(text: str) -> str:
    """``text`` with control and direction characters written as escapes: a file name holding U+202E would
    otherwise turn the rest of the message around in a terminal or an annotation, and one that is not UTF-8
    (its bytes kept as lone surrogates) could not be printed at all."""
    return _INVISIBLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def display_path(path: Path, relative_to: Path | None = None) -> str:
    """``path`` as messages show it: relative to the working folder when it is inside it."""
    base = relative_to or Path.cwd()
    try:
        return shown(os.path.relpath(path, base) if path.is_absolute() else str(path))
    except ValueError:  # another drive on Windows
        return shown(str(path))


class KbError(Exception):
    """Base of every error the generator raises on purpose."""


class ContentError(KbError):
    """The content has one or more problems; nothing was written."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = sorted(problems)
        self.warnings = sorted(warnings or [])
        """Warnings found in the same round, shown with the problems."""
        super().__init__(f"{len(self.problems)} problem(s) in the content")


class BuildError(KbError):
    """A build step outside the content failed (mkdocs, a post-build step, the disk)."""
