"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD): Hebrew display, ordering, staleness,
and the one build date every stage uses, so builds are reproducible."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .content.history import ISRAEL, NOT_READ, OutcomeHistory
from .settings import SiteSettings


@dataclass(frozen=True)
class BuildInfo:
    """When the build is dated (see `build_timestamp`), from which content version, where it is published, and the
    site's settings that pages show."""

    timestamp: int
    version: str
    site_url: str = ""
    """The published address ending in "/" (``KB_SITE_URL``), or "" when unknown (a local build)."""
    settings: SiteSettings = field(default_factory=SiteSettings)
    """Where the site's repository is and whom to ask about accessibility (``extra:`` in mkdocs.yml, or CI)."""
    history: OutcomeHistory = field(default=NOT_READ, compare=False)
    """The forum outcomes' dated history, from the content's git history (the history stage, `content.history`)."""

    @property
    def url_path(self) -> str:
        """The path the site is served under: "/" at a domain's root, "/repo/" for a project's Pages."""
        return urlsplit(self.site_url).path or "/"

    def address(self, site_path: str) -> str:
        """Where a file of the site (``initiatives/x.html``) is found: its full address when the site's is
        known, else its path from the top of the site."""
        return self.site_url + site_path

    @property
    def today(self) -> dt.date:
        """The build's day in Israel, where its readers are: what is late or due for a re-check is judged by it."""
        return dt.datetime.fromtimestamp(self.timestamp, ISRAEL).date()


HEBREW_MONTHS = ("ינואר", "פברואר", "מרץ", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר", "נובמבר", "דצמבר")
STALE_AFTER_MONTHS = 18


def parts(value: str) -> tuple[int, int | None, int | None]:
    pieces = [int(p) for p in value.split("-")]
    return pieces[0], (pieces[1] if len(pieces) > 1 else None), (pieces[2] if len(pieces) > 2 else None)


def format_hebrew(value: str | None) -> str:
    """``2020-05-11`` → ``11 במאי 2020``; ``2018-07`` → ``יולי 2018``; ``2014`` → ``2014``."""
    if not value:
        return ""
    year, month, day = parts(value)
    if day:
        return f"{day} ב{HEBREW_MONTHS[month - 1]} {year}"
    if month:
        return f"{HEBREW_MONTHS[month - 1]} {year}"
    return str(year)


def on_date_hebrew(value: str | None) -> str:
    """ "On <date>" with the prefix ב: a hyphen before a numeral (ב-11 במאי 2020, ב-2014), none before a word (ביולי 2018)."""
    shown = format_hebrew(value)
    if not shown:
        return ""
    return f"ב-{shown}" if shown[0].isdigit() else f"ב{shown}"


def earliest_day(value: str) -> dt.date:
    """The first day a partial date can mean: ``2024-05`` → 2024-05-01."""
    year, month, day = parts(value)
    return dt.date(year, month or 1, day or 1)


def latest_day(value: str) -> dt.date:
    """The last day a partial date can mean: ``2024`` → 2024-12-31 (lenient for staleness)."""
    year, month, day = parts(value)
    if day:
        return dt.date(year, month, day)
    if month:
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(year, 12, 31)


def months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def is_stale(updated: str, today: dt.date) -> bool:
    return months_between(latest_day(updated), today) >= STALE_AFTER_MONTHS


FINISHED_STATUSES = frozenset({"done", "dropped"})
"""An outcome's statuses that owe nothing more: it is never overdue."""


def is_overdue(due: str | None, status: str, today: dt.date) -> bool:
    """Whether an outcome is late: its due date is past (all of it: a month is due until its last day) and it is
    neither done nor dropped."""
    return bool(due) and status not in FINISHED_STATUSES and latest_day(due) < today


def build_timestamp(content_dir: Path) -> int:
    """Seconds since the epoch that the build is dated by.

    ``SOURCE_DATE_EPOCH`` when set (reproducible builds); otherwise the time of
    the content's last git commit, so rebuilding the same commit gives the same
    site; otherwise now.
    """
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return int(env)
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=content_dir,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
        if out.isdigit():
            return int(out)
    except (OSError, subprocess.SubprocessError):
        pass
    return int(dt.datetime.now(dt.UTC).timestamp())


def content_version(content_dir: Path) -> str:
    """The short git commit of the content, or '' outside git."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=10", "HEAD"],
            cwd=content_dir,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return out.stdout.strip() if out.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""
