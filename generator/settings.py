"""The site's own settings that pages show: where its repository is, and whom to ask about accessibility.

They live under ``extra:`` in the project's ``mkdocs.yml`` (the one configuration file of the site), and CI may
supply the repository instead: GitHub Actions sets ``GITHUB_REPOSITORY`` ("owner/name"), ``GITHUB_SERVER_URL``
and ``GITHUB_REF``. The repository is never mkdocs' own ``repo_url``: with it the theme asks api.github.com for
the repository's stars and forks from every page, a request to another origin.

Every value becomes part of a link on every page, so each is checked here: an address that is not https (a
``javascript:`` one) or holds a user name, a branch that could leave its place in a path, an e-mail or phone
that is not one stops the build with the file, the line and what to write.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import yaml

from .errors import KbError, Problem

REPOSITORY_KEY = "repository"
BRANCH_KEY = "repository_branch"
CONTACT_KEY = "accessibility_contact"
DEFAULT_BRANCH = "main"
CONTENT_FOLDER = "content"
"""Where the content is in the repository, which the edit links open files under."""
ERROR_FORM = "report-error.yml"
"""The repository's issue form for a wrong fact (.github/ISSUE_TEMPLATE/), which the report link opens filled in."""

_BRANCH = re.compile(r"(?!.*//)[A-Za-z0-9][A-Za-z0-9._/-]{0,98}[A-Za-z0-9_-]\Z|[A-Za-z0-9]\Z")
"""A branch name that stays one part of a path: no "//", and no "/" or "." at its end (git refuses those too)."""
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
"""Direction controls, which would make an address read otherwise than it is."""
_GITHUB_REPOSITORY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}\Z")
_EMAIL = re.compile(r"[^@\s<>\"'`]+@[^@\s<>\"'`]+\.[^@\s<>\"'`]+\Z")
_PHONE = re.compile(r"[+*(]?[0-9][0-9 ().\-\u2013/]{2,22}(\s*(שלוחה|שלוח'|פנימי|ext\.?|x)\s*[0-9]{1,6})?\Z")


@dataclass(frozen=True)
class AccessibilityContact:
    """Whoever handles accessibility requests, reachable without a GitHub account (regulation 35ה)."""

    name: str = ""
    """A role or a name in a public role ("רכזת הנגישות של האתר"); optional."""
    email: str = ""
    phone: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.email and self.phone)


@dataclass(frozen=True)
class SiteSettings:
    repository: str = ""
    """The repository's https address without a trailing slash, or "" when unknown (no repository links)."""
    branch: str = DEFAULT_BRANCH
    """The branch the edit links open files on."""
    accessibility: AccessibilityContact = field(default_factory=AccessibilityContact)
    config: Path | None = None
    """The file the settings were read from, for messages."""
    contact_line: int = 1
    """The line of ``accessibility_contact:`` (or of ``extra:``) in it, for the warning while it is incomplete."""

    def edit_url(self, content_path: str) -> str:
        """The repository's editor of a content file (``initiatives/x.md``), or "" without a repository."""
        if not self.repository:
            return ""
        return f"{self.repository}/edit/{quote(self.branch, safe='/')}/{CONTENT_FOLDER}/{quote(content_path, safe='/')}"

    def report_url(self, title: str, address: str) -> str:
        """A new issue in the error form, with the page's title and address filled in; "" without a repository."""
        if not self.repository:
            return ""
        query = urlencode({"template": ERROR_FORM, "title": f"טעות: {title}", "page": address}, quote_via=quote)
        return f"{self.repository}/issues/new?{query}"

    def file_url(self, path: str) -> str:
        """A file of the repository (``CONTRIBUTING.md``) on its page there, or "" without a repository."""
        return f"{self.repository}/blob/{quote(self.branch, safe='/')}/{quote(path, safe='/')}" if self.repository else ""

    def form_url(self, form: str) -> str:
        """A new issue in one of the repository's forms (``report-accessibility.yml``), or "" without a repository."""
        return f"{self.repository}/issues/new?{urlencode({'template': form})}" if self.repository else ""

    def warnings(self) -> list[Problem]:
        """What `kb check` and `kb build` say while the statement lacks a contact outside GitHub."""
        contact = self.accessibility
        missing = [what for what, value in (("e-mail", contact.email), ("phone", contact.phone)) if not value]
        if not missing:
            return []
        where = self.config or Path("mkdocs.yml")
        return [
            Problem(
                where,
                self.contact_line,
                "settings",
                "",
                f"extra.{CONTACT_KEY}",
                f"the accessibility statement gives no {' and no '.join(missing)} for accessibility requests",
                f"Regulation 35ה wants a contact reachable without a GitHub account: set, in {where.name}, "
                f"extra: {CONTACT_KEY}: email: and phone: (and name:, a role) of whoever handles accessibility "
                "requests; the statement shows them",
                "warning",
            )
        ]


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: its ``!!python/name:`` values (a slug function) are read as nothing, never imported."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def load(config: Path, environ: dict[str, str] | None = None) -> SiteSettings:
    """The settings from ``config``'s ``extra:`` and, for the repository when it sets none, from CI's environment.
    Raises `KbError` naming every value that cannot be used."""
    environ = dict(os.environ) if environ is None else environ
    try:
        text = config.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_ConfigLoader) or {}  # noqa: S506 (a SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise KbError(f"{config}: cannot read the site's settings: {error}") from None
    extra = data.get("extra") if isinstance(data, dict) else None
    extra = extra if isinstance(extra, dict) else {}
    lines = text.splitlines()
    errors: list[str] = []

    def fail(key: str, message: str) -> None:
        errors.append(f"{config}:{_line_of(lines, key)}: extra.{key}: {message}")

    def text(mapping: dict, key: str, where: str) -> str:
        # A phone YAML read as a number (an octal one, even) or a list is not what anyone meant.
        value = mapping.get(key)
        if value is not None and not isinstance(value, str):
            fail(where, f"{key}: {value!r} is not text; write it in quotes")
            return ""
        return (value or "").strip()

    repository = text(extra, REPOSITORY_KEY, REPOSITORY_KEY)
    branch = text(extra, BRANCH_KEY, BRANCH_KEY)
    if repository:
        repository = _https(repository, lambda message: fail(REPOSITORY_KEY, message))
    elif environ.get("GITHUB_REPOSITORY"):
        repository, branch = _from_ci(environ, branch, errors)
    branch = branch or DEFAULT_BRANCH
    if not _BRANCH.match(branch) or ".." in branch or "//" in branch:
        fail(BRANCH_KEY, f"{branch!r} is not a branch name; write one like main")

    raw_contact = extra.get(CONTACT_KEY) or {}
    if not isinstance(raw_contact, dict):
        fail(CONTACT_KEY, "must be a mapping with email:, phone: and name:")
        raw_contact = {}
    contact = AccessibilityContact(*(text(raw_contact, key, CONTACT_KEY) for key in ("name", "email", "phone")))
    if contact.email and not _EMAIL.match(contact.email):
        fail(CONTACT_KEY, f"{contact.email!r} is not an e-mail address; write one like negishut@example.org.il")
    if contact.phone and not _PHONE.match(contact.phone):
        fail(CONTACT_KEY, f'{contact.phone!r} is not a phone number; write one like "04-6011111", in quotes')
    if len(contact.name) > 120 or re.search(r"[<>\x00-\x1f]", contact.name):
        fail(CONTACT_KEY, "name: must be a short plain text, a role such as רכזת הנגישות")
    unknown = sorted(set(raw_contact) - {"name", "email", "phone"})
    if unknown:
        fail(CONTACT_KEY, f"unknown key(s) {', '.join(map(str, unknown))}; only name:, email: and phone:")
    if errors:
        raise KbError("the site's settings cannot be used:\n" + "\n".join(errors))
    line = _line_of(lines, CONTACT_KEY) if CONTACT_KEY in extra else _line_of(lines, "extra", top=True)
    return SiteSettings(repository, branch, contact, config, line)


def _https(value: str, fail: Any) -> str:
    """``value`` as a repository address (https, a host, no user, no query), without a trailing slash."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises on a port out of range)
    except ValueError:  # an unclosed "[" of an IPv6 host, a port past 65535
        parts = None
    if (
        parts is None
        or parts.scheme != "https"
        or not parts.hostname
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
        or re.search(r"[\s\x00-\x1f\x7f<>\"'`\\]", value)
        or _BIDI.search(value)
    ):
        fail(f"{value!r} is not the repository's https address; write one like https://github.com/owner/yozmot")
        return ""
    # "…/name/.git" and "…/name.git/": neither the .git nor a slash before or after it is part of the address.
    path = parts.path.rstrip("/").removesuffix(".git").rstrip("/")
    return urlunsplit(("https", parts.netloc.lower(), path, "", ""))


def _from_ci(environ: dict[str, str], branch: str, errors: list[str]) -> tuple[str, str]:
    """The repository GitHub Actions builds, and the branch pushed (a pull request's merge ref is no branch)."""
    name = environ["GITHUB_REPOSITORY"].strip()
    if not _GITHUB_REPOSITORY.match(name):
        errors.append(f"GITHUB_REPOSITORY: {name!r} is not owner/name")
        return "", branch
    server = _https(
        environ.get("GITHUB_SERVER_URL", "").strip() or "https://github.com",
        lambda message: errors.append(f"GITHUB_SERVER_URL: {message}"),
    )
    ref = environ.get("GITHUB_REF", "")
    if not branch and ref.startswith("refs/heads/"):
        branch = ref.removeprefix("refs/heads/")
    return (f"{server}/{name}" if server else ""), branch


def _line_of(lines: list[str], key: str, top: bool = False) -> int:
    """The line where ``key:`` is written (a top-level key with ``top``), else 1."""
    indent = "" if top else r"[ \t]*"
    pattern = re.compile(rf"^{indent}{re.escape(key)}[ \t]*:")
    return next((number for number, line in enumerate(lines, start=1) if pattern.match(line)), 1)
