"""The text `kb new` writes for a contributor to replace. `kb check` warns while any of it is still in an entry,
and `kb build --strict` (the publishing workflow's) refuses it, so that a page of template text is never
published unnoticed. Said once, here: the template and the check cannot drift apart."""

from __future__ import annotations

import re

INITIATIVE_SUMMARY = "תקציר של משפט או שניים – מה היוזמה ולמי היא מיועדת."
FORUM_SUMMARY = "תקציר של משפט או שניים – מי נפגש ולשם מה."
PAGE_BODY = "כתבו כאן את תוכן העמוד."
FORUM_BODY = "כתבו כאן על הפורום: מי יזם, מי משתתף ומה הוחלט."
INITIATIVE_SECTIONS = ("רקע", "מה עשינו", "תוצאות", "לקחים ואיך לשכפל")
"""The headings of a new initiative's body, each to be written under."""
INITIATIVE_BODY = "".join(f"## {heading}\n\n" for heading in INITIATIVE_SECTIONS).rstrip("\n") + "\n"

PHRASES = (INITIATIVE_SUMMARY, FORUM_SUMMARY, PAGE_BODY, FORUM_BODY)
CATEGORY = "placeholder"
"""What the warnings' messages start with, which a strict build turns into errors."""
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def placeholder_in(text: str) -> str | None:
    """The template's phrase that ``text`` still holds, if any."""
    return next((phrase for phrase in PHRASES if phrase in text), None)


def only_template_headings(body: str) -> bool:
    """Whether a body is the new initiative's headings with nothing written under them."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    headings = [match.group(1) for line in lines if (match := _HEADING.match(line))]
    return bool(lines) and len(headings) == len(lines) and set(headings) <= set(INITIATIVE_SECTIONS)
